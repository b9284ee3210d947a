/*
 * The WinSock 1.1 blocking hooks: WSASetBlockingHook, WSAUnhookBlockingHook, WSAIsBlocking and
 * WSACancelBlockingCall.
 *
 * Winsock 2 removed them: a caller that negotiated 2.x gets WSAEOPNOTSUPP from each. A caller
 * that asked for 1.x gets the 1.1 behaviour, per thread as in Win32: by default a blocking call
 * simply waits; once the thread installs a hook, its blocking calls run the hook repeatedly
 * until they finish, WSAIsBlocking is TRUE inside it, and WSACancelBlockingCall from the hook
 * ends the call with WSAEINTR. A final WSACleanup forgets every thread's hook.
 */
#include "openws2/core.h"

/* How long a hooked blocking call sleeps when the hook reports that it found no work. */
#define HOOK_IDLE_MS 10

static bool winsock1_caller(int *err)
{
    if (!ws_started()) {
        *err = WSANOTINITIALISED;
        return false;
    }
    if (LOBYTE(ws_negotiated_version()) >= 2) {
        *err = WSAEOPNOTSUPP;
        return false;
    }
    return true;
}

/*
 * The default hook that WSASetBlockingHook returns as the previous one: it dispatches one
 * pending window message and returns TRUE if there was one, as the 1.1 specification's default
 * hook does. A process that never loaded user32 has no windows, so no messages.
 */
static BOOL WINAPI default_blocking_hook(void)
{
    typedef BOOL(WINAPI * peek_fn)(MSG *, HWND, UINT, UINT, UINT);
    typedef BOOL(WINAPI * translate_fn)(const MSG *);
    typedef LRESULT(WINAPI * dispatch_fn)(const MSG *);
    peek_fn peek = (peek_fn)(void *)ws_user32_proc("PeekMessageW");
    translate_fn translate = (translate_fn)(void *)ws_user32_proc("TranslateMessage");
    dispatch_fn dispatch = (dispatch_fn)(void *)ws_user32_proc("DispatchMessageW");
    MSG msg;

    if (!peek || !translate || !dispatch || !peek(&msg, NULL, 0, 0, PM_REMOVE)) return FALSE;
    translate(&msg);
    dispatch(&msg);
    return TRUE;
}

static struct ws_thread *hook_block(void)
{
    struct ws_thread *t = ws_thread_get();
    if (t && t->hook_epoch != ws_cleanup_epoch) {
        t->blocking_hook = NULL; /* installed before a final WSACleanup */
        t->hook_epoch = ws_cleanup_epoch;
    }
    return t;
}

struct ws_thread *ws_blocking_hooked(void)
{
    struct ws_thread *t;
    if (LOBYTE(ws_negotiated_version()) >= 2) return NULL;
    t = hook_block();
    return t && t->blocking_hook ? t : NULL;
}

void ws_blocking_wait(struct ws_thread *t, SOCKET s, HANDLE event, IO_STATUS_BLOCK *io)
{
    FARPROC hook = t->blocking_hook;
    t->blocking_socket = s;
    t->blocking_io = io;
    while (WaitForSingleObject(event, 0) == WAIT_TIMEOUT) {
        if (!((BOOL(WINAPI *)(void))(void *)hook)()) WaitForSingleObject(event, HOOK_IDLE_MS);
    }
    t->blocking_io = NULL;
}

FARPROC WSAAPI WSASetBlockingHook(FARPROC lpBlockFunc)
{
    struct ws_thread *t;
    FARPROC previous;
    int err;

    if (!winsock1_caller(&err)) {
        SetLastError(err);
        return NULL;
    }
    if (!lpBlockFunc) {
        SetLastError(WSAEFAULT);
        return NULL;
    }
    if (!(t = hook_block())) {
        SetLastError(WSAENOBUFS);
        return NULL;
    }
    if (t->blocking_io) {
        SetLastError(WSAEINPROGRESS); /* called from inside a hook */
        return NULL;
    }
    previous = t->blocking_hook ? t->blocking_hook : (FARPROC)(void *)default_blocking_hook;
    /* Installing the default hook is the same as unhooking. */
    t->blocking_hook = lpBlockFunc == (FARPROC)(void *)default_blocking_hook ? NULL : lpBlockFunc;
    ws_note_cleanup_work(); /* the final WSACleanup forgets it */
    return previous;
}

int WSAAPI WSAUnhookBlockingHook(void)
{
    struct ws_thread *t;
    int err;

    if (!winsock1_caller(&err)) return ws_fail(err);
    if ((t = hook_block())) {
        if (t->blocking_io) return ws_fail(WSAEINPROGRESS);
        t->blocking_hook = NULL;
    }
    return 0;
}

BOOL WSAAPI WSAIsBlocking(void)
{
    struct ws_thread *t;
    int err;

    if (!winsock1_caller(&err)) return FALSE;
    t = hook_block();
    return t && t->blocking_io;
}

int WSAAPI WSACancelBlockingCall(void)
{
    struct ws_thread *t;
    IO_STATUS_BLOCK cancel_io;
    int err;

    if (!winsock1_caller(&err)) return ws_fail(err);
    t = hook_block();
    if (!t || !t->blocking_io) return ws_fail(WSAEINVAL);
    NtCancelIoFileEx((HANDLE)t->blocking_socket, t->blocking_io, &cancel_io);
    return 0;
}
