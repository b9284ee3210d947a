/*
 * Entry points: the namespace catalog as programs enumerate it (WSAEnumNameSpaceProvidersA/W and
 * the Ex forms).
 */
#include "openws2/core.h"

/* The namespace providers: the DNS one that the getaddrinfo family uses, as Windows lists it
   ("Tcpip", NS_DNS, with Windows' provider GUID). */
static const struct {
    GUID id;
    DWORD name_space, version;
    const WCHAR *identifier;
} name_spaces[] = {
    {{0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}},
     NS_DNS,
     1,
     L"Tcpip"},
};

/*
 * The entries, then their identifiers, in one buffer: ENTRY_SIZE bytes per entry (the Ex forms
 * add an empty provider-specific blob), the strings after the array. WSAEFAULT without a length,
 * and, with the size needed, without a buffer or with one too short.
 */
static int enum_name_spaces(DWORD *len, void *buffer, bool unicode, bool ex)
{
    size_t entry_size = ex ? (unicode ? sizeof(WSANAMESPACE_INFOEXW) : sizeof(WSANAMESPACE_INFOEXA))
                           : (unicode ? sizeof(WSANAMESPACE_INFOW) : sizeof(WSANAMESPACE_INFOA));
    size_t count = ARRAY_COUNT(name_spaces), needed = count * entry_size;
    char *strings;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!len || !ws_writable(len, sizeof(*len))) return ws_fail(WSAEFAULT);
    for (size_t i = 0; i < count; i++)
        needed += unicode ? (wcslen(name_spaces[i].identifier) + 1) * sizeof(WCHAR)
                          : (size_t)WideCharToMultiByte(CP_ACP, 0, name_spaces[i].identifier, -1,
                                                        NULL, 0, NULL, NULL);
    if (!buffer || *len < needed || !ws_writable(buffer, needed)) {
        *len = (DWORD)needed;
        return ws_fail(WSAEFAULT);
    }
    memset(buffer, 0, count * entry_size);
    strings = (char *)buffer + count * entry_size;
    for (size_t i = 0; i < count; i++) {
        /* The A, W and Ex layouts agree up to the blob that ends the Ex ones. */
        WSANAMESPACE_INFOW *e = (WSANAMESPACE_INFOW *)((char *)buffer + i * entry_size);
        e->NSProviderId = name_spaces[i].id;
        e->dwNameSpace = name_spaces[i].name_space;
        e->fActive = TRUE;
        e->dwVersion = name_spaces[i].version;
        e->lpszIdentifier = (WCHAR *)strings;
        if (unicode) {
            size_t n = (wcslen(name_spaces[i].identifier) + 1) * sizeof(WCHAR);
            memcpy(strings, name_spaces[i].identifier, n);
            strings += n;
        } else {
            strings += WideCharToMultiByte(CP_ACP, 0, name_spaces[i].identifier, -1, strings,
                                           (int)(needed - (strings - (char *)buffer)), NULL, NULL);
        }
    }
    SetLastError(0);
    return (int)count;
}

INT WSAAPI WSAEnumNameSpaceProvidersA(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOA lpnspBuffer)
{
    return enum_name_spaces(lpdwBufferLength, lpnspBuffer, false, false);
}

INT WSAAPI WSAEnumNameSpaceProvidersW(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOW lpnspBuffer)
{
    return enum_name_spaces(lpdwBufferLength, lpnspBuffer, true, false);
}

INT WSAAPI WSAEnumNameSpaceProvidersExA(LPDWORD lpdwBufferLength,
                                        LPWSANAMESPACE_INFOEXA lpnspBuffer)
{
    return enum_name_spaces(lpdwBufferLength, lpnspBuffer, false, true);
}

INT WSAAPI WSAEnumNameSpaceProvidersExW(LPDWORD lpdwBufferLength,
                                        LPWSANAMESPACE_INFOEXW lpnspBuffer)
{
    return enum_name_spaces(lpdwBufferLength, lpnspBuffer, true, true);
}
