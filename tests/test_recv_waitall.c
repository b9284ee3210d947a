/* MSG_WAITALL on recv and WSARecv: the receive ends only when the buffers are full, the
   connection is closed or an error ends it; the combinations the reference pages refuse. */
#include "ws_test.h"

/* Sends its text one byte at a time, pausing between them, so that a receive without
   MSG_WAITALL would come back with less than all of it. */
struct dribble {
    SOCKET s;
    const char *text;
    BOOL shut_after;
};

static DWORD WINAPI dribble_thread(void *arg)
{
    struct dribble *d = arg;
    for (const char *p = d->text; *p; p++) {
        Sleep(20);
        if (send(d->s, p, 1, 0) != 1) return 1;
    }
    if (d->shut_after) shutdown(d->s, SD_SEND);
    return 0;
}

static HANDLE start_dribble(struct dribble *d)
{
    HANDLE thread = CreateThread(NULL, 0, dribble_thread, d, 0, NULL);
    assert_non_null(thread);
    return thread;
}

static void finish_dribble(HANDLE thread)
{
    DWORD code = 1;
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(thread, &code));
    assert_int_equal(code, 0);
    CloseHandle(thread);
}

static void test_recv_with_MSG_WAITALL_waits_until_the_buffer_is_full(void **state)
{
    SOCKET client, server;
    char buf[8] = {0};
    struct dribble d;
    HANDLE thread;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "abc", 3, 0), 3);
    d = (struct dribble){client, "defgh", FALSE};
    thread = start_dribble(&d);
    assert_int_equal(recv(server, buf, sizeof(buf), MSG_WAITALL), 8);
    assert_memory_equal(buf, "abcdefgh", 8);
    finish_dribble(thread);
    closesocket(client);
    closesocket(server);
}

static void test_WSARecv_with_MSG_WAITALL_fills_every_buffer_of_a_scatter_list(void **state)
{
    SOCKET client, server;
    char a[2], b[1], c[5];
    WSABUF bufs[4] = {{sizeof(a), a}, {0, b}, {sizeof(c), c}, {0, b}};
    DWORD received = 0, flags = MSG_WAITALL;
    struct dribble d;
    HANDLE thread;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    d = (struct dribble){client, "1234567", FALSE};
    thread = start_dribble(&d);
    assert_int_equal(WSARecv(server, bufs, 4, &received, &flags, NULL, NULL), 0);
    assert_int_equal(received, 7);
    assert_int_equal(flags, 0);
    assert_memory_equal(a, "12", 2);
    assert_memory_equal(c, "34567", 5);
    finish_dribble(thread);
    closesocket(client);
    closesocket(server);
}

static void test_recv_with_MSG_WAITALL_returns_what_came_when_the_peer_closes(void **state)
{
    SOCKET client, server;
    char buf[16] = {0};
    struct dribble d;
    HANDLE thread;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    d = (struct dribble){client, "xyz", TRUE};
    thread = start_dribble(&d);
    assert_int_equal(recv(server, buf, sizeof(buf), MSG_WAITALL), 3);
    assert_memory_equal(buf, "xyz", 3);
    /* The close itself is the next receive's news. */
    assert_int_equal(recv(server, buf, sizeof(buf), MSG_WAITALL), 0);
    finish_dribble(thread);
    closesocket(client);
    closesocket(server);
}

/* After a reset, every receive fails with WSAECONNRESET, MSG_WAITALL or not. */
static void test_recv_with_MSG_WAITALL_after_a_reset_fails_with_WSAECONNRESET(void **state)
{
    SOCKET client, server;
    struct linger abort_close = {1, 0};
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(
        setsockopt(client, SOL_SOCKET, SO_LINGER, (const char *)&abort_close, sizeof(abort_close)),
        0);
    assert_int_equal(closesocket(client), 0);
    assert_socket_error(recv(server, buf, sizeof(buf), MSG_WAITALL), WSAECONNRESET);
    assert_socket_error(recv(server, buf, sizeof(buf), MSG_WAITALL), WSAECONNRESET);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAECONNRESET);
    closesocket(server);
}

static void test_recv_with_MSG_WAITALL_on_an_unconnected_stream_fails_with_WSAENOTCONN(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char buf[4];
    (void)state;
    assert_socket_error(recv(s, buf, sizeof(buf), MSG_WAITALL), WSAENOTCONN);
    closesocket(s);
}

static void test_MSG_WAITALL_with_MSG_PEEK_MSG_OOB_or_MSG_PARTIAL_fails_with_WSAEOPNOTSUPP(
    void **state)
{
    static const int others[] = {MSG_PEEK, MSG_OOB, MSG_PARTIAL};
    SOCKET client, server;
    char buf[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "data", 4, 0), 4);
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        WSABUF wsabuf = {sizeof(buf), buf};
        DWORD received = 0xdead, flags = MSG_WAITALL | others[i];
        assert_socket_error(recv(server, buf, sizeof(buf), MSG_WAITALL | others[i]), WSAEOPNOTSUPP);
        assert_socket_error(WSARecv(server, &wsabuf, 1, &received, &flags, NULL, NULL),
                            WSAEOPNOTSUPP);
    }
    /* Nothing was consumed. */
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 4);
    assert_memory_equal(buf, "data", 4);
    closesocket(client);
    closesocket(server);
}

static void test_MSG_WAITALL_on_a_non_blocking_socket_fails_with_WSAEOPNOTSUPP(void **state)
{
    SOCKET client, server;
    u_long on = 1;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(server, FIONBIO, &on), 0);
    assert_int_equal(send(client, "abc", 3, 0), 3);
    assert_socket_error(recv(server, buf, sizeof(buf), MSG_WAITALL), WSAEOPNOTSUPP);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 3);
    closesocket(client);
    closesocket(server);
}

static void test_MSG_WAITALL_on_a_datagram_socket_fails_with_WSAEOPNOTSUPP(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    char buf[8];
    (void)state;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_socket_error(recv(s, buf, sizeof(buf), MSG_WAITALL), WSAEOPNOTSUPP);
    closesocket(s);
}

static void test_MSG_WAITALL_with_a_bad_buffer_array_fails_with_WSAEFAULT(void **state)
{
    SOCKET client, server;
    DWORD received, flags = MSG_WAITALL;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(
        WSARecv(server, (WSABUF *)(ULONG_PTR)0x10, 1, &received, &flags, NULL, NULL), WSAEFAULT);
    closesocket(client);
    closesocket(server);
}

/* Windows keeps an overlapped MSG_WAITALL receive pending until its buffers are full. Wine's
   device completes a receive with whatever has arrived, and a provider cannot continue the
   operation in the program's OVERLAPPED and still complete it once, through the program's
   event, routine or port; so it is refused with WSAEOPNOTSUPP, the page's error for a provider
   that does not support the flag, rather than completed short. */
static void test_overlapped_WSARecv_with_MSG_WAITALL_completes_when_the_buffers_are_full(
    void **state)
{
    SOCKET client, server;
    char buf[6];
    WSABUF wsabuf = {sizeof(buf), buf};
    WSAOVERLAPPED ov = {0};
    DWORD received = 0, flags = MSG_WAITALL;
    struct dribble d;
    HANDLE thread;
    int ret, err;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = WSACreateEvent();
    assert_int_equal(send(client, "ab", 2, 0), 2);
    ret = WSARecv(server, &wsabuf, 1, NULL, &flags, &ov, NULL);
    err = WSAGetLastError();
    if (ret == SOCKET_ERROR && err == WSAEOPNOTSUPP) {
        closesocket(client);
        closesocket(server);
        WSACloseEvent(ov.hEvent);
    }
    ws_known_gap_if(ret == SOCKET_ERROR && err == WSAEOPNOTSUPP, 1,
                    "an overlapped MSG_WAITALL receive is refused (WSAEOPNOTSUPP): Wine's device "
                    "completes a receive with what has arrived");
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSA_IO_PENDING);
    d = (struct dribble){client, "cdef", FALSE};
    thread = start_dribble(&d);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(server, &ov, &received, FALSE, &flags));
    assert_int_equal(received, 6);
    assert_memory_equal(buf, "abcdef", 6);
    finish_dribble(thread);
    WSACloseEvent(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

/* WSAGetOverlappedResult asks only this process's own table: a DuplicateHandle copy of a socket
   that no Winsock call has used is not a socket to it. */
static void test_WSAGetOverlappedResult_on_a_DuplicateHandle_copy_fails_with_WSAENOTSOCK(
    void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov = {0};
    DWORD size, flags;
    HANDLE copy;
    (void)state;
    assert_true(DuplicateHandle(GetCurrentProcess(), (HANDLE)s, GetCurrentProcess(), &copy, 0,
                                FALSE, DUPLICATE_SAME_ACCESS));
    WSASetLastError(0xdead);
    assert_int_equal(WSAGetOverlappedResult((SOCKET)copy, &ov, &size, FALSE, &flags), FALSE);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    /* The socket itself answers. */
    ov.Internal = 0;
    ov.InternalHigh = 5;
    assert_int_equal(WSAGetOverlappedResult(s, &ov, &size, FALSE, &flags), TRUE);
    assert_int_equal(size, 5);
    CloseHandle(copy);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recv_with_MSG_WAITALL_waits_until_the_buffer_is_full),
        cmocka_unit_test(test_WSARecv_with_MSG_WAITALL_fills_every_buffer_of_a_scatter_list),
        cmocka_unit_test(test_recv_with_MSG_WAITALL_returns_what_came_when_the_peer_closes),
        cmocka_unit_test(test_recv_with_MSG_WAITALL_after_a_reset_fails_with_WSAECONNRESET),
        cmocka_unit_test(
            test_recv_with_MSG_WAITALL_on_an_unconnected_stream_fails_with_WSAENOTCONN),
        cmocka_unit_test(
            test_MSG_WAITALL_with_MSG_PEEK_MSG_OOB_or_MSG_PARTIAL_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_MSG_WAITALL_on_a_non_blocking_socket_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_MSG_WAITALL_on_a_datagram_socket_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_MSG_WAITALL_with_a_bad_buffer_array_fails_with_WSAEFAULT),
        cmocka_unit_test(
            test_overlapped_WSARecv_with_MSG_WAITALL_completes_when_the_buffers_are_full),
        cmocka_unit_test(
            test_WSAGetOverlappedResult_on_a_DuplicateHandle_copy_fails_with_WSAENOTSOCK),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
