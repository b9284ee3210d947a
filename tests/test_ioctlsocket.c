/* ioctlsocket and WSAIoctl with FIONBIO, FIONREAD and SIOCATMARK: results and errors. */
#include "ws_test.h"
#include <mstcpip.h>

/* Poll a u_long query until it reports the wanted value or about five seconds pass. */
static u_long wait_for_ioctl(SOCKET s, long cmd, u_long wanted)
{
    u_long value = 0;
    for (int i = 0; i < 500; i++) {
        assert_int_equal(ioctlsocket(s, cmd, &value), 0);
        if (value == wanted) break;
        Sleep(10);
    }
    return value;
}

/* ---- FIONBIO ---- */

static void test_FIONBIO_makes_recv_fail_with_WSAEWOULDBLOCK(void **state)
{
    SOCKET client, server;
    u_long on = 1;
    char byte;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    SetLastError(0xdeadbeef);
    assert_int_equal(ioctlsocket(client, FIONBIO, &on), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_socket_error(recv(client, &byte, 1, 0), WSAEWOULDBLOCK);
    closesocket(client);
    closesocket(server);
}

static void test_FIONBIO_zero_makes_the_socket_block_again(void **state)
{
    SOCKET client, server;
    u_long on = 1, off = 0;
    DWORD timeout = 200;
    char byte;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(client, FIONBIO, &on), 0);
    assert_int_equal(ioctlsocket(client, FIONBIO, &off), 0);
    /* Blocking again: the receive waits, here until its timeout. */
    assert_int_equal(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)),
                     0);
    assert_socket_error(recv(client, &byte, 1, 0), WSAETIMEDOUT);
    closesocket(client);
    closesocket(server);
}

static void test_FIONBIO_with_a_bad_argp_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(ioctlsocket(s, FIONBIO, (u_long *)1), WSAEFAULT);
    assert_socket_error(ioctlsocket(s, FIONBIO, NULL), WSAEFAULT);
    closesocket(s);
}

static void test_FIONBIO_off_under_WSAEventSelect_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT event = WSACreateEvent();
    u_long on = 1, off = 0;
    DWORD returned;
    (void)state;
    if (WSAEventSelect(s, event, FD_READ)) {
        closesocket(s);
        WSACloseEvent(event);
        skip();
    }
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    assert_socket_error(ioctlsocket(s, FIONBIO, &off), WSAEINVAL);
    /* WSAIoctl reports no bytes for the refusal. */
    returned = 0xdeadbeef;
    assert_socket_error(WSAIoctl(s, FIONBIO, &off, sizeof(off), NULL, 0, &returned, NULL, NULL),
                        WSAEINVAL);
    assert_int_equal(returned, 0);
    /* Undoing the selection allows blocking mode again. */
    assert_int_equal(WSAEventSelect(s, NULL, 0), 0);
    assert_int_equal(ioctlsocket(s, FIONBIO, &off), 0);
    closesocket(s);
    WSACloseEvent(event);
}

/* ---- FIONREAD ---- */

static void test_FIONREAD_is_zero_without_data(void **state)
{
    SOCKET client, server, fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long value = 0xdeadbeef;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(client, FIONREAD, &value), 0);
    assert_int_equal(value, 0);
    value = 0xdeadbeef;
    assert_int_equal(ioctlsocket(fresh, FIONREAD, &value), 0);
    assert_int_equal(value, 0);
    closesocket(fresh);
    closesocket(client);
    closesocket(server);
}

static void test_FIONREAD_reports_the_bytes_the_peer_sent(void **state)
{
    static const char data[] = "twelve bytes";
    SOCKET client, server;
    char buf[32];
    u_long value;
    (void)state;
    ws_test_tcp_pair(AF_INET6, &client, &server);
    assert_int_equal(send(server, data, 12, 0), 12);
    assert_int_equal(wait_for_ioctl(client, FIONREAD, 12), 12);
    /* Reading part of it leaves the rest counted. */
    assert_int_equal(recv(client, buf, 5, 0), 5);
    assert_int_equal(ioctlsocket(client, FIONREAD, &value), 0);
    assert_int_equal(value, 7);
    closesocket(client);
    closesocket(server);
}

static void test_FIONREAD_on_udp_reports_the_datagram_size(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET a, b;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr, &len);
    assert_int_equal(sendto(a, "datagram", 8, 0, (struct sockaddr *)&addr, len), 8);
    assert_int_equal(wait_for_ioctl(b, FIONREAD, 8), 8);
    closesocket(a);
    closesocket(b);
}

static void test_FIONREAD_with_a_bad_argp_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(ioctlsocket(s, FIONREAD, (u_long *)1), WSAEFAULT);
    assert_socket_error(ioctlsocket(s, FIONREAD, NULL), WSAEFAULT);
    closesocket(s);
}

/* ---- SIOCATMARK ---- */

static void test_SIOCATMARK_is_true_without_urgent_data(void **state)
{
    SOCKET client, server, fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long value = 0xdeadbeef;
    DWORD on = 1;
    (void)state;
    assert_int_equal(ioctlsocket(fresh, SIOCATMARK, &value), 0);
    assert_int_equal(value, TRUE);
    ws_test_tcp_pair(AF_INET, &client, &server);
    value = 0xdeadbeef;
    assert_int_equal(ioctlsocket(client, SIOCATMARK, &value), 0);
    assert_int_equal(value, TRUE);
    /* Also with urgent data received in line. */
    assert_int_equal(setsockopt(client, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), 0);
    value = 0xdeadbeef;
    assert_int_equal(ioctlsocket(client, SIOCATMARK, &value), 0);
    assert_int_equal(value, TRUE);
    closesocket(fresh);
    closesocket(client);
    closesocket(server);
}

static void test_SIOCATMARK_is_false_while_urgent_data_waits(void **state)
{
    SOCKET client, server;
    char byte;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(server, "u", 1, MSG_OOB), 1);
    assert_int_equal(wait_for_ioctl(client, SIOCATMARK, FALSE), FALSE);
    assert_int_equal(recv(client, &byte, 1, MSG_OOB), 1);
    assert_int_equal(byte, 'u');
    closesocket(client);
    closesocket(server);
}

/* The mark is about the OOB byte waiting, not about whether normal data comes before it. */
static void test_SIOCATMARK_is_false_while_urgent_data_waits_behind_normal_data(void **state)
{
    SOCKET client, server;
    char buffer[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(server, "data", 4, 0), 4);
    assert_int_equal(wait_for_ioctl(client, FIONREAD, 4), 4);
    assert_int_equal(wait_for_ioctl(client, SIOCATMARK, TRUE), TRUE);
    assert_int_equal(send(server, "u", 1, MSG_OOB), 1);
    assert_int_equal(wait_for_ioctl(client, SIOCATMARK, FALSE), FALSE);
    assert_int_equal(recv(client, buffer, 4, 0), 4);
    assert_int_equal(wait_for_ioctl(client, SIOCATMARK, FALSE), FALSE);
    assert_int_equal(recv(client, buffer, 1, MSG_OOB), 1);
    assert_int_equal(buffer[0], 'u');
    assert_int_equal(wait_for_ioctl(client, SIOCATMARK, TRUE), TRUE);
    closesocket(client);
    closesocket(server);
}

static void test_overlapped_SIOCATMARK_answers_at_once_and_completes_through_the_port(void **state)
{
    SOCKET client, server;
    WSAOVERLAPPED ov = {0}, *done;
    u_long value = 0xdeadbeef;
    DWORD returned = 0xdeadbeef, bytes;
    ULONG_PTR key;
    HANDLE port;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 77, 0);
    assert_non_null(port);
    SetLastError(0xdeadbeef);
    assert_int_equal(
        WSAIoctl(client, SIOCATMARK, NULL, 0, &value, sizeof(value), &returned, &ov, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(value, TRUE);
    assert_int_equal(returned, sizeof(value));
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &done, 1000));
    assert_int_equal(key, 77);
    assert_ptr_equal(done, &ov);
    CloseHandle(port);
    closesocket(client);
    closesocket(server);
}

static void test_SIOCATMARK_with_a_bad_argp_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_socket_error(ioctlsocket(s, SIOCATMARK, (u_long *)1), WSAEFAULT);
    closesocket(s);
}

/* ---- other commands, sockets, startup ---- */

static void test_unknown_command_fails_with_WSAEOPNOTSUPP(void **state)
{
    static const long commands[] = {(long)0xdeadbeef, (long)FIOASYNC, 0x667e, (long)SIO_FLUSH};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long value = 0;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(commands); i++)
        assert_socket_error(ioctlsocket(s, commands[i], &value), WSAEOPNOTSUPP);
    closesocket(s);
}

static void test_ioctlsocket_on_a_non_socket_fails_with_WSAENOTSOCK(void **state)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    u_long value = 1;
    DWORD returned;
    (void)state;
    assert_socket_error(ioctlsocket(INVALID_SOCKET, FIONBIO, &value), WSAENOTSOCK);
    assert_socket_error(ioctlsocket((SOCKET)event, FIONREAD, &value), WSAENOTSOCK);
    assert_socket_error(
        WSAIoctl((SOCKET)event, FIONREAD, NULL, 0, &value, sizeof(value), &returned, NULL, NULL),
        WSAENOTSOCK);
    CloseHandle(event);
}

static void test_ioctls_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSADATA data;
    u_long value = 1;
    DWORD returned;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(ioctlsocket(s, FIONBIO, &value), WSANOTINITIALISED);
    assert_socket_error(
        WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), &returned, NULL, NULL),
        WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

/* ---- WSAIoctl ---- */

static void test_WSAIoctl_FIONBIO_returns_no_bytes(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long on = 1;
    DWORD returned = 0xdeadbeef;
    void *no_access;
    (void)state;
    SetLastError(0xdeadbeef);
    assert_int_equal(WSAIoctl(s, FIONBIO, &on, sizeof(on), NULL, 0, &returned, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(returned, 0);
    /* A longer input is fine, and the output buffer is never looked at. */
    no_access = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
    assert_non_null(no_access);
    assert_int_equal(WSAIoctl(s, FIONBIO, &on, sizeof(on) + 1, no_access, 4, &returned, NULL, NULL),
                     0);
    VirtualFree(no_access, 0, MEM_RELEASE);
    closesocket(s);
}

static void test_WSAIoctl_FIONBIO_with_a_short_input_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long on = 1;
    DWORD returned;
    (void)state;
    assert_socket_error(WSAIoctl(s, FIONBIO, &on, sizeof(on) - 1, NULL, 0, &returned, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(WSAIoctl(s, FIONBIO, NULL, sizeof(on), NULL, 0, &returned, NULL, NULL),
                        WSAEFAULT);
    closesocket(s);
}

static void test_WSAIoctl_FIONREAD_and_SIOCATMARK_return_four_bytes(void **state)
{
    SOCKET client, server;
    u_long value = 0xdeadbeef;
    DWORD returned = 0xdeadbeef;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    SetLastError(0xdeadbeef);
    assert_int_equal(
        WSAIoctl(client, FIONREAD, NULL, 0, &value, sizeof(value), &returned, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(value, 0);
    assert_int_equal(returned, sizeof(u_long));
    returned = 0xdeadbeef;
    assert_int_equal(
        WSAIoctl(client, SIOCATMARK, NULL, 0, &value, sizeof(value), &returned, NULL, NULL), 0);
    assert_int_equal(value, TRUE);
    assert_int_equal(returned, sizeof(u_long));
    closesocket(client);
    closesocket(server);
}

static void
test_WSAIoctl_with_a_short_output_fails_with_WSAEFAULT_and_leaves_the_count(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long value;
    DWORD returned = 0xdeadbeef;
    (void)state;
    assert_socket_error(
        WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value) - 1, &returned, NULL, NULL),
        WSAEFAULT);
    assert_int_equal(returned, 0xdeadbeef);
    assert_socket_error(
        WSAIoctl(s, SIOCATMARK, NULL, 0, &value, sizeof(value) - 1, &returned, NULL, NULL),
        WSAEFAULT);
    assert_int_equal(returned, 0xdeadbeef);
    assert_socket_error(WSAIoctl(s, FIONREAD, NULL, 0, NULL, sizeof(value), &returned, NULL, NULL),
                        WSAEFAULT);
    closesocket(s);
}

static void test_WSAIoctl_without_a_byte_count_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov = {0};
    u_long value = 1;
    (void)state;
    assert_socket_error(WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), NULL, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(WSAIoctl(s, FIONBIO, &value, sizeof(value), NULL, 0, NULL, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, NULL, &ov, NULL), WSAEFAULT);
    closesocket(s);
}

static void test_WSAIoctl_unknown_code_fails_with_WSAEOPNOTSUPP_and_no_bytes(void **state)
{
    static const DWORD codes[] = {0xdeadbeef, FIOASYNC, 0x667e, SIO_FLUSH};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD returned;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(codes); i++) {
        returned = 0xdeadbeef;
        assert_socket_error(WSAIoctl(s, codes[i], NULL, 0, NULL, 0, &returned, NULL, NULL),
                            WSAEOPNOTSUPP);
        assert_int_equal(returned, 0);
    }
    closesocket(s);
}

/* An overlapped control request that completes at once returns 0 and still signals its
   event and posts to the socket's completion port. */
static void test_overlapped_WSAIoctl_FIONREAD_completes_through_event_and_port(void **state)
{
    SOCKET client, server;
    WSAOVERLAPPED ov = {0};
    u_long value = 0;
    DWORD returned = 0, bytes;
    ULONG_PTR key;
    OVERLAPPED *done;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "abc", 3, 0), 3);
    for (int i = 0; i < 1000 && value < 3; i++) {
        assert_int_equal(ioctlsocket(server, FIONREAD, &value), 0);
        if (value < 3) Sleep(1);
    }
    HANDLE port = CreateIoCompletionPort((HANDLE)server, NULL, 77, 0);
    assert_non_null(port);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    value = 0;
    assert_int_equal(
        WSAIoctl(server, FIONREAD, NULL, 0, &value, sizeof(value), &returned, &ov, NULL), 0);
    assert_int_equal(value, 3);
    assert_int_equal(returned, sizeof(u_long));
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    assert_int_equal(key, 77);
    assert_ptr_equal(done, &ov);
    CloseHandle(ov.hEvent);
    CloseHandle(port);
    closesocket(client);
    closesocket(server);
}

static void test_SIO_GET_INTERFACE_LIST_includes_loopback(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    INTERFACE_INFO list[32];
    DWORD returned = 0;
    int loopback = 0;
    (void)state;
    assert_int_equal(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, list, sizeof(list), &returned,
                              NULL, NULL),
                     0);
    assert_true(returned >= sizeof(INTERFACE_INFO) && returned % sizeof(INTERFACE_INFO) == 0);
    for (DWORD i = 0; i < returned / sizeof(INTERFACE_INFO); i++) {
        assert_int_equal(list[i].iiAddress.AddressIn.sin_family, AF_INET);
        loopback |= (list[i].iiFlags & IFF_LOOPBACK) != 0;
    }
    assert_true(loopback);
    closesocket(s);
}

static void test_SIO_KEEPALIVE_VALS_succeeds_and_short_input_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct tcp_keepalive vals = {1, 10000, 1000};
    DWORD returned = 0xdead;
    (void)state;
    assert_int_equal(WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, &returned,
                              NULL, NULL),
                     0);
    assert_int_equal(returned, 0);
    assert_socket_error(
        WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals) - 1, NULL, 0, &returned, NULL, NULL),
        WSAEFAULT);
    closesocket(s);
}

/* Overlapped: a short input is refused with the OVERLAPPED already marked pending, and a
   success leaves the byte count as it was. */
static void test_overlapped_SIO_KEEPALIVE_VALS_leaves_the_count_alone(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct tcp_keepalive vals = {1, 10000, 1000};
    WSAOVERLAPPED ov = {0};
    DWORD returned = 0xdeadbeef;
    (void)state;
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    assert_socket_error(
        WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals) - 1, NULL, 0, &returned, &ov, NULL),
        WSAEFAULT);
    assert_int_equal(returned, 0xdeadbeef);
    assert_int_equal(ov.Internal, STATUS_PENDING);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    assert_int_equal(
        WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, &returned, &ov, NULL), 0);
    assert_int_equal(returned, 0xdeadbeef);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, 0);
    CloseHandle(ov.hEvent);
    closesocket(s);
}

static void WINAPI keepalive_routine(DWORD error, DWORD size, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)error, (void)size, (void)flags;
    *(volatile LONG *)&ov->Offset += 1;
}

/* With a completion routine the byte count is written (0), and the routine runs with no
   error and no bytes once the thread waits alertably. */
static void test_SIO_KEEPALIVE_VALS_with_a_completion_routine_reports_zero_bytes(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct tcp_keepalive vals = {1, 10000, 1000};
    WSAOVERLAPPED ov = {0};
    DWORD returned = 0xdeadbeef;
    (void)state;
    assert_int_equal(WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, &returned, &ov,
                              keepalive_routine),
                     0);
    assert_int_equal(returned, 0);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(ov.Offset, 1);
    closesocket(s);
}

static void test_overlapped_SIO_ADDRESS_LIST_CHANGE_pends(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAOVERLAPPED ov = {0};
    DWORD returned;
    (void)state;
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &returned, &ov, NULL),
        WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    assert_true(CancelIoEx((HANDLE)s, &ov));
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    DWORD flags;
    assert_false(WSAGetOverlappedResult(s, &ov, &returned, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_OPERATION_ABORTED);
    CloseHandle(ov.hEvent);
    closesocket(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_FIONBIO_makes_recv_fail_with_WSAEWOULDBLOCK),
    cmocka_unit_test(test_FIONBIO_zero_makes_the_socket_block_again),
    cmocka_unit_test(test_FIONBIO_with_a_bad_argp_fails_with_WSAEFAULT),
    cmocka_unit_test(test_FIONBIO_off_under_WSAEventSelect_fails_with_WSAEINVAL),
    cmocka_unit_test(test_FIONREAD_is_zero_without_data),
    cmocka_unit_test(test_FIONREAD_reports_the_bytes_the_peer_sent),
    cmocka_unit_test(test_FIONREAD_on_udp_reports_the_datagram_size),
    cmocka_unit_test(test_FIONREAD_with_a_bad_argp_fails_with_WSAEFAULT),
    cmocka_unit_test(test_SIOCATMARK_is_true_without_urgent_data),
    cmocka_unit_test(test_SIOCATMARK_is_false_while_urgent_data_waits),
    cmocka_unit_test(test_SIOCATMARK_is_false_while_urgent_data_waits_behind_normal_data),
    cmocka_unit_test(test_overlapped_SIOCATMARK_answers_at_once_and_completes_through_the_port),
    cmocka_unit_test(test_SIOCATMARK_with_a_bad_argp_fails_with_WSAEFAULT),
    cmocka_unit_test(test_unknown_command_fails_with_WSAEOPNOTSUPP),
    cmocka_unit_test(test_ioctlsocket_on_a_non_socket_fails_with_WSAENOTSOCK),
    cmocka_unit_test(test_ioctls_before_WSAStartup_fail_with_WSANOTINITIALISED),
    cmocka_unit_test(test_WSAIoctl_FIONBIO_returns_no_bytes),
    cmocka_unit_test(test_WSAIoctl_FIONBIO_with_a_short_input_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAIoctl_FIONREAD_and_SIOCATMARK_return_four_bytes),
    cmocka_unit_test(test_WSAIoctl_with_a_short_output_fails_with_WSAEFAULT_and_leaves_the_count),
    cmocka_unit_test(test_WSAIoctl_without_a_byte_count_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAIoctl_unknown_code_fails_with_WSAEOPNOTSUPP_and_no_bytes),
    cmocka_unit_test(test_overlapped_WSAIoctl_FIONREAD_completes_through_event_and_port),
    cmocka_unit_test(test_SIO_GET_INTERFACE_LIST_includes_loopback),
    cmocka_unit_test(test_SIO_KEEPALIVE_VALS_succeeds_and_short_input_fails_with_WSAEFAULT),
    cmocka_unit_test(test_SIO_KEEPALIVE_VALS_with_a_completion_routine_reports_zero_bytes),
    cmocka_unit_test(test_overlapped_SIO_KEEPALIVE_VALS_leaves_the_count_alone),
    cmocka_unit_test(test_overlapped_SIO_ADDRESS_LIST_CHANGE_pends),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
