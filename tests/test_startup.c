/* WSAStartup / WSACleanup as their reference pages state them. */
#include "ws_test.h"
#include <psapi.h>

static void check_negotiation(WORD requested, WORD expected)
{
    WSADATA data;
    memset(&data, 0xcc, sizeof(data));
    assert_int_equal(WSAStartup(requested, &data), 0);
    assert_int_equal(data.wVersion, expected);
    assert_int_equal(data.wHighVersion, MAKEWORD(2, 2));
    assert_string_equal(data.szDescription, "WinSock 2.0");
    assert_string_equal(data.szSystemStatus, "Running");
    if (LOBYTE(requested) == 1) {
        assert_int_equal(data.iMaxSockets, 32767);
        assert_int_equal(data.iMaxUdpDg, 65467);
    } else {
        assert_int_equal(data.iMaxSockets, 0);
        assert_int_equal(data.iMaxUdpDg, 0);
    }
    assert_int_equal(WSACleanup(), 0);
}

/* Windows leaves lpVendorInfo as the caller had it, and a successful WSACleanup, nested or
   final, clears the last error. */
static void test_WSAStartup_leaves_lpVendorInfo_and_WSACleanup_clears_the_last_error(void **state)
{
    WSADATA data;
    (void)state;
    memset(&data, 0xcc, sizeof(data));
    data.lpVendorInfo = (char *)(ULONG_PTR)0xdeadbeef;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_ptr_equal(data.lpVendorInfo, (char *)(ULONG_PTR)0xdeadbeef);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    WSASetLastError(0xdeadbeef);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(WSAGetLastError(), 0);
    WSASetLastError(0xdeadbeef);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(WSAGetLastError(), 0);
}

static void test_WSAStartup_negotiates_each_version_as_the_reference_table_says(void **state)
{
    (void)state;
    check_negotiation(MAKEWORD(1, 0), MAKEWORD(1, 0));
    check_negotiation(MAKEWORD(1, 1), MAKEWORD(1, 1));
    check_negotiation(MAKEWORD(1, 2), MAKEWORD(1, 1));
    check_negotiation(MAKEWORD(1, 255), MAKEWORD(1, 1));
    check_negotiation(MAKEWORD(2, 0), MAKEWORD(2, 0));
    check_negotiation(MAKEWORD(2, 1), MAKEWORD(2, 1));
    check_negotiation(MAKEWORD(2, 2), MAKEWORD(2, 2));
    check_negotiation(MAKEWORD(2, 3), MAKEWORD(2, 2));
    check_negotiation(MAKEWORD(3, 0), MAKEWORD(2, 2));
    check_negotiation(MAKEWORD(255, 255), MAKEWORD(2, 2));
}

static void test_WSAStartup_with_major_version_0_fails_with_WSAVERNOTSUPPORTED(void **state)
{
    WSADATA data;
    (void)state;
    memset(&data, 0, sizeof(data));
    assert_int_equal(WSAStartup(MAKEWORD(0, 0), &data), WSAVERNOTSUPPORTED);
    assert_int_equal(WSAStartup(MAKEWORD(0, 2), &data), WSAVERNOTSUPPORTED);
    /* It reports what it would support, and counts nothing: cleanup has nothing to undo. */
    assert_int_equal(data.wVersion, MAKEWORD(2, 2));
    WSASetLastError(0);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
}

static void test_WSAStartup_with_null_data_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
}

static void test_WSAStartup_with_bad_data_pointer_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), (WSADATA *)(ULONG_PTR)0x10), WSAEFAULT);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
}

static void test_WSACleanup_without_startup_fails_with_WSANOTINITIALISED(void **state)
{
    (void)state;
    WSASetLastError(0);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
}

static void test_calls_before_startup_fail_with_WSANOTINITIALISED(void **state)
{
    char buf[4];
    (void)state;
    WSASetLastError(0);
    assert_wsa_error(socket(AF_INET, SOCK_STREAM, 0), INVALID_SOCKET, WSANOTINITIALISED);
    assert_socket_error(closesocket((SOCKET)4), WSANOTINITIALISED);
    assert_socket_error(recv((SOCKET)4, buf, sizeof(buf), 0), WSANOTINITIALISED);
    assert_socket_error(send((SOCKET)4, buf, sizeof(buf), 0), WSANOTINITIALISED);
}

static void test_every_startup_needs_its_own_cleanup(void **state)
{
    WSADATA data;
    SOCKET s;
    (void)state;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    /* The first cleanup only decrements: sockets keep working. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(WSACleanup(), 0);
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    /* The final one closes it; after a new startup the old handle is not a socket. */
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(bind(s, (struct sockaddr *)&addr, len), WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_socket_error(closesocket(s), WSAENOTSOCK);
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
}

static void test_last_error_is_the_threads_last_error(void **state)
{
    (void)state;
    WSASetLastError(WSAEWOULDBLOCK);
    assert_int_equal(GetLastError(), WSAEWOULDBLOCK);
    SetLastError(ERROR_FILE_NOT_FOUND);
    assert_int_equal(WSAGetLastError(), ERROR_FILE_NOT_FOUND);
}

static DWORD WINAPI other_thread_error(void *arg)
{
    (void)arg;
    WSASetLastError(WSAECONNRESET);
    return WSAGetLastError();
}

static void test_last_error_is_per_thread(void **state)
{
    DWORD code;
    (void)state;
    WSASetLastError(WSAEINTR);
    HANDLE t = CreateThread(NULL, 0, other_thread_error, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    assert_int_equal(code, WSAECONNRESET);
    assert_int_equal(WSAGetLastError(), WSAEINTR);
}

#define RACE_THREADS 16
#define RACE_ROUNDS 200
static volatile LONG race_failures;

static DWORD WINAPI startup_cleanup_loop(void *arg)
{
    WSADATA data;
    (void)arg;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        if (WSAStartup(MAKEWORD(2, 2), &data)) InterlockedIncrement(&race_failures);
        SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        /* While this thread holds a startup, its sockets must keep working. */
        if (s == INVALID_SOCKET || closesocket(s)) InterlockedIncrement(&race_failures);
        if (WSACleanup()) InterlockedIncrement(&race_failures);
    }
    return 0;
}

static void test_startup_and_cleanup_raced_from_many_threads_count_exactly(void **state)
{
    HANDLE threads[RACE_THREADS];
    WSADATA data;
    (void)state;
    race_failures = 0;
    for (int i = 0; i < RACE_THREADS; i++)
        threads[i] = CreateThread(NULL, 0, startup_cleanup_loop, NULL, 0, NULL);
    WaitForMultipleObjects(RACE_THREADS, threads, TRUE, INFINITE);
    for (int i = 0; i < RACE_THREADS; i++) CloseHandle(threads[i]);
    assert_int_equal(race_failures, 0);
    /* Every startup was matched: the count is back to zero. */
    WSASetLastError(0);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_int_equal(WSACleanup(), 0);
}

#include <tlhelp32.h>

static int count_my_threads(void)
{
    THREADENTRY32 entry = {.dwSize = sizeof(entry)};
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    int n = 0;
    assert_true(snap != INVALID_HANDLE_VALUE);
    if (Thread32First(snap, &entry)) {
        do n += entry.th32OwnerProcessID == GetCurrentProcessId();
        while (Thread32Next(snap, &entry));
    }
    CloseHandle(snap);
    return n;
}

/* WSAStartup must be safe under the loader lock (another DLL's DllMain): it may neither start
   a thread nor load a library. Both are visible from outside. */
static void test_WSAStartup_starts_no_thread_and_loads_no_library(void **state)
{
    WSADATA data;
    HMODULE before[512], after[512];
    DWORD before_size, after_size;
    (void)state;
    int threads = count_my_threads();
    assert_true(EnumProcessModules(GetCurrentProcess(), before, sizeof(before), &before_size));
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    assert_true(EnumProcessModules(GetCurrentProcess(), after, sizeof(after), &after_size));
    assert_int_equal(count_my_threads(), threads);
    assert_int_equal(after_size, before_size);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(WSACleanup(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calls_before_startup_fail_with_WSANOTINITIALISED),
        cmocka_unit_test(test_WSACleanup_without_startup_fails_with_WSANOTINITIALISED),
        cmocka_unit_test(test_WSAStartup_negotiates_each_version_as_the_reference_table_says),
        cmocka_unit_test(test_WSAStartup_leaves_lpVendorInfo_and_WSACleanup_clears_the_last_error),
        cmocka_unit_test(test_WSAStartup_with_major_version_0_fails_with_WSAVERNOTSUPPORTED),
        cmocka_unit_test(test_WSAStartup_with_null_data_fails_with_WSAEFAULT),
        cmocka_unit_test(test_WSAStartup_with_bad_data_pointer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_every_startup_needs_its_own_cleanup),
        cmocka_unit_test(test_last_error_is_the_threads_last_error),
        cmocka_unit_test(test_last_error_is_per_thread),
        cmocka_unit_test(test_startup_and_cleanup_raced_from_many_threads_count_exactly),
        cmocka_unit_test(test_WSAStartup_starts_no_thread_and_loads_no_library),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
