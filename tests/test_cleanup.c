/*
 * The final WSACleanup, as its reference page states it: pending overlapped operations fail
 * with WSA_OPERATION_ABORTED without their event being signalled or their completion routine
 * run, blocking calls in other threads return, every socket is closed as closesocket would
 * (the peer sees the end of the connection), and old handles are gone.
 */
#include "ws_test.h"
#include <mswsock.h>

#define STATUS_CANCELLED_ ((ULONG_PTR)0xC0000120)

static void startup(void)
{
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static void test_pending_overlapped_recv_is_aborted_without_signalling_its_event(void **state)
{
    SOCKET client, server;
    char buf[8];
    WSABUF wsabuf = {sizeof(buf), buf};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {0};
    (void)state;
    startup();
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_socket_error(WSARecv(server, &wsabuf, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_int_equal(WSACleanup(), 0);
    /* The operation failed as aborted (STATUS_CANCELLED is WSA_OPERATION_ABORTED)... */
    assert_int_equal(ov.Internal, STATUS_CANCELLED_);
    /* ...and its event is not signalled, even a while later. */
    assert_int_equal(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT);
    CloseHandle(ov.hEvent);
}

static void test_several_pending_operations_on_several_sockets_are_all_aborted(void **state)
{
    enum { N = 4 };
    SOCKET client[N], server[N];
    char buf[N][8];
    WSABUF wsabuf[N];
    DWORD flags[N] = {0};
    WSAOVERLAPPED ov[N];
    (void)state;
    startup();
    for (int i = 0; i < N; i++) {
        ws_test_tcp_pair(i % 2 ? AF_INET6 : AF_INET, &client[i], &server[i]);
        memset(&ov[i], 0, sizeof(ov[i]));
        ov[i].hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        wsabuf[i].len = sizeof(buf[i]);
        wsabuf[i].buf = buf[i];
        assert_socket_error(WSARecv(server[i], &wsabuf[i], 1, NULL, &flags[i], &ov[i], NULL),
                            WSA_IO_PENDING);
    }
    assert_int_equal(WSACleanup(), 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(ov[i].Internal, STATUS_CANCELLED_);
        assert_int_equal(WaitForSingleObject(ov[i].hEvent, i ? 0 : 300), WAIT_TIMEOUT);
        CloseHandle(ov[i].hEvent);
    }
}

/* A send that waits for room (the peer reads nothing) and a TransmitFile behind it: both are
   aborted, neither event is set. */
static void test_a_blocked_send_and_a_pending_TransmitFile_are_aborted(void **state)
{
    enum { CHUNK = 1 << 20 };
    static char big[CHUNK];
    SOCKET client, server;
    WSABUF wsabuf = {CHUNK, big};
    WSAOVERLAPPED send_ov = {0}, file_ov = {0};
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE transmit_file;
    char dir[MAX_PATH], path[MAX_PATH];
    DWORD got, written;
    HANDLE file;
    int pending = 0;
    (void)state;

    startup();
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAIoctl(client, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                              &transmit_file, sizeof(transmit_file), &got, NULL, NULL),
                     0);
    /* Fill the connection until a send has to wait. */
    send_ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (int i = 0; i < 256 && !pending; i++) {
        if (WSASend(client, &wsabuf, 1, NULL, 0, &send_ov, NULL)) {
            assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
            pending = WaitForSingleObject(send_ov.hEvent, 200) == WAIT_TIMEOUT;
            if (!pending) ResetEvent(send_ov.hEvent);
        }
    }
    assert_true(pending);
    /* A file transmission queued behind it. */
    assert_true(GetTempPathA(sizeof(dir), dir) > 0);
    assert_true(GetTempFileNameA(dir, "owc", 0, path) != 0);
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_FLAG_DELETE_ON_CLOSE, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(file, big, CHUNK, &written, NULL));
    file_ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_false(transmit_file(client, file, 0, 0, &file_ov, NULL, 0));
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);

    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(send_ov.Internal, STATUS_CANCELLED_);
    assert_int_equal(file_ov.Internal, STATUS_CANCELLED_);
    assert_int_equal(WaitForSingleObject(send_ov.hEvent, 300), WAIT_TIMEOUT);
    assert_int_equal(WaitForSingleObject(file_ov.hEvent, 0), WAIT_TIMEOUT);
    CloseHandle(send_ov.hEvent);
    CloseHandle(file_ov.hEvent);
    CloseHandle(file);
}

/* A ConnectEx to a listener whose backlog is full stays pending; it is aborted too. */
static void test_a_pending_ConnectEx_is_aborted(void **state)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local = {0};
    SOCKET waiting[2], s;
    WSAOVERLAPPED ov = {0};
    GUID guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX connect_ex;
    int len = sizeof(addr);
    DWORD got;
    (void)state;

    startup();
    /* The final WSACleanup below closes the listener and its waiting connections. */
    ws_test_full_listener(&addr, &len, waiting);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                              &connect_ex, sizeof(connect_ex), &got, NULL, NULL),
                     0);
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&local, sizeof(local)), 0);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_false(connect_ex(s, (struct sockaddr *)&addr, len, NULL, 0, NULL, &ov));
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT); /* still pending */

    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(ov.Internal, STATUS_CANCELLED_);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT);
    CloseHandle(ov.hEvent);
}

static void test_pending_address_list_change_is_aborted_without_signalling_its_event(void **state)
{
    WSAOVERLAPPED ov = {0};
    DWORD returned;
    (void)state;
    startup();
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &returned, &ov, NULL),
        WSA_IO_PENDING);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(ov.Internal, STATUS_CANCELLED_);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT);
    CloseHandle(ov.hEvent);
}

static volatile LONG routine_calls;
static void CALLBACK count_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)error;
    (void)bytes;
    (void)ov;
    (void)flags;
    InterlockedIncrement(&routine_calls);
}

static void test_pending_overlapped_recv_is_aborted_without_running_its_completion_routine(
    void **state)
{
    SOCKET client, server;
    char buf[8];
    WSABUF wsabuf = {sizeof(buf), buf};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {0};
    (void)state;
    routine_calls = 0;
    startup();
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(WSARecv(server, &wsabuf, 1, NULL, &flags, &ov, count_routine),
                        WSA_IO_PENDING);
    assert_int_equal(WSACleanup(), 0);
    /* Alertable waits would run a queued routine. */
    for (int i = 0; i < 5; i++) SleepEx(60, TRUE);
    assert_int_equal(routine_calls, 0);
    assert_int_equal(ov.Internal, STATUS_CANCELLED_);
}

static void test_a_routine_of_an_operation_completed_normally_still_runs(void **state)
{
    SOCKET client, server;
    char buf[8];
    WSABUF wsabuf = {sizeof(buf), buf};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {0};
    (void)state;
    routine_calls = 0;
    startup();
    ws_test_tcp_pair(AF_INET, &client, &server);
    int ret = WSARecv(server, &wsabuf, 1, NULL, &flags, &ov, count_routine);
    assert_true(ret == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(send(client, "x", 1, 0), 1);
    for (int i = 0; i < 100 && !routine_calls; i++) SleepEx(50, TRUE);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(WSACleanup(), 0);
}

static void test_a_blocking_recv_in_another_thread_returns_WSAEINTR(void **state)
{
    SOCKET client, server;
    struct ws_test_blocked_recv b;
    (void)state;
    startup();
    ws_test_tcp_pair(AF_INET, &client, &server);
    ws_test_start_blocked_recv(&b, server);
    assert_int_equal(WSACleanup(), 0);
    assert_true(ws_test_finish_blocked_recv(&b));
    assert_int_equal(b.ret, SOCKET_ERROR);
    assert_int_equal(b.error, WSAEINTR);
}

static void test_after_the_final_cleanup_calls_fail_and_old_handles_are_not_sockets(void **state)
{
    SOCKET client, server;
    char buf[4];
    (void)state;
    startup();
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(send(client, "x", 1, 0), WSANOTINITIALISED);
    assert_socket_error(recv(server, buf, 1, 0), WSANOTINITIALISED);
    assert_socket_error(closesocket(client), WSANOTINITIALISED);
    startup();
    assert_socket_error(send(client, "x", 1, 0), WSAENOTSOCK);
    assert_socket_error(closesocket(server), WSAENOTSOCK);
    assert_int_equal(WSACleanup(), 0);
}

/* The peer: a second process connects and reports how its connection ended. */
static int run_peer(unsigned short port)
{
    WSADATA data;
    struct sockaddr_storage addr;
    char buf[16];
    if (WSAStartup(MAKEWORD(2, 2), &data)) return 10;
    int len = ws_test_loopback(AF_INET, port, &addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(s, (struct sockaddr *)&addr, len)) return 11;
    if (send(s, "ready", 5, 0) != 5) return 12;
    int n = recv(s, buf, sizeof(buf), 0); /* blocks until the other process's cleanup */
    closesocket(s);
    WSACleanup();
    return n == 0 ? 0 : 13; /* 0: a graceful close, as closesocket gives */
}

static void test_a_peer_in_another_process_sees_the_connection_closed(void **state)
{
    struct sockaddr_storage addr;
    int len;
    char cmd[MAX_PATH + 64], self[MAX_PATH], buf[8];
    STARTUPINFOA si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi;
    DWORD code = 99;
    (void)state;
    startup();
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    GetModuleFileNameA(NULL, self, sizeof(self));
    snprintf(cmd, sizeof(cmd), "\"%s\" peer %u", self,
             ntohs(((struct sockaddr_in *)&addr)->sin_port));
    assert_true(CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    SOCKET conn = accept(listener, NULL, NULL);
    assert_true(conn != INVALID_SOCKET);
    assert_int_equal(recv(conn, buf, 5, MSG_WAITALL), 5);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(WaitForSingleObject(pi.hProcess, 20000), WAIT_OBJECT_0);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    assert_int_equal(code, 0);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "peer")) return run_peer((unsigned short)atoi(argv[2]));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pending_overlapped_recv_is_aborted_without_signalling_its_event),
        cmocka_unit_test(test_several_pending_operations_on_several_sockets_are_all_aborted),
        cmocka_unit_test(test_pending_address_list_change_is_aborted_without_signalling_its_event),
        cmocka_unit_test(test_a_blocked_send_and_a_pending_TransmitFile_are_aborted),
        cmocka_unit_test(test_a_pending_ConnectEx_is_aborted),
        cmocka_unit_test(
            test_pending_overlapped_recv_is_aborted_without_running_its_completion_routine),
        cmocka_unit_test(test_a_routine_of_an_operation_completed_normally_still_runs),
        cmocka_unit_test(test_a_blocking_recv_in_another_thread_returns_WSAEINTR),
        cmocka_unit_test(test_after_the_final_cleanup_calls_fail_and_old_handles_are_not_sockets),
        cmocka_unit_test(test_a_peer_in_another_process_sees_the_connection_closed),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
