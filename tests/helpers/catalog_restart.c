/*
 * catalog_restart install|check: the Winsock catalogs survive a restart of the prefix.
 * "install" adds a protocol provider and a namespace provider of its own; tests/catalog-restart.sh
 * then stops the prefix's wineserver (which writes the registry out) and runs "check", which
 * finds both again, removes them and finds them gone. Exit status 0 when all holds; a line on
 * stderr says what did not.
 */
#include "ws_test.h"
#include <ws2spi.h>
#include <stdbool.h>
#include <stdio.h>

static GUID protocol_id = {0x6f70656e, 0x7773, 0x3272, {0x73, 0x74, 0x61, 0x72, 0x74, 0x70, 0x72, 0x31}};
static GUID namespace_id = {0x6f70656e, 0x7773, 0x3272, {0x73, 0x74, 0x61, 0x72, 0x74, 0x6e, 0x73, 0x31}};
static WCHAR provider_path[] = L"%SystemRoot%\\system32\\openws2-restart-test.dll";
static WCHAR namespace_name[] = L"OpenWS2 restart test";

static int failed(const char *what)
{
    fprintf(stderr, "catalog_restart: %s\n", what);
    return 1;
}

static bool protocol_present(void)
{
    static WSAPROTOCOL_INFOW list[64];
    DWORD len = sizeof(list);
    int err, n = WSCEnumProtocols(NULL, list, &len, &err);
    for (int i = 0; i < n; i++)
        if (IsEqualGUID(&list[i].ProviderId, &protocol_id)) return true;
    return false;
}

static bool namespace_present(void)
{
    static char buffer[16384];
    DWORD len = sizeof(buffer);
    int n = WSAEnumNameSpaceProvidersW(&len, (WSANAMESPACE_INFOW *)buffer);
    for (int i = 0; i < n; i++)
        if (IsEqualGUID(&((WSANAMESPACE_INFOW *)buffer)[i].NSProviderId, &namespace_id))
            return true;
    return false;
}

static int install(void)
{
    static WSAPROTOCOL_INFOW list[64];
    DWORD len = sizeof(list);
    int err, n = WSCEnumProtocols(NULL, list, &len, &err);
    WSAPROTOCOL_INFOW entry;
    if (n <= 0) return failed("WSCEnumProtocols found no entry");
    entry = list[0];
    lstrcpynW(entry.szProtocol, L"OpenWS2 restart test", WSAPROTOCOL_LEN + 1);
    if (WSCInstallProvider(&protocol_id, provider_path, &entry, 1, &err))
        return failed("WSCInstallProvider failed");
    if (WSCInstallNameSpace(namespace_name, provider_path, NS_DNS, 1, &namespace_id))
        return failed("WSCInstallNameSpace failed");
    if (!protocol_present() || !namespace_present()) return failed("installed entries not listed");
    return 0;
}

static int check(void)
{
    int err, status = 0;
    if (!protocol_present()) status = failed("the protocol provider is gone after the restart");
    if (!namespace_present()) status = failed("the namespace provider is gone after the restart");
    WSCDeinstallProvider(&protocol_id, &err);
    WSCUnInstallNameSpace(&namespace_id);
    if (protocol_present() || namespace_present()) status = failed("entries still listed");
    return status;
}

int main(int argc, char **argv)
{
    WSADATA data;
    int status;
    ws_test_require_openws2();
    if (argc != 2 || WSAStartup(MAKEWORD(2, 2), &data)) return failed("usage: install|check");
    status = !strcmp(argv[1], "install") ? install() : check();
    WSACleanup();
    return status;
}
