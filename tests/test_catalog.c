/* The protocol catalog as programs enumerate it: WSAEnumProtocolsA/W, WSCEnumProtocols(32). */
/* ctest-resource-lock: wine_catalog */
#include "ws_test.h"
#include <ws2spi.h>

#define STREAM_FLAGS                                                                               \
    (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA |    \
     XP1_IFS_HANDLES)
#define DATAGRAM_FLAGS                                                                             \
    (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | XP1_SUPPORT_MULTIPOINT |  \
     XP1_IFS_HANDLES)

static void test_WSAEnumProtocolsW_without_a_buffer_fails_with_WSAENOBUFS_and_the_size(void **state)
{
    DWORD len = 0;
    WSAPROTOCOL_INFOW one;
    (void)state;
    assert_socket_error(WSAEnumProtocolsW(NULL, NULL, &len), WSAENOBUFS);
    assert_true(len >= 4 * sizeof(WSAPROTOCOL_INFOW));
    assert_int_equal(len % sizeof(WSAPROTOCOL_INFOW), 0);
    len = sizeof(one);
    assert_socket_error(WSAEnumProtocolsW(NULL, &one, &len), WSAENOBUFS);
    assert_socket_error(WSAEnumProtocolsW(NULL, NULL, NULL), WSAEFAULT);
}

/* TCP and UDP over IPv4 and IPv6, with the service flags Windows gives them; nothing hidden. */
static void test_WSAEnumProtocolsW_lists_TCP_and_UDP_over_both_families(void **state)
{
    WSAPROTOCOL_INFOW list[32];
    DWORD len = sizeof(list);
    int n, seen = 0;
    (void)state;

    WSASetLastError(0xdeadbeef);
    n = WSAEnumProtocolsW(NULL, list, &len);
    assert_true(n >= 4);
    for (int i = 0; i < n; i++) {
        assert_false(list[i].dwProviderFlags & PFL_HIDDEN);
        assert_true(wcslen(list[i].szProtocol) > 0);
        assert_int_equal(list[i].iVersion, 2);
        if (list[i].iSocketType == SOCK_STREAM && list[i].iProtocol == IPPROTO_TCP) {
            assert_int_equal(list[i].dwServiceFlags1 & ~XP1_QOS_SUPPORTED, STREAM_FLAGS);
            seen |= list[i].iAddressFamily == AF_INET ? 1 : 2;
        }
        if (list[i].iSocketType == SOCK_DGRAM && list[i].iProtocol == IPPROTO_UDP) {
            assert_int_equal(list[i].dwServiceFlags1 & ~XP1_QOS_SUPPORTED, DATAGRAM_FLAGS);
            seen |= list[i].iAddressFamily == AF_INET ? 4 : 8;
        }
    }
    assert_int_equal(seen, 15);
}

/* A list of protocols filters: unknown numbers match nothing. */
static void test_WSAEnumProtocolsA_with_a_protocol_list_lists_only_those(void **state)
{
    INT protocols[] = {0xdead, IPPROTO_UDP, 0xbeef, 0};
    WSAPROTOCOL_INFOA list[32];
    DWORD len = sizeof(list);
    int n;
    (void)state;

    n = WSAEnumProtocolsA(protocols, list, &len);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++) {
        assert_int_equal(list[i].iProtocol, IPPROTO_UDP);
        assert_true(strlen(list[i].szProtocol) > 0);
    }
}

/* The entry a socket reports as SO_PROTOCOL_INFOW is one of the catalog's. */
static void test_a_sockets_protocol_info_is_a_catalog_entry(void **state)
{
    WSAPROTOCOL_INFOW list[32], info;
    DWORD len = sizeof(list);
    int n, size = sizeof(info), found = 0;
    SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    (void)state;

    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &size), 0);
    n = WSAEnumProtocolsW(NULL, list, &len);
    for (int i = 0; i < n; i++)
        if (list[i].dwCatalogEntryId == info.dwCatalogEntryId) {
            found++;
            assert_memory_equal(&list[i].ProviderId, &info.ProviderId, sizeof(GUID));
            assert_int_equal(list[i].iAddressFamily, AF_INET6);
        }
    assert_int_equal(found, 1);
    closesocket(s);
}

/* The service provider form includes the hidden raw entries and needs no WSAStartup. */
static void test_WSCEnumProtocols_lists_the_hidden_entries_too_without_WSAStartup(void **state)
{
    WSAPROTOCOL_INFOW list[32];
    DWORD len = sizeof(list), small = 0;
    int err = 0, n, hidden = 0;
    (void)state;

    assert_int_equal(WSACleanup(), 0);
    n = WSCEnumProtocols(NULL, list, &len, &err);
    assert_true(n > 4);
    for (int i = 0; i < n; i++) hidden += !!(list[i].dwProviderFlags & PFL_HIDDEN);
    assert_true(hidden >= 2);
    assert_int_equal(WSCEnumProtocols(NULL, NULL, &small, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAENOBUFS);
    assert_int_equal(small, n * sizeof(WSAPROTOCOL_INFOW));
    assert_int_equal(WSCEnumProtocols32(NULL, list, &len, &err), n);
    /* WSAEnumProtocols needs it. */
    assert_socket_error(WSAEnumProtocolsW(NULL, list, &len), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

/* The provider path and information of the catalog's providers, and the errors for others. */
static void test_WSCGetProviderPath_names_the_providers_DLL(void **state)
{
    WSAPROTOCOL_INFOW list[32];
    DWORD len = sizeof(list);
    WCHAR path[MAX_PATH];
    GUID unknown = {0};
    int n, err = 0, path_len = MAX_PATH;
    (void)state;

    n = WSAEnumProtocolsW(NULL, list, &len);
    assert_true(n > 0);
    assert_int_equal(WSCGetProviderPath(&list[0].ProviderId, path, &path_len, &err), 0);
    assert_true(wcsstr(path, L"mswsock.dll") != NULL);
    assert_int_equal(path_len, (int)wcslen(path) + 1);
    /* Too short: WSAEFAULT and the length needed. */
    path_len = 3;
    assert_int_equal(WSCGetProviderPath(&list[0].ProviderId, path, &path_len, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    assert_int_equal(path_len, (int)wcslen(L"%SystemRoot%\\system32\\mswsock.dll") + 1);
    /* Missing pointers, and a provider the catalog does not list. */
    assert_int_equal(WSCGetProviderPath(NULL, NULL, NULL, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    path_len = -1;
    assert_int_equal(WSCGetProviderPath(&unknown, NULL, &path_len, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(path_len, -1);
    path_len = MAX_PATH;
    assert_int_equal(WSCGetProviderPath(&unknown, path, &path_len, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(path_len, MAX_PATH);
}

static void test_WSCGetProviderInfo_reports_no_layered_categories_for_base_providers(void **state)
{
    WSAPROTOCOL_INFOW list[32];
    DWORD len = sizeof(list), categories = 0xdeadbeef;
    GUID unknown = {0};
    size_t size = sizeof(categories);
    int err = 0;
    (void)state;

    assert_true(WSAEnumProtocolsW(NULL, list, &len) > 0);
    assert_int_equal(WSCGetProviderInfo(&list[0].ProviderId, ProviderInfoLspCategories,
                                        (BYTE *)&categories, &size, 0, &err),
                     0);
    assert_int_equal(categories, 0);
    assert_int_equal(size, sizeof(categories));
    assert_int_equal(
        WSCGetProviderInfo(NULL, ProviderInfoLspCategories, (BYTE *)&categories, &size, 0, &err),
        SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    assert_int_equal(WSCGetProviderInfo(&unknown, ProviderInfoLspCategories, (BYTE *)&categories,
                                        &size, 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSANO_RECOVERY);
    /* The audit class: ERROR_CALL_NOT_IMPLEMENTED, as the reference page lists; another class
       is an invalid argument. */
    err = 0;
    assert_int_equal(WSCGetProviderInfo(&list[0].ProviderId, ProviderInfoAudit, (BYTE *)&categories,
                                        &size, 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, ERROR_CALL_NOT_IMPLEMENTED);
    err = 0;
    assert_int_equal(WSCGetProviderInfo32(&list[0].ProviderId, ProviderInfoAudit,
                                          (BYTE *)&categories, &size, 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, ERROR_CALL_NOT_IMPLEMENTED);
    assert_int_equal(WSCGetProviderInfo(&list[0].ProviderId, (WSC_PROVIDER_INFO_TYPE)7,
                                        (BYTE *)&categories, &size, 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
}

/* The namespace providers: the DNS one, with its identifier in the same buffer. */
static void test_WSAEnumNameSpaceProviders_lists_the_DNS_namespace(void **state)
{
    BYTE buffer[4096];
    WSANAMESPACE_INFOW *w = (WSANAMESPACE_INFOW *)buffer;
    WSANAMESPACE_INFOA *a = (WSANAMESPACE_INFOA *)buffer;
    WSANAMESPACE_INFOEXW *ex = (WSANAMESPACE_INFOEXW *)buffer;
    DWORD len = 0, needed;
    int n, dns = 0;
    (void)state;

    assert_socket_error(WSAEnumNameSpaceProvidersW(&len, NULL), WSAEFAULT);
    assert_true(len > sizeof(WSANAMESPACE_INFOW));
    needed = len;
    len = sizeof(WSANAMESPACE_INFOW);
    assert_socket_error(WSAEnumNameSpaceProvidersW(&len, w), WSAEFAULT);
    assert_int_equal(len, needed);
    assert_socket_error(WSAEnumNameSpaceProvidersW(NULL, w), WSAEFAULT);

    len = sizeof(buffer);
    n = WSAEnumNameSpaceProvidersW(&len, w);
    assert_true(n >= 1);
    for (int i = 0; i < n; i++) {
        assert_true((BYTE *)w[i].lpszIdentifier > buffer &&
                    (BYTE *)w[i].lpszIdentifier < buffer + needed);
        if (w[i].dwNameSpace == NS_DNS) {
            dns++;
            assert_true(w[i].fActive);
            assert_int_equal(wcscmp(w[i].lpszIdentifier, L"Tcpip"), 0);
        }
    }
    assert_int_equal(dns, 1);

    len = sizeof(buffer);
    assert_int_equal(WSAEnumNameSpaceProvidersA(&len, a), n);
    assert_string_equal(a[0].lpszIdentifier, "Tcpip");
    len = sizeof(buffer);
    assert_int_equal(WSAEnumNameSpaceProvidersExW(&len, ex), n);
    assert_int_equal(ex[0].dwNameSpace, NS_DNS);
    assert_int_equal(ex[0].ProviderSpecific.cbSize, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_WSAEnumProtocolsW_without_a_buffer_fails_with_WSAENOBUFS_and_the_size),
        cmocka_unit_test(test_WSAEnumProtocolsW_lists_TCP_and_UDP_over_both_families),
        cmocka_unit_test(test_WSAEnumProtocolsA_with_a_protocol_list_lists_only_those),
        cmocka_unit_test(test_a_sockets_protocol_info_is_a_catalog_entry),
        cmocka_unit_test(test_WSCEnumProtocols_lists_the_hidden_entries_too_without_WSAStartup),
        cmocka_unit_test(test_WSCGetProviderPath_names_the_providers_DLL),
        cmocka_unit_test(test_WSAEnumNameSpaceProviders_lists_the_DNS_namespace),
        cmocka_unit_test(test_WSCGetProviderInfo_reports_no_layered_categories_for_base_providers),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
