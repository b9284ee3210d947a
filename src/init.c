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
volatile LONG ws_cleanup_epoch;
static WORD ws_version; /* the version the last successful WSAStartup negotiated */

/* The count while the final WSACleanup does its work: below zero, so every call sees Winsock
   as not started, and no startup can count up from it. */
#define COUNT_CLEANING LONG_MIN

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
    /* One compare-and-swap, from zero too; only a final cleanup at work makes us wait. */
    for (;;) {
        LONG count = ws_startup_count;
        if (count == COUNT_CLEANING) {
            /* Announce the wait before checking again; the cleanup publishes the count before
               it reads the waiters (both are full barriers), so one side sees the other. */
            InterlockedIncrement(&cleanup_waiters);
            RtlWaitOnAddress((const void *)&ws_startup_count, &count, sizeof(count), NULL);
            InterlockedDecrement(&cleanup_waiters);
            continue;
        }
        if (InterlockedCompareExchange(&ws_startup_count, count + 1, count) == count) return 0;
    }
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

int WSAAPI WSACleanup(void)
{
    LONG count;

    /* Every call but the final one only counts down. */
    for (;;) {
        count = ws_startup_count;
        if (count <= 0) return ws_fail(WSANOTINITIALISED); /* also while a cleanup works */
        if (count == 1) break;
        if (InterlockedCompareExchange(&ws_startup_count, count - 1, count) == count) {
            SetLastError(0); /* Windows clears the last error on success */
            return 0;
        }
    }
    if (InterlockedCompareExchange(&ws_startup_count, COUNT_CLEANING, 1) != 1)
        return WSACleanup(); /* another startup or cleanup came first: count again */
    /* From here on, completion routines of operations issued before now are not run. */
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
    InterlockedExchange(&ws_startup_count, 0);
    if (cleanup_waiters) RtlWakeAddressAll((const void *)&ws_startup_count);
    SetLastError(0);
    return 0;
}

/* The Winsock last error is the thread's last-error value: programs mix the two APIs. */
int WSAAPI WSAGetLastError(void)
{
    return (int)GetLastError();
}

void WSAAPI WSASetLastError(int error)
{
    SetLastError((DWORD)error);
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
