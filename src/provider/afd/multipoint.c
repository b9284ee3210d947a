/*
 * Multipoint and quality of service in the built-in TCP/IP provider.
 *
 * IP multicast is the provider's one multipoint scheme: a UDP socket is a non-rooted leaf for
 * both control and data (c_leaf, d_leaf), and joining a session is joining the multicast group
 * named by the address. The socket itself is the leaf's socket, so WSPJoinLeaf returns it. Stream
 * sockets are not multipoint. The provider has no quality of service: no template name is known.
 */
#include "openws2/afd_provider.h"

static bool is_multicast(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr) >> 28) == 0xE;
    return ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr[0] == 0xFF;
}

/* A socket not yet bound is given a local name of the system's choice, as connect does. */
static int bind_if_unbound(SOCKET s, int family)
{
    SOCKADDR_STORAGE local = {0};
    int len = sizeof(local), err;

    if (!afd_getsockname(s, (struct sockaddr *)&local, &len, &err)) return 0;
    if (err != WSAEINVAL) return err;
    memset(&local, 0, sizeof(local));
    local.ss_family = (ADDRESS_FAMILY)family;
    if (afd_bind(s, (struct sockaddr *)&local, ws_sockaddr_len(family), &err)) return err;
    return 0;
}

static int join_group(SOCKET s, const struct sockaddr *group)
{
    int err;

    if (group->sa_family == AF_INET) {
        struct ip_mreq mreq = {0};
        mreq.imr_multiaddr = ((const struct sockaddr_in *)group)->sin_addr;
        mreq.imr_interface.s_addr = htonl(INADDR_ANY);
        if (afd_setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, (const char *)&mreq, sizeof(mreq),
                           &err))
            return err;
    } else {
        struct ipv6_mreq mreq = {0};
        mreq.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)group)->sin6_addr;
        if (afd_setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, (const char *)&mreq, sizeof(mreq),
                           &err))
            return err;
    }
    return 0;
}

SOCKET WSPAPI afd_join_leaf(SOCKET s, const struct sockaddr *name, int namelen,
                            LPWSABUF caller_data, LPWSABUF callee_data, LPQOS sqos, LPQOS gqos,
                            DWORD flags, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);
    int ret;

    (void)gqos;
    if (!sock) {
        *err = WSAENOTSOCK;
        return INVALID_SOCKET;
    }
    if ((ret = afd_check_sockaddr(name, namelen))) goto fail;
    if ((caller_data && !ws_readable(caller_data, sizeof(*caller_data))) ||
        (callee_data && !ws_writable(callee_data, sizeof(*callee_data))) ||
        (sqos && !ws_readable(sqos, sizeof(*sqos)))) {
        ret = WSAEFAULT;
        goto fail;
    }
    /* A listening socket, and any socket not made for multipoint (every stream socket). */
    if (sock->type != SOCK_DGRAM || (sock->flags & WS_SOCK_LISTENING)) {
        ret = WSAEINVAL;
        goto fail;
    }
    if (name->sa_family != sock->family) {
        ret = WSAEAFNOSUPPORT;
        goto fail;
    }
    /* IP multicast carries no join data and the provider offers no quality of service. */
    if (caller_data && caller_data->len) {
        ret = WSAEPROTONOSUPPORT;
        goto fail;
    }
    if (sqos) {
        ret = WSAEOPNOTSUPP;
        goto fail;
    }
    if (!is_multicast(name)) {
        ret = WSAEADDRNOTAVAIL;
        goto fail;
    }
    if ((ret = bind_if_unbound(s, sock->family))) goto fail;
    /* A sender only needs no membership: datagrams to the group go out from any socket. */
    if (flags != JL_SENDER_ONLY && (ret = join_group(s, name))) goto fail;
    if (callee_data) callee_data->len = 0;
    return s;
fail:
    *err = ret;
    return INVALID_SOCKET;
}

/*
 * No template is known. An empty name asks for the list of template names: the list is empty,
 * which is the terminating zero-length name alone.
 */
BOOL WSPAPI afd_get_qos_by_name(SOCKET s, LPWSABUF name, LPQOS qos, LPINT err)
{
    (void)s;
    if (!ws_readable(name, sizeof(*name)) || !name->buf || !name->len ||
        !ws_readable(name->buf, 1)) {
        *err = WSAEFAULT;
        return FALSE;
    }
    if (!name->buf[0]) {
        if (!ws_writable(name->buf, name->len >= 2 ? 2 : 1)) {
            *err = WSAEFAULT;
            return FALSE;
        }
        /* Zero in the name's first character, Unicode or ANSI. */
        memset(name->buf, 0, name->len >= 2 ? 2 : 1);
        return TRUE;
    }
    *err = ws_writable(qos, sizeof(*qos)) ? WSAEINVAL : WSAEFAULT;
    return FALSE;
}
