/*
 * The upcalls ws2_32 exports directly: WPUCompleteOverlappedRequest, WPUGetProviderPathEx, and
 * WSAProviderCompleteAsyncCall.
 */
#include "ws_test.h"
#include <ws2spi.h>

int WSPAPI WPUGetProviderPathEx(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                LPINT lpProviderDllPathLen, LPINT lpErrno);

static void test_WPUCompleteOverlappedRequest_stores_the_result_and_sets_the_event(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAOVERLAPPED ov = {0};
    DWORD bytes = 0, flags = 0;
    int err = 0x5eed;
    (void)state;
    assert_true(s != INVALID_SOCKET);
    ov.hEvent = WSACreateEvent();
    WSASetLastError(0x5eed);
    assert_int_equal(WPUCompleteOverlappedRequest(s, &ov, 0, 1234, &err), 0);
    /* Success leaves lpErrno and the last error alone. */
    assert_int_equal(err, 0x5eed);
    assert_int_equal(WSAGetLastError(), 0x5eed);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 1234);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

static void test_WPUCompleteOverlappedRequest_reports_the_error_given(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov = {0};
    DWORD bytes = 0, flags = 0;
    int err = 0;
    (void)state;
    ov.hEvent = WSACreateEvent();
    assert_int_equal(WPUCompleteOverlappedRequest(s, &ov, WSAECONNRESET, 7, &err), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_false(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAECONNRESET);
    assert_int_equal(bytes, 7);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

static void test_WPUCompleteOverlappedRequest_queues_a_packet_to_the_sockets_port(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 0x77, 0);
    WSAOVERLAPPED ov = {0};
    OVERLAPPED *got = NULL;
    ULONG_PTR key = 0;
    DWORD bytes = 0;
    int err = 0;
    (void)state;
    assert_non_null(port);
    assert_int_equal(WPUCompleteOverlappedRequest(s, &ov, 0, 99, &err), 0);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_ptr_equal(got, &ov);
    assert_int_equal(key, 0x77);
    ws_known_gap_if(bytes, 0, "the socket device's completion packet carries no byte count");
    assert_int_equal(bytes, 99);
    CloseHandle(port);
    closesocket(s);
}

static void test_WPUCompleteOverlappedRequest_packet_carries_the_error(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 0x78, 0);
    WSAOVERLAPPED ov = {0};
    OVERLAPPED *got = NULL;
    ULONG_PTR key = 0;
    DWORD bytes = 0, flags = 0;
    int err = 0;
    (void)state;
    assert_int_equal(WPUCompleteOverlappedRequest(s, &ov, WSAENETRESET, 0, &err), 0);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_int_equal(GetLastError(), WSAENETRESET);
    assert_ptr_equal(got, &ov);
    /* The OVERLAPPED says the same. */
    assert_false(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAENETRESET);
    CloseHandle(port);
    closesocket(s);
}

static void test_WPUCompleteOverlappedRequest_with_low_bit_event_queues_no_packet(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 1, 0);
    HANDLE event = WSACreateEvent();
    WSAOVERLAPPED ov = {0};
    OVERLAPPED *got = NULL;
    ULONG_PTR key = 0;
    DWORD bytes = 0;
    int err = 0;
    (void)state;
    ov.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    assert_int_equal(WPUCompleteOverlappedRequest(s, &ov, 0, 3, &err), 0);
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    WSACloseEvent(event);
    CloseHandle(port);
    closesocket(s);
}

static void test_WPUCompleteOverlappedRequest_on_a_non_socket_fails_with_WSAEINVAL(void **state)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov = {0};
    int err = 0;
    (void)state;
    ov.hEvent = event;
    assert_int_equal(WPUCompleteOverlappedRequest((SOCKET)event, &ov, 0, 0, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(INVALID_SOCKET, &ov, 0, 0, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    CloseHandle(event);
}

static void test_WPUGetProviderPathEx_gives_the_catalogs_provider_path(void **state)
{
    WSAPROTOCOL_INFOW info[64];
    DWORD size = sizeof(info);
    WCHAR path[MAX_PATH], expected[MAX_PATH];
    int len = MAX_PATH, expected_len = MAX_PATH, err = 0, n;
    GUID bogus = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
    (void)state;
    n = WSAEnumProtocolsW(NULL, info, &size);
    assert_true(n > 0);
    assert_int_equal(WSCGetProviderPath(&info[0].ProviderId, expected, &expected_len, &err), 0);
    assert_int_equal(WPUGetProviderPathEx(&info[0].ProviderId, path, &len, &err), 0);
    assert_true(!wcscmp(path, expected));
    assert_int_equal(WPUGetProviderPathEx(&bogus, path, &len, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
}

static void test_WSAProviderCompleteAsyncCall_with_NULL_fails_with_WSAEINVAL(void **state)
{
    (void)state;
    assert_socket_error(WSAProviderCompleteAsyncCall(NULL, 0), WSAEINVAL);
    /* No asynchronous namespace call is ever outstanding. */
    assert_socket_error(WSAProviderCompleteAsyncCall((HANDLE)0x1234, 0), WSAEINVAL);
}

static void test_WSAProviderCompleteAsyncCall_before_WSAStartup_fails_with_WSANOTINITIALISED(
    void **state)
{
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(WSAProviderCompleteAsyncCall((HANDLE)0x1234, 0), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_WPUCompleteOverlappedRequest_stores_the_result_and_sets_the_event),
    cmocka_unit_test(test_WPUCompleteOverlappedRequest_reports_the_error_given),
    cmocka_unit_test(test_WPUCompleteOverlappedRequest_queues_a_packet_to_the_sockets_port),
    cmocka_unit_test(test_WPUCompleteOverlappedRequest_packet_carries_the_error),
    cmocka_unit_test(test_WPUCompleteOverlappedRequest_with_low_bit_event_queues_no_packet),
    cmocka_unit_test(test_WPUCompleteOverlappedRequest_on_a_non_socket_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WPUGetProviderPathEx_gives_the_catalogs_provider_path),
    cmocka_unit_test(test_WSAProviderCompleteAsyncCall_with_NULL_fails_with_WSAEINVAL),
    cmocka_unit_test(
        test_WSAProviderCompleteAsyncCall_before_WSAStartup_fails_with_WSANOTINITIALISED),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
