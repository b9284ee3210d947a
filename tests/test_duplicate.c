/* WSADuplicateSocketA/W and WSASocket with the structure they fill: the documented errors,
   the protocol description, and a socket shared within the process and with a child process,
   each side using and closing its own copy. */
#include "ws_test.h"

static void test_WSADuplicateSocket_checks_socket_then_process_then_buffer(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAPROTOCOL_INFOA info;
    (void)state;

    assert_socket_error(WSADuplicateSocketA(0, 0, NULL), WSAENOTSOCK);
    assert_socket_error(WSADuplicateSocketA(s, 0, NULL), WSAEINVAL);
    assert_socket_error(WSADuplicateSocketA(s, ~0u, &info), WSAEINVAL);
    assert_socket_error(WSADuplicateSocketA(0, GetCurrentProcessId(), &info), WSAENOTSOCK);
    assert_socket_error(WSADuplicateSocketA(s, GetCurrentProcessId(), NULL), WSAEFAULT);
    assert_socket_error(WSADuplicateSocketW(s, GetCurrentProcessId(), (WSAPROTOCOL_INFOW *)1),
                        WSAEFAULT);
    closesocket(s);
}

static void test_WSADuplicateSocket_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    WSAPROTOCOL_INFOW info;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(WSADuplicateSocketW((SOCKET)4, GetCurrentProcessId(), &info),
                        WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_WSADuplicateSocket_describes_the_socket_as_SO_PROTOCOL_INFO_does(void **state)
{
    static const struct {
        int af, type, protocol;
    } kinds[] = {
        {AF_INET, SOCK_STREAM, IPPROTO_TCP},
        {AF_INET, SOCK_DGRAM, IPPROTO_UDP},
        {AF_INET6, SOCK_STREAM, IPPROTO_TCP},
        {AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
    };
    (void)state;

    for (size_t i = 0; i < ARRAYSIZE(kinds); i++) {
        SOCKET s = socket(kinds[i].af, kinds[i].type, kinds[i].protocol);
        WSAPROTOCOL_INFOW dup, expected;
        WSAPROTOCOL_INFOA dupa;
        int len = sizeof(expected);

        assert_true(s != INVALID_SOCKET);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&expected, &len), 0);
        memset(&dup, 0, sizeof(dup));
        assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &dup), 0);
        assert_int_equal(dup.iAddressFamily, kinds[i].af);
        assert_int_equal(dup.iSocketType, kinds[i].type);
        assert_int_equal(dup.iProtocol, kinds[i].protocol);
        assert_int_equal(dup.dwServiceFlags1, expected.dwServiceFlags1);
        assert_int_equal(dup.dwCatalogEntryId, expected.dwCatalogEntryId);
        assert_memory_equal(&dup.ProviderId, &expected.ProviderId, sizeof(GUID));
        assert_true(wcscmp(dup.szProtocol, expected.szProtocol) == 0);
        /* The handle for the target process travels in dwProviderReserved. */
        assert_true(dup.dwProviderReserved != 0);
        assert_true(dup.dwProviderReserved != (DWORD)s);
        CloseHandle((HANDLE)(ULONG_PTR)dup.dwProviderReserved);

        memset(&dupa, 0, sizeof(dupa));
        assert_int_equal(WSADuplicateSocketA(s, GetCurrentProcessId(), &dupa), 0);
        assert_int_equal(dupa.iAddressFamily, kinds[i].af);
        assert_int_equal(dupa.iSocketType, kinds[i].type);
        assert_int_equal(dupa.iProtocol, kinds[i].protocol);
        assert_true(dupa.szProtocol[0] != 0);
        assert_true(dupa.dwProviderReserved != 0);
        CloseHandle((HANDLE)(ULONG_PTR)dupa.dwProviderReserved);
        closesocket(s);
    }
}

static void test_WSASocket_from_a_duplicate_shares_the_socket_in_the_same_process(void **state)
{
    SOCKET source = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0), dup;
    WSAPROTOCOL_INFOA info;
    struct sockaddr_storage addr;
    int len, type = 0, size = sizeof(type), rcvbuf = 0, n;
    char buf[8];
    (void)state;

    memset(&info, 0, sizeof(info));
    assert_int_equal(WSADuplicateSocketA(source, GetCurrentProcessId(), &info), 0);
    len = ws_test_loopback(AF_INET, 0, &addr);
    assert_int_equal(bind(source, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(getsockname(source, (struct sockaddr *)&addr, &len), 0);

    dup = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    assert_true(dup != INVALID_SOCKET);
    assert_true(dup != source);
    assert_int_equal(getsockopt(dup, SOL_SOCKET, SO_TYPE, (char *)&type, &size), 0);
    assert_int_equal(type, SOCK_DGRAM);
    /* Options held by the socket are the duplicate's too. */
    n = 65536;
    assert_int_equal(setsockopt(source, SOL_SOCKET, SO_RCVBUF, (char *)&n, sizeof(n)), 0);
    size = sizeof(rcvbuf);
    assert_int_equal(getsockopt(dup, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, &size), 0);
    assert_int_equal(rcvbuf, 65536);
    /* What is sent to the source's address is read from the duplicate. */
    assert_int_equal(sendto(source, "dup", 4, 0, (struct sockaddr *)&addr, len), 4);
    assert_int_equal(recvfrom(dup, buf, sizeof(buf), 0, NULL, NULL), 4);
    assert_string_equal(buf, "dup");
    /* Closing the duplicate leaves the source working. */
    assert_int_equal(closesocket(dup), 0);
    assert_int_equal(sendto(source, "src", 4, 0, (struct sockaddr *)&addr, len), 4);
    assert_int_equal(recvfrom(source, buf, sizeof(buf), 0, NULL, NULL), 4);
    assert_string_equal(buf, "src");
    closesocket(source);
}

static void test_WSASocket_with_a_stale_duplicate_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAPROTOCOL_INFOW info;
    (void)state;

    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    CloseHandle((HANDLE)(ULONG_PTR)info.dwProviderReserved);
    assert_wsa_error(
        WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0),
        INVALID_SOCKET, WSAEINVAL);
    closesocket(s);
}

/* Run dup_child (beside this program) on a duplicate of SERVER; the child answers the peer's
   "ping" with "pong" and ends as MODE says. Returns the child's exit code. */
static DWORD run_child(SOCKET server, SOCKET client, const char *mode)
{
    char path[MAX_PATH], command[2 * MAX_PATH], name[64], *slash, buf[4];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    WSAPROTOCOL_INFOW *shared;
    HANDLE mapping;
    DWORD code = 0xdead, timeout = 30000;
    int got = 0, n;

    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    assert_true(GetModuleFileNameA(NULL, path, sizeof(path)) > 0);
    assert_non_null(slash = strrchr(path, '\\'));
    strcpy(slash + 1, "dup_child.exe");
    snprintf(name, sizeof(name), "openws2-dup-test-%lu", GetCurrentProcessId());
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                 sizeof(WSAPROTOCOL_INFOW), name);
    assert_non_null(mapping);
    assert_non_null(shared = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, sizeof(*shared)));
    snprintf(command, sizeof(command), "\"%s\" %s %s", path, name, mode);
    /* No handle inheritance: the child gets the socket only through the structure. */
    assert_true(
        CreateProcessA(path, command, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi));
    assert_int_equal(WSADuplicateSocketW(server, pi.dwProcessId, shared), 0);
    ResumeThread(pi.hThread);

    assert_int_equal(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)),
                     0);
    assert_int_equal(send(client, "ping", 4, 0), 4);
    while (got < 4 && (n = recv(client, buf + got, 4 - got, 0)) > 0) got += n;
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "pong", 4);
    assert_int_equal(WaitForSingleObject(pi.hProcess, 30000), WAIT_OBJECT_0);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    UnmapViewOfFile(shared);
    CloseHandle(mapping);
    return code;
}

/* After the child is gone, the parent's copy still carries data both ways. */
static void assert_pair_works(SOCKET client, SOCKET server)
{
    char buf[8];
    assert_int_equal(send(server, "more", 5, 0), 5);
    assert_int_equal(recv(client, buf, sizeof(buf), 0), 5);
    assert_string_equal(buf, "more");
    assert_int_equal(send(client, "back", 5, 0), 5);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 5);
    assert_string_equal(buf, "back");
}

static void test_a_child_process_uses_and_closes_its_duplicate_while_the_parent_keeps_its_own(
    void **state)
{
    SOCKET client, server;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(run_child(server, client, "close"), 0);
    assert_pair_works(client, server);
    closesocket(client);
    closesocket(server);
}

static void test_WSACleanup_in_the_child_does_not_break_the_parents_socket(void **state)
{
    SOCKET client, server;
    (void)state;

    ws_test_tcp_pair(AF_INET6, &client, &server);
    assert_int_equal(run_child(server, client, "cleanup"), 0);
    assert_pair_works(client, server);
    closesocket(client);
    closesocket(server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSADuplicateSocket_checks_socket_then_process_then_buffer),
        cmocka_unit_test(test_WSADuplicateSocket_before_WSAStartup_fails_with_WSANOTINITIALISED),
        cmocka_unit_test(test_WSADuplicateSocket_describes_the_socket_as_SO_PROTOCOL_INFO_does),
        cmocka_unit_test(test_WSASocket_from_a_duplicate_shares_the_socket_in_the_same_process),
        cmocka_unit_test(test_WSASocket_with_a_stale_duplicate_fails_with_WSAEINVAL),
        cmocka_unit_test(
            test_a_child_process_uses_and_closes_its_duplicate_while_the_parent_keeps_its_own),
        cmocka_unit_test(test_WSACleanup_in_the_child_does_not_break_the_parents_socket),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
