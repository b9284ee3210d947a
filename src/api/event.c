/*
 * Entry points: event objects and select-style notification (WSAEventSelect,
 * WSAEnumNetworkEvents, WSAAsyncSelect).
 */
#include "openws2/core.h"

/* ---- event objects: kernel events; like Windows, these work without WSAStartup ---- */

WSAEVENT WSAAPI WSACreateEvent(void)
{
    /* Manual reset, nonsignaled, unnamed, not inheritable; on failure CreateEventW has set
       ERROR_NOT_ENOUGH_MEMORY, which is WSA_NOT_ENOUGH_MEMORY. */
    return CreateEventW(NULL, TRUE, FALSE, NULL);
}

BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
    if (CloseHandle(hEvent)) return TRUE;
    SetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

/* ERROR_INVALID_HANDLE from kernel32 is WSA_INVALID_HANDLE: the same value. */
BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
    return SetEvent(hEvent);
}

BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
    return ResetEvent(hEvent);
}

DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                      DWORD dwTimeout, BOOL fAlertable)
{
    if (!cEvents || cEvents > WSA_MAXIMUM_WAIT_EVENTS ||
        !ws_readable(lphEvents, cEvents * sizeof(*lphEvents))) {
        SetLastError(WSA_INVALID_PARAMETER);
        return WSA_WAIT_FAILED;
    }
    /* WSA_WAIT_EVENT_0, WSA_WAIT_IO_COMPLETION, WSA_WAIT_TIMEOUT and WSA_WAIT_FAILED are the
       kernel32 values. */
    return WaitForMultipleObjectsEx(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
}

/* ---- select-style notification: on success the last error is left alone ---- */

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    if (sock->provider->procs.lpWSPEventSelect(s, hEventObject, lNetworkEvents, &err))
        return ws_fail(err);
    return 0;
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    if (!ws_writable(lpNetworkEvents, sizeof(*lpNetworkEvents))) return ws_fail(WSAEFAULT);
    if (sock->provider->procs.lpWSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, &err))
        return ws_fail(err);
    return 0;
}

FARPROC ws_user32_proc(const char *name)
{
    HMODULE user32 = GetModuleHandleW(L"user32.dll");
    return user32 ? GetProcAddress(user32, name) : NULL;
}

/* Whether hWnd names an existing window. A program that made a window has user32 loaded, and a
   program that has not loaded it has no window. */
static bool is_window(HWND hWnd)
{
    static BOOL(WINAPI * volatile is_window_fn)(HWND);
    BOOL(WINAPI * fn)(HWND) = is_window_fn;

    if (!hWnd) return false;
    if (!fn) {
        if (!(fn = (BOOL(WINAPI *)(HWND))(void *)ws_user32_proc("IsWindow"))) return false;
        is_window_fn = fn;
    }
    return fn(hWnd);
}

int WSAAPI WSAAsyncSelect(SOCKET s, HWND hWnd, u_int wMsg, long lEvent)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    /* Cancelling (lEvent 0) needs no window. */
    if (lEvent && !is_window(hWnd)) return ws_fail(WSAEINVAL);
    if (sock->provider->procs.lpWSPAsyncSelect(s, hWnd, wMsg, lEvent, &err)) return ws_fail(err);
    return 0;
}
