/*
 * The asynchronous database calls (WSAAsyncGetHostByName/ByAddr, WSAAsyncGetServByName/ByPort,
 * WSAAsyncGetProtoByName/ByNumber) and WSACancelAsyncRequest.
 *
 * Each request runs on a worker thread of its own, made by the call (never at DllMain). The
 * worker does the lookup of the synchronous function, lays the result out in the caller's
 * buffer exactly as the synchronous function lays out its own (the structure first, pointers
 * into the same buffer) and posts the window its message: wParam the task handle, lParam
 * WSAMAKEASYNCREPLY(bytes, error); with WSAENOBUFS the bytes are the size the result needs.
 * As the reference pages state, the arguments are only checked when the lookup runs, so a bad
 * one is reported in the message, not by the call.
 */
#include "openws2/core.h"
#include "../resolve/db.h"
#include <string.h>

enum async_kind {
    HOST_BY_NAME,
    HOST_BY_ADDR,
    SERV_BY_NAME,
    SERV_BY_PORT,
    PROTO_BY_NAME,
    PROTO_BY_NUMBER
};

enum async_state { ASYNC_RUNNING, ASYNC_CANCELLED };

struct async_request {
    struct async_request *next;
    ULONG handle;
    enum async_state state;
    enum async_kind kind;
    HWND window;
    UINT message;
    char *buffer;
    int buffer_len;
    /* the question, copied when the request is made */
    char *name, *proto;           /* NULL: none given */
    bool name_fault, proto_fault; /* the pointer given could not be read */
    int number, len, type;
    BYTE addr[16];   /* a copy of the address given */
    bool addr_fault; /* the address given was NULL or could not be read */
    HMODULE module;  /* the reference on the DLL the worker holds */
    char strings[];
};

/* Requests still running (their message not yet posted), for WSACancelAsyncRequest. */
static SRWLOCK requests_lock = SRWLOCK_INIT;
static struct async_request *requests;
/* Task handles are numbered from 1; a handle at most LAST_HANDLE was given out. */
static ULONG last_handle;

static int run_lookup(struct async_request *r, struct ws_db_entry *e)
{
    switch (r->kind) {
    case HOST_BY_NAME:
        if (r->name_fault) return WSAEFAULT;
        return ws_host_by_name(r->name, AF_INET, e);
    case HOST_BY_ADDR: return ws_host_by_addr(r->addr_fault ? NULL : r->addr, r->len, r->type, e);
    case SERV_BY_NAME:
        if (r->name_fault || !r->name || r->proto_fault) return WSAEFAULT;
        return ws_service_lookup(r->name, 0, r->proto, e);
    case SERV_BY_PORT:
        if (r->proto_fault) return WSAEFAULT;
        return ws_service_lookup(NULL, r->number, r->proto, e);
    case PROTO_BY_NAME:
        if (r->name_fault || !r->name) return WSAEFAULT;
        return ws_protocol_lookup(r->name, 0, e);
    case PROTO_BY_NUMBER: return ws_protocol_lookup(NULL, r->number, e);
    }
    return WSANO_RECOVERY;
}

static size_t layout_size(enum async_kind kind, const struct ws_db_entry *e)
{
    if (kind == HOST_BY_NAME || kind == HOST_BY_ADDR) return ws_hostent_size(e);
    if (kind == SERV_BY_NAME || kind == SERV_BY_PORT) return ws_servent_size(e);
    return ws_protoent_size(e);
}

static void layout(enum async_kind kind, const struct ws_db_entry *e, void *buffer)
{
    if (kind == HOST_BY_NAME || kind == HOST_BY_ADDR)
        ws_hostent_layout(e, buffer);
    else if (kind == SERV_BY_NAME || kind == SERV_BY_PORT)
        ws_servent_layout(e, buffer);
    else
        ws_protoent_layout(e, buffer);
}

static void unlink_request(struct async_request *r)
{
    for (struct async_request **p = &requests; *p; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            return;
        }
    }
}

static DWORD WINAPI async_worker(void *arg)
{
    struct async_request *r = arg;
    struct ws_db_entry *e = HeapAlloc(GetProcessHeap(), 0, sizeof(*e));
    HMODULE self = r->module;
    int err = e ? run_lookup(r, e) : WSAENOBUFS;
    size_t need = err ? 0 : layout_size(r->kind, e);

    if (!err && need > 0xffff) err = WSANO_RECOVERY; /* cannot be reported in 16 bits */
    if (!err && (r->buffer_len < 0 || need > (size_t)r->buffer_len)) err = WSAENOBUFS;
    if (!err && !ws_writable(r->buffer, need)) err = WSAEFAULT;

    /* The check for cancellation and the reply are one step: once WSACancelAsyncRequest has
       succeeded, neither the buffer nor the window hears from the request. Nor once the final
       WSACleanup has begun: a lookup that ends while it runs is cancelled by it. */
    AcquireSRWLockExclusive(&requests_lock);
    unlink_request(r);
    if (r->state != ASYNC_CANCELLED && ws_started()) {
        if (!err) layout(r->kind, e, r->buffer);
        ws_post_message(r->window, r->message, (WPARAM)(ULONG_PTR)r->handle,
                        WSAMAKEASYNCREPLY((u_short)(err == WSAENOBUFS || !err ? need : 0), err));
    }
    ReleaseSRWLockExclusive(&requests_lock);

    HeapFree(GetProcessHeap(), 0, e);
    HeapFree(GetProcessHeap(), 0, r);
    /* The thread holds a reference on the DLL (taken when it was made): drop it on the way out,
       so that a program unloading the DLL meanwhile does not pull the code from under it. */
    FreeLibraryAndExitThread(self, 0);
    return 0;
}

/* A copy of the string S in the request's tail at *TAIL; FAULT set if it cannot be read. */
static char *keep_string(char **tail, const char *s, bool *fault)
{
    char *copy;
    if (!s) return NULL;
    if (IsBadStringPtrA(s, (UINT_PTR)-1)) {
        *fault = true;
        return NULL;
    }
    copy = *tail;
    strcpy(copy, s);
    *tail += strlen(s) + 1;
    return copy;
}

static size_t string_room(const char *s)
{
    if (!s || IsBadStringPtrA(s, (UINT_PTR)-1)) return 0;
    return strlen(s) + 1;
}

/* Start a request: NULL (WSANOTINITIALISED, WSAEWOULDBLOCK) or its task handle. */
static HANDLE async_start(enum async_kind kind, HWND window, UINT message, const char *name,
                          const char *proto, int number, const char *addr, int len, int type,
                          char *buffer, int buffer_len)
{
    struct async_request *r;
    HANDLE thread;
    ULONG handle;
    char *tail;

    if (!ws_started()) {
        SetLastError(WSANOTINITIALISED);
        return NULL;
    }
    r = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                  sizeof(*r) + string_room(name) + string_room(proto));
    if (!r) {
        SetLastError(WSAEWOULDBLOCK);
        return NULL;
    }
    r->kind = kind;
    r->window = window;
    r->message = message;
    r->buffer = buffer;
    r->buffer_len = buffer_len;
    r->number = number;
    r->len = len;
    r->type = type;
    tail = r->strings;
    r->name = keep_string(&tail, name, &r->name_fault);
    r->proto = keep_string(&tail, proto, &r->proto_fault);
    if (kind == HOST_BY_ADDR) {
        /* The address is read now, as much of it as gethostbyaddr reads; one that cannot be
           read is reported by the lookup, in the order gethostbyaddr checks its arguments. */
        size_t n = len < 0 ? 0 : (size_t)len < sizeof(r->addr) ? (size_t)len : sizeof(r->addr);
        if (addr && ws_readable(addr, n ? n : 1))
            memcpy(r->addr, addr, n);
        else
            r->addr_fault = true;
    }

    /* The worker keeps the DLL loaded until it is done. */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                            (const WCHAR *)(void *)async_worker, &r->module)) {
        HeapFree(GetProcessHeap(), 0, r);
        SetLastError(WSAEWOULDBLOCK);
        return NULL;
    }

    AcquireSRWLockExclusive(&requests_lock);
    if (!++last_handle) ++last_handle;
    handle = r->handle = last_handle;
    r->next = requests;
    requests = r;
    ws_note_cleanup_work();
    thread = CreateThread(NULL, 0, async_worker, r, 0, NULL);
    if (!thread) unlink_request(r);
    ReleaseSRWLockExclusive(&requests_lock);

    if (!thread) {
        FreeLibrary(r->module);
        HeapFree(GetProcessHeap(), 0, r);
        SetLastError(WSAEWOULDBLOCK);
        return NULL;
    }
    CloseHandle(thread);
    /* Not r->handle: the worker may have finished and freed the request already. */
    return (HANDLE)(ULONG_PTR)handle;
}

HANDLE WSAAPI WSAAsyncGetHostByName(HWND hWnd, u_int wMsg, const char *name, char *buf, int buflen)
{
    return async_start(HOST_BY_NAME, hWnd, wMsg, name, NULL, 0, NULL, 0, 0, buf, buflen);
}

HANDLE WSAAPI WSAAsyncGetHostByAddr(HWND hWnd, u_int wMsg, const char *addr, int len, int type,
                                    char *buf, int buflen)
{
    return async_start(HOST_BY_ADDR, hWnd, wMsg, NULL, NULL, 0, addr, len, type, buf, buflen);
}

HANDLE WSAAPI WSAAsyncGetServByName(HWND hWnd, u_int wMsg, const char *name, const char *proto,
                                    char *buf, int buflen)
{
    return async_start(SERV_BY_NAME, hWnd, wMsg, name, proto, 0, NULL, 0, 0, buf, buflen);
}

HANDLE WSAAPI WSAAsyncGetServByPort(HWND hWnd, u_int wMsg, int port, const char *proto, char *buf,
                                    int buflen)
{
    return async_start(SERV_BY_PORT, hWnd, wMsg, NULL, proto, port, NULL, 0, 0, buf, buflen);
}

HANDLE WSAAPI WSAAsyncGetProtoByName(HWND hWnd, u_int wMsg, const char *name, char *buf, int buflen)
{
    return async_start(PROTO_BY_NAME, hWnd, wMsg, name, NULL, 0, NULL, 0, 0, buf, buflen);
}

HANDLE WSAAPI WSAAsyncGetProtoByNumber(HWND hWnd, u_int wMsg, int number, char *buf, int buflen)
{
    return async_start(PROTO_BY_NUMBER, hWnd, wMsg, NULL, NULL, number, NULL, 0, 0, buf, buflen);
}

/*
 * A running request is cancelled: its message is never posted and its buffer never written. A
 * handle that was given out but whose request has completed (or was cancelled already) gives
 * WSAEALREADY; any other value WSAEINVAL.
 */
int WSAAPI WSACancelAsyncRequest(HANDLE hAsyncTaskHandle)
{
    ULONG_PTR handle = (ULONG_PTR)hAsyncTaskHandle;
    int err = WSAEINVAL;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    AcquireSRWLockExclusive(&requests_lock);
    if (handle && handle <= last_handle) {
        err = WSAEALREADY;
        for (struct async_request *r = requests; r; r = r->next) {
            if (r->handle == handle && r->state == ASYNC_RUNNING) {
                r->state = ASYNC_CANCELLED;
                err = 0;
                break;
            }
        }
    }
    ReleaseSRWLockExclusive(&requests_lock);
    return err ? ws_fail(err) : 0;
}

/* The final WSACleanup: every request still running is cancelled, so that it writes no buffer
   and posts no message (the WSACleanup page: pending asynchronous calls end without a
   notification). Their workers end on their own. */
void ws_asyncdb_cleanup(void)
{
    AcquireSRWLockExclusive(&requests_lock);
    for (struct async_request *r = requests; r; r = r->next) r->state = ASYNC_CANCELLED;
    ReleaseSRWLockExclusive(&requests_lock);
}
