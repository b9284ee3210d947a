/*
 * WSAJoinLeaf (IP multicast as UDP's multipoint scheme) and WSAGetQOSByName (no templates).
 */
#include "ws_test.h"

static struct sockaddr_in group_v4(const char *address, unsigned short port)
{
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = inet_addr(address);
    return addr;
}

static SOCKET multipoint_udp(int af)
{
    SOCKET s =
        WSASocketW(af, SOCK_DGRAM, IPPROTO_UDP, NULL, 0,
                   WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
    assert_true(s != INVALID_SOCKET);
    return s;
}

static void test_WSAJoinLeaf_joins_a_multicast_group_and_returns_the_socket(void **state)
{
    SOCKET s = multipoint_udp(AF_INET), sender;
    struct sockaddr_in group = group_v4("239.255.42.99", 0), bound;
    int len = sizeof(bound), ttl = 0, loop = 1;
    char buf[16];
    (void)state;
    bound = group_v4("0.0.0.0", 0);
    assert_int_equal(bind(s, (struct sockaddr *)&bound, sizeof(bound)), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&bound, &len), 0);
    group.sin_port = bound.sin_port;
    assert_true(WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), NULL, NULL, NULL, NULL,
                            JL_BOTH) == s);
    /* A datagram sent to the group on the loopback interface arrives. */
    sender = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    {
        struct in_addr lo;
        lo.s_addr = htonl(INADDR_LOOPBACK);
        setsockopt(sender, IPPROTO_IP, IP_MULTICAST_IF, (char *)&lo, sizeof(lo));
    }
    setsockopt(sender, IPPROTO_IP, IP_MULTICAST_TTL, (char *)&ttl, sizeof(ttl));
    setsockopt(sender, IPPROTO_IP, IP_MULTICAST_LOOP, (char *)&loop, sizeof(loop));
    assert_int_equal(sendto(sender, "hello", 5, 0, (struct sockaddr *)&group, sizeof(group)), 5);
    {
        fd_set set;
        struct timeval tv = {5, 0};
        FD_ZERO(&set);
        FD_SET(s, &set);
        int ready = select(0, &set, NULL, NULL, &tv);
        /* Multicast on loopback needs a route for the group; without one nothing arrives. */
        ws_known_gap_if(ready, 0, "no multicast route on this machine's loopback");
        assert_int_equal(ready, 1);
    }
    assert_int_equal(recv(s, buf, sizeof(buf), 0), 5);
    closesocket(sender);
    closesocket(s);
}

static void test_WSAJoinLeaf_on_an_unbound_socket_binds_it(void **state)
{
    SOCKET s = multipoint_udp(AF_INET);
    struct sockaddr_in group = group_v4("239.255.42.98", 5000), local;
    int len = sizeof(local);
    (void)state;
    assert_true(WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), NULL, NULL, NULL, NULL,
                            JL_RECEIVER_ONLY) == s);
    assert_int_equal(getsockname(s, (struct sockaddr *)&local, &len), 0);
    assert_int_equal(local.sin_family, AF_INET);
    closesocket(s);
}

static void test_WSAJoinLeaf_sender_only_needs_no_membership(void **state)
{
    SOCKET s = multipoint_udp(AF_INET);
    struct sockaddr_in group = group_v4("239.255.42.97", 5001);
    WSABUF callee = {16, NULL};
    char data[16];
    (void)state;
    callee.buf = data;
    assert_true(WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), NULL, &callee, NULL, NULL,
                            JL_SENDER_ONLY) == s);
    /* IP multicast carries no join data back. */
    assert_int_equal(callee.len, 0);
    closesocket(s);
}

static void test_WSAJoinLeaf_on_an_IPv6_socket_joins_an_IPv6_group(void **state)
{
    SOCKET s = multipoint_udp(AF_INET6);
    struct sockaddr_in6 group = {0};
    SOCKET leaf;
    (void)state;
    group.sin6_family = AF_INET6;
    group.sin6_port = htons(5002);
    inet_pton(AF_INET6, "ff15::4242", &group.sin6_addr);
    leaf =
        WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), NULL, NULL, NULL, NULL, JL_BOTH);
    /* Without an IPv6 multicast route the kernel refuses the membership. */
    ws_known_gap_if(leaf == INVALID_SOCKET && WSAGetLastError() != WSAEINVAL, 1,
                    "no IPv6 multicast route on this machine");
    assert_true(leaf == s);
    closesocket(s);
}

static void test_WSAJoinLeaf_to_a_unicast_address_fails_with_WSAEADDRNOTAVAIL(void **state)
{
    SOCKET s = multipoint_udp(AF_INET);
    struct sockaddr_in peer = group_v4("127.0.0.1", 5003);
    (void)state;
    assert_wsa_error(
        WSAJoinLeaf(s, (struct sockaddr *)&peer, sizeof(peer), NULL, NULL, NULL, NULL, JL_BOTH),
        INVALID_SOCKET, WSAEADDRNOTAVAIL);
    closesocket(s);
}

static void test_WSAJoinLeaf_on_a_stream_socket_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in group = group_v4("239.255.42.96", 5004);
    (void)state;
    assert_wsa_error(
        WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), NULL, NULL, NULL, NULL, JL_BOTH),
        INVALID_SOCKET, WSAEINVAL);
    closesocket(s);
}

static void test_WSAJoinLeaf_with_a_bad_name_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = multipoint_udp(AF_INET);
    struct sockaddr_in group = group_v4("239.255.42.95", 5005);
    (void)state;
    assert_wsa_error(WSAJoinLeaf(s, NULL, sizeof(group), NULL, NULL, NULL, NULL, JL_BOTH),
                     INVALID_SOCKET, WSAEFAULT);
    assert_wsa_error(WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group) - 1, NULL, NULL, NULL,
                                 NULL, JL_BOTH),
                     INVALID_SOCKET, WSAEFAULT);
    closesocket(s);
}

static void test_WSAJoinLeaf_with_caller_data_fails_with_WSAEPROTONOSUPPORT(void **state)
{
    SOCKET s = multipoint_udp(AF_INET);
    struct sockaddr_in group = group_v4("239.255.42.94", 5006);
    char data[4] = "hi";
    WSABUF caller = {sizeof(data), data};
    (void)state;
    assert_wsa_error(WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), &caller, NULL, NULL,
                                 NULL, JL_BOTH),
                     INVALID_SOCKET, WSAEPROTONOSUPPORT);
    closesocket(s);
}

static void test_WSAJoinLeaf_with_a_flowspec_fails_with_WSAEOPNOTSUPP(void **state)
{
    SOCKET s = multipoint_udp(AF_INET);
    struct sockaddr_in group = group_v4("239.255.42.93", 5007);
    QOS qos;
    (void)state;
    memset(&qos, 0, sizeof(qos));
    assert_wsa_error(
        WSAJoinLeaf(s, (struct sockaddr *)&group, sizeof(group), NULL, NULL, &qos, NULL, JL_BOTH),
        INVALID_SOCKET, WSAEOPNOTSUPP);
    closesocket(s);
}

static void test_WSAJoinLeaf_on_a_non_socket_fails_with_WSAENOTSOCK(void **state)
{
    struct sockaddr_in group = group_v4("239.255.42.92", 5008);
    (void)state;
    assert_wsa_error(WSAJoinLeaf((SOCKET)0x1234, (struct sockaddr *)&group, sizeof(group), NULL,
                                 NULL, NULL, NULL, JL_BOTH),
                     INVALID_SOCKET, WSAENOTSOCK);
}

static void test_WSAJoinLeaf_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    struct sockaddr_in group = group_v4("239.255.42.91", 5009);
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_wsa_error(WSAJoinLeaf((SOCKET)0x1234, (struct sockaddr *)&group, sizeof(group), NULL,
                                 NULL, NULL, NULL, JL_BOTH),
                     INVALID_SOCKET, WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_WSAGetQOSByName_of_any_template_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char name[] = "G711";
    WSABUF buf = {sizeof(name), name};
    QOS qos;
    (void)state;
    assert_wsa_error(WSAGetQOSByName(s, &buf, &qos), FALSE, WSAEINVAL);
    closesocket(s);
}

static void test_WSAGetQOSByName_enumeration_lists_no_template(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    char names[32] = {0};
    WSABUF buf = {sizeof(names), names};
    (void)state;
    names[1] = 'x';
    assert_true(WSAGetQOSByName(s, &buf, NULL));
    /* The list is its terminating zero-length name alone. */
    assert_int_equal(names[0], 0);
    assert_int_equal(names[1], 0);
    closesocket(s);
}

static void test_WSAGetQOSByName_with_bad_pointers_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char name[] = "G711";
    WSABUF buf = {sizeof(name), name};
    (void)state;
    assert_wsa_error(WSAGetQOSByName(s, NULL, NULL), FALSE, WSAEFAULT);
    assert_wsa_error(WSAGetQOSByName(s, &buf, NULL), FALSE, WSAEFAULT);
    closesocket(s);
}

static void test_WSAGetQOSByName_checks_startup_and_the_socket(void **state)
{
    char name[] = "G711";
    WSABUF buf = {sizeof(name), name};
    QOS qos;
    (void)state;
    assert_wsa_error(WSAGetQOSByName((SOCKET)0x1234, &buf, &qos), FALSE, WSAENOTSOCK);
    assert_int_equal(WSACleanup(), 0);
    assert_wsa_error(WSAGetQOSByName((SOCKET)0x1234, &buf, &qos), FALSE, WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_WSAJoinLeaf_joins_a_multicast_group_and_returns_the_socket),
    cmocka_unit_test(test_WSAJoinLeaf_on_an_unbound_socket_binds_it),
    cmocka_unit_test(test_WSAJoinLeaf_sender_only_needs_no_membership),
    cmocka_unit_test(test_WSAJoinLeaf_on_an_IPv6_socket_joins_an_IPv6_group),
    cmocka_unit_test(test_WSAJoinLeaf_to_a_unicast_address_fails_with_WSAEADDRNOTAVAIL),
    cmocka_unit_test(test_WSAJoinLeaf_on_a_stream_socket_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WSAJoinLeaf_with_a_bad_name_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAJoinLeaf_with_caller_data_fails_with_WSAEPROTONOSUPPORT),
    cmocka_unit_test(test_WSAJoinLeaf_with_a_flowspec_fails_with_WSAEOPNOTSUPP),
    cmocka_unit_test(test_WSAJoinLeaf_on_a_non_socket_fails_with_WSAENOTSOCK),
    cmocka_unit_test(test_WSAJoinLeaf_before_WSAStartup_fails_with_WSANOTINITIALISED),
    cmocka_unit_test(test_WSAGetQOSByName_of_any_template_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WSAGetQOSByName_enumeration_lists_no_template),
    cmocka_unit_test(test_WSAGetQOSByName_with_bad_pointers_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAGetQOSByName_checks_startup_and_the_socket),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
