/*
 * The protocol catalog's writers: WSCInstallProvider (and its 64_32 and AndChains64_32 forms),
 * WSCDeinstallProvider(32), WSCUpdateProvider(32), WSCWriteProviderOrder(32),
 * WSCSetProviderInfo(32), the applications' categories and WSAProviderConfigChange; what the
 * enumerations then list, and what the registry then holds, as Windows keeps it.
 *
 * Every change is undone before the test ends (the group teardown removes the test providers
 * again in case a test failed half-way).
 */
/* ctest-resource-lock: wine_catalog */
#include "ws_test.h"
#include <ws2spi.h>
#include <sporder.h>
#include <stdbool.h>
#include <stdlib.h>

#define MAX_LIST    128
#define TEST_PATH   L"%SystemRoot%\\system32\\openws2-test-lsp.dll"
#define TEST_PATH2  L"C:\\openws2\\test-lsp-updated.dll"
#define CATALOG_KEY L"System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"
#define APPID_KEY   L"System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\AppId_Catalog"

static GUID test_ids[3] = {
    {0x5e7c0d41, 0x2b6a, 0x4c1e, {0x9a, 0x11, 0x4f, 0x70, 0x65, 0x6e, 0x57, 0x01}},
    {0x5e7c0d41, 0x2b6a, 0x4c1e, {0x9a, 0x11, 0x4f, 0x70, 0x65, 0x6e, 0x57, 0x02}},
    {0x5e7c0d41, 0x2b6a, 0x4c1e, {0x9a, 0x11, 0x4f, 0x70, 0x65, 0x6e, 0x57, 0x03}},
};

static WSAPROTOCOL_INFOW list[MAX_LIST];

/* The catalog of one view (32: the 32-bit one) into the static list; the count. */
static int enum_view(bool view32)
{
    DWORD len = sizeof(list);
    int err = 0, n;
    n = view32 ? WSCEnumProtocols32(NULL, list, &len, &err)
               : WSCEnumProtocols(NULL, list, &len, &err);
    assert_true(n > 0);
    return n;
}

static int find_provider(int n, const GUID *id)
{
    for (int i = 0; i < n; i++)
        if (IsEqualGUID(&list[i].ProviderId, id)) return i;
    return -1;
}

static int count_provider(int n, const GUID *id)
{
    int count = 0;
    for (int i = 0; i < n; i++) count += IsEqualGUID(&list[i].ProviderId, id);
    return count;
}

/* The catalog's TCP over IPv4 entry, a template for test entries. */
static WSAPROTOCOL_INFOW tcp_entry(void)
{
    int n = enum_view(false);
    for (int i = 0; i < n; i++)
        if (list[i].iAddressFamily == AF_INET && list[i].iSocketType == SOCK_STREAM &&
            list[i].iProtocol == IPPROTO_TCP && list[i].ProtocolChain.ChainLen == BASE_PROTOCOL)
            return list[i];
    fail_msg("no TCP entry");
    return list[0];
}

static WSAPROTOCOL_INFOW test_entry(const WCHAR *name, DWORD provider_flags, int chain_len)
{
    WSAPROTOCOL_INFOW info = tcp_entry();
    lstrcpynW(info.szProtocol, name, WSAPROTOCOL_LEN + 1);
    info.dwProviderFlags = provider_flags;
    info.ProtocolChain.ChainLen = chain_len;
    return info;
}

static int remove_test_providers(void **state)
{
    int err;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(test_ids); i++) {
        WSCDeinstallProvider(&test_ids[i], &err);
        WSCDeinstallProvider32(&test_ids[i], &err);
    }
    return 0;
}

static int group_setup(void **state)
{
    remove_test_providers(state);
    return ws_test_startup(state);
}

static int group_teardown(void **state)
{
    remove_test_providers(state);
    return ws_test_cleanup(state);
}

/* ---- install and deinstall ---- */

static void test_WSCInstallProvider_adds_entries_WSCEnumProtocols_lists_at_the_end(void **state)
{
    WSAPROTOCOL_INFOW entries[2] = {
        test_entry(L"OpenWS2 test [visible]", 0, BASE_PROTOCOL),
        test_entry(L"OpenWS2 test [hidden]", PFL_HIDDEN, BASE_PROTOCOL)};
    WCHAR path[MAX_PATH];
    int before, n, at, err = 0, len = MAX_PATH;
    (void)state;

    before = enum_view(false);
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, entries, 2, &err), 0);
    n = enum_view(false);
    assert_int_equal(n, before + 2);
    at = find_provider(n, &test_ids[0]);
    assert_int_equal(at, before);
    assert_int_equal(wcscmp(list[at].szProtocol, L"OpenWS2 test [visible]"), 0);
    assert_int_equal(wcscmp(list[at + 1].szProtocol, L"OpenWS2 test [hidden]"), 0);
    /* New, distinct catalog entry identifiers. */
    assert_true(list[at].dwCatalogEntryId != list[at + 1].dwCatalogEntryId);
    for (int i = 0; i < before; i++) {
        assert_true(list[i].dwCatalogEntryId != list[at].dwCatalogEntryId);
        assert_true(list[i].dwCatalogEntryId != list[at + 1].dwCatalogEntryId);
    }
    assert_int_equal(WSCGetProviderPath(&test_ids[0], path, &len, &err), 0);
    assert_int_equal(wcscmp(path, TEST_PATH), 0);

    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
    assert_int_equal(enum_view(false), before);
    assert_int_equal(find_provider(before, &test_ids[0]), -1);
}

/* WSAEnumProtocols leaves out PFL_HIDDEN entries and layered ones (chain length 0). */
static void test_WSAEnumProtocols_lists_neither_hidden_nor_layered_entries(void **state)
{
    WSAPROTOCOL_INFOW entries[3] = {test_entry(L"OpenWS2 test [visible]", 0, BASE_PROTOCOL),
                                    test_entry(L"OpenWS2 test [hidden]", PFL_HIDDEN, BASE_PROTOCOL),
                                    test_entry(L"OpenWS2 test [layered]", 0, LAYERED_PROTOCOL)};
    WSAPROTOCOL_INFOW visible[MAX_LIST];
    DWORD len = sizeof(visible);
    int n, err = 0, found = 0;
    (void)state;

    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, entries, 3, &err), 0);
    assert_int_equal(count_provider(enum_view(false), &test_ids[0]), 3);
    n = WSAEnumProtocolsW(NULL, visible, &len);
    assert_true(n > 0);
    for (int i = 0; i < n; i++)
        if (IsEqualGUID(&visible[i].ProviderId, &test_ids[0])) {
            found++;
            assert_int_equal(wcscmp(visible[i].szProtocol, L"OpenWS2 test [visible]"), 0);
        }
    assert_int_equal(found, 1);
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
}

static void test_WSCInstallProvider_fails_with_the_documented_errors(void **state)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test", 0, BASE_PROTOCOL), bad;
    WCHAR long_path[MAX_PATH + 8];
    int err, before = enum_view(false);
    (void)state;

    err = 0;
    assert_int_equal(WSCInstallProvider(NULL, TEST_PATH, &entry, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], NULL, &entry, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], L"", &entry, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    for (int i = 0; i < MAX_PATH + 7; i++) long_path[i] = L'a';
    long_path[MAX_PATH + 7] = 0;
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], long_path, &entry, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, NULL, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &entry, 0, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    /* A chain longer than MAX_PROTOCOL_CHAIN, and a chain over entries the catalog lacks. */
    bad = entry;
    bad.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1;
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &bad, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    bad.ProtocolChain.ChainLen = 2;
    bad.ProtocolChain.ChainEntries[0] = 0x7fff0001;
    bad.ProtocolChain.ChainEntries[1] = 0x7fff0002;
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &bad, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(enum_view(false), before);

    /* A provider already installed: WSANO_RECOVERY. */
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &entry, 1, &err), 0);
    err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &entry, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSANO_RECOVERY);
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
}

static void test_WSCDeinstallProvider_of_an_unknown_provider_fails_with_WSAEINVAL(void **state)
{
    int err = 0;
    (void)state;
    assert_int_equal(WSCDeinstallProvider(&test_ids[2], &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCDeinstallProvider32(&test_ids[2], &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCDeinstallProvider(NULL, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    /* A bad lpErrno is not written. */
    assert_int_equal(WSCDeinstallProvider(&test_ids[2], (LPINT)(ULONG_PTR)0x10), SOCKET_ERROR);
}

/* ---- the registry, and a new process ---- */

static void test_the_catalog_is_kept_in_the_registry_as_Windows_keeps_it(void **state)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [registry]", 0, BASE_PROTOCOL), stored;
    BYTE item[MAX_PATH + sizeof(WSAPROTOCOL_INFOW) + 64];
    DWORD count, next_id, size, type;
    WCHAR name[32];
    HKEY catalog, entries, key;
    int n, at, err = 0;
    (void)state;

    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &entry, 1, &err), 0);
    n = enum_view(false);
    at = find_provider(n, &test_ids[0]);
    assert_true(at >= 0);

    assert_int_equal(RegOpenKeyExW(HKEY_LOCAL_MACHINE, CATALOG_KEY, 0, KEY_READ, &catalog), 0);
    size = sizeof(count);
    assert_int_equal(
        RegQueryValueExW(catalog, L"Num_Catalog_Entries64", NULL, &type, (BYTE *)&count, &size), 0);
    assert_int_equal(type, REG_DWORD);
    assert_int_equal(count, n);
    size = sizeof(next_id);
    assert_int_equal(
        RegQueryValueExW(catalog, L"Next_Catalog_Entry_ID", NULL, &type, (BYTE *)&next_id, &size),
        0);
    assert_true(next_id > list[at].dwCatalogEntryId);
    assert_int_equal(RegOpenKeyExW(catalog, L"Catalog_Entries64", 0, KEY_READ, &entries), 0);
    /* The entry at position AT (0-based) is key number AT + 1, twelve digits. */
    swprintf(name, ARRAYSIZE(name), L"%012d", at + 1);
    assert_int_equal(RegOpenKeyExW(entries, name, 0, KEY_READ, &key), 0);
    size = sizeof(item);
    assert_int_equal(RegQueryValueExW(key, L"PackedCatalogItem", NULL, &type, item, &size), 0);
    assert_int_equal(type, REG_BINARY);
    assert_int_equal(size, MAX_PATH + sizeof(WSAPROTOCOL_INFOW));
    assert_string_equal((char *)item, "%SystemRoot%\\system32\\openws2-test-lsp.dll");
    memcpy(&stored, item + MAX_PATH, sizeof(stored));
    assert_true(IsEqualGUID(&stored.ProviderId, &test_ids[0]));
    assert_int_equal(stored.dwCatalogEntryId, list[at].dwCatalogEntryId);
    assert_int_equal(wcscmp(stored.szProtocol, L"OpenWS2 test [registry]"), 0);
    RegCloseKey(key);
    RegCloseKey(entries);
    RegCloseKey(catalog);
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
}

/* A new process (a new instance of the DLL) sees the catalog as it was left. */
static DWORD run_child(const char *what, int which)
{
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 64];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = 0xdead;

    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" --child-%hs %d", exe, what, which);
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    assert_int_equal(WaitForSingleObject(pi.hProcess, 60000), WAIT_OBJECT_0);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

/* The child: 0 if the provider is installed with its test name and path, 1 if not. */
static int child_find(int which)
{
    WSADATA data;
    WCHAR path[MAX_PATH];
    int n, at, err, len = MAX_PATH;

    if (WSAStartup(MAKEWORD(2, 2), &data)) return 3;
    n = enum_view(false);
    if ((at = find_provider(n, &test_ids[which])) < 0) return 1;
    if (wcscmp(list[at].szProtocol, L"OpenWS2 test [restart]")) return 2;
    if (WSCGetProviderPath(&test_ids[which], path, &len, &err) || wcscmp(path, TEST_PATH)) return 2;
    WSACleanup();
    return 0;
}

/* The child: install the provider, as another program would. */
static int child_install(int which)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [other process]", 0, BASE_PROTOCOL);
    int err = 0;
    return WSCInstallProvider(&test_ids[which], TEST_PATH, &entry, 1, &err) ? err : 0;
}

/* A change another process makes shows in the enumerations of this one. */
static void test_a_provider_another_process_installs_is_listed_here(void **state)
{
    WSAPROTOCOL_INFOW visible[MAX_LIST];
    DWORD len = sizeof(visible);
    int n, at, err = 0, found = 0;
    (void)state;

    assert_int_equal(find_provider(enum_view(false), &test_ids[2]), -1);
    assert_int_equal(run_child("install", 2), 0);
    n = enum_view(false);
    assert_true((at = find_provider(n, &test_ids[2])) >= 0);
    assert_int_equal(wcscmp(list[at].szProtocol, L"OpenWS2 test [other process]"), 0);
    n = WSAEnumProtocolsA(NULL, (WSAPROTOCOL_INFOA *)visible, &len);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        WSAPROTOCOL_INFOA *a = (WSAPROTOCOL_INFOA *)visible + i;
        if (IsEqualGUID(&a->ProviderId, &test_ids[2])) {
            found++;
            assert_string_equal(a->szProtocol, "OpenWS2 test [other process]");
        }
    }
    assert_int_equal(found, 1);
    assert_int_equal(WSCDeinstallProvider(&test_ids[2], &err), 0);
}

static void test_an_installed_provider_is_seen_by_a_new_process_until_deinstalled(void **state)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [restart]", 0, BASE_PROTOCOL);
    int err = 0;
    (void)state;

    assert_int_equal(run_child("find", 1), 1);
    assert_int_equal(WSCInstallProvider(&test_ids[1], TEST_PATH, &entry, 1, &err), 0);
    assert_int_equal(run_child("find", 1), 0);
    assert_int_equal(WSCDeinstallProvider(&test_ids[1], &err), 0);
    assert_int_equal(run_child("find", 1), 1);
}

/* ---- update and order ---- */

static void test_WSCUpdateProvider_replaces_the_entries_and_the_path(void **state)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [before]", 0, BASE_PROTOCOL), updated;
    WCHAR path[MAX_PATH];
    int n, at, err = 0, len = MAX_PATH;
    (void)state;

    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &entry, 1, &err), 0);
    n = enum_view(false);
    at = find_provider(n, &test_ids[0]);
    updated = list[at];
    lstrcpyW(updated.szProtocol, L"OpenWS2 test [after]");
    updated.dwMessageSize = 1234;
    assert_int_equal(WSCUpdateProvider(&test_ids[0], TEST_PATH2, &updated, 1, &err), 0);
    n = enum_view(false);
    assert_int_equal(find_provider(n, &test_ids[0]), at);
    assert_int_equal(wcscmp(list[at].szProtocol, L"OpenWS2 test [after]"), 0);
    assert_int_equal(list[at].dwMessageSize, 1234);
    assert_int_equal(list[at].dwCatalogEntryId, updated.dwCatalogEntryId);
    assert_int_equal(WSCGetProviderPath(&test_ids[0], path, &len, &err), 0);
    assert_int_equal(wcscmp(path, TEST_PATH2), 0);

    /* An unknown provider, and an entry that is not the provider's. */
    err = 0;
    assert_int_equal(WSCUpdateProvider(&test_ids[2], TEST_PATH2, &updated, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    updated.dwCatalogEntryId = list[0].dwCatalogEntryId;
    err = 0;
    assert_int_equal(WSCUpdateProvider(&test_ids[0], TEST_PATH2, &updated, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCUpdateProvider(&test_ids[0], TEST_PATH2, NULL, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    err = 0;
    assert_int_equal(WSCUpdateProvider32(&test_ids[0], TEST_PATH2, &updated, 1, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
}

static void test_WSCWriteProviderOrder_reorders_the_catalog(void **state)
{
    DWORD ids[MAX_LIST], reversed[MAX_LIST];
    int n = enum_view(false);
    (void)state;

    for (int i = 0; i < n; i++) {
        ids[i] = list[i].dwCatalogEntryId;
        reversed[n - 1 - i] = ids[i];
    }
    assert_int_equal(WSCWriteProviderOrder(reversed, n), 0);
    assert_int_equal(enum_view(false), n);
    for (int i = 0; i < n; i++) assert_int_equal(list[i].dwCatalogEntryId, reversed[i]);
    /* Back as it was. */
    assert_int_equal(WSCWriteProviderOrder(ids, n), 0);
    assert_int_equal(enum_view(false), n);
    for (int i = 0; i < n; i++) assert_int_equal(list[i].dwCatalogEntryId, ids[i]);
}

static void test_WSCWriteProviderOrder_needs_every_entry_exactly_once(void **state)
{
    DWORD ids[MAX_LIST], saved;
    int n = enum_view(false);
    (void)state;

    for (int i = 0; i < n; i++) ids[i] = list[i].dwCatalogEntryId;
    assert_int_equal(WSCWriteProviderOrder(ids, n - 1), WSAEINVAL);
    assert_int_equal(WSCWriteProviderOrder(NULL, n), WSAEINVAL);
    saved = ids[1];
    ids[1] = ids[0];
    assert_int_equal(WSCWriteProviderOrder(ids, n), WSAEINVAL);
    ids[1] = 0x7fff0001;
    assert_int_equal(WSCWriteProviderOrder(ids, n), WSAEINVAL);
    ids[1] = saved;
    /* Nothing changed. */
    assert_int_equal(enum_view(false), n);
    for (int i = 0; i < n; i++) assert_int_equal(list[i].dwCatalogEntryId, ids[i]);
}

/* ---- the 32-bit catalog ---- */

static void test_WSCInstallProvider64_32_installs_into_both_catalogs(void **state)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [both]", 0, BASE_PROTOCOL);
    WCHAR path[MAX_PATH];
    DWORD id;
    int n, at, err = 0, len = MAX_PATH;
    (void)state;

    assert_int_equal(WSCInstallProvider64_32(&test_ids[0], TEST_PATH, &entry, 1, &err), 0);
    n = enum_view(false);
    assert_true((at = find_provider(n, &test_ids[0])) >= 0);
    id = list[at].dwCatalogEntryId;
    n = enum_view(true);
    assert_true((at = find_provider(n, &test_ids[0])) >= 0);
    assert_int_equal(list[at].dwCatalogEntryId, id);
    assert_int_equal(WSCGetProviderPath32(&test_ids[0], path, &len, &err), 0);
    assert_int_equal(wcscmp(path, TEST_PATH), 0);

    /* The 32-bit calls change only the 32-bit catalog. */
    assert_int_equal(WSCDeinstallProvider32(&test_ids[0], &err), 0);
    assert_int_equal(find_provider(enum_view(true), &test_ids[0]), -1);
    assert_true(find_provider(enum_view(false), &test_ids[0]) >= 0);
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
    assert_int_equal(find_provider(enum_view(false), &test_ids[0]), -1);
}

/* ---- layered providers ---- */

static void test_WSCInstallProviderAndChains64_32_puts_chains_over_the_base_first(void **state)
{
    WSAPROTOCOL_INFOW want = tcp_entry(), visible[MAX_LIST];
    DWORD tcp_id = want.dwCatalogEntryId, layered = 0, len = sizeof(visible);
    int n, err = 0, chains = 0;
    (void)state;

    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], TEST_PATH, NULL,
                                                      L"OpenWS2 test LSP", XP1_IFS_HANDLES,
                                                      (LPWSAPROTOCOL_INFO)&want, 1, &layered, &err),
                     0);
    assert_true(layered != 0);
    for (int view32 = 0; view32 < 2; view32++) {
        n = enum_view(view32);
        /* The chain first, over the TCP entry; the layered entry hidden, at the end. */
        assert_true(IsEqualGUID(&list[0].ProviderId, &test_ids[0]));
        assert_int_equal(list[0].ProtocolChain.ChainLen, 2);
        assert_int_equal(list[0].ProtocolChain.ChainEntries[0], layered);
        assert_int_equal(list[0].ProtocolChain.ChainEntries[1], tcp_id);
        assert_int_equal(list[0].iProtocol, IPPROTO_TCP);
        assert_int_equal(list[n - 1].dwCatalogEntryId, layered);
        assert_int_equal(list[n - 1].ProtocolChain.ChainLen, LAYERED_PROTOCOL);
        assert_int_equal(wcscmp(list[n - 1].szProtocol, L"OpenWS2 test LSP"), 0);
        assert_int_equal(count_provider(n, &test_ids[0]), 2);
    }
    /* Programs see the chain before the base protocol, and not the layered entry. */
    n = WSAEnumProtocolsW(NULL, visible, &len);
    assert_true(n > 0);
    assert_true(IsEqualGUID(&visible[0].ProviderId, &test_ids[0]));
    for (int i = 0; i < n; i++) chains += IsEqualGUID(&visible[i].ProviderId, &test_ids[0]);
    assert_int_equal(chains, 1);

    /* The same provider or LSP name again: WSAEINVAL. */
    err = 0;
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], TEST_PATH, NULL, L"Other",
                                                      XP1_IFS_HANDLES, NULL, 0, NULL, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[1], TEST_PATH, NULL,
                                                      L"OpenWS2 test LSP", XP1_IFS_HANDLES, NULL, 0,
                                                      NULL, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);

    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
    assert_int_equal(WSCDeinstallProvider32(&test_ids[0], &err), 0);
    assert_int_equal(find_provider(enum_view(false), &test_ids[0]), -1);
}

/* Without a list: one chain for each base protocol's triple. */
static void test_WSCInstallProviderAndChains64_32_without_a_list_layers_every_base(void **state)
{
    int n, bases = 0, err = 0;
    (void)state;

    n = enum_view(false);
    for (int i = 0; i < n; i++) {
        bool dup = false;
        if (list[i].ProtocolChain.ChainLen != BASE_PROTOCOL) continue;
        for (int j = 0; j < i; j++)
            dup |= list[j].ProtocolChain.ChainLen == BASE_PROTOCOL &&
                   list[j].iAddressFamily == list[i].iAddressFamily &&
                   list[j].iSocketType == list[i].iSocketType &&
                   list[j].iProtocol == list[i].iProtocol;
        bases += !dup;
    }
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], TEST_PATH,
                                                      L"C:\\lsp32\\test.dll", L"OpenWS2 test LSP",
                                                      0, NULL, 0, NULL, &err),
                     0);
    n = enum_view(false);
    assert_int_equal(count_provider(n, &test_ids[0]), bases + 1);
    /* A non-IFS layer: its chains do not claim IFS handles. */
    for (int i = 0; i < bases; i++) {
        assert_true(IsEqualGUID(&list[i].ProviderId, &test_ids[0]));
        assert_false(list[i].dwServiceFlags1 & XP1_IFS_HANDLES);
    }
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
    assert_int_equal(WSCDeinstallProvider32(&test_ids[0], &err), 0);
}

static void test_WSCInstallProviderAndChains64_32_fails_with_the_documented_errors(void **state)
{
    WSAPROTOCOL_INFOW nothing = tcp_entry();
    WCHAR long_name[WSAPROTOCOL_LEN + 8];
    int err, before = enum_view(false);
    (void)state;

    err = 0;
    assert_int_equal(
        WSCInstallProviderAndChains64_32(NULL, TEST_PATH, NULL, L"LSP", 0, NULL, 0, NULL, &err),
        SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    /* Without a 32-bit path the DLL must be in the system folder. */
    err = 0;
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], L"C:\\elsewhere\\lsp.dll", NULL,
                                                      L"LSP", 0, NULL, 0, NULL, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    for (int i = 0; i < WSAPROTOCOL_LEN + 7; i++) long_name[i] = L'n';
    long_name[WSAPROTOCOL_LEN + 7] = 0;
    err = 0;
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], TEST_PATH, NULL, long_name, 0,
                                                      NULL, 0, NULL, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    /* A list given with no entries, and a triple no entry has. */
    err = 0;
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], TEST_PATH, NULL, L"LSP", 0,
                                                      (LPWSAPROTOCOL_INFO)&nothing, 0, NULL, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    nothing.iAddressFamily = 1234;
    err = 0;
    assert_int_equal(WSCInstallProviderAndChains64_32(&test_ids[0], TEST_PATH, NULL, L"LSP", 0,
                                                      (LPWSAPROTOCOL_INFO)&nothing, 1, NULL, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(enum_view(false), before);
}

/* ---- provider information ---- */

static void test_WSCSetProviderInfo_sets_the_categories_WSCGetProviderInfo_reports(void **state)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [categories]", 0, LAYERED_PROTOCOL);
    DWORD categories = LSP_PROXY | LSP_SYSTEM, got = 0;
    size_t size = sizeof(got);
    int err = 0;
    (void)state;

    assert_int_equal(WSCInstallProvider(&test_ids[0], TEST_PATH, &entry, 1, &err), 0);
    assert_int_equal(WSCSetProviderInfo(&test_ids[0], ProviderInfoLspCategories,
                                        (BYTE *)&categories, sizeof(categories), 0, &err),
                     0);
    assert_int_equal(
        WSCGetProviderInfo(&test_ids[0], ProviderInfoLspCategories, (BYTE *)&got, &size, 0, &err),
        0);
    assert_int_equal(got, LSP_PROXY | LSP_SYSTEM);
    assert_int_equal(size, sizeof(got));

    err = 0;
    assert_int_equal(WSCSetProviderInfo(&test_ids[0], ProviderInfoAudit, (BYTE *)&categories,
                                        sizeof(categories), 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, ERROR_CALL_NOT_IMPLEMENTED);
    err = 0;
    assert_int_equal(WSCSetProviderInfo(&test_ids[0], ProviderInfoLspCategories,
                                        (BYTE *)&categories, 2, 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCSetProviderInfo(&test_ids[0], ProviderInfoLspCategories, NULL,
                                        sizeof(categories), 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    err = 0;
    assert_int_equal(WSCSetProviderInfo(&test_ids[2], ProviderInfoLspCategories,
                                        (BYTE *)&categories, sizeof(categories), 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSANO_RECOVERY);
    /* Only the 64-bit catalog has it. */
    err = 0;
    assert_int_equal(WSCSetProviderInfo32(&test_ids[0], ProviderInfoLspCategories,
                                          (BYTE *)&categories, sizeof(categories), 0, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSANO_RECOVERY);
    assert_int_equal(WSCDeinstallProvider(&test_ids[0], &err), 0);
}

/* ---- applications' categories ---- */

#define APP_PATH L"C:\\openws2-test\\categorized.exe"

/* Remove the test application's keys from AppId_Catalog. */
static void forget_test_app(void)
{
    WCHAR name[64], path[MAX_PATH];
    HKEY catalog, key;
    DWORD i = 0, len, size, type;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, APPID_KEY, 0, KEY_ALL_ACCESS, &catalog)) return;
    for (;;) {
        bool ours = false;
        len = ARRAYSIZE(name);
        if (RegEnumKeyExW(catalog, i, name, &len, NULL, NULL, NULL, NULL)) break;
        if (!RegOpenKeyExW(catalog, name, 0, KEY_READ, &key)) {
            size = sizeof(path);
            ours = !RegQueryValueExW(key, L"AppFullPath", NULL, &type, (BYTE *)path, &size) &&
                   !lstrcmpiW(path, APP_PATH);
            RegCloseKey(key);
        }
        if (ours)
            RegDeleteKeyW(catalog, name);
        else
            i++;
    }
    RegCloseKey(catalog);
}

static void test_WSCSetApplicationCategory_is_what_WSCGetApplicationCategory_reads(void **state)
{
    DWORD previous = 0xdeadbeef, got = 0;
    DWORD len = (DWORD)wcslen(APP_PATH);
    int err = 0;
    (void)state;

    forget_test_app();
    err = 0;
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, len, NULL, 0, &got, &err), SOCKET_ERROR);
    assert_int_equal(err, WSASERVICE_NOT_FOUND);

    assert_int_equal(WSCSetApplicationCategory(APP_PATH, len, NULL, 0, LSP_SYSTEM, &previous, &err),
                     0);
    assert_int_equal(previous, 0);
    assert_int_equal(WSCSetApplicationCategory(APP_PATH, len, NULL, 0, LSP_PROXY | LSP_FIREWALL,
                                               &previous, &err),
                     0);
    assert_int_equal(previous, LSP_SYSTEM);
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, len, NULL, 0, &got, &err), 0);
    assert_int_equal(got, LSP_PROXY | LSP_FIREWALL);
    /* Another instance (other arguments) is another application. */
    err = 0;
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, len, L"-k netsvcs", 10, &got, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSASERVICE_NOT_FOUND);
    assert_int_equal(
        WSCSetApplicationCategory(APP_PATH, len, L"-k netsvcs", 10, LSP_INSPECTOR, NULL, &err), 0);
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, len, L"-k netsvcs", 10, &got, &err), 0);
    assert_int_equal(got, LSP_INSPECTOR);
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, len, NULL, 0, &got, &err), 0);
    assert_int_equal(got, LSP_PROXY | LSP_FIREWALL);

    /* Missing arguments. */
    err = 0;
    assert_int_equal(WSCGetApplicationCategory(NULL, len, NULL, 0, &got, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, 0, NULL, 0, &got, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_int_equal(WSCGetApplicationCategory(APP_PATH, len, NULL, 0, NULL, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    forget_test_app();
}

/* ---- notification of changes ---- */

static volatile LONG routine_calls;

static void CALLBACK config_routine(DWORD error, DWORD transferred, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)error, (void)transferred, (void)ov, (void)flags;
    InterlockedIncrement(&routine_calls);
}

static void install_and_remove(int which)
{
    WSAPROTOCOL_INFOW entry = test_entry(L"OpenWS2 test [change]", 0, BASE_PROTOCOL);
    int err = 0;
    assert_int_equal(WSCInstallProvider(&test_ids[which], TEST_PATH, &entry, 1, &err), 0);
    assert_int_equal(WSCDeinstallProvider(&test_ids[which], &err), 0);
}

static void test_WSAProviderConfigChange_completes_an_overlapped_wait_on_a_change(void **state)
{
    HANDLE handle = NULL;
    WSAOVERLAPPED ov = {0};
    (void)state;

    assert_int_equal(WSAProviderConfigChange(&handle, NULL, NULL), 0);
    assert_non_null(handle);
    ov.hEvent = WSACreateEvent();
    assert_socket_error(WSAProviderConfigChange(&handle, &ov, NULL), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    install_and_remove(0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, 0);

    /* With a completion routine: run in the calling thread's alertable wait. */
    routine_calls = 0;
    assert_socket_error(WSAProviderConfigChange(&handle, &ov, config_routine), WSA_IO_PENDING);
    install_and_remove(0);
    for (int i = 0; i < 100 && !routine_calls; i++) SleepEx(100, TRUE);
    assert_int_equal(routine_calls, 1);

    WSACloseEvent(ov.hEvent);
    assert_true(CloseHandle(handle));
}

static DWORD WINAPI change_until(void *arg)
{
    volatile LONG *done = arg;
    while (!*done) {
        install_and_remove(1);
        Sleep(50);
    }
    return 0;
}

static void test_WSAProviderConfigChange_without_OVERLAPPED_blocks_until_a_change(void **state)
{
    HANDLE handle = NULL, thread;
    volatile LONG done = 0;
    (void)state;

    assert_int_equal(WSAProviderConfigChange(&handle, NULL, NULL), 0);
    thread = CreateThread(NULL, 0, change_until, (void *)&done, 0, NULL);
    assert_int_equal(WSAProviderConfigChange(&handle, NULL, NULL), 0);
    done = 1;
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(handle);
}

static void test_WSAProviderConfigChange_fails_with_the_documented_errors(void **state)
{
    HANDLE handle, event = CreateEventW(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov = {0};
    (void)state;

    /* Not a notification handle. */
    handle = event;
    assert_socket_error(WSAProviderConfigChange(&handle, &ov, NULL), WSA_INVALID_HANDLE);
    assert_socket_error(WSAProviderConfigChange(NULL, NULL, NULL), WSAEFAULT);
    assert_int_equal(WSACleanup(), 0);
    handle = NULL;
    assert_socket_error(WSAProviderConfigChange(&handle, NULL, NULL), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
    CloseHandle(event);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSCInstallProvider_adds_entries_WSCEnumProtocols_lists_at_the_end),
        cmocka_unit_test(test_WSAEnumProtocols_lists_neither_hidden_nor_layered_entries),
        cmocka_unit_test(test_WSCInstallProvider_fails_with_the_documented_errors),
        cmocka_unit_test(test_WSCDeinstallProvider_of_an_unknown_provider_fails_with_WSAEINVAL),
        cmocka_unit_test(test_the_catalog_is_kept_in_the_registry_as_Windows_keeps_it),
        cmocka_unit_test(test_an_installed_provider_is_seen_by_a_new_process_until_deinstalled),
        cmocka_unit_test(test_a_provider_another_process_installs_is_listed_here),
        cmocka_unit_test(test_WSCUpdateProvider_replaces_the_entries_and_the_path),
        cmocka_unit_test(test_WSCWriteProviderOrder_reorders_the_catalog),
        cmocka_unit_test(test_WSCWriteProviderOrder_needs_every_entry_exactly_once),
        cmocka_unit_test(test_WSCInstallProvider64_32_installs_into_both_catalogs),
        cmocka_unit_test(test_WSCInstallProviderAndChains64_32_puts_chains_over_the_base_first),
        cmocka_unit_test(test_WSCInstallProviderAndChains64_32_without_a_list_layers_every_base),
        cmocka_unit_test(test_WSCInstallProviderAndChains64_32_fails_with_the_documented_errors),
        cmocka_unit_test(test_WSCSetProviderInfo_sets_the_categories_WSCGetProviderInfo_reports),
        cmocka_unit_test(test_WSCSetApplicationCategory_is_what_WSCGetApplicationCategory_reads),
        cmocka_unit_test(test_WSAProviderConfigChange_completes_an_overlapped_wait_on_a_change),
        cmocka_unit_test(test_WSAProviderConfigChange_without_OVERLAPPED_blocks_until_a_change),
        cmocka_unit_test(test_WSAProviderConfigChange_fails_with_the_documented_errors),
    };
    if (argc == 3 && !strcmp(argv[1], "--child-find")) return child_find(atoi(argv[2]));
    if (argc == 3 && !strcmp(argv[1], "--child-install")) return child_install(atoi(argv[2]));
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
