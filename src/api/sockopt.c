/* Entry points: socket options and control codes. */
#include "openws2/core.h"
#include <mswsock.h>

/*
 * SO_OPENTYPE belongs to the calling thread, not to a socket: it says whether socket() makes
 * sockets without overlapped support. It needs no socket, so any handle (INVALID_SOCKET too) is
 * accepted. The thread block keeps the value as set (SO_SYNCHRONOUS_ALERT/NONALERT, 0 = default).
 * Lengths compare unsigned, as in Windows: -1 passes.
 */
static int get_opentype(char *value, int *len)
{
    struct ws_thread *t;
    if (!len || !ws_writable(len, sizeof(*len)) || (unsigned int)*len < sizeof(int) ||
        !ws_writable(value, sizeof(int)))
        return ws_fail(WSAEFAULT);
    if (!(t = ws_thread_get())) return ws_fail(WSAENOBUFS);
    *(int *)value = t->open_nonoverlapped;
    *len = sizeof(int);
    SetLastError(0);
    return 0;
}

static int set_opentype(const char *value, int len)
{
    struct ws_thread *t;
    if ((unsigned int)len < sizeof(int) || !ws_readable(value, sizeof(int)))
        return ws_fail(WSAEFAULT);
    if (!(t = ws_thread_get())) return ws_fail(WSAENOBUFS);
    t->open_nonoverlapped = *(const int *)value;
    SetLastError(0);
    return 0;
}

int WSAAPI getsockopt(SOCKET s, int level, int name, char *value, int *len)
{
    int err;
    struct ws_socket *sock;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (level == SOL_SOCKET && name == SO_OPENTYPE) return get_opentype(value, len);
    if (!(sock = ws_enter(s, &err))) return ws_fail(err);
    if (!len || !ws_writable(len, sizeof(*len)) || *len <= 0) return ws_fail(WSAEFAULT);
    if (sock->provider->procs.lpWSPGetSockOpt(s, level, name, value, len, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}

int WSAAPI setsockopt(SOCKET s, int level, int name, const char *value, int len)
{
    int err;
    struct ws_socket *sock;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (level == SOL_SOCKET && name == SO_OPENTYPE) return set_opentype(value, len);
    if (!(sock = ws_enter(s, &err))) return ws_fail(err);
    if (sock->provider->procs.lpWSPSetSockOpt(s, level, name, value, len, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}

int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp)
{
    int err;
    DWORD returned;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    /* FIONBIO reads *argp; the queries write it. */
    if (cmd == (LONG)FIONBIO ? !ws_readable(argp, sizeof(*argp))
                             : !ws_writable(argp, sizeof(*argp)))
        return ws_fail(WSAEFAULT);
    if (sock->provider->procs.lpWSPIoctl(s, (DWORD)cmd, argp, sizeof(*argp), argp, sizeof(*argp),
                                         &returned, NULL, NULL, NULL, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}

int WSAAPI WSAIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                    LPDWORD returned, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    /* Windows wants the byte count even for an overlapped request. */
    if (!returned || !ws_writable(returned, sizeof(*returned))) return ws_fail(WSAEFAULT);
    if (ov && !ws_writable(ov, sizeof(*ov))) return ws_fail(WSAEFAULT);
    if (sock->provider->procs.lpWSPIoctl(s, code, in, in_len, out, out_len, returned, ov, routine,
                                         NULL, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}
