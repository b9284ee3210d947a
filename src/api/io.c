/*
 * Entry points of the data path. Each builds at most a one-element WSABUF on the stack and makes
 * one provider call: no allocation, no lock.
 */
#include "openws2/core.h"

static int recv_common(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                       struct sockaddr *from, LPINT from_len, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (!ws_writable(flags, sizeof(*flags)) || (!ov && !received)) return ws_fail(WSAEFAULT);
    /* No buffer at all (not even an empty one) is an invalid argument. */
    if (!count) return ws_fail(WSAEINVAL);
    /* Memory the provider reads or writes before the device sees the call. */
    if (!ws_readable(bufs, (size_t)count * sizeof(*bufs)) ||
        (received && !ws_writable(received, sizeof(*received))) ||
        (ov && !ws_writable(ov, sizeof(*ov))))
        return ws_fail(WSAEFAULT);
    /* The source address must fit, or the datagram would be consumed for nothing. */
    if (from && (!from_len || !ws_writable(from_len, sizeof(*from_len)) ||
                 *from_len < ws_sockaddr_len(sock->family) || !ws_writable(from, *from_len)))
        return ws_fail(WSAEFAULT);
    if (sock->provider->procs.lpWSPRecvFrom(s, bufs, count, received, flags, from, from_len, ov,
                                            routine, NULL, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}

static int send_common(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                       const struct sockaddr *to, int to_len, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (!ov && !sent) return ws_fail(WSAEFAULT);
    if ((count && !ws_readable(bufs, (size_t)count * sizeof(*bufs))) ||
        (sent && !ws_writable(sent, sizeof(*sent))) || (ov && !ws_writable(ov, sizeof(*ov))) ||
        (to && sock->type != SOCK_STREAM &&
         (to_len < 0 || (to_len > 0 && !ws_readable(to, (size_t)to_len)))))
        return ws_fail(WSAEFAULT);
    if (sock->provider->procs.lpWSPSendTo(s, bufs, count, sent, flags, to, to_len, ov, routine,
                                          NULL, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    WSABUF wsabuf = {(ULONG)len, buf};
    DWORD received = 0, dwflags = (DWORD)flags;
    if (recv_common(s, &wsabuf, 1, &received, &dwflags, NULL, NULL, NULL, NULL)) {
        /* A truncated datagram still delivers what fitted; the call fails with WSAEMSGSIZE. */
        return SOCKET_ERROR;
    }
    return (int)received;
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *from_len)
{
    WSABUF wsabuf = {(ULONG)len, buf};
    DWORD received = 0, dwflags = (DWORD)flags;
    if (recv_common(s, &wsabuf, 1, &received, &dwflags, from, from_len, NULL, NULL))
        return SOCKET_ERROR;
    return (int)received;
}

int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    WSABUF wsabuf = {(ULONG)len, (char *)buf};
    DWORD sent = 0;
    if (send_common(s, &wsabuf, 1, &sent, (DWORD)flags, NULL, 0, NULL, NULL)) return SOCKET_ERROR;
    return (int)sent;
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to,
                  int to_len)
{
    WSABUF wsabuf = {(ULONG)len, (char *)buf};
    DWORD sent = 0;
    if (send_common(s, &wsabuf, 1, &sent, (DWORD)flags, to, to_len, NULL, NULL))
        return SOCKET_ERROR;
    return (int)sent;
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                   LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return recv_common(s, bufs, count, received, flags, NULL, NULL, ov, routine);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                       struct sockaddr *from, LPINT from_len, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return recv_common(s, bufs, count, received, flags, from, from_len, ov, routine);
}

int WSAAPI WSASend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                   LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return send_common(s, bufs, count, sent, flags, NULL, 0, ov, routine);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                     const struct sockaddr *to, int to_len, LPWSAOVERLAPPED ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return send_common(s, bufs, count, sent, flags, to, to_len, ov, routine);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD transferred, BOOL wait,
                                   LPDWORD flags)
{
    int err;
    struct ws_socket *sock;
    BOOL ok;

    if (!ov) {
        SetLastError(WSA_INVALID_PARAMETER);
        return FALSE;
    }
    /* Windows asks its own table here and imports no handle: a handle this process has not
       used as a socket (a DuplicateHandle copy, say) has no operation of ours to report. */
    if (!ws_started() || !(sock = sock_table_known(s))) {
        SetLastError(ws_started() ? WSAENOTSOCK : WSANOTINITIALISED);
        return FALSE;
    }
    if (!ws_readable(ov, sizeof(*ov)) || !transferred ||
        !ws_writable(transferred, sizeof(*transferred)) ||
        (flags && !ws_writable(flags, sizeof(*flags)))) {
        SetLastError(WSAEFAULT);
        return FALSE;
    }
    err = 0;
    ok = sock->provider->procs.lpWSPGetOverlappedResult(s, ov, transferred, wait, flags, &err);
    SetLastError(err);
    return ok;
}
