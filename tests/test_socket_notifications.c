/*
 * ProcessSocketNotifications: registrations (enable, disable, remove), level and edge triggers,
 * oneshot and persistent registrations, the IN/OUT/HANGUP/ERR events, SOCK_NOTIFY_EVENT_REMOVE,
 * and the dequeue into OVERLAPPED_ENTRY with a timeout.
 */
#include "ws_test.h"
#include <stdbool.h>
#include <ws2spi.h>
#include "../include/openws2/wah.h"

#define LEVEL   (SOCK_NOTIFY_TRIGGER_LEVEL | SOCK_NOTIFY_TRIGGER_PERSISTENT)
#define EDGE    (SOCK_NOTIFY_TRIGGER_EDGE | SOCK_NOTIFY_TRIGGER_PERSISTENT)
#define ONESHOT (SOCK_NOTIFY_TRIGGER_LEVEL | SOCK_NOTIFY_TRIGGER_ONESHOT)
/* Long enough for a notification that is coming; the tests never assert how long one takes. */
#define COMING 5000
/* How long a test waits to see that nothing comes. */
#define QUIET 300

static HANDLE new_port(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    assert_non_null(port);
    return port;
}

static DWORD reg(HANDLE port, SOCKET s, ULONG_PTR key, UINT16 filter, UINT8 op, UINT8 trigger)
{
    SOCK_NOTIFY_REGISTRATION r = {0};
    DWORD ret;
    r.socket = s;
    r.completionKey = (void *)key;
    r.eventFilter = filter;
    r.operation = op;
    r.triggerFlags = trigger;
    r.registrationResult = 0xdead;
    ret = ProcessSocketNotifications(port, 1, &r, 0, 0, NULL, NULL);
    assert_int_equal(ret, ERROR_SUCCESS);
    return r.registrationResult;
}

/* One entry, or the wait's result. */
static DWORD next_entry(HANDLE port, DWORD timeout, OVERLAPPED_ENTRY *entry)
{
    UINT32 received = 0xdead;
    DWORD ret = ProcessSocketNotifications(port, 0, NULL, timeout, 1, entry, &received);
    if (ret == ERROR_SUCCESS)
        assert_int_equal(received, 1);
    else
        assert_int_equal(received, 0);
    return ret;
}

static UINT32 expect_entry(HANDLE port, ULONG_PTR key)
{
    OVERLAPPED_ENTRY entry;
    assert_int_equal(next_entry(port, COMING, &entry), ERROR_SUCCESS);
    assert_int_equal(entry.lpCompletionKey, key);
    assert_null(entry.lpOverlapped);
    return entry.dwNumberOfBytesTransferred;
}

static UINT32 expect_entry_any(HANDLE port, ULONG_PTR *key)
{
    OVERLAPPED_ENTRY entry;
    assert_int_equal(next_entry(port, COMING, &entry), ERROR_SUCCESS);
    *key = entry.lpCompletionKey;
    return entry.dwNumberOfBytesTransferred;
}

static void expect_nothing(HANDLE port)
{
    OVERLAPPED_ENTRY entry;
    assert_int_equal(next_entry(port, QUIET, &entry), WAIT_TIMEOUT);
}

static void udp_with_data(SOCKET *a, SOCKET *b)
{
    struct sockaddr_storage addr;
    int len;
    ws_test_udp_pair(AF_INET, a, b, &addr, &len);
}

static void send_to(SOCKET from, SOCKET to)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    assert_int_equal(getsockname(to, (struct sockaddr *)&addr, &len), 0);
    assert_int_equal(sendto(from, "x", 1, 0, (struct sockaddr *)&addr, len), 1);
}

static void drain(SOCKET s)
{
    u_long nonblocking = 1;
    char buf[64];
    ioctlsocket(s, FIONBIO, &nonblocking);
    while (recv(s, buf, sizeof(buf), 0) > 0) continue;
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
}

static void test_level_trigger_reports_input_until_it_is_read(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    (void)state;
    udp_with_data(&a, &b);
    assert_int_equal(reg(port, b, 7, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
                     ERROR_SUCCESS);
    expect_nothing(port);
    send_to(a, b);
    assert_int_equal(expect_entry(port, 7), SOCK_NOTIFY_EVENT_IN);
    /* Still readable: reported again. */
    assert_int_equal(expect_entry(port, 7), SOCK_NOTIFY_EVENT_IN);
    drain(b);
    /* A packet may already be on its way from before the read. */
    {
        OVERLAPPED_ENTRY entry;
        if (next_entry(port, QUIET, &entry) == ERROR_SUCCESS) expect_nothing(port);
    }
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_level_trigger_reports_output_on_a_connected_socket(void **state)
{
    HANDLE port = new_port();
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(
        reg(port, client, 9, SOCK_NOTIFY_REGISTER_EVENT_OUT, SOCK_NOTIFY_OP_ENABLE, LEVEL),
        ERROR_SUCCESS);
    assert_int_equal(expect_entry(port, 9), SOCK_NOTIFY_EVENT_OUT);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
}

static void test_edge_trigger_reports_input_that_arrives(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    (void)state;
    udp_with_data(&a, &b);
    assert_int_equal(reg(port, b, 3, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, EDGE),
                     ERROR_SUCCESS);
    expect_nothing(port);
    send_to(a, b);
    assert_int_equal(expect_entry(port, 3), SOCK_NOTIFY_EVENT_IN);
    /* Drained and at once readable again: the program is told again. */
    drain(b);
    send_to(a, b);
    assert_int_equal(expect_entry(port, 3), SOCK_NOTIFY_EVENT_IN);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_oneshot_registration_is_disabled_by_its_notification(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    (void)state;
    udp_with_data(&a, &b);
    assert_int_equal(reg(port, b, 5, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, ONESHOT),
                     ERROR_SUCCESS);
    send_to(a, b);
    assert_int_equal(expect_entry(port, 5), SOCK_NOTIFY_EVENT_IN);
    expect_nothing(port);
    /* Enabled again, the held condition is reported again. */
    assert_int_equal(reg(port, b, 5, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, ONESHOT),
                     ERROR_SUCCESS);
    assert_int_equal(expect_entry(port, 5), SOCK_NOTIFY_EVENT_IN);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_disabled_registration_reports_nothing_until_enabled(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    (void)state;
    udp_with_data(&a, &b);
    assert_int_equal(reg(port, b, 11, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
                     ERROR_SUCCESS);
    assert_int_equal(reg(port, b, 11, 0, SOCK_NOTIFY_OP_DISABLE, 0), ERROR_SUCCESS);
    send_to(a, b);
    expect_nothing(port);
    assert_int_equal(reg(port, b, 11, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
                     ERROR_SUCCESS);
    assert_int_equal(expect_entry(port, 11), SOCK_NOTIFY_EVENT_IN);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_remove_queues_SOCK_NOTIFY_EVENT_REMOVE_and_ends_the_registration(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    (void)state;
    udp_with_data(&a, &b);
    assert_int_equal(reg(port, b, 13, 0, SOCK_NOTIFY_OP_ENABLE, LEVEL), ERROR_SUCCESS);
    assert_int_equal(reg(port, b, 13, 0, SOCK_NOTIFY_OP_REMOVE, 0), ERROR_SUCCESS);
    assert_int_equal(expect_entry(port, 13), SOCK_NOTIFY_EVENT_REMOVE);
    send_to(a, b);
    expect_nothing(port);
    /* No registration is left to change. */
    assert_int_equal(reg(port, b, 13, 0, SOCK_NOTIFY_OP_DISABLE, 0), ERROR_NOT_FOUND);
    assert_int_equal(reg(port, b, 13, 0, SOCK_NOTIFY_OP_REMOVE, 0), ERROR_NOT_FOUND);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_closing_a_registered_socket_queues_SOCK_NOTIFY_EVENT_REMOVE(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    (void)state;
    udp_with_data(&a, &b);
    assert_int_equal(reg(port, b, 17, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
                     ERROR_SUCCESS);
    expect_nothing(port);
    closesocket(b);
    assert_int_equal(expect_entry(port, 17), SOCK_NOTIFY_EVENT_REMOVE);
    closesocket(a);
    CloseHandle(port);
}

static void test_a_peer_close_reports_hangup_and_input(void **state)
{
    HANDLE port = new_port();
    SOCKET client, server;
    UINT32 events;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(reg(port, client, 19,
                         SOCK_NOTIFY_REGISTER_EVENT_IN | SOCK_NOTIFY_REGISTER_EVENT_HANGUP,
                         SOCK_NOTIFY_OP_ENABLE, LEVEL),
                     ERROR_SUCCESS);
    expect_nothing(port);
    closesocket(server);
    events = expect_entry(port, 19);
    assert_true(events & SOCK_NOTIFY_EVENT_HANGUP);
    assert_true(events & SOCK_NOTIFY_EVENT_IN);
    closesocket(client);
    CloseHandle(port);
}

static void test_a_refused_connection_reports_an_error_whatever_the_filter(void **state)
{
    HANDLE port = new_port();
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long nonblocking = 1;
    UINT32 events;
    (void)state;
    /* The port is free again once its listener is gone: the connection is refused. */
    closesocket(listener);
    ioctlsocket(s, FIONBIO, &nonblocking);
    assert_int_equal(
        reg(port, s, 23, SOCK_NOTIFY_REGISTER_EVENT_NONE, SOCK_NOTIFY_OP_ENABLE, LEVEL),
        ERROR_SUCCESS);
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    events = expect_entry(port, 23);
    assert_true(events & SOCK_NOTIFY_EVENT_ERR);
    closesocket(s);
    CloseHandle(port);
}

static void test_a_listening_socket_reports_input_for_a_connection(void **state)
{
    HANDLE port = new_port();
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(
        reg(port, listener, 29, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
        ERROR_SUCCESS);
    expect_nothing(port);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(expect_entry(port, 29), SOCK_NOTIFY_EVENT_IN);
    closesocket(client);
    closesocket(listener);
    CloseHandle(port);
}

static void test_notifications_can_be_taken_with_GetQueuedCompletionStatus(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = (OVERLAPPED *)1;
    (void)state;
    udp_with_data(&a, &b);
    send_to(a, b);
    assert_int_equal(reg(port, b, 31, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
                     ERROR_SUCCESS);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &ov, COMING));
    assert_int_equal(bytes, SOCK_NOTIFY_EVENT_IN);
    assert_int_equal(key, 31);
    assert_null(ov);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_registration_and_dequeue_in_one_call(void **state)
{
    HANDLE port = new_port();
    SOCKET a, b;
    SOCK_NOTIFY_REGISTRATION r = {0};
    OVERLAPPED_ENTRY entries[4];
    UINT32 received = 0;
    (void)state;
    udp_with_data(&a, &b);
    send_to(a, b);
    r.socket = b;
    r.completionKey = (void *)37;
    r.eventFilter = SOCK_NOTIFY_REGISTER_EVENT_IN;
    r.operation = SOCK_NOTIFY_OP_ENABLE;
    r.triggerFlags = LEVEL;
    assert_int_equal(ProcessSocketNotifications(port, 1, &r, COMING, 4, entries, &received),
                     ERROR_SUCCESS);
    assert_int_equal(r.registrationResult, ERROR_SUCCESS);
    assert_int_equal(received, 1);
    assert_int_equal(entries[0].lpCompletionKey, 37);
    assert_int_equal(entries[0].dwNumberOfBytesTransferred, SOCK_NOTIFY_EVENT_IN);
    /* Other packets on the port come out the same way. */
    assert_true(PostQueuedCompletionStatus(port, 99, 41, NULL));
    reg(port, b, 37, 0, SOCK_NOTIFY_OP_DISABLE, 0);
    {
        OVERLAPPED_ENTRY entry;
        do assert_int_equal(next_entry(port, COMING, &entry), ERROR_SUCCESS);
        while (entry.lpCompletionKey != 41);
        assert_int_equal(entry.dwNumberOfBytesTransferred, 99);
    }
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

static void test_a_dequeue_that_times_out_returns_WAIT_TIMEOUT(void **state)
{
    HANDLE port = new_port();
    OVERLAPPED_ENTRY entry;
    (void)state;
    assert_int_equal(next_entry(port, 0, &entry), WAIT_TIMEOUT);
    assert_int_equal(next_entry(port, 50, &entry), WAIT_TIMEOUT);
    CloseHandle(port);
}

#define MANY 64

static void test_many_registered_sockets_each_report_their_own_input(void **state)
{
    HANDLE port = new_port();
    SOCKET sender = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), s[MANY];
    bool seen[MANY] = {0};
    int count = 0;
    (void)state;
    for (int i = 0; i < MANY; i++) {
        struct sockaddr_storage addr;
        ws_test_loopback(AF_INET, 0, &addr);
        s[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_int_equal(bind(s[i], (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), 0);
        assert_int_equal(reg(port, s[i], 1000 + i, SOCK_NOTIFY_REGISTER_EVENT_IN,
                             SOCK_NOTIFY_OP_ENABLE, ONESHOT),
                         ERROR_SUCCESS);
    }
    /* Every other socket gets a datagram. */
    for (int i = 0; i < MANY; i += 2) send_to(sender, s[i]);
    while (count < MANY / 2) {
        ULONG_PTR key;
        assert_int_equal(expect_entry_any(port, &key), SOCK_NOTIFY_EVENT_IN);
        assert_true(key >= 1000 && key < 1000 + MANY);
        assert_int_equal((key - 1000) % 2, 0);
        assert_false(seen[key - 1000]);
        seen[key - 1000] = true;
        count++;
    }
    expect_nothing(port);
    for (int i = 0; i < MANY; i++) closesocket(s[i]);
    closesocket(sender);
    CloseHandle(port);
}

static void test_bad_registrations_fail_in_their_registrationResult(void **state)
{
    HANDLE port = new_port();
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    SOCK_NOTIFY_REGISTRATION r[3] = {{0}};
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    (void)state;
    /* Level and edge together; neither oneshot nor persistent; an unknown filter bit. */
    assert_int_equal(
        reg(port, s, 1, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE,
            SOCK_NOTIFY_TRIGGER_LEVEL | SOCK_NOTIFY_TRIGGER_EDGE | SOCK_NOTIFY_TRIGGER_PERSISTENT),
        ERROR_INVALID_PARAMETER);
    assert_int_equal(reg(port, s, 1, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE,
                         SOCK_NOTIFY_TRIGGER_LEVEL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(reg(port, s, 1, 0x100, SOCK_NOTIFY_OP_ENABLE, LEVEL), ERROR_INVALID_PARAMETER);
    /* Two operations at once. */
    assert_int_equal(reg(port, s, 1, SOCK_NOTIFY_REGISTER_EVENT_IN,
                         SOCK_NOTIFY_OP_ENABLE | SOCK_NOTIFY_OP_DISABLE, LEVEL),
                     ERROR_INVALID_PARAMETER);
    /* Not a socket. */
    assert_int_equal(
        reg(port, (SOCKET)event, 1, SOCK_NOTIFY_REGISTER_EVENT_IN, SOCK_NOTIFY_OP_ENABLE, LEVEL),
        WSAENOTSOCK);
    /* No operation at all succeeds. */
    assert_int_equal(reg(port, s, 1, 0, SOCK_NOTIFY_OP_NONE, 0), ERROR_SUCCESS);
    /* Each entry has its own result. */
    r[0].socket = s;
    r[0].operation = SOCK_NOTIFY_OP_ENABLE;
    r[0].triggerFlags = LEVEL;
    r[1].socket = (SOCKET)event;
    r[1].operation = SOCK_NOTIFY_OP_ENABLE;
    r[1].triggerFlags = LEVEL;
    r[2].socket = s;
    r[2].operation = SOCK_NOTIFY_OP_REMOVE;
    assert_int_equal(ProcessSocketNotifications(port, 3, r, 0, 0, NULL, NULL), ERROR_SUCCESS);
    assert_int_equal(r[0].registrationResult, ERROR_SUCCESS);
    assert_int_equal(r[1].registrationResult, WSAENOTSOCK);
    assert_int_equal(r[2].registrationResult, ERROR_SUCCESS);
    assert_int_equal(expect_entry(port, 0), SOCK_NOTIFY_EVENT_REMOVE);
    CloseHandle(event);
    closesocket(s);
    CloseHandle(port);
}

static void test_bad_arguments_fail_the_call(void **state)
{
    HANDLE port = new_port();
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    OVERLAPPED_ENTRY entry;
    UINT32 received;
    SOCK_NOTIFY_REGISTRATION r = {0};
    (void)state;
    assert_int_equal(ProcessSocketNotifications(port, 1, NULL, 0, 0, NULL, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ProcessSocketNotifications(port, 0, &r, 0, 0, NULL, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ProcessSocketNotifications(port, 0, NULL, 0, 1, NULL, &received),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ProcessSocketNotifications(port, 0, NULL, 0, 1, &entry, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(ProcessSocketNotifications(event, 0, NULL, 0, 1, &entry, &received),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(ProcessSocketNotifications(NULL, 0, NULL, 0, 1, &entry, &received),
                     ERROR_INVALID_HANDLE);
    CloseHandle(event);
    CloseHandle(port);
}

static void test_before_WSAStartup_it_fails_with_WSANOTINITIALISED(void **state)
{
    HANDLE port = new_port();
    OVERLAPPED_ENTRY entry;
    UINT32 received;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(ProcessSocketNotifications(port, 0, NULL, 0, 1, &entry, &received),
                     WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
    CloseHandle(port);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_level_trigger_reports_input_until_it_is_read),
    cmocka_unit_test(test_level_trigger_reports_output_on_a_connected_socket),
    cmocka_unit_test(test_edge_trigger_reports_input_that_arrives),
    cmocka_unit_test(test_oneshot_registration_is_disabled_by_its_notification),
    cmocka_unit_test(test_disabled_registration_reports_nothing_until_enabled),
    cmocka_unit_test(test_remove_queues_SOCK_NOTIFY_EVENT_REMOVE_and_ends_the_registration),
    cmocka_unit_test(test_closing_a_registered_socket_queues_SOCK_NOTIFY_EVENT_REMOVE),
    cmocka_unit_test(test_a_peer_close_reports_hangup_and_input),
    cmocka_unit_test(test_a_refused_connection_reports_an_error_whatever_the_filter),
    cmocka_unit_test(test_a_listening_socket_reports_input_for_a_connection),
    cmocka_unit_test(test_notifications_can_be_taken_with_GetQueuedCompletionStatus),
    cmocka_unit_test(test_registration_and_dequeue_in_one_call),
    cmocka_unit_test(test_a_dequeue_that_times_out_returns_WAIT_TIMEOUT),
    cmocka_unit_test(test_many_registered_sockets_each_report_their_own_input),
    cmocka_unit_test(test_bad_registrations_fail_in_their_registrationResult),
    cmocka_unit_test(test_bad_arguments_fail_the_call),
    cmocka_unit_test(test_before_WSAStartup_it_fails_with_WSANOTINITIALISED),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
