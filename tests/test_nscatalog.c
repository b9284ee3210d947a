/*
 * The namespace catalog: HKLM\System\CurrentControlSet\Services\WinSock2\Parameters\
 * NameSpace_Catalog5, made with Windows' DNS entry when absent, listed by
 * WSAEnumNameSpaceProvidersA/W(Ex) and WSCEnumNameSpaceProviders(Ex)32 and changed by the WSC
 * namespace calls. Every test leaves the catalog as it found it (the entries it installs are
 * removed, the order and the enabled state restored), except the one that deletes the catalog to
 * see it made again: it leaves Windows' default.
 */
/* ctest-resource-lock: wine_catalog */
#include "ws_test.h"
#include <svcguid.h>
#include <ws2spi.h>

/* Declared by newer SDK headers than the build's. */
int WSAAPI WSCInstallNameSpaceEx32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                                   DWORD dwVersion, LPGUID lpProviderId, LPBLOB lpProviderInfo);
int WSAAPI WSCWriteNameSpaceOrder(LPGUID lpProviderId, DWORD dwNumberOfEntries);
INT WSAAPI WSCEnumNameSpaceProvidersEx32(LPDWORD lpdwBufferLength,
                                         LPWSANAMESPACE_INFOEXW lpnspBuffer);

static const char catalog_key[] =
    "System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\NameSpace_Catalog5";
static GUID dns_provider = {
    0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}};
static GUID test_provider = {
    0x6f1d2b8a, 0x5c3e, 0x4a71, {0x9b, 0x20, 0x31, 0x7e, 0x44, 0x0a, 0xc2, 0x19}};

static union {
    WSANAMESPACE_INFOW w[16];
    WSANAMESPACE_INFOEXW ex[16];
    char bytes[16384];
} buffer;

/* The entries WSAEnumNameSpaceProvidersW lists into BUFFER; their count. */
static int list_w(void)
{
    DWORD len = sizeof(buffer);
    int n = WSAEnumNameSpaceProvidersW(&len, buffer.w);
    assert_true(n >= 0);
    return n;
}

static int find_w(int count, const GUID *id)
{
    for (int i = 0; i < count; i++)
        if (IsEqualGUID(&buffer.w[i].NSProviderId, id)) return i;
    return -1;
}

/* ---- enumeration ---- */

static void test_the_catalog_lists_the_DNS_namespace_as_Windows_does(void **state)
{
    int n, i;
    (void)state;
    n = list_w();
    assert_true(n >= 1);
    i = find_w(n, &dns_provider);
    assert_true(i >= 0);
    assert_int_equal(buffer.w[i].dwNameSpace, NS_DNS);
    assert_true(buffer.w[i].fActive);
    assert_true(!wcscmp(buffer.w[i].lpszIdentifier, L"Tcpip"));
}

static void test_enumeration_without_room_fails_with_WSAEFAULT_and_the_size(void **state)
{
    WSANAMESPACE_INFOA *a;
    DWORD len = 0, needed;
    int n;
    (void)state;
    assert_socket_error(WSAEnumNameSpaceProvidersA(&len, NULL), WSAEFAULT);
    assert_true(len > sizeof(WSANAMESPACE_INFOA));
    assert_socket_error(WSAEnumNameSpaceProvidersA(NULL, (WSANAMESPACE_INFOA *)buffer.bytes),
                        WSAEFAULT);
    needed = len;
    len = needed - 1;
    assert_socket_error(WSAEnumNameSpaceProvidersA(&len, (WSANAMESPACE_INFOA *)buffer.bytes),
                        WSAEFAULT);
    assert_int_equal(len, needed);
    a = (WSANAMESPACE_INFOA *)buffer.bytes;
    n = WSAEnumNameSpaceProvidersA(&len, a);
    assert_true(n >= 1);
    assert_string_equal(a[0].lpszIdentifier, "Tcpip");
}

static void test_the_catalog_is_kept_in_the_registry_where_Windows_keeps_it(void **state)
{
    char entry[256];
    DWORD count = 0, size = sizeof(count), type;
    GUID id;
    HKEY key;
    (void)state;
    list_w();
    assert_int_equal(RegOpenKeyExA(HKEY_LOCAL_MACHINE, catalog_key, 0, KEY_READ, &key), 0);
    assert_int_equal(
        RegQueryValueExA(key, "Num_Catalog_Entries64", NULL, &type, (BYTE *)&count, &size), 0);
    assert_int_equal(type, REG_DWORD);
    assert_true(count >= 1);
    RegCloseKey(key);
    snprintf(entry, sizeof(entry), "%s\\Catalog_Entries64\\000000000001", catalog_key);
    assert_int_equal(RegOpenKeyExA(HKEY_LOCAL_MACHINE, entry, 0, KEY_READ, &key), 0);
    size = sizeof(id);
    assert_int_equal(RegQueryValueExA(key, "ProviderId", NULL, &type, (BYTE *)&id, &size), 0);
    assert_int_equal(type, REG_BINARY);
    assert_true(IsEqualGUID(&id, &dns_provider));
    size = sizeof(count);
    assert_int_equal(
        RegQueryValueExA(key, "SupportedNameSpace", NULL, &type, (BYTE *)&count, &size), 0);
    assert_int_equal(count, NS_DNS);
    assert_int_equal(RegQueryValueExA(key, "LibraryPath", NULL, &type, NULL, NULL), 0);
    assert_int_equal(type, REG_EXPAND_SZ);
    RegCloseKey(key);
}

static void test_a_missing_catalog_is_made_again_with_the_DNS_entry(void **state)
{
    HKEY parent;
    int n;
    (void)state;
    assert_int_equal(RegOpenKeyExA(HKEY_LOCAL_MACHINE,
                                   "System\\CurrentControlSet\\Services\\WinSock2\\Parameters", 0,
                                   KEY_ALL_ACCESS, &parent),
                     0);
    assert_int_equal(RegDeleteTreeA(parent, "NameSpace_Catalog5"), 0);
    RegCloseKey(parent);
    n = list_w();
    assert_int_equal(n, 1);
    assert_true(IsEqualGUID(&buffer.w[0].NSProviderId, &dns_provider));
}

/* ---- installation ---- */

static void test_an_installed_namespace_is_listed_until_it_is_uninstalled(void **state)
{
    int n, i;
    (void)state;
    assert_int_equal(WSCInstallNameSpace((WCHAR *)L"Test namespace",
                                         (WCHAR *)L"%SystemRoot%\\x.dll", NS_NDS, 3,
                                         &test_provider),
                     0);
    n = list_w();
    i = find_w(n, &test_provider);
    assert_true(i >= 0);
    assert_true(i > find_w(n, &dns_provider)); /* installed at the end */
    assert_int_equal(buffer.w[i].dwNameSpace, NS_NDS);
    assert_int_equal(buffer.w[i].dwVersion, 3);
    assert_true(buffer.w[i].fActive);
    assert_true(!wcscmp(buffer.w[i].lpszIdentifier, L"Test namespace"));

    /* A provider already installed is refused. */
    assert_socket_error(
        WSCInstallNameSpace((WCHAR *)L"again", (WCHAR *)L"x.dll", NS_NDS, 1, &test_provider),
        WSANO_RECOVERY);

    assert_int_equal(WSCUnInstallNameSpace(&test_provider), 0);
    assert_int_equal(find_w(list_w(), &test_provider), -1);
    assert_socket_error(WSCUnInstallNameSpace(&test_provider), WSAEINVAL);
}

static void test_install_with_missing_arguments_fails_with_WSAEINVAL(void **state)
{
    (void)state;
    assert_socket_error(WSCInstallNameSpace(NULL, (WCHAR *)L"x.dll", NS_NDS, 1, &test_provider),
                        WSAEINVAL);
    assert_socket_error(WSCInstallNameSpace((WCHAR *)L"x", NULL, NS_NDS, 1, &test_provider),
                        WSAEINVAL);
    assert_socket_error(WSCInstallNameSpace((WCHAR *)L"x", (WCHAR *)L"x.dll", NS_NDS, 1, NULL),
                        WSAEINVAL);
    assert_socket_error(WSCUnInstallNameSpace(NULL), WSAEINVAL);
    assert_socket_error(WSCEnableNSProvider(NULL, TRUE), WSAEINVAL);
}

static void test_the_Ex_forms_carry_the_provider_specific_blob(void **state)
{
    BYTE data[5] = {1, 2, 3, 4, 5};
    BLOB blob = {sizeof(data), data};
    DWORD len = sizeof(buffer);
    int n, i;
    (void)state;
    assert_int_equal(WSCInstallNameSpaceEx((WCHAR *)L"Blob namespace", (WCHAR *)L"x.dll", NS_NDS, 1,
                                           &test_provider, &blob),
                     0);
    n = WSAEnumNameSpaceProvidersExW(&len, buffer.ex);
    assert_true(n >= 2);
    for (i = 0; i < n && !IsEqualGUID(&buffer.ex[i].NSProviderId, &test_provider); i++) continue;
    assert_true(i < n);
    assert_int_equal(buffer.ex[i].ProviderSpecific.cbSize, sizeof(data));
    assert_memory_equal(buffer.ex[i].ProviderSpecific.pBlobData, data, sizeof(data));
    assert_int_equal(WSCUnInstallNameSpace(&test_provider), 0);
}

static void test_a_disabled_DNS_provider_is_listed_inactive_and_answers_nothing(void **state)
{
    GUID by_name = SVCID_INET_HOSTADDRBYNAME, unknown = test_provider;
    WSAQUERYSETW q = {0};
    HANDLE h;
    int n, i;
    (void)state;
    assert_int_equal(WSCEnableNSProvider(&dns_provider, FALSE), 0);
    n = list_w();
    i = find_w(n, &dns_provider);
    assert_true(i >= 0);
    assert_false(buffer.w[i].fActive);
    q.dwSize = sizeof(q);
    q.lpServiceClassId = &by_name;
    q.lpszServiceInstanceName = (WCHAR *)L"localhost";
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), WSASERVICE_NOT_FOUND);
    assert_int_equal(WSCEnableNSProvider(&dns_provider, TRUE), 0);
    assert_true(buffer.w[find_w(list_w(), &dns_provider)].fActive);
    assert_int_equal(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), 0);
    assert_int_equal(WSALookupServiceEnd(h), 0);
    assert_socket_error(WSCEnableNSProvider(&unknown, TRUE), WSAEINVAL);
}

static void test_WSCWriteNameSpaceOrder_reorders_the_catalog(void **state)
{
    GUID order[2] = {test_provider, dns_provider}, partial[1] = {test_provider};
    int n;
    (void)state;
    assert_int_equal(WSCInstallNameSpace((WCHAR *)L"Test namespace", (WCHAR *)L"x.dll", NS_NDS, 1,
                                         &test_provider),
                     0);
    assert_int_equal(WSCWriteNameSpaceOrder(order, 2), 0);
    n = list_w();
    assert_int_equal(find_w(n, &test_provider), 0);
    assert_int_equal(find_w(n, &dns_provider), 1);
    /* Every installed provider must be named. */
    assert_int_equal(WSCWriteNameSpaceOrder(partial, 1), WSAEINVAL);
    assert_int_equal(WSCWriteNameSpaceOrder(NULL, 2), WSAEINVAL);
    order[0] = dns_provider;
    order[1] = test_provider;
    assert_int_equal(WSCWriteNameSpaceOrder(order, 2), 0);
    assert_int_equal(find_w(list_w(), &dns_provider), 0);
    assert_int_equal(WSCUnInstallNameSpace(&test_provider), 0);
}

static void test_the_32_bit_catalog_is_a_view_of_its_own(void **state)
{
    DWORD len = sizeof(buffer);
    int n, i;
    (void)state;
    n = WSCEnumNameSpaceProviders32(&len, buffer.w);
    assert_true(n >= 1);
    assert_true(find_w(n, &dns_provider) >= 0);

    assert_int_equal(
        WSCInstallNameSpace32((WCHAR *)L"Test 32", (WCHAR *)L"x.dll", NS_NDS, 1, &test_provider),
        0);
    assert_int_equal(find_w(list_w(), &test_provider), -1);
    len = sizeof(buffer);
    n = WSCEnumNameSpaceProvidersEx32(&len, buffer.ex);
    for (i = 0; i < n && !IsEqualGUID(&buffer.ex[i].NSProviderId, &test_provider); i++) continue;
    assert_true(i < n);
    assert_int_equal(WSCEnableNSProvider32(&test_provider, FALSE), 0);
    assert_socket_error(WSCUnInstallNameSpace(&test_provider), WSAEINVAL);
    assert_int_equal(WSCUnInstallNameSpace32(&test_provider), 0);
}

static void test_the_WSC_calls_work_without_WSAStartup(void **state)
{
    DWORD len = sizeof(buffer);
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_true(WSCEnumNameSpaceProviders32(&len, buffer.w) >= 1);
    assert_int_equal(
        WSCInstallNameSpace((WCHAR *)L"Test", (WCHAR *)L"x.dll", NS_NDS, 1, &test_provider), 0);
    assert_int_equal(WSCUnInstallNameSpace(&test_provider), 0);
    len = sizeof(buffer);
    assert_socket_error(WSAEnumNameSpaceProvidersW(&len, buffer.w), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_catalog_lists_the_DNS_namespace_as_Windows_does),
        cmocka_unit_test(test_enumeration_without_room_fails_with_WSAEFAULT_and_the_size),
        cmocka_unit_test(test_the_catalog_is_kept_in_the_registry_where_Windows_keeps_it),
        cmocka_unit_test(test_a_missing_catalog_is_made_again_with_the_DNS_entry),
        cmocka_unit_test(test_an_installed_namespace_is_listed_until_it_is_uninstalled),
        cmocka_unit_test(test_install_with_missing_arguments_fails_with_WSAEINVAL),
        cmocka_unit_test(test_the_Ex_forms_carry_the_provider_specific_blob),
        cmocka_unit_test(test_a_disabled_DNS_provider_is_listed_inactive_and_answers_nothing),
        cmocka_unit_test(test_WSCWriteNameSpaceOrder_reorders_the_catalog),
        cmocka_unit_test(test_the_32_bit_catalog_is_a_view_of_its_own),
        cmocka_unit_test(test_the_WSC_calls_work_without_WSAStartup),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
