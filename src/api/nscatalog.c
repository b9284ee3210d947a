/*
 * The namespace catalog: the registry's
 * HKLM\System\CurrentControlSet\Services\WinSock2\Parameters\NameSpace_Catalog5, where Windows
 * keeps its namespace providers (Catalog_Entries64 for 64-bit processes, Catalog_Entries for
 * 32-bit ones, each entry a numbered key), and the calls that read and change it:
 * WSAEnumNameSpaceProvidersA/W and the Ex forms, WSCEnumNameSpaceProviders32 and its Ex form,
 * WSCInstallNameSpace(Ex)(32), WSCUnInstallNameSpace(32), WSCEnableNSProvider(32) and
 * WSCWriteNameSpaceOrder(32).
 *
 * The catalog is read fresh on every call (a change made by another process shows at once) and
 * made with Windows' default DNS entry when a view has never been written. The registry is
 * reached through ntdll, so that the DLL imports nothing new.
 */
#include "nscatalog.h"
#include "openws2/catalog.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ntdll's registry calls (the SDK headers leave them out) ---- */

NTSTATUS NTAPI NtQueryValueKey(HANDLE key, UNICODE_STRING *name, int info_class, void *info,
                               ULONG length, ULONG *result_length);
NTSTATUS NTAPI NtEnumerateKey(HANDLE key, ULONG index, int info_class, void *info, ULONG length,
                              ULONG *result_length);
NTSTATUS NTAPI NtDeleteKey(HANDLE key);

#define KEY_BASIC_INFO         0
#define KEY_VALUE_PARTIAL_INFO 2

typedef struct {
    LARGE_INTEGER last_write;
    ULONG title_index;
    ULONG name_length;
    WCHAR name[64];
} key_basic_info;

typedef struct {
    ULONG title_index;
    ULONG type;
    ULONG length;
    BYTE data[MAX_PATH * sizeof(WCHAR) + NS_INFO_MAX];
} key_value_info;

const GUID ns_dns_provider_id = {
    0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}};

static const WCHAR services_path[] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services";

/* Changes made through this process are made one at a time. */
static SRWLOCK catalog_lock = SRWLOCK_INIT;

/* ---- registry helpers ---- */

/* The registry helpers of the protocol catalog (src/catalog/protocol.c), with one addition: a
   key opened for writing falls back to reading, so that a reader without write access reads. */
static HANDLE reg_open(HANDLE root, const WCHAR *name, bool create)
{
    HANDLE key = catalog_reg_open(root, name, KEY_ALL_ACCESS, create);
    if (!key && !create) key = catalog_reg_open(root, name, KEY_READ, false);
    return key;
}

/* The value NAME into DATA (SIZE bytes at most); its length, or -1 if absent or of another
   type. */
static int reg_get(HANDLE key, const WCHAR *name, ULONG type, void *data, ULONG size)
{
    UNICODE_STRING us;
    key_value_info *info;
    ULONG len;
    int ret = -1;

    if (!(info = HeapAlloc(GetProcessHeap(), 0, sizeof(*info)))) return -1;
    RtlInitUnicodeString(&us, name);
    if (!NtQueryValueKey(key, &us, KEY_VALUE_PARTIAL_INFO, info, sizeof(*info), &len) &&
        (info->type == type || (type == REG_SZ && info->type == REG_EXPAND_SZ)) &&
        info->length <= size) {
        memcpy(data, info->data, info->length);
        ret = (int)info->length;
    }
    HeapFree(GetProcessHeap(), 0, info);
    return ret;
}

static bool reg_set_string(HANDLE key, const WCHAR *name, ULONG type, const WCHAR *s)
{
    return catalog_reg_set(key, name, type, s, (ULONG)((wcslen(s) + 1) * sizeof(WCHAR)));
}

/* The name of subkey INDEX into NAME (64 characters); false past the last. */
static bool reg_subkey(HANDLE key, ULONG index, WCHAR *name)
{
    key_basic_info info;
    ULONG len, n;
    if (NtEnumerateKey(key, index, KEY_BASIC_INFO, &info, sizeof(info), &len)) return false;
    n = info.name_length / sizeof(WCHAR);
    if (n > 63) n = 63;
    memcpy(name, info.name, n * sizeof(WCHAR));
    name[n] = 0;
    return true;
}

static bool reg_delete(HANDLE root, const WCHAR *name)
{
    HANDLE key = reg_open(root, name, false);
    bool ok;
    if (!key) return false;
    ok = !NtDeleteKey(key);
    NtClose(key);
    return ok;
}

/* ---- the catalog ---- */

static const WCHAR *entries_name(bool wow32)
{
    return wow32 ? L"Catalog_Entries" : L"Catalog_Entries64";
}

static const WCHAR *count_name(bool wow32)
{
    return wow32 ? L"Num_Catalog_Entries" : L"Num_Catalog_Entries64";
}

/* The NameSpace_Catalog5 key, made (with its parents) if absent. */
static HANDLE catalog_key(void)
{
    static const WCHAR *const parts[] = {L"WinSock2", L"Parameters", L"NameSpace_Catalog5"};
    HANDLE key = reg_open(NULL, services_path, false), next;
    for (size_t i = 0; key && i < ARRAY_COUNT(parts); i++) {
        next = reg_open(key, parts[i], false);
        if (!next) next = reg_open(key, parts[i], true);
        NtClose(key);
        key = next;
    }
    return key;
}

static bool entry_write(HANDLE entries, DWORD number, const struct ns_entry *e)
{
    WCHAR name[16];
    HANDLE key;
    bool ok;

    _snwprintf(name, ARRAY_COUNT(name), L"%012lu", (unsigned long)number);
    if (!(key = reg_open(entries, name, true))) return false;
    ok = reg_set_string(key, L"LibraryPath", REG_EXPAND_SZ, e->path) &&
         reg_set_string(key, L"DisplayString", REG_SZ, e->display) &&
         catalog_reg_set(key, L"ProviderId", REG_BINARY, &e->id, sizeof(e->id)) &&
         catalog_reg_set_dword(key, L"AddressFamily", e->family) &&
         catalog_reg_set_dword(key, L"SupportedNameSpace", e->name_space) &&
         catalog_reg_set_dword(key, L"Enabled", e->enabled) &&
         catalog_reg_set_dword(key, L"Version", e->version) &&
         catalog_reg_set_dword(key, L"StoresServiceClassInfo", e->stores_class_info) &&
         catalog_reg_set(key, L"ProviderInfo", REG_BINARY, e->info, e->info_size);
    NtClose(key);
    return ok;
}

static bool entry_read(HANDLE entries, const WCHAR *name, struct ns_entry *e)
{
    HANDLE key = reg_open(entries, name, false);
    int n;
    bool ok;

    if (!key) return false;
    memset(e, 0, sizeof(*e));
    n = reg_get(key, L"LibraryPath", REG_SZ, e->path, sizeof(e->path) - sizeof(WCHAR));
    ok = n >= 0;
    if (ok) e->path[n / sizeof(WCHAR)] = 0;
    n = reg_get(key, L"DisplayString", REG_SZ, e->display, sizeof(e->display) - sizeof(WCHAR));
    if (n >= 0) e->display[n / sizeof(WCHAR)] = 0;
    ok = ok && reg_get(key, L"ProviderId", REG_BINARY, &e->id, sizeof(e->id)) == sizeof(e->id);
    ok = ok && catalog_reg_get_dword(key, L"SupportedNameSpace", &e->name_space);
    e->enabled = TRUE;
    catalog_reg_get_dword(key, L"Enabled", &e->enabled);
    catalog_reg_get_dword(key, L"AddressFamily", &e->family);
    catalog_reg_get_dword(key, L"Version", &e->version);
    catalog_reg_get_dword(key, L"StoresServiceClassInfo", &e->stores_class_info);
    n = reg_get(key, L"ProviderInfo", REG_BINARY, e->info, sizeof(e->info));
    e->info_size = n > 0 ? (DWORD)n : 0;
    NtClose(key);
    return ok;
}

/* Windows' own entry: the DNS namespace served by mswsock ("Tcpip"). */
static void default_entry(struct ns_entry *e)
{
    memset(e, 0, sizeof(*e));
    wcscpy(e->path, L"%SystemRoot%\\System32\\mswsock.dll");
    wcscpy(e->display, L"Tcpip");
    e->id = ns_dns_provider_id;
    e->family = AF_UNSPEC;
    e->name_space = NS_DNS;
    e->enabled = TRUE;
    e->version = 1;
}

/* The entries key of a view, created with the default entry when the view's count is absent. */
static HANDLE entries_key(HANDLE catalog, bool wow32)
{
    HANDLE entries;
    DWORD count;

    if (catalog_reg_get_dword(catalog, count_name(wow32), &count))
        return reg_open(catalog, entries_name(wow32), false);
    if (!(entries = reg_open(catalog, entries_name(wow32), true))) return NULL;
    {
        struct ns_entry *e = HeapAlloc(GetProcessHeap(), 0, sizeof(*e));
        WCHAR name[64];
        bool ok = e != NULL;
        /* Begin from an empty view. */
        while (ok && reg_subkey(entries, 0, name)) ok = reg_delete(entries, name);
        if (ok) default_entry(e);
        ok = ok && entry_write(entries, 1, e) &&
             catalog_reg_set_dword(catalog, count_name(wow32), 1);
        HeapFree(GetProcessHeap(), 0, e);
        if (!ok) {
            NtClose(entries);
            return NULL;
        }
    }
    return entries;
}

static int compare_names(const void *a, const void *b)
{
    return wcscmp((const WCHAR *)a, (const WCHAR *)b);
}

/* The entries' key names in catalog order into a heap array of 64-character names. */
static int entry_names(HANDLE entries, WCHAR (**names)[64])
{
    int count = 0, cap = 8;
    WCHAR(*list)[64] = HeapAlloc(GetProcessHeap(), 0, cap * sizeof(*list));
    if (!list) return -1;
    while (list && reg_subkey(entries, count, list[count])) {
        if (++count == cap) {
            void *bigger = HeapReAlloc(GetProcessHeap(), 0, list, (cap *= 2) * sizeof(*list));
            if (!bigger) {
                HeapFree(GetProcessHeap(), 0, list);
                return -1;
            }
            list = bigger;
        }
    }
    qsort(list, count, sizeof(*list), compare_names);
    *names = list;
    return count;
}

static int read_view(HANDLE catalog, bool wow32, struct ns_entry **out, WCHAR (**out_names)[64])
{
    HANDLE entries = entries_key(catalog, wow32);
    WCHAR(*names)[64] = NULL;
    struct ns_entry *list;
    int count, kept = 0;

    if (!entries) return -1;
    if ((count = entry_names(entries, &names)) < 0 ||
        !(list = HeapAlloc(GetProcessHeap(), 0, (count ? count : 1) * sizeof(*list)))) {
        HeapFree(GetProcessHeap(), 0, names);
        NtClose(entries);
        return -1;
    }
    for (int i = 0; i < count; i++) {
        if (!entry_read(entries, names[i], &list[kept])) continue;
        if (kept != i) memcpy(names[kept], names[i], sizeof(names[i]));
        kept++;
    }
    NtClose(entries);
    *out = list;
    if (out_names)
        *out_names = names;
    else
        HeapFree(GetProcessHeap(), 0, names);
    return kept;
}

int ns_catalog_read(bool wow32, struct ns_entry **entries)
{
    HANDLE catalog;
    int count;

    AcquireSRWLockShared(&catalog_lock);
    catalog = catalog_key();
    count = catalog ? read_view(catalog, wow32, entries, NULL) : -1;
    if (catalog) NtClose(catalog);
    ReleaseSRWLockShared(&catalog_lock);
    return count;
}

int ns_catalog_dns_route(DWORD name_space, const GUID *provider)
{
    struct ns_entry *list;
    int count = ns_catalog_read(false, &list), err = WSASERVICE_NOT_FOUND;
    bool known = false;

    if (count < 0) return WSASERVICE_NOT_FOUND;
    for (int i = 0; i < count; i++) {
        if (provider && !IsEqualGUID(provider, &list[i].id)) continue;
        known = true;
        if (!list[i].enabled || !IsEqualGUID(&list[i].id, &ns_dns_provider_id)) continue;
        if (name_space == NS_ALL || name_space == list[i].name_space) err = 0;
    }
    HeapFree(GetProcessHeap(), 0, list);
    if (provider && !known) return WSAEINVAL;
    return err;
}

/* ---- enumeration ---- */

/*
 * The entries, then their identifiers and blobs, in one buffer: ENTRY_SIZE bytes per entry. The
 * Ex forms carry the provider-specific blob. WSAEFAULT without a length, and, with the size
 * needed, without a buffer or with one too short.
 */
static int enum_name_spaces(bool wow32, DWORD *len, void *buffer, bool unicode, bool ex, int *err)
{
    size_t entry_size = ex ? (unicode ? sizeof(WSANAMESPACE_INFOEXW) : sizeof(WSANAMESPACE_INFOEXA))
                           : (unicode ? sizeof(WSANAMESPACE_INFOW) : sizeof(WSANAMESPACE_INFOA));
    struct ns_entry *list;
    size_t needed;
    char *extra;
    int count;

    if (!len || !ws_writable(len, sizeof(*len))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if ((count = ns_catalog_read(wow32, &list)) < 0) {
        *err = WSANO_RECOVERY;
        return SOCKET_ERROR;
    }
    needed = count * entry_size;
    for (int i = 0; i < count; i++) {
        needed += unicode ? (wcslen(list[i].display) + 1) * sizeof(WCHAR)
                          : (size_t)WideCharToMultiByte(CP_ACP, 0, list[i].display, -1, NULL, 0,
                                                        NULL, NULL);
        if (ex && list[i].info_size) needed = (needed + 7) / 8 * 8 + list[i].info_size;
    }
    if (!buffer || *len < needed || !ws_writable(buffer, needed)) {
        *len = (DWORD)needed;
        HeapFree(GetProcessHeap(), 0, list);
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    memset(buffer, 0, count * entry_size);
    extra = (char *)buffer + count * entry_size;
    for (int i = 0; i < count; i++) {
        /* The A, W and Ex layouts agree up to the blob that ends the Ex ones. */
        WSANAMESPACE_INFOEXW *e = (WSANAMESPACE_INFOEXW *)((char *)buffer + i * entry_size);
        e->NSProviderId = list[i].id;
        e->dwNameSpace = list[i].name_space;
        e->fActive = list[i].enabled != 0;
        e->dwVersion = list[i].version;
        e->lpszIdentifier = (WCHAR *)extra;
        if (unicode) {
            size_t n = (wcslen(list[i].display) + 1) * sizeof(WCHAR);
            memcpy(extra, list[i].display, n);
            extra += n;
        } else {
            extra += WideCharToMultiByte(CP_ACP, 0, list[i].display, -1, extra,
                                         (int)(needed - (extra - (char *)buffer)), NULL, NULL);
        }
        if (ex && list[i].info_size) {
            extra = (char *)buffer + ((extra - (char *)buffer) + 7) / 8 * 8;
            memcpy(extra, list[i].info, list[i].info_size);
            e->ProviderSpecific.cbSize = list[i].info_size;
            e->ProviderSpecific.pBlobData = (BYTE *)extra;
            extra += list[i].info_size;
        }
    }
    HeapFree(GetProcessHeap(), 0, list);
    return count;
}

static int enum_api(DWORD *len, void *buffer, bool unicode, bool ex)
{
    int err, ret;
    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    ret = enum_name_spaces(false, len, buffer, unicode, ex, &err);
    if (ret == SOCKET_ERROR) return ws_fail(err);
    return ret;
}

INT WSAAPI WSAEnumNameSpaceProvidersA(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOA lpnspBuffer)
{
    return enum_api(lpdwBufferLength, lpnspBuffer, false, false);
}

INT WSAAPI WSAEnumNameSpaceProvidersW(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOW lpnspBuffer)
{
    return enum_api(lpdwBufferLength, lpnspBuffer, true, false);
}

INT WSAAPI WSAEnumNameSpaceProvidersExA(LPDWORD lpdwBufferLength,
                                        LPWSANAMESPACE_INFOEXA lpnspBuffer)
{
    return enum_api(lpdwBufferLength, lpnspBuffer, false, true);
}

INT WSAAPI WSAEnumNameSpaceProvidersExW(LPDWORD lpdwBufferLength,
                                        LPWSANAMESPACE_INFOEXW lpnspBuffer)
{
    return enum_api(lpdwBufferLength, lpnspBuffer, true, true);
}

/* The WSC forms need no WSAStartup: installers call them. */
INT WSAAPI WSCEnumNameSpaceProviders32(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOW lpnspBuffer)
{
    int err, ret = enum_name_spaces(true, lpdwBufferLength, lpnspBuffer, true, false, &err);
    return ret == SOCKET_ERROR ? ws_fail(err) : ret;
}

INT WSPAPI WSCEnumNameSpaceProvidersEx32(LPDWORD lpdwBufferLength,
                                         LPWSANAMESPACE_INFOEXW lpnspBuffer)
{
    int err, ret = enum_name_spaces(true, lpdwBufferLength, lpnspBuffer, true, true, &err);
    return ret == SOCKET_ERROR ? ws_fail(err) : ret;
}

/* ---- installation ---- */

static bool string_ok(const WCHAR *s, size_t max)
{
    return s && !IsBadStringPtrW(s, (UINT_PTR)-1) && wcslen(s) < max;
}

/* Install an entry at the end of a view: WSAEINVAL for bad arguments, WSANO_RECOVERY if the
   provider is already there or the registry cannot be written. */
static int install(bool wow32, const WCHAR *identifier, const WCHAR *path, DWORD name_space,
                   DWORD version, const GUID *id, const BLOB *info)
{
    struct ns_entry *list = NULL, *e = NULL;
    WCHAR(*names)[64] = NULL;
    HANDLE catalog, entries = NULL;
    DWORD last = 0, count32;
    int count, err = 0;

    if (!string_ok(identifier, 256) || !string_ok(path, MAX_PATH) || !id ||
        !ws_readable(id, sizeof(*id)))
        return WSAEINVAL;
    if (info && (!ws_readable(info, sizeof(*info)) || info->cbSize > NS_INFO_MAX ||
                 (info->cbSize && !ws_readable(info->pBlobData, info->cbSize))))
        return WSAEINVAL;

    AcquireSRWLockExclusive(&catalog_lock);
    if (!(catalog = catalog_key()) || (count = read_view(catalog, wow32, &list, &names)) < 0) {
        err = WSANO_RECOVERY;
        goto done;
    }
    for (int i = 0; i < count; i++) {
        DWORD n = wcstoul(names[i], NULL, 10);
        if (IsEqualGUID(&list[i].id, id)) err = WSANO_RECOVERY;
        if (n > last) last = n;
    }
    if (err) goto done;
    if (!(e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e)))) {
        err = WSA_NOT_ENOUGH_MEMORY;
        goto done;
    }
    wcscpy(e->path, path);
    wcscpy(e->display, identifier);
    e->id = *id;
    e->family = AF_UNSPEC;
    e->name_space = name_space;
    e->enabled = TRUE;
    e->version = version;
    if (info && info->cbSize) {
        memcpy(e->info, info->pBlobData, info->cbSize);
        e->info_size = info->cbSize;
    }
    count32 = (DWORD)count + 1;
    if (!(entries = reg_open(catalog, entries_name(wow32), false)) ||
        !entry_write(entries, last + 1, e) ||
        !catalog_reg_set_dword(catalog, count_name(wow32), count32))
        err = WSANO_RECOVERY;
done:
    if (entries) NtClose(entries);
    if (catalog) NtClose(catalog);
    ReleaseSRWLockExclusive(&catalog_lock);
    HeapFree(GetProcessHeap(), 0, e);
    HeapFree(GetProcessHeap(), 0, list);
    HeapFree(GetProcessHeap(), 0, names);
    return err;
}

static int wsc_result(int err)
{
    return err ? ws_fail(err) : 0;
}

INT WSPAPI WSCInstallNameSpace(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                               DWORD dwVersion, LPGUID lpProviderId)
{
    return wsc_result(
        install(false, lpszIdentifier, lpszPathName, dwNameSpace, dwVersion, lpProviderId, NULL));
}

INT WSPAPI WSCInstallNameSpace32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                                 DWORD dwVersion, LPGUID lpProviderId)
{
    return wsc_result(
        install(true, lpszIdentifier, lpszPathName, dwNameSpace, dwVersion, lpProviderId, NULL));
}

int WSAAPI WSCInstallNameSpaceEx(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                                 DWORD dwVersion, LPGUID lpProviderId, LPBLOB lpProviderInfo)
{
    return wsc_result(install(false, lpszIdentifier, lpszPathName, dwNameSpace, dwVersion,
                              lpProviderId, lpProviderInfo));
}

int WSAAPI WSCInstallNameSpaceEx32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                                   DWORD dwVersion, LPGUID lpProviderId, LPBLOB lpProviderInfo)
{
    return wsc_result(install(true, lpszIdentifier, lpszPathName, dwNameSpace, dwVersion,
                              lpProviderId, lpProviderInfo));
}

/* ---- changes to installed entries ---- */

/* The key name of provider ID in a view into NAME; WSAEINVAL if the view lacks it. */
static int find_entry(HANDLE catalog, bool wow32, const GUID *id, WCHAR *name, int *count)
{
    struct ns_entry *list;
    WCHAR(*names)[64];
    int n = read_view(catalog, wow32, &list, &names), err = WSAEINVAL;
    if (n < 0) return WSANO_RECOVERY;
    for (int i = 0; i < n; i++) {
        if (!IsEqualGUID(&list[i].id, id)) continue;
        wcscpy(name, names[i]);
        err = 0;
        break;
    }
    *count = n;
    HeapFree(GetProcessHeap(), 0, list);
    HeapFree(GetProcessHeap(), 0, names);
    return err;
}

/* A change to the entry of one provider in a view: given the catalog key, the view's entries key,
   the entry's key name and the view's count; false if the registry refused it. */
typedef bool (*entry_change)(HANDLE catalog, bool wow32, HANDLE entries, const WCHAR *name,
                             int count, BOOL arg);

/* Under the lock: find the entry of ID in the view and make CHANGE to it. */
static int change_entry(bool wow32, const GUID *id, entry_change change, BOOL arg)
{
    HANDLE catalog, entries = NULL;
    WCHAR name[64];
    int count, err;

    if (!id || !ws_readable(id, sizeof(*id))) return WSAEINVAL;
    AcquireSRWLockExclusive(&catalog_lock);
    if (!(catalog = catalog_key())) {
        err = WSANO_RECOVERY;
    } else if (!(err = find_entry(catalog, wow32, id, name, &count))) {
        if (!(entries = reg_open(catalog, entries_name(wow32), false)) ||
            !change(catalog, wow32, entries, name, count, arg))
            err = WSANO_RECOVERY;
    }
    if (entries) NtClose(entries);
    if (catalog) NtClose(catalog);
    ReleaseSRWLockExclusive(&catalog_lock);
    return err;
}

static bool remove_entry(HANDLE catalog, bool wow32, HANDLE entries, const WCHAR *name, int count,
                         BOOL arg)
{
    (void)arg;
    return reg_delete(entries, name) &&
           catalog_reg_set_dword(catalog, count_name(wow32), count - 1);
}

static int uninstall(bool wow32, const GUID *id)
{
    return change_entry(wow32, id, remove_entry, FALSE);
}

INT WSPAPI WSCUnInstallNameSpace(LPGUID lpProviderId)
{
    return wsc_result(uninstall(false, lpProviderId));
}

INT WSPAPI WSCUnInstallNameSpace32(LPGUID lpProviderId)
{
    return wsc_result(uninstall(true, lpProviderId));
}

static bool set_enabled(HANDLE catalog, bool wow32, HANDLE entries, const WCHAR *name, int count,
                        BOOL on)
{
    HANDLE key = reg_open(entries, name, false);
    bool ok = key && catalog_reg_set_dword(key, L"Enabled", on ? 1 : 0);
    (void)catalog, (void)wow32, (void)count;
    if (key) NtClose(key);
    return ok;
}

static int enable(bool wow32, const GUID *id, BOOL on)
{
    return change_entry(wow32, id, set_enabled, on);
}

INT WSPAPI WSCEnableNSProvider(LPGUID lpProviderId, BOOL fEnable)
{
    return wsc_result(enable(false, lpProviderId, fEnable));
}

INT WSPAPI WSCEnableNSProvider32(LPGUID lpProviderId, BOOL fEnable)
{
    return wsc_result(enable(true, lpProviderId, fEnable));
}

/*
 * The new order of a view: IDS must name every installed provider once. The entries are written
 * again under consecutive numbers in that order. Returns the error itself (0 on success), as the
 * reference page has it.
 */
static int write_order(bool wow32, const GUID *ids, DWORD count)
{
    struct ns_entry *list = NULL;
    WCHAR(*names)[64] = NULL;
    HANDLE catalog, entries = NULL;
    int n = -1, err = 0;

    if (!ids || !count || !ws_readable(ids, count * sizeof(*ids))) return WSAEINVAL;
    AcquireSRWLockExclusive(&catalog_lock);
    if (!(catalog = catalog_key()) || (n = read_view(catalog, wow32, &list, &names)) < 0) {
        err = WSANO_RECOVERY;
        goto done;
    }
    if ((DWORD)n != count) err = WSAEINVAL;
    for (int i = 0; !err && i < n; i++) {
        DWORD seen = 0;
        for (DWORD j = 0; j < count; j++) seen += IsEqualGUID(&ids[j], &list[i].id);
        if (seen != 1) err = WSAEINVAL;
    }
    if (err) goto done;
    if (!(entries = reg_open(catalog, entries_name(wow32), false))) {
        err = WSANO_RECOVERY;
        goto done;
    }
    for (int i = 0; i < n; i++) reg_delete(entries, names[i]);
    for (DWORD j = 0; j < count; j++) {
        for (int i = 0; i < n; i++) {
            if (IsEqualGUID(&ids[j], &list[i].id) && !entry_write(entries, j + 1, &list[i]))
                err = WSANO_RECOVERY;
        }
    }
done:
    if (entries) NtClose(entries);
    if (catalog) NtClose(catalog);
    ReleaseSRWLockExclusive(&catalog_lock);
    HeapFree(GetProcessHeap(), 0, list);
    HeapFree(GetProcessHeap(), 0, names);
    return err;
}

int WSPAPI WSCWriteNameSpaceOrder(LPGUID lpProviderId, DWORD dwNumberOfEntries)
{
    return write_order(false, lpProviderId, dwNumberOfEntries);
}

int WSPAPI WSCWriteNameSpaceOrder32(LPGUID lpProviderId, DWORD dwNumberOfEntries)
{
    return write_order(true, lpProviderId, dwNumberOfEntries);
}
