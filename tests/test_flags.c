/* The flags of WSASocket, WSARecv and SetFileCompletionNotificationModes that change how a socket
   behaves: handle inheritance and SACL access, the receive hints, and the completion-event skip. */
#include "ws_test.h"
#include <mswsock.h>

#ifndef MSG_PUSH_IMMEDIATE
#define MSG_PUSH_IMMEDIATE 0x20
#endif
#define WAIT_MS 5000

static void test_sockets_are_inheritable_unless_WSA_FLAG_NO_HANDLE_INHERIT(void **state)
{
    SOCKET plain = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET wsa = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    SOCKET private_ = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                                 WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    DWORD flags;
    (void)state;
    assert_true(plain != INVALID_SOCKET && wsa != INVALID_SOCKET && private_ != INVALID_SOCKET);
    assert_true(GetHandleInformation((HANDLE)plain, &flags));
    assert_true(flags & HANDLE_FLAG_INHERIT);
    assert_true(GetHandleInformation((HANDLE)wsa, &flags));
    assert_true(flags & HANDLE_FLAG_INHERIT);
    assert_true(GetHandleInformation((HANDLE)private_, &flags));
    assert_false(flags & HANDLE_FLAG_INHERIT);
    closesocket(plain);
    closesocket(wsa);
    closesocket(private_);
}

/* The access the handle was opened with, as the object manager reports it. */
static ACCESS_MASK granted_access(HANDLE handle)
{
    typedef LONG(WINAPI * query_fn)(HANDLE, int, void *, ULONG, ULONG *);
    struct {
        ULONG attributes;
        ACCESS_MASK granted;
        ULONG rest[20];
    } info;
    query_fn query =
        (query_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryObject");
    assert_non_null(query);
    assert_int_equal(query(handle, 0 /* ObjectBasicInformation */, &info, sizeof(info), NULL), 0);
    return info.granted;
}

static void test_WSA_FLAG_ACCESS_SYSTEM_SECURITY_opens_the_socket_for_its_SACL(void **state)
{
    SOCKET plain = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    SOCKET audited = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                                WSA_FLAG_OVERLAPPED | WSA_FLAG_ACCESS_SYSTEM_SECURITY);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    (void)state;
    assert_true(plain != INVALID_SOCKET && audited != INVALID_SOCKET);
    assert_false(granted_access((HANDLE)plain) & ACCESS_SYSTEM_SECURITY);
    assert_true(granted_access((HANDLE)audited) & ACCESS_SYSTEM_SECURITY);
    /* Otherwise a socket like any other. */
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(audited, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(listen(audited, 1), 0);
    closesocket(plain);
    closesocket(audited);
}

static void test_MSG_PUSH_IMMEDIATE_is_a_hint_a_stream_receive_takes(void **state)
{
    SOCKET client, server;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = MSG_PUSH_IMMEDIATE;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "push", 4, 0), 4);
    WSASetLastError(0xdeadbeef);
    assert_int_equal(WSARecv(server, &wb, 1, &got, &flags, NULL, NULL), 0);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "push", 4);
    closesocket(client);
    closesocket(server);
}

/* A receive in OV on a socket bound to a completion port, completed through the port, with the
   completion modes MODES set first (0: none); the socket handle's state after it
   (WaitForSingleObject without waiting), and the packet's OVERLAPPED and byte count. */
static DWORD handle_state_after_a_completion(UCHAR modes, WSAOVERLAPPED *ov, OVERLAPPED **done,
                                             DWORD *got)
{
    SOCKET client, server;
    char buf[4];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, state;
    ULONG_PTR key = 0;
    HANDLE port;

    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)server, NULL, 1, 0);
    assert_non_null(port);
    if (modes) assert_true(SetFileCompletionNotificationModes((HANDLE)server, modes));
    assert_socket_error(WSARecv(server, &wb, 1, got, &flags, ov, NULL), WSA_IO_PENDING);
    assert_int_equal(send(client, "evnt", 4, 0), 4);
    *done = NULL;
    assert_true(GetQueuedCompletionStatus(port, got, &key, done, WAIT_MS));
    state = WaitForSingleObject((HANDLE)server, 0);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    return state;
}

/* FILE_SKIP_SET_EVENT_ON_HANDLE: an operation completed without an event in its OVERLAPPED leaves
   the socket handle's own event state alone. */
static void test_FILE_SKIP_SET_EVENT_ON_HANDLE_keeps_the_handle_unsignalled(void **state)
{
    WSAOVERLAPPED ov = {0};
    OVERLAPPED *done;
    DWORD got = 0;
    (void)state;
    assert_int_equal(
        handle_state_after_a_completion(FILE_SKIP_SET_EVENT_ON_HANDLE, &ov, &done, &got),
        WAIT_TIMEOUT);
    assert_ptr_equal(done, &ov);
    assert_int_equal(got, 4);
}

/* Without the mode, the same completion signals the handle itself, as NT does for a file. */
static void test_without_FILE_SKIP_SET_EVENT_ON_HANDLE_the_handle_is_signalled(void **state)
{
    WSAOVERLAPPED ov = {0};
    OVERLAPPED *done;
    DWORD got = 0;
    (void)state;
    assert_int_equal(handle_state_after_a_completion(0, &ov, &done, &got), WAIT_OBJECT_0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sockets_are_inheritable_unless_WSA_FLAG_NO_HANDLE_INHERIT),
        cmocka_unit_test(test_WSA_FLAG_ACCESS_SYSTEM_SECURITY_opens_the_socket_for_its_SACL),
        cmocka_unit_test(test_MSG_PUSH_IMMEDIATE_is_a_hint_a_stream_receive_takes),
        cmocka_unit_test(test_FILE_SKIP_SET_EVENT_ON_HANDLE_keeps_the_handle_unsignalled),
        cmocka_unit_test(test_without_FILE_SKIP_SET_EVENT_ON_HANDLE_the_handle_is_signalled),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
