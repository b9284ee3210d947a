/* Entry points: select, WSAPoll and the FD_ISSET helper. */
#include "openws2/core.h"
#include "openws2/afd_provider.h"

/* An fd_set we may read and rewrite: its count, then as many sockets as it says. NULL is fine. */
static bool set_usable(fd_set *set)
{
    if (!set) return true;
    if (!ws_writable(set, offsetof(fd_set, fd_array))) return false;
    return ws_writable(set, offsetof(fd_set, fd_array) + (size_t)set->fd_count * sizeof(SOCKET));
}

static SOCKET first_socket(const fd_set *readfds, const fd_set *writefds, const fd_set *exceptfds)
{
    if (readfds && readfds->fd_count) return readfds->fd_array[0];
    if (writefds && writefds->fd_count) return writefds->fd_array[0];
    return exceptfds->fd_array[0];
}

/*
 * Errors in the reference page's order: WSANOTINITIALISED, WSAEFAULT (a set or the timeval not
 * in the address space), WSAEINVAL (no socket in any set, as Windows also says for three empty
 * sets, or a negative interval), WSAENOTSOCK (an entry that is not a socket). nfds is ignored.
 */
int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                  const PTIMEVAL timeout)
{
    struct ws_socket *sock;
    int err;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!set_usable(readfds) || !set_usable(writefds) || !set_usable(exceptfds) ||
        (timeout && !ws_readable(timeout, sizeof(*timeout))))
        return ws_fail(WSAEFAULT);
    if (!(readfds && readfds->fd_count) && !(writefds && writefds->fd_count) &&
        !(exceptfds && exceptfds->fd_count))
        return ws_fail(WSAEINVAL);
    if (timeout && (LONGLONG)timeout->tv_sec * 1000000 + timeout->tv_usec < 0)
        return ws_fail(WSAEINVAL);
    /* All the sockets must belong to one provider; the first one's provider does the work. */
    if (!(sock = ws_enter(first_socket(readfds, writefds, exceptfds), &err))) return ws_fail(err);
    int ret = sock->provider->procs.lpWSPSelect(nfds, readfds, writefds, exceptfds, timeout, &err);
    if (ret == SOCKET_ERROR) return ws_fail(err);
    return ret;
}

/*
 * Errors as Windows reports them: WSANOTINITIALISED, WSAEINVAL for nfds 0 (even with no array),
 * WSAEFAULT for an array we cannot read and write, then per entry: WSAENOTSOCK when no entry is a
 * socket, WSAEINVAL for events outside POLLRDNORM | POLLRDBAND | POLLWRNORM. The array's sockets
 * may come from any provider in principle, but WSAPoll has no SPI slot: the built-in provider
 * serves it. On success Windows clears the last error.
 */
int WSAAPI WSAPoll(WSAPOLLFD fdarray[], ULONG nfds, INT timeout)
{
    int err;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!nfds) return ws_fail(WSAEINVAL);
    if (!fdarray || !ws_writable(fdarray, (size_t)nfds * sizeof(*fdarray)))
        return ws_fail(WSAEFAULT);
    int ret = afd_poll(fdarray, nfds, timeout, &err);
    if (ret == SOCKET_ERROR) return ws_fail(err);
    SetLastError(0);
    return ret;
}

/* FD_ISSET: nonzero if s is one of the set's sockets. An unreadable set holds nothing. */
int WSAAPI __WSAFDIsSet(SOCKET s, fd_set *set)
{
    if (!ws_readable(set, offsetof(fd_set, fd_array))) return 0;
    u_int count = set->fd_count;
    if (!ws_readable(set, offsetof(fd_set, fd_array) + (size_t)count * sizeof(SOCKET))) return 0;
    for (u_int i = 0; i < count; i++) {
        if (set->fd_array[i] == s) return 1;
    }
    return 0;
}
