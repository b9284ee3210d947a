/*
 * The lifecycle: WSAStartup / WSACleanup, the process-wide reference count, and DllMain.
 *
 * WSAStartup counts; only the final WSACleanup does work. It walks the socket table and, for
 * every socket, aborts the pending operations (WSA_OPERATION_ABORTED, with neither the event set
 * nor the completion routine run, as the WSACleanup reference page states), makes blocking
 * calls in other threads return, and closes the socket as closesocket would. Then it releases
 * per-thread state and the providers.
 *
 * Nothing here loads a library or starts or joins a thread, so WSAStartup is safe from another
 * DLL's DllMain, under the loader lock.
 */
#include "openws2/core.h"

volatile LONG ws_startup_count;
volatile LONG ws_cleanup_work;
volatile LONG ws_cleanup_epoch;
static WORD ws_version; /* the version the last successful WSAStartup negotiated */

/*
 * The count while the final WSACleanup does its work: far below zero, so every call sees
 * Winsock as not started. Each WSAStartup and WSACleanup is one atomic add; a call that finds
 * the count at or below zero takes its add back. While a cleanup works, such adds only move the
 * count around COUNT_CLEANING; the cleanup ends by adding -COUNT_CLEANING, which leaves the adds
 * not yet taken back, and they bring the count to zero.
 */
#define COUNT_CLEANING (LONG_MIN / 2)

/* Startups waiting for a final cleanup at work; the cleanup wakes them only if there are any,
   so an uncontended cleanup takes no lock and makes no wake call. */
static volatile LONG cleanup_waiters;

/* The providers the core reaches sockets through; the final cleanup releases them. */
static const struct ws_provider *const providers[] = {&afd_provider};

WORD ws_negotiated_version(void)
{
    return ws_version;
}

/* The reference page's table: 1.0 and 1.1 as asked, 1.x above that gives 1.1, 2.0 to 2.2 as
   asked, anything higher gives 2.2; a major version of 0 is not supported. */
static WORD negotiate(WORD requested)
{
    BYTE major = LOBYTE(requested), minor = HIBYTE(requested);
    if (major == 1) return minor > 1 ? MAKEWORD(1, 1) : requested;
    if (major == 2) return minor > 2 ? MAKEWORD(2, 2) : requested;
    return MAKEWORD(2, 2);
}

/* Wait until the count is no longer SEEN: a final cleanup at work is waited for, another
   call's add about to be taken back is only yielded to. */
static void wait_count_moves(LONG seen)
{
    if (seen <= COUNT_CLEANING / 2) {
        /* Announce the wait before checking again; the cleanup publishes the count before it
           reads the waiters (both are full barriers), so one side sees the other. */
        InterlockedIncrement(&cleanup_waiters);
        RtlWaitOnAddress((const void *)&ws_startup_count, &seen, sizeof(seen), NULL);
        InterlockedDecrement(&cleanup_waiters);
    } else {
        YieldProcessor();
    }
}

/* The add of a WSAStartup found the count at or below zero: take it back, wait for the count
   to move, try again. */
static __attribute__((noinline)) int startup_contended(void)
{
    do {
        wait_count_moves(InterlockedDecrement(&ws_startup_count));
    } while (InterlockedIncrement(&ws_startup_count) <= 0);
    return 0;
}

int WSAAPI WSAStartup(WORD requested, LPWSADATA data)
{
    WORD version = negotiate(requested);

    if (data) {
        if (!ws_writable(data, sizeof(*data))) return WSAEFAULT;
        data->wVersion = version;
        data->wHighVersion = MAKEWORD(2, 2);
        strcpy(data->szDescription, "WinSock 2.0");
        strcpy(data->szSystemStatus, "Running");
        /* Windows reports the WinSock 1.1 limits only to 1.x callers; 2.x callers get 0. */
        data->iMaxSockets = LOBYTE(requested) == 1 ? 32767 : 0;
        data->iMaxUdpDg = LOBYTE(requested) == 1 ? 65467 : 0;
        /* lpVendorInfo is left as the caller had it: Windows does not fill it. */
    }
    if (!LOBYTE(requested)) return WSAVERNOTSUPPORTED;
    if (!data) return WSAEFAULT;

    ws_version = version;
    if (InterlockedIncrement(&ws_startup_count) > 0) return 0;
    return startup_contended();
}

/* How long the cleanup waits for the kernel to finish cancelling one operation. */
#define CANCEL_WAIT_MS 2000

/*
 * Abort the event-based overlapped operations recorded on a socket so that their events end
 * up unsignalled. Wine's socket device sets an operation's event when it completes, cancelled
 * or not, so the event is reset once the cancelled status is final. An operation is only
 * touched after the kernel confirms it was still pending with that status block, so the
 * memory is the program's live OVERLAPPED. (A thread already blocked on such an event may still
 * wake; see docs/DESIGN.md.)
 */
static void abort_recorded(struct ws_socket *sock)
{
    struct ws_pending *pending = sock->pending;
    IO_STATUS_BLOCK io;

    if (!pending) return;
    for (unsigned int i = 0; i < WS_PENDING_SLOTS; i++) {
        IO_STATUS_BLOCK *iosb = pending[i].iosb;
        HANDLE event = pending[i].event;
        if (!iosb) continue;
        pending[i].iosb = NULL;
        if (NtCancelIoFileEx((HANDLE)sock->handle, iosb, &io)) continue; /* not pending */
        DWORD start = GetTickCount();
        while (*(volatile NTSTATUS *)&iosb->Status == STATUS_PENDING &&
               GetTickCount() - start < CANCEL_WAIT_MS)
            SleepEx(1, FALSE);
        if (event) ResetEvent(event);
    }
}

static void abort_pending(struct ws_socket *sock, void *ctx)
{
    IO_STATUS_BLOCK io;
    (void)ctx;
    abort_recorded(sock);
    /* The rest: blocking calls of other threads and operations with a completion routine or
       a completion port. Cancelling before closing gives them STATUS_CANCELLED. */
    NtCancelIoFileEx((HANDLE)sock->handle, NULL, &io);
}

static void close_socket(struct ws_socket *sock, void *ctx)
{
    int err;
    (void)ctx;
    if (sock->provider->procs.lpWSPCloseSocket)
        sock->provider->procs.lpWSPCloseSocket(sock->handle, &err);
    sock_table_remove(sock);
}

static int cleanup_final(void);

/* The cleanup whose add took the count to zero: the final one, unless a startup came in. */
static __attribute__((noinline)) int cleanup_last(void)
{
    /* Ours was the last count: claim the final cleanup, unless a startup has come in since
       (then this cleanup was not the final one after all). */
    for (;;) {
        LONG seen = InterlockedCompareExchange(&ws_startup_count, COUNT_CLEANING, 0);
        if (!seen) break;
        if (seen > 0) {
            ws_set_last_error(0);
            return 0;
        }
        wait_count_moves(seen);
    }
    return cleanup_final();
}

/* The final cleanup, with the count at COUNT_CLEANING. */
static __attribute__((noinline)) int cleanup_final(void)
{
    ws_cleanup_work = 0;
    /* From here on, completion routines of operations issued before now are not run, and
       blocking hooks installed before now are forgotten. */
    InterlockedIncrement(&ws_cleanup_epoch);
    /* Abort everything before closing anything: closing one end of a local connection would
       otherwise complete the other end's pending receive with end-of-stream. */
    sock_table_for_each(abort_pending, NULL);
    sock_table_for_each(close_socket, NULL);
    ws_thread_release_all();
    for (size_t i = 0; i < ARRAY_COUNT(providers); i++) {
        int err;
        if (providers[i]->procs.lpWSPCleanup) providers[i]->procs.lpWSPCleanup(&err);
    }
    ns_cleanup();
    ws_asyncdb_cleanup();
    ws_addrinfo_cleanup();
    InterlockedAdd(&ws_startup_count, -COUNT_CLEANING);
    if (cleanup_waiters) RtlWakeAddressAll((const void *)&ws_startup_count);
    ws_set_last_error(0);
    return 0;
}

int WSAAPI WSACleanup(void)
{
    LONG count = InterlockedDecrement(&ws_startup_count);

    if (count < 0) {
        InterlockedIncrement(&ws_startup_count); /* not started, or a final cleanup at work */
        return ws_fail(WSANOTINITIALISED);
    }
    /* Every call but the final one only counts down, and so does a final one with nothing to
       end or free; Windows clears the last error on success. */
    if (count || !ws_cleanup_work) {
        ws_set_last_error(0);
        return 0;
    }
    return cleanup_last();
}

/* The Winsock last error is the thread's last-error value: programs mix the two APIs. */
int WSAAPI WSAGetLastError(void)
{
    return (int)ws_get_last_error();
}

void WSAAPI WSASetLastError(int error)
{
    ws_set_last_error((DWORD)error);
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)reserved;
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        (void)instance; /* thread notifications stay on: the per-thread block is freed at detach */
        return ws_thread_init();
    case DLL_THREAD_DETACH:
        ws_thread_detach();
        break;
    }
    return TRUE;
}
