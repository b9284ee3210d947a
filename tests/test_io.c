/* send, recv, sendto, recvfrom, WSASend, WSARecv: documented results and errors. */
#include "ws_test.h"

static void test_tcp_stream_moves_every_byte_in_order(void **state)
{
    static char out[256 * 1024], in[sizeof(out)];
    SOCKET client, server;
    (void)state;
    for (size_t i = 0; i < sizeof(out); i++) out[i] = (char)(i * 7 + (i >> 8));
    ws_test_tcp_pair(AF_INET, &client, &server);
    /* The receiver drains in a loop while the sender's blocking sends proceed. */
    size_t sent = 0, got = 0;
    u_long on = 1;
    assert_int_equal(ioctlsocket(server, FIONBIO, &on), 0);
    while (got < sizeof(in)) {
        if (sent < sizeof(out)) {
            int chunk = (int)min(sizeof(out) - sent, 8192);
            int n = send(client, out + sent, chunk, 0);
            assert_true(n > 0);
            sent += n;
        }
        int n = recv(server, in + got, (int)(sizeof(in) - got), 0);
        if (n == SOCKET_ERROR) {
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
            if (sent == sizeof(out)) Sleep(1);
            continue;
        }
        assert_true(n > 0);
        got += n;
    }
    assert_memory_equal(in, out, sizeof(out));
    closesocket(client);
    closesocket(server);
}

static void test_send_on_unconnected_stream_fails_with_WSAENOTCONN(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(send(s, "x", 1, 0), WSAENOTCONN);
    closesocket(s);
}

static void test_recv_on_unconnected_stream_fails_with_WSAENOTCONN(void **state)
{
    char buf[4];
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(recv(s, buf, sizeof(buf), 0), WSAENOTCONN);
    closesocket(s);
}

static void test_nonblocking_recv_without_data_fails_with_WSAEWOULDBLOCK(void **state)
{
    SOCKET client, server;
    char buf[4];
    u_long on = 1;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(server, FIONBIO, &on), 0);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAEWOULDBLOCK);
    closesocket(client);
    closesocket(server);
}

static void test_recv_with_bad_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "abcd", 4, 0), 4);
    assert_socket_error(recv(server, (char *)(ULONG_PTR)0x10, 4, 0), WSAEFAULT);
    closesocket(client);
    closesocket(server);
}

static void test_send_with_bad_buffer_fails_with_WSAEFAULT(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(send(client, (char *)(ULONG_PTR)0x10, 4, 0), WSAEFAULT);
    closesocket(client);
    closesocket(server);
}

static void test_recv_after_peer_close_returns_0(void **state)
{
    SOCKET client, server;
    char buf[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "ab", 2, 0), 2);
    closesocket(client);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 2);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    closesocket(server);
}

/* The peer closes with a zero linger time: the connection is reset. */
static void reset_by_peer(SOCKET peer)
{
    struct linger hard = {1, 0};
    assert_int_equal(setsockopt(peer, SOL_SOCKET, SO_LINGER, (char *)&hard, sizeof(hard)), 0);
    assert_int_equal(closesocket(peer), 0);
}

static void wait_readable(SOCKET s)
{
    fd_set readable;
    struct timeval tv = {5, 0};
    FD_ZERO(&readable);
    FD_SET(s, &readable);
    assert_int_equal(select(0, &readable, NULL, NULL, &tv), 1);
}

/* Once the connection is reset, every receive fails with WSAECONNRESET, not only the first. */
static void test_every_recv_after_a_reset_fails_with_WSAECONNRESET(void **state)
{
    SOCKET client, server;
    char buf[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    reset_by_peer(client);
    Sleep(100);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAECONNRESET);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAECONNRESET);
    closesocket(server);
}

/* A reset seen by select: the receive that follows fails with WSAECONNRESET. */
static void test_recv_after_select_reports_a_reset_fails_with_WSAECONNRESET(void **state)
{
    SOCKET client, server;
    char buf[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    reset_by_peer(client);
    wait_readable(server);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAECONNRESET);
    closesocket(server);
}

/* A pending receive ended by the reset reports it; the receives after it fail at once. */
static void test_overlapped_WSARecv_after_a_reported_reset_fails_with_WSAECONNRESET(void **state)
{
    SOCKET client, server;
    WSAOVERLAPPED ov = {0};
    WSABUF b;
    char buf[4];
    DWORD bytes = 0xdeadbeef, flags = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    b.buf = buf;
    b.len = sizeof(buf);
    assert_socket_error(WSARecv(server, &b, 1, &bytes, &flags, &ov, NULL), WSA_IO_PENDING);
    reset_by_peer(client);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_false(WSAGetOverlappedResult(server, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAECONNRESET);
    bytes = 0xdeadbeef;
    assert_socket_error(WSARecv(server, &b, 1, &bytes, &flags, &ov, NULL), WSAECONNRESET);
    assert_int_equal(bytes, 0xdeadbeef);
    CloseHandle(ov.hEvent);
    closesocket(server);
}

static void test_recv_with_MSG_PEEK_leaves_the_data(void **state)
{
    SOCKET client, server;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "peek", 4, 0), 4);
    assert_int_equal(recv(server, buf, sizeof(buf), MSG_PEEK), 4);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 4);
    assert_memory_equal(buf, "peek", 4);
    closesocket(client);
    closesocket(server);
}

static void test_udp_sendto_recvfrom_reports_the_sender(void **state)
{
    int families[] = {AF_INET, AF_INET6};
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET a, b;
        struct sockaddr_storage addr_b, from, addr_a;
        int len_b, from_len = sizeof(from), len_a = sizeof(addr_a);
        char buf[16];
        ws_test_udp_pair(families[i], &a, &b, &addr_b, &len_b);
        assert_int_equal(sendto(a, "hello", 5, 0, (struct sockaddr *)&addr_b, len_b), 5);
        assert_int_equal(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len), 5);
        assert_memory_equal(buf, "hello", 5);
        assert_int_equal(getsockname(a, (struct sockaddr *)&addr_a, &len_a), 0);
        assert_int_equal(from_len, len_a);
        assert_memory_equal(&from, &addr_a, len_a);
        closesocket(a);
        closesocket(b);
    }
}

static void test_datagram_larger_than_buffer_fails_with_WSAEMSGSIZE_and_delivers_the_truncated_data(
    void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    char buf[4] = {0};
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_int_equal(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&addr_b, len_b), 10);
    assert_socket_error(recv(b, buf, sizeof(buf), 0), WSAEMSGSIZE);
    assert_memory_equal(buf, "0123", 4);
    closesocket(a);
    closesocket(b);
}

static void test_recvfrom_with_short_fromlen_fails_with_WSAEFAULT(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b, from;
    int len_b, from_len = 2;
    char buf[16];
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_int_equal(sendto(a, "x", 1, 0, (struct sockaddr *)&addr_b, len_b), 1);
    assert_socket_error(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len),
                        WSAEFAULT);
    assert_socket_error(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, NULL),
                        WSAEFAULT);
    closesocket(a);
    closesocket(b);
}

static void test_sendto_on_unbound_udp_socket_binds_it(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b, local;
    int len_b, len = sizeof(local);
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    SOCKET c = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_socket_error(getsockname(c, (struct sockaddr *)&local, &len), WSAEINVAL);
    assert_int_equal(sendto(c, "x", 1, 0, (struct sockaddr *)&addr_b, len_b), 1);
    len = sizeof(local);
    assert_int_equal(getsockname(c, (struct sockaddr *)&local, &len), 0);
    closesocket(a);
    closesocket(b);
    closesocket(c);
}

static void test_WSASend_and_WSARecv_gather_and_scatter(void **state)
{
    SOCKET client, server;
    WSABUF out[2] = {{3, "abc"}, {4, "defg"}};
    char b1[2], b2[5];
    WSABUF in[2] = {{sizeof(b1), b1}, {sizeof(b2), b2}};
    DWORD sent = 0, got = 0, flags = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSASend(client, out, 2, &sent, 0, NULL, NULL), 0);
    assert_int_equal(sent, 7);
    assert_int_equal(WSAGetLastError(), 0);
    /* wait until all 7 bytes are there so one receive sees them */
    u_long avail = 0;
    for (int i = 0; i < 1000 && avail < 7; i++) {
        ioctlsocket(server, FIONREAD, &avail);
        if (avail < 7) Sleep(1);
    }
    assert_int_equal(WSARecv(server, in, 2, &got, &flags, NULL, NULL), 0);
    assert_int_equal(got, 7);
    assert_memory_equal(b1, "ab", 2);
    assert_memory_equal(b2, "cdefg", 5);
    closesocket(client);
    closesocket(server);
}

static void test_WSARecv_without_flags_pointer_fails_with_WSAEFAULT(void **state)
{
    SOCKET client, server;
    char b[4];
    WSABUF in = {sizeof(b), b};
    DWORD got;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(WSARecv(server, &in, 1, &got, NULL, NULL, NULL), WSAEFAULT);
    closesocket(client);
    closesocket(server);
}

static void test_WSARecv_with_a_bad_flags_pointer_fails_with_WSAEFAULT(void **state)
{
    SOCKET client, server;
    char buf[4];
    WSABUF wsabuf = {sizeof(buf), buf};
    DWORD received = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "abcd", 4, 0), 4);
    assert_socket_error(WSARecv(server, &wsabuf, 1, &received, (DWORD *)(ULONG_PTR)8, NULL, NULL),
                        WSAEFAULT);
    /* Nothing was taken. */
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 4);
    closesocket(client);
    closesocket(server);
}

static void test_sendto_with_a_negative_address_length_fails_with_WSAEFAULT(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    char buf[4];
    WSABUF wsabuf = {1, (char *)"x"};
    DWORD sent = 0;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_socket_error(sendto(a, "x", 1, 0, (struct sockaddr *)&addr_b, -1), WSAEFAULT);
    assert_socket_error(
        WSASendTo(a, &wsabuf, 1, &sent, 0, (struct sockaddr *)&addr_b, -1, NULL, NULL), WSAEFAULT);
    /* Nothing was sent. */
    u_long on = 1;
    assert_int_equal(ioctlsocket(b, FIONBIO, &on), 0);
    assert_socket_error(recv(b, buf, sizeof(buf), 0), WSAEWOULDBLOCK);
    closesocket(a);
    closesocket(b);
}

static void test_WSARecv_without_buffers_fails_with_WSAEINVAL(void **state)
{
    SOCKET client, server;
    WSAOVERLAPPED ov = {0};
    char b[4];
    WSABUF in = {0, b};
    DWORD got, flags = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_socket_error(WSARecv(server, NULL, 0, NULL, &flags, &ov, NULL), WSAEINVAL);
    assert_socket_error(WSARecv(server, &in, 0, NULL, &flags, &ov, NULL), WSAEINVAL);
    assert_socket_error(WSARecv(server, &in, 0, &got, &flags, NULL, NULL), WSAEINVAL);
    /* One empty buffer is a valid request. */
    assert_socket_error(WSARecv(server, &in, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_int_equal(send(client, "x", 1, 0), 1);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

static void test_send_on_a_udp_socket_without_peer_fails_with_WSAENOTCONN(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    u_long on = 1;
    (void)state;
    assert_socket_error(send(s, "data", 4, 0), WSAENOTCONN);
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_socket_error(send(s, "data", 4, 0), WSAENOTCONN);
    closesocket(s);
}

static void test_recv_on_an_unbound_udp_socket_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    u_long on = 1, off = 0;
    char b[4];
    (void)state;
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_socket_error(recv(s, b, sizeof(b), 0), WSAEINVAL);
    /* Blocking, it fails at once too rather than wait for what cannot come. */
    assert_int_equal(ioctlsocket(s, FIONBIO, &off), 0);
    assert_socket_error(recv(s, b, sizeof(b), 0), WSAEINVAL);
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    assert_socket_error(recv(s, b, sizeof(b), 0), WSAEWOULDBLOCK);
    closesocket(s);
}

/* A stream whose connect is still under way: data calls fail with WSAENOTCONN, not "would
   block". A listener whose queue is full leaves further connects pending. */
static void test_recv_and_send_while_the_connect_is_pending_fail_with_WSAENOTCONN(void **state)
{
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), clients[8],
           pending = INVALID_SOCKET;
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    struct timeval zero = {0, 0}, wait = {0, 500000};
    u_long on = 1;
    char b[4];
    fd_set writable, failed;
    (void)state;
    assert_int_equal(bind(listener, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(listen(listener, 0), 0);
    len = sizeof(addr);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
    for (size_t i = 0; i < ARRAYSIZE(clients); i++) {
        clients[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_int_equal(ioctlsocket(clients[i], FIONBIO, &on), 0);
        if (connect(clients[i], (struct sockaddr *)&addr, len))
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    }
    /* Let the connects the listener takes finish; the others stay pending. */
    FD_ZERO(&writable);
    for (size_t i = 0; i < ARRAYSIZE(clients); i++) FD_SET(clients[i], &writable);
    select(0, NULL, &writable, NULL, &wait);
    for (size_t i = 0; i < ARRAYSIZE(clients) && pending == INVALID_SOCKET; i++) {
        FD_ZERO(&writable);
        FD_ZERO(&failed);
        FD_SET(clients[i], &writable);
        FD_SET(clients[i], &failed);
        if (!select(0, NULL, &writable, &failed, &zero)) pending = clients[i];
    }
    if (pending != INVALID_SOCKET) {
        assert_socket_error(recv(pending, b, sizeof(b), 0), WSAENOTCONN);
        assert_socket_error(send(pending, "data", 4, 0), WSAENOTCONN);
    }
    for (size_t i = 0; i < ARRAYSIZE(clients); i++) closesocket(clients[i]);
    closesocket(listener);
    if (pending == INVALID_SOCKET) skip(); /* every connect was taken: nothing to test */
}

static void test_overlapped_WSARecv_completes_through_its_event(void **state)
{
    SOCKET client, server;
    char b[8];
    WSABUF in = {sizeof(b), b};
    DWORD got = 0, flags = 0;
    WSAOVERLAPPED ov = {0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_socket_error(WSARecv(server, &in, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_false(WSAGetOverlappedResult(server, &ov, &got, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_IO_INCOMPLETE);
    assert_int_equal(send(client, "ovl", 3, 0), 3);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(server, &ov, &got, FALSE, &flags));
    assert_int_equal(got, 3);
    assert_memory_equal(b, "ovl", 3);
    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

static void test_WSAGetOverlappedResult_of_a_truncated_datagram_fails_with_WSAEMSGSIZE(
    void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    char buf[4];
    WSABUF wsabuf = {sizeof(buf), buf};
    DWORD flags = 0, got = 0, out_flags = 0xdeadbeef;
    WSAOVERLAPPED ov = {0};
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_socket_error(WSARecv(b, &wsabuf, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_int_equal(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&addr_b, len_b), 10);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_false(WSAGetOverlappedResult(b, &ov, &got, FALSE, &out_flags));
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "0123", 4);
    assert_int_equal(out_flags, 0xdeadbeef); /* left alone on failure */
    CloseHandle(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

static volatile LONG routine_calls;
static DWORD routine_error, routine_bytes;
static void CALLBACK on_recv(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    InterlockedIncrement(&routine_calls);
}

static void test_overlapped_WSARecv_runs_its_completion_routine_at_an_alertable_wait(void **state)
{
    SOCKET client, server;
    char b[8];
    WSABUF in = {sizeof(b), b};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {0};
    (void)state;
    routine_calls = 0;
    ws_test_tcp_pair(AF_INET, &client, &server);
    int ret = WSARecv(server, &in, 1, NULL, &flags, &ov, on_recv);
    assert_true(ret == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(send(client, "apc", 3, 0), 3);
    for (int i = 0; i < 100 && !routine_calls; i++) SleepEx(100, TRUE);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 3);
    closesocket(client);
    closesocket(server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_stream_moves_every_byte_in_order),
        cmocka_unit_test(test_send_on_unconnected_stream_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_recv_on_unconnected_stream_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_nonblocking_recv_without_data_fails_with_WSAEWOULDBLOCK),
        cmocka_unit_test(test_recv_with_bad_buffer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_send_with_bad_buffer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_recv_after_peer_close_returns_0),
        cmocka_unit_test(test_every_recv_after_a_reset_fails_with_WSAECONNRESET),
        cmocka_unit_test(test_recv_after_select_reports_a_reset_fails_with_WSAECONNRESET),
        cmocka_unit_test(test_overlapped_WSARecv_after_a_reported_reset_fails_with_WSAECONNRESET),
        cmocka_unit_test(test_recv_with_MSG_PEEK_leaves_the_data),
        cmocka_unit_test(test_udp_sendto_recvfrom_reports_the_sender),
        cmocka_unit_test(
            test_datagram_larger_than_buffer_fails_with_WSAEMSGSIZE_and_delivers_the_truncated_data),
        cmocka_unit_test(test_recvfrom_with_short_fromlen_fails_with_WSAEFAULT),
        cmocka_unit_test(test_sendto_on_unbound_udp_socket_binds_it),
        cmocka_unit_test(test_WSASend_and_WSARecv_gather_and_scatter),
        cmocka_unit_test(test_WSARecv_without_flags_pointer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_WSARecv_without_buffers_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSARecv_with_a_bad_flags_pointer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_sendto_with_a_negative_address_length_fails_with_WSAEFAULT),
        cmocka_unit_test(test_send_on_a_udp_socket_without_peer_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_recv_on_an_unbound_udp_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_recv_and_send_while_the_connect_is_pending_fail_with_WSAENOTCONN),
        cmocka_unit_test(test_overlapped_WSARecv_completes_through_its_event),
        cmocka_unit_test(
            test_WSAGetOverlappedResult_of_a_truncated_datagram_fails_with_WSAEMSGSIZE),
        cmocka_unit_test(test_overlapped_WSARecv_runs_its_completion_routine_at_an_alertable_wait),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
