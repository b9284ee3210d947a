/*
 * Entry points: the protocol catalog as programs read it (WSAEnumProtocolsA/W,
 * WSCEnumProtocols(32), WSCGetProviderPath(32), WSCGetProviderInfo(32)), from the registry
 * catalog (src/catalog/protocol.c). The calls that change it are in src/api/wsc.c.
 */
#include "openws2/catalog.h"

/* Whether an entry carries one of the protocols of a zero-terminated list (NULL: any). */
static bool wanted(const WSAPROTOCOL_INFOW *e, const INT *protocols)
{
    if (!protocols) return true;
    for (const INT *p = protocols; *p; p++) {
        if (*p >= e->iProtocol && *p <= e->iProtocol + e->iProtocolMaxOffset) return true;
    }
    return false;
}

/* WSAEnumProtocols lists base protocols and chains without PFL_HIDDEN; the WSC form lists
   every entry, the layered ones (chain length 0) too. */
static bool listed(const WSAPROTOCOL_INFOW *e, bool all)
{
    if (all) return true;
    return !(e->dwProviderFlags & PFL_HIDDEN) && e->ProtocolChain.ChainLen != LAYERED_PROTOCOL;
}

/* The protocol list is read up to its 0: every element must be readable. */
static bool protocols_readable(const INT *p)
{
    for (;; p++) {
        if (!ws_readable(p, sizeof(*p))) return false;
        if (!*p) return true;
    }
}

/*
 * The entries of VIEW a call lists into a buffer of *len bytes, each ENTRY_SIZE bytes. Returns
 * the count, or SOCKET_ERROR with *err: WSAEFAULT for unusable pointers, WSAENOBUFS with *len
 * set to the size needed when the buffer is missing or too small.
 */
static int enumerate(enum catalog_view view, const INT *protocols, void *buffer, DWORD *len,
                     bool unicode, bool all, int *err)
{
    size_t entry_size = unicode ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);
    struct catalog *catalog;
    int count = 0, done = 0;

    if (!len || !ws_writable(len, sizeof(*len))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (protocols && !protocols_readable(protocols)) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if ((*err = catalog_get(view, true, &catalog))) return SOCKET_ERROR;
    for (int i = 0; i < catalog->count; i++) {
        const WSAPROTOCOL_INFOW *e = &catalog->entries[i].info;
        if (listed(e, all) && wanted(e, protocols)) count++;
    }
    if (!buffer || *len < count * entry_size) {
        *len = (DWORD)(count * entry_size);
        *err = WSAENOBUFS;
    } else if (!ws_writable(buffer, count * entry_size)) {
        *err = WSAEFAULT;
    }
    for (int i = 0; i < catalog->count && !*err; i++) {
        const WSAPROTOCOL_INFOW *e = &catalog->entries[i].info;
        if (!listed(e, all) || !wanted(e, protocols)) continue;
        if (unicode) {
            memcpy((WSAPROTOCOL_INFOW *)buffer + done, e, sizeof(*e));
        } else {
            /* The layouts are the same up to the name, the only text. */
            WSAPROTOCOL_INFOA *a = (WSAPROTOCOL_INFOA *)buffer + done;
            memcpy(a, e, offsetof(WSAPROTOCOL_INFOA, szProtocol));
            if (!WideCharToMultiByte(CP_ACP, 0, e->szProtocol, -1, a->szProtocol,
                                     sizeof(a->szProtocol), NULL, NULL))
                a->szProtocol[0] = 0;
        }
        done++;
    }
    catalog_put(catalog);
    return *err ? SOCKET_ERROR : done;
}

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                             LPDWORD lpdwBufferLength)
{
    int err, ret;
    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    ret = enumerate(CATALOG_NATIVE, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, true, false,
                    &err);
    return ret == SOCKET_ERROR ? ws_fail(err) : ret;
}

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer,
                             LPDWORD lpdwBufferLength)
{
    int err, ret;
    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    ret = enumerate(CATALOG_NATIVE, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, false, false,
                    &err);
    return ret == SOCKET_ERROR ? ws_fail(err) : ret;
}

/* The service provider interface's form: no WSAStartup needed, hidden and layered entries
   included, the error in *lpErrno. */
static int wsc_enumerate(enum catalog_view view, LPINT protocols, LPWSAPROTOCOL_INFOW buffer,
                         LPDWORD len, LPINT lpErrno)
{
    int err, ret = enumerate(view, protocols, buffer, len, true, true, &err);
    if (ret != SOCKET_ERROR) return ret;
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = err;
    SetLastError(err);
    return SOCKET_ERROR;
}

int WSPAPI WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                            LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return wsc_enumerate(CATALOG_NATIVE, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

int WSPAPI WSCEnumProtocols32(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                              LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return wsc_enumerate(CATALOG_32, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

/* ---- the providers behind the entries ---- */

static int wsc_fail(LPINT lpErrno, int err)
{
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = err;
    return SOCKET_ERROR;
}

/* The provider's DLL path as the catalog stores it: WSAEFAULT without the GUID or the length,
   WSAEINVAL for a buffer or length that cannot hold anything and for a provider the catalog
   does not list, WSAEFAULT with the length needed for a buffer too short. */
static int provider_path(enum catalog_view view, LPGUID id, WCHAR *path, LPINT len, LPINT lpErrno)
{
    const struct catalog_entry *entry;
    struct catalog *catalog;
    int needed, err = 0;

    if (!id || !len || !ws_readable(id, sizeof(*id)) || !ws_writable(len, sizeof(*len)))
        return wsc_fail(lpErrno, WSAEFAULT);
    if (!path || *len <= 0) return wsc_fail(lpErrno, WSAEINVAL);
    if ((err = catalog_get(view, true, &catalog))) return wsc_fail(lpErrno, err);
    if (!(entry = catalog_find_provider(catalog, id))) {
        err = WSAEINVAL;
    } else {
        needed = (int)wcslen(entry->path) + 1;
        if (*len < needed || !ws_writable(path, needed * sizeof(WCHAR)))
            err = WSAEFAULT;
        else
            memcpy(path, entry->path, needed * sizeof(WCHAR));
        *len = needed;
    }
    catalog_put(catalog);
    return err ? wsc_fail(lpErrno, err) : 0;
}

int WSPAPI WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                              LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return provider_path(CATALOG_NATIVE, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen,
                         lpErrno);
}

int WSPAPI WSCGetProviderPath32(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return provider_path(CATALOG_32, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen,
                         lpErrno);
}

/* A provider's information: its layered-provider categories (0 until WSCSetProviderInfo sets
   some). WSAEFAULT without a GUID; WSANO_RECOVERY for a provider the catalog does not list, as
   Windows answers; ERROR_CALL_NOT_IMPLEMENTED for the audit class and WSAEINVAL for another;
   WSAEFAULT with the size needed for a buffer too short. */
static int provider_info(enum catalog_view view, LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info,
                         size_t *size, DWORD flags, LPINT lpErrno)
{
    const struct catalog_entry *entry;
    struct catalog *catalog;
    DWORD categories;
    int err;

    if (!id || !ws_readable(id, sizeof(*id))) return wsc_fail(lpErrno, WSAEFAULT);
    if ((err = catalog_get(view, true, &catalog))) return wsc_fail(lpErrno, err);
    entry = catalog_find_provider(catalog, id);
    categories = entry ? entry->lsp_categories : 0;
    catalog_put(catalog);
    if (!entry) return wsc_fail(lpErrno, WSANO_RECOVERY);
    if (type == ProviderInfoAudit) return wsc_fail(lpErrno, ERROR_CALL_NOT_IMPLEMENTED);
    if (type != ProviderInfoLspCategories || flags) return wsc_fail(lpErrno, WSAEINVAL);
    if (!size || !ws_writable(size, sizeof(*size))) return wsc_fail(lpErrno, WSAEFAULT);
    if (!info || *size < sizeof(categories) || !ws_writable(info, sizeof(categories))) {
        *size = sizeof(categories);
        return wsc_fail(lpErrno, WSAEFAULT);
    }
    memcpy(info, &categories, sizeof(categories));
    *size = sizeof(categories);
    return 0;
}

int WSPAPI WSCGetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                              size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    return provider_info(CATALOG_NATIVE, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCGetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                                size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    return provider_info(CATALOG_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}
