/* socket, WSASocket, bind, listen, accept, connect, shutdown, getsockname, getpeername,
   closesocket: documented results and errors. */
#include "ws_test.h"

static const int families[] = {AF_INET, AF_INET6};

static void test_socket_creates_tcp_and_udp_sockets_of_both_families(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET tcp = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        SOCKET udp = socket(families[i], SOCK_DGRAM, IPPROTO_UDP);
        SOCKET dflt = socket(families[i], SOCK_STREAM, 0);
        assert_true(tcp != INVALID_SOCKET && udp != INVALID_SOCKET && dflt != INVALID_SOCKET);
        assert_int_equal(closesocket(tcp), 0);
        assert_int_equal(closesocket(udp), 0);
        assert_int_equal(closesocket(dflt), 0);
    }
}

static void test_socket_with_unknown_family_fails_with_WSAEAFNOSUPPORT(void **state)
{
    (void)state;
    assert_wsa_error(socket(12345, SOCK_STREAM, 0), INVALID_SOCKET, WSAEAFNOSUPPORT);
}

static void test_socket_with_unknown_type_fails_with_WSAESOCKTNOSUPPORT(void **state)
{
    (void)state;
    assert_wsa_error(socket(AF_INET, 12345, 0), INVALID_SOCKET, WSAESOCKTNOSUPPORT);
}

static void test_socket_with_mismatched_protocol_fails_with_WSAEPROTONOSUPPORT(void **state)
{
    (void)state;
    assert_wsa_error(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), INVALID_SOCKET,
                     WSAEPROTONOSUPPORT);
}

static void test_socket_with_zero_family_and_protocol_fails_with_WSAEINVAL(void **state)
{
    (void)state;
    assert_wsa_error(socket(0, SOCK_STREAM, 0), INVALID_SOCKET, WSAEINVAL);
}

static void test_WSASocketA_and_W_create_sockets(void **state)
{
    (void)state;
    SOCKET a = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    SOCKET w = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0);
    assert_true(a != INVALID_SOCKET && w != INVALID_SOCKET);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(w), 0);
}

static void test_calls_on_a_non_socket_handle_fail_with_WSAENOTSOCK(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SOCKET s = (SOCKET)event;
    char buf[4];
    (void)state;
    assert_socket_error(bind(s, (struct sockaddr *)&addr, len), WSAENOTSOCK);
    assert_socket_error(listen(s, 1), WSAENOTSOCK);
    assert_wsa_error(accept(s, NULL, NULL), INVALID_SOCKET, WSAENOTSOCK);
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAENOTSOCK);
    assert_socket_error(send(s, buf, 1, 0), WSAENOTSOCK);
    assert_socket_error(recv(s, buf, 1, 0), WSAENOTSOCK);
    assert_socket_error(shutdown(s, SD_BOTH), WSAENOTSOCK);
    assert_socket_error(getsockname(s, (struct sockaddr *)&addr, &len), WSAENOTSOCK);
    assert_socket_error(closesocket(s), WSAENOTSOCK);
    assert_socket_error(closesocket(INVALID_SOCKET), WSAENOTSOCK);
    assert_socket_error(closesocket((SOCKET)0x12345678), WSAENOTSOCK);
    CloseHandle(event);
}

static void test_bind_then_getsockname_reports_the_bound_address(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr, got;
        int len = ws_test_loopback(families[i], 0, &addr), got_len = sizeof(got);
        SOCKET s = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
        assert_int_equal(getsockname(s, (struct sockaddr *)&got, &got_len), 0);
        assert_int_equal(got_len, len);
        assert_int_equal(got.ss_family, families[i]);
        assert_true(((struct sockaddr_in *)&got)->sin_port != 0);
        closesocket(s);
    }
}

static void test_bind_with_null_or_short_address_fails_with_WSAEFAULT(void **state)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(bind(s, NULL, sizeof(in)), WSAEFAULT);
    assert_socket_error(bind(s, (struct sockaddr *)&in, sizeof(in) - 1), WSAEFAULT);
    assert_socket_error(bind(s, (struct sockaddr *)(ULONG_PTR)0x10, sizeof(in)), WSAEFAULT);
    closesocket(s);
}

static void test_bind_twice_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    assert_socket_error(bind(s, (struct sockaddr *)&addr, len), WSAEINVAL);
    closesocket(s);
}

static void test_bind_to_a_port_in_use_fails_with_WSAEADDRINUSE(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(bind(s, (struct sockaddr *)&addr, len), WSAEADDRINUSE);
    closesocket(s);
    closesocket(listener);
}

static void test_bind_to_a_foreign_address_fails_with_WSAEADDRNOTAVAIL(void **state)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    in.sin_addr.s_addr = inet_addr("192.0.2.1"); /* TEST-NET-1: never a local address */
    assert_socket_error(bind(s, (struct sockaddr *)&in, sizeof(in)), WSAEADDRNOTAVAIL);
    closesocket(s);
}

static void test_getsockname_on_unbound_socket_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(getsockname(s, (struct sockaddr *)&addr, &len), WSAEINVAL);
    closesocket(s);
}

static void test_getsockname_with_bad_pointers_fails_with_WSAEFAULT(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    assert_socket_error(getsockname(listener, NULL, &len), WSAEFAULT);
    assert_socket_error(getsockname(listener, (struct sockaddr *)&addr, NULL), WSAEFAULT);
    len = 4;
    assert_socket_error(getsockname(listener, (struct sockaddr *)&addr, &len), WSAEFAULT);
    closesocket(listener);
}

static void test_listen_on_unbound_socket_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(listen(s, 5), WSAEINVAL);
    closesocket(s);
}

/* A datagram socket connects and reconnects at will; connecting it to AF_UNSPEC drops its
   peer. */
static void test_a_udp_socket_reconnects_and_AF_UNSPEC_drops_its_peer(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in to = {0}, peer;
    struct sockaddr unspec = {0};
    int len = sizeof(peer);
    (void)state;

    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(5555);
    assert_int_equal(connect(s, (struct sockaddr *)&to, sizeof(to)), 0);
    to.sin_port = htons(5556);
    assert_int_equal(connect(s, (struct sockaddr *)&to, sizeof(to)), 0);
    assert_int_equal(getpeername(s, (struct sockaddr *)&peer, &len), 0);
    assert_int_equal(ntohs(peer.sin_port), 5556);
    unspec.sa_family = AF_UNSPEC;
    assert_int_equal(connect(s, &unspec, sizeof(unspec)), 0);
    len = sizeof(peer);
    assert_socket_error(getpeername(s, (struct sockaddr *)&peer, &len), WSAENOTCONN);
    closesocket(s);
}

static void test_listen_on_udp_socket_fails_with_WSAEOPNOTSUPP(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    (void)state;
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    assert_socket_error(listen(s, 5), WSAEOPNOTSUPP);
    closesocket(s);
}

static void test_accept_on_non_listening_socket_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    assert_wsa_error(accept(s, NULL, NULL), INVALID_SOCKET, WSAEINVAL);
    closesocket(s);
}

static void test_accept_with_short_address_length_fails_with_WSAEFAULT(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    len = 1;
    assert_wsa_error(accept(listener, (struct sockaddr *)&addr, &len), INVALID_SOCKET, WSAEFAULT);
    closesocket(listener);
}

/* An address buffer without its length is ignored: the accept succeeds, the buffer untouched. */
static void test_accept_with_address_but_no_length_succeeds_and_leaves_the_buffer(void **state)
{
    struct sockaddr_storage addr, peer, empty;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    memset(&peer, 0, sizeof(peer));
    memset(&empty, 0, sizeof(empty));
    SOCKET server = accept(listener, (struct sockaddr *)&peer, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_memory_equal(&peer, &empty, sizeof(peer));
    closesocket(server);
    closesocket(client);
    closesocket(listener);
}

static void test_nonblocking_accept_without_connection_fails_with_WSAEWOULDBLOCK(void **state)
{
    struct sockaddr_storage addr;
    int len;
    u_long on = 1;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    assert_int_equal(ioctlsocket(listener, FIONBIO, &on), 0);
    assert_wsa_error(accept(listener, NULL, NULL), INVALID_SOCKET, WSAEWOULDBLOCK);
    closesocket(listener);
}

static void test_accept_returns_the_peer_address(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr, peer, local;
        int len, peer_len = sizeof(peer), local_len = sizeof(local);
        SOCKET listener = ws_test_listener(families[i], &addr, &len);
        SOCKET client = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
        SOCKET server = accept(listener, (struct sockaddr *)&peer, &peer_len);
        assert_true(server != INVALID_SOCKET);
        assert_int_equal(getsockname(client, (struct sockaddr *)&local, &local_len), 0);
        assert_int_equal(peer_len, local_len);
        assert_memory_equal(&peer, &local, local_len);
        /* getpeername on both ends agrees */
        peer_len = sizeof(peer);
        assert_int_equal(getpeername(client, (struct sockaddr *)&peer, &peer_len), 0);
        assert_int_equal(((struct sockaddr_in *)&peer)->sin_port,
                         ((struct sockaddr_in *)&addr)->sin_port);
        closesocket(server);
        closesocket(client);
        closesocket(listener);
    }
}

static void test_connect_to_a_closed_port_fails_with_WSAECONNREFUSED(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len = ws_test_loopback(families[i], 0, &addr);
        /* A bound socket that does not listen owns a port nobody accepts on. */
        SOCKET holder = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        assert_int_equal(bind(holder, (struct sockaddr *)&addr, len), 0);
        len = sizeof(addr);
        assert_int_equal(getsockname(holder, (struct sockaddr *)&addr, &len), 0);
        SOCKET s = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAECONNREFUSED);
        closesocket(s);
        closesocket(holder);
    }
}

static void test_connect_with_null_or_short_address_fails_with_WSAEFAULT(void **state)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(connect(s, NULL, sizeof(in)), WSAEFAULT);
    assert_socket_error(connect(s, (struct sockaddr *)&in, 3), WSAEFAULT);
    closesocket(s);
}

static void test_connect_when_connected_fails_with_WSAEISCONN(void **state)
{
    SOCKET client, server;
    struct sockaddr_storage peer;
    int len = sizeof(peer);
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(getpeername(client, (struct sockaddr *)&peer, &len), 0);
    assert_socket_error(connect(client, (struct sockaddr *)&peer, len), WSAEISCONN);
    closesocket(client);
    closesocket(server);
}

static void test_nonblocking_connect_fails_with_WSAEWOULDBLOCK_then_completes(void **state)
{
    struct sockaddr_storage addr;
    int len;
    u_long on = 1;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    fd_set wfds;
    FD_ZERO(&wfds);
    FD_SET(s, &wfds);
    struct timeval tv = {10, 0};
    assert_int_equal(select(0, NULL, &wfds, NULL, &tv), 1);
    SOCKET server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    closesocket(server);
    closesocket(s);
    closesocket(listener);
}

static void test_getpeername_on_unconnected_socket_fails_with_WSAENOTCONN(void **state)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(getpeername(s, (struct sockaddr *)&addr, &len), WSAENOTCONN);
    closesocket(s);
}

static void test_shutdown_with_bad_how_fails_with_WSAEINVAL(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(shutdown(client, 7), WSAEINVAL);
    closesocket(client);
    closesocket(server);
}

static void test_shutdown_on_unconnected_stream_fails_with_WSAENOTCONN(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(shutdown(s, SD_SEND), WSAENOTCONN);
    closesocket(s);
}

static void test_shutdown_send_makes_the_peer_read_end_of_stream(void **state)
{
    SOCKET client, server;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET6, &client, &server);
    assert_int_equal(shutdown(client, SD_SEND), 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    /* and sending after SD_SEND fails with WSAESHUTDOWN */
    assert_socket_error(send(client, "x", 1, 0), WSAESHUTDOWN);
    closesocket(client);
    closesocket(server);
}

static void test_closesocket_twice_fails_with_WSAENOTSOCK(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(closesocket(s), 0);
    assert_socket_error(closesocket(s), WSAENOTSOCK);
}

static void test_inherited_or_duplicated_socket_handle_is_adopted(void **state)
{
    SOCKET client, server, dup;
    char buf[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_true(DuplicateHandle(GetCurrentProcess(), (HANDLE)client, GetCurrentProcess(),
                                (HANDLE *)&dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    assert_int_equal(send(dup, "abc", 3, 0), 3);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 3);
    int type = 0, len = sizeof(type);
    assert_int_equal(getsockopt(dup, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
    assert_int_equal(type, SOCK_STREAM);
    assert_int_equal(closesocket(dup), 0);
    closesocket(client);
    closesocket(server);
}

static void test_closesocket_makes_a_blocking_recv_in_another_thread_fail_with_WSAEINTR(
    void **state)
{
    SOCKET client, server;
    struct ws_test_blocked_recv b;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ws_test_start_blocked_recv(&b, server);
    assert_int_equal(closesocket(server), 0);
    assert_true(ws_test_finish_blocked_recv(&b));
    assert_int_equal(b.ret, SOCKET_ERROR);
    assert_int_equal(b.error, WSAEINTR);
    closesocket(client);
}

/* An unknown family is reported before an unknown protocol; an unknown type before both. */
static void test_socket_with_unknown_family_and_protocol_fails_with_WSAEAFNOSUPPORT(void **state)
{
    (void)state;
    SetLastError(0xdeadbeef);
    assert_true(WSASocketW(0xdead, SOCK_STREAM, 0xdead, NULL, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    assert_true(WSASocketW(0xdead, 0xdead, IPPROTO_TCP, NULL, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAESOCKTNOSUPPORT);
    assert_true(WSASocketW(AF_UNSPEC, 0, 0xdead, NULL, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEPROTONOSUPPORT);
    assert_true(WSASocketW(AF_INET, SOCK_STREAM, 0xdead, NULL, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEPROTONOSUPPORT);
}

/* A raw socket reports the raw catalog entry, whose protocol is 0 (a range up to 255). */
static void test_raw_socket_protocol_info_reports_protocol_0(void **state)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_RAW, IPPROTO_ICMP, NULL, 0, 0);
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info);
    (void)state;
    if (s == INVALID_SOCKET) skip(); /* raw sockets need privileges the test may not have */
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    assert_int_equal(info.iSocketType, SOCK_RAW);
    assert_int_equal(info.iProtocol, 0);
    assert_int_equal(info.iProtocolMaxOffset, 255);
    closesocket(s);
}

/* While a non-blocking connect is under way (a listener whose backlog is full takes no more
   connections), getpeername names the address being connected to; once the connect is
   refused, the socket has no peer. */
static void test_getpeername_of_a_socket_whose_connect_is_under_way_names_the_target(void **state)
{
    struct sockaddr_storage addr, peer;
    SOCKET listener, waiting[2], s;
    int len = sizeof(addr), peer_len = sizeof(peer);
    u_long on = 1;
    (void)state;
    listener = ws_test_full_listener(&addr, &len, waiting);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEALREADY);
    assert_int_equal(getpeername(s, (struct sockaddr *)&peer, &peer_len), 0);
    assert_int_equal(peer_len, sizeof(struct sockaddr_in));
    assert_memory_equal(&peer, &addr, sizeof(struct sockaddr_in));
    closesocket(s);

    /* A connect that failed leaves no peer to name. */
    closesocket(listener);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    fd_set except;
    struct timeval tv = {5, 0};
    FD_ZERO(&except);
    FD_SET(s, &except);
    assert_int_equal(select(0, NULL, NULL, &except, &tv), 1);
    peer_len = sizeof(peer);
    assert_socket_error(getpeername(s, (struct sockaddr *)&peer, &peer_len), WSAENOTCONN);
    closesocket(s);
    for (int i = 0; i < 2; i++) closesocket(waiting[i]);
}

/* An unconnected socket is told as such before its buffers are looked at. */
static void test_getpeername_of_an_unconnected_socket_fails_with_WSAENOTCONN_first(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_storage addr, peer;
    int len = ws_test_loopback(AF_INET, 9, &addr), peer_len = 0;
    (void)state;
    assert_socket_error(getpeername(s, NULL, NULL), WSAENOTCONN);
    assert_int_equal(connect(s, (struct sockaddr *)&addr, len), 0);
    assert_socket_error(getpeername(s, NULL, NULL), WSAEFAULT);
    assert_socket_error(getpeername(s, (struct sockaddr *)&peer, &peer_len), WSAEFAULT);
    assert_int_equal(peer_len, 0);
    peer_len = sizeof(peer);
    assert_int_equal(getpeername(s, (struct sockaddr *)&peer, &peer_len), 0);
    assert_int_equal(peer_len, sizeof(struct sockaddr_in));
    assert_memory_equal(&peer, &addr, sizeof(struct sockaddr_in));
    closesocket(s);
}

/* Shut down in both directions on both sides, the connection still names its ends. */
static void test_getpeername_still_names_the_peer_after_both_sides_shut_down(void **state)
{
    SOCKET client, server;
    struct sockaddr_storage client_name, server_name, peer;
    int len;
    char b[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    len = sizeof(client_name);
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_name, &len), 0);
    len = sizeof(server_name);
    assert_int_equal(getsockname(server, (struct sockaddr *)&server_name, &len), 0);
    assert_int_equal(shutdown(client, SD_BOTH), 0);
    assert_int_equal(recv(server, b, sizeof(b), 0), 0);
    assert_int_equal(shutdown(server, SD_BOTH), 0);
    len = sizeof(peer);
    assert_int_equal(getpeername(client, (struct sockaddr *)&peer, &len), 0);
    assert_int_equal(len, sizeof(struct sockaddr_in));
    assert_memory_equal(&peer, &server_name, sizeof(struct sockaddr_in));
    len = sizeof(peer);
    assert_int_equal(getpeername(server, (struct sockaddr *)&peer, &len), 0);
    assert_memory_equal(&peer, &client_name, sizeof(struct sockaddr_in));
    closesocket(client);
    closesocket(server);
}

static void test_bind_with_an_unknown_ipv6_scope_id_fails_with_WSAEADDRNOTAVAIL(void **state)
{
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET6, 0, &addr);
    (void)state;
    ((struct sockaddr_in6 *)&addr)->sin6_scope_id = 0xabacab;
    assert_socket_error(bind(s, (struct sockaddr *)&addr, len), WSAEADDRNOTAVAIL);
    ((struct sockaddr_in6 *)&addr)->sin6_scope_id = 0;
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_socket_creates_tcp_and_udp_sockets_of_both_families),
        cmocka_unit_test(test_socket_with_unknown_family_and_protocol_fails_with_WSAEAFNOSUPPORT),
        cmocka_unit_test(test_raw_socket_protocol_info_reports_protocol_0),
        cmocka_unit_test(test_getpeername_of_an_unconnected_socket_fails_with_WSAENOTCONN_first),
        cmocka_unit_test(test_getpeername_of_a_socket_whose_connect_is_under_way_names_the_target),
        cmocka_unit_test(test_getpeername_still_names_the_peer_after_both_sides_shut_down),
        cmocka_unit_test(test_bind_with_an_unknown_ipv6_scope_id_fails_with_WSAEADDRNOTAVAIL),
        cmocka_unit_test(test_socket_with_unknown_family_fails_with_WSAEAFNOSUPPORT),
        cmocka_unit_test(test_socket_with_unknown_type_fails_with_WSAESOCKTNOSUPPORT),
        cmocka_unit_test(test_socket_with_mismatched_protocol_fails_with_WSAEPROTONOSUPPORT),
        cmocka_unit_test(test_socket_with_zero_family_and_protocol_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSASocketA_and_W_create_sockets),
        cmocka_unit_test(test_calls_on_a_non_socket_handle_fail_with_WSAENOTSOCK),
        cmocka_unit_test(test_bind_then_getsockname_reports_the_bound_address),
        cmocka_unit_test(test_bind_with_null_or_short_address_fails_with_WSAEFAULT),
        cmocka_unit_test(test_bind_twice_fails_with_WSAEINVAL),
        cmocka_unit_test(test_bind_to_a_port_in_use_fails_with_WSAEADDRINUSE),
        cmocka_unit_test(test_bind_to_a_foreign_address_fails_with_WSAEADDRNOTAVAIL),
        cmocka_unit_test(test_getsockname_on_unbound_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_getsockname_with_bad_pointers_fails_with_WSAEFAULT),
        cmocka_unit_test(test_listen_on_unbound_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_listen_on_udp_socket_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_a_udp_socket_reconnects_and_AF_UNSPEC_drops_its_peer),
        cmocka_unit_test(test_accept_on_non_listening_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_accept_with_short_address_length_fails_with_WSAEFAULT),
        cmocka_unit_test(test_accept_with_address_but_no_length_succeeds_and_leaves_the_buffer),
        cmocka_unit_test(test_nonblocking_accept_without_connection_fails_with_WSAEWOULDBLOCK),
        cmocka_unit_test(test_accept_returns_the_peer_address),
        cmocka_unit_test(test_connect_to_a_closed_port_fails_with_WSAECONNREFUSED),
        cmocka_unit_test(test_connect_with_null_or_short_address_fails_with_WSAEFAULT),
        cmocka_unit_test(test_connect_when_connected_fails_with_WSAEISCONN),
        cmocka_unit_test(test_nonblocking_connect_fails_with_WSAEWOULDBLOCK_then_completes),
        cmocka_unit_test(test_getpeername_on_unconnected_socket_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_shutdown_with_bad_how_fails_with_WSAEINVAL),
        cmocka_unit_test(test_shutdown_on_unconnected_stream_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_shutdown_send_makes_the_peer_read_end_of_stream),
        cmocka_unit_test(test_closesocket_twice_fails_with_WSAENOTSOCK),
        cmocka_unit_test(test_inherited_or_duplicated_socket_handle_is_adopted),
        cmocka_unit_test(
            test_closesocket_makes_a_blocking_recv_in_another_thread_fail_with_WSAEINTR),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
