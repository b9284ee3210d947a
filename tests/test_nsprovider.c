/*
 * A namespace provider DLL installed in the catalog (tests/helpers/nsp_counter.c): loaded and
 * started with NSPStartup on the first lookup after WSAStartup, asked by WSALookupService* and
 * WSANSPIoctl, and given NSPCleanup and unloaded by the final WSACleanup. The provider appends
 * each call it receives to a log file, which the tests read. The group installs it and removes it
 * again at the end.
 */
/* ctest-resource-lock: wine_catalog */
#include "ws_test.h"
#include <svcguid.h>
#include <ws2spi.h>

static GUID provider_id = {
    0x0c7d4e2f, 0x91aa, 0x4c55, {0x8e, 0x13, 0x6d, 0x20, 0xb1, 0x47, 0x3a, 0x90}};
static GUID some_class = {0x5a3b1c7d, 0x2e4f, 0x4a61, {0x9c, 0x0d, 1, 2, 3, 4, 5, 6}};
static char log_path[MAX_PATH];

static union {
    WSAQUERYSETW w;
    WSAQUERYSETA a;
    char bytes[4096];
} result;

/* The log's lines joined by spaces, then the log emptied. */
static const char *take_log(void)
{
    static char text[1024];
    DWORD got = 0;
    HANDLE file = CreateFileA(log_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, 0, NULL);
    text[0] = 0;
    if (file != INVALID_HANDLE_VALUE) {
        ReadFile(file, text, sizeof(text) - 1, &got, NULL);
        CloseHandle(file);
    }
    text[got] = 0;
    for (char *p = text; *p; p++)
        if (*p == '\n') *p = ' ';
    if (got) text[got - 1] = 0;
    DeleteFileA(log_path);
    return text;
}

static int group_setup(void **state)
{
    WCHAR path[MAX_PATH], *slash;
    char temp[MAX_PATH];

    if (ws_test_startup(state)) return -1;
    GetEnvironmentVariableA("TEMP", temp, sizeof(temp));
    snprintf(log_path, sizeof(log_path), "%s\\openws2-nsp-%lu.log", temp, GetCurrentProcessId());
    SetEnvironmentVariableA("OPENWS2_NSP_LOG", log_path);
    DeleteFileA(log_path);
    GetModuleFileNameW(NULL, path, MAX_PATH);
    if (!(slash = wcsrchr(path, L'\\'))) return -1;
    wcscpy(slash + 1, L"nsp_counter.dll");
    WSCUnInstallNameSpace(&provider_id); /* left by an earlier run that crashed */
    if (WSCInstallNameSpace((WCHAR *)L"Counting provider", path, NS_NDS, 1, &provider_id))
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    WSCUnInstallNameSpace(&provider_id);
    DeleteFileA(log_path);
    return ws_test_cleanup(state);
}

static HANDLE begin(DWORD name_space, GUID *class_id, const WCHAR *name, DWORD flags)
{
    WSAQUERYSETW q = {0};
    HANDLE h = NULL;
    q.dwSize = sizeof(q);
    q.dwNameSpace = name_space;
    q.lpServiceClassId = class_id;
    q.lpszServiceInstanceName = (WCHAR *)name;
    assert_int_equal(WSALookupServiceBeginW(&q, flags, &h), 0);
    return h;
}

static int next(HANDLE h)
{
    DWORD len = sizeof(result);
    return WSALookupServiceNextW(h, 0, &len, &result.w) ? WSAGetLastError() : 0;
}

static void test_the_provider_is_started_by_the_first_lookup_and_answers_it(void **state)
{
    struct sockaddr_in *sin;
    HANDLE h;
    (void)state;
    assert_string_equal(take_log(), "");
    h = begin(NS_NDS, &some_class, L"thing", LUP_RETURN_ALL);
    assert_string_equal(take_log(), "startup begin");

    assert_int_equal(next(h), 0);
    assert_true(!wcscmp(result.w.lpszServiceInstanceName, L"nsp:thing"));
    assert_int_equal(result.w.dwNameSpace, NS_NDS);
    assert_true(IsEqualGUID(result.w.lpServiceClassId, &some_class));
    assert_int_equal(result.w.dwNumberOfCsAddrs, 1);
    sin = (struct sockaddr_in *)result.w.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_int_equal(sin->sin_addr.s_addr, inet_addr("192.0.2.1"));
    assert_int_equal(result.w.lpcsaBuffer[0].iSocketType, SOCK_STREAM);
    assert_int_equal(result.w.lpBlob->cbSize, 4);
    assert_memory_equal(result.w.lpBlob->pBlobData, "blob", 4);
    /* The copy lives in the caller's buffer. */
    assert_true((char *)result.w.lpszServiceInstanceName > result.bytes &&
                (char *)result.w.lpszServiceInstanceName < result.bytes + sizeof(result));

    assert_int_equal(next(h), WSA_E_NO_MORE);
    assert_int_equal(WSALookupServiceEnd(h), 0);
    assert_string_equal(take_log(), "next next end");
}

static void test_the_ANSI_forms_convert_the_provider_strings(void **state)
{
    WSAQUERYSETA q = {0};
    DWORD len = sizeof(result);
    HANDLE h = NULL;
    (void)state;
    q.dwSize = sizeof(q);
    q.dwNameSpace = NS_NDS;
    q.lpServiceClassId = &some_class;
    q.lpszServiceInstanceName = (char *)"ansi";
    assert_int_equal(WSALookupServiceBeginA(&q, LUP_RETURN_NAME, &h), 0);
    assert_int_equal(WSALookupServiceNextA(h, 0, &len, &result.a), 0);
    assert_string_equal(result.a.lpszServiceInstanceName, "nsp:ansi");
    assert_int_equal(WSALookupServiceEnd(h), 0);
    take_log();
}

static void test_a_short_buffer_keeps_the_provider_set_for_the_next_call(void **state)
{
    HANDLE h = begin(NS_NDS, &some_class, L"thing", LUP_RETURN_ALL);
    DWORD len = sizeof(WSAQUERYSETW);
    (void)state;
    assert_socket_error(WSALookupServiceNextW(h, 0, &len, &result.w), WSAEFAULT);
    assert_true(len > sizeof(WSAQUERYSETW));
    assert_int_equal(WSALookupServiceNextW(h, 0, &len, &result.w), 0);
    assert_true(!wcscmp(result.w.lpszServiceInstanceName, L"nsp:thing"));
    assert_int_equal(WSALookupServiceEnd(h), 0);
    /* The provider was asked once. */
    assert_string_equal(take_log(), "begin next end");
}

static void test_WSANSPIoctl_reaches_the_provider(void **state)
{
    HANDLE h = begin(NS_NDS, &some_class, L"thing", LUP_RETURN_NAME);
    (void)state;
    assert_int_equal(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, NULL, NULL), 0);
    assert_socket_error(WSANSPIoctl(h, 0x1234, NULL, 0, NULL, 0, NULL, NULL), WSAEOPNOTSUPP);
    assert_int_equal(WSALookupServiceEnd(h), 0);
    assert_string_equal(take_log(), "begin ioctl ioctl end");
}

static void test_a_query_of_every_namespace_asks_each_provider_in_catalog_order(void **state)
{
    GUID by_name = SVCID_INET_HOSTADDRBYNAME;
    HANDLE h = begin(NS_ALL, &by_name, L"localhost", LUP_RETURN_NAME);
    (void)state;
    assert_int_equal(next(h), 0);
    assert_int_equal(result.w.dwNameSpace, NS_DNS);
    assert_true(!wcscmp(result.w.lpszServiceInstanceName, L"localhost"));
    assert_int_equal(next(h), 0);
    assert_true(!wcscmp(result.w.lpszServiceInstanceName, L"nsp:localhost"));
    assert_int_equal(next(h), WSA_E_NO_MORE);
    assert_int_equal(WSALookupServiceEnd(h), 0);
    take_log();
}

static void test_a_lookup_left_open_is_ended_by_the_final_WSACleanup(void **state)
{
    HANDLE h = begin(NS_NDS, &some_class, L"thing", LUP_RETURN_NAME);
    (void)state;
    take_log();
    assert_int_equal(WSACleanup(), 0);
    /* The provider's lookup was ended, then the provider cleaned up and unloaded. */
    assert_string_equal(take_log(), "end cleanup detach");
    assert_null(GetModuleHandleA("nsp_counter.dll"));
    assert_int_equal(ws_test_startup(NULL), 0);
    assert_socket_error(WSALookupServiceEnd(h), WSA_INVALID_HANDLE);
    /* The next lookup starts it again. */
    h = begin(NS_NDS, &some_class, L"thing", LUP_RETURN_NAME);
    assert_int_equal(WSALookupServiceEnd(h), 0);
    assert_string_equal(take_log(), "startup begin end");
}

static void test_a_disabled_provider_is_not_asked(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h;
    (void)state;
    assert_int_equal(WSACleanup(), 0); /* unload it, so that the catalog is read afresh */
    assert_int_equal(ws_test_startup(NULL), 0);
    take_log();
    assert_int_equal(WSCEnableNSProvider(&provider_id, FALSE), 0);
    q.dwSize = sizeof(q);
    q.dwNameSpace = NS_NDS;
    q.lpServiceClassId = &some_class;
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), WSASERVICE_NOT_FOUND);
    assert_string_equal(take_log(), "");
    assert_int_equal(WSCEnableNSProvider(&provider_id, TRUE), 0);
}

static void test_service_classes_go_to_the_provider(void **state)
{
    GUID class = {0x1b2c3d4e, 0x5f60, 0x4172, {0x83, 0x94, 0xa5, 0xb6, 0xc7, 0xd8, 0xe9, 0xf0}};
    WSASERVICECLASSINFOW info = {0};
    WSASERVICECLASSINFOA info_a = {0};
    WCHAR name[64];
    char name_a[64];
    DWORD len;
    (void)state;

    info.lpServiceClassId = &class;
    info.lpszServiceClassName = (WCHAR *)L"Counter class";
    assert_int_equal(WSAInstallServiceClassW(&info), 0);
    assert_socket_error(WSAInstallServiceClassW(&info), WSAEALREADY);

    len = sizeof(result);
    assert_int_equal(
        WSAGetServiceClassInfoW(&provider_id, &class, &len, (WSASERVICECLASSINFOW *)result.bytes),
        0);
    assert_true(
        !wcscmp(((WSASERVICECLASSINFOW *)result.bytes)->lpszServiceClassName, L"Counter class"));
    assert_true(IsEqualGUID(((WSASERVICECLASSINFOW *)result.bytes)->lpServiceClassId, &class));
    len = sizeof(WSASERVICECLASSINFOA);
    assert_socket_error(
        WSAGetServiceClassInfoA(&provider_id, &class, &len, (WSASERVICECLASSINFOA *)result.bytes),
        WSAEFAULT);
    assert_true(len > sizeof(WSASERVICECLASSINFOA));
    assert_int_equal(
        WSAGetServiceClassInfoA(&provider_id, &class, &len, (WSASERVICECLASSINFOA *)result.bytes),
        0);
    assert_string_equal(((WSASERVICECLASSINFOA *)result.bytes)->lpszServiceClassName,
                        "Counter class");

    len = 4;
    assert_socket_error(WSAGetServiceClassNameByClassIdW(&class, name, &len), WSAEFAULT);
    assert_int_equal(len, 14);
    len = ARRAYSIZE(name);
    assert_int_equal(WSAGetServiceClassNameByClassIdW(&class, name, &len), 0);
    assert_true(!wcscmp(name, L"Counter class"));
    len = sizeof(name_a);
    assert_int_equal(WSAGetServiceClassNameByClassIdA(&class, name_a, &len), 0);
    assert_string_equal(name_a, "Counter class");

    assert_int_equal(WSARemoveServiceClass(&class), 0);
    assert_socket_error(WSARemoveServiceClass(&class), WSATYPE_NOT_FOUND);
    len = sizeof(result);
    assert_socket_error(
        WSAGetServiceClassInfoW(&provider_id, &class, &len, (WSASERVICECLASSINFOW *)result.bytes),
        WSATYPE_NOT_FOUND);

    /* The A form's strings reach the provider converted. */
    info_a.lpServiceClassId = &class;
    info_a.lpszServiceClassName = (char *)"Narrow class";
    assert_int_equal(WSAInstallServiceClassA(&info_a), 0);
    len = ARRAYSIZE(name);
    assert_int_equal(WSAGetServiceClassNameByClassIdW(&class, name, &len), 0);
    assert_true(!wcscmp(name, L"Narrow class"));
    assert_int_equal(WSARemoveServiceClass(&class), 0);
    take_log();
}

static void test_WSASetService_goes_to_the_providers_of_the_namespace(void **state)
{
    WSAQUERYSETW q = {0};
    WSAQUERYSETA qa = {0};
    (void)state;
    take_log();
    q.dwSize = sizeof(q);
    q.dwNameSpace = NS_NDS;
    q.lpServiceClassId = &some_class;
    q.lpszServiceInstanceName = (WCHAR *)L"instance";
    assert_int_equal(WSASetServiceW(&q, RNRSERVICE_REGISTER, 0), 0);
    qa.dwSize = sizeof(qa);
    qa.dwNameSpace = NS_NDS;
    qa.lpServiceClassId = &some_class;
    qa.lpszServiceInstanceName = (char *)"ansi";
    assert_int_equal(WSASetServiceA(&qa, RNRSERVICE_DEREGISTER, 0), 0);
    assert_string_equal(take_log(), "setservice setservice ansi");
    /* Only the DNS namespace: it registers nothing. */
    q.dwNameSpace = NS_DNS;
    assert_socket_error(WSASetServiceW(&q, RNRSERVICE_REGISTER, 0), WSAEOPNOTSUPP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_provider_is_started_by_the_first_lookup_and_answers_it),
        cmocka_unit_test(test_the_ANSI_forms_convert_the_provider_strings),
        cmocka_unit_test(test_a_short_buffer_keeps_the_provider_set_for_the_next_call),
        cmocka_unit_test(test_WSANSPIoctl_reaches_the_provider),
        cmocka_unit_test(test_a_query_of_every_namespace_asks_each_provider_in_catalog_order),
        cmocka_unit_test(test_service_classes_go_to_the_provider),
        cmocka_unit_test(test_WSASetService_goes_to_the_providers_of_the_namespace),
        cmocka_unit_test(test_a_lookup_left_open_is_ended_by_the_final_WSACleanup),
        cmocka_unit_test(test_a_disabled_provider_is_not_asked),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
