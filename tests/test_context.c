/* The user-mode socket context: values answered without the socket device (the local name of a
   connected or listening stream socket, option values known from earlier calls, the blocking
   mode) must always be the ones the device would give. */
#include "ws_test.h"
#include <mstcpip.h>

static DWORD get_opt(SOCKET s, int level, int name)
{
    DWORD value = 0;
    int len = sizeof(value);
    assert_int_equal(getsockopt(s, level, name, (char *)&value, &len), 0);
    return value;
}

static void test_a_connected_sockets_local_name_stays_what_the_device_said(void **state)
{
    SOCKET client, server;
    struct sockaddr_storage first, again;
    int len = sizeof(first), len2;
    (void)state;

    ws_test_tcp_pair(AF_INET6, &client, &server);
    assert_int_equal(getsockname(client, (struct sockaddr *)&first, &len), 0);
    assert_int_equal(len, sizeof(struct sockaddr_in6));
    for (int i = 0; i < 3; i++) {
        len2 = sizeof(again);
        memset(&again, 0xcc, sizeof(again));
        assert_int_equal(getsockname(client, (struct sockaddr *)&again, &len2), 0);
        assert_int_equal(len2, len);
        assert_memory_equal(&again, &first, len);
    }
    /* The peer's view agrees. */
    len2 = sizeof(again);
    assert_int_equal(getpeername(server, (struct sockaddr *)&again, &len2), 0);
    assert_memory_equal(&((struct sockaddr_in6 *)&again)->sin6_port,
                        &((struct sockaddr_in6 *)&first)->sin6_port, sizeof(USHORT));
    /* A buffer too short for it still fails, and the name is not written. */
    len2 = sizeof(struct sockaddr_in6) - 1;
    memset(&again, 0xcc, sizeof(again));
    assert_socket_error(getsockname(client, (struct sockaddr *)&again, &len2), WSAEFAULT);
    assert_int_equal(((unsigned char *)&again)[0], 0xcc);
    assert_socket_error(getsockname(client, NULL, &len2), WSAEFAULT);
    closesocket(client);
    closesocket(server);
}

/* A listening socket's name is final too; an unconnected one asks the device each time. */
static void test_listening_and_unbound_sockets_report_their_current_names(void **state)
{
    struct sockaddr_storage addr, got;
    int len = sizeof(addr), len2 = sizeof(got);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in bind_to = {0};
    (void)state;

    assert_int_equal(getsockname(listener, (struct sockaddr *)&got, &len2), 0);
    assert_memory_equal(&got, &addr, len);
    /* Unbound: WSAEINVAL; then bound: its name. */
    len2 = sizeof(got);
    assert_socket_error(getsockname(s, (struct sockaddr *)&got, &len2), WSAEINVAL);
    bind_to.sin_family = AF_INET;
    bind_to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&bind_to, sizeof(bind_to)), 0);
    len2 = sizeof(got);
    assert_int_equal(getsockname(s, (struct sockaddr *)&got, &len2), 0);
    assert_int_not_equal(((struct sockaddr_in *)&got)->sin_port, 0);
    closesocket(s);
    closesocket(listener);
}

static void test_kept_option_values_follow_every_change(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct tcp_keepalive vals = {1, 30000, 2000};
    DWORD one = 1, zero = 0, size, before;
    (void)state;

    /* TCP_NODELAY: read, set, set again to the same, back. */
    assert_int_equal(get_opt(s, IPPROTO_TCP, TCP_NODELAY) & 0xff, 0);
    assert_int_equal(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&one, sizeof(one)), 0);
    assert_int_equal(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&one, sizeof(one)), 0);
    assert_int_equal(get_opt(s, IPPROTO_TCP, TCP_NODELAY) & 0xff, 1);
    assert_int_equal(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&zero, sizeof(zero)), 0);
    assert_int_equal(get_opt(s, IPPROTO_TCP, TCP_NODELAY) & 0xff, 0);

    /* SO_KEEPALIVE read as off, then switched on by SIO_KEEPALIVE_VALS. */
    assert_int_equal(get_opt(s, SOL_SOCKET, SO_KEEPALIVE) & 0xff, 0);
    assert_int_equal(
        WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, &size, NULL, NULL), 0);
    assert_int_equal(get_opt(s, SOL_SOCKET, SO_KEEPALIVE) & 0xff, 1);
    vals.onoff = 0;
    assert_int_equal(
        WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), NULL, 0, &size, NULL, NULL), 0);
    assert_int_equal(get_opt(s, SOL_SOCKET, SO_KEEPALIVE) & 0xff, 0);

    /* SO_RCVBUF: what the host made of the value set, not a stale copy. */
    before = get_opt(s, SOL_SOCKET, SO_RCVBUF);
    DWORD want = before == 8192 ? 16384 : 8192;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&want, sizeof(want)), 0);
    assert_int_not_equal(get_opt(s, SOL_SOCKET, SO_RCVBUF), before);
    closesocket(s);
}

/* FIONBIO to the mode a socket has is a no-op; the mode itself is always the device's. */
static void test_FIONBIO_repeated_keeps_the_mode(void **state)
{
    SOCKET client, server;
    u_long on = 1, off = 0;
    char byte;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(client, FIONBIO, &off), 0);
    assert_int_equal(ioctlsocket(client, FIONBIO, &on), 0);
    assert_int_equal(ioctlsocket(client, FIONBIO, &on), 0);
    assert_socket_error(recv(client, &byte, 1, 0), WSAEWOULDBLOCK);
    assert_int_equal(ioctlsocket(client, FIONBIO, &off), 0);
    assert_int_equal(ioctlsocket(client, FIONBIO, &off), 0);
    assert_int_equal(send(server, "x", 1, 0), 1);
    assert_int_equal(recv(client, &byte, 1, 0), 1);
    closesocket(client);
    closesocket(server);
}

/* A handle the context did not create (a duplicate) has an unknown mode: FIONBIO asks the
   device, so a copy made non-blocking elsewhere is set blocking for real. */
static void test_FIONBIO_on_a_duplicated_handle_reaches_the_device(void **state)
{
    SOCKET client, server, dup;
    u_long on = 1, off = 0;
    char byte;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(client, FIONBIO, &on), 0);
    assert_true(DuplicateHandle(GetCurrentProcess(), (HANDLE)client, GetCurrentProcess(),
                                (HANDLE *)&dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    /* The device's mode is shared: the duplicate is non-blocking now. */
    assert_socket_error(recv(dup, &byte, 1, 0), WSAEWOULDBLOCK);
    assert_int_equal(ioctlsocket(dup, FIONBIO, &off), 0);
    assert_int_equal(send(server, "y", 1, 0), 1);
    assert_int_equal(recv(dup, &byte, 1, 0), 1);
    closesocket(dup);
    closesocket(client);
    closesocket(server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_connected_sockets_local_name_stays_what_the_device_said),
        cmocka_unit_test(test_listening_and_unbound_sockets_report_their_current_names),
        cmocka_unit_test(test_kept_option_values_follow_every_change),
        cmocka_unit_test(test_FIONBIO_repeated_keeps_the_mode),
        cmocka_unit_test(test_FIONBIO_on_a_duplicated_handle_reaches_the_device),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
