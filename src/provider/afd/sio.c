/*
 * Control codes answered in user mode: the base and service-provider handles, the ideal send
 * backlog, the loopback fast path hint, the out-of-band mark, the UDP ICMP report switches, the
 * local address list, the routing interface query, the transport settings, and the routing
 * change notification of selected sockets.
 *
 * Windows answers these without waiting, yet a call with an OVERLAPPED still completes through
 * it: the return value and byte count are those of the immediate answer, and then the event is
 * set, the completion routine queued or a 0-byte packet posted to the completion port. The
 * socket device's COMPLETE_ASYNC request does exactly that, so every code here shares one path.
 * A failure completes nothing.
 */
#include "openws2/afd_provider.h"
#include "../../resolve/db.h"
#include "../../resolve/nameres.h"
#include <mswsock.h>
#include <mstcpip.h>

#define STATUS_NOT_SUPPORTED_ NT_STATUS(0xC00000BB)
/* Windows' ws2ipdef.h codes that the SDK headers here lack. */
#ifndef SIO_UDP_NETRESET
#define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)
#endif

/* What an answer does with the OVERLAPPED of a successful call. */
enum overlapped_form {
    COMPLETE_SUCCESS,   /* answer at once, then complete with success and 0 bytes */
    PEND_NOT_SUPPORTED, /* the overlapped form is refused: pending, then STATUS_NOT_SUPPORTED */
};

struct local_ioctl {
    DWORD code;
    enum overlapped_form overlapped;
    /* Writes OUT and sets *size; or returns the error, setting *size only where Windows
       reports a size with that error. */
    int (*answer)(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len, void *out,
                  DWORD out_len, DWORD *size);
};

/* ---- the handles: no layered provider sits between us and the device ---- */

static int answer_base_handle(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                              void *out, DWORD out_len, DWORD *size)
{
    (void)sock, (void)in, (void)in_len;
    if (!out || out_len < sizeof(SOCKET) || !ws_writable(out, sizeof(SOCKET))) return WSAEFAULT;
    memcpy(out, &s, sizeof(s));
    *size = sizeof(s);
    return 0;
}

/* ---- TCP hints and queries ---- */

/* The ideal send backlog Windows reports for a loopback connection: 64 KiB. It never changes
   here: SIO_IDEAL_SEND_BACKLOG_CHANGE waits until cancelled (sockopt.c). */
#define IDEAL_SEND_BACKLOG 0x10000

static int answer_ideal_send_backlog(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                                     void *out, DWORD out_len, DWORD *size)
{
    ULONG value = IDEAL_SEND_BACKLOG;
    int err;

    (void)in, (void)in_len;
    if (sock->type != SOCK_STREAM) return WSAEOPNOTSUPP;
    if ((err = afd_peer_error(s))) return err;
    if (!out || out_len < sizeof(value) || !ws_writable(out, sizeof(value))) return WSAEFAULT;
    memcpy(out, &value, sizeof(value));
    *size = sizeof(value);
    return 0;
}

/* A hint for loopback connections, kept by Windows 10 for compatibility with no effect of its
   own; ours are always on the fastest path the device has. */
static int answer_loopback_fast_path(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                                     void *out, DWORD out_len, DWORD *size)
{
    (void)s, (void)out, (void)out_len;
    if (!in || in_len < sizeof(int) || !ws_readable(in, sizeof(int))) return WSAEFAULT;
    if (sock->type != SOCK_STREAM) return WSAEOPNOTSUPP;
    *size = 0;
    return 0;
}

/*
 * SIOCATMARK: TRUE unless out-of-band data waits to be read with MSG_OOB. The host's own query
 * says whether the next byte is the urgent one, which is false whenever normal data comes first;
 * so ask the device whether an OOB byte is pending (a poll that does not wait). With SO_OOBINLINE
 * the device reports urgent data as ordinary data, and the answer is TRUE, as it is on Windows
 * for a socket whose urgent data arrives in line.
 */
static int answer_atmark(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len, void *out,
                         DWORD out_len, DWORD *size)
{
    NTSTATUS status;
    u_long value;

    (void)sock, (void)in, (void)in_len;
    if (!out || out_len < sizeof(value) || !ws_writable(out, sizeof(value))) return WSAEFAULT;
    value = !(afd_poll_now(s, AFD_POLL_OOB, &status) & AFD_POLL_OOB);
    if (status) return afd_error(status);
    memcpy(out, &value, sizeof(value));
    *size = sizeof(value);
    return 0;
}

/* ---- UDP: the ICMP reports ---- */

/* SIO_UDP_CONNRESET and SIO_UDP_NETRESET switch the reports of ICMP port and network
   unreachable messages on a datagram socket. Wine's socket device never reports them, so
   turning them off is honoured as it stands; turning them on (Windows' default) cannot bring
   them (a known gap). */
static int answer_udp_reset(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                            void *out, DWORD out_len, DWORD *size)
{
    (void)s, (void)out, (void)out_len;
    if (!in || in_len < sizeof(BOOL) || !ws_readable(in, sizeof(BOOL))) return WSAEFAULT;
    if (sock->type != SOCK_DGRAM) return WSAEINVAL;
    *size = 0;
    return 0;
}

/* ---- SIO_APPLY_TRANSPORT_SETTING ---- */

/* mstcpip.h's setting identifiers, which the SDK headers here lack. */
static const GUID real_time_notification_capability = {
    0x6b59819a, 0x5cae, 0x492d, {0xa9, 0x01, 0x2a, 0x3c, 0x2c, 0x50, 0x16, 0x4f}};
static const GUID associate_nameres_context = {
    0x59a38b67, 0xd4fe, 0x46e1, {0xba, 0x3c, 0x87, 0xea, 0x74, 0xca, 0x30, 0x49}};

/*
 * The input begins with the TRANSPORT_SETTING_ID that names the setting. Windows 10 defines two:
 * ASSOCIATE_NAMERES_CONTEXT ties the socket to a name GetAddrInfoEx resolved (its
 * AI_RESOLUTION_HANDLE), for policy by name, which nothing under Wine enforces, so a live handle
 * is accepted and changes nothing else; REAL_TIME_NOTIFICATION_CAPABILITY marks a TCP socket for
 * the Store's ControlChannelTrigger broker, which does not exist here: the transport does not
 * support it. The settings apply to TCP and UDP sockets only.
 */
static int answer_transport_setting(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                                    void *out, DWORD out_len, DWORD *size)
{
    TRANSPORT_SETTING_ID id;
    ASSOCIATE_NAMERES_CONTEXT_INPUT input;

    (void)s, (void)out, (void)out_len;
    *size = 0;
    if (in_len && !ws_readable(in, in_len < sizeof(input) ? in_len : sizeof(input)))
        return WSAEFAULT;
    if (!in || in_len < sizeof(id)) return WSAEINVAL;
    if ((sock->family != AF_INET && sock->family != AF_INET6) ||
        !((sock->type == SOCK_STREAM && sock->protocol == IPPROTO_TCP) ||
          (sock->type == SOCK_DGRAM && sock->protocol == IPPROTO_UDP)))
        return WSAEOPNOTSUPP;
    memcpy(&id, in, sizeof(id));
    if (IsEqualGUID(&id.Guid, &real_time_notification_capability)) return WSAEOPNOTSUPP;
    if (!IsEqualGUID(&id.Guid, &associate_nameres_context) || in_len < sizeof(input))
        return WSAEINVAL;
    memcpy(&input, in, sizeof(input));
    return ws_nameres_known(input.Handle) ? 0 : WSAEINVAL;
}

/* ---- SIO_ADDRESS_LIST_QUERY ---- */

#define MAX_LISTED 64 /* addresses one answer lists; machines with more list their first 64 */

struct address_walk {
    int family;
    int count;
    SOCKADDR_STORAGE addrs[MAX_LISTED];
};

static bool collect_address(void *ctx, int family, const void *addr, ULONG scope_id,
                            const char *canonical)
{
    struct address_walk *walk = ctx;
    SOCKADDR_STORAGE *sa;

    (void)canonical;
    if (family != walk->family) return true;
    sa = &walk->addrs[walk->count++];
    memset(sa, 0, sizeof(*sa));
    sa->ss_family = (ADDRESS_FAMILY)family;
    if (family == AF_INET) {
        memcpy(&((SOCKADDR_IN *)sa)->sin_addr, addr, sizeof(IN_ADDR));
    } else {
        memcpy(&((SOCKADDR_IN6 *)sa)->sin6_addr, addr, sizeof(IN6_ADDR));
        ((SOCKADDR_IN6 *)sa)->sin6_scope_id = scope_id;
    }
    return walk->count < MAX_LISTED;
}

/*
 * The socket's family's addresses on the machine's interfaces, loopback excluded. The sizes and
 * errors are Windows': no buffer or none at all gives WSAEFAULT with the size needed; a buffer
 * too short for even the count gives WSAEINVAL and size 0; one too short for the addresses,
 * WSAEFAULT with the size needed and nothing written.
 */
static int answer_address_list(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                               void *out, DWORD out_len, DWORD *size)
{
    struct address_walk walk;
    int len = ws_sockaddr_len(sock->family);
    size_t needed;
    (void)s, (void)in, (void)in_len;

    walk.family = sock->family;
    walk.count = 0;
    if (len) ws_interface_addresses(sock->family, collect_address, &walk);
    needed = FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address[walk.count]) + (size_t)walk.count * len;
    if (out && out_len && out_len < FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address[0])) {
        *size = 0;
        return WSAEINVAL;
    }
    *size = (DWORD)needed;
    if (!out || out_len < needed || !ws_writable(out, needed)) return WSAEFAULT;

    SOCKET_ADDRESS_LIST *list = out;
    char *next = (char *)out + FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address[walk.count]);
    list->iAddressCount = walk.count;
    for (int i = 0; i < walk.count; i++, next += len) {
        memcpy(next, &walk.addrs[i], len);
        list->Address[i].lpSockaddr = (SOCKADDR *)next;
        list->Address[i].iSockaddrLength = len;
    }
    return 0;
}

/* ---- SIO_ROUTING_INTERFACE_QUERY ---- */

/*
 * The local address the machine would send from to reach a destination: the address a UDP
 * socket connected there is bound to. Windows wants a whole sockaddr of a family it carries
 * (WSAEINVAL, WSAEAFNOSUPPORT) and not the unspecified address (WSAEINVAL); a short result buffer
 * gives WSAEFAULT with the size needed.
 */
static int answer_routing_interface(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                                    void *out, DWORD out_len, DWORD *size)
{
    static const IN6_ADDR any6;
    SOCKADDR_STORAGE dest, local;
    int family, len, err;

    (void)s, (void)sock;
    if (!in || in_len < sizeof(SOCKADDR) || !ws_readable(in, sizeof(SOCKADDR))) return WSAEINVAL;
    family = ((const SOCKADDR *)in)->sa_family;
    if (!(len = ws_sockaddr_len(family))) return WSAEAFNOSUPPORT;
    if (in_len < (DWORD)len || !ws_readable(in, len)) return WSAEINVAL;
    memset(&dest, 0, sizeof(dest));
    memcpy(&dest, in, len);
    if (family == AF_INET ? !((SOCKADDR_IN *)&dest)->sin_addr.s_addr
                          : !memcmp(&((SOCKADDR_IN6 *)&dest)->sin6_addr, &any6, sizeof(any6)))
        return WSAEINVAL;
    if (!out) return WSAEFAULT;
    if (out_len < (DWORD)len || !ws_writable(out, len)) {
        *size = (DWORD)len;
        return WSAEFAULT;
    }
    if ((err = afd_route_source((SOCKADDR *)&dest, len, &local))) return err;
    memcpy(out, &local, len);
    *size = (DWORD)len;
    return 0;
}

int afd_route_source(const struct sockaddr *dest, int len, SOCKADDR_STORAGE *source)
{
    SOCKADDR_STORAGE to, local;
    int local_len = sizeof(local), err = 0, close_err;
    SOCKET probe;

    memset(&to, 0, sizeof(to));
    memcpy(&to, dest, len);
    /* A datagram socket's connect sends nothing: it only picks the route and the address. */
    if (to.ss_family == AF_INET ? !((SOCKADDR_IN *)&to)->sin_port
                                : !((SOCKADDR_IN6 *)&to)->sin6_port)
        ((SOCKADDR_IN *)&to)->sin_port = htons(9); /* same offset in both families */
    probe = afd_socket(to.ss_family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0, &err);
    if (probe == INVALID_SOCKET) return err;
    if (!afd_connect(probe, (SOCKADDR *)&to, len, NULL, NULL, NULL, NULL, &err) &&
        !afd_getsockname(probe, (SOCKADDR *)&local, &local_len, &err)) {
        ((SOCKADDR_IN *)&local)->sin_port = 0;
        memcpy(source, &local, sizeof(local));
    }
    afd_closesocket(probe, &close_err);
    return err;
}

static const struct local_ioctl local_ioctls[] = {
    {SIO_BASE_HANDLE, PEND_NOT_SUPPORTED, answer_base_handle},
    {SIO_BSP_HANDLE, PEND_NOT_SUPPORTED, answer_base_handle},
    {SIO_BSP_HANDLE_SELECT, PEND_NOT_SUPPORTED, answer_base_handle},
    {SIO_BSP_HANDLE_POLL, PEND_NOT_SUPPORTED, answer_base_handle},
    {SIO_IDEAL_SEND_BACKLOG_QUERY, COMPLETE_SUCCESS, answer_ideal_send_backlog},
    {SIO_LOOPBACK_FAST_PATH, COMPLETE_SUCCESS, answer_loopback_fast_path},
    {SIO_UDP_CONNRESET, COMPLETE_SUCCESS, answer_udp_reset},
    {SIO_UDP_NETRESET, COMPLETE_SUCCESS, answer_udp_reset},
    {SIO_ADDRESS_LIST_QUERY, COMPLETE_SUCCESS, answer_address_list},
    {SIO_ROUTING_INTERFACE_QUERY, COMPLETE_SUCCESS, answer_routing_interface},
    {SIO_APPLY_TRANSPORT_SETTING, COMPLETE_SUCCESS, answer_transport_setting},
    {SIOCATMARK, COMPLETE_SUCCESS, answer_atmark},
};

/* Complete an overlapped request that was answered at once, with STATUS. */
static int complete_answered(SOCKET s, NTSTATUS status, LPWSAOVERLAPPED ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    if (afd_transfer(s, AFD_WINE(AFD_W_COMPLETE_ASYNC), &status, sizeof(status), NULL, 0, NULL, ov,
                     routine, err) &&
        *err != WSA_IO_PENDING)
        return SOCKET_ERROR;
    return 0;
}

int afd_unsupported_ioctl(SOCKET s, LPDWORD returned, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    if (!ov) {
        *returned = 0;
        *err = WSAEOPNOTSUPP;
        return SOCKET_ERROR;
    }
    /* Overlapped, Windows takes the request and fails it through the OVERLAPPED. */
    if (!ws_writable(ov, sizeof(*ov))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* The device reports the failure it was asked to complete with, and still completes the
       request through the event, routine or port: to the program the call is pending. */
    complete_answered(s, STATUS_NOT_SUPPORTED_, ov, routine, err);
    *err = WSA_IO_PENDING;
    return SOCKET_ERROR;
}

/*
 * SIO_ROUTING_INTERFACE_CHANGE on a socket selected for FD_ROUTING_INTERFACE_CHANGE, without an
 * OVERLAPPED: the notification thread watches the route to the destination, and the call fails
 * with WSAEWOULDBLOCK, as the reference page describes for non-blocking sockets. The blocking and
 * overlapped forms, which would complete only on a change, are not provided.
 */
static int routing_change(SOCKET s, struct ws_socket *sock, const void *in, DWORD in_len,
                          LPDWORD returned, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    int len;

    if (!in || in_len < sizeof(SOCKADDR) || !ws_readable(in, sizeof(SOCKADDR))) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (!(len = ws_sockaddr_len(((const SOCKADDR *)in)->sa_family))) {
        *err = WSAEAFNOSUPPORT;
        return SOCKET_ERROR;
    }
    if (in_len < (DWORD)len || !ws_readable(in, len)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (!ov && (sock->flags & WS_SOCK_NOTIFY) && afd_notify_arm_routing_change(s, in, len)) {
        *returned = 0;
        *err = WSAEWOULDBLOCK;
        return SOCKET_ERROR;
    }
    return afd_unsupported_ioctl(s, returned, ov, routine, err);
}

int afd_local_ioctl(SOCKET s, struct ws_socket *sock, DWORD code, LPVOID in, DWORD in_len,
                    LPVOID out, DWORD out_len, LPDWORD returned, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    const struct local_ioctl *ioctl = NULL;
    DWORD size;

    if (code == SIO_ROUTING_INTERFACE_CHANGE)
        return routing_change(s, sock, in, in_len, returned, ov, routine, err);

    for (size_t i = 0; i < ARRAY_COUNT(local_ioctls) && !ioctl; i++)
        if (local_ioctls[i].code == code) ioctl = &local_ioctls[i];
    if (!ioctl) return AFD_NOT_LOCAL;
    if (ov && !ws_writable(ov, sizeof(*ov))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (ov && ioctl->overlapped == PEND_NOT_SUPPORTED)
        return afd_unsupported_ioctl(s, returned, ov, routine, err);
    size = *returned;
    if ((*err = ioctl->answer(s, sock, in, in_len, out, out_len, &size))) {
        *returned = size;
        return SOCKET_ERROR;
    }
    *returned = size;
    if (ov) return complete_answered(s, STATUS_OK, ov, routine, err);
    return 0;
}
