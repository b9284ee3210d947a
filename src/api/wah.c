/*
 * ws2help's helpers, which ws2_32 exports for service providers (Wah*). Microsoft does not
 * document them; providers rely on the behaviour below.
 *
 * - The handle context table maps a handle to the provider's context object, whose head is a
 *   WAH_HANDLE_CONTEXT {RefCount, Handle}. Insert replaces a context of the same handle and
 *   returns the one it replaced (else the one inserted; NULL when out of memory); Reference
 *   counts a reference in RefCount and returns the context (NULL if none); Remove takes out
 *   exactly the context given (ERROR_INVALID_PARAMETER if that context is not the one in the
 *   table); Enumerate calls back for every context until the callback returns FALSE. The
 *   callback may insert and remove, as a provider's cleanup does when it closes every socket.
 * - The APC helper queues user APCs to threads the provider has opened with
 *   WahOpenCurrentThread.
 * - The handle helper makes socket handles through Windows' ws2ifsl driver, which Wine does not
 *   have: opening it fails with the error Windows gives when the driver is absent.
 *   WahCompleteRequest completes an OVERLAPPED as WPUCompleteOverlappedRequest does.
 * - The notification helper tells every process that the Winsock catalog changed: each
 *   listener is an instance of one named pipe, and a change connects to every instance that is
 *   listening.
 */
#include "openws2/core.h"
#include "openws2/wah.h"
#include <stdlib.h>

/* ---- the handle context table ---- */

/*
 * The table has a fixed number of shards chosen by the handle's value, each a chained hash under
 * its own lock (a critical section, so that an enumeration callback may call back into the
 * table from the same thread). Chains are nodes of ours pointing at the provider's contexts.
 * While a shard is being enumerated, removed nodes are only marked dead and the bucket array does
 * not grow, so the enumeration walks valid memory; the last enumeration out unlinks the dead.
 */
#define WAH_SHARDS      16
#define WAH_MIN_BUCKETS 32
#define WAH_TABLE_MAGIC 0x48415754 /* "TWAH" */

struct wah_node {
    struct wah_node *next;
    PWAH_HANDLE_CONTEXT context; /* NULL: removed during an enumeration */
};

struct wah_shard {
    CRITICAL_SECTION lock;
    struct wah_node **buckets;
    ULONG bucket_count; /* a power of two, or 0 before the first insert */
    ULONG count;        /* live contexts */
    LONG enumerating;   /* nested enumerations in progress */
    bool has_dead;
};

struct wah_table {
    ULONG magic;
    struct wah_shard shards[WAH_SHARDS];
};

static ULONG_PTR wah_hash(HANDLE handle)
{
    /* Handle values are multiples of four; mix the rest. */
    ULONG_PTR h = (ULONG_PTR)handle >> 2;
    h ^= h >> 16;
    h *= 0x45d9f3b;
    h ^= h >> 16;
    return h;
}

static struct wah_shard *wah_shard_of(struct wah_table *table, HANDLE handle)
{
    return &table->shards[wah_hash(handle) % WAH_SHARDS];
}

static struct wah_node **wah_bucket(struct wah_shard *shard, HANDLE handle)
{
    return &shard->buckets[(wah_hash(handle) / WAH_SHARDS) & (shard->bucket_count - 1)];
}

static bool wah_table_valid(struct wah_table *table)
{
    return table && ws_readable(table, sizeof(*table)) && table->magic == WAH_TABLE_MAGIC;
}

/* The table WahReferenceContextByHandle last probed and found valid (forgotten on destroy). */
static struct wah_table *volatile wah_last_valid;

/* Rehash into twice the buckets (or the first array) when the chains grow long. Failure to grow
   is not an error: the chains just get longer. */
static void wah_shard_grow(struct wah_shard *shard)
{
    ULONG count = shard->bucket_count ? shard->bucket_count * 2 : WAH_MIN_BUCKETS;
    struct wah_node **buckets = calloc(count, sizeof(*buckets));
    struct wah_node **old = shard->buckets;
    ULONG old_count = shard->bucket_count;

    if (!buckets) return;
    shard->buckets = buckets;
    shard->bucket_count = count;
    for (ULONG i = 0; i < old_count; i++) {
        struct wah_node *node = old[i], *next;
        for (; node; node = next) {
            struct wah_node **bucket = wah_bucket(shard, node->context->Handle);
            next = node->next;
            node->next = *bucket;
            *bucket = node;
        }
    }
    free(old);
}

/* Unlink and free the nodes removed during enumerations (no enumeration is running). */
static void wah_shard_purge(struct wah_shard *shard)
{
    for (ULONG i = 0; i < shard->bucket_count; i++) {
        struct wah_node **link = &shard->buckets[i];
        while (*link) {
            struct wah_node *node = *link;
            if (node->context) {
                link = &node->next;
                continue;
            }
            *link = node->next;
            free(node);
        }
    }
    shard->has_dead = false;
}

DWORD WINAPI WahCreateHandleContextTable(PWAH_HANDLE_TABLE *table)
{
    struct wah_table *created;

    if (!ws_writable(table, sizeof(*table))) return ERROR_INVALID_PARAMETER;
    *table = NULL;
    if (!(created = calloc(1, sizeof(*created)))) return ERROR_NOT_ENOUGH_MEMORY;
    for (int i = 0; i < WAH_SHARDS; i++)
        InitializeCriticalSectionAndSpinCount(&created->shards[i].lock, 4000);
    created->magic = WAH_TABLE_MAGIC;
    *table = created;
    return NO_ERROR;
}

/* The contexts still in the table belong to the provider: only the table's memory is freed. */
DWORD WINAPI WahDestroyHandleContextTable(PWAH_HANDLE_TABLE table)
{
    if (!wah_table_valid(table)) return ERROR_INVALID_PARAMETER;
    table->magic = 0;
    InterlockedCompareExchangePointer((void *volatile *)&wah_last_valid, NULL, table);
    for (int i = 0; i < WAH_SHARDS; i++) {
        struct wah_shard *shard = &table->shards[i];
        for (ULONG b = 0; b < shard->bucket_count; b++) {
            struct wah_node *node = shard->buckets[b], *next;
            for (; node; node = next) {
                next = node->next;
                free(node);
            }
        }
        free(shard->buckets);
        DeleteCriticalSection(&shard->lock);
    }
    free(table);
    return NO_ERROR;
}

PWAH_HANDLE_CONTEXT WINAPI WahInsertHandleContext(PWAH_HANDLE_TABLE table,
                                                  PWAH_HANDLE_CONTEXT context)
{
    struct wah_shard *shard;
    struct wah_node **bucket, *node, *dead = NULL;
    PWAH_HANDLE_CONTEXT result = context;

    if (!wah_table_valid(table) || !ws_readable(context, sizeof(*context))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    shard = wah_shard_of(table, context->Handle);
    EnterCriticalSection(&shard->lock);
    if (shard->bucket_count && !shard->enumerating && shard->count >= shard->bucket_count * 2)
        wah_shard_grow(shard);
    if (!shard->bucket_count && !shard->enumerating) wah_shard_grow(shard);
    if (!shard->bucket_count) {
        result = NULL;
        goto done;
    }
    bucket = wah_bucket(shard, context->Handle);
    for (node = *bucket; node; node = node->next) {
        if (!node->context) {
            dead = node;
            continue;
        }
        if (node->context->Handle == context->Handle) {
            /* A handle value the system has reused: the new context replaces the old one. */
            result = node->context;
            node->context = context;
            goto done;
        }
    }
    if (dead) {
        dead->context = context; /* reuse a node removed during the enumeration */
    } else if ((node = malloc(sizeof(*node)))) {
        node->context = context;
        node->next = *bucket;
        *bucket = node;
    } else {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        result = NULL;
        goto done;
    }
    shard->count++;
done:
    LeaveCriticalSection(&shard->lock);
    return result;
}

DWORD WINAPI WahRemoveHandleContext(PWAH_HANDLE_TABLE table, PWAH_HANDLE_CONTEXT context)
{
    struct wah_shard *shard;
    struct wah_node **link;
    DWORD ret = ERROR_INVALID_PARAMETER;

    if (!wah_table_valid(table) || !ws_readable(context, sizeof(*context)))
        return ERROR_INVALID_PARAMETER;
    shard = wah_shard_of(table, context->Handle);
    EnterCriticalSection(&shard->lock);
    if (!shard->bucket_count) goto done;
    for (link = wah_bucket(shard, context->Handle); *link; link = &(*link)->next) {
        struct wah_node *node = *link;
        if (node->context != context) continue;
        if (shard->enumerating) {
            node->context = NULL;
            shard->has_dead = true;
        } else {
            *link = node->next;
            free(node);
        }
        shard->count--;
        ret = NO_ERROR;
        break;
    }
done:
    LeaveCriticalSection(&shard->lock);
    return ret;
}

PWAH_HANDLE_CONTEXT WINAPI WahReferenceContextByHandle(PWAH_HANDLE_TABLE table, HANDLE handle)
{
    struct wah_shard *shard;
    struct wah_node *node;
    PWAH_HANDLE_CONTEXT found = NULL;

    /* Called on every socket call a layered provider handles: the table last found valid skips
       the pointer probe; any other pointer is probed once before it is read. */
    if (!table) return NULL;
    if (table != wah_last_valid) {
        if (!wah_table_valid(table)) return NULL;
        wah_last_valid = table;
    } else if (table->magic != WAH_TABLE_MAGIC) {
        return NULL;
    }
    shard = wah_shard_of(table, handle);
    EnterCriticalSection(&shard->lock);
    if (shard->bucket_count) {
        for (node = *wah_bucket(shard, handle); node; node = node->next) {
            if (node->context && node->context->Handle == handle) {
                found = node->context;
                InterlockedIncrement(&found->RefCount);
                break;
            }
        }
    }
    LeaveCriticalSection(&shard->lock);
    return found;
}

BOOL WINAPI WahEnumerateHandleContexts(PWAH_HANDLE_TABLE table, PWAH_HANDLE_ENUMERATE_PROC callback,
                                       void *context)
{
    BOOL go_on = TRUE;

    if (!wah_table_valid(table) || !callback) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    for (int i = 0; i < WAH_SHARDS && go_on; i++) {
        struct wah_shard *shard = &table->shards[i];
        EnterCriticalSection(&shard->lock);
        shard->enumerating++;
        for (ULONG b = 0; b < shard->bucket_count && go_on; b++) {
            for (struct wah_node *node = shard->buckets[b]; node && go_on; node = node->next)
                if (node->context) go_on = callback(context, node->context);
        }
        if (!--shard->enumerating && shard->has_dead) wah_shard_purge(shard);
        LeaveCriticalSection(&shard->lock);
    }
    return go_on;
}

/* ---- the APC helper ---- */

/* The helpers keep no state: their handles are the addresses of these markers. */
static const char wah_apc_marker = 'A';
static const char wah_notify_marker = 'N';
#define WAH_APC_HELPER    ((HANDLE)&wah_apc_marker)
#define WAH_NOTIFY_HELPER ((HANDLE)&wah_notify_marker)

DWORD WINAPI WahOpenApcHelper(HANDLE *helper)
{
    if (!ws_writable(helper, sizeof(*helper))) return ERROR_INVALID_PARAMETER;
    *helper = WAH_APC_HELPER;
    return NO_ERROR;
}

DWORD WINAPI WahCloseApcHelper(HANDLE helper)
{
    return helper == WAH_APC_HELPER ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

/* A real handle to the calling thread, which APCs can be queued to from any thread. */
DWORD WINAPI WahOpenCurrentThread(HANDLE helper, LPWSATHREADID thread)
{
    HANDLE process = GetCurrentProcess();

    if (helper != WAH_APC_HELPER || !ws_writable(thread, sizeof(*thread)))
        return ERROR_INVALID_PARAMETER;
    if (!DuplicateHandle(process, GetCurrentThread(), process, &thread->ThreadHandle, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return GetLastError();
    thread->Reserved = GetCurrentThreadId();
    return NO_ERROR;
}

DWORD WINAPI WahCloseThread(HANDLE helper, LPWSATHREADID thread)
{
    if (helper != WAH_APC_HELPER || !ws_writable(thread, sizeof(*thread)) || !thread->ThreadHandle)
        return ERROR_INVALID_PARAMETER;
    if (!CloseHandle(thread->ThreadHandle)) return GetLastError();
    thread->ThreadHandle = NULL;
    thread->Reserved = 0;
    return NO_ERROR;
}

/* The routine runs when the thread next waits alertably. */
DWORD WINAPI WahQueueUserApc(HANDLE helper, LPWSATHREADID thread, LPWSAUSERAPC routine,
                             ULONG_PTR context)
{
    if (helper != WAH_APC_HELPER || !ws_readable(thread, sizeof(*thread)) ||
        !thread->ThreadHandle || !routine)
        return ERROR_INVALID_PARAMETER;
    if (!QueueUserAPC((PAPCFUNC)(void *)routine, thread->ThreadHandle, context))
        return GetLastError();
    return NO_ERROR;
}

/* ---- the handle helper (ws2ifsl) ---- */

/* Windows opens its ws2ifsl driver's provider device; Wine has no such driver, so the open
   fails and its error is the result, as on a Windows where the driver is absent. */
DWORD WINAPI WahOpenHandleHelper(HANDLE *helper)
{
    static const WCHAR name[] = L"\\Device\\WS2IFSL\\NifsPvd";
    UNICODE_STRING path = {sizeof(name) - sizeof(WCHAR), sizeof(name), (WCHAR *)name};
    OBJECT_ATTRIBUTES attr = {0};
    IO_STATUS_BLOCK io;
    HANDLE device;
    NTSTATUS status;

    if (!ws_writable(helper, sizeof(*helper))) return ERROR_INVALID_PARAMETER;
    attr.Length = sizeof(attr);
    attr.ObjectName = &path;
    status = NtCreateFile(&device, GENERIC_READ | GENERIC_WRITE, &attr, &io, NULL,
                          FILE_ATTRIBUTE_NORMAL, 0, FILE_OPEN, 0, NULL, 0);
    if (status) return RtlNtStatusToDosError(status);
    /* A device of that name that is not ws2ifsl: we do not speak its protocol. */
    NtClose(device);
    return ERROR_NOT_SUPPORTED;
}

/* No handle helper can be open (see WahOpenHandleHelper), so every helper handle is invalid. */
DWORD WINAPI WahCloseHandleHelper(HANDLE helper)
{
    (void)helper;
    return ERROR_INVALID_PARAMETER;
}

DWORD WINAPI WahCreateSocketHandle(HANDLE helper, SOCKET *s)
{
    (void)helper;
    (void)s;
    return ERROR_INVALID_PARAMETER;
}

DWORD WINAPI WahCloseSocketHandle(HANDLE helper, SOCKET s)
{
    (void)helper;
    (void)s;
    return ERROR_INVALID_PARAMETER;
}

/* The provider finished an overlapped operation on socket S: complete its OVERLAPPED (status,
   bytes, event, completion port) as WPUCompleteOverlappedRequest does. */
DWORD WINAPI WahCompleteRequest(HANDLE helper, SOCKET s, LPWSAOVERLAPPED overlapped, DWORD error,
                                DWORD transferred)
{
    (void)helper;
    if (!overlapped) return ERROR_INVALID_PARAMETER;
    switch (wpu_complete_overlapped(s, overlapped, error, transferred)) {
    case 0: return NO_ERROR;
    case WSAEFAULT: return ERROR_INVALID_PARAMETER;
    default: return ERROR_INVALID_HANDLE;
    }
}

/* Windows installs and starts the ws2ifsl service here; without the driver there is no service
   to start. */
DWORD WINAPI WahEnableNonIFSHandleSupport(void)
{
    return ERROR_SERVICE_DOES_NOT_EXIST;
}

/* Without the driver, non-IFS handle support is already off. */
DWORD WINAPI WahDisableNonIFSHandleSupport(void)
{
    return NO_ERROR;
}

/* ---- the notification helper ---- */

/* Every listener, in every process of the prefix, is an instance of this pipe. */
static const WCHAR wah_pipe_name[] = L"\\\\.\\pipe\\OpenWS2\\WinsockCatalogChange";

DWORD WINAPI WahOpenNotificationHandleHelper(HANDLE *helper)
{
    if (!ws_writable(helper, sizeof(*helper))) return ERROR_INVALID_PARAMETER;
    *helper = WAH_NOTIFY_HELPER;
    return NO_ERROR;
}

DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE helper)
{
    return helper == WAH_NOTIFY_HELPER ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

/* A new listener: a pipe instance the caller closes with CloseHandle. */
DWORD WINAPI WahCreateNotificationHandle(HANDLE helper, HANDLE *notification)
{
    HANDLE pipe;

    if (helper != WAH_NOTIFY_HELPER || !ws_writable(notification, sizeof(*notification)))
        return ERROR_INVALID_PARAMETER;
    pipe = CreateNamedPipeW(wah_pipe_name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                            PIPE_TYPE_BYTE | PIPE_WAIT, PIPE_UNLIMITED_INSTANCES, 0, 0, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) return GetLastError();
    *notification = pipe;
    return NO_ERROR;
}

#ifndef FSCTL_PIPE_LISTEN
#define FSCTL_PIPE_LISTEN 0x00110008
#endif

/* A wait with a completion routine: the routine and the OVERLAPPED it reports. */
struct wah_wait {
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    LPWSAOVERLAPPED overlapped;
};

static void WINAPI wah_wait_done(void *context, IO_STATUS_BLOCK *io, ULONG reserved)
{
    struct wah_wait *wait = context;
    (void)reserved;
    wait->routine((DWORD)ws_error_from_status(io->Status), (DWORD)io->Information, wait->overlapped,
                  0);
    free(wait);
}

/*
 * Wait for the next change: the listener's pipe instance listens, and a change connects to it.
 * A connection left from the previous notification is dropped first, so each wait reports a
 * change made after it began. Without an OVERLAPPED the call blocks; with one it returns
 * ERROR_IO_PENDING and the change completes the OVERLAPPED (its event, or the completion port
 * the handle is associated with), or runs the completion routine in the waiting thread when it
 * next waits alertably.
 */
DWORD WINAPI WahWaitForNotification(HANDLE helper, HANDLE notification, LPWSAOVERLAPPED overlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    OVERLAPPED own = {0};
    DWORD error, ignored;

    if (helper != WAH_NOTIFY_HELPER || !notification || notification == INVALID_HANDLE_VALUE ||
        (routine && !overlapped) || (overlapped && !ws_writable(overlapped, sizeof(*overlapped))))
        return ERROR_INVALID_PARAMETER;
    DisconnectNamedPipe(notification);
    if (routine) {
        struct wah_wait *wait = malloc(sizeof(*wait));
        NTSTATUS status;
        if (!wait) return ERROR_NOT_ENOUGH_MEMORY;
        wait->routine = routine;
        wait->overlapped = overlapped;
        overlapped->Internal = STATUS_PENDING;
        status =
            NtFsControlFile(notification, NULL, wah_wait_done, wait, (IO_STATUS_BLOCK *)overlapped,
                            FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
        if (status == STATUS_PENDING) return ERROR_IO_PENDING;
        /* Finished at once: the routine is queued only for a success. */
        if (NT_ERROR(status)) free(wait);
        return RtlNtStatusToDosError(status);
    }
    if (overlapped) {
        if (ConnectNamedPipe(notification, overlapped)) return NO_ERROR;
        error = GetLastError();
        return error == ERROR_PIPE_CONNECTED ? NO_ERROR : error;
    }
    if (!(own.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL))) return GetLastError();
    error = NO_ERROR;
    if (!ConnectNamedPipe(notification, &own)) {
        error = GetLastError();
        if (error == ERROR_IO_PENDING)
            error =
                GetOverlappedResult(notification, &own, &ignored, TRUE) ? NO_ERROR : GetLastError();
        else if (error == ERROR_PIPE_CONNECTED)
            error = NO_ERROR;
    }
    CloseHandle(own.hEvent);
    return error;
}

/*
 * Connect to every listening instance. Each open takes one listening instance; when none is
 * left the open fails (busy, or not found when there are no listeners at all). The client ends
 * are held until then so that no instance is counted twice.
 */
DWORD WINAPI WahNotifyAllProcesses(HANDLE helper)
{
    HANDLE *opened = NULL;
    size_t count = 0, capacity = 0;
    DWORD ret = NO_ERROR;

    if (helper != WAH_NOTIFY_HELPER) return ERROR_INVALID_PARAMETER;
    for (;;) {
        HANDLE client = CreateFileW(wah_pipe_name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (client == INVALID_HANDLE_VALUE) {
            DWORD error = GetLastError();
            if (error != ERROR_PIPE_BUSY && error != ERROR_FILE_NOT_FOUND) ret = error;
            break;
        }
        if (count == capacity) {
            size_t grown = capacity ? capacity * 2 : 16;
            HANDLE *bigger = realloc(opened, grown * sizeof(*bigger));
            if (!bigger) {
                CloseHandle(client);
                ret = ERROR_NOT_ENOUGH_MEMORY;
                break;
            }
            opened = bigger;
            capacity = grown;
        }
        opened[count++] = client;
    }
    for (size_t i = 0; i < count; i++) CloseHandle(opened[i]);
    free(opened);
    return ret;
}

/* ---- LSP event logging ---- */

/* Windows records layered-provider changes in its event log; there is no event log to write to
   here, and nothing the caller could observe. */
DWORD WINAPI WahWriteLSPEvent(void)
{
    return NO_ERROR;
}
