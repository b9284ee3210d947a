/* WSAConnect, WSAConnectByList and WSAConnectByNameA/W: connections, the address outputs and
   their length rules, names, timeouts and the documented errors. */
#include "ws_test.h"

/* A loopback address nothing listens on: a socket bound there but not listening (kept open so
   that the port stays taken) refuses connections. */
static SOCKET refusing_endpoint(int af, struct sockaddr_storage *addr, int *len)
{
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    *len = ws_test_loopback(af, 0, addr);
    assert_int_equal(bind(s, (struct sockaddr *)addr, *len), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)addr, len), 0);
    return s;
}

static void port_string(const struct sockaddr_storage *addr, char *out, size_t size)
{
    snprintf(out, size, "%u", ntohs(((const struct sockaddr_in *)addr)->sin_port));
}

static void test_WSAConnect_to_a_listener_succeeds_and_reports_no_callee_data(void **state)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char buf[8];
    WSABUF callee = {sizeof(buf), buf};
    (void)state;

    SetLastError(0xdeadbeef);
    assert_int_equal(WSAConnect(s, (struct sockaddr *)&addr, len, NULL, &callee, NULL, NULL), 0);
    assert_int_equal(callee.len, 0);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnect_to_a_refusing_port_fails_with_WSAECONNREFUSED(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET refuser = refusing_endpoint(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;

    assert_socket_error(WSAConnect(s, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL),
                        WSAECONNREFUSED);
    closesocket(s);
    closesocket(refuser);
}

static void test_WSAConnect_with_caller_data_fails_with_WSAEPROTONOSUPPORT(void **state)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char data[] = "hello";
    WSABUF caller = {sizeof(data), data}, empty = {0, NULL};
    (void)state;

    assert_socket_error(WSAConnect(s, (struct sockaddr *)&addr, len, &caller, NULL, NULL, NULL),
                        WSAEPROTONOSUPPORT);
    /* An empty caller buffer is no data. */
    assert_int_equal(WSAConnect(s, (struct sockaddr *)&addr, len, &empty, NULL, NULL, NULL), 0);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnect_with_QoS_fails_with_WSAEOPNOTSUPP(void **state)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    QOS qos;
    (void)state;

    memset(&qos, 0, sizeof(qos));
    assert_socket_error(WSAConnect(s, (struct sockaddr *)&addr, len, NULL, NULL, &qos, NULL),
                        WSAEOPNOTSUPP);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnect_with_bad_pointers_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 9, &addr);
    (void)state;

    assert_socket_error(WSAConnect(s, NULL, len, NULL, NULL, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSAConnect(s, (struct sockaddr *)&addr, 4, NULL, NULL, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(WSAConnect(s, (struct sockaddr *)&addr, len, NULL, (WSABUF *)1, NULL, NULL),
                        WSAEFAULT);
    closesocket(s);
}

static void test_WSAConnect_on_a_non_socket_fails_with_WSAENOTSOCK(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 9, &addr);
    (void)state;
    assert_socket_error(
        WSAConnect((SOCKET)0xdead0, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL),
        WSAENOTSOCK);
}

/* ---- WSAConnectByList ---- */

static void test_WSAConnectByList_skips_a_refusing_address_and_connects_to_the_next(void **state)
{
    struct sockaddr_storage bad, good, local, remote, name;
    int bad_len, good_len = sizeof(good), name_len = sizeof(name);
    SOCKET refuser = refusing_endpoint(AF_INET, &bad, &bad_len);
    SOCKET listener = ws_test_listener(AF_INET, &good, &good_len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), server;
    struct {
        SOCKET_ADDRESS_LIST list;
        SOCKET_ADDRESS more;
    } addrs = {{2, {{(struct sockaddr *)&bad, bad_len}}}, {(struct sockaddr *)&good, good_len}};
    DWORD local_len = sizeof(local), remote_len = sizeof(remote);
    struct timeval timeout = {10, 0};
    char byte = 0;
    (void)state;

    assert_true(WSAConnectByList(s, &addrs.list, &local_len, (struct sockaddr *)&local, &remote_len,
                                 (struct sockaddr *)&remote, &timeout, NULL));
    assert_int_equal(remote_len, sizeof(struct sockaddr_in));
    assert_memory_equal(&remote, &good, sizeof(struct sockaddr_in));
    assert_int_equal(local_len, sizeof(struct sockaddr_in));
    assert_int_equal(getsockname(s, (struct sockaddr *)&name, &name_len), 0);
    assert_memory_equal(&local, &name, sizeof(struct sockaddr_in));
    server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(send(s, "L", 1, 0), 1);
    assert_int_equal(recv(server, &byte, 1, 0), 1);
    assert_int_equal(byte, 'L');
    closesocket(server);
    closesocket(s);
    closesocket(listener);
    closesocket(refuser);
}

static void test_WSAConnectByList_with_only_refusing_addresses_fails_with_WSAECONNREFUSED(
    void **state)
{
    struct sockaddr_storage bad;
    int bad_len;
    SOCKET refuser = refusing_endpoint(AF_INET, &bad, &bad_len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET_ADDRESS_LIST list = {1, {{(struct sockaddr *)&bad, bad_len}}};
    (void)state;

    assert_wsa_error(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                     WSAECONNREFUSED);
    closesocket(s);
    closesocket(refuser);
}

static void test_WSAConnectByList_on_a_dual_stack_socket_reaches_an_IPv4_listener(void **state)
{
    struct sockaddr_storage good, remote;
    int good_len = sizeof(good);
    SOCKET listener = ws_test_listener(AF_INET, &good, &good_len);
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    SOCKET_ADDRESS_LIST list = {1, {{(struct sockaddr *)&good, good_len}}};
    DWORD remote_len = sizeof(remote), off = 0;
    const struct sockaddr_in6 *mapped = (const struct sockaddr_in6 *)&remote;
    (void)state;

    assert_int_equal(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof(off)), 0);
    assert_true(WSAConnectByList(s, &list, NULL, NULL, &remote_len, (struct sockaddr *)&remote,
                                 NULL, NULL));
    assert_int_equal(remote_len, sizeof(struct sockaddr_in6));
    assert_int_equal(mapped->sin6_family, AF_INET6);
    assert_true(IN6_IS_ADDR_V4MAPPED(&mapped->sin6_addr));
    assert_int_equal(mapped->sin6_port, ((struct sockaddr_in *)&good)->sin_port);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByList_on_an_IPv6_only_socket_cannot_reach_IPv4(void **state)
{
    struct sockaddr_storage good;
    int good_len = sizeof(good);
    SOCKET listener = ws_test_listener(AF_INET, &good, &good_len);
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    SOCKET_ADDRESS_LIST list = {1, {{(struct sockaddr *)&good, good_len}}};
    (void)state;

    assert_wsa_error(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                     WSAEHOSTUNREACH);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByList_with_bad_arguments_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage good;
    int good_len = sizeof(good);
    SOCKET listener = ws_test_listener(AF_INET, &good, &good_len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET_ADDRESS_LIST list = {1, {{(struct sockaddr *)&good, good_len}}};
    WSAOVERLAPPED ov;
    struct sockaddr_storage any;
    int any_len = ws_test_loopback(AF_INET, 0, &any);
    (void)state;

    assert_wsa_error(WSAConnectByList(s, NULL, NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                     WSAEINVAL);
    assert_wsa_error(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, &ov), FALSE,
                     WSAEINVAL);
    /* The page requires an unbound socket. */
    assert_int_equal(bind(s, (struct sockaddr *)&any, any_len), 0);
    assert_wsa_error(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                     WSAEINVAL);
    assert_wsa_error(WSAConnectByList((SOCKET)0xdead0, &list, NULL, NULL, NULL, NULL, NULL, NULL),
                     FALSE, WSAENOTSOCK);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByList_times_out_with_WSAETIMEDOUT_when_nobody_answers(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET fillers[4], s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET_ADDRESS_LIST list = {1, {{(struct sockaddr *)&addr, 0}}};
    struct timeval timeout = {0, 300000};
    u_long on = 1;
    (void)state;

    /* A listener whose queue is full leaves further handshakes unanswered. */
    assert_int_equal(bind(listener, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
    assert_int_equal(listen(listener, 0), 0);
    list.Address[0].iSockaddrLength = len;
    for (size_t i = 0; i < ARRAYSIZE(fillers); i++) {
        fillers[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ioctlsocket(fillers[i], FIONBIO, &on);
        connect(fillers[i], (struct sockaddr *)&addr, len);
    }
    Sleep(100);
    assert_wsa_error(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, &timeout, NULL), FALSE,
                     WSAETIMEDOUT);
    for (size_t i = 0; i < ARRAYSIZE(fillers); i++) closesocket(fillers[i]);
    closesocket(s);
    closesocket(listener);
}

/* ---- WSAConnectByName ---- */

static void test_WSAConnectByNameA_numeric_IPv4_with_timeout_connects(void **state)
{
    struct sockaddr_storage addr, name;
    struct sockaddr_in local, remote;
    int len = sizeof(addr), name_len = sizeof(name);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD local_len = sizeof(local), remote_len = sizeof(remote);
    struct timeval timeout = {10, 0};
    char port[8];
    (void)state;

    port_string(&addr, port, sizeof(port));
    assert_true(WSAConnectByNameA(s, "127.0.0.1", port, &local_len, (struct sockaddr *)&local,
                                  &remote_len, (struct sockaddr *)&remote, &timeout, NULL));
    assert_int_equal(remote_len, sizeof(remote));
    assert_memory_equal(&remote, &addr, sizeof(remote));
    /* The local address is reported without its port, as Windows does. */
    assert_int_equal(local_len, sizeof(local));
    assert_int_equal(getsockname(s, (struct sockaddr *)&name, &name_len), 0);
    assert_int_equal(local.sin_family, AF_INET);
    assert_int_equal(local.sin_port, 0);
    assert_memory_equal(&local.sin_addr, &((struct sockaddr_in *)&name)->sin_addr, 4);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByNameW_numeric_IPv6_with_timeout_connects(void **state)
{
    struct sockaddr_storage addr;
    struct sockaddr_in6 remote;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET6, &addr, &len);
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP), server;
    DWORD remote_len = sizeof(remote);
    struct timeval timeout = {10, 0};
    WCHAR port[8];
    char byte = 0;
    (void)state;

    swprintf(port, ARRAYSIZE(port), L"%u", ntohs(((struct sockaddr_in6 *)&addr)->sin6_port));
    assert_true(WSAConnectByNameW(s, L"::1", port, NULL, NULL, &remote_len,
                                  (struct sockaddr *)&remote, &timeout, NULL));
    assert_int_equal(remote_len, sizeof(remote));
    assert_int_equal(remote.sin6_port, ((struct sockaddr_in6 *)&addr)->sin6_port);
    assert_true(IN6_IS_ADDR_LOOPBACK(&remote.sin6_addr));
    server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(send(s, "6", 1, 0), 1);
    assert_int_equal(recv(server, &byte, 1, 0), 1);
    assert_int_equal(byte, '6');
    closesocket(server);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByName_finds_a_service_name_in_the_services_file(void **state)
{
    struct sockaddr_storage addr;
    struct sockaddr_in remote;
    int len = ws_test_loopback(AF_INET, 9535, &addr); /* "man 9535/tcp" in Windows' file */
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD remote_len = sizeof(remote);
    (void)state;

    if (bind(listener, (struct sockaddr *)&addr, len) || listen(listener, 5)) {
        closesocket(listener);
        closesocket(s);
        skip(); /* the port is taken on this machine */
    }
    assert_true(WSAConnectByNameA(s, "127.0.0.1", "MAN", NULL, NULL, &remote_len,
                                  (struct sockaddr *)&remote, NULL, NULL));
    assert_int_equal(ntohs(remote.sin_port), 9535);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByName_on_a_refusing_port_fails_with_WSAECONNREFUSED(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET refuser = refusing_endpoint(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct timeval timeout = {10, 0};
    char port[8];
    (void)state;

    port_string(&addr, port, sizeof(port));
    assert_wsa_error(
        WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL, NULL, &timeout, NULL), FALSE,
        WSAECONNREFUSED);
    closesocket(s);
    closesocket(refuser);
}

static void test_WSAConnectByName_length_rules_follow_Windows(void **state)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local, remote;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s;
    DWORD local_len, remote_len;
    char port[8];
    (void)state;

    port_string(&addr, port, sizeof(port));
    /* Short lengths: WSAEFAULT, lengths untouched. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    local_len = remote_len = 3;
    assert_wsa_error(WSAConnectByNameA(s, "127.0.0.1", port, &local_len, (struct sockaddr *)&local,
                                       &remote_len, (struct sockaddr *)&remote, NULL, NULL),
                     FALSE, WSAEFAULT);
    assert_int_equal(local_len, 3);
    assert_int_equal(remote_len, 3);
    closesocket(s);
    /* Lengths without buffers: the lengths are set. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    local_len = remote_len = sizeof(local);
    assert_true(
        WSAConnectByNameA(s, "127.0.0.1", port, &local_len, NULL, &remote_len, NULL, NULL, NULL));
    assert_int_equal(local_len, sizeof(local));
    assert_int_equal(remote_len, sizeof(remote));
    closesocket(s);
    /* Buffers without lengths: nothing is written. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&local, 0, sizeof(local));
    memset(&remote, 0, sizeof(remote));
    assert_true(WSAConnectByNameA(s, "127.0.0.1", port, NULL, (struct sockaddr *)&local, NULL,
                                  (struct sockaddr *)&remote, NULL, NULL));
    assert_int_equal(local.sin_family, 0);
    assert_int_equal(remote.sin_family, 0);
    closesocket(s);
    /* Long lengths are set to the address's. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    local_len = remote_len = 50;
    {
        char big_local[50], big_remote[50];
        assert_true(WSAConnectByNameA(s, "127.0.0.1", port, &local_len,
                                      (struct sockaddr *)big_local, &remote_len,
                                      (struct sockaddr *)big_remote, NULL, NULL));
    }
    assert_int_equal(local_len, sizeof(local));
    assert_int_equal(remote_len, sizeof(remote));
    closesocket(s);
    closesocket(listener);
}

/* Names go through the resolver: "localhost" on an IPv4 socket reaches an IPv4 listener, and on
   a dual-stack IPv6 socket whichever of its addresses listens. */
static void test_WSAConnectByName_resolves_localhost(void **state)
{
    struct sockaddr_storage addr;
    struct sockaddr_in remote;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET s6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    DWORD remote_len = sizeof(remote), off = 0;
    struct sockaddr_in6 remote6;
    WCHAR wport[8];
    char port[8];
    (void)state;

    port_string(&addr, port, sizeof(port));
    assert_true(WSAConnectByNameA(s, "localhost", port, NULL, NULL, &remote_len,
                                  (struct sockaddr *)&remote, NULL, NULL));
    assert_int_equal(remote.sin_family, AF_INET);
    assert_int_equal(remote.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

    assert_int_equal(
        setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof(off)), 0);
    MultiByteToWideChar(CP_ACP, 0, port, -1, wport, 8);
    remote_len = sizeof(remote6);
    assert_true(WSAConnectByNameW(s6, L"localhost", wport, NULL, NULL, &remote_len,
                                  (struct sockaddr *)&remote6, NULL, NULL));
    /* The IPv4 listener, seen through an IPv4-mapped address. */
    assert_int_equal(remote6.sin6_family, AF_INET6);
    assert_true(IN6_IS_ADDR_V4MAPPED(&remote6.sin6_addr));
    closesocket(s6);
    closesocket(s);
    closesocket(listener);
}

static void test_WSAConnectByName_documented_errors(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAOVERLAPPED ov;
    (void)state;

    assert_wsa_error(WSAConnectByNameA(s, NULL, "80", NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                     WSAEINVAL);
    assert_wsa_error(WSAConnectByNameA(s, "127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                     FALSE, WSAEINVAL);
    assert_wsa_error(WSAConnectByNameW(s, NULL, L"80", NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                     WSAEINVAL);
    assert_wsa_error(WSAConnectByNameA(s, "127.0.0.1", "80", NULL, NULL, NULL, NULL, NULL, &ov),
                     FALSE, WSAEINVAL);
    assert_wsa_error(WSAConnectByNameA(udp, "127.0.0.1", "80", NULL, NULL, NULL, NULL, NULL, NULL),
                     FALSE, WSAEINVAL);
    assert_wsa_error(
        WSAConnectByNameA(s, "127.0.0.1", "nonexistentservice", NULL, NULL, NULL, NULL, NULL, NULL),
        FALSE, WSATYPE_NOT_FOUND);
    assert_wsa_error(WSAConnectByNameA(s, "not.a.numeric.host.invalid", "80", NULL, NULL, NULL,
                                       NULL, NULL, NULL),
                     FALSE, WSAHOST_NOT_FOUND);
    assert_wsa_error(
        WSAConnectByNameA((SOCKET)0xdead0, "127.0.0.1", "80", NULL, NULL, NULL, NULL, NULL, NULL),
        FALSE, WSAENOTSOCK);
    closesocket(udp);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSAConnect_to_a_listener_succeeds_and_reports_no_callee_data),
        cmocka_unit_test(test_WSAConnectByName_resolves_localhost),
        cmocka_unit_test(test_WSAConnect_to_a_refusing_port_fails_with_WSAECONNREFUSED),
        cmocka_unit_test(test_WSAConnect_with_caller_data_fails_with_WSAEPROTONOSUPPORT),
        cmocka_unit_test(test_WSAConnect_with_QoS_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_WSAConnect_with_bad_pointers_fails_with_WSAEFAULT),
        cmocka_unit_test(test_WSAConnect_on_a_non_socket_fails_with_WSAENOTSOCK),
        cmocka_unit_test(test_WSAConnectByList_skips_a_refusing_address_and_connects_to_the_next),
        cmocka_unit_test(
            test_WSAConnectByList_with_only_refusing_addresses_fails_with_WSAECONNREFUSED),
        cmocka_unit_test(test_WSAConnectByList_on_a_dual_stack_socket_reaches_an_IPv4_listener),
        cmocka_unit_test(test_WSAConnectByList_on_an_IPv6_only_socket_cannot_reach_IPv4),
        cmocka_unit_test(test_WSAConnectByList_with_bad_arguments_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSAConnectByList_times_out_with_WSAETIMEDOUT_when_nobody_answers),
        cmocka_unit_test(test_WSAConnectByNameA_numeric_IPv4_with_timeout_connects),
        cmocka_unit_test(test_WSAConnectByNameW_numeric_IPv6_with_timeout_connects),
        cmocka_unit_test(test_WSAConnectByName_finds_a_service_name_in_the_services_file),
        cmocka_unit_test(test_WSAConnectByName_on_a_refusing_port_fails_with_WSAECONNREFUSED),
        cmocka_unit_test(test_WSAConnectByName_length_rules_follow_Windows),
        cmocka_unit_test(test_WSAConnectByName_documented_errors),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
