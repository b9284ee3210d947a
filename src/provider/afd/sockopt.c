/*
 * The AFD provider's socket options and control codes.
 *
 * Every option Winsock knows is one row of the table below: where its value lives (a get and a
 * set request of Wine's socket device, or the socket's user-mode context), and how its buffer is
 * read and written. The length rules follow what Windows does, as its own test results show:
 *
 *   BOOL    DWORD boolean; a buffer shorter than four bytes is accepted: a get writes what fits
 *           and reports a length of 1, a set reads what is there (none at all is FALSE).
 *   BYTE    boolean read and written as a single byte (SO_KEEPALIVE, TCP_NODELAY...).
 *   INT     four bytes, no fewer (lengths compare unsigned, as Windows does: -1 passes a set).
 *   SMALL   IP value of 0..255 (TTL, TOS...): a short get buffer receives one byte, a set reads
 *           up to four bytes and refuses larger values with WSAEINVAL; boolean ones are
 *           normalised instead.
 *   FLAG    IP receive flag (IP_PKTINFO...): exactly a DWORD; a short get reports length 0.
 *   LINGER  struct linger.
 *   RAW     bytes as they are, length checked by the kernel (IP_OPTIONS, memberships...).
 *
 * Options that Wine 8's socket device cannot carry are absent from the table, or have no get or
 * no set, and fail with WSAENOPROTOOPT; none pretends to work. The few kept in user mode are ones
 * Windows itself only records (SO_DEBUG, SO_DONTROUTE) or takes as hints (the port options).
 */
#include "openws2/afd_provider.h"
#include <mswsock.h>
#include <mstcpip.h>

#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009
#endif
/* Windows' ws2ipdef.h TCP options that the SDK headers here lack. */
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif
/* Windows' defaults: two hours of idle time, then a probe every second, ten probes. */
#define KEEPALIVE_TIME_MS     7200000u
#define KEEPALIVE_INTERVAL_MS 1000u
#define KEEPALIVE_PROBES      10

#ifndef SO_RANDOMIZE_PORT
#define SO_RANDOMIZE_PORT 0x3005
#endif
#ifndef SO_PORT_SCALABILITY
#define SO_PORT_SCALABILITY 0x3006
#endif
#ifndef SO_REUSE_UNICASTPORT
#define SO_REUSE_UNICASTPORT 0x3007
#endif

/*
 * Options that exist only in the user-mode context are WS_SOCK_OPT_* bits of ws_socket.flags
 * (core.h). SO_DEBUG and SO_DONTROUTE are stored and reported by Windows without any effect on
 * AF_INET sockets; the two port options are allocation hints.
 */

enum opt_kind { BOOL_, BYTE_, INT_, SMALL_, FLAG_, LINGER_, RAW_ };

/* Row flags. */
#define ZERO_SHORT  0x1 /* a get with a short buffer clears it before failing */
#define NORMALIZE   0x2 /* the value set is made 0 or 1 (BOOL and BYTE always are) */
#define STREAM_ONLY 0x4 /* WSAENOPROTOOPT on anything but a stream socket */

/* Values computed here rather than asked of the socket device. */
enum user_opt {
    U_NONE,
    U_TYPE,
    U_FLAG_BIT, /* a WS_SOCK_OPT_* bit, in .bit */
    U_DONTROUTE,
    U_DONTLINGER,
    U_MAX_MSG_SIZE,
    U_ZERO, /* SO_GROUP_ID, SO_GROUP_PRIORITY: reserved, always 0 */
    U_CONDITIONAL_ACCEPT,
    U_RANDOMIZE_PORT,
    U_PROTOCOL_INFOA,
    U_PROTOCOL_INFOW,
    U_BSP_STATE,
    U_UPDATE_CONTEXT, /* SO_UPDATE_ACCEPT/CONNECT_CONTEXT */
    U_PROTECTION_LEVEL,
    U_SO_ERROR, /* the kernel's pending error, else what the program stored */
    U_KEEPALIVE_TIME,     /* TCP_KEEPALIVE: seconds of idle time before the first probe */
    U_KEEPALIVE_INTERVAL, /* TCP_KEEPINTVL: seconds between probes */
    U_KEEPALIVE_PROBES,   /* TCP_KEEPCNT: Wine's socket device cannot set it */
};

/* get/set: the AFD_WINE function number, USER (computed here), or 0 (not available). */
#define USER 1

struct sockopt {
    int level, name;
    unsigned short get, set;
    unsigned char kind, flags, user;
    LONG bit;
    unsigned char slot; /* 1 + its index in ws_socket.opt_value when the context keeps it */
};

/* Rows: the numbers are those of Wine's IOCTL_AFD_WINE_GET_<option> and _SET_<option>. */
#define AFD(get, set, kind, flags)            get, set, kind, flags, U_NONE, 0, 0
#define COMPUTED(get, set, kind, flags, user) get, set, kind, flags, user, 0, 0
#define STORED(bit)                           USER, USER, BOOL_, 0, U_FLAG_BIT, bit, 0
/* A device option whose value the user-mode context keeps once known (SLOT 1..4). */
#define KEPT(get, set, kind, flags, slot)     get, set, kind, flags, U_NONE, 0, slot

static const struct sockopt options[] = {
    /* SOL_SOCKET */
    {SOL_SOCKET, SO_ACCEPTCONN, AFD(219, 0, INT_, 0)},
    {SOL_SOCKET, SO_BROADCAST, AFD(220, 221, BOOL_, 0)},
    {SOL_SOCKET, SO_BSP_STATE, COMPUTED(USER, 0, RAW_, 0, U_BSP_STATE)},
    {SOL_SOCKET, SO_CONDITIONAL_ACCEPT, COMPUTED(USER, USER, BOOL_, 0, U_CONDITIONAL_ACCEPT)},
    {SOL_SOCKET, SO_CONNECT_TIME, AFD(292, 0, INT_, 0)},
    {SOL_SOCKET, SO_DEBUG, STORED(WS_SOCK_OPT_DEBUG)},
    {SOL_SOCKET, SO_DONTLINGER, COMPUTED(USER, USER, BOOL_, STREAM_ONLY, U_DONTLINGER)},
    {SOL_SOCKET, SO_DONTROUTE, COMPUTED(USER, USER, BYTE_, 0, U_DONTROUTE)},
    {SOL_SOCKET, SO_ERROR, COMPUTED(USER, USER, INT_, 0, U_SO_ERROR)},
    {SOL_SOCKET, SO_EXCLUSIVEADDRUSE, AFD(297, 298, BOOL_, 0)},
    {SOL_SOCKET, SO_GROUP_ID, COMPUTED(USER, 0, INT_, 0, U_ZERO)},
    {SOL_SOCKET, SO_GROUP_PRIORITY, COMPUTED(USER, 0, INT_, 0, U_ZERO)},
    {SOL_SOCKET, SO_KEEPALIVE, KEPT(223, 224, BYTE_, 0, 4)},
    {SOL_SOCKET, SO_LINGER, AFD(225, 226, LINGER_, ZERO_SHORT | STREAM_ONLY)},
    {SOL_SOCKET, SO_MAX_MSG_SIZE, COMPUTED(USER, 0, INT_, 0, U_MAX_MSG_SIZE)},
    {SOL_SOCKET, SO_OOBINLINE, AFD(227, 228, BOOL_, 0)},
    {SOL_SOCKET, SO_PORT_SCALABILITY, STORED(WS_SOCK_OPT_PORT_SCALABLE)},
    {SOL_SOCKET, SO_PROTOCOL_INFOA, COMPUTED(USER, 0, RAW_, 0, U_PROTOCOL_INFOA)},
    {SOL_SOCKET, SO_PROTOCOL_INFOW, COMPUTED(USER, 0, RAW_, 0, U_PROTOCOL_INFOW)},
    {SOL_SOCKET, SO_RANDOMIZE_PORT, COMPUTED(USER, USER, BOOL_, 0, U_RANDOMIZE_PORT)},
    {SOL_SOCKET, SO_RCVBUF, KEPT(230, 229, INT_, ZERO_SHORT, 1)},
    {SOL_SOCKET, SO_RCVTIMEO, AFD(232, 231, INT_, 0)},
    {SOL_SOCKET, SO_REUSEADDR, AFD(233, 234, BOOL_, 0)},
    {SOL_SOCKET, SO_REUSE_UNICASTPORT, STORED(WS_SOCK_OPT_REUSE_UNICAST)},
    {SOL_SOCKET, SO_SNDBUF, KEPT(236, 235, INT_, ZERO_SHORT, 2)},
    {SOL_SOCKET, SO_SNDTIMEO, AFD(237, 238, INT_, 0)},
    {SOL_SOCKET, SO_TYPE, COMPUTED(USER, USER, INT_, 0, U_TYPE)},
    {SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, COMPUTED(0, USER, RAW_, 0, U_UPDATE_CONTEXT)},
    {SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, COMPUTED(0, USER, RAW_, 0, U_UPDATE_CONTEXT)},
    /* IPPROTO_TCP */
    {IPPROTO_TCP, TCP_NODELAY, KEPT(284, 285, BYTE_, 0, 3)},
    {IPPROTO_TCP, TCP_KEEPALIVE, COMPUTED(USER, USER, INT_, STREAM_ONLY, U_KEEPALIVE_TIME)},
    {IPPROTO_TCP, TCP_KEEPCNT, COMPUTED(USER, USER, INT_, STREAM_ONLY, U_KEEPALIVE_PROBES)},
    {IPPROTO_TCP, TCP_KEEPINTVL, COMPUTED(USER, USER, INT_, STREAM_ONLY, U_KEEPALIVE_INTERVAL)},
    /* IPPROTO_IP */
    {IPPROTO_IP, IP_OPTIONS, AFD(254, 255, RAW_, 0)},
    {IPPROTO_IP, IP_HDRINCL, AFD(246, 247, INT_, NORMALIZE)},
    {IPPROTO_IP, IP_TOS, AFD(258, 259, SMALL_, 0)},
    {IPPROTO_IP, IP_TTL, AFD(260, 261, SMALL_, 0)},
    {IPPROTO_IP, IP_MULTICAST_IF, AFD(248, 249, RAW_, 0)},
    {IPPROTO_IP, IP_MULTICAST_TTL, AFD(252, 253, SMALL_, 0)},
    {IPPROTO_IP, IP_MULTICAST_LOOP, AFD(250, 251, SMALL_, NORMALIZE)},
    {IPPROTO_IP, IP_ADD_MEMBERSHIP, AFD(0, 239, RAW_, 0)},
    {IPPROTO_IP, IP_DROP_MEMBERSHIP, AFD(0, 244, RAW_, 0)},
    {IPPROTO_IP, IP_DONTFRAGMENT, AFD(242, 243, INT_, NORMALIZE)},
    {IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, AFD(0, 240, RAW_, 0)},
    {IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, AFD(0, 245, RAW_, 0)},
    {IPPROTO_IP, IP_BLOCK_SOURCE, AFD(0, 241, RAW_, 0)},
    {IPPROTO_IP, IP_UNBLOCK_SOURCE, AFD(0, 262, RAW_, 0)},
    {IPPROTO_IP, IP_PKTINFO, AFD(256, 257, FLAG_, NORMALIZE)},
    {IPPROTO_IP, IP_RECVTTL, AFD(293, 294, FLAG_, NORMALIZE)},
    {IPPROTO_IP, IP_UNICAST_IF, AFD(263, 264, RAW_, 0)},
    {IPPROTO_IP, IP_RECVTOS, AFD(295, 296, FLAG_, NORMALIZE)},
    /* IPPROTO_IPV6 */
    {IPPROTO_IPV6, IPV6_UNICAST_HOPS, AFD(275, 276, SMALL_, 0)},
    {IPPROTO_IPV6, IPV6_MULTICAST_IF, AFD(271, 272, RAW_, 0)},
    {IPPROTO_IPV6, IPV6_MULTICAST_HOPS, AFD(269, 270, SMALL_, 0)},
    {IPPROTO_IPV6, IPV6_MULTICAST_LOOP, AFD(273, 274, SMALL_, NORMALIZE)},
    {IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, AFD(0, 265, RAW_, 0)},
    {IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, AFD(0, 268, RAW_, 0)},
    {IPPROTO_IPV6, IPV6_DONTFRAG, AFD(266, 267, SMALL_, NORMALIZE)},
    {IPPROTO_IPV6, IPV6_PKTINFO, AFD(288, 289, FLAG_, NORMALIZE)},
    {IPPROTO_IPV6, IPV6_HOPLIMIT, AFD(286, 287, FLAG_, NORMALIZE)},
    {IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, COMPUTED(USER, USER, INT_, 0, U_PROTECTION_LEVEL)},
    {IPPROTO_IPV6, IPV6_V6ONLY, AFD(279, 280, BYTE_, 0)},
    {IPPROTO_IPV6, IPV6_UNICAST_IF, AFD(277, 278, RAW_, 0)},
    {IPPROTO_IPV6, IPV6_RECVTCLASS, AFD(290, 291, FLAG_, NORMALIZE)},
};

/* Levels that exist; an option they do not list is WSAENOPROTOOPT, another level WSAEINVAL.
   IPPROTO_UDP has no row: its options (UDP_NOCHECKSUM...) have no request in Wine 8. */
static bool level_known(int level)
{
    return level == SOL_SOCKET || level == IPPROTO_TCP || level == IPPROTO_IP ||
           level == IPPROTO_IPV6 || level == IPPROTO_UDP;
}

static const struct sockopt *find_option(int level, int name)
{
    for (size_t i = 0; i < ARRAY_COUNT(options); i++) {
        if (options[i].level == level && options[i].name == name) return &options[i];
    }
    return NULL;
}

static void set_flag(struct ws_socket *sock, LONG bit, bool on)
{
    if (on)
        InterlockedOr(&sock->flags, bit);
    else
        InterlockedAnd(&sock->flags, ~bit);
}

/* One synchronous option request; 0 or the Winsock error. */
static int option_request(SOCKET s, unsigned short fn, const void *in, ULONG in_len, void *out,
                          ULONG out_len, ULONG_PTR *info)
{
    NTSTATUS status = afd_sync_request(s, AFD_WINE(fn), in, in_len, out, out_len, info, false);
    return status ? afd_error(status) : 0;
}

/* ---- the protocol catalog entries a socket of this provider can belong to ---- */

static const GUID tcpip_provider = {
    0xe70f1aa0, 0xab8b, 0x11cf, {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
static const GUID tcpip6_provider = {
    0xf9eab0c0, 0x26d4, 0x11d0, {0xbb, 0xbf, 0x00, 0xaa, 0x00, 0x6c, 0x34, 0xe4}};

#define XP1_STREAM                                                                                 \
    (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA |    \
     XP1_IFS_HANDLES)
#define XP1_DATAGRAM                                                                               \
    (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | XP1_SUPPORT_MULTIPOINT |  \
     XP1_IFS_HANDLES)

/* Windows' catalog entries of the TCP/IP provider, as WSAEnumProtocols lists them. */
static const struct catalog_entry {
    int family, type, protocol, max_offset;
    DWORD service_flags, provider_flags, message_size, id;
    const WCHAR *name;
} catalog[] = {
    {AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, XP1_STREAM, PFL_MATCHES_PROTOCOL_ZERO, 0, 1001,
     L"MSAFD Tcpip [TCP/IP]"},
    {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0, XP1_DATAGRAM, PFL_MATCHES_PROTOCOL_ZERO, 0xffbb, 1002,
     L"MSAFD Tcpip [UDP/IP]"},
    {AF_INET, SOCK_RAW, 0, 255, XP1_DATAGRAM, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, 0x8000, 1003,
     L"MSAFD Tcpip [RAW/IP]"},
    {AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0, XP1_STREAM, PFL_MATCHES_PROTOCOL_ZERO, 0, 1004,
     L"MSAFD Tcpip [TCP/IPv6]"},
    {AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, XP1_DATAGRAM, PFL_MATCHES_PROTOCOL_ZERO, 0xffbb, 1005,
     L"MSAFD Tcpip [UDP/IPv6]"},
    {AF_INET6, SOCK_RAW, 0, 255, XP1_DATAGRAM, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, 0x8000, 1006,
     L"MSAFD Tcpip [RAW/IPv6]"},
};

static void fill_entry(const struct catalog_entry *e, int protocol, WSAPROTOCOL_INFOW *info)
{
    memset(info, 0, sizeof(*info));
    info->dwServiceFlags1 = e->service_flags;
    info->dwProviderFlags = e->provider_flags;
    info->ProviderId = e->family == AF_INET6 ? tcpip6_provider : tcpip_provider;
    info->dwCatalogEntryId = e->id;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    info->iVersion = 2;
    info->iAddressFamily = e->family;
    info->iMaxSockAddr = info->iMinSockAddr = ws_sockaddr_len(e->family);
    info->iSocketType = e->type;
    info->iProtocol = protocol;
    info->iProtocolMaxOffset = e->max_offset;
    info->iNetworkByteOrder = BIGENDIAN;
    info->iSecurityScheme = SECURITY_PROTOCOL_NONE;
    info->dwMessageSize = e->message_size;
    lstrcpynW(info->szProtocol, e->name, ARRAY_COUNT(info->szProtocol));
}

int afd_catalog(WSAPROTOCOL_INFOW *entries, int max)
{
    int n = 0;
    for (size_t i = 0; i < ARRAY_COUNT(catalog); i++) {
        if (n < max) fill_entry(&catalog[i], catalog[i].protocol, &entries[n]);
        n++;
    }
    return n;
}

/* The catalog entry of a socket, filled in as SO_PROTOCOL_INFOW reports it. */
static bool protocol_info(const struct ws_socket *sock, WSAPROTOCOL_INFOW *info)
{
    for (size_t i = 0; i < ARRAY_COUNT(catalog); i++) {
        const struct catalog_entry *e = &catalog[i];
        if (e->family != sock->family || e->type != sock->type || sock->protocol < e->protocol ||
            sock->protocol > e->protocol + e->max_offset)
            continue;
        /* A raw socket reports its catalog entry's protocol (0), not the one it was made with. */
        fill_entry(e, e->max_offset ? e->protocol : sock->protocol, info);
        return true;
    }
    return false;
}

/* SO_PROTOCOL_INFOA/W: a buffer too small (or none) fails and reports the size needed. */
static int get_protocol_info(const struct ws_socket *sock, bool unicode, char *value, int *len)
{
    WSAPROTOCOL_INFOW info;
    int size = unicode ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);

    if (!protocol_info(sock, &info)) return WSAENOPROTOOPT;
    if (!value || *len < size || !ws_writable(value, size)) {
        *len = size;
        return WSAEFAULT;
    }
    if (unicode) {
        memcpy(value, &info, size);
    } else {
        /* The layouts are the same up to the name, the only text. */
        WSAPROTOCOL_INFOA *infoa = (WSAPROTOCOL_INFOA *)value;
        memcpy(infoa, &info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
        if (!WideCharToMultiByte(CP_ACP, 0, info.szProtocol, -1, infoa->szProtocol,
                                 sizeof(infoa->szProtocol), NULL, NULL))
            infoa->szProtocol[0] = 0;
    }
    return 0;
}

/* SO_BSP_STATE: a CSADDR_INFO followed by room for the local and the remote address; an
   address that does not exist (unbound, unconnected) is reported as NULL with length 0. */
static int get_bsp_state(SOCKET s, const struct ws_socket *sock, char *value, int *len)
{
    int addr_len = ws_sockaddr_len(sock->family), got, ignored;
    CSADDR_INFO *info = (CSADDR_INFO *)value;
    struct sockaddr *local, *remote;

    if (!addr_len) return WSAEAFNOSUPPORT;
    if (!value || *len < (int)sizeof(*info) + 2 * addr_len ||
        !ws_writable(value, sizeof(*info) + 2 * addr_len))
        return WSAEFAULT;
    local = (struct sockaddr *)(info + 1);
    remote = (struct sockaddr *)((char *)local + addr_len);

    got = addr_len;
    if (afd_getsockname(s, local, &got, &ignored)) {
        info->LocalAddr.lpSockaddr = NULL;
        info->LocalAddr.iSockaddrLength = 0;
    } else {
        info->LocalAddr.lpSockaddr = local;
        info->LocalAddr.iSockaddrLength = got;
    }
    got = addr_len;
    if (afd_getpeername(s, remote, &got, &ignored)) {
        info->RemoteAddr.lpSockaddr = NULL;
        info->RemoteAddr.iSockaddrLength = 0;
    } else {
        info->RemoteAddr.lpSockaddr = remote;
        info->RemoteAddr.iSockaddrLength = got;
    }
    info->iSocketType = sock->type;
    info->iProtocol = sock->protocol;
    return 0;
}

/* ---- values ---- */

/*
 * The socket device sets the keep-alive times only together with the switch (SIO_KEEPALIVE_VALS
 * turns keep-alive on or off). Windows sets TCP_KEEPALIVE and TCP_KEEPINTVL without touching
 * SO_KEEPALIVE: set both times with the switch on, then put the switch back.
 */
static void forget_value(struct ws_socket *sock, const struct sockopt *opt);

static int set_keepalive_times(SOCKET s, struct ws_socket *sock, ULONG time, ULONG interval)
{
    struct tcp_keepalive vals = {1, time, interval};
    DWORD was_on = 0, off = 0;
    int err;

    if ((err = option_request(s, 223, NULL, 0, &was_on, sizeof(was_on), NULL))) return err;
    if ((err = option_request(s, AFD_W_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, NULL)))
        return err;
    if (!(was_on & 0xff) && (err = option_request(s, 224, &off, sizeof(off), NULL, 0, NULL)))
        return err;
    sock->keepalive_time = time;
    sock->keepalive_interval = interval;
    forget_value(sock, find_option(SOL_SOCKET, SO_KEEPALIVE));
    return 0;
}

static ULONG keepalive_time(const struct ws_socket *sock)
{
    return sock->keepalive_time ? sock->keepalive_time : KEEPALIVE_TIME_MS;
}

static ULONG keepalive_interval(const struct ws_socket *sock)
{
    return sock->keepalive_interval ? sock->keepalive_interval : KEEPALIVE_INTERVAL_MS;
}

/*
 * Option values the context keeps (ws_socket.opt_value): known once read from the device or set
 * through us, until a set that may change them. Only this process's calls change them (another
 * process sharing the socket through WSADuplicateSocket could, as with Windows' own context).
 */
static bool kept_value(const struct ws_socket *sock, const struct sockopt *opt, DWORD *value)
{
    LONG bit = 1L << (opt->slot - 1);
    if (!(sock->opt_known & bit)) return false;
    *value = sock->opt_value[opt->slot - 1];
    return true;
}

static void keep_value(struct ws_socket *sock, const struct sockopt *opt, DWORD value)
{
    sock->opt_value[opt->slot - 1] = value;
    InterlockedOr(&sock->opt_known, 1L << (opt->slot - 1));
}

static void forget_value(struct ws_socket *sock, const struct sockopt *opt)
{
    InterlockedAnd(&sock->opt_known, ~(1L << (opt->slot - 1)));
}

/*
 * IPV6_V6ONLY on an AF_INET socket: Windows keeps it in the socket's context (on by default, and
 * settable until the socket is bound) although it means nothing there; the host refuses it.
 */
static bool is_v4_v6only(const struct ws_socket *sock, const struct sockopt *opt)
{
    return sock->family == AF_INET && opt->level == IPPROTO_IPV6 && opt->name == IPV6_V6ONLY;
}

/* The current value of a scalar option, into *value (four bytes; a linger for LINGER_). */
static int read_value(SOCKET s, struct ws_socket *sock, const struct sockopt *opt,
                      DWORD *value)
{
    struct linger linger;
    int err;

    if (is_v4_v6only(sock, opt)) {
        *value = !(sock->flags & WS_SOCK_OPT_V6ONLY_OFF);
        return 0;
    }
    if (opt->get != USER) {
        if (opt->slot && kept_value(sock, opt, value)) return 0;
        if ((err = option_request(s, opt->get, NULL, 0, value, sizeof(*value), NULL))) return err;
        if (opt->slot) keep_value(sock, opt, *value);
        return 0;
    }

    switch (opt->user) {
    case U_TYPE:
        *value = sock->type;
        return 0;
    case U_SO_ERROR:
        if ((err = option_request(s, 222, NULL, 0, value, sizeof(*value), NULL))) return err;
        if (!*value) *value = (DWORD)sock->so_error;
        return 0;
    case U_FLAG_BIT:
        *value = !!(sock->flags & opt->bit);
        return 0;
    case U_DONTROUTE:
        /* Windows takes it on AF_INET sockets only. */
        if (sock->family == AF_INET6) return WSAENOPROTOOPT;
        *value = !!(sock->flags & WS_SOCK_OPT_DONTROUTE);
        return 0;
    case U_DONTLINGER:
        if ((err = option_request(s, 225, NULL, 0, &linger, sizeof(linger), NULL))) return err;
        *value = !linger.l_onoff;
        return 0;
    case U_MAX_MSG_SIZE:
        /* The largest datagram: 65535 less the IPv4 and UDP headers (IPv6's payload length does
           not count its own header). */
        *value = sock->family == AF_INET6 ? 65527 : 65507;
        return 0;
    case U_ZERO:
    case U_CONDITIONAL_ACCEPT:
        *value = 0;
        return 0;
    case U_RANDOMIZE_PORT:
        *value = 1; /* the host picks every ephemeral port at random */
        return 0;
    case U_PROTECTION_LEVEL:
        if (sock->family != AF_INET6) return WSAEINVAL;
        *value = PROTECTION_LEVEL_UNRESTRICTED; /* the host applies no such restriction */
        return 0;
    case U_KEEPALIVE_TIME:
        *value = keepalive_time(sock) / 1000;
        return 0;
    case U_KEEPALIVE_INTERVAL:
        *value = keepalive_interval(sock) / 1000;
        return 0;
    case U_KEEPALIVE_PROBES:
        *value = KEEPALIVE_PROBES;
        return 0;
    default:
        return WSAENOPROTOOPT;
    }
}

static int write_value(SOCKET s, struct ws_socket *sock, const struct sockopt *opt, DWORD value)
{
    struct linger linger;
    SOCKADDR_STORAGE bound;
    int err;

    if (is_v4_v6only(sock, opt)) {
        /* Recorded until the socket has an address, then fixed. */
        if (!afd_sync_request(s, AFD_GETSOCKNAME, NULL, 0, &bound, sizeof(bound), NULL, false))
            return WSAEINVAL;
        set_flag(sock, WS_SOCK_OPT_V6ONLY_OFF, !value);
        return 0;
    }
    if (sock->type == SOCK_RAW && opt->level == IPPROTO_IPV6 && opt->name == IPV6_V6ONLY) {
        /* The host refuses the option on a raw socket even unchanged; Windows takes the value
           the socket already has. */
        DWORD current = 0;
        if (!option_request(s, opt->get, NULL, 0, &current, sizeof(current), NULL) &&
            !!(current & 0xff) == !!value)
            return 0;
    }
    if (opt->set != USER) {
        DWORD current;
        if (!opt->slot) return option_request(s, opt->set, &value, sizeof(value), NULL, 0, NULL);
        /* Setting the value it has is nothing to do. */
        if (kept_value(sock, opt, &current) && current == value) return 0;
        forget_value(sock, opt);
        if ((err = option_request(s, opt->set, &value, sizeof(value), NULL, 0, NULL))) return err;
        /* A switch reads back as set; a buffer size is the host's to adjust: read it later. */
        if (opt->kind == BYTE_ || opt->kind == BOOL_) keep_value(sock, opt, value);
        return 0;
    }

    switch (opt->user) {
    case U_TYPE:
        /* The type is the socket's own. Windows refuses a set with WSAEINVAL on a datagram
           socket, and as an option it does not take on a stream socket. */
        return sock->type == SOCK_STREAM ? WSAENOPROTOOPT : WSAEINVAL;
    case U_SO_ERROR:
        /* Windows lets a program store a value that later gets read back. */
        InterlockedExchange(&sock->so_error, (LONG)value);
        return 0;
    case U_FLAG_BIT:
        set_flag(sock, opt->bit, value);
        return 0;
    case U_DONTROUTE:
        if (sock->family == AF_INET6) return WSAENOPROTOOPT;
        set_flag(sock, WS_SOCK_OPT_DONTROUTE, value);
        return 0;
    case U_DONTLINGER:
        /* The inverse of SO_LINGER's switch; a linger time set before is kept. */
        if ((err = option_request(s, 225, NULL, 0, &linger, sizeof(linger), NULL))) return err;
        linger.l_onoff = !value;
        return option_request(s, 226, &linger, sizeof(linger), NULL, 0, NULL);
    case U_CONDITIONAL_ACCEPT:
        /* The host completes every handshake before accept: only the default is possible. */
        return value ? WSAENOPROTOOPT : 0;
    case U_RANDOMIZE_PORT:
        return value ? 0 : WSAENOPROTOOPT;
    case U_PROTECTION_LEVEL:
        if (sock->family != AF_INET6) return WSAEINVAL;
        return value == PROTECTION_LEVEL_UNRESTRICTED ? 0 : WSAENOPROTOOPT;
    case U_KEEPALIVE_TIME:
        if (sock->type != SOCK_STREAM) return WSAENOPROTOOPT;
        if (value > MAXDWORD / 1000) return WSAEINVAL;
        /* 0 is kept as 1 ms, which reads back as 0 s (0 in the context means the default). */
        return set_keepalive_times(s, sock, value ? value * 1000 : 1, keepalive_interval(sock));
    case U_KEEPALIVE_INTERVAL:
        if (sock->type != SOCK_STREAM) return WSAENOPROTOOPT;
        if (value > MAXDWORD / 1000) return WSAEINVAL;
        return set_keepalive_times(s, sock, keepalive_time(sock), value ? value * 1000 : 1);
    case U_KEEPALIVE_PROBES:
        if (sock->type != SOCK_STREAM) return WSAENOPROTOOPT;
        /* Wine's socket device has no request for the probe count: refuse rather than ignore. */
        return value == KEEPALIVE_PROBES ? 0 : WSAENOPROTOOPT;
    default:
        return WSAENOPROTOOPT;
    }
}

/* Zero-extend up to four bytes of the caller's value. */
static DWORD load_value(const char *p, size_t n)
{
    DWORD value = 0;
    memcpy(&value, p, n < sizeof(value) ? n : sizeof(value));
    return value;
}

/* ---- getsockopt ---- */

static int get_raw(SOCKET s, const struct sockopt *opt, char *value, LPINT len)
{
    ULONG_PTR info;
    int err;
    if (!value || !ws_writable(value, *len)) return WSAEFAULT;
    if ((err = option_request(s, opt->get, NULL, 0, value, *len, &info))) return err;
    *len = (int)info;
    return 0;
}

static int get_option(SOCKET s, struct ws_socket *sock, const struct sockopt *opt, char *value,
                      LPINT len)
{
    int size = *len; /* positive: the entry point checked it */
    DWORD v;
    int err;

    switch (opt->user) {
    case U_PROTOCOL_INFOA:
        return get_protocol_info(sock, false, value, len);
    case U_PROTOCOL_INFOW:
        return get_protocol_info(sock, true, value, len);
    case U_BSP_STATE:
        return get_bsp_state(s, sock, value, len);
    }
    if (opt->kind == RAW_) return get_raw(s, opt, value, len);

    /* The buffer first, as Windows checks it before anything else. */
    switch (opt->kind) {
    case INT_:
    case LINGER_:
        if (size < (int)sizeof(DWORD)) {
            if ((opt->flags & ZERO_SHORT) && value && ws_writable(value, size))
                memset(value, 0, size);
            return WSAEFAULT;
        }
        break;
    case FLAG_:
        if (size < (int)sizeof(DWORD)) {
            *len = 0;
            return WSAEFAULT;
        }
        break;
    }
    if (size > (int)sizeof(DWORD)) size = sizeof(DWORD);
    if (opt->kind == BYTE_) size = 1;
    if (!value || !ws_writable(value, size)) return WSAEFAULT;
    if ((opt->flags & STREAM_ONLY) && sock->type != SOCK_STREAM) return WSAENOPROTOOPT;

    if ((err = read_value(s, sock, opt, &v))) return err;

    switch (opt->kind) {
    case BOOL_:
        memcpy(value, &v, size); /* what fits of the DWORD; the length says 1 when short */
        *len = size == sizeof(DWORD) ? (int)sizeof(DWORD) : 1;
        break;
    case BYTE_:
        *value = (char)!!v;
        *len = 1;
        break;
    case SMALL_:
        if (size < (int)sizeof(DWORD)) {
            *value = (char)v;
            *len = 1;
        } else {
            memcpy(value, &v, sizeof(v));
            *len = sizeof(v);
        }
        break;
    default: /* INT_, FLAG_, LINGER_ */
        memcpy(value, &v, sizeof(v));
        *len = sizeof(v);
        break;
    }
    return 0;
}

int WSPAPI afd_getsockopt(SOCKET s, int level, int name, char *value, LPINT len, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);
    const struct sockopt *opt;

    if (!sock)
        *err = WSAENOTSOCK;
    else if (!len || !ws_writable(len, sizeof(*len)) || *len <= 0)
        *err = WSAEFAULT;
    else if (!(opt = find_option(level, name)))
        *err = level_known(level) ? WSAENOPROTOOPT : WSAEINVAL;
    else if (!opt->get)
        *err = WSAENOPROTOOPT;
    else
        *err = get_option(s, sock, opt, value, len);
    return *err ? SOCKET_ERROR : 0;
}

/* ---- setsockopt ---- */

static int set_option(SOCKET s, struct ws_socket *sock, const struct sockopt *opt,
                      const char *value, int len)
{
    DWORD v;

    switch (opt->kind) {
    case RAW_:
        if (len < 0 || (len && !ws_readable(value, len))) return WSAEFAULT;
        if (opt->user == U_UPDATE_CONTEXT) {
            /* Sockets from AcceptEx and ConnectEx are complete already: nothing to update. The
               accept form names the listening socket. */
            if (opt->name == SO_UPDATE_ACCEPT_CONTEXT && len < (int)sizeof(SOCKET))
                return WSAEFAULT;
            return 0;
        }
        return option_request(s, opt->set, len ? value : NULL, len, NULL, 0, NULL);
    case BOOL_:
        /* Lengths compare unsigned: -1 reads a whole DWORD, 0 reads nothing (FALSE). */
        if (!value || (len && !ws_readable(value, min((unsigned int)len, sizeof(DWORD)))))
            return WSAEFAULT;
        v = load_value(value, (unsigned int)len);
        break;
    case BYTE_:
        if (!value || !len) return WSAEFAULT;
        if (len < 0) return WSAENOBUFS;
        if (!ws_readable(value, 1)) return WSAEFAULT;
        v = *(const BYTE *)value;
        break;
    case SMALL_:
        if (!value || !len || !ws_readable(value, min((unsigned int)len, sizeof(DWORD))))
            return WSAEFAULT;
        v = load_value(value, len);
        if (!(opt->flags & NORMALIZE) && v > 0xff) return WSAEINVAL;
        break;
    default: /* INT_, FLAG_, LINGER_: a whole DWORD (a linger is four bytes too) */
        if ((unsigned int)len < sizeof(DWORD) || !value || !ws_readable(value, sizeof(DWORD)))
            return WSAEFAULT;
        v = load_value(value, sizeof(DWORD));
        break;
    }
    if ((opt->flags & NORMALIZE) || opt->kind == BOOL_ || opt->kind == BYTE_) v = !!v;
    return write_value(s, sock, opt, v);
}

int WSPAPI afd_setsockopt(SOCKET s, int level, int name, const char *value, int len, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);
    const struct sockopt *opt;

    if (!sock)
        *err = WSAENOTSOCK;
    else if ((level == IPPROTO_IP || level == IPPROTO_IPV6) && len < 0)
        *err = WSAENOBUFS; /* Windows refuses a negative length at the IP levels first */
    else if (!(opt = find_option(level, name)))
        *err = level_known(level) ? WSAENOPROTOOPT : WSAEINVAL;
    else if (!opt->set)
        *err = WSAENOPROTOOPT;
    else
        *err = set_option(s, sock, opt, value, len);
    return *err ? SOCKET_ERROR : 0;
}

/* ---- control codes ---- */

/*
 * Control codes Wine's socket device serves itself. Each is one request through afd_transfer,
 * so a synchronous call waits on the thread's event and an overlapped one completes through
 * the program's event, routine or port, as WSAIoctl's reference page requires.
 */
static const struct device_ioctl {
    DWORD code;
    unsigned short fn;
    DWORD in_min;  /* the input the request needs (WSAEFAULT below it); 0: none is read */
    DWORD out_min; /* the output it needs (WSAEFAULT below it); 0: none, or any size */
} device_ioctls[] = {
    {FIONBIO, AFD_W_FIONBIO, sizeof(u_long), 0},
    {FIONREAD, AFD_W_FIONREAD, 0, sizeof(u_long)},
    {SIO_GET_INTERFACE_LIST, AFD_W_GET_INTERFACE_LIST, 0, 0},
    {SIO_KEEPALIVE_VALS, AFD_W_KEEPALIVE_VALS, sizeof(struct tcp_keepalive), 0},
    {SIO_ADDRESS_LIST_CHANGE, AFD_W_ADDRESS_LIST_CHANGE, 0, 0},
    {SIO_IDEAL_SEND_BACKLOG_CHANGE, AFD_W_ADDRESS_LIST_CHANGE, 0, 0},
};

static int device_ioctl(SOCKET s, struct ws_socket *sock, const struct device_ioctl *ioctl,
                        LPVOID in, DWORD in_len, LPVOID out, DWORD out_len, LPDWORD returned,
                        LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    int value = 0;
    void *params = NULL;
    ULONG params_len = 0;
    DWORD transferred = 0;

    if (ioctl->in_min && (!in || in_len < ioctl->in_min || !ws_readable(in, ioctl->in_min))) {
        /* Windows reports 0 bytes for a bad input buffer, unless overlapped; then it has marked
           the OVERLAPPED pending before it looks at the buffer. */
        if (!ov)
            *returned = 0;
        else if (ws_writable(ov, sizeof(*ov)))
            ov->Internal = STATUS_PENDING;
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (ioctl->out_min && (!out || out_len < ioctl->out_min || !ws_writable(out, ioctl->out_min))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    switch (ioctl->code) {
    case FIONBIO:
        value = *(const u_long *)in != 0;
        /* WSAEventSelect and WSAAsyncSelect keep the socket non-blocking until undone. */
        if (!value && (sock->flags & WS_SOCK_EVENTSELECT)) {
            *returned = 0;
            *err = WSAEINVAL;
            return SOCKET_ERROR;
        }
        /* The mode it is known to have already: nothing to ask of the device. */
        if (!ov && (sock->flags & WS_SOCK_MODE_KNOWN) &&
            !!(sock->flags & WS_SOCK_NONBLOCKING) == value) {
            *returned = 0;
            return 0;
        }
        params = &value;
        params_len = sizeof(value);
        out = NULL; /* never looked at: programs pass anything there */
        out_len = 0;
        break;
    case SIO_KEEPALIVE_VALS:
        params = in;
        params_len = sizeof(struct tcp_keepalive);
        break;
    case SIO_ADDRESS_LIST_CHANGE:
        /* On a socket selected for FD_ADDRESS_LIST_CHANGE, the call arms the notification and
           fails with WSAEWOULDBLOCK: our thread waits for the change. */
        if (!ov && (sock->flags & WS_SOCK_NOTIFY) && afd_notify_arm_address_change(s)) {
            *returned = 0;
            *err = WSAEWOULDBLOCK;
            return SOCKET_ERROR;
        }
        /* Completes only when the addresses change: overlapped callers must get it pending. */
        value = ov != NULL;
        params = &value;
        params_len = sizeof(value);
        break;
    case SIO_IDEAL_SEND_BACKLOG_CHANGE: {
        /* A connected TCP socket's notification. Our ideal send backlog never changes (see
           SIO_IDEAL_SEND_BACKLOG_QUERY in sio.c), so it waits until it is cancelled or the
           socket closes, blocking or pending as the call asks. The device's address-list-change
           request is such a wait; it also ends when the addresses change, which a program takes
           as a cue to query the backlog again (and finds it the same). */
        if (sock->type != SOCK_STREAM) {
            *err = WSAEOPNOTSUPP;
            return SOCKET_ERROR;
        }
        if ((*err = afd_peer_error(s))) return SOCKET_ERROR;
        value = ov != NULL;
        params = &value;
        params_len = sizeof(value);
        break;
    }
    }
    if (afd_transfer(s, AFD_WINE(ioctl->fn), params, params_len, out, out_len, &transferred, ov,
                     routine, err)) {
        if (*err != WSA_IO_PENDING) *returned = 0;
        return SOCKET_ERROR;
    }
    if (ioctl->code == FIONBIO) {
        set_flag(sock, WS_SOCK_NONBLOCKING, value);
        set_flag(sock, WS_SOCK_MODE_KNOWN, true);
    }
    if (ioctl->code == SIO_KEEPALIVE_VALS)
        forget_value(sock, find_option(SOL_SOCKET, SO_KEEPALIVE));
    if (ioctl->code == SIO_KEEPALIVE_VALS && ((const struct tcp_keepalive *)in)->onoff) {
        sock->keepalive_time = ((const struct tcp_keepalive *)in)->keepalivetime;
        sock->keepalive_interval = ((const struct tcp_keepalive *)in)->keepaliveinterval;
    }
    /* A u_long answer is reported as its four bytes, whatever the request carried. Overlapped
       without a completion routine, Windows leaves the count of SIO_KEEPALIVE_VALS alone. */
    if (!ov || routine || ioctl->code != SIO_KEEPALIVE_VALS)
        *returned = ioctl->out_min ? ioctl->out_min : transferred;
    return 0;
}

int WSPAPI afd_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                     LPDWORD returned, LPWSAOVERLAPPED ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);

    (void)thread;
    if (!sock) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    /* Answered here, and completed through the OVERLAPPED when the program gives one. */
    if (code == SIO_GET_EXTENSION_FUNCTION_POINTER)
        return afd_get_extension_function(s, in, in_len, out, out_len, returned, ov, routine,
                                          err);
    int ret = afd_local_ioctl(s, sock, code, in, in_len, out, out_len, returned, ov, routine, err);
    if (ret != AFD_NOT_LOCAL) return ret;
    for (size_t i = 0; i < ARRAY_COUNT(device_ioctls); i++) {
        if (device_ioctls[i].code == code)
            return device_ioctl(s, sock, &device_ioctls[i], in, in_len, out, out_len, returned,
                                ov, routine, err);
    }
    return afd_unsupported_ioctl(s, returned, ov, routine, err);
}
