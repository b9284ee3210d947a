/*
 * Event objects (WSACreateEvent ... WSAWaitForMultipleEvents) and event-object notification:
 * WSAEventSelect and WSAEnumNetworkEvents, each network event with its re-enabling call, the
 * socket side effects (non-blocking, FIONBIO refused), cancelling, re-selecting, inheritance by
 * accept, FD_ADDRESS_LIST_CHANGE armed by SIO_ADDRESS_LIST_CHANGE, and an echo server driven only
 * by network events.
 *
 * Waits are bounded (WAIT_MS) and only guard against a hang; "no event" is checked with a zero
 * timeout right after the state that must not produce one.
 */
#include "ws_test.h"
#include <stdbool.h>
#include <stdlib.h>

#define WAIT_MS    5000
#define ALL_EVENTS (FD_READ | FD_WRITE | FD_OOB | FD_ACCEPT | FD_CONNECT | FD_CLOSE)

/* Wait (bounded) for the event, then read and clear the socket's record. */
static long next_events(SOCKET s, WSAEVENT ev, WSANETWORKEVENTS *ne)
{
    assert_int_equal(WaitForSingleObject(ev, WAIT_MS), WAIT_OBJECT_0);
    memset(ne, 0xab, sizeof(*ne));
    assert_int_equal(WSAEnumNetworkEvents(s, ev, ne), 0);
    return ne->lNetworkEvents;
}

/* Nothing is recorded now: the event is not set and the record is empty. */
static void assert_no_events(SOCKET s, WSAEVENT ev)
{
    WSANETWORKEVENTS ne;
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_int_equal(WSAEnumNetworkEvents(s, ev, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, 0);
}

/* Expect exactly `events` next, each with error code `error`. */
static void expect_events(SOCKET s, WSAEVENT ev, long events, int error)
{
    WSANETWORKEVENTS ne;
    assert_int_equal(next_events(s, ev, &ne), events);
    for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
        if (events & (1L << bit))
            assert_int_equal(ne.iErrorCode[bit], error);
        else
            assert_int_equal((unsigned int)ne.iErrorCode[bit], 0xababababu);
    }
}

/* ---- event objects ---- */

static void test_WSACreateEvent_makes_a_nonsignaled_manual_reset_event(void **state)
{
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    assert_true(ev != WSA_INVALID_EVENT);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_true(WSASetEvent(ev));
    /* Manual reset: a satisfied wait leaves it set. */
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_true(WSAResetEvent(ev));
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_true(WSACloseEvent(ev));
}

static void test_WSAWaitForMultipleEvents_reports_the_lowest_signaled_event_or_a_timeout(
    void **state)
{
    WSAEVENT ev[3];
    (void)state;
    for (int i = 0; i < 3; i++) ev[i] = WSACreateEvent();
    assert_int_equal(WSAWaitForMultipleEvents(3, ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    assert_true(WSASetEvent(ev[1]));
    assert_int_equal(WSAWaitForMultipleEvents(3, ev, FALSE, 0, FALSE), WSA_WAIT_EVENT_0 + 1);
    assert_int_equal(WSAWaitForMultipleEvents(3, ev, TRUE, 0, FALSE), WSA_WAIT_TIMEOUT);
    assert_true(WSASetEvent(ev[0]));
    assert_true(WSASetEvent(ev[2]));
    assert_int_equal(WSAWaitForMultipleEvents(3, ev, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
    assert_int_equal(WSAWaitForMultipleEvents(3, ev, TRUE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0);
    for (int i = 0; i < 3; i++) assert_true(WSACloseEvent(ev[i]));
}

static VOID CALLBACK count_apc(ULONG_PTR arg)
{
    (*(int *)arg)++;
}

static void test_an_alertable_wait_returns_WSA_WAIT_IO_COMPLETION_after_running_an_APC(void **state)
{
    WSAEVENT ev = WSACreateEvent();
    int ran = 0;
    (void)state;
    assert_true(QueueUserAPC(count_apc, GetCurrentThread(), (ULONG_PTR)&ran));
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev, FALSE, WSA_INFINITE, TRUE),
                     WSA_WAIT_IO_COMPLETION);
    assert_int_equal(ran, 1);
    /* A wait that is not alertable leaves a queued APC alone. */
    assert_true(QueueUserAPC(count_apc, GetCurrentThread(), (ULONG_PTR)&ran));
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    assert_int_equal(ran, 1);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(ran, 2);
    assert_true(WSACloseEvent(ev));
}

static void test_WSAWaitForMultipleEvents_takes_1_to_WSA_MAXIMUM_WAIT_EVENTS_events(void **state)
{
    WSAEVENT ev[WSA_MAXIMUM_WAIT_EVENTS + 1];
    (void)state;
    for (int i = 0; i <= WSA_MAXIMUM_WAIT_EVENTS; i++) ev[i] = WSACreateEvent();
    WSASetLastError(0);
    assert_wsa_error(WSAWaitForMultipleEvents(0, ev, FALSE, 0, FALSE), WSA_WAIT_FAILED,
                     WSA_INVALID_PARAMETER);
    assert_wsa_error(WSAWaitForMultipleEvents(WSA_MAXIMUM_WAIT_EVENTS + 1, ev, FALSE, 0, FALSE),
                     WSA_WAIT_FAILED, WSA_INVALID_PARAMETER);
    assert_wsa_error(WSAWaitForMultipleEvents(1, NULL, FALSE, 0, FALSE), WSA_WAIT_FAILED,
                     WSA_INVALID_PARAMETER);
    assert_wsa_error(WSAWaitForMultipleEvents(2, (const WSAEVENT *)(ULONG_PTR)1, FALSE, 0, FALSE),
                     WSA_WAIT_FAILED, WSA_INVALID_PARAMETER);
    assert_true(WSASetEvent(ev[WSA_MAXIMUM_WAIT_EVENTS - 1]));
    assert_int_equal(WSAWaitForMultipleEvents(WSA_MAXIMUM_WAIT_EVENTS, ev, FALSE, 0, FALSE),
                     WSA_WAIT_EVENT_0 + WSA_MAXIMUM_WAIT_EVENTS - 1);
    for (int i = 0; i <= WSA_MAXIMUM_WAIT_EVENTS; i++) assert_true(WSACloseEvent(ev[i]));
}

static void test_event_functions_on_a_closed_handle_fail_with_WSA_INVALID_HANDLE(void **state)
{
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    assert_true(WSACloseEvent(ev));
    WSASetLastError(0);
    assert_wsa_error(WSACloseEvent(ev), FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0);
    assert_wsa_error(WSASetEvent(ev), FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0);
    assert_wsa_error(WSAResetEvent(ev), FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0);
    assert_wsa_error(WSACloseEvent(NULL), FALSE, WSA_INVALID_HANDLE);
    WSASetLastError(0);
    assert_wsa_error(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_FAILED,
                     WSA_INVALID_HANDLE);
}

static void test_event_objects_work_without_WSAStartup_as_on_Windows(void **state)
{
    WSAEVENT ev;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    ev = WSACreateEvent();
    assert_true(ev != WSA_INVALID_EVENT);
    assert_true(WSASetEvent(ev));
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev, TRUE, 0, FALSE), WSA_WAIT_EVENT_0);
    assert_true(WSAResetEvent(ev));
    assert_true(WSACloseEvent(ev));
    assert_int_equal(ws_test_startup(NULL), 0);
}

/* ---- argument errors ---- */

static void test_selection_calls_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    WSASetLastError(0);
    assert_socket_error(WSAEventSelect(s, ev, FD_READ), WSANOTINITIALISED);
    WSASetLastError(0);
    assert_socket_error(WSAEnumNetworkEvents(s, ev, &ne), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
    WSACloseEvent(ev);
}

static void test_selection_calls_on_a_non_socket_fail_with_WSAENOTSOCK(void **state)
{
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    (void)state;
    WSASetLastError(0);
    assert_socket_error(WSAEventSelect(INVALID_SOCKET, ev, FD_READ), WSAENOTSOCK);
    WSASetLastError(0);
    assert_socket_error(WSAEventSelect((SOCKET)ev, ev, FD_READ), WSAENOTSOCK);
    WSASetLastError(0);
    assert_socket_error(WSAEnumNetworkEvents(INVALID_SOCKET, ev, &ne), WSAENOTSOCK);
    WSASetLastError(0);
    assert_socket_error(WSAEnumNetworkEvents((SOCKET)ev, NULL, &ne), WSAENOTSOCK);
    WSACloseEvent(ev);
}

static void test_WSAEventSelect_with_a_handle_that_is_not_an_event_fails_with_WSAEINVAL(
    void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET other = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT closed = WSACreateEvent();
    (void)state;
    WSACloseEvent(closed);
    WSASetLastError(0);
    assert_socket_error(WSAEventSelect(s, NULL, FD_READ), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAEventSelect(s, closed, FD_READ), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAEventSelect(s, (WSAEVENT)other, FD_READ), WSAEINVAL);
    /* A failed call changes nothing: the socket can still be made blocking. */
    u_long off = 0;
    assert_int_equal(ioctlsocket(s, FIONBIO, &off), 0);
    closesocket(other);
    closesocket(s);
}

static void test_WSAEnumNetworkEvents_with_a_bad_pointer_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    WSASetLastError(0);
    assert_socket_error(WSAEnumNetworkEvents(s, ev, NULL), WSAEFAULT);
    WSASetLastError(0);
    assert_socket_error(WSAEnumNetworkEvents(s, ev, (LPWSANETWORKEVENTS)(ULONG_PTR)1), WSAEFAULT);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_WSAEnumNetworkEvents_with_a_bad_event_fails_with_WSAEINVAL(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent(), closed;
    WSANETWORKEVENTS ne;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_WRITE), 0);
    /* A handle closed after the selection, so that no handle made meanwhile takes its value. */
    closed = WSACreateEvent();
    WSACloseEvent(closed);
    assert_int_equal(WaitForSingleObject(ev, WAIT_MS), WAIT_OBJECT_0);
    WSASetLastError(0);
    assert_socket_error(WSAEnumNetworkEvents(server, closed, &ne), WSAEINVAL);
    /* The failed call kept the record. */
    expect_events(server, ev, FD_WRITE, 0);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

/* ---- network events ---- */

static void test_WSAEnumNetworkEvents_sets_only_the_error_codes_of_reported_events(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ | FD_WRITE), 0);
    /* A connected socket can send: FD_WRITE, once. Without an event handle nothing is reset. */
    assert_int_equal(WaitForSingleObject(ev, WAIT_MS), WAIT_OBJECT_0);
    memset(&ne, 0xab, sizeof(ne));
    assert_int_equal(WSAEnumNetworkEvents(server, NULL, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, FD_WRITE);
    for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
        assert_int_equal((unsigned int)ne.iErrorCode[bit], bit == FD_WRITE_BIT ? 0 : 0xababababu);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_true(WSAResetEvent(ev));
    for (int i = 0; i < 3; i++) assert_no_events(server, ev);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_FD_READ_is_reported_again_only_after_recv(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    char buf[16];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 0);
    assert_no_events(server, ev);
    assert_int_equal(send(client, "abcdef", 6, 0), 6);
    expect_events(server, ev, FD_READ, 0);
    /* More data before any recv: no new FD_READ. */
    assert_int_equal(send(client, "gh", 2, 0), 2);
    assert_int_equal(recv(server, buf, 2, 0), 2);
    /* Data remains after the recv: FD_READ again. */
    expect_events(server, ev, FD_READ, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 6);
    assert_no_events(server, ev);
    /* Nothing left: recv fails and the next data is reported again. */
    WSASetLastError(0);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAEWOULDBLOCK);
    assert_int_equal(send(client, "i", 1, 0), 1);
    expect_events(server, ev, FD_READ, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_FD_WRITE_comes_at_connect_and_again_only_after_WSAEWOULDBLOCK(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    static char buf[65536];
    int ret, total = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_WRITE), 0);
    expect_events(server, ev, FD_WRITE, 0);
    /* A send that succeeds does not re-enable it. */
    assert_int_equal(send(server, "x", 1, 0), 1);
    assert_no_events(server, ev);
    /* Fill the connection until the send would block. */
    while ((ret = send(server, buf, sizeof(buf), 0)) > 0) total += ret;
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_no_events(server, ev);
    /* Drain the peer: room again, so FD_WRITE comes back. */
    total += 1;
    while (total > 0) {
        ret = recv(client, buf, sizeof(buf), 0);
        assert_true(ret > 0);
        total -= ret;
    }
    expect_events(server, ev, FD_WRITE, 0);
    assert_no_events(server, ev);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_FD_OOB_reports_urgent_data_until_it_is_read(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    char c;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_OOB | FD_READ), 0);
    assert_no_events(server, ev);
    assert_int_equal(send(client, "u", 1, MSG_OOB), 1);
    expect_events(server, ev, FD_OOB, 0);
    assert_no_events(server, ev);
    assert_int_equal(recv(server, &c, 1, MSG_OOB), 1);
    assert_int_equal(c, 'u');
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_FD_ACCEPT_is_reported_again_after_accept(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET c1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    SOCKET a1, a2;
    (void)state;
    assert_int_equal(WSAEventSelect(listener, ev, FD_ACCEPT), 0);
    assert_no_events(listener, ev);
    assert_int_equal(connect(c1, (struct sockaddr *)&addr, len), 0);
    expect_events(listener, ev, FD_ACCEPT, 0);
    /* A second connection before accept is not reported separately. */
    assert_int_equal(connect(c2, (struct sockaddr *)&addr, len), 0);
    assert_no_events(listener, ev);
    a1 = accept(listener, NULL, NULL);
    assert_true(a1 != INVALID_SOCKET);
    /* One still waits: accept re-enabled FD_ACCEPT. */
    expect_events(listener, ev, FD_ACCEPT, 0);
    a2 = accept(listener, NULL, NULL);
    assert_true(a2 != INVALID_SOCKET);
    assert_no_events(listener, ev);
    /* The listener is non-blocking now. */
    WSASetLastError(0);
    assert_int_equal(accept(listener, NULL, NULL), INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    closesocket(a1);
    closesocket(a2);
    closesocket(c1);
    closesocket(c2);
    closesocket(listener);
    WSACloseEvent(ev);
}

static void test_FD_CONNECT_is_reported_once_with_error_0(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    long seen = 0;
    int ret;
    (void)state;
    assert_int_equal(WSAEventSelect(client, ev, ALL_EVENTS), 0);
    assert_no_events(client, ev);
    ret = connect(client, (struct sockaddr *)&addr, len);
    assert_true(ret == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    /* FD_CONNECT and FD_WRITE, in one record or two. */
    while (seen != (FD_CONNECT | FD_WRITE)) {
        long events = next_events(client, ev, &ne);
        assert_int_equal(events & ~(FD_CONNECT | FD_WRITE), 0);
        assert_int_equal(events & seen, 0);
        if (events & FD_CONNECT) assert_int_equal(ne.iErrorCode[FD_CONNECT_BIT], 0);
        if (events & FD_WRITE) assert_int_equal(ne.iErrorCode[FD_WRITE_BIT], 0);
        seen |= events;
    }
    assert_no_events(client, ev);
    closesocket(client);
    closesocket(listener);
    WSACloseEvent(ev);
}

static void test_FD_CONNECT_to_a_closed_port_reports_WSAECONNREFUSED(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET closed = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    /* The port was just in use and now nothing listens there. */
    closesocket(closed);
    assert_int_equal(WSAEventSelect(client, ev, ALL_EVENTS), 0);
    WSASetLastError(0);
    assert_socket_error(connect(client, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    expect_events(client, ev, FD_CONNECT, WSAECONNREFUSED);
    assert_no_events(client, ev);
    closesocket(client);
    WSACloseEvent(ev);
}

static void test_FD_CLOSE_of_a_graceful_close_comes_once_after_the_data_is_read(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    char buf[16];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 0);
    assert_int_equal(send(client, "hello", 5, 0), 5);
    expect_events(server, ev, FD_READ, 0);
    assert_int_equal(closesocket(client), 0);
    assert_int_equal(recv(server, buf, 3, 0), 3);
    expect_events(server, ev, FD_READ, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 2);
    expect_events(server, ev, FD_CLOSE, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    assert_no_events(server, ev);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_FD_CLOSE_of_a_reset_reports_WSAECONNABORTED(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    struct linger abort_close = {1, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 0);
    assert_int_equal(
        setsockopt(client, SOL_SOCKET, SO_LINGER, (const char *)&abort_close, sizeof(abort_close)),
        0);
    assert_int_equal(closesocket(client), 0);
    expect_events(server, ev, FD_CLOSE, WSAECONNABORTED);
    assert_no_events(server, ev);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_events_over_IPv6_are_the_same(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET6, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ | FD_WRITE | FD_CLOSE), 0);
    expect_events(server, ev, FD_WRITE, 0);
    assert_int_equal(send(client, "v6", 2, 0), 2);
    expect_events(server, ev, FD_READ, 0);
    assert_int_equal(shutdown(client, SD_SEND), 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 2);
    expect_events(server, ev, FD_CLOSE, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_a_bound_datagram_socket_reports_FD_WRITE_once_and_FD_READ_per_recv(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    WSAEVENT ev = WSACreateEvent();
    char buf[8];
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_int_equal(WSAEventSelect(b, ev, FD_READ | FD_WRITE), 0);
    expect_events(b, ev, FD_WRITE, 0);
    assert_no_events(b, ev);
    assert_int_equal(sendto(a, "d1", 2, 0, (struct sockaddr *)&addr_b, len_b), 2);
    assert_int_equal(sendto(a, "d2", 2, 0, (struct sockaddr *)&addr_b, len_b), 2);
    expect_events(b, ev, FD_READ, 0);
    assert_int_equal(recv(b, buf, sizeof(buf), 0), 2);
    expect_events(b, ev, FD_READ, 0);
    assert_int_equal(recv(b, buf, sizeof(buf), 0), 2);
    assert_no_events(b, ev);
    closesocket(a);
    closesocket(b);
    WSACloseEvent(ev);
}

static void test_connecting_a_datagram_socket_reports_FD_CONNECT_and_FD_WRITE(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_int_equal(WSAEventSelect(a, ev, ALL_EVENTS), 0);
    expect_events(a, ev, FD_WRITE, 0);
    assert_no_events(a, ev);
    assert_int_equal(connect(a, (struct sockaddr *)&addr_b, len_b), 0);
    expect_events(a, ev, FD_CONNECT | FD_WRITE, 0);
    assert_no_events(a, ev);
    closesocket(a);
    closesocket(b);
    WSACloseEvent(ev);
}

/* The selection holds on to the event object, not to its handle value: after the program closes
   its handle and a new event takes the same value, the socket's events do not set the new one. */
static void test_a_closed_event_handle_whose_value_is_reused_is_not_set_by_the_socket(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    WSANETWORKEVENTS ne;
    WSAEVENT ev = WSACreateEvent(), other;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_int_equal(WSAEventSelect(a, ev, ALL_EVENTS), 0);
    expect_events(a, ev, FD_WRITE, 0);
    assert_true(WSACloseEvent(ev));
    other = WSACreateEvent();
    assert_int_equal(connect(a, (struct sockaddr *)&addr_b, len_b), 0);
    assert_int_equal(WaitForSingleObject(other, 200), WAIT_TIMEOUT);
    /* The record is still kept for the socket. */
    assert_int_equal(WSAEnumNetworkEvents(a, NULL, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, FD_CONNECT | FD_WRITE);
    closesocket(a);
    closesocket(b);
    WSACloseEvent(other);
}

static void test_shutdown_SD_BOTH_keeps_the_selection_and_the_peer_close_reports_FD_CLOSE(
    void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ | FD_OOB | FD_CLOSE), 0);
    assert_int_equal(shutdown(client, SD_RECEIVE), 0);
    assert_int_equal(shutdown(server, SD_BOTH), 0);
    assert_no_events(server, ev);
    /* Shutting a socket down generates nothing for itself; the peer's close still comes. */
    assert_int_equal(shutdown(client, SD_SEND), 0);
    expect_events(server, ev, FD_CLOSE, 0);
    assert_no_events(server, ev);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_an_accepted_socket_keeps_the_inherited_selection_after_shutdown_SD_BOTH(
    void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    SOCKET server;
    (void)state;
    assert_int_equal(WSAEventSelect(listener, ev, FD_ACCEPT | FD_READ | FD_CLOSE), 0);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    expect_events(listener, ev, FD_ACCEPT, 0);
    server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(shutdown(server, SD_BOTH), 0);
    assert_no_events(server, ev);
    assert_int_equal(shutdown(client, SD_SEND), 0);
    expect_events(server, ev, FD_CLOSE, 0);
    closesocket(server);
    closesocket(client);
    closesocket(listener);
    WSACloseEvent(ev);
}

static void test_events_the_device_has_no_source_for_are_accepted(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    (void)state;
    assert_int_equal(WSAEventSelect(s, ev, FD_ADDRESS_LIST_CHANGE | FD_ROUTING_INTERFACE_CHANGE),
                     0);
    assert_no_events(s, ev);
    closesocket(s);
    WSACloseEvent(ev);
}

/* ---- socket side effects ---- */

static void test_WSAEventSelect_makes_the_socket_non_blocking(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    char c;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ), 0);
    WSASetLastError(0);
    assert_socket_error(recv(server, &c, 1, 0), WSAEWOULDBLOCK);
    /* Cancelling keeps it non-blocking. */
    assert_int_equal(WSAEventSelect(server, NULL, 0), 0);
    WSASetLastError(0);
    assert_socket_error(recv(server, &c, 1, 0), WSAEWOULDBLOCK);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
}

static void test_FIONBIO_off_fails_with_WSAEINVAL_until_the_selection_is_cancelled(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    u_long off = 0, on = 1;
    DWORD returned;
    (void)state;
    assert_int_equal(WSAEventSelect(s, ev, FD_READ | FD_WRITE), 0);
    WSASetLastError(0);
    assert_socket_error(ioctlsocket(s, FIONBIO, &off), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAIoctl(s, FIONBIO, &off, sizeof(off), NULL, 0, &returned, NULL, NULL),
                        WSAEINVAL);
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    /* A mask of 0 cancels the selection; then blocking mode can come back. */
    assert_int_equal(WSAEventSelect(s, ev, 0), 0);
    assert_int_equal(ioctlsocket(s, FIONBIO, &off), 0);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_a_mask_of_0_cancels_and_a_new_selection_reports_what_is_pending(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent(), ev2 = WSACreateEvent();
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAEventSelect(server, ev, FD_READ), 0);
    assert_int_equal(WSAEventSelect(server, ev, 0), 0);
    assert_int_equal(send(client, "abc", 3, 0), 3);
    /* Readable while nothing is selected: wait for it with select(), then check no event. */
    fd_set readable;
    struct timeval tv = {WAIT_MS / 1000, 0};
    FD_ZERO(&readable);
    FD_SET(server, &readable);
    assert_int_equal(select(0, &readable, NULL, NULL, &tv), 1);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    /* Selecting again, on another event, reports the data already there. */
    assert_int_equal(WSAEventSelect(server, ev2, FD_READ), 0);
    expect_events(server, ev2, FD_READ, 0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    /* Re-selecting the same mask does not report it a second time. */
    assert_int_equal(WSAEventSelect(server, ev2, FD_READ), 0);
    assert_no_events(server, ev2);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 3);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
    WSACloseEvent(ev2);
}

static void test_an_accepted_socket_inherits_the_listener_selection(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    SOCKET server;
    u_long off = 0;
    char c;
    (void)state;
    assert_int_equal(WSAEventSelect(listener, ev, FD_ACCEPT | FD_READ | FD_WRITE), 0);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    expect_events(listener, ev, FD_ACCEPT, 0);
    server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    /* Same event, same mask: the new socket reports FD_WRITE through the listener's event. */
    expect_events(server, ev, FD_WRITE, 0);
    assert_int_equal(send(client, "z", 1, 0), 1);
    expect_events(server, ev, FD_READ, 0);
    assert_int_equal(recv(server, &c, 1, 0), 1);
    WSASetLastError(0);
    assert_socket_error(recv(server, &c, 1, 0), WSAEWOULDBLOCK);
    WSASetLastError(0);
    assert_socket_error(ioctlsocket(server, FIONBIO, &off), WSAEINVAL);
    closesocket(server);
    closesocket(client);
    closesocket(listener);
    WSACloseEvent(ev);
}

/* ---- FD_ADDRESS_LIST_CHANGE ---- */

/*
 * Adding an address to the machine needs a network namespace of the Wine server's own (and
 * root in it): a change in the shared one would disturb every other program. tests/netns-run.sh
 * gives the program one and sets OPENWS2_TEST_NETNS=1; the test then adds an address to the
 * loopback interface.
 */
static bool run_ip(const char *args)
{
    char cmd[128];
    STARTUPINFOA si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi;
    snprintf(cmd, sizeof(cmd), "Z:\\usr\\sbin\\ip %s", args);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return false;
    WaitForSingleObject(pi.hProcess, WAIT_MS);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return true;
}

static bool add_an_address(void)
{
    char cmd[] = "Z:\\usr\\sbin\\ip addr add 10.251.0.2/32 dev lo";
    STARTUPINFOA si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return false;
    WaitForSingleObject(pi.hProcess, WAIT_MS);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return true;
}

/* A route that changes with the addresses: to 10.252.0.9, unreachable until an address of its
   network is added, then leaving from that address. */
static void test_SIO_ROUTING_INTERFACE_CHANGE_arms_FD_ROUTING_INTERFACE_CHANGE(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAEVENT ev = WSACreateEvent();
    struct sockaddr_in dest = {0};
    bool have_netns = getenv("OPENWS2_TEST_NETNS") != NULL;
    WSANETWORKEVENTS ne;
    DWORD returned = 0xdeadbeef;
    (void)state;

    dest.sin_family = AF_INET;
    dest.sin_addr.s_addr = htonl(0x0afc0009); /* 10.252.0.9 */
    assert_int_equal(WSAEventSelect(s, ev, FD_ROUTING_INTERFACE_CHANGE), 0);
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof(dest), NULL, 0,
                                 &returned, NULL, NULL),
                        WSAEWOULDBLOCK);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    /* A bad destination is refused before anything is armed. */
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, NULL, 0, NULL, 0, &returned,
                                 NULL, NULL),
                        WSAEINVAL);
    if (!have_netns) {
        closesocket(s);
        WSACloseEvent(ev);
        /* Not a gap: ctest runs this program again as test_event_select_netns, where it does. */
        print_message("the route change needs a network namespace of its own: see "
                      "test_event_select_netns\n");
        skip();
    }
    assert_true(run_ip("addr add 10.252.0.1/24 dev lo"));
    assert_int_equal(WaitForSingleObject(ev, WAIT_MS), WAIT_OBJECT_0);
    memset(&ne, 0xab, sizeof(ne));
    assert_int_equal(WSAEnumNetworkEvents(s, ev, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, FD_ROUTING_INTERFACE_CHANGE);
    assert_int_equal(ne.iErrorCode[FD_ROUTING_INTERFACE_CHANGE_BIT], 0);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_SIO_ADDRESS_LIST_CHANGE_fails_with_WSAEWOULDBLOCK_and_arms_the_event(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAEVENT ev = WSACreateEvent();
    DWORD returned = 0xdeadbeef;
    bool have_netns = getenv("OPENWS2_TEST_NETNS") != NULL;
    (void)state;
    assert_int_equal(WSAEventSelect(s, ev, FD_READ | FD_ADDRESS_LIST_CHANGE), 0);
    WSASetLastError(0);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &returned, NULL, NULL),
        WSAEWOULDBLOCK);
    /* Asking again while armed is the same answer. */
    WSASetLastError(0);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &returned, NULL, NULL),
        WSAEWOULDBLOCK);
    assert_no_events(s, ev);
    if (!have_netns) {
        closesocket(s);
        WSACloseEvent(ev);
    }
    if (!have_netns) {
        /* Not a gap: ctest runs this program again as test_event_select_netns, where it does. */
        print_message("the address change needs a network namespace of its own: see "
                      "test_event_select_netns\n");
        skip();
    }
    assert_true(add_an_address());
    expect_events(s, ev, FD_ADDRESS_LIST_CHANGE, 0);
    assert_no_events(s, ev);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_SIO_ADDRESS_LIST_CHANGE_without_FD_ADDRESS_LIST_CHANGE_selected_arms_nothing(
    void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAEVENT ev = WSACreateEvent();
    DWORD returned = 0xdeadbeef;
    (void)state;
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    WSASetLastError(0);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &returned, NULL, NULL),
        WSAEWOULDBLOCK);
    assert_no_events(s, ev);
    /* Selecting it afterwards does not make that call count. */
    assert_int_equal(WSAEventSelect(s, ev, FD_READ | FD_ADDRESS_LIST_CHANGE), 0);
    assert_no_events(s, ev);
    closesocket(s);
    WSACloseEvent(ev);
}

/* ---- an echo server driven by network events ---- */

#define ECHO_CONNECTIONS 4
#define ECHO_BYTES       (1024 * 1024) /* per connection: 4 MiB in all */

struct echo_client {
    struct sockaddr_storage addr;
    int addr_len;
    unsigned int seed;
    SOCKET s;
    LONGLONG sent, received;
    unsigned int sent_sum, received_sum;
    bool ok;
};

static unsigned int checksum(unsigned int sum, const unsigned char *p, int n)
{
    for (int i = 0; i < n; i++) sum = sum * 31 + p[i];
    return sum;
}

static unsigned char pattern_byte(unsigned int seed, LONGLONG i)
{
    return (unsigned char)((i * 7 + seed * 13 + (i >> 9)) & 0xff);
}

static DWORD WINAPI echo_sender(void *arg)
{
    struct echo_client *c = arg;
    unsigned char chunk[8192 + 17];
    while (c->sent < ECHO_BYTES) {
        int n = (int)min((LONGLONG)sizeof(chunk), ECHO_BYTES - c->sent);
        for (int i = 0; i < n; i++) chunk[i] = pattern_byte(c->seed, c->sent + i);
        int ret = send(c->s, (const char *)chunk, n, 0);
        if (ret <= 0) return 1;
        c->sent_sum = checksum(c->sent_sum, chunk, ret);
        c->sent += ret;
    }
    shutdown(c->s, SD_SEND);
    return 0;
}

/* Connects, sends the pattern from a second thread, and receives the echo until the server
   closes. */
static DWORD WINAPI echo_client(void *arg)
{
    struct echo_client *c = arg;
    unsigned char buf[16384];
    HANDLE sender;
    int ret;

    c->s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(c->s, (struct sockaddr *)&c->addr, c->addr_len)) return 1;
    sender = CreateThread(NULL, 0, echo_sender, c, 0, NULL);
    while ((ret = recv(c->s, (char *)buf, sizeof(buf), 0)) > 0) {
        for (int i = 0; i < ret; i++)
            if (buf[i] != pattern_byte(c->seed, c->received + i)) return 1;
        c->received_sum = checksum(c->received_sum, buf, ret);
        c->received += ret;
    }
    WaitForSingleObject(sender, INFINITE);
    CloseHandle(sender);
    closesocket(c->s);
    c->ok = ret == 0;
    return 0;
}

struct echo_conn {
    SOCKET s;
    WSAEVENT ev;
    char buf[32768];
    int start, end; /* bytes received and not yet echoed */
    bool eof;
};

/* Echo what can be echoed without blocking; true once the peer finished and all is echoed. */
static bool echo_pump(struct echo_conn *c)
{
    for (;;) {
        while (c->start < c->end) {
            int ret = send(c->s, c->buf + c->start, c->end - c->start, 0);
            if (ret == SOCKET_ERROR) {
                assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
                return false; /* FD_WRITE comes back when there is room */
            }
            c->start += ret;
        }
        if (c->eof) return true;
        int ret = recv(c->s, c->buf, sizeof(c->buf), 0);
        if (ret == SOCKET_ERROR) {
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
            return false; /* FD_READ comes back with the next data */
        }
        if (ret == 0) c->eof = true;
        c->start = 0;
        c->end = ret;
    }
}

static void test_an_event_select_echo_server_moves_every_byte(void **state)
{
    static struct echo_conn conns[ECHO_CONNECTIONS];
    struct echo_client clients[ECHO_CONNECTIONS];
    HANDLE threads[ECHO_CONNECTIONS];
    WSAEVENT events[ECHO_CONNECTIONS + 1];
    struct sockaddr_storage addr;
    int len, accepted = 0, finished = 0;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;

    events[0] = WSACreateEvent();
    assert_int_equal(WSAEventSelect(listener, events[0], FD_ACCEPT), 0);
    for (int i = 0; i < ECHO_CONNECTIONS; i++) {
        memset(&clients[i], 0, sizeof(clients[i]));
        clients[i].addr = addr;
        clients[i].addr_len = len;
        clients[i].seed = (unsigned int)i + 1;
        threads[i] = CreateThread(NULL, 0, echo_client, &clients[i], 0, NULL);
    }
    while (finished < ECHO_CONNECTIONS) {
        DWORD which = WSAWaitForMultipleEvents((DWORD)accepted + 1, events, FALSE, 30000, FALSE);
        WSANETWORKEVENTS ne;
        assert_true(which <= WSA_WAIT_EVENT_0 + (DWORD)accepted);
        if (which == WSA_WAIT_EVENT_0) {
            assert_int_equal(WSAEnumNetworkEvents(listener, events[0], &ne), 0);
            if (!(ne.lNetworkEvents & FD_ACCEPT)) continue;
            assert_int_equal(ne.iErrorCode[FD_ACCEPT_BIT], 0);
            SOCKET s;
            while ((s = accept(listener, NULL, NULL)) != INVALID_SOCKET) {
                assert_true(accepted < ECHO_CONNECTIONS);
                struct echo_conn *c = &conns[accepted];
                memset(c, 0, sizeof(*c));
                c->s = s;
                c->ev = events[accepted + 1] = WSACreateEvent();
                /* Inherited FD_ACCEPT selection is replaced by the connection's own. */
                assert_int_equal(WSAEventSelect(s, c->ev, FD_READ | FD_WRITE | FD_CLOSE), 0);
                accepted++;
            }
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
            continue;
        }
        struct echo_conn *c = &conns[which - WSA_WAIT_EVENT_0 - 1];
        if (c->s == INVALID_SOCKET) { /* set just before it was closed */
            WSAResetEvent(c->ev);
            continue;
        }
        assert_int_equal(WSAEnumNetworkEvents(c->s, c->ev, &ne), 0);
        if (ne.lNetworkEvents & FD_CLOSE) assert_int_equal(ne.iErrorCode[FD_CLOSE_BIT], 0);
        if (ne.lNetworkEvents && echo_pump(c)) {
            closesocket(c->s);
            c->s = INVALID_SOCKET;
            finished++;
        }
    }
    for (int i = 0; i < ECHO_CONNECTIONS; i++) {
        assert_int_equal(WaitForSingleObject(threads[i], 30000), WAIT_OBJECT_0);
        CloseHandle(threads[i]);
        assert_true(clients[i].ok);
        assert_true(clients[i].sent == ECHO_BYTES);
        assert_true(clients[i].received == ECHO_BYTES);
        assert_int_equal(clients[i].received_sum, clients[i].sent_sum);
        WSACloseEvent(events[i + 1]);
    }
    closesocket(listener);
    WSACloseEvent(events[0]);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_WSACreateEvent_makes_a_nonsignaled_manual_reset_event),
    cmocka_unit_test(test_WSAWaitForMultipleEvents_reports_the_lowest_signaled_event_or_a_timeout),
    cmocka_unit_test(test_an_alertable_wait_returns_WSA_WAIT_IO_COMPLETION_after_running_an_APC),
    cmocka_unit_test(test_WSAWaitForMultipleEvents_takes_1_to_WSA_MAXIMUM_WAIT_EVENTS_events),
    cmocka_unit_test(test_event_functions_on_a_closed_handle_fail_with_WSA_INVALID_HANDLE),
    cmocka_unit_test(test_event_objects_work_without_WSAStartup_as_on_Windows),
    cmocka_unit_test(test_selection_calls_before_WSAStartup_fail_with_WSANOTINITIALISED),
    cmocka_unit_test(test_selection_calls_on_a_non_socket_fail_with_WSAENOTSOCK),
    cmocka_unit_test(test_WSAEventSelect_with_a_handle_that_is_not_an_event_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WSAEnumNetworkEvents_with_a_bad_pointer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAEnumNetworkEvents_with_a_bad_event_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WSAEnumNetworkEvents_sets_only_the_error_codes_of_reported_events),
    cmocka_unit_test(test_FD_READ_is_reported_again_only_after_recv),
    cmocka_unit_test(test_FD_WRITE_comes_at_connect_and_again_only_after_WSAEWOULDBLOCK),
    cmocka_unit_test(test_FD_OOB_reports_urgent_data_until_it_is_read),
    cmocka_unit_test(test_FD_ACCEPT_is_reported_again_after_accept),
    cmocka_unit_test(test_FD_CONNECT_is_reported_once_with_error_0),
    cmocka_unit_test(test_FD_CONNECT_to_a_closed_port_reports_WSAECONNREFUSED),
    cmocka_unit_test(test_FD_CLOSE_of_a_graceful_close_comes_once_after_the_data_is_read),
    cmocka_unit_test(test_FD_CLOSE_of_a_reset_reports_WSAECONNABORTED),
    cmocka_unit_test(test_events_over_IPv6_are_the_same),
    cmocka_unit_test(test_a_bound_datagram_socket_reports_FD_WRITE_once_and_FD_READ_per_recv),
    cmocka_unit_test(test_connecting_a_datagram_socket_reports_FD_CONNECT_and_FD_WRITE),
    cmocka_unit_test(test_a_closed_event_handle_whose_value_is_reused_is_not_set_by_the_socket),
    cmocka_unit_test(test_shutdown_SD_BOTH_keeps_the_selection_and_the_peer_close_reports_FD_CLOSE),
    cmocka_unit_test(test_an_accepted_socket_keeps_the_inherited_selection_after_shutdown_SD_BOTH),
    cmocka_unit_test(test_events_the_device_has_no_source_for_are_accepted),
    cmocka_unit_test(test_WSAEventSelect_makes_the_socket_non_blocking),
    cmocka_unit_test(test_FIONBIO_off_fails_with_WSAEINVAL_until_the_selection_is_cancelled),
    cmocka_unit_test(test_a_mask_of_0_cancels_and_a_new_selection_reports_what_is_pending),
    cmocka_unit_test(test_an_accepted_socket_inherits_the_listener_selection),
    cmocka_unit_test(test_SIO_ADDRESS_LIST_CHANGE_fails_with_WSAEWOULDBLOCK_and_arms_the_event),
    cmocka_unit_test(test_SIO_ROUTING_INTERFACE_CHANGE_arms_FD_ROUTING_INTERFACE_CHANGE),
    cmocka_unit_test(
        test_SIO_ADDRESS_LIST_CHANGE_without_FD_ADDRESS_LIST_CHANGE_selected_arms_nothing),
    cmocka_unit_test(test_an_event_select_echo_server_moves_every_byte),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
