/*
 * Entry points: the protocol catalog as programs enumerate it (WSAEnumProtocolsA/W,
 * WSCEnumProtocols, WSCEnumProtocols32).
 *
 * The catalog is the built-in provider's entries (TCP, UDP and raw IP over IPv4 and IPv6, with
 * the values Windows reports for them). The registry catalog, where Windows keeps these and where
 * layered providers add theirs, is not read yet.
 */
#include "openws2/core.h"
#include "openws2/afd_provider.h"

#define MAX_ENTRIES 16

/* Whether an entry carries one of the protocols of a zero-terminated list (NULL: any). */
static bool wanted(const WSAPROTOCOL_INFOW *e, const INT *protocols)
{
    if (!protocols) return true;
    for (const INT *p = protocols; *p; p++) {
        if (*p >= e->iProtocol && *p <= e->iProtocol + e->iProtocolMaxOffset) return true;
    }
    return false;
}

/*
 * The entries a call lists into a buffer of *len bytes, each ENTRY_SIZE bytes. Returns the count,
 * or SOCKET_ERROR with *err: WSAEFAULT for unusable pointers, WSAENOBUFS with *len set to the
 * size needed when the buffer is missing or too small.
 */
static int enumerate(const INT *protocols, void *buffer, DWORD *len, bool unicode, bool hidden,
                     int *err)
{
    WSAPROTOCOL_INFOW all[MAX_ENTRIES], *list[MAX_ENTRIES];
    size_t entry_size = unicode ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);
    int total = afd_catalog(all, MAX_ENTRIES), count = 0;

    if (!len || !ws_writable(len, sizeof(*len))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (protocols && !ws_readable(protocols, sizeof(*protocols))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    for (int i = 0; i < total && i < MAX_ENTRIES; i++) {
        /* Hidden entries are for WSC callers only, as PFL_HIDDEN asks. */
        if ((all[i].dwProviderFlags & PFL_HIDDEN) && !hidden) continue;
        if (wanted(&all[i], protocols)) list[count++] = &all[i];
    }
    if (!buffer || *len < count * entry_size) {
        *len = (DWORD)(count * entry_size);
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    if (!ws_writable(buffer, count * entry_size)) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    for (int i = 0; i < count; i++) {
        if (unicode) {
            memcpy((WSAPROTOCOL_INFOW *)buffer + i, list[i], sizeof(WSAPROTOCOL_INFOW));
        } else {
            /* The layouts are the same up to the name, the only text. */
            WSAPROTOCOL_INFOA *a = (WSAPROTOCOL_INFOA *)buffer + i;
            memcpy(a, list[i], offsetof(WSAPROTOCOL_INFOA, szProtocol));
            if (!WideCharToMultiByte(CP_ACP, 0, list[i]->szProtocol, -1, a->szProtocol,
                                     sizeof(a->szProtocol), NULL, NULL))
                a->szProtocol[0] = 0;
        }
    }
    return count;
}

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                             LPDWORD lpdwBufferLength)
{
    int err, ret;
    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    ret = enumerate(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, true, false, &err);
    return ret == SOCKET_ERROR ? ws_fail(err) : ret;
}

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer,
                             LPDWORD lpdwBufferLength)
{
    int err, ret;
    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    ret = enumerate(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, false, false, &err);
    return ret == SOCKET_ERROR ? ws_fail(err) : ret;
}

/* The service provider interface's form: no WSAStartup needed, hidden entries included, the
   error in *lpErrno. */
static int wsc_enumerate(LPINT protocols, LPWSAPROTOCOL_INFOW buffer, LPDWORD len, LPINT lpErrno)
{
    int err, ret = enumerate(protocols, buffer, len, true, true, &err);
    if (ret != SOCKET_ERROR) return ret;
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = err;
    SetLastError(err);
    return SOCKET_ERROR;
}

int WSPAPI WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                            LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return wsc_enumerate(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

/* The 32-bit catalog of a 64-bit system lists the same built-in entries. */
int WSPAPI WSCEnumProtocols32(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                              LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return wsc_enumerate(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

/* ---- the providers behind the entries ---- */

/* Where Windows' catalog says its TCP/IP providers live, unexpanded as it stores it. */
static const WCHAR tcpip_provider_path[] = L"%SystemRoot%\\system32\\mswsock.dll";

static bool provider_known(const GUID *id)
{
    WSAPROTOCOL_INFOW all[MAX_ENTRIES];
    int total = afd_catalog(all, MAX_ENTRIES);
    for (int i = 0; i < total && i < MAX_ENTRIES; i++)
        if (!memcmp(&all[i].ProviderId, id, sizeof(*id))) return true;
    return false;
}

static int wsc_fail(LPINT lpErrno, int err)
{
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = err;
    return SOCKET_ERROR;
}

/* The provider's DLL path: WSAEFAULT without the GUID or the length, WSAEINVAL for a buffer or
   length that cannot hold anything and for a provider the catalog does not list, WSAEFAULT with
   the length needed for a buffer too short. */
static int provider_path(LPGUID id, WCHAR *path, LPINT len, LPINT lpErrno)
{
    int needed = (int)ARRAY_COUNT(tcpip_provider_path);

    if (!id || !len || !ws_readable(id, sizeof(*id)) || !ws_writable(len, sizeof(*len)))
        return wsc_fail(lpErrno, WSAEFAULT);
    if (!path || *len <= 0) return wsc_fail(lpErrno, WSAEINVAL);
    if (!provider_known(id)) return wsc_fail(lpErrno, WSAEINVAL);
    if (*len < needed || !ws_writable(path, needed * sizeof(WCHAR))) {
        *len = needed;
        return wsc_fail(lpErrno, WSAEFAULT);
    }
    memcpy(path, tcpip_provider_path, sizeof(tcpip_provider_path));
    *len = needed;
    return 0;
}

int WSPAPI WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                              LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return provider_path(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

int WSPAPI WSCGetProviderPath32(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return provider_path(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

/* A provider's information: the layered-provider categories of a base provider are none (0).
   WSAEFAULT without a GUID; WSANO_RECOVERY for a provider the catalog does not list, as
   Windows answers; WSAEINVAL for a type it does not keep; WSAEFAULT with the size needed for a
   buffer too short. */
static int provider_info(LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t *size,
                         DWORD flags, LPINT lpErrno)
{
    DWORD categories = 0;

    if (!id || !ws_readable(id, sizeof(*id))) return wsc_fail(lpErrno, WSAEFAULT);
    if (!provider_known(id)) return wsc_fail(lpErrno, WSANO_RECOVERY);
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
    return provider_info(lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCGetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                                size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    return provider_info(lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}
