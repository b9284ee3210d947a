/*
 * Window-message notification: WSAAsyncSelect posts wMsg to a real (hidden) window with the
 * socket as wParam and WSAMAKESELECTREPLY(event, error) as lParam. Each network event with its
 * re-enabling call and error (a reset's FD_CLOSE carries WSAECONNABORTED), argument errors,
 * switching to and from WSAEventSelect, inheritance by accept, no message after closesocket or
 * the final WSACleanup, 1024 selected sockets, FD_ADDRESS_LIST_CHANGE, and an echo server driven
 * only by window messages.
 *
 * Waits are bounded (WAIT_MS) with MsgWaitForMultipleObjects and only guard against a hang; "no
 * message" is checked with PeekMessage right after the state that must not produce one.
 */
#include "ws_test.h"
#include <stdbool.h>
#include <stdlib.h>
#include <tlhelp32.h>

#define WAIT_MS    5000
#define WM_SOCKET  (WM_USER + 7)
#define WM_FENCE   (WM_USER + 8) /* a second socket's messages, to know the first's are all in */
#define ALL_EVENTS (FD_READ | FD_WRITE | FD_OOB | FD_ACCEPT | FD_CONNECT | FD_CLOSE)

static HWND window;

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    return DefWindowProcW(hwnd, msg, wparam, lparam);
}

static int setup(void **state)
{
    WNDCLASSEXW wc = {.cbSize = sizeof(wc),
                      .lpfnWndProc = window_proc,
                      .hInstance = GetModuleHandleW(NULL),
                      .lpszClassName = L"openws2_async_select_test"};
    if (!RegisterClassExW(&wc)) return -1;
    /* Top-level, never shown. */
    window = CreateWindowExW(0, wc.lpszClassName, L"", WS_OVERLAPPEDWINDOW, 0, 0, 10, 10, NULL,
                             NULL, wc.hInstance, NULL);
    if (!window) return -1;
    return ws_test_startup(state);
}

static int teardown(void **state)
{
    DestroyWindow(window);
    return ws_test_cleanup(state);
}

/* The next message NUMBER (bounded wait). */
static MSG next_message_of(UINT number)
{
    DWORD start = GetTickCount();
    MSG msg;
    while (!PeekMessageW(&msg, window, number, number, PM_REMOVE)) {
        DWORD waited = GetTickCount() - start;
        if (waited >= WAIT_MS) fail_msg("no socket message");
        MsgWaitForMultipleObjects(0, NULL, FALSE, WAIT_MS - waited, QS_POSTMESSAGE);
    }
    return msg;
}

/* The next socket message (bounded wait); its lParam. */
static LPARAM next_message(SOCKET s)
{
    MSG msg = next_message_of(WM_SOCKET);
    assert_int_equal(msg.wParam, s);
    return msg.lParam;
}

static void expect_message(SOCKET s, WORD event, WORD error)
{
    LPARAM lparam = next_message(s);
    assert_int_equal(WSAGETSELECTEVENT(lparam), event);
    assert_int_equal(WSAGETSELECTERROR(lparam), error);
    assert_int_equal(lparam, WSAMAKESELECTREPLY(event, error));
}

static void assert_no_message(void)
{
    MSG msg;
    if (PeekMessageW(&msg, window, WM_SOCKET, WM_SOCKET, PM_REMOVE))
        fail_msg("unexpected message: socket %#llx, lParam %#llx", (unsigned long long)msg.wParam,
                 (unsigned long long)msg.lParam);
}

static void drain_messages(void)
{
    MSG msg;
    while (PeekMessageW(&msg, window, WM_SOCKET, WM_SOCKET, PM_REMOVE)) continue;
}

/* ---- argument errors ---- */

static void test_WSAAsyncSelect_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    WSASetLastError(0);
    assert_socket_error(WSAAsyncSelect(s, window, WM_SOCKET, FD_READ), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_WSAAsyncSelect_on_a_non_socket_fails_with_WSAENOTSOCK(void **state)
{
    (void)state;
    WSASetLastError(0);
    assert_socket_error(WSAAsyncSelect(INVALID_SOCKET, window, WM_SOCKET, FD_READ), WSAENOTSOCK);
    WSASetLastError(0);
    assert_socket_error(WSAAsyncSelect((SOCKET)GetCurrentProcess(), window, WM_SOCKET, FD_READ),
                        WSAENOTSOCK);
}

static void test_WSAAsyncSelect_without_an_existing_window_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    HWND gone = CreateWindowExW(0, L"openws2_async_select_test", L"", 0, 0, 0, 1, 1, NULL, NULL,
                                GetModuleHandleW(NULL), NULL);
    u_long off = 0;
    (void)state;
    assert_non_null(gone);
    DestroyWindow(gone);
    WSASetLastError(0);
    assert_socket_error(WSAAsyncSelect(s, NULL, WM_SOCKET, FD_READ), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAAsyncSelect(s, gone, WM_SOCKET, FD_READ), WSAEINVAL);
    /* Nothing was selected: the socket can still be made blocking. */
    assert_int_equal(ioctlsocket(s, FIONBIO, &off), 0);
    /* Cancelling needs no window. */
    assert_int_equal(WSAAsyncSelect(s, NULL, 0, 0), 0);
    closesocket(s);
}

/* ---- network events ---- */

static void test_FD_WRITE_is_posted_for_a_connected_socket_and_again_on_reselect(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, ALL_EVENTS), 0);
    expect_message(server, FD_WRITE, 0);
    assert_no_message();
    assert_int_equal(send(server, "x", 1, 0), 1);
    assert_no_message();
    /* A new WSAAsyncSelect starts a new record: the socket is still writable. */
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, ALL_EVENTS), 0);
    expect_message(server, FD_WRITE, 0);
    assert_no_message();
    closesocket(client);
    closesocket(server);
    drain_messages();
}

static void test_FD_READ_is_posted_again_only_after_recv(void **state)
{
    SOCKET client, server;
    char buf[16];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    assert_no_message();
    assert_int_equal(send(client, "abcd", 4, 0), 4);
    expect_message(server, FD_READ, 0);
    assert_int_equal(send(client, "ef", 2, 0), 2);
    assert_int_equal(recv(server, buf, 1, 0), 1);
    expect_message(server, FD_READ, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 5);
    assert_no_message();
    WSASetLastError(0);
    assert_socket_error(recv(server, buf, sizeof(buf), 0), WSAEWOULDBLOCK);
    closesocket(client);
    closesocket(server);
    drain_messages();
}

static void test_FD_OOB_is_posted_for_urgent_data(void **state)
{
    SOCKET client, server;
    char c;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_OOB), 0);
    assert_int_equal(send(client, "!", 1, MSG_OOB), 1);
    expect_message(server, FD_OOB, 0);
    assert_no_message();
    assert_int_equal(recv(server, &c, 1, MSG_OOB), 1);
    assert_int_equal(c, '!');
    closesocket(client);
    closesocket(server);
    drain_messages();
}

static void test_FD_ACCEPT_is_posted_again_after_accept_and_accepted_sockets_inherit(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET c1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET a1, a2;
    u_long off = 0;
    (void)state;
    assert_int_equal(WSAAsyncSelect(listener, window, WM_SOCKET, FD_ACCEPT | FD_WRITE), 0);
    assert_int_equal(connect(c1, (struct sockaddr *)&addr, len), 0);
    expect_message(listener, FD_ACCEPT, 0);
    assert_int_equal(connect(c2, (struct sockaddr *)&addr, len), 0);
    a1 = accept(listener, NULL, NULL);
    assert_true(a1 != INVALID_SOCKET);
    /* The accepted socket has the listener's selection (FD_WRITE, with itself as wParam), and
       the connection still waiting is announced again. */
    {
        bool accept_seen = false, write_seen = false;
        for (int i = 0; i < 2; i++) {
            MSG msg;
            DWORD start = GetTickCount();
            while (!PeekMessageW(&msg, window, WM_SOCKET, WM_SOCKET, PM_REMOVE)) {
                assert_true(GetTickCount() - start < WAIT_MS);
                MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_POSTMESSAGE);
            }
            if (msg.wParam == listener) {
                assert_int_equal(msg.lParam, WSAMAKESELECTREPLY(FD_ACCEPT, 0));
                accept_seen = true;
            } else {
                assert_int_equal(msg.wParam, a1);
                assert_int_equal(msg.lParam, WSAMAKESELECTREPLY(FD_WRITE, 0));
                write_seen = true;
            }
        }
        assert_true(accept_seen && write_seen);
    }
    WSASetLastError(0);
    assert_socket_error(ioctlsocket(a1, FIONBIO, &off), WSAEINVAL);
    a2 = accept(listener, NULL, NULL);
    assert_true(a2 != INVALID_SOCKET);
    expect_message(a2, FD_WRITE, 0);
    assert_no_message();
    WSASetLastError(0);
    assert_int_equal(accept(listener, NULL, NULL), INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    closesocket(a1);
    closesocket(a2);
    closesocket(c1);
    closesocket(c2);
    closesocket(listener);
    drain_messages();
}

static void test_FD_CONNECT_is_posted_once_then_FD_WRITE(void **state)
{
    struct sockaddr_storage addr;
    int len, ret;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(WSAAsyncSelect(client, window, WM_SOCKET, ALL_EVENTS), 0);
    assert_no_message();
    ret = connect(client, (struct sockaddr *)&addr, len);
    assert_true(ret == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    expect_message(client, FD_CONNECT, 0);
    expect_message(client, FD_WRITE, 0);
    assert_no_message();
    closesocket(client);
    closesocket(listener);
    drain_messages();
}

static void test_FD_CONNECT_to_a_closed_port_is_posted_with_WSAECONNREFUSED(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET closed = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    closesocket(closed);
    assert_int_equal(WSAAsyncSelect(client, window, WM_SOCKET, ALL_EVENTS), 0);
    WSASetLastError(0);
    assert_socket_error(connect(client, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    expect_message(client, FD_CONNECT, WSAECONNREFUSED);
    assert_no_message();
    closesocket(client);
    drain_messages();
}

static void test_FD_CLOSE_of_a_graceful_close_is_posted_once_after_the_data_is_read(void **state)
{
    SOCKET client, server;
    char buf[16];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    assert_int_equal(send(client, "bye", 3, 0), 3);
    expect_message(server, FD_READ, 0);
    assert_int_equal(closesocket(client), 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 3);
    expect_message(server, FD_CLOSE, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    assert_no_message();
    closesocket(server);
    drain_messages();
}

static void test_FD_CLOSE_of_a_reset_is_posted_with_WSAECONNABORTED(void **state)
{
    SOCKET client, server;
    struct linger abort_close = {1, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    assert_int_equal(
        setsockopt(client, SOL_SOCKET, SO_LINGER, (const char *)&abort_close, sizeof(abort_close)),
        0);
    assert_int_equal(closesocket(client), 0);
    expect_message(server, FD_CLOSE, WSAECONNABORTED);
    assert_no_message();
    closesocket(server);
    drain_messages();
}

static void test_reselecting_after_a_reset_posts_its_FD_CLOSE_again(void **state)
{
    SOCKET client, server;
    struct linger abort_close = {1, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    assert_int_equal(
        setsockopt(client, SOL_SOCKET, SO_LINGER, (const char *)&abort_close, sizeof(abort_close)),
        0);
    assert_int_equal(closesocket(client), 0);
    expect_message(server, FD_CLOSE, WSAECONNABORTED);
    /* A new selection starts a new record: what holds now is posted again, once. */
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    expect_message(server, FD_CLOSE, WSAECONNABORTED);
    assert_no_message();
    closesocket(server);
    drain_messages();
}

static void test_connecting_a_datagram_socket_posts_FD_WRITE_again(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    assert_int_equal(
        WSAAsyncSelect(a, window, WM_SOCKET, FD_READ | FD_WRITE | FD_OOB | FD_CONNECT | FD_ACCEPT),
        0);
    expect_message(a, FD_WRITE, 0);
    assert_no_message();
    /* Windows posts FD_WRITE (and no FD_CONNECT message) when the peer is set. */
    assert_int_equal(connect(a, (struct sockaddr *)&addr_b, len_b), 0);
    expect_message(a, FD_WRITE, 0);
    assert_no_message();
    closesocket(a);
    closesocket(b);
    drain_messages();
}

static void test_a_recv_failing_with_WSAEFAULT_posts_FD_READ_again_while_data_waits(void **state)
{
    SOCKET client, server;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    assert_int_equal(send(client, "data", 5, 0), 5);
    expect_message(server, FD_READ, 0);
    assert_int_equal(recv(server, buf, 2, 0), 2);
    expect_message(server, FD_READ, 0);
    /* The failed call is a receive all the same: it re-enables FD_READ, and 3 bytes wait. */
    assert_socket_error(recv(server, buf, -1, 0), WSAEFAULT);
    expect_message(server, FD_READ, 0);
    assert_no_message();
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 3);
    closesocket(server);
    closesocket(client);
    drain_messages();
}

static void test_shutdown_SD_BOTH_keeps_the_selection_and_the_peer_close_posts_FD_CLOSE(
    void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_OOB | FD_CLOSE), 0);
    assert_int_equal(shutdown(client, SD_RECEIVE), 0);
    assert_int_equal(shutdown(server, SD_BOTH), 0);
    assert_no_message();
    assert_int_equal(shutdown(client, SD_SEND), 0);
    expect_message(server, FD_CLOSE, 0);
    assert_no_message();
    closesocket(client);
    closesocket(server);
    drain_messages();
}

/* ---- a handle closed without closesocket ---- */

static void pass_fence(SOCKET fence_client, SOCKET fence_server);

typedef LONG(WINAPI *nt_close_fn)(HANDLE);

static void close_with_NtClose(SOCKET s)
{
    nt_close_fn nt_close =
        (nt_close_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtClose");
    assert_non_null(nt_close);
    assert_int_equal(nt_close((HANDLE)s), 0);
}

static void close_with_CloseHandle(SOCKET s)
{
    assert_true(CloseHandle((HANDLE)s));
}

/* Closing the handle as a file ends the socket as closesocket does, and Windows posts FD_CLOSE
   (error 0) to the selected socket for it; closesocket itself posts nothing (see below). */
static void expect_FD_CLOSE_when_closed_with(void (*close_handle)(SOCKET))
{
    SOCKET client, server, fence_client, fence_server;
    char c;
    ws_test_tcp_pair(AF_INET, &fence_client, &fence_server);
    assert_int_equal(WSAAsyncSelect(fence_server, window, WM_FENCE, FD_READ), 0);
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_OOB | FD_CLOSE), 0);
    drain_messages();
    close_handle(server);
    expect_message(server, FD_CLOSE, 0);
    /* Once: nothing follows it. */
    pass_fence(fence_client, fence_server);
    assert_no_message();
    /* The peer sees the connection end. */
    assert_int_equal(recv(client, &c, 1, 0), 0);
    closesocket(client);
    closesocket(fence_client);
    closesocket(fence_server);
}

static void test_FD_CLOSE_is_posted_when_the_socket_handle_is_closed_with_CloseHandle(void **state)
{
    (void)state;
    expect_FD_CLOSE_when_closed_with(close_with_CloseHandle);
}

static void test_FD_CLOSE_is_posted_when_the_socket_handle_is_closed_with_NtClose(void **state)
{
    (void)state;
    expect_FD_CLOSE_when_closed_with(close_with_NtClose);
}

static void test_a_handle_closed_without_closesocket_posts_nothing_unless_FD_CLOSE_is_selected(
    void **state)
{
    SOCKET client, server, fence_client, fence_server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &fence_client, &fence_server);
    assert_int_equal(WSAAsyncSelect(fence_server, window, WM_FENCE, FD_READ), 0);
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ), 0);
    drain_messages();
    close_with_CloseHandle(server);
    pass_fence(fence_client, fence_server);
    assert_no_message();
    closesocket(client);
    closesocket(fence_client);
    closesocket(fence_server);
}

/* A handle closed with CloseHandle whose value is given out again at once to a new socket: the
   old selection still gets its one FD_CLOSE, the new socket is a socket of its own, and once it
   is closed with closesocket nothing more is posted for the value. */
static void test_a_handle_value_reused_after_CloseHandle_gets_one_FD_CLOSE_and_nothing_after(
    void **state)
{
    SOCKET fence_client, fence_server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &fence_client, &fence_server);
    assert_int_equal(WSAAsyncSelect(fence_server, window, WM_FENCE, FD_READ), 0);
    drain_messages();
    for (int round = 0; round < 24; round++) {
        SOCKET client, server, fresh;
        ws_test_tcp_pair(AF_INET, &client, &server);
        assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
        close_with_CloseHandle(server);
        fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_true(fresh != INVALID_SOCKET);
        /* Every other round the new socket is selected too, before or after the old close is
           noticed. */
        if (round & 1)
            assert_int_equal(WSAAsyncSelect(fresh, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
        expect_message(server, FD_CLOSE, 0);
        assert_int_equal(closesocket(fresh), 0);
        pass_fence(fence_client, fence_server);
        assert_no_message();
        closesocket(client);
    }
    closesocket(fence_client);
    closesocket(fence_server);
}

/* Sockets closed as files among others that stay selected: each closed one gets its FD_CLOSE,
   the others keep getting their messages. */
static void test_closing_some_selected_handles_with_CloseHandle_leaves_the_others_served(
    void **state)
{
    enum { PAIRS = 8 };
    SOCKET clients[PAIRS], servers[PAIRS];
    (void)state;
    drain_messages();
    for (int i = 0; i < PAIRS; i++) {
        ws_test_tcp_pair(AF_INET, &clients[i], &servers[i]);
        assert_int_equal(WSAAsyncSelect(servers[i], window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    }
    for (int i = 0; i < PAIRS; i += 2) {
        close_with_CloseHandle(servers[i]);
        expect_message(servers[i], FD_CLOSE, 0);
    }
    for (int i = 1; i < PAIRS; i += 2) {
        char c;
        assert_int_equal(send(clients[i], "x", 1, 0), 1);
        expect_message(servers[i], FD_READ, 0);
        assert_int_equal(recv(servers[i], &c, 1, 0), 1);
    }
    assert_no_message();
    for (int i = 0; i < PAIRS; i++) {
        if (i % 2) closesocket(servers[i]);
        closesocket(clients[i]);
    }
    drain_messages();
}

/* ---- switching, cancelling, FIONBIO ---- */

static void test_a_mask_of_0_cancels_and_FIONBIO_off_works_again(void **state)
{
    SOCKET client, server;
    u_long off = 0;
    char c;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ), 0);
    WSASetLastError(0);
    assert_socket_error(ioctlsocket(server, FIONBIO, &off), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(recv(server, &c, 1, 0), WSAEWOULDBLOCK);
    assert_int_equal(WSAAsyncSelect(server, window, 0, 0), 0);
    assert_int_equal(send(client, "q", 1, 0), 1);
    /* Wait for the data with select(): no message is posted for it. */
    fd_set readable;
    struct timeval tv = {WAIT_MS / 1000, 0};
    FD_ZERO(&readable);
    FD_SET(server, &readable);
    assert_int_equal(select(0, &readable, NULL, NULL, &tv), 1);
    assert_no_message();
    assert_int_equal(ioctlsocket(server, FIONBIO, &off), 0);
    assert_int_equal(recv(server, &c, 1, 0), 1);
    closesocket(client);
    closesocket(server);
    drain_messages();
}

static void test_WSAEventSelect_and_WSAAsyncSelect_each_cancel_the_other(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    /* Event selection, then messages: the event is no longer set. */
    assert_int_equal(WSAEventSelect(server, ev, FD_READ), 0);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ), 0);
    assert_int_equal(send(client, "a", 1, 0), 1);
    expect_message(server, FD_READ, 0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    /* Messages, then event selection: no more messages, the event reports instead. */
    assert_int_equal(WSAEventSelect(server, ev, FD_READ), 0);
    assert_int_equal(send(client, "b", 1, 0), 1);
    assert_int_equal(WaitForSingleObject(ev, WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(WSAEnumNetworkEvents(server, ev, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, FD_READ);
    assert_no_message();
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
    drain_messages();
}

static void test_switching_from_messages_to_an_event_and_back_to_messages(void **state)
{
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ), 0);
    assert_int_equal(send(client, "a", 1, 0), 1);
    expect_message(server, FD_READ, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    /* Messages -> event. */
    assert_int_equal(WSAEventSelect(server, ev, FD_READ), 0);
    assert_int_equal(send(client, "b", 1, 0), 1);
    assert_int_equal(WaitForSingleObject(ev, WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(WSAEnumNetworkEvents(server, ev, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, FD_READ);
    assert_no_message();
    /* Event -> messages with the data still unread: the new selection posts FD_READ for it. */
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ), 0);
    expect_message(server, FD_READ, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    assert_int_equal(send(client, "c", 1, 0), 1);
    expect_message(server, FD_READ, 0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    assert_no_message();
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev);
    drain_messages();
}

static void test_a_new_message_number_replaces_the_old_one(void **state)
{
    SOCKET client, server;
    MSG msg;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ), 0);
    assert_int_equal(WSAAsyncSelect(server, window, WM_FENCE, FD_READ), 0);
    assert_int_equal(send(client, "r", 1, 0), 1);
    msg = next_message_of(WM_FENCE);
    assert_int_equal(msg.wParam, server);
    assert_int_equal(msg.lParam, WSAMAKESELECTREPLY(FD_READ, 0));
    assert_no_message();
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    closesocket(client);
    closesocket(server);
    drain_messages();
    while (PeekMessageW(&msg, window, WM_FENCE, WM_FENCE, PM_REMOVE)) continue;
}

/* FENCE_SERVER's FD_READ message arrives: the notification threads have served the sockets. */
static void pass_fence(SOCKET fence_client, SOCKET fence_server)
{
    char c;
    MSG msg;
    assert_int_equal(send(fence_client, "f", 1, 0), 1);
    msg = next_message_of(WM_FENCE);
    assert_int_equal(msg.wParam, fence_server);
    assert_int_equal(msg.lParam, WSAMAKESELECTREPLY(FD_READ, 0));
    assert_int_equal(recv(fence_server, &c, 1, 0), 1);
}

static void test_no_message_is_posted_for_a_socket_after_its_closesocket_returned(void **state)
{
    SOCKET fence_client, fence_server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &fence_client, &fence_server);
    assert_int_equal(WSAAsyncSelect(fence_server, window, WM_FENCE, FD_READ), 0);
    drain_messages();
    /* Close while events are being recorded and posted: what was posted before closesocket
       returned is drained, and nothing may follow. */
    for (int round = 0; round < 20; round++) {
        SOCKET client, server;
        ws_test_tcp_pair(AF_INET, &client, &server);
        assert_int_equal(
            WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_WRITE | FD_OOB | FD_CLOSE), 0);
        assert_int_equal(send(client, "data", 4, 0), 4);
        if (round % 2) Sleep(1);
        assert_int_equal(closesocket(server), 0);
        drain_messages();
        /* The peer may already see a reset (data was left unread); either way it goes on. */
        send(client, "more", 4, 0);
        closesocket(client);
        pass_fence(fence_client, fence_server);
        assert_no_message();
    }
    closesocket(fence_client);
    closesocket(fence_server);
}

#define FILLER_SOCKETS 400

static void test_no_message_is_posted_after_the_final_WSACleanup(void **state)
{
    static SOCKET fillers[FILLER_SOCKETS];
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET server, fence_client, fence_server;
    BOOL posted;
    MSG msg;
    (void)state;
    /* The cleanup closes sockets in handle order: the client first, then many others, then
       the server, which meanwhile sees the client's close. That FD_CLOSE is not posted. */
    for (int i = 0; i < FILLER_SOCKETS; i++) {
        fillers[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_true(fillers[i] != INVALID_SOCKET);
    }
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_true(client < server);
    assert_int_equal(WSAAsyncSelect(server, window, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    assert_no_message();
    assert_int_equal(WSACleanup(), 0);
    /* Start again before checking, so that a failure here leaves the next tests a started
       Winsock. */
    posted = PeekMessageW(&msg, window, WM_SOCKET, WM_SOCKET, PM_REMOVE);
    assert_int_equal(ws_test_startup(NULL), 0);
    if (posted)
        fail_msg("message after WSACleanup: socket %#llx, lParam %#llx",
                 (unsigned long long)msg.wParam, (unsigned long long)msg.lParam);
    /* Sockets made after the cleanup are served, and nothing old follows their messages. */
    ws_test_tcp_pair(AF_INET, &fence_client, &fence_server);
    assert_int_equal(WSAAsyncSelect(fence_server, window, WM_FENCE, FD_READ), 0);
    pass_fence(fence_client, fence_server);
    assert_no_message();
    closesocket(fence_client);
    closesocket(fence_server);
}

/* The number of threads of this process. */
static int thread_count(void)
{
    THREADENTRY32 te = {.dwSize = sizeof(te)};
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    DWORD pid = GetCurrentProcessId();
    int n = 0;
    assert_true(snap != INVALID_HANDLE_VALUE);
    if (Thread32First(snap, &te)) {
        do {
            if (te.th32OwnerProcessID == pid) n++;
        } while (Thread32Next(snap, &te));
    }
    CloseHandle(snap);
    return n;
}

/* Wait (bounded) until the thread count is WANT; the count seen last. */
static int wait_for_thread_count(int want)
{
    DWORD start = GetTickCount();
    int n;
    while ((n = thread_count()) != want && GetTickCount() - start < WAIT_MS) Sleep(10);
    return n;
}

static void test_the_notification_thread_starts_on_first_use_and_ends_after_the_final_WSACleanup(
    void **state)
{
    SOCKET s;
    int before, settled;
    (void)state;
    /* Threads of earlier tests end with this cleanup. */
    assert_int_equal(WSACleanup(), 0);
    before = thread_count();
    for (int still = 0; still < 5; still++) {
        Sleep(20);
        settled = thread_count();
        if (settled != before) {
            before = settled;
            still = 0;
        }
    }
    assert_int_equal(ws_test_startup(NULL), 0);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_int_equal(thread_count(), before);
    assert_int_equal(WSAAsyncSelect(s, window, WM_SOCKET, FD_READ), 0);
    assert_int_equal(wait_for_thread_count(before + 1), before + 1);
    assert_int_equal(WSACleanup(), 0);
    settled = wait_for_thread_count(before);
    assert_int_equal(ws_test_startup(NULL), 0);
    assert_int_equal(settled, before);
    drain_messages();
}

#define MANY_SOCKETS 1024

static void test_1024_async_selected_sockets_each_get_their_FD_READ_message(void **state)
{
    static SOCKET socks[MANY_SOCKETS];
    static bool seen[MANY_SOCKETS];
    SOCKET sender = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int received = 0;
    (void)state;
    drain_messages();
    for (int i = 0; i < MANY_SOCKETS; i++) {
        struct sockaddr_storage addr;
        int len = ws_test_loopback(AF_INET, 0, &addr);
        socks[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_true(socks[i] != INVALID_SOCKET);
        assert_int_equal(bind(socks[i], (struct sockaddr *)&addr, len), 0);
        assert_int_equal(WSAAsyncSelect(socks[i], window, WM_SOCKET, FD_READ), 0);
        seen[i] = false;
    }
    for (int i = 0; i < MANY_SOCKETS; i++) {
        struct sockaddr_storage addr;
        int len = sizeof(addr);
        assert_int_equal(getsockname(socks[i], (struct sockaddr *)&addr, &len), 0);
        assert_int_equal(sendto(sender, "x", 1, 0, (struct sockaddr *)&addr, len), 1);
    }
    while (received < MANY_SOCKETS) {
        MSG msg = next_message_of(WM_SOCKET);
        int i = 0;
        while (i < MANY_SOCKETS && socks[i] != (SOCKET)msg.wParam) i++;
        assert_true(i < MANY_SOCKETS);
        assert_false(seen[i]);
        assert_int_equal(msg.lParam, WSAMAKESELECTREPLY(FD_READ, 0));
        seen[i] = true;
        received++;
    }
    assert_no_message();
    for (int i = 0; i < MANY_SOCKETS; i++) closesocket(socks[i]);
    closesocket(sender);
    drain_messages();
}

/* ---- FD_ADDRESS_LIST_CHANGE ---- */

/*
 * Adding an address to the machine needs a network namespace of the Wine server's own (and
 * root in it): a change in the shared one would disturb every other program. tests/netns-run.sh
 * gives the program one and sets OPENWS2_TEST_NETNS=1; the test then adds an address to the
 * loopback interface.
 */
static bool add_an_address(void)
{
    char cmd[] = "Z:\\usr\\sbin\\ip addr add 10.251.0.1/32 dev lo";
    STARTUPINFOA si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return false;
    WaitForSingleObject(pi.hProcess, WAIT_MS);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return true;
}

static void test_SIO_ADDRESS_LIST_CHANGE_fails_with_WSAEWOULDBLOCK_and_arms_the_message(
    void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD returned = 0xdeadbeef;
    bool have_netns = getenv("OPENWS2_TEST_NETNS") != NULL;
    (void)state;
    drain_messages();
    assert_int_equal(WSAAsyncSelect(s, window, WM_SOCKET, FD_READ | FD_ADDRESS_LIST_CHANGE), 0);
    WSASetLastError(0);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &returned, NULL, NULL),
        WSAEWOULDBLOCK);
    assert_no_message();
    if (!have_netns) closesocket(s);
    if (!have_netns) {
        /* Not a gap: ctest runs this program again as test_async_select_netns, where it does. */
        print_message("the address change needs a network namespace of its own: see "
                      "test_async_select_netns\n");
        skip();
    }
    assert_true(add_an_address());
    expect_message(s, FD_ADDRESS_LIST_CHANGE, 0);
    assert_no_message();
    closesocket(s);
    drain_messages();
}

/* ---- an echo server driven by window messages ---- */

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
    return (unsigned char)((i * 5 + seed * 11 + (i >> 10)) & 0xff);
}

static DWORD WINAPI echo_sender(void *arg)
{
    struct echo_client *c = arg;
    unsigned char chunk[6000 + 3];
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
    char buf[32768];
    int start, end;
    bool eof;
};

static bool echo_pump(struct echo_conn *c)
{
    for (;;) {
        while (c->start < c->end) {
            int ret = send(c->s, c->buf + c->start, c->end - c->start, 0);
            if (ret == SOCKET_ERROR) {
                assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
                return false;
            }
            c->start += ret;
        }
        if (c->eof) return true;
        int ret = recv(c->s, c->buf, sizeof(c->buf), 0);
        if (ret == SOCKET_ERROR) {
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
            return false;
        }
        if (ret == 0) c->eof = true;
        c->start = 0;
        c->end = ret;
    }
}

static void test_a_window_message_echo_server_moves_every_byte(void **state)
{
    static struct echo_conn conns[ECHO_CONNECTIONS];
    struct echo_client clients[ECHO_CONNECTIONS];
    HANDLE threads[ECHO_CONNECTIONS];
    struct sockaddr_storage addr;
    int len, accepted = 0, finished = 0;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;

    drain_messages();
    assert_int_equal(WSAAsyncSelect(listener, window, WM_SOCKET, FD_ACCEPT), 0);
    for (int i = 0; i < ECHO_CONNECTIONS; i++) {
        memset(&clients[i], 0, sizeof(clients[i]));
        clients[i].addr = addr;
        clients[i].addr_len = len;
        clients[i].seed = (unsigned int)i + 3;
        threads[i] = CreateThread(NULL, 0, echo_client, &clients[i], 0, NULL);
    }
    while (finished < ECHO_CONNECTIONS) {
        MSG msg;
        if (!PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            /* Bounded: a stall of 30 s means a lost notification. */
            assert_int_equal(MsgWaitForMultipleObjects(0, NULL, FALSE, 30000, QS_ALLINPUT),
                             WAIT_OBJECT_0);
            continue;
        }
        if (msg.message != WM_SOCKET) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
            continue;
        }
        assert_int_equal(WSAGETSELECTERROR(msg.lParam), 0);
        if (msg.wParam == listener) {
            SOCKET s;
            while ((s = accept(listener, NULL, NULL)) != INVALID_SOCKET) {
                assert_true(accepted < ECHO_CONNECTIONS);
                struct echo_conn *c = &conns[accepted++];
                memset(c, 0, sizeof(*c));
                c->s = s;
                assert_int_equal(
                    WSAAsyncSelect(s, window, WM_SOCKET, FD_READ | FD_WRITE | FD_CLOSE), 0);
            }
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
            continue;
        }
        /* Messages of a connection already closed find no match and are dropped. */
        for (int i = 0; i < accepted; i++) {
            struct echo_conn *c = &conns[i];
            if (c->s != (SOCKET)msg.wParam) continue;
            if (echo_pump(c)) {
                closesocket(c->s);
                c->s = INVALID_SOCKET;
                finished++;
            }
            break;
        }
    }
    for (int i = 0; i < ECHO_CONNECTIONS; i++) {
        assert_int_equal(WaitForSingleObject(threads[i], 30000), WAIT_OBJECT_0);
        CloseHandle(threads[i]);
        assert_true(clients[i].ok);
        assert_true(clients[i].sent == ECHO_BYTES);
        assert_true(clients[i].received == ECHO_BYTES);
        assert_int_equal(clients[i].received_sum, clients[i].sent_sum);
    }
    closesocket(listener);
    drain_messages();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_WSAAsyncSelect_before_WSAStartup_fails_with_WSANOTINITIALISED),
    cmocka_unit_test(test_WSAAsyncSelect_on_a_non_socket_fails_with_WSAENOTSOCK),
    cmocka_unit_test(test_WSAAsyncSelect_without_an_existing_window_fails_with_WSAEINVAL),
    cmocka_unit_test(test_FD_WRITE_is_posted_for_a_connected_socket_and_again_on_reselect),
    cmocka_unit_test(test_FD_READ_is_posted_again_only_after_recv),
    cmocka_unit_test(test_FD_OOB_is_posted_for_urgent_data),
    cmocka_unit_test(test_FD_ACCEPT_is_posted_again_after_accept_and_accepted_sockets_inherit),
    cmocka_unit_test(test_FD_CONNECT_is_posted_once_then_FD_WRITE),
    cmocka_unit_test(test_FD_CONNECT_to_a_closed_port_is_posted_with_WSAECONNREFUSED),
    cmocka_unit_test(test_FD_CLOSE_of_a_graceful_close_is_posted_once_after_the_data_is_read),
    cmocka_unit_test(test_FD_CLOSE_of_a_reset_is_posted_with_WSAECONNABORTED),
    cmocka_unit_test(test_reselecting_after_a_reset_posts_its_FD_CLOSE_again),
    cmocka_unit_test(test_connecting_a_datagram_socket_posts_FD_WRITE_again),
    cmocka_unit_test(test_a_recv_failing_with_WSAEFAULT_posts_FD_READ_again_while_data_waits),
    cmocka_unit_test(test_shutdown_SD_BOTH_keeps_the_selection_and_the_peer_close_posts_FD_CLOSE),
    cmocka_unit_test(test_FD_CLOSE_is_posted_when_the_socket_handle_is_closed_with_CloseHandle),
    cmocka_unit_test(test_FD_CLOSE_is_posted_when_the_socket_handle_is_closed_with_NtClose),
    cmocka_unit_test(
        test_a_handle_closed_without_closesocket_posts_nothing_unless_FD_CLOSE_is_selected),
    cmocka_unit_test(test_closing_some_selected_handles_with_CloseHandle_leaves_the_others_served),
    cmocka_unit_test(
        test_a_handle_value_reused_after_CloseHandle_gets_one_FD_CLOSE_and_nothing_after),
    cmocka_unit_test(test_a_mask_of_0_cancels_and_FIONBIO_off_works_again),
    cmocka_unit_test(test_WSAEventSelect_and_WSAAsyncSelect_each_cancel_the_other),
    cmocka_unit_test(test_switching_from_messages_to_an_event_and_back_to_messages),
    cmocka_unit_test(test_a_new_message_number_replaces_the_old_one),
    cmocka_unit_test(test_no_message_is_posted_for_a_socket_after_its_closesocket_returned),
    cmocka_unit_test(test_no_message_is_posted_after_the_final_WSACleanup),
    cmocka_unit_test(
        test_the_notification_thread_starts_on_first_use_and_ends_after_the_final_WSACleanup),
    cmocka_unit_test(test_1024_async_selected_sockets_each_get_their_FD_READ_message),
    cmocka_unit_test(test_SIO_ADDRESS_LIST_CHANGE_fails_with_WSAEWOULDBLOCK_and_arms_the_message),
    cmocka_unit_test(test_a_window_message_echo_server_moves_every_byte),
};

WS_TEST_MAIN(tests, setup, teardown)
