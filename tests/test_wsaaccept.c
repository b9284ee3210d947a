/* WSAAccept: the condition function's verdicts (CF_ACCEPT, CF_REJECT, CF_DEFER), what it is
   told about the caller and the callee, and the documented errors. */
#include "ws_test.h"

/* What the condition function saw, and what it answers. */
struct condition_log {
    int verdict;
    int calls;
    SOCKADDR_STORAGE caller, callee;
    int caller_len, callee_len;
    BOOL caller_data_null, sqos_null, gqos_null, callee_data_usable;
    DWORD_PTR data;
};

static int CALLBACK logging_condition(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos,
                                      LPQOS gqos, LPWSABUF callee_id, LPWSABUF callee_data,
                                      GROUP *g, DWORD_PTR data)
{
    struct condition_log *log = (struct condition_log *)data;
    (void)g;
    log->calls++;
    log->data = data;
    log->caller_len = caller_id ? (int)caller_id->len : -1;
    if (caller_id && caller_id->len <= sizeof(log->caller))
        memcpy(&log->caller, caller_id->buf, caller_id->len);
    log->callee_len = callee_id ? (int)callee_id->len : -1;
    if (callee_id && callee_id->len <= sizeof(log->callee))
        memcpy(&log->callee, callee_id->buf, callee_id->len);
    log->caller_data_null = caller_data == NULL;
    log->sqos_null = sqos == NULL;
    log->gqos_null = gqos == NULL;
    log->callee_data_usable = !callee_data || callee_data->len == 0;
    return log->verdict;
}

/* A listener and a client connected to it (the connection waits in the backlog). */
static void listener_with_client(int af, SOCKET *listener, SOCKET *client)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    *listener = ws_test_listener(af, &addr, &len);
    assert_true(*listener != INVALID_SOCKET);
    *client = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(*client != INVALID_SOCKET);
    assert_int_equal(connect(*client, (struct sockaddr *)&addr, len), 0);
}

static void test_WSAAccept_with_CF_ACCEPT_returns_the_connection_and_tells_the_caller_id(
    void **state)
{
    SOCKET listener, client, server;
    struct condition_log log = {.verdict = CF_ACCEPT};
    struct sockaddr_in client_addr, server_addr, peer;
    int len = sizeof(client_addr), peer_len = sizeof(peer);
    char byte = 0;
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    server = WSAAccept(listener, (struct sockaddr *)&peer, &peer_len, logging_condition,
                       (DWORD_PTR)&log);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(log.calls, 1);
    assert_true(log.data == (DWORD_PTR)&log);
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_addr, &len), 0);
    assert_int_equal(log.caller_len, sizeof(struct sockaddr_in));
    assert_memory_equal(&log.caller, &client_addr, sizeof(client_addr));
    len = sizeof(server_addr);
    assert_int_equal(getsockname(server, (struct sockaddr *)&server_addr, &len), 0);
    assert_int_equal(log.callee_len, sizeof(struct sockaddr_in));
    assert_memory_equal(&log.callee, &server_addr, sizeof(server_addr));
    assert_true(log.caller_data_null && log.sqos_null && log.gqos_null);
    assert_true(log.callee_data_usable);
    /* The address output is the caller's, as accept reports it. */
    assert_int_equal(peer_len, sizeof(peer));
    assert_memory_equal(&peer, &client_addr, sizeof(peer));
    assert_int_equal(send(client, "x", 1, 0), 1);
    assert_int_equal(recv(server, &byte, 1, 0), 1);
    assert_int_equal(byte, 'x');
    closesocket(server);
    closesocket(client);
    closesocket(listener);
}

static void test_WSAAccept_over_IPv6_tells_the_IPv6_caller_id(void **state)
{
    SOCKET listener, client, server;
    struct condition_log log = {.verdict = CF_ACCEPT};
    struct sockaddr_in6 client_addr;
    int len = sizeof(client_addr);
    (void)state;

    listener_with_client(AF_INET6, &listener, &client);
    server = WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_addr, &len), 0);
    assert_int_equal(log.caller_len, sizeof(struct sockaddr_in6));
    assert_memory_equal(&log.caller, &client_addr, sizeof(client_addr));
    closesocket(server);
    closesocket(client);
    closesocket(listener);
}

static void
test_WSAAccept_with_CF_REJECT_fails_with_WSAECONNREFUSED_and_ends_the_callers_connection(
    void **state)
{
    SOCKET listener, client;
    struct condition_log log = {.verdict = CF_REJECT};
    char byte;
    int ret, error;
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    assert_wsa_error(WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log),
                     INVALID_SOCKET, WSAECONNREFUSED);
    assert_int_equal(log.calls, 1);
    /* The caller's connection ends with a reset. */
    ret = recv(client, &byte, 1, 0);
    error = WSAGetLastError();
    closesocket(client);
    closesocket(listener);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(error, WSAECONNRESET);
}

static void test_WSAAccept_with_CF_DEFER_fails_with_WSATRY_AGAIN_and_accept_gets_it_later(
    void **state)
{
    SOCKET listener, client, server;
    struct condition_log log = {.verdict = CF_DEFER};
    struct sockaddr_in client_addr, peer;
    int len = sizeof(client_addr), peer_len = sizeof(peer);
    char byte = 0;
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    assert_int_equal(send(client, "d", 1, 0), 1);
    assert_wsa_error(WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log),
                     INVALID_SOCKET, WSATRY_AGAIN);
    server = accept(listener, (struct sockaddr *)&peer, &peer_len);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_addr, &len), 0);
    assert_memory_equal(&peer, &client_addr, sizeof(peer));
    assert_int_equal(recv(server, &byte, 1, 0), 1);
    assert_int_equal(byte, 'd');
    closesocket(server);
    closesocket(client);
    closesocket(listener);
}

static void test_WSAAccept_after_CF_DEFER_asks_the_condition_again_about_the_same_caller(
    void **state)
{
    SOCKET listener, client, server;
    struct condition_log log = {.verdict = CF_DEFER};
    SOCKADDR_STORAGE first;
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    assert_wsa_error(WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log),
                     INVALID_SOCKET, WSATRY_AGAIN);
    first = log.caller;
    log.verdict = CF_ACCEPT;
    server = WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(log.calls, 2);
    assert_memory_equal(&log.caller, &first, sizeof(struct sockaddr_in));
    assert_int_equal(send(server, "y", 1, 0), 1);
    closesocket(server);
    closesocket(client);
    closesocket(listener);
}

static void test_WSAAccept_without_condition_accepts(void **state)
{
    SOCKET listener, client, server;
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    server = WSAAccept(listener, NULL, NULL, NULL, 0);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(send(server, "z", 1, 0), 1);
    closesocket(server);
    closesocket(client);
    closesocket(listener);
}

static void test_WSAAccept_with_an_invalid_verdict_fails_with_WSAEINVAL(void **state)
{
    SOCKET listener, client;
    struct condition_log log = {.verdict = 12345};
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    assert_wsa_error(WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log),
                     INVALID_SOCKET, WSAEINVAL);
    closesocket(client);
    closesocket(listener);
}

static void test_WSAAccept_on_a_socket_not_listening_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_storage addr;
    (void)state;

    ws_test_loopback(AF_INET, 0, &addr);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), 0);
    assert_wsa_error(WSAAccept(s, NULL, NULL, NULL, 0), INVALID_SOCKET, WSAEINVAL);
    closesocket(s);
}

static void test_WSAAccept_non_blocking_without_a_connection_fails_with_WSAEWOULDBLOCK(void **state)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    struct condition_log log = {.verdict = CF_ACCEPT};
    u_long on = 1;
    (void)state;

    assert_int_equal(ioctlsocket(listener, FIONBIO, &on), 0);
    assert_wsa_error(WSAAccept(listener, NULL, NULL, logging_condition, (DWORD_PTR)&log),
                     INVALID_SOCKET, WSAEWOULDBLOCK);
    assert_int_equal(log.calls, 0);
    closesocket(listener);
}

static void test_WSAAccept_with_a_short_address_length_fails_with_WSAEFAULT(void **state)
{
    SOCKET listener, client;
    SOCKADDR_STORAGE addr;
    int len = 0;
    (void)state;

    listener_with_client(AF_INET, &listener, &client);
    assert_wsa_error(WSAAccept(listener, (struct sockaddr *)&addr, &len, NULL, 0), INVALID_SOCKET,
                     WSAEFAULT);
    assert_int_equal(len, 0);
    closesocket(client);
    closesocket(listener);
}

static void test_WSAAccept_on_a_non_socket_fails_with_WSAENOTSOCK(void **state)
{
    (void)state;
    assert_wsa_error(WSAAccept((SOCKET)0xdead0, NULL, NULL, NULL, 0), INVALID_SOCKET, WSAENOTSOCK);
}

static void test_WSAAccept_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_wsa_error(WSAAccept((SOCKET)4, NULL, NULL, NULL, 0), INVALID_SOCKET, WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_WSAAccept_with_CF_ACCEPT_returns_the_connection_and_tells_the_caller_id),
        cmocka_unit_test(test_WSAAccept_over_IPv6_tells_the_IPv6_caller_id),
        cmocka_unit_test(
            test_WSAAccept_with_CF_REJECT_fails_with_WSAECONNREFUSED_and_ends_the_callers_connection),
        cmocka_unit_test(
            test_WSAAccept_with_CF_DEFER_fails_with_WSATRY_AGAIN_and_accept_gets_it_later),
        cmocka_unit_test(
            test_WSAAccept_after_CF_DEFER_asks_the_condition_again_about_the_same_caller),
        cmocka_unit_test(test_WSAAccept_without_condition_accepts),
        cmocka_unit_test(test_WSAAccept_with_an_invalid_verdict_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSAAccept_on_a_socket_not_listening_fails_with_WSAEINVAL),
        cmocka_unit_test(
            test_WSAAccept_non_blocking_without_a_connection_fails_with_WSAEWOULDBLOCK),
        cmocka_unit_test(test_WSAAccept_with_a_short_address_length_fails_with_WSAEFAULT),
        cmocka_unit_test(test_WSAAccept_on_a_non_socket_fails_with_WSAENOTSOCK),
        cmocka_unit_test(test_WSAAccept_before_WSAStartup_fails_with_WSANOTINITIALISED),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
