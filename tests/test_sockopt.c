/* getsockopt and setsockopt: documented values, length rules and errors. */
#include "ws_test.h"
#include <mswsock.h>
#include <mstcpip.h>

#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009
#endif
#ifndef SO_RANDOMIZE_PORT
#define SO_RANDOMIZE_PORT 0x3005
#endif
#ifndef SO_PORT_SCALABILITY
#define SO_PORT_SCALABILITY 0x3006
#endif
#ifndef SO_REUSE_UNICASTPORT
#define SO_REUSE_UNICASTPORT 0x3007
#endif

/* Socket kinds, as a mask. */
#define T4  0x1
#define U4  0x2
#define T6  0x4
#define U6  0x8
#define ALL (T4 | U4 | T6 | U6)

static const struct {
    int mask, af, type;
} kinds[] = {
    {T4, AF_INET, SOCK_STREAM},
    {U4, AF_INET, SOCK_DGRAM},
    {T6, AF_INET6, SOCK_STREAM},
    {U6, AF_INET6, SOCK_DGRAM},
};

static SOCKET make_socket(int af, int type)
{
    SOCKET s = socket(af, type, 0);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* Set a DWORD option: success, and the last error is 0. */
static void set_dword(SOCKET s, int level, int name, DWORD value)
{
    SetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(s, level, name, (const char *)&value, sizeof(value)), 0);
    assert_int_equal(WSAGetLastError(), 0);
}

/* Get an option into a DWORD buffer: success, last error 0, the length Windows reports. */
static DWORD get_dword(SOCKET s, int level, int name, int expected_len)
{
    DWORD value = 0;
    int len = sizeof(value);
    SetLastError(0xdeadbeef);
    assert_int_equal(getsockopt(s, level, name, (char *)&value, &len), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(len, expected_len);
    return value;
}

/* ---- round trips ---- */

static const struct {
    int mask, level, name;
    DWORD first, second;
    int len; /* what getsockopt reports: 4, or 1 for the one-byte booleans */
} round_trips[] = {
    {U4, SOL_SOCKET, SO_BROADCAST, 1, 0, 4},
    {ALL, SOL_SOCKET, SO_DEBUG, 1, 0, 4},
    {T4 | T6, SOL_SOCKET, SO_DONTLINGER, 0, 1, 4},
    {T4 | U4, SOL_SOCKET, SO_DONTROUTE, 1, 0, 1},
    {ALL, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1, 0, 4},
    {T4 | T6, SOL_SOCKET, SO_KEEPALIVE, 1, 0, 1},
    {T4 | T6, SOL_SOCKET, SO_OOBINLINE, 1, 0, 4},
    {ALL, SOL_SOCKET, SO_PORT_SCALABILITY, 1, 0, 4},
    {ALL, SOL_SOCKET, SO_RCVBUF, 4096, 16384, 4},
    {ALL, SOL_SOCKET, SO_RCVTIMEO, 1234, 0, 4},
    {ALL, SOL_SOCKET, SO_REUSEADDR, 1, 0, 4},
    {ALL, SOL_SOCKET, SO_REUSE_UNICASTPORT, 1, 0, 4},
    {ALL, SOL_SOCKET, SO_SNDBUF, 4096, 16384, 4},
    {ALL, SOL_SOCKET, SO_SNDTIMEO, 4321, 0, 4},
    {T4 | T6, IPPROTO_TCP, TCP_NODELAY, 1, 0, 1},
    {T4 | U4, IPPROTO_IP, IP_TTL, 33, 64, 4},
    {T4 | U4, IPPROTO_IP, IP_TOS, 0x10, 0, 4},
    {U4, IPPROTO_IP, IP_MULTICAST_TTL, 5, 1, 4},
    {U4, IPPROTO_IP, IP_MULTICAST_LOOP, 0, 1, 4},
    {U4, IPPROTO_IP, IP_PKTINFO, 1, 0, 4},
    {U4, IPPROTO_IP, IP_RECVTTL, 1, 0, 4},
    {U4, IPPROTO_IP, IP_RECVTOS, 1, 0, 4},
    {U4, IPPROTO_IP, IP_DONTFRAGMENT, 1, 0, 4},
    {T6 | U6, IPPROTO_IPV6, IPV6_V6ONLY, 0, 1, 1},
    {T6 | U6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 33, 64, 4},
    {U6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 5, 1, 4},
    {U6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, 1, 4},
    {U6, IPPROTO_IPV6, IPV6_PKTINFO, 1, 0, 4},
    {U6, IPPROTO_IPV6, IPV6_HOPLIMIT, 1, 0, 4},
    {U6, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, 0, 4},
    {U6, IPPROTO_IPV6, IPV6_DONTFRAG, 1, 0, 4},
};

static void test_every_option_round_trips_on_tcp_and_udp_over_ipv4_and_ipv6(void **state)
{
    (void)state;
    for (size_t k = 0; k < ARRAYSIZE(kinds); k++) {
        SOCKET s = make_socket(kinds[k].af, kinds[k].type);
        for (size_t i = 0; i < ARRAYSIZE(round_trips); i++) {
            if (!(round_trips[i].mask & kinds[k].mask)) continue;
            print_message("# kind %u, level %d, option %#x\n", (unsigned)k, round_trips[i].level,
                          round_trips[i].name);
            set_dword(s, round_trips[i].level, round_trips[i].name, round_trips[i].first);
            assert_int_equal(
                get_dword(s, round_trips[i].level, round_trips[i].name, round_trips[i].len),
                round_trips[i].first);
            set_dword(s, round_trips[i].level, round_trips[i].name, round_trips[i].second);
            assert_int_equal(
                get_dword(s, round_trips[i].level, round_trips[i].name, round_trips[i].len),
                round_trips[i].second);
        }
        closesocket(s);
    }
}

static void test_SO_LINGER_round_trips_on_tcp(void **state)
{
    static const int families[] = {AF_INET, AF_INET6};
    (void)state;
    for (size_t f = 0; f < ARRAYSIZE(families); f++) {
        SOCKET s = make_socket(families[f], SOCK_STREAM);
        struct linger in = {1, 5}, out = {0xdead, 0xbeef};
        int len = sizeof(out);
        assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&in, sizeof(in)), 0);
        SetLastError(0xdeadbeef);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&out, &len), 0);
        assert_int_equal(WSAGetLastError(), 0);
        assert_int_equal(len, sizeof(out));
        assert_true(out.l_onoff);
        assert_int_equal(out.l_linger, 5);
        in.l_onoff = 0;
        assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&in, sizeof(in)), 0);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&out, &len), 0);
        assert_false(out.l_onoff);
        closesocket(s);
    }
}

static void test_SO_DONTLINGER_is_the_inverse_of_SO_LINGER(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    struct linger linger = {1, 7};
    int len = sizeof(linger);
    (void)state;
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_DONTLINGER, 4), 1); /* no lingering by default */
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger)), 0);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_DONTLINGER, 4), 0);
    set_dword(s, SOL_SOCKET, SO_DONTLINGER, 1);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len), 0);
    assert_false(linger.l_onoff);
    /* Lingering again restores the time set before. */
    set_dword(s, SOL_SOCKET, SO_DONTLINGER, 0);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len), 0);
    assert_true(linger.l_onoff);
    assert_int_equal(linger.l_linger, 7);
    closesocket(s);
}

/* ---- values computed from the socket ---- */

static void test_SO_TYPE_reports_the_socket_type(void **state)
{
    (void)state;
    for (size_t k = 0; k < ARRAYSIZE(kinds); k++) {
        SOCKET s = make_socket(kinds[k].af, kinds[k].type);
        assert_int_equal(get_dword(s, SOL_SOCKET, SO_TYPE, 4), kinds[k].type);
        closesocket(s);
    }
}

static void test_SO_ACCEPTCONN_is_true_only_on_a_listening_socket(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET s = make_socket(AF_INET, SOCK_STREAM), listener;
    (void)state;
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_ACCEPTCONN, 4), 0);
    listener = ws_test_listener(AF_INET, &addr, &len);
    assert_int_equal(get_dword(listener, SOL_SOCKET, SO_ACCEPTCONN, 4), 1);
    closesocket(listener);
    closesocket(s);
}

static void test_SO_ERROR_is_zero_on_a_fresh_socket(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    (void)state;
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_ERROR, 4), 0);
    closesocket(s);
}

static void test_SO_ERROR_with_a_one_byte_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    int value = 0, len = 1;
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len), WSAEFAULT);
    closesocket(s);
}

static void test_SO_MAX_MSG_SIZE_is_the_largest_udp_payload(void **state)
{
    SOCKET s4 = make_socket(AF_INET, SOCK_DGRAM), s6 = make_socket(AF_INET6, SOCK_DGRAM);
    (void)state;
    assert_int_equal(get_dword(s4, SOL_SOCKET, SO_MAX_MSG_SIZE, 4), 65507);
    assert_int_equal(get_dword(s6, SOL_SOCKET, SO_MAX_MSG_SIZE, 4), 65527);
    closesocket(s4);
    closesocket(s6);
}

static void test_SO_CONNECT_TIME_is_all_ones_until_connected(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM), client, server;
    (void)state;
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_CONNECT_TIME, 4), 0xffffffff);
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_true(get_dword(client, SOL_SOCKET, SO_CONNECT_TIME, 4) != 0xffffffff);
    assert_true(get_dword(server, SOL_SOCKET, SO_CONNECT_TIME, 4) != 0xffffffff);
    closesocket(s);
    closesocket(client);
    closesocket(server);
}

static void test_SO_GROUP_ID_and_SO_GROUP_PRIORITY_are_zero(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    (void)state;
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_GROUP_ID, 4), 0);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_GROUP_PRIORITY, 4), 0);
    closesocket(s);
}

static void test_SO_PROTOCOL_INFO_describes_the_socket(void **state)
{
    static const int protocols[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_TCP, IPPROTO_UDP};
    (void)state;
    for (size_t k = 0; k < ARRAYSIZE(kinds); k++) {
        WSAPROTOCOL_INFOA a;
        WSAPROTOCOL_INFOW w;
        char name[WSAPROTOCOL_LEN + 1];
        int len = sizeof(a);
        SOCKET s = make_socket(kinds[k].af, kinds[k].type);

        SetLastError(0xdeadbeef);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&a, &len), 0);
        assert_int_equal(WSAGetLastError(), 0);
        assert_int_equal(len, sizeof(a));
        len = sizeof(w);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&w, &len), 0);
        assert_int_equal(len, sizeof(w));

        assert_int_equal(w.iAddressFamily, kinds[k].af);
        assert_int_equal(w.iSocketType, kinds[k].type);
        assert_int_equal(w.iProtocol, protocols[k]);
        assert_int_equal(w.iVersion, 2);
        assert_int_equal(w.ProtocolChain.ChainLen, BASE_PROTOCOL);
        assert_int_equal(w.iMaxSockAddr, kinds[k].af == AF_INET ? sizeof(struct sockaddr_in)
                                                                : sizeof(struct sockaddr_in6));
        assert_true(w.dwServiceFlags1 & XP1_IFS_HANDLES);
        if (kinds[k].type == SOCK_STREAM)
            assert_true(w.dwServiceFlags1 & XP1_GUARANTEED_DELIVERY);
        else
            assert_true(w.dwServiceFlags1 & XP1_CONNECTIONLESS);
        assert_true(w.szProtocol[0] != 0);
        /* The A form is the W form with the name converted. */
        assert_memory_equal(&a, &w, offsetof(WSAPROTOCOL_INFOA, szProtocol));
        WideCharToMultiByte(CP_ACP, 0, w.szProtocol, -1, name, sizeof(name), NULL, NULL);
        assert_string_equal(a.szProtocol, name);
        closesocket(s);
    }
}

static void
test_SO_PROTOCOL_INFO_with_short_buffer_fails_with_WSAEFAULT_and_reports_the_size(void **state)
{
    WSAPROTOCOL_INFOA a;
    int len = sizeof(a) / 2;
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&a, &len), WSAEFAULT);
    assert_int_equal(len, sizeof(a));
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, &len), WSAEFAULT);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&a, NULL), WSAEFAULT);
    /* A larger buffer is fine, and its length is left as it was. */
    {
        char big[sizeof(a) * 2];
        len = sizeof(big);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, big, &len), 0);
        assert_int_equal(len, sizeof(big));
    }
    closesocket(s);
}

static void test_SO_BSP_STATE_reports_local_and_remote_addresses(void **state)
{
    union {
        CSADDR_INFO info;
        char space[256];
    } c, s_state;
    struct sockaddr_in name;
    int len = sizeof(c), name_len;
    SOCKET fresh = make_socket(AF_INET, SOCK_STREAM), client, server;
    (void)state;

    assert_int_equal(getsockopt(fresh, SOL_SOCKET, SO_BSP_STATE, c.space, &len), 0);
    assert_null(c.info.LocalAddr.lpSockaddr);
    assert_int_equal(c.info.LocalAddr.iSockaddrLength, 0);
    assert_null(c.info.RemoteAddr.lpSockaddr);
    assert_int_equal(c.info.RemoteAddr.iSockaddrLength, 0);
    assert_int_equal(c.info.iSocketType, SOCK_STREAM);
    assert_int_equal(c.info.iProtocol, IPPROTO_TCP);
    closesocket(fresh);

    ws_test_tcp_pair(AF_INET, &client, &server);
    len = sizeof(c);
    assert_int_equal(getsockopt(client, SOL_SOCKET, SO_BSP_STATE, c.space, &len), 0);
    assert_int_equal(len, sizeof(c));
    len = sizeof(s_state);
    assert_int_equal(getsockopt(server, SOL_SOCKET, SO_BSP_STATE, s_state.space, &len), 0);
    assert_int_equal(c.info.LocalAddr.iSockaddrLength, sizeof(name));
    assert_int_equal(c.info.RemoteAddr.iSockaddrLength, sizeof(name));
    name_len = sizeof(name);
    assert_int_equal(getsockname(client, (struct sockaddr *)&name, &name_len), 0);
    assert_memory_equal(c.info.LocalAddr.lpSockaddr, &name, sizeof(name));
    assert_memory_equal(s_state.info.RemoteAddr.lpSockaddr, &name, sizeof(name));
    name_len = sizeof(name);
    assert_int_equal(getpeername(client, (struct sockaddr *)&name, &name_len), 0);
    assert_memory_equal(c.info.RemoteAddr.lpSockaddr, &name, sizeof(name));
    assert_memory_equal(s_state.info.LocalAddr.lpSockaddr, &name, sizeof(name));
    closesocket(client);
    closesocket(server);
}

static void test_SO_BSP_STATE_with_short_buffer_fails_with_WSAEFAULT(void **state)
{
    union {
        CSADDR_INFO info;
        char space[256];
    } c;
    int len = sizeof(CSADDR_INFO) + 2 * sizeof(struct sockaddr_in) - 1;
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_BSP_STATE, c.space, &len), WSAEFAULT);
    len++;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_BSP_STATE, c.space, &len), 0);
    closesocket(s);
}

static void test_IPV6_V6ONLY_is_on_by_default(void **state)
{
    SOCKET s = make_socket(AF_INET6, SOCK_STREAM);
    (void)state;
    assert_int_equal(get_dword(s, IPPROTO_IPV6, IPV6_V6ONLY, 1) & 0xff, 1);
    closesocket(s);
}

static void test_IPV6_PROTECTION_LEVEL_is_unrestricted(void **state)
{
    SOCKET s = make_socket(AF_INET6, SOCK_DGRAM);
    DWORD level = PROTECTION_LEVEL_RESTRICTED;
    (void)state;
    assert_int_equal(get_dword(s, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, 4),
                     PROTECTION_LEVEL_UNRESTRICTED);
    set_dword(s, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, PROTECTION_LEVEL_UNRESTRICTED);
    /* The host cannot restrict reachability: asking for it fails rather than pretending. */
    assert_socket_error(
        setsockopt(s, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, (char *)&level, sizeof(level)),
        WSAENOPROTOOPT);
    closesocket(s);
}

/* ---- options that cannot be changed ---- */

static void test_setting_a_read_only_option_fails_with_WSAENOPROTOOPT(void **state)
{
    static const int names[] = {SO_ACCEPTCONN, SO_MAX_MSG_SIZE, SO_PROTOCOL_INFOA, SO_GROUP_ID,
                                SO_CONNECT_TIME};
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = 1;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(names); i++)
        assert_socket_error(setsockopt(s, SOL_SOCKET, names[i], (char *)&value, sizeof(value)),
                            WSAENOPROTOOPT);
    closesocket(s);
}

static void test_setting_SO_TYPE_on_a_datagram_socket_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    DWORD value = SOCK_STREAM;
    (void)state;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, sizeof(value)),
                        WSAEINVAL);
    value = SOCK_DGRAM;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, sizeof(value)),
                        WSAEINVAL);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_TYPE, 4), SOCK_DGRAM);
    closesocket(s);
}

/* On a stream socket SO_TYPE is not an option that can be set at all. */
static void test_setting_SO_TYPE_on_a_stream_socket_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = SOCK_STREAM;
    (void)state;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, sizeof(value)),
                        WSAENOPROTOOPT);
    value = SOCK_DGRAM;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, sizeof(value)),
                        WSAENOPROTOOPT);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_TYPE, 4), SOCK_STREAM);
    closesocket(s);
}

/* Windows keeps IPV6_V6ONLY for an IPv4 socket too: on, changeable until the socket is bound. */
static void test_IPV6_V6ONLY_of_an_ipv4_socket_is_kept_until_it_is_bound(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    struct sockaddr_storage addr;
    DWORD off = 0, on = 1;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    (void)state;
    assert_int_equal(get_dword(s, IPPROTO_IPV6, IPV6_V6ONLY, 1) & 0xff, 1);
    assert_int_equal(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof(off)), 0);
    assert_int_equal(get_dword(s, IPPROTO_IPV6, IPV6_V6ONLY, 1) & 0xff, 0);
    assert_int_equal(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&on, sizeof(on)), 0);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(get_dword(s, IPPROTO_IPV6, IPV6_V6ONLY, 1) & 0xff, 1);
    assert_socket_error(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof(off)),
                        WSAEINVAL);
    assert_int_equal(get_dword(s, IPPROTO_IPV6, IPV6_V6ONLY, 1) & 0xff, 1);
    closesocket(s);
}

static void test_reading_a_write_only_option_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    char value[64];
    int len = sizeof(value);
    (void)state;
    assert_socket_error(getsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, value, &len), WSAENOPROTOOPT);
    len = sizeof(value);
    assert_socket_error(getsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, value, &len), WSAENOPROTOOPT);
    len = sizeof(value);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, value, &len),
                        WSAENOPROTOOPT);
    closesocket(s);
}

static void test_options_the_host_cannot_provide_fail_with_WSAENOPROTOOPT(void **state)
{
    static const struct {
        int level, name;
    } gaps[] = {
        {SOL_SOCKET, SO_RCVLOWAT},
        {SOL_SOCKET, SO_SNDLOWAT},
        {SOL_SOCKET, SO_USELOOPBACK},
        {IPPROTO_TCP, 2 /* TCP_EXPEDITED_1122 */},
        {IPPROTO_UDP, UDP_NOCHECKSUM},
        {IPPROTO_IP, 71 /* IP_MTU_DISCOVER */},
        {IPPROTO_IPV6, 1 /* IPV6_HOPOPTS */},
    };
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = 1;
    int len;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(gaps); i++) {
        len = sizeof(value);
        assert_socket_error(getsockopt(s, gaps[i].level, gaps[i].name, (char *)&value, &len),
                            WSAENOPROTOOPT);
        assert_socket_error(
            setsockopt(s, gaps[i].level, gaps[i].name, (char *)&value, sizeof(value)),
            WSAENOPROTOOPT);
    }
    /* Only the default of these exists on this host. */
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, 4), 0);
    set_dword(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, 0);
    assert_socket_error(
        setsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&value, sizeof(value)),
        WSAENOPROTOOPT);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_RANDOMIZE_PORT, 4), 1);
    set_dword(s, SOL_SOCKET, SO_RANDOMIZE_PORT, 1);
    value = 0;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_RANDOMIZE_PORT, (char *)&value, sizeof(value)),
                        WSAENOPROTOOPT);
    closesocket(s);
}

/* Windows stores a value set with SO_ERROR, and a get reads it back. */
static void test_SO_ERROR_set_by_the_program_reads_back(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD value = 1234;
    (void)state;
    WSASetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, sizeof(value)), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_ERROR, 4), 1234);
    closesocket(s);
}

static void test_SO_UPDATE_CONTEXT_options_are_accepted(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    SetLastError(0xdeadbeef);
    assert_int_equal(
        setsockopt(server, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&client, sizeof(client)),
        0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_socket_error(
        setsockopt(server, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&client, 1), WSAEFAULT);
    assert_int_equal(setsockopt(client, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    closesocket(client);
    closesocket(server);
}

static void test_SO_DONTROUTE_on_ipv6_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = make_socket(AF_INET6, SOCK_STREAM);
    DWORD value = 1;
    (void)state;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_DONTROUTE, (char *)&value, sizeof(value)),
                        WSAENOPROTOOPT);
    closesocket(s);
}

static void test_SO_LINGER_on_udp_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    struct linger linger;
    int len = sizeof(linger);
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len),
                        WSAENOPROTOOPT);
    closesocket(s);
}

static void test_SO_EXCLUSIVEADDRUSE_and_SO_REUSEADDR_exclude_each_other(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD one = 1;
    (void)state;
    set_dword(s, SOL_SOCKET, SO_REUSEADDR, 1);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&one, sizeof(one)),
                        WSAEINVAL);
    set_dword(s, SOL_SOCKET, SO_REUSEADDR, 0);
    set_dword(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&one, sizeof(one)),
                        WSAEINVAL);
    closesocket(s);
}

/* ---- levels and names ---- */

static void test_unknown_option_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = 1;
    int len = sizeof(value);
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, 0x1234, (char *)&value, &len), WSAENOPROTOOPT);
    assert_socket_error(setsockopt(s, SOL_SOCKET, 0x1234, (char *)&value, sizeof(value)),
                        WSAENOPROTOOPT);
    len = sizeof(value);
    assert_socket_error(getsockopt(s, IPPROTO_IP, -1, (char *)&value, &len), WSAENOPROTOOPT);
    len = sizeof(value);
    assert_socket_error(getsockopt(s, IPPROTO_TCP, 0x4321, (char *)&value, &len), WSAENOPROTOOPT);
    closesocket(s);
}

static void test_unknown_level_fails_with_WSAEINVAL(void **state)
{
    static const int levels[] = {(int)0xffffffff, 0x1234ffff, (int)0x8000ffff, 0x8000, 0x800};
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    DWORD value = 1000;
    int len;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(levels); i++) {
        len = sizeof(value);
        assert_socket_error(getsockopt(s, levels[i], SO_MAX_MSG_SIZE, (char *)&value, &len),
                            WSAEINVAL);
        assert_socket_error(setsockopt(s, levels[i], SO_RCVTIMEO, (char *)&value, sizeof(value)),
                            WSAEINVAL);
    }
    closesocket(s);
}

static void test_option_of_another_protocol_fails_with_WSAEINVAL(void **state)
{
    SOCKET tcp = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = 1;
    int len = sizeof(value);
    (void)state;
    /* Multicast belongs to datagram sockets. */
    assert_socket_error(getsockopt(tcp, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&value, &len),
                        WSAEINVAL);
    assert_socket_error(
        setsockopt(tcp, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&value, sizeof(value)), WSAEINVAL);
    len = sizeof(value);
    assert_socket_error(getsockopt(tcp, IPPROTO_IP, IP_PKTINFO, (char *)&value, &len), WSAEINVAL);
    assert_socket_error(setsockopt(tcp, IPPROTO_IP, IP_HDRINCL, (char *)&value, sizeof(value)),
                        WSAEINVAL);
    closesocket(tcp);
}

/* ---- buffers and lengths ---- */

static void test_getsockopt_without_a_valid_length_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value;
    int len;
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, NULL), WSAEFAULT);
    len = 0;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len), WSAEFAULT);
    len = -1;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len), WSAEFAULT);
    assert_int_equal(len, -1);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, (int *)1), WSAEFAULT);
    closesocket(s);
}

static void test_getsockopt_with_a_bad_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    int len = sizeof(DWORD);
    (void)state;
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, NULL, &len), WSAEFAULT);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)1, &len), WSAEFAULT);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)1, &len), WSAEFAULT);
    assert_socket_error(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, NULL, &len), WSAEFAULT);
    closesocket(s);
}

static void test_setsockopt_with_a_bad_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    (void)state;
    /* A value passed where its address belongs. */
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_DONTROUTE, (char *)1, 1), WSAEFAULT);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_RCVBUF, NULL, sizeof(DWORD)), WSAEFAULT);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_LINGER, NULL, sizeof(struct linger)),
                        WSAEFAULT);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_LINGER, NULL, 0), WSAEFAULT);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_DONTLINGER, NULL, sizeof(BOOL)), WSAEFAULT);
    assert_socket_error(setsockopt(s, IPPROTO_IP, IP_TTL, (char *)16, sizeof(DWORD)), WSAEFAULT);
    closesocket(s);
}

static void test_integer_option_with_a_short_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = 0xdeadbeef;
    int len = 2;
    (void)state;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&value, 2), WSAEFAULT);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&value, 0), WSAEFAULT);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&value, &len), WSAEFAULT);
    assert_int_equal(value, 0xdeadbeef);
    /* The buffer sizes clear what they were given before failing. */
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len), WSAEFAULT);
    assert_int_equal(value, 0xdead0000);
    closesocket(s);
}

static void test_SO_LINGER_with_a_short_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    struct linger linger = {1, 1};
    int len = 2;
    (void)state;
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, 2), WSAEFAULT);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len), WSAEFAULT);
    closesocket(s);
}

static void test_boolean_option_accepts_a_short_buffer(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    DWORD value = 1;
    int len = 1;
    (void)state;
    SetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&value, 1), 0);
    assert_int_equal(WSAGetLastError(), 0);
    value = 0xdeadbeef;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&value, &len), 0);
    assert_int_equal(len, 1);
    assert_int_equal(value, 0xdeadbe01);
    /* Two bytes of the DWORD are written, the length still says 1. */
    value = 0xdeadbeef;
    len = 2;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&value, &len), 0);
    assert_int_equal(len, 1);
    assert_int_equal(value, 0xdead0001);
    /* A larger value is TRUE; a longer buffer reads its first four bytes. */
    {
        UINT64 wide = 0xffffffff00000100ull;
        assert_int_equal(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&wide, sizeof(wide)), 0);
        len = sizeof(wide);
        wide = 0;
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&wide, &len), 0);
        assert_int_equal(len, 4);
        assert_int_equal(wide, 1);
    }
    closesocket(s);
}

static void test_boolean_option_with_length_zero_is_set_to_false(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    DWORD value = 1;
    (void)state;
    set_dword(s, SOL_SOCKET, SO_BROADCAST, 1);
    SetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_BROADCAST, (char *)&value, 0), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(get_dword(s, SOL_SOCKET, SO_BROADCAST, 4), 0);
    closesocket(s);
}

static void test_TCP_NODELAY_reads_one_byte_of_any_positive_length(void **state)
{
    static const int lengths[] = {1, 4, 42};
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    char value[64] = {1};
    DWORD big = 0x100;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(lengths); i++) {
        assert_int_equal(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, value, lengths[i]), 0);
        assert_int_equal(get_dword(s, IPPROTO_TCP, TCP_NODELAY, 1), 1);
        set_dword(s, IPPROTO_TCP, TCP_NODELAY, 0);
    }
    assert_socket_error(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, value, 0), WSAEFAULT);
    assert_socket_error(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, value, -1), WSAENOBUFS);
    assert_int_equal(get_dword(s, IPPROTO_TCP, TCP_NODELAY, 1), 0);
    /* Only the first byte counts: 0x100 is off. */
    set_dword(s, IPPROTO_TCP, TCP_NODELAY, big);
    assert_int_equal(get_dword(s, IPPROTO_TCP, TCP_NODELAY, 1), 0);
    closesocket(s);
}

static void test_IP_TTL_above_255_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    DWORD value = 0x100;
    (void)state;
    assert_socket_error(setsockopt(s, IPPROTO_IP, IP_TTL, (char *)&value, sizeof(value)),
                        WSAEINVAL);
    assert_socket_error(setsockopt(s, IPPROTO_IP, IP_TOS, (char *)&value, sizeof(value)),
                        WSAEINVAL);
    assert_socket_error(setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&value, sizeof(value)),
                        WSAEINVAL);
    /* A boolean of the IP level takes any value as TRUE. */
    set_dword(s, IPPROTO_IP, IP_MULTICAST_LOOP, 0x100);
    assert_int_equal(get_dword(s, IPPROTO_IP, IP_MULTICAST_LOOP, 4), 1);
    closesocket(s);
}

static void test_IP_MULTICAST_TTL_reads_only_the_bytes_given(void **state)
{
    static const DWORD values[] = {0xffffff0a, 0xffff000b, 0xff00000c, 0x0000000d};
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    (void)state;
    for (int i = 0; i < 4; i++) {
        DWORD expected = i < 3 ? values[i] & ((1u << (i + 1) * 8) - 1) : values[i];
        assert_int_equal(setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&values[i], i + 1), 0);
        assert_int_equal(get_dword(s, IPPROTO_IP, IP_MULTICAST_TTL, 4), expected);
    }
    closesocket(s);
}

static void test_IP_TTL_with_a_short_buffer_gets_one_byte(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    DWORD value = 0xdeadbeef;
    int len = 2;
    (void)state;
    set_dword(s, IPPROTO_IP, IP_TTL, 0x21);
    assert_int_equal(getsockopt(s, IPPROTO_IP, IP_TTL, (char *)&value, &len), 0);
    assert_int_equal(len, 1);
    assert_int_equal(value, 0xdeadbe21);
    closesocket(s);
}

static void test_IP_level_option_with_negative_length_fails_with_WSAENOBUFS(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM), s6 = make_socket(AF_INET6, SOCK_DGRAM);
    DWORD value = 1;
    (void)state;
    assert_socket_error(setsockopt(s, IPPROTO_IP, IP_TTL, (char *)&value, -1), WSAENOBUFS);
    assert_socket_error(setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, -1), WSAENOBUFS);
    /* At SOL_SOCKET the length compares unsigned: -1 reads one DWORD. */
    SetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, -1), 0);
    assert_int_equal(WSAGetLastError(), 0);
    closesocket(s);
    closesocket(s6);
}

static void test_IP_PKTINFO_with_a_short_buffer_fails_with_WSAEFAULT_and_length_zero(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    DWORD value = 1;
    int len = 2;
    (void)state;
    assert_socket_error(getsockopt(s, IPPROTO_IP, IP_PKTINFO, (char *)&value, &len), WSAEFAULT);
    assert_int_equal(len, 0);
    assert_socket_error(setsockopt(s, IPPROTO_IP, IP_PKTINFO, (char *)&value, 2), WSAEFAULT);
    closesocket(s);
}

static void test_address_options_pass_their_bytes_through(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_DGRAM);
    struct in_addr in = {.s_addr = htonl(INADDR_LOOPBACK)}, out = {0};
    char options[40];
    int len = sizeof(out);
    (void)state;
    SetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, (char *)&in, sizeof(in)), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(getsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, (char *)&out, &len), 0);
    assert_int_equal(len, sizeof(out));
    assert_int_equal(out.s_addr, in.s_addr);
    /* No IP options are set on a new socket. */
    len = sizeof(options);
    assert_int_equal(getsockopt(s, IPPROTO_IP, IP_OPTIONS, options, &len), 0);
    assert_int_equal(len, 0);
    closesocket(s);
}

/* ---- behaviour ---- */

static void test_SO_RCVTIMEO_makes_a_blocking_recv_fail_with_WSAETIMEDOUT(void **state)
{
    SOCKET client, server;
    char byte;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(get_dword(client, SOL_SOCKET, SO_RCVTIMEO, 4), 0);
    set_dword(client, SOL_SOCKET, SO_RCVTIMEO, 200);
    assert_socket_error(recv(client, &byte, 1, 0), WSAETIMEDOUT);
    /* Data that arrives is still received. */
    assert_int_equal(send(server, "a", 1, 0), 1);
    assert_int_equal(recv(client, &byte, 1, 0), 1);
    assert_int_equal(byte, 'a');
    closesocket(client);
    closesocket(server);
}

static DWORD WINAPI read_opentype(void *arg)
{
    int len = sizeof(int);
    if (getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)arg, &len)) return 1;
    return 0;
}

static void test_SO_OPENTYPE_is_per_thread_and_needs_no_socket(void **state)
{
    int value = SO_SYNCHRONOUS_NONALERT, other = -1, len = sizeof(value);
    HANDLE thread;
    (void)state;
    SetLastError(0xdeadbeef);
    assert_int_equal(
        setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, sizeof(value)), 0);
    assert_int_equal(WSAGetLastError(), 0);
    value = 0;
    SetLastError(0xdeadbeef);
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(len, sizeof(int));
    assert_int_equal(value, SO_SYNCHRONOUS_NONALERT);
    /* The length compares unsigned: -1 is a large buffer. */
    len = -1;
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), 0);
    assert_int_equal(len, sizeof(int));

    thread = CreateThread(NULL, 0, read_opentype, &other, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_int_equal(other, 0);

    value = 0;
    assert_int_equal(
        setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, sizeof(value)), 0);
}

static void test_SO_OPENTYPE_with_a_short_length_fails_with_WSAEFAULT(void **state)
{
    int value = 0, len = 2;
    (void)state;
    assert_socket_error(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len),
                        WSAEFAULT);
    len = 0;
    assert_socket_error(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len),
                        WSAEFAULT);
    assert_socket_error(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, 2),
                        WSAEFAULT);
    assert_socket_error(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, NULL, sizeof(int)),
                        WSAEFAULT);
}

/* ---- sockets and startup ---- */

static void test_non_socket_fails_with_WSAENOTSOCK(void **state)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SOCKET closed = make_socket(AF_INET, SOCK_STREAM);
    const SOCKET handles[] = {INVALID_SOCKET, (SOCKET)event, closed};
    DWORD value = 1;
    int len;
    (void)state;
    closesocket(closed);
    for (size_t i = 0; i < ARRAYSIZE(handles); i++) {
        len = sizeof(value);
        value = 1234;
        assert_socket_error(getsockopt(handles[i], SOL_SOCKET, SO_ERROR, (char *)&value, &len),
                            WSAENOTSOCK);
        assert_int_equal(value, 1234);
        assert_socket_error(
            setsockopt(handles[i], SOL_SOCKET, SO_RCVBUF, (char *)&value, sizeof(value)),
            WSAENOTSOCK);
    }
    /* The socket is looked up before the arguments. */
    assert_socket_error(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_PROTOCOL_INFOA, NULL, NULL),
                        WSAENOTSOCK);
    CloseHandle(event);
}

static void test_options_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    SOCKET s = make_socket(AF_INET, SOCK_STREAM);
    WSADATA data;
    DWORD value = 1;
    int len = sizeof(value);
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len),
                        WSANOTINITIALISED);
    assert_socket_error(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, sizeof(value)),
                        WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

/* ---- TCP keep-alive options ---- */

#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

static DWORD get_tcp(SOCKET s, int name)
{
    DWORD value = 0xdeadbeef;
    int len = sizeof(value);
    assert_int_equal(getsockopt(s, IPPROTO_TCP, name, (char *)&value, &len), 0);
    assert_int_equal(len, sizeof(value));
    return value;
}

static void set_tcp(SOCKET s, int name, DWORD value)
{
    assert_int_equal(setsockopt(s, IPPROTO_TCP, name, (const char *)&value, sizeof(value)), 0);
}

static void test_TCP_keepalive_options_start_at_Windows_defaults(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(get_tcp(s, TCP_KEEPALIVE), 7200);
    assert_int_equal(get_tcp(s, TCP_KEEPINTVL), 1);
    assert_int_equal(get_tcp(s, TCP_KEEPCNT), 10);
    closesocket(s);
}

static void test_TCP_KEEPALIVE_and_TCP_KEEPINTVL_are_kept_without_switching_keepalive_on(
    void **state)
{
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    DWORD on = 0xdeadbeef;
    int len = sizeof(on);
    (void)state;

    set_tcp(s, TCP_KEEPALIVE, 30);
    set_tcp(s, TCP_KEEPINTVL, 5);
    assert_int_equal(get_tcp(s, TCP_KEEPALIVE), 30);
    assert_int_equal(get_tcp(s, TCP_KEEPINTVL), 5);
    on = 0;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&on, &len), 0);
    assert_int_equal(on & 0xff, 0);
    /* With keep-alive on, it stays on. */
    on = 1;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (const char *)&on, sizeof(on)), 0);
    set_tcp(s, TCP_KEEPALIVE, 60);
    on = 0;
    len = sizeof(on);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&on, &len), 0);
    assert_int_equal(on & 0xff, 1);
    assert_int_equal(get_tcp(s, TCP_KEEPALIVE), 60);
    closesocket(s);
}

static void test_SIO_KEEPALIVE_VALS_sets_what_the_TCP_options_read(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct tcp_keepalive vals = {1, 20000, 3000};
    DWORD size = 0xdeadbeef;
    (void)state;
    assert_int_equal(WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, &size, NULL,
                              NULL),
                     0);
    assert_int_equal(get_tcp(s, TCP_KEEPALIVE), 20);
    assert_int_equal(get_tcp(s, TCP_KEEPINTVL), 3);
    /* A bad input buffer: WSAEFAULT and a byte count of 0. */
    size = 0xdeadbeef;
    assert_socket_error(WSAIoctl(s, SIO_KEEPALIVE_VALS, NULL, sizeof(vals), NULL, 0, &size, NULL,
                                 NULL),
                        WSAEFAULT);
    assert_int_equal(size, 0);
    closesocket(s);
}

/* Wine's socket device has no request for the probe count: setting another value fails with
   the "unsupported" error rather than being silently ignored. */
static void test_TCP_KEEPCNT_other_than_the_default_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD count = 5;
    (void)state;
    assert_socket_error(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, (const char *)&count,
                                   sizeof(count)),
                        WSAENOPROTOOPT);
    set_tcp(s, TCP_KEEPCNT, 10);
    assert_int_equal(get_tcp(s, TCP_KEEPCNT), 10);
    closesocket(s);
}

#ifndef TCP_MAXSEG
#define TCP_MAXSEG 4
#endif
#ifndef TCP_FASTOPEN
#define TCP_FASTOPEN 15
#endif

/* Wine's socket device has no request for the segment size or for fast open: both fail with
   the "unsupported" error, read or written, rather than answering something made up. */
static void test_TCP_MAXSEG_and_TCP_FASTOPEN_fail_with_WSAENOPROTOOPT(void **state)
{
    SOCKET client, server;
    DWORD value = 1;
    int len = sizeof(value);
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(getsockopt(client, IPPROTO_TCP, TCP_MAXSEG, (char *)&value, &len),
                        WSAENOPROTOOPT);
    assert_socket_error(
        setsockopt(client, IPPROTO_TCP, TCP_MAXSEG, (const char *)&value, sizeof(value)),
        WSAENOPROTOOPT);
    len = sizeof(value);
    assert_socket_error(getsockopt(client, IPPROTO_TCP, TCP_FASTOPEN, (char *)&value, &len),
                        WSAENOPROTOOPT);
    assert_socket_error(
        setsockopt(client, IPPROTO_TCP, TCP_FASTOPEN, (const char *)&value, sizeof(value)),
        WSAENOPROTOOPT);
    closesocket(client);
    closesocket(server);
}

static void test_TCP_keepalive_options_on_UDP_fail_with_WSAENOPROTOOPT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD value = 30;
    int len = sizeof(value);
    (void)state;
    assert_socket_error(setsockopt(s, IPPROTO_TCP, TCP_KEEPALIVE, (const char *)&value,
                                   sizeof(value)),
                        WSAENOPROTOOPT);
    assert_socket_error(getsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, (char *)&value, &len),
                        WSAENOPROTOOPT);
    closesocket(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_option_round_trips_on_tcp_and_udp_over_ipv4_and_ipv6),
    cmocka_unit_test(test_SO_LINGER_round_trips_on_tcp),
    cmocka_unit_test(test_SO_DONTLINGER_is_the_inverse_of_SO_LINGER),
    cmocka_unit_test(test_SO_TYPE_reports_the_socket_type),
    cmocka_unit_test(test_setting_SO_TYPE_on_a_datagram_socket_fails_with_WSAEINVAL),
    cmocka_unit_test(test_setting_SO_TYPE_on_a_stream_socket_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_IPV6_V6ONLY_of_an_ipv4_socket_is_kept_until_it_is_bound),
    cmocka_unit_test(test_SO_ACCEPTCONN_is_true_only_on_a_listening_socket),
    cmocka_unit_test(test_SO_ERROR_is_zero_on_a_fresh_socket),
    cmocka_unit_test(test_SO_ERROR_with_a_one_byte_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_SO_ERROR_set_by_the_program_reads_back),
    cmocka_unit_test(test_SO_MAX_MSG_SIZE_is_the_largest_udp_payload),
    cmocka_unit_test(test_SO_CONNECT_TIME_is_all_ones_until_connected),
    cmocka_unit_test(test_SO_GROUP_ID_and_SO_GROUP_PRIORITY_are_zero),
    cmocka_unit_test(test_SO_PROTOCOL_INFO_describes_the_socket),
    cmocka_unit_test(
        test_SO_PROTOCOL_INFO_with_short_buffer_fails_with_WSAEFAULT_and_reports_the_size),
    cmocka_unit_test(test_SO_BSP_STATE_reports_local_and_remote_addresses),
    cmocka_unit_test(test_SO_BSP_STATE_with_short_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_IPV6_V6ONLY_is_on_by_default),
    cmocka_unit_test(test_IPV6_PROTECTION_LEVEL_is_unrestricted),
    cmocka_unit_test(test_setting_a_read_only_option_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_reading_a_write_only_option_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_options_the_host_cannot_provide_fail_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_SO_UPDATE_CONTEXT_options_are_accepted),
    cmocka_unit_test(test_SO_DONTROUTE_on_ipv6_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_SO_LINGER_on_udp_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_SO_EXCLUSIVEADDRUSE_and_SO_REUSEADDR_exclude_each_other),
    cmocka_unit_test(test_unknown_option_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_unknown_level_fails_with_WSAEINVAL),
    cmocka_unit_test(test_option_of_another_protocol_fails_with_WSAEINVAL),
    cmocka_unit_test(test_getsockopt_without_a_valid_length_fails_with_WSAEFAULT),
    cmocka_unit_test(test_getsockopt_with_a_bad_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_setsockopt_with_a_bad_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_integer_option_with_a_short_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_SO_LINGER_with_a_short_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_boolean_option_accepts_a_short_buffer),
    cmocka_unit_test(test_boolean_option_with_length_zero_is_set_to_false),
    cmocka_unit_test(test_TCP_NODELAY_reads_one_byte_of_any_positive_length),
    cmocka_unit_test(test_IP_TTL_above_255_fails_with_WSAEINVAL),
    cmocka_unit_test(test_IP_MULTICAST_TTL_reads_only_the_bytes_given),
    cmocka_unit_test(test_IP_TTL_with_a_short_buffer_gets_one_byte),
    cmocka_unit_test(test_IP_level_option_with_negative_length_fails_with_WSAENOBUFS),
    cmocka_unit_test(test_IP_PKTINFO_with_a_short_buffer_fails_with_WSAEFAULT_and_length_zero),
    cmocka_unit_test(test_address_options_pass_their_bytes_through),
    cmocka_unit_test(test_SO_RCVTIMEO_makes_a_blocking_recv_fail_with_WSAETIMEDOUT),
    cmocka_unit_test(test_SO_OPENTYPE_is_per_thread_and_needs_no_socket),
    cmocka_unit_test(test_SO_OPENTYPE_with_a_short_length_fails_with_WSAEFAULT),
    cmocka_unit_test(test_non_socket_fails_with_WSAENOTSOCK),
    cmocka_unit_test(test_options_before_WSAStartup_fail_with_WSANOTINITIALISED),
    cmocka_unit_test(test_TCP_keepalive_options_start_at_Windows_defaults),
    cmocka_unit_test(test_TCP_KEEPALIVE_and_TCP_KEEPINTVL_are_kept_without_switching_keepalive_on),
    cmocka_unit_test(test_SIO_KEEPALIVE_VALS_sets_what_the_TCP_options_read),
    cmocka_unit_test(test_TCP_KEEPCNT_other_than_the_default_fails_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_TCP_MAXSEG_and_TCP_FASTOPEN_fail_with_WSAENOPROTOOPT),
    cmocka_unit_test(test_TCP_keepalive_options_on_UDP_fail_with_WSAENOPROTOOPT),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
