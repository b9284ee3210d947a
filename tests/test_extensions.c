/*
 * The Microsoft extension functions that WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) hands
 * out -- AcceptEx, GetAcceptExSockaddrs, ConnectEx, DisconnectEx, TransmitFile, WSARecvMsg,
 * WSASendMsg -- as their reference pages describe them, and as Windows behaves where the
 * pages are silent. Overlapped ones complete through an event, a completion routine or a
 * completion port, and the final WSACleanup aborts them like any other operation.
 */
#include "ws_test.h"
#include <mswsock.h>

#define STATUS_PENDING_   ((ULONG_PTR)0x103)
#define STATUS_CANCELLED_ ((ULONG_PTR)0xC0000120)
/* Room for one address in AcceptEx's buffer: the page asks for 16 bytes over the sockaddr. */
#define ADDR_ROOM ((DWORD)sizeof(SOCKADDR_STORAGE) + 16)
#define WAIT_MS   10000

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;
static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;
static LPFN_TRANSMITFILE pTransmitFile;
static LPFN_TRANSMITPACKETS pTransmitPackets;
static LPFN_WSARECVMSG pWSARecvMsg;
static LPFN_WSASENDMSG pWSASendMsg;

static void *extension(SOCKET s, GUID guid)
{
    void *function = NULL;
    DWORD size = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &function,
                              sizeof(function), &size, NULL, NULL),
                     0);
    assert_int_equal(size, sizeof(function));
    assert_non_null(function);
    return function;
}

static int setup(void **state)
{
    if (ws_test_startup(state)) return -1;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    pAcceptEx = extension(s, (GUID)WSAID_ACCEPTEX);
    pGetAcceptExSockaddrs = extension(s, (GUID)WSAID_GETACCEPTEXSOCKADDRS);
    pConnectEx = extension(s, (GUID)WSAID_CONNECTEX);
    pDisconnectEx = extension(s, (GUID)WSAID_DISCONNECTEX);
    pTransmitFile = extension(s, (GUID)WSAID_TRANSMITFILE);
    pTransmitPackets = extension(s, (GUID)WSAID_TRANSMITPACKETS);
    pWSARecvMsg = extension(s, (GUID)WSAID_WSARECVMSG);
    pWSASendMsg = extension(s, (GUID)WSAID_WSASENDMSG);
    closesocket(s);
    return 0;
}

static HANDLE new_event(void)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(event);
    return event;
}

static SOCKET tcp_socket(int af)
{
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* Receive exactly len bytes (the peer may deliver them in pieces). */
static void recv_all(SOCKET s, char *buf, int len)
{
    for (int got = 0, n; got < len; got += n) {
        n = recv(s, buf + got, len - got, 0);
        assert_true(n > 0);
    }
}

/* ---- SIO_GET_EXTENSION_FUNCTION_POINTER ---- */

static void test_every_documented_extension_GUID_yields_a_function(void **state)
{
    static const GUID guids[] = {WSAID_ACCEPTEX,     WSAID_GETACCEPTEXSOCKADDRS, WSAID_CONNECTEX,
                                 WSAID_DISCONNECTEX, WSAID_TRANSMITFILE,         WSAID_WSARECVMSG,
                                 WSAID_WSASENDMSG,   WSAID_TRANSMITPACKETS};
    SOCKET s = tcp_socket(AF_INET);
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(guids); i++) {
        void *function = NULL;
        DWORD size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&guids[i],
                                  sizeof(GUID), &function, sizeof(function), &size, NULL, NULL),
                         0);
        assert_int_equal(WSAGetLastError(), 0);
        assert_int_equal(size, sizeof(function));
        assert_non_null(function);
    }
    closesocket(s);
}

static void test_the_WSASendMsg_extension_is_the_exported_function(void **state)
{
    (void)state;
    assert_ptr_equal((void *)pWSASendMsg,
                     (void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSASendMsg"));
}

static void test_an_unknown_GUID_fails_with_WSAEINVAL_and_leaves_the_byte_count(void **state)
{
    GUID bogus = {0xdeadbeef, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
    void *function = NULL;
    DWORD size = 0xdeadbeef;
    SOCKET s = tcp_socket(AF_INET);
    (void)state;
    assert_socket_error(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus),
                                 &function, sizeof(function), &size, NULL, NULL),
                        WSAEINVAL);
    assert_int_equal(size, 0xdeadbeef);
    assert_null(function);
    closesocket(s);
}

static void test_a_short_output_or_input_buffer_fails_with_WSAEFAULT(void **state)
{
    GUID guid = WSAID_ACCEPTEX;
    void *function = NULL;
    DWORD size;
    SOCKET s = tcp_socket(AF_INET);
    (void)state;
    assert_socket_error(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                                 &function, sizeof(function) - 1, &size, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), NULL,
                                 sizeof(function), &size, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid) - 1,
                                 &function, sizeof(function), &size, NULL, NULL),
                        WSAEFAULT);
    assert_null(function);
    closesocket(s);
}

static void test_an_overlapped_lookup_also_completes_through_the_completion_port(void **state)
{
    GUID guid = WSAID_CONNECTEX;
    WSAOVERLAPPED ov = {0}, *got_ov = NULL;
    void *function = NULL;
    DWORD size = 0, bytes = 0xdeadbeef;
    ULONG_PTR key = 0;
    SOCKET s = tcp_socket(AF_INET);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    (void)state;
    assert_non_null(port);
    WSASetLastError(0xdeadbeef);
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &function,
                              sizeof(function), &size, &ov, NULL),
                     0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(size, sizeof(function));
    assert_ptr_equal(function, (void *)pConnectEx);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, WAIT_MS));
    assert_int_equal(bytes, 0);
    assert_int_equal(key, 123);
    assert_ptr_equal(got_ov, &ov);
    assert_int_equal(ov.Internal, 0);
    closesocket(s);
    CloseHandle(port);
}

static volatile LONG routine_calls;
static DWORD routine_error, routine_bytes;
static WSAOVERLAPPED *routine_ov;

static void CALLBACK completion_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_ov = ov;
    InterlockedIncrement(&routine_calls);
}

static void test_a_lookup_with_a_completion_routine_queues_the_routine(void **state)
{
    GUID guid = WSAID_ACCEPTEX;
    WSAOVERLAPPED ov = {0};
    void *function = NULL;
    DWORD size = 0;
    SOCKET s = tcp_socket(AF_INET);
    (void)state;
    routine_calls = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &function,
                              sizeof(function), &size, &ov, completion_routine),
                     0);
    assert_int_equal(size, sizeof(function));
    assert_int_equal(SleepEx(WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 0);
    assert_ptr_equal(routine_ov, &ov);
    closesocket(s);
}

/* ---- AcceptEx and GetAcceptExSockaddrs ---- */

static void check_addresses(char *buf, DWORD recv_len, const struct sockaddr_storage *local,
                            const struct sockaddr_storage *remote, int size)
{
    struct sockaddr *got_local = NULL, *got_remote = NULL;
    int local_len = 0, remote_len = 0;
    pGetAcceptExSockaddrs(buf, recv_len, ADDR_ROOM, ADDR_ROOM, &got_local, &local_len, &got_remote,
                          &remote_len);
    assert_int_equal(local_len, size);
    assert_int_equal(remote_len, size);
    assert_memory_equal(got_local, local, size);
    assert_memory_equal(got_remote, remote, size);
}

static void accept_without_data(int af)
{
    struct sockaddr_storage addr, client_addr;
    int len, client_len = sizeof(client_addr);
    char buf[2 * ADDR_ROOM], reply[4];
    DWORD bytes = 0xdeadbeef;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(af, &addr, &len), acceptor = tcp_socket(af);
    SOCKET client = tcp_socket(af);

    ov.hEvent = new_event();
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, ERROR_IO_PENDING);
    assert_int_equal(ov.Internal, STATUS_PENDING_);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_addr, &client_len), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    DWORD flags = 0;
    assert_true(WSAGetOverlappedResult(listener, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 0);
    check_addresses(buf, 0, &addr, &client_addr, len);

    /* The accept socket is now the server end of the connection. */
    assert_int_equal(send(acceptor, "pong", 4, 0), 4);
    recv_all(client, reply, 4);
    assert_memory_equal(reply, "pong", 4);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

static void test_AcceptEx_without_receive_data_completes_on_connect_with_both_addresses(
    void **state)
{
    (void)state;
    accept_without_data(AF_INET);
}

static void test_AcceptEx_over_IPv6_reports_IPv6_addresses(void **state)
{
    (void)state;
    accept_without_data(AF_INET6);
}

static void test_AcceptEx_with_receive_data_completes_when_the_first_data_arrives(void **state)
{
    struct sockaddr_storage addr, client_addr;
    int len, client_len = sizeof(client_addr);
    char buf[16 + 2 * ADDR_ROOM];
    DWORD bytes = 0xdeadbeef, flags = 0;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    SOCKET client = tcp_socket(AF_INET);
    (void)state;

    ov.hEvent = new_event();
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 16, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, ERROR_IO_PENDING);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_addr, &client_len), 0);
    /* Connected, but no data yet: the operation is still pending. */
    assert_int_equal(WaitForSingleObject(ov.hEvent, 100), WAIT_TIMEOUT);
    assert_int_equal(ov.Internal, STATUS_PENDING_);
    assert_int_equal(send(client, "hello", 5, 0), 5);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(listener, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 5);
    assert_memory_equal(buf, "hello", 5);
    check_addresses(buf, 16, &addr, &client_addr, len);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

static void test_AcceptEx_completes_through_a_completion_port(void **state)
{
    struct sockaddr_storage addr;
    int len;
    char buf[2 * ADDR_ROOM];
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0;
    OVERLAPPED ov = {0}, *got_ov = NULL;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    SOCKET client = tcp_socket(AF_INET);
    HANDLE port = CreateIoCompletionPort((HANDLE)listener, NULL, 7, 0);
    (void)state;

    assert_non_null(port);
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, ERROR_IO_PENDING);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, WAIT_MS));
    assert_int_equal(key, 7);
    assert_ptr_equal(got_ov, &ov);
    assert_int_equal(bytes, 0);
    assert_int_equal(ov.Internal, 0);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    CloseHandle(port);
}

static void test_AcceptEx_without_an_OVERLAPPED_fails_with_ERROR_INVALID_PARAMETER(void **state)
{
    struct sockaddr_storage addr;
    int len;
    char buf[2 * ADDR_ROOM];
    DWORD bytes;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    (void)state;
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, NULL),
                     FALSE, ERROR_INVALID_PARAMETER);
    closesocket(acceptor);
    closesocket(listener);
}

static void test_AcceptEx_with_a_non_socket_fails_with_WSAENOTSOCK_and_marks_it_pending(
    void **state)
{
    struct sockaddr_storage addr;
    int len;
    char buf[2 * ADDR_ROOM];
    DWORD bytes;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    (void)state;
    ov.Internal = 0xdeadbeef;
    assert_wsa_error(pAcceptEx(INVALID_SOCKET, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, WSAENOTSOCK);
    assert_int_equal(ov.Internal, STATUS_PENDING_);
    ov.Internal = 0xdeadbeef;
    assert_wsa_error(pAcceptEx(listener, INVALID_SOCKET, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, WSAENOTSOCK);
    assert_int_equal(ov.Internal, STATUS_PENDING_);
    closesocket(acceptor);
    closesocket(listener);
}

static void test_AcceptEx_without_a_buffer_or_remote_address_room_fails_with_WSAEFAULT(void **state)
{
    struct sockaddr_storage addr;
    int len;
    char buf[2 * ADDR_ROOM];
    DWORD bytes;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    (void)state;
    assert_wsa_error(pAcceptEx(listener, acceptor, NULL, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, WSAEFAULT);
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, 0, &bytes, &ov), FALSE,
                     WSAEFAULT);
    closesocket(acceptor);
    closesocket(listener);
}

static void test_AcceptEx_on_a_socket_that_does_not_listen_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    char buf[2 * ADDR_ROOM];
    DWORD bytes;
    OVERLAPPED ov = {0};
    SOCKET bound = tcp_socket(AF_INET), acceptor = tcp_socket(AF_INET);
    (void)state;
    assert_int_equal(bind(bound, (struct sockaddr *)&addr, len), 0);
    assert_wsa_error(pAcceptEx(bound, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov), FALSE,
                     WSAEINVAL);
    closesocket(acceptor);
    closesocket(bound);
}

static void test_AcceptEx_into_a_UDP_bound_or_busy_socket_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr, local;
    int len, local_len = ws_test_loopback(AF_INET, 0, &local);
    char buf[2 * ADDR_ROOM], buf2[2 * ADDR_ROOM];
    DWORD bytes;
    OVERLAPPED ov = {0}, ov2 = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), bound = tcp_socket(AF_INET);
    SOCKET busy = tcp_socket(AF_INET);
    (void)state;

    assert_wsa_error(pAcceptEx(listener, udp, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov), FALSE,
                     WSAEINVAL);
    assert_int_equal(bind(bound, (struct sockaddr *)&local, local_len), 0);
    assert_wsa_error(pAcceptEx(listener, bound, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov), FALSE,
                     WSAEINVAL);
    /* A socket already being accepted into cannot take a second AcceptEx. */
    ov.hEvent = new_event();
    assert_wsa_error(pAcceptEx(listener, busy, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov), FALSE,
                     ERROR_IO_PENDING);
    assert_wsa_error(pAcceptEx(listener, busy, buf2, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov2), FALSE,
                     WSAEINVAL);
    assert_true(CancelIoEx((HANDLE)listener, &ov));
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, STATUS_CANCELLED_);
    closesocket(busy);
    closesocket(bound);
    closesocket(udp);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

static void test_GetAcceptExSockaddrs_leaves_the_outputs_of_an_empty_block_alone(void **state)
{
    char buf[2 * ADDR_ROOM] = {0};
    struct sockaddr *local = (struct sockaddr *)0x1234, *remote = NULL;
    int local_len = 77, remote_len = 0, sixteen = 16;
    (void)state;
    memcpy(buf, &sixteen, sizeof(sixteen));
    pGetAcceptExSockaddrs(buf, 0, 0, ADDR_ROOM, &local, &local_len, &remote, &remote_len);
    assert_ptr_equal(local, (struct sockaddr *)0x1234);
    assert_int_equal(local_len, 77);
    assert_ptr_equal(remote, (struct sockaddr *)(buf + sizeof(int)));
    assert_int_equal(remote_len, 16);
}

/* ---- ConnectEx ---- */

static void test_ConnectEx_on_an_unbound_socket_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr;
    int len;
    DWORD sent;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), s = tcp_socket(AF_INET);
    (void)state;
    ov.InternalHigh = 0xdeadbeef;
    assert_wsa_error(pConnectEx(s, (struct sockaddr *)&addr, len, NULL, 0, &sent, &ov), FALSE,
                     WSAEINVAL);
    assert_int_equal(ov.Internal, STATUS_PENDING_);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    closesocket(s);
    closesocket(listener);
}

static void test_ConnectEx_on_a_listening_socket_fails_with_WSAEINVAL(void **state)
{
    struct sockaddr_storage addr;
    int len;
    DWORD sent;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    assert_wsa_error(pConnectEx(listener, (struct sockaddr *)&addr, len, NULL, 0, &sent, &ov),
                     FALSE, WSAEINVAL);
    closesocket(listener);
}

static void test_ConnectEx_without_an_OVERLAPPED_fails_with_ERROR_INVALID_PARAMETER(void **state)
{
    struct sockaddr_storage addr;
    int len;
    DWORD sent;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    assert_wsa_error(pConnectEx(listener, (struct sockaddr *)&addr, len, NULL, 0, &sent, NULL),
                     FALSE, ERROR_INVALID_PARAMETER);
    closesocket(listener);
}

static void test_ConnectEx_on_a_non_socket_or_with_a_short_name_fails(void **state)
{
    struct sockaddr_storage addr, local;
    int len, local_len = ws_test_loopback(AF_INET, 0, &local);
    DWORD sent;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), s = tcp_socket(AF_INET);
    (void)state;
    assert_wsa_error(pConnectEx(INVALID_SOCKET, (struct sockaddr *)&addr, len, NULL, 0, &sent, &ov),
                     FALSE, WSAENOTSOCK);
    assert_int_equal(bind(s, (struct sockaddr *)&local, local_len), 0);
    assert_wsa_error(pConnectEx(s, (struct sockaddr *)&addr, len - 1, NULL, 0, &sent, &ov), FALSE,
                     WSAEFAULT);
    assert_wsa_error(pConnectEx(s, NULL, len, NULL, 0, &sent, &ov), FALSE, WSAEFAULT);
    closesocket(s);
    closesocket(listener);
}

static void test_ConnectEx_on_a_connected_socket_fails_with_WSAEISCONN(void **state)
{
    struct sockaddr_storage addr;
    int len;
    DWORD sent;
    OVERLAPPED ov = {0};
    SOCKET client, server, listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_wsa_error(pConnectEx(client, (struct sockaddr *)&addr, len, NULL, 0, &sent, &ov), FALSE,
                     WSAEISCONN);
    closesocket(client);
    closesocket(server);
    closesocket(listener);
}

static void test_ConnectEx_with_send_data_connects_and_sends_it(void **state)
{
    struct sockaddr_storage addr, local;
    int len, local_len = ws_test_loopback(AF_INET, 0, &local);
    char data[3] = {'a', 'b', 'c'}, got[3];
    DWORD sent = 0xdeadbeef, flags = 0;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), s = tcp_socket(AF_INET);
    (void)state;
    ov.hEvent = new_event();
    assert_int_equal(bind(s, (struct sockaddr *)&local, local_len), 0);
    BOOL ok = pConnectEx(s, (struct sockaddr *)&addr, len, data, sizeof(data), &sent, &ov);
    assert_true(ok || WSAGetLastError() == ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(s, &ov, &sent, FALSE, &flags));
    assert_int_equal(sent, sizeof(data));
    SOCKET server = accept(listener, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    recv_all(server, got, sizeof(got));
    assert_memory_equal(got, data, sizeof(data));
    /* An ordinary connected socket from now on. */
    assert_int_equal(send(s, "d", 1, 0), 1);
    recv_all(server, got, 1);
    assert_int_equal(got[0], 'd');
    /* Except for connect: not WSAEISCONN as for other connected sockets, but WSAEINVAL. */
    assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEINVAL);
    assert_socket_error(connect(server, (struct sockaddr *)&addr, len), WSAEISCONN);
    closesocket(server);
    closesocket(s);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

static void test_ConnectEx_to_a_closed_port_completes_with_WSAECONNREFUSED(void **state)
{
    struct sockaddr_storage addr, local;
    int len = sizeof(addr), local_len = ws_test_loopback(AF_INET, 0, &local);
    DWORD sent, flags = 0;
    OVERLAPPED ov = {0};
    SOCKET probe = tcp_socket(AF_INET), s = tcp_socket(AF_INET);
    (void)state;
    /* A port that was free a moment ago, with nothing listening on it. */
    assert_int_equal(bind(probe, (struct sockaddr *)&local, local_len), 0);
    assert_int_equal(getsockname(probe, (struct sockaddr *)&addr, &len), 0);
    closesocket(probe);
    ov.hEvent = new_event();
    assert_int_equal(bind(s, (struct sockaddr *)&local, local_len), 0);
    assert_wsa_error(pConnectEx(s, (struct sockaddr *)&addr, len, NULL, 0, &sent, &ov), FALSE,
                     ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_wsa_error(WSAGetOverlappedResult(s, &ov, &sent, FALSE, &flags), FALSE, WSAECONNREFUSED);
    closesocket(s);
    CloseHandle(ov.hEvent);
}

/* ---- DisconnectEx ---- */

static void test_DisconnectEx_on_an_unconnected_socket_fails_with_WSAENOTCONN(void **state)
{
    OVERLAPPED ov = {0};
    SOCKET s = tcp_socket(AF_INET);
    (void)state;
    assert_wsa_error(pDisconnectEx(s, &ov, 0, 0), FALSE, WSAENOTCONN);
    assert_wsa_error(pDisconnectEx(INVALID_SOCKET, &ov, 0, 0), FALSE, WSAENOTSOCK);
    closesocket(s);
}

static void test_DisconnectEx_with_unknown_flags_or_reserved_fails_with_WSAEINVAL(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_wsa_error(pDisconnectEx(client, NULL, TF_DISCONNECT, 0), FALSE, WSAEINVAL);
    assert_wsa_error(pDisconnectEx(client, NULL, 0, 1), FALSE, WSAEINVAL);
    closesocket(client);
    closesocket(server);
}

static void test_an_overlapped_DisconnectEx_pends_and_the_peer_sees_the_end(void **state)
{
    SOCKET client, server;
    OVERLAPPED ov = {0};
    DWORD bytes = 0xdeadbeef, flags = 0;
    char buf[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = new_event();
    assert_wsa_error(pDisconnectEx(client, &ov, 0, 0), FALSE, ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(client, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    assert_socket_error(send(client, "x", 1, 0), WSAESHUTDOWN);
    /* Only the sending side is closed. */
    assert_int_equal(send(server, "back", 4, 0), 4);
    recv_all(client, buf, 4);
    assert_memory_equal(buf, "back", 4);
    closesocket(client);
    closesocket(server);
    CloseHandle(ov.hEvent);
}

static void test_a_synchronous_DisconnectEx_succeeds(void **state)
{
    SOCKET client, server;
    char buf[1];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    WSASetLastError(0xdeadbeef);
    assert_true(pDisconnectEx(client, NULL, 0, 0));
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    closesocket(client);
    closesocket(server);
}

/*
 * The reference page: after DisconnectEx with TF_REUSE_SOCKET completes, the handle can be passed
 * to AcceptEx (or ConnectEx) again. Wine's socket device keeps a socket's shutdown and hang-up
 * state for the life of the socket object and moves its completion-port binding only when a
 * connection is accepted into it, so a disconnected socket cannot be made new again: AcceptEx
 * refuses it as already bound. A known gap.
 */
static void test_DisconnectEx_with_TF_REUSE_SOCKET_lets_AcceptEx_take_the_handle_again(void **state)
{
    struct sockaddr_storage addr;
    int len;
    char buf[2 * ADDR_ROOM], reply[4];
    DWORD bytes = 0;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    SOCKET client = tcp_socket(AF_INET);
    (void)state;

    ov.hEvent = new_event();
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, ERROR_IO_PENDING);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(pDisconnectEx(acceptor, NULL, TF_REUSE_SOCKET, 0));
    assert_int_equal(recv(client, reply, sizeof(reply), 0), 0);
    closesocket(client);

    /* The same handle accepts the next connection and carries its data. */
    client = tcp_socket(AF_INET);
    ResetEvent(ov.hEvent);
    BOOL ret = pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov);
    int err = WSAGetLastError();
    ws_known_gap_if(!ret && err == WSAEINVAL, 1,
                    "Wine's socket device cannot make a disconnected socket new again "
                    "(DisconnectEx TF_REUSE_SOCKET)");
    assert_false(ret);
    assert_int_equal(err, ERROR_IO_PENDING);
    assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(send(acceptor, "pong", 4, 0), 4);
    recv_all(client, reply, 4);
    assert_memory_equal(reply, "pong", 4);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    CloseHandle(ov.hEvent);
}

/* ---- TransmitFile ---- */

#define FILE_BYTES 3000

static HANDLE temp_file(char *contents)
{
    char dir[MAX_PATH], path[MAX_PATH];
    DWORD written;
    assert_true(GetTempPathA(sizeof(dir), dir) > 0);
    assert_true(GetTempFileNameA(dir, "ows", 0, path) != 0);
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    for (int i = 0; i < FILE_BYTES; i++) contents[i] = (char)(i * 7 + i / 256);
    assert_true(WriteFile(file, contents, FILE_BYTES, &written, NULL));
    assert_int_equal(written, FILE_BYTES);
    assert_int_equal(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    return file;
}

static void test_TransmitFile_sends_the_head_the_file_and_the_tail_in_order(void **state)
{
    static char contents[FILE_BYTES], got[FILE_BYTES + 32];
    char head[] = "head:", tail[] = ":tail";
    TRANSMIT_FILE_BUFFERS buffers = {head, 5, tail, 5};
    SOCKET client, server;
    HANDLE file = temp_file(contents);
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    WSASetLastError(0xdeadbeef);
    assert_true(pTransmitFile(client, file, 0, 0, NULL, &buffers, 0));
    assert_int_equal(WSAGetLastError(), 0);
    recv_all(server, got, 5 + FILE_BYTES + 5);
    assert_memory_equal(got, "head:", 5);
    assert_memory_equal(got + 5, contents, FILE_BYTES);
    assert_memory_equal(got + 5 + FILE_BYTES, ":tail", 5);
    closesocket(client);
    closesocket(server);
    CloseHandle(file);
}

static void test_an_overlapped_TransmitFile_starts_at_the_OVERLAPPED_offset(void **state)
{
    static char contents[FILE_BYTES], got[FILE_BYTES];
    SOCKET client, server;
    OVERLAPPED ov = {0};
    DWORD sent = 0, flags = 0;
    HANDLE file = temp_file(contents);
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = new_event();
    ov.Offset = 1000;
    BOOL ok = pTransmitFile(client, file, 0, 0, &ov, NULL, 0);
    assert_true(ok || WSAGetLastError() == ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(client, &ov, &sent, FALSE, &flags));
    assert_int_equal(sent, FILE_BYTES - 1000);
    recv_all(server, got, FILE_BYTES - 1000);
    assert_memory_equal(got, contents + 1000, FILE_BYTES - 1000);
    closesocket(client);
    closesocket(server);
    CloseHandle(file);
    CloseHandle(ov.hEvent);
}

static void test_TransmitFile_with_TF_DISCONNECT_ends_the_sending_side(void **state)
{
    char head[] = "bye", buf[4];
    TRANSMIT_FILE_BUFFERS buffers = {head, 3, NULL, 0};
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_true(pTransmitFile(client, NULL, 0, 0, NULL, &buffers, TF_DISCONNECT));
    recv_all(server, buf, 3);
    assert_memory_equal(buf, "bye", 3);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    closesocket(client);
    closesocket(server);
}

static void test_TransmitFile_on_an_unconnected_or_UDP_socket_fails_with_WSAENOTCONN(void **state)
{
    SOCKET tcp = tcp_socket(AF_INET), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    (void)state;
    assert_wsa_error(pTransmitFile(tcp, NULL, 0, 0, NULL, NULL, 0), FALSE, WSAENOTCONN);
    assert_wsa_error(pTransmitFile(tcp, NULL, 0, 0, NULL, NULL, TF_REUSE_SOCKET), FALSE,
                     WSAENOTCONN);
    assert_wsa_error(pTransmitFile(udp, NULL, 0, 0, NULL, NULL, 0), FALSE, WSAENOTCONN);
    assert_wsa_error(pTransmitFile(INVALID_SOCKET, NULL, 0, 0, NULL, NULL, 0), FALSE, WSAENOTSOCK);
    closesocket(tcp);
    closesocket(udp);
}

static void test_TransmitFile_with_TF_REUSE_SOCKET_alone_fails_with_WSAEINVAL(void **state)
{
    SOCKET client, server;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_wsa_error(pTransmitFile(client, NULL, 0, 0, NULL, NULL, TF_REUSE_SOCKET), FALSE,
                     WSAEINVAL);
    assert_wsa_error(pTransmitFile(client, NULL, 2147483647u, 0, NULL, NULL, 0), FALSE, WSAEINVAL);
    closesocket(client);
    closesocket(server);
}

/* ---- WSARecvMsg ---- */

struct udp_msg {
    SOCKET a, b;
    struct sockaddr_storage addr_b, from;
    char data[16], control[128];
    WSABUF buf;
    WSAMSG msg;
};

static void udp_msg_init(struct udp_msg *m, int af)
{
    int len_b;
    memset(m, 0, sizeof(*m));
    ws_test_udp_pair(af, &m->a, &m->b, &m->addr_b, &len_b);
    m->buf.buf = m->data;
    m->buf.len = sizeof(m->data);
    m->msg.name = (struct sockaddr *)&m->from;
    m->msg.namelen = sizeof(m->from);
    m->msg.lpBuffers = &m->buf;
    m->msg.dwBufferCount = 1;
    m->msg.Control.buf = m->control;
    m->msg.Control.len = sizeof(m->control);
}

static void udp_msg_send(struct udp_msg *m, const char *text)
{
    int len = (int)strlen(text);
    int to_len =
        m->addr_b.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    assert_int_equal(sendto(m->a, text, len, 0, (struct sockaddr *)&m->addr_b, to_len), len);
}

static void udp_msg_close(struct udp_msg *m)
{
    closesocket(m->a);
    closesocket(m->b);
}

static WSACMSGHDR *find_cmsg(WSAMSG *msg, int level, int type)
{
    for (WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(msg); c; c = WSA_CMSG_NXTHDR(msg, c))
        if (c->cmsg_level == level && c->cmsg_type == type) return c;
    return NULL;
}

static void test_WSARecvMsg_returns_IP_PKTINFO_control_data_over_UDP_IPv4(void **state)
{
    struct udp_msg m;
    struct sockaddr_storage addr_a;
    int len_a = sizeof(addr_a);
    DWORD on = 1, received = 0;
    (void)state;
    udp_msg_init(&m, AF_INET);
    assert_int_equal(getsockname(m.a, (struct sockaddr *)&addr_a, &len_a), 0);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
    udp_msg_send(&m, "hello");
    WSASetLastError(0xdeadbeef);
    assert_int_equal(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(received, 5);
    assert_memory_equal(m.data, "hello", 5);
    assert_int_equal(m.msg.dwFlags, 0);
    assert_int_equal(m.msg.namelen, sizeof(struct sockaddr_in));
    assert_memory_equal(&m.from, &addr_a, sizeof(struct sockaddr_in));
    assert_int_equal(m.msg.Control.len, WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    WSACMSGHDR *c = find_cmsg(&m.msg, IPPROTO_IP, IP_PKTINFO);
    assert_non_null(c);
    assert_int_equal(c->cmsg_len, WSA_CMSG_LEN(sizeof(IN_PKTINFO)));
    IN_PKTINFO *info = (IN_PKTINFO *)WSA_CMSG_DATA(c);
    assert_int_equal(info->ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
    udp_msg_close(&m);
}

static void test_WSARecvMsg_returns_IPV6_PKTINFO_control_data_over_UDP_IPv6(void **state)
{
    static const IN6_ADDR loopback = IN6ADDR_LOOPBACK_INIT;
    struct udp_msg m;
    DWORD on = 1, received = 0;
    (void)state;
    udp_msg_init(&m, AF_INET6);
    assert_int_equal(setsockopt(m.b, IPPROTO_IPV6, IPV6_PKTINFO, (char *)&on, sizeof(on)), 0);
    udp_msg_send(&m, "hello6");
    assert_int_equal(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), 0);
    assert_int_equal(received, 6);
    assert_int_equal(m.msg.namelen, sizeof(struct sockaddr_in6));
    WSACMSGHDR *c = find_cmsg(&m.msg, IPPROTO_IPV6, IPV6_PKTINFO);
    assert_non_null(c);
    IN6_PKTINFO *info = (IN6_PKTINFO *)WSA_CMSG_DATA(c);
    assert_memory_equal(&info->ipi6_addr, &loopback, sizeof(loopback));
    udp_msg_close(&m);
}

/* The INT a control message carries. */
static int cmsg_int(WSAMSG *msg, int level, int type)
{
    WSACMSGHDR *c = find_cmsg(msg, level, type);
    int value;
    assert_non_null(c);
    assert_int_equal(c->cmsg_len, WSA_CMSG_LEN(sizeof(INT)));
    memcpy(&value, WSA_CMSG_DATA(c), sizeof(value));
    return value;
}

static void test_WSARecvMsg_returns_the_TTL_and_the_TOS_over_UDP_IPv4_when_asked(void **state)
{
    struct udp_msg m;
    DWORD on = 1, ttl = 33, tos = 0x10, received = 0;
    (void)state;
    udp_msg_init(&m, AF_INET);
    assert_int_equal(setsockopt(m.a, IPPROTO_IP, IP_TTL, (char *)&ttl, sizeof(ttl)), 0);
    assert_int_equal(setsockopt(m.a, IPPROTO_IP, IP_TOS, (char *)&tos, sizeof(tos)), 0);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_RECVTTL, (char *)&on, sizeof(on)), 0);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_RECVTOS, (char *)&on, sizeof(on)), 0);
    udp_msg_send(&m, "ttl");
    assert_int_equal(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), 0);
    assert_int_equal(received, 3);
    assert_int_equal(m.msg.dwFlags, 0);
    assert_int_equal(cmsg_int(&m.msg, IPPROTO_IP, IP_TTL), 33);
    assert_int_equal(cmsg_int(&m.msg, IPPROTO_IP, IP_TOS), 0x10);
    assert_int_equal(m.msg.Control.len, 2 * WSA_CMSG_SPACE(sizeof(INT)));
    udp_msg_close(&m);
}

static void test_WSARecvMsg_returns_the_hop_limit_and_the_traffic_class_over_UDP_IPv6_when_asked(
    void **state)
{
    struct udp_msg m;
    DWORD on = 1, hops = 17, received = 0;
    (void)state;
    udp_msg_init(&m, AF_INET6);
    assert_int_equal(setsockopt(m.a, IPPROTO_IPV6, IPV6_UNICAST_HOPS, (char *)&hops, sizeof(hops)),
                     0);
    assert_int_equal(setsockopt(m.b, IPPROTO_IPV6, IPV6_HOPLIMIT, (char *)&on, sizeof(on)), 0);
    assert_int_equal(setsockopt(m.b, IPPROTO_IPV6, IPV6_RECVTCLASS, (char *)&on, sizeof(on)), 0);
    udp_msg_send(&m, "hops");
    assert_int_equal(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), 0);
    assert_int_equal(received, 4);
    assert_int_equal(cmsg_int(&m.msg, IPPROTO_IPV6, IPV6_HOPLIMIT), 17);
    assert_int_equal(cmsg_int(&m.msg, IPPROTO_IPV6, IPV6_TCLASS), 0);
    udp_msg_close(&m);
}

static void test_WSARecvMsg_with_a_short_control_buffer_fails_with_WSAEMSGSIZE_and_MSG_CTRUNC(
    void **state)
{
    struct udp_msg m;
    DWORD on = 1, received = 0xdeadbeef;
    (void)state;
    udp_msg_init(&m, AF_INET);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
    udp_msg_send(&m, "hello");
    m.msg.Control.len = 1;
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), WSAEMSGSIZE);
    assert_int_equal(m.msg.dwFlags, MSG_CTRUNC);
    /* The datagram itself was delivered whole. */
    assert_int_equal(received, 5);
    assert_memory_equal(m.data, "hello", 5);
    udp_msg_close(&m);
}

static void test_an_overlapped_WSARecvMsg_with_a_short_control_buffer_sets_MSG_CTRUNC(void **state)
{
    struct udp_msg m;
    WSAOVERLAPPED ov = {0};
    DWORD on = 1, bytes = 0, flags = 0xdeadbeef;
    (void)state;
    udp_msg_init(&m, AF_INET);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
    m.msg.Control.len = 1;
    ov.hEvent = new_event();
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, NULL, &ov, NULL), WSA_IO_PENDING);
    udp_msg_send(&m, "hello");
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_wsa_error(WSAGetOverlappedResult(m.b, &ov, &bytes, FALSE, &flags), FALSE, WSAEMSGSIZE);
    assert_int_equal(bytes, 5);
    assert_int_equal(m.msg.dwFlags, MSG_CTRUNC);
    udp_msg_close(&m);
    CloseHandle(ov.hEvent);
}

static void test_a_WSARecvMsg_truncated_at_once_still_pends_and_completes_once(void **state)
{
    struct udp_msg m;
    WSAOVERLAPPED ov = {0};
    DWORD on = 1;
    (void)state;
    routine_calls = 0;
    udp_msg_init(&m, AF_INET);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
    udp_msg_send(&m, "hello");
    m.msg.Control.len = 1;
    /* Any error but WSA_IO_PENDING would promise that no completion follows. */
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, NULL, &ov, completion_routine), WSA_IO_PENDING);
    for (int i = 0; i < 200 && !routine_calls; i++) SleepEx(50, TRUE);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, WSAEMSGSIZE);
    assert_int_equal(routine_bytes, 5);
    assert_int_equal(m.msg.dwFlags, MSG_CTRUNC);
    udp_msg_close(&m);
}

static void test_WSARecvMsg_with_missing_or_inconsistent_pointers_fails_with_WSAEFAULT(void **state)
{
    struct udp_msg m;
    DWORD received;
    (void)state;
    udp_msg_init(&m, AF_INET);
    assert_socket_error(pWSARecvMsg(m.b, NULL, &received, NULL, NULL), WSAEFAULT);
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, NULL, NULL, NULL), WSAEFAULT);
    m.msg.name = NULL;
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), WSAEFAULT);
    m.msg.name = (struct sockaddr *)&m.from;
    m.msg.namelen = sizeof(struct sockaddr_in) - 1;
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), WSAEFAULT);
    m.msg.namelen = sizeof(m.from);
    m.msg.Control.buf = NULL;
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, &received, NULL, NULL), WSAEFAULT);
    assert_socket_error(pWSARecvMsg(INVALID_SOCKET, &m.msg, &received, NULL, NULL), WSAENOTSOCK);
    udp_msg_close(&m);
}

static void test_WSARecvMsg_with_MSG_PEEK_on_a_stream_fails_with_WSAEOPNOTSUPP(void **state)
{
    SOCKET client, server;
    char data[4];
    WSABUF buf = {sizeof(data), data};
    WSAMSG msg = {NULL, 0, &buf, 1, {0, NULL}, MSG_PEEK};
    DWORD received;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(pWSARecvMsg(server, &msg, &received, NULL, NULL), WSAEOPNOTSUPP);
    closesocket(client);
    closesocket(server);
}

static void test_an_overlapped_WSARecvMsg_completes_through_its_event(void **state)
{
    struct udp_msg m;
    WSAOVERLAPPED ov = {0};
    DWORD on = 1, bytes = 0, flags = 0;
    (void)state;
    udp_msg_init(&m, AF_INET);
    assert_int_equal(setsockopt(m.b, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
    ov.hEvent = new_event();
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, NULL, &ov, NULL), WSA_IO_PENDING);
    udp_msg_send(&m, "later");
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(m.b, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 5);
    assert_memory_equal(m.data, "later", 5);
    assert_non_null(find_cmsg(&m.msg, IPPROTO_IP, IP_PKTINFO));
    udp_msg_close(&m);
    CloseHandle(ov.hEvent);
}

static void test_an_overlapped_WSARecvMsg_runs_its_completion_routine(void **state)
{
    struct udp_msg m;
    WSAOVERLAPPED ov = {0};
    (void)state;
    routine_calls = 0;
    udp_msg_init(&m, AF_INET);
    assert_socket_error(pWSARecvMsg(m.b, &m.msg, NULL, &ov, completion_routine), WSA_IO_PENDING);
    udp_msg_send(&m, "apc");
    for (int i = 0; i < 200 && !routine_calls; i++) SleepEx(50, TRUE);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 3);
    assert_ptr_equal(routine_ov, &ov);
    assert_memory_equal(m.data, "apc", 3);
    udp_msg_close(&m);
}

/* ---- TransmitPackets ---- */

static void test_TransmitPackets_sends_buffers_in_order(void **state)
{
    char a[] = "one,", b[] = "two,", c[] = "three", got[16];
    TRANSMIT_PACKETS_ELEMENT el[3];
    SOCKET client, server;
    (void)state;
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = el[1].dwElFlags = TP_ELEMENT_MEMORY;
    el[2].dwElFlags = TP_ELEMENT_MEMORY | TP_ELEMENT_EOP;
    el[0].cLength = el[1].cLength = 4;
    el[2].cLength = 5;
    el[0].pBuffer = a;
    el[1].pBuffer = b;
    el[2].pBuffer = c;
    ws_test_tcp_pair(AF_INET, &client, &server);
    WSASetLastError(0xdeadbeef);
    assert_true(pTransmitPackets(client, el, 3, 0, NULL, 0));
    assert_int_equal(WSAGetLastError(), 0);
    recv_all(server, got, 13);
    assert_memory_equal(got, "one,two,three", 13);
    closesocket(client);
    closesocket(server);
}

static void test_an_overlapped_TransmitPackets_with_a_file_completes_through_its_event(
    void **state)
{
    static char contents[FILE_BYTES], got[FILE_BYTES + 32];
    char head[] = "<<", tail[] = ">>";
    TRANSMIT_PACKETS_ELEMENT el[3];
    OVERLAPPED ov = {0};
    SOCKET client, server;
    HANDLE file = temp_file(contents);
    DWORD sent, flags;
    (void)state;

    memset(el, 0, sizeof(el));
    el[0].dwElFlags = el[2].dwElFlags = TP_ELEMENT_MEMORY;
    el[1].dwElFlags = TP_ELEMENT_FILE;
    el[0].cLength = el[2].cLength = 2;
    el[0].pBuffer = head;
    el[1].hFile = file;
    el[1].nFileOffset.QuadPart = 0;
    el[2].pBuffer = tail;
    ov.hEvent = new_event();
    ws_test_tcp_pair(AF_INET, &client, &server);
    if (!pTransmitPackets(client, el, 3, 0, &ov, 0))
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    recv_all(server, got, 2 + FILE_BYTES + 2);
    assert_memory_equal(got, "<<", 2);
    assert_memory_equal(got + 2, contents, FILE_BYTES);
    assert_memory_equal(got + 2 + FILE_BYTES, ">>", 2);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(client, &ov, &sent, FALSE, &flags));
    CloseHandle(ov.hEvent);
    CloseHandle(file);
    closesocket(client);
    closesocket(server);
}

static void test_TransmitPackets_refuses_what_it_cannot_send_in_one_request(void **state)
{
    char a[] = "x";
    TRANSMIT_PACKETS_ELEMENT el[2];
    SOCKET client, server, udp_a, udp_b, lone = tcp_socket(AF_INET);
    struct sockaddr_storage addr_b;
    int len_b;
    (void)state;
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = el[1].dwElFlags = TP_ELEMENT_MEMORY | TP_ELEMENT_EOP;
    el[0].cLength = el[1].cLength = 1;
    el[0].pBuffer = el[1].pBuffer = a;
    ws_test_tcp_pair(AF_INET, &client, &server);
    /* Not connected, bad flags, an element neither memory nor file. */
    assert_wsa_error(pTransmitPackets(lone, el, 1, 0, NULL, 0), FALSE, WSAENOTCONN);
    assert_wsa_error(pTransmitPackets(client, el, 1, 0, NULL, 0x80000000), FALSE, WSAEINVAL);
    assert_wsa_error(pTransmitPackets(client, el, 1, 0, NULL, TF_REUSE_SOCKET), FALSE, WSAEINVAL);
    el[1].dwElFlags = 0;
    assert_wsa_error(pTransmitPackets(client, el, 2, 0, NULL, 0), FALSE, WSAEINVAL);
    /* ... both at once, or with a flag nobody defines. */
    el[1].dwElFlags = TP_ELEMENT_MEMORY | TP_ELEMENT_FILE;
    assert_wsa_error(pTransmitPackets(client, el, 2, 0, NULL, 0), FALSE, WSAEINVAL);
    el[1].dwElFlags = TP_ELEMENT_MEMORY | 0x100;
    assert_wsa_error(pTransmitPackets(client, el, 2, 0, NULL, 0), FALSE, WSAEINVAL);
    /* Two datagrams at once. */
    ws_test_udp_pair(AF_INET, &udp_a, &udp_b, &addr_b, &len_b);
    assert_int_equal(connect(udp_a, (struct sockaddr *)&addr_b, len_b), 0);
    el[1].dwElFlags = TP_ELEMENT_MEMORY | TP_ELEMENT_EOP;
    assert_wsa_error(pTransmitPackets(udp_a, el, 2, 0, NULL, 0), FALSE, WSAEINVAL);
    /* One datagram is fine. */
    assert_true(pTransmitPackets(udp_a, el, 1, 0, NULL, 0));
    assert_wsa_error(pTransmitPackets(INVALID_SOCKET, el, 1, 0, NULL, 0), FALSE, WSAENOTSOCK);
    closesocket(udp_a);
    closesocket(udp_b);
    closesocket(lone);
    closesocket(client);
    closesocket(server);
}

/* ---- WSASendMsg ---- */

static void test_WSASendMsg_sends_one_datagram_gathered_from_its_buffers(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    char got[16];
    WSABUF bufs[2] = {{5, "hello"}, {6, " world"}};
    WSAMSG msg = {0};
    DWORD sent = 0;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    msg.name = (struct sockaddr *)&addr_b;
    msg.namelen = len_b;
    msg.lpBuffers = bufs;
    msg.dwBufferCount = 2;
    WSASetLastError(0xdeadbeef);
    assert_int_equal(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(sent, 11);
    assert_int_equal(recv(b, got, sizeof(got), 0), 11);
    assert_memory_equal(got, "hello world", 11);
    /* The same function through the extension pointer. */
    assert_int_equal(pWSASendMsg(a, &msg, 0, &sent, NULL, NULL), 0);
    assert_int_equal(recv(b, got, sizeof(got), 0), 11);
    closesocket(a);
    closesocket(b);
}

/* IP_PKTINFO choosing the source address: taken when it names the address the send leaves from
   (or none); refused when it asks for what Wine's device cannot do. */
static void test_WSASendMsg_honours_IP_PKTINFO_or_refuses_it(void **state)
{
    SOCKET a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), b;
    struct sockaddr_in to = {0}, from;
    int len = sizeof(to), from_len = sizeof(from);
    char control[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))] = {0}, got[4];
    WSACMSGHDR *c = (WSACMSGHDR *)control;
    IN_PKTINFO *pkt = (IN_PKTINFO *)WSA_CMSG_DATA(c);
    WSABUF buf = {1, "p"};
    WSAMSG msg = {0};
    DWORD sent = 0;
    (void)state;

    b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(b, (struct sockaddr *)&to, len), 0);
    assert_int_equal(getsockname(b, (struct sockaddr *)&to, &len), 0);
    msg.name = (struct sockaddr *)&to;
    msg.namelen = len;
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    c->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;

    /* The source the route to 127.0.0.1 uses anyway. */
    pkt->ipi_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), 0);
    assert_int_equal(sent, 1);
    assert_int_equal(recvfrom(b, got, sizeof(got), 0, (struct sockaddr *)&from, &from_len), 1);
    assert_int_equal(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    /* No address: the system's choice. */
    pkt->ipi_addr.s_addr = 0;
    assert_int_equal(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), 0);
    assert_int_equal(recv(b, got, sizeof(got), 0), 1);
    /* Another source than the route's: the device cannot send from it. */
    pkt->ipi_addr.s_addr = htonl(0x7f000002);
    assert_socket_error(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), WSAEINVAL);
    /* Control data of a kind the device cannot carry. */
    pkt->ipi_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->cmsg_type = IP_TOS;
    assert_socket_error(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), WSAEINVAL);
    closesocket(a);
    closesocket(b);
}

/* A message given to an unbound socket binds it, even when the call fails for want of the byte
   count, as Windows does. */
static void test_WSASendMsg_binds_an_unbound_socket_even_when_it_fails(void **state)
{
    SOCKET a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in to = {0}, name;
    int len = sizeof(name);
    WSABUF buf = {1, "q"};
    WSAMSG msg = {0};
    (void)state;

    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(9);
    msg.name = (struct sockaddr *)&to;
    msg.namelen = sizeof(to);
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    assert_socket_error(WSASendMsg(a, &msg, 0, NULL, NULL, NULL), WSAEFAULT);
    assert_int_equal(getsockname(a, (struct sockaddr *)&name, &len), 0);
    assert_int_equal(name.sin_addr.s_addr, htonl(INADDR_ANY));
    assert_int_not_equal(name.sin_port, 0);
    closesocket(a);
}

static void test_WSASendMsg_fails_as_its_page_lists(void **state)
{
    SOCKET a, b, tcp = tcp_socket(AF_INET);
    struct sockaddr_storage addr_b;
    int len_b;
    WSABUF buf = {1, "x"};
    WSAMSG msg = {0};
    DWORD sent;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    msg.name = (struct sockaddr *)&addr_b;
    msg.namelen = len_b;
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    assert_socket_error(WSASendMsg(INVALID_SOCKET, &msg, 0, &sent, NULL, NULL), WSAENOTSOCK);
    assert_socket_error(WSASendMsg(a, NULL, 0, &sent, NULL, NULL), WSAEFAULT);
    /* The byte count may be left out only for an overlapped send. */
    assert_socket_error(WSASendMsg(a, &msg, 0, NULL, NULL, NULL), WSAEFAULT);
    /* Datagram and raw sockets only. */
    assert_socket_error(WSASendMsg(tcp, &msg, 0, &sent, NULL, NULL), WSAEINVAL);
    assert_socket_error(WSASendMsg(a, &msg, MSG_PEEK, &sent, NULL, NULL), WSAEOPNOTSUPP);
    msg.name = NULL;
    assert_socket_error(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), WSAEFAULT);
    msg.name = (struct sockaddr *)&addr_b;
    /* A name length that cannot be a length. */
    msg.namelen = -1;
    assert_socket_error(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), WSAEFAULT);
    msg.namelen = len_b;
    msg.Control.len = 8;
    assert_socket_error(WSASendMsg(a, &msg, 0, &sent, NULL, NULL), WSAEFAULT);
    closesocket(tcp);
    closesocket(a);
    closesocket(b);
}

static void test_an_overlapped_WSASendMsg_completes_through_its_event(void **state)
{
    SOCKET a, b;
    struct sockaddr_storage addr_b;
    int len_b;
    char got[8];
    WSABUF buf = {4, "ping"};
    WSAMSG msg = {0};
    WSAOVERLAPPED ov = {0};
    DWORD sent = 0, flags = 0;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &addr_b, &len_b);
    msg.name = (struct sockaddr *)&addr_b;
    msg.namelen = len_b;
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    ov.hEvent = new_event();
    int ret = WSASendMsg(a, &msg, 0, NULL, &ov, NULL);
    assert_true(ret == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(a, &ov, &sent, FALSE, &flags));
    assert_int_equal(sent, 4);
    assert_int_equal(recv(b, got, sizeof(got), 0), 4);
    closesocket(a);
    closesocket(b);
    CloseHandle(ov.hEvent);
}

/* ---- the final WSACleanup ---- */

static void test_the_final_WSACleanup_aborts_a_pending_AcceptEx_without_signalling_its_event(
    void **state)
{
    struct sockaddr_storage addr;
    int len;
    char buf[2 * ADDR_ROOM];
    DWORD bytes;
    OVERLAPPED ov = {0};
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len), acceptor = tcp_socket(AF_INET);
    (void)state;
    ov.hEvent = new_event();
    assert_wsa_error(pAcceptEx(listener, acceptor, buf, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov),
                     FALSE, ERROR_IO_PENDING);
    /* The group's WSAStartup is the only one: this is the final cleanup. */
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(ov.Internal, STATUS_CANCELLED_);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT);
    CloseHandle(ov.hEvent);
    assert_int_equal(ws_test_startup(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_documented_extension_GUID_yields_a_function),
        cmocka_unit_test(test_the_WSASendMsg_extension_is_the_exported_function),
        cmocka_unit_test(test_an_unknown_GUID_fails_with_WSAEINVAL_and_leaves_the_byte_count),
        cmocka_unit_test(test_a_short_output_or_input_buffer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_an_overlapped_lookup_also_completes_through_the_completion_port),
        cmocka_unit_test(test_a_lookup_with_a_completion_routine_queues_the_routine),
        cmocka_unit_test(
            test_AcceptEx_without_receive_data_completes_on_connect_with_both_addresses),
        cmocka_unit_test(test_AcceptEx_over_IPv6_reports_IPv6_addresses),
        cmocka_unit_test(test_AcceptEx_with_receive_data_completes_when_the_first_data_arrives),
        cmocka_unit_test(test_AcceptEx_completes_through_a_completion_port),
        cmocka_unit_test(test_AcceptEx_without_an_OVERLAPPED_fails_with_ERROR_INVALID_PARAMETER),
        cmocka_unit_test(
            test_AcceptEx_with_a_non_socket_fails_with_WSAENOTSOCK_and_marks_it_pending),
        cmocka_unit_test(
            test_AcceptEx_without_a_buffer_or_remote_address_room_fails_with_WSAEFAULT),
        cmocka_unit_test(test_AcceptEx_on_a_socket_that_does_not_listen_fails_with_WSAEINVAL),
        cmocka_unit_test(test_AcceptEx_into_a_UDP_bound_or_busy_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_GetAcceptExSockaddrs_leaves_the_outputs_of_an_empty_block_alone),
        cmocka_unit_test(test_ConnectEx_on_an_unbound_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_ConnectEx_on_a_listening_socket_fails_with_WSAEINVAL),
        cmocka_unit_test(test_ConnectEx_without_an_OVERLAPPED_fails_with_ERROR_INVALID_PARAMETER),
        cmocka_unit_test(test_ConnectEx_on_a_non_socket_or_with_a_short_name_fails),
        cmocka_unit_test(test_ConnectEx_on_a_connected_socket_fails_with_WSAEISCONN),
        cmocka_unit_test(test_ConnectEx_with_send_data_connects_and_sends_it),
        cmocka_unit_test(test_ConnectEx_to_a_closed_port_completes_with_WSAECONNREFUSED),
        cmocka_unit_test(test_DisconnectEx_on_an_unconnected_socket_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_DisconnectEx_with_unknown_flags_or_reserved_fails_with_WSAEINVAL),
        cmocka_unit_test(test_an_overlapped_DisconnectEx_pends_and_the_peer_sees_the_end),
        cmocka_unit_test(test_a_synchronous_DisconnectEx_succeeds),
        cmocka_unit_test(test_DisconnectEx_with_TF_REUSE_SOCKET_lets_AcceptEx_take_the_handle_again),
        cmocka_unit_test(test_TransmitFile_sends_the_head_the_file_and_the_tail_in_order),
        cmocka_unit_test(test_an_overlapped_TransmitFile_starts_at_the_OVERLAPPED_offset),
        cmocka_unit_test(test_TransmitFile_with_TF_DISCONNECT_ends_the_sending_side),
        cmocka_unit_test(test_TransmitFile_on_an_unconnected_or_UDP_socket_fails_with_WSAENOTCONN),
        cmocka_unit_test(test_TransmitFile_with_TF_REUSE_SOCKET_alone_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSARecvMsg_returns_IP_PKTINFO_control_data_over_UDP_IPv4),
        cmocka_unit_test(test_WSARecvMsg_returns_IPV6_PKTINFO_control_data_over_UDP_IPv6),
        cmocka_unit_test(test_WSARecvMsg_returns_the_TTL_and_the_TOS_over_UDP_IPv4_when_asked),
        cmocka_unit_test(
            test_WSARecvMsg_returns_the_hop_limit_and_the_traffic_class_over_UDP_IPv6_when_asked),
        cmocka_unit_test(
            test_WSARecvMsg_with_a_short_control_buffer_fails_with_WSAEMSGSIZE_and_MSG_CTRUNC),
        cmocka_unit_test(test_an_overlapped_WSARecvMsg_with_a_short_control_buffer_sets_MSG_CTRUNC),
        cmocka_unit_test(test_a_WSARecvMsg_truncated_at_once_still_pends_and_completes_once),
        cmocka_unit_test(
            test_WSARecvMsg_with_missing_or_inconsistent_pointers_fails_with_WSAEFAULT),
        cmocka_unit_test(test_WSARecvMsg_with_MSG_PEEK_on_a_stream_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_an_overlapped_WSARecvMsg_completes_through_its_event),
        cmocka_unit_test(test_an_overlapped_WSARecvMsg_runs_its_completion_routine),
        cmocka_unit_test(test_TransmitPackets_sends_buffers_in_order),
        cmocka_unit_test(
            test_an_overlapped_TransmitPackets_with_a_file_completes_through_its_event),
        cmocka_unit_test(test_TransmitPackets_refuses_what_it_cannot_send_in_one_request),
        cmocka_unit_test(test_WSASendMsg_sends_one_datagram_gathered_from_its_buffers),
        cmocka_unit_test(test_WSASendMsg_fails_as_its_page_lists),
        cmocka_unit_test(test_WSASendMsg_honours_IP_PKTINFO_or_refuses_it),
        cmocka_unit_test(test_WSASendMsg_binds_an_unbound_socket_even_when_it_fails),
        cmocka_unit_test(test_an_overlapped_WSASendMsg_completes_through_its_event),
        cmocka_unit_test(
            test_the_final_WSACleanup_aborts_a_pending_AcceptEx_without_signalling_its_event),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, setup, ws_test_cleanup);
}
