/*
 * WSASendMsg: a send described by a WSAMSG. It is also what SIO_GET_EXTENSION_FUNCTION_POINTER
 * hands out for WSAID_WSASENDMSG.
 *
 * Wine's socket device takes no control data on a send. The control data Windows acts on,
 * IP_PKTINFO and IPV6_PKTINFO, chooses the source address: it is honoured when it names the
 * address the system uses anyway (the socket's own address, or for a socket bound to the
 * wildcard address the source of the route to the destination) or leaves the choice to the
 * system; any other request fails with WSAEINVAL instead of being ignored.
 */
#include "openws2/core.h"
#include "openws2/afd_provider.h"
#include <mswsock.h>

/* The only flags the page allows. MSG_PARTIAL has no meaning for our datagram protocols. */
#define SENDMSG_FLAGS (MSG_OOB | MSG_DONTROUTE | MSG_PARTIAL)

static bool is_unspecified(int family, const void *addr)
{
    static const IN6_ADDR any6;
    return family == AF_INET ? !((const IN_ADDR *)addr)->s_addr : !memcmp(addr, &any6, 16);
}

/* The source address a send from S to the WSAMSG's name (or S's peer) leaves from. */
static int source_of(SOCKET s, struct ws_socket *sock, const WSAMSG *msg, SOCKADDR_STORAGE *src)
{
    SOCKADDR_STORAGE dest;
    int len = sizeof(*src), dest_len = sizeof(dest), err;
    const void *addr;

    if (sock->provider->procs.lpWSPGetSockName(s, (struct sockaddr *)src, &len, &err) == 0) {
        addr = src->ss_family == AF_INET ? (void *)&((SOCKADDR_IN *)src)->sin_addr
                                         : (void *)&((SOCKADDR_IN6 *)src)->sin6_addr;
        if (!is_unspecified(src->ss_family, addr)) return 0;
    }
    if (msg->name) return afd_route_source(msg->name, msg->namelen, src);
    if (sock->provider->procs.lpWSPGetPeerName(s, (struct sockaddr *)&dest, &dest_len, &err))
        return err;
    return afd_route_source((struct sockaddr *)&dest, dest_len, src);
}

/* Whether the control data asks for nothing but what the send does anyway; else the error. */
static int check_control(SOCKET s, struct ws_socket *sock, const WSAMSG *msg)
{
    for (WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(msg); c; c = WSA_CMSG_NXTHDR(msg, c)) {
        SOCKADDR_STORAGE src;
        const void *want, *have;
        int family, err;
        ULONG index;

        /* A header that does not fit the buffer, or would not move the walk on. */
        if (c->cmsg_len < sizeof(*c) ||
            c->cmsg_len > (size_t)(msg->Control.buf + msg->Control.len - (char *)c))
            return WSAEINVAL;
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
            c->cmsg_len >= WSA_CMSG_LEN(sizeof(IN_PKTINFO))) {
            family = AF_INET;
            want = &((IN_PKTINFO *)WSA_CMSG_DATA(c))->ipi_addr;
            index = ((IN_PKTINFO *)WSA_CMSG_DATA(c))->ipi_ifindex;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
                   c->cmsg_len >= WSA_CMSG_LEN(sizeof(IN6_PKTINFO))) {
            family = AF_INET6;
            want = &((IN6_PKTINFO *)WSA_CMSG_DATA(c))->ipi6_addr;
            index = ((IN6_PKTINFO *)WSA_CMSG_DATA(c))->ipi6_ifindex;
        } else {
            return WSAEINVAL; /* a request the device cannot carry */
        }
        if (family != sock->family) return WSAEINVAL;
        /* No address: the system chooses, as without control data; an interface alone is a
           request we cannot check. */
        if (is_unspecified(family, want)) {
            if (index) return WSAEINVAL;
            continue;
        }
        if ((err = source_of(s, sock, msg, &src))) return err;
        have = family == AF_INET ? (void *)&((SOCKADDR_IN *)&src)->sin_addr
                                 : (void *)&((SOCKADDR_IN6 *)&src)->sin6_addr;
        if (src.ss_family != family || memcmp(want, have, family == AF_INET ? 4 : 16))
            return WSAEINVAL;
    }
    return 0;
}

/* Windows binds an unbound socket as soon as it is given a message to send, even when the call
   then fails; so does this. */
static void bind_if_unbound(SOCKET s, struct ws_socket *sock)
{
    SOCKADDR_STORAGE addr;
    int len = sizeof(addr), err;

    if (!sock->provider->procs.lpWSPGetSockName(s, (struct sockaddr *)&addr, &len, &err)) return;
    memset(&addr, 0, sizeof(addr));
    addr.ss_family = (ADDRESS_FAMILY)sock->family;
    sock->provider->procs.lpWSPBind(s, (struct sockaddr *)&addr, ws_sockaddr_len(sock->family),
                                    &err);
}

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent, LPWSAOVERLAPPED ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    if (!msg || !ws_readable(msg, sizeof(*msg))) return ws_fail(WSAEFAULT);
    /* Datagram and raw sockets only. */
    if (sock->type != SOCK_DGRAM && sock->type != SOCK_RAW) return ws_fail(WSAEINVAL);
    /* The byte count may be left out only for an overlapped send. */
    if (!ov && (!sent || !ws_writable(sent, sizeof(*sent)))) {
        bind_if_unbound(s, sock);
        return ws_fail(WSAEFAULT);
    }
    /* A missing name or control buffer must come with a length of 0. */
    if ((!msg->name && msg->namelen) || (!msg->Control.buf && msg->Control.len) ||
        (msg->name && (msg->namelen < 0 || !ws_readable(msg->name, (size_t)msg->namelen))))
        return ws_fail(WSAEFAULT);
    if (msg->Control.len && !ws_readable(msg->Control.buf, msg->Control.len))
        return ws_fail(WSAEFAULT);
    if (flags & ~SENDMSG_FLAGS) return ws_fail(WSAEOPNOTSUPP);
    if (msg->Control.len && (err = check_control(s, sock, msg))) return ws_fail(err);
    if (sock->provider->procs.lpWSPSendTo(s, msg->lpBuffers, msg->dwBufferCount, sent,
                                          flags & ~MSG_PARTIAL, msg->name,
                                          msg->name ? msg->namelen : 0, ov, routine, NULL, &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}
