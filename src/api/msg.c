/*
 * WSASendMsg: a send described by a WSAMSG. It is also what SIO_GET_EXTENSION_FUNCTION_POINTER
 * hands out for WSAID_WSASENDMSG.
 *
 * Known gap: Wine's socket device sends no control data, so WSAMSG.Control (an IN_PKTINFO or
 * IN6_PKTINFO choosing the source address) is checked but not applied; the system picks the
 * source address as it does for sendto.
 */
#include "openws2/core.h"

/* The only flags the page allows. MSG_PARTIAL has no meaning for our datagram protocols. */
#define SENDMSG_FLAGS (MSG_OOB | MSG_DONTROUTE | MSG_PARTIAL)

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent, LPWSAOVERLAPPED ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    if (!msg || !ws_readable(msg, sizeof(*msg))) return ws_fail(WSAEFAULT);
    /* The byte count may be left out only for an overlapped send. */
    if (!ov && (!sent || !ws_writable(sent, sizeof(*sent)))) return ws_fail(WSAEFAULT);
    /* Datagram and raw sockets only. */
    if (sock->type != SOCK_DGRAM && sock->type != SOCK_RAW) return ws_fail(WSAEINVAL);
    /* A missing name or control buffer must come with a length of 0. */
    if ((!msg->name && msg->namelen) || (!msg->Control.buf && msg->Control.len))
        return ws_fail(WSAEFAULT);
    if (msg->Control.len && !ws_readable(msg->Control.buf, msg->Control.len))
        return ws_fail(WSAEFAULT);
    if (flags & ~SENDMSG_FLAGS) return ws_fail(WSAEOPNOTSUPP);
    if (sock->provider->procs.lpWSPSendTo(s, msg->lpBuffers, msg->dwBufferCount, sent,
                                          flags & ~MSG_PARTIAL, msg->name,
                                          msg->name ? msg->namelen : 0, ov, routine, NULL, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}
