/*
 * Entry points that change the protocol catalog (WSCInstallProvider and its 64_32 and
 * AndChains64_32 forms, WSCDeinstallProvider(32), WSCUpdateProvider(32),
 * WSCWriteProviderOrder(32), WSCSetProviderInfo(32)), the applications' permitted layered
 * categories (WSCSetApplicationCategory, WSCGetApplicationCategory) and the notification of
 * catalog changes (WSAProviderConfigChange).
 *
 * Windows lets only administrators write the catalog; in a Wine prefix every process may, so the
 * WSANO_RECOVERY of a refused write comes only from a registry that cannot be written.
 */
#include "openws2/catalog.h"
#include <string.h>
#include <wctype.h>

#define BOTH_VIEWS (CATALOG_VIEW_BIT(CATALOG_NATIVE) | CATALOG_VIEW_BIT(CATALOG_32))

static int wsc_fail(LPINT lpErrno, int err)
{
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = err;
    return SOCKET_ERROR;
}

static int wsc_result(LPINT lpErrno, int err)
{
    return err ? wsc_fail(lpErrno, err) : 0;
}

static int find_provider(const struct catalog_edit *edit, const GUID *id)
{
    for (int i = 0; i < edit->count; i++)
        if (!memcmp(&edit->entries[i].info.ProviderId, id, sizeof(*id))) return i;
    return -1;
}

static int find_id(const struct catalog_edit *edit, DWORD id)
{
    for (int i = 0; i < edit->count; i++)
        if (edit->entries[i].info.dwCatalogEntryId == id) return i;
    return -1;
}

/* A provider DLL path: present, not empty, shorter than MAX_PATH. 0, WSAEFAULT or WSAEINVAL. */
static int check_path(const WCHAR *path)
{
    size_t len = 0;
    if (!path) return WSAEFAULT;
    for (;; len++) {
        if (!ws_readable(path + len, sizeof(WCHAR))) return WSAEFAULT;
        if (!path[len]) break;
        if (len >= MAX_PATH - 1) return WSAEINVAL;
    }
    return len ? 0 : WSAEINVAL;
}

/* A protocol list of COUNT entries a caller passes in: 0, WSAEFAULT or WSAEINVAL. */
static int check_list(const WSAPROTOCOL_INFOW *list, DWORD count)
{
    if (!list) return WSAEFAULT;
    if (!count || count > 1024) return WSAEINVAL;
    if (!ws_readable(list, count * sizeof(*list))) return WSAEFAULT;
    for (DWORD i = 0; i < count; i++)
        if (list[i].ProtocolChain.ChainLen < 0 ||
            list[i].ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN)
            return WSAEINVAL;
    return 0;
}

/* The entries of a protocol chain must name entries the catalog has. */
static bool chain_known(const struct catalog_edit *edit, const WSAPROTOCOL_INFOW *info)
{
    if (info->ProtocolChain.ChainLen <= BASE_PROTOCOL) return true;
    for (int i = 0; i < info->ProtocolChain.ChainLen; i++)
        if (find_id(edit, info->ProtocolChain.ChainEntries[i]) < 0) return false;
    return true;
}

static void fill_entry(struct catalog_entry *entry, const GUID *id, const WCHAR *path,
                       const WSAPROTOCOL_INFOW *info, DWORD entry_id)
{
    memset(entry, 0, sizeof(*entry));
    lstrcpynW(entry->path, path, MAX_PATH);
    entry->info = *info;
    entry->info.ProviderId = *id;
    entry->info.dwCatalogEntryId = entry_id;
    entry->info.szProtocol[WSAPROTOCOL_LEN] = 0;
}

/* ---- install ---- */

struct install {
    const GUID *id;
    const WCHAR *path, *path32;
    const WSAPROTOCOL_INFOW *list;
    DWORD count;
    int already; /* the error for a provider already installed */
};

/* New entries go at the end of the order, with the next identifiers. */
static int install_edit(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                        DWORD *used, void *ctx)
{
    const struct install *in = ctx;
    const WCHAR *path = view == CATALOG_32 && in->path32 ? in->path32 : in->path;
    struct catalog_entry entry;
    int err;

    if (find_provider(edit, in->id) >= 0) return in->already;
    for (DWORD i = 0; i < in->count; i++)
        if (!chain_known(edit, &in->list[i])) return WSAEINVAL;
    if ((err = catalog_edit_reserve(edit, (int)in->count))) return err;
    for (DWORD i = 0; i < in->count; i++) {
        fill_entry(&entry, in->id, path, &in->list[i], first_id + i);
        catalog_edit_insert(edit, edit->count, &entry);
    }
    *used = in->count;
    return 0;
}

static int install(unsigned views, LPGUID id, const WCHAR *path, const WSAPROTOCOL_INFOW *list,
                   DWORD count)
{
    struct install in = {id, path, NULL, list, count, WSANO_RECOVERY};
    int err;

    if (!id || !ws_readable(id, sizeof(*id))) return WSAEFAULT;
    if ((err = check_path(path)) || (err = check_list(list, count))) return err;
    return catalog_modify(views, install_edit, &in);
}

int WSPAPI WSCInstallProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                              const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                              LPINT lpErrno)
{
    return wsc_result(lpErrno, install(CATALOG_VIEW_BIT(CATALOG_NATIVE), lpProviderId,
                                       lpszProviderDllPath, lpProtocolInfoList, dwNumberOfEntries));
}

/* Both catalogs of a 64-bit system, the same entries and identifiers in each. */
int WSPAPI WSCInstallProvider64_32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                                   const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                   DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_result(lpErrno, install(BOTH_VIEWS, lpProviderId, lpszProviderDllPath,
                                       lpProtocolInfoList, dwNumberOfEntries));
}

/* ---- install a layered provider and its chains ---- */

struct chains {
    struct install in;
    const WCHAR *name;
    DWORD service_flags;
    DWORD layered_id;
};

static bool same_triple(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->iAddressFamily == b->iAddressFamily && a->iSocketType == b->iSocketType &&
           a->iProtocol == b->iProtocol;
}

/* The top-most entry a chain can be built over for the triple of INFO: a base protocol or a
   chain; -1 if none. */
static int chain_base(const struct catalog_edit *edit, const WSAPROTOCOL_INFOW *info, int limit)
{
    for (int i = 0; i < limit; i++)
        if (edit->entries[i].info.ProtocolChain.ChainLen != LAYERED_PROTOCOL &&
            same_triple(&edit->entries[i].info, info))
            return i;
    return -1;
}

static void chain_name(WCHAR *out, const WCHAR *lsp, const WCHAR *base)
{
    size_t n = 0, room = WSAPROTOCOL_LEN;
    for (const WCHAR *p = lsp; *p && n < room; p++) out[n++] = *p;
    for (const WCHAR *p = L" over ["; *p && n < room; p++) out[n++] = *p;
    for (const WCHAR *p = base; *p && n < room; p++) out[n++] = *p;
    if (n < room) out[n++] = L']';
    out[n] = 0;
}

/*
 * The layered entry (chain length 0, the LSP's name and service flags, hidden) goes at the end;
 * one chain over the top-most entry of each requested triple (every base protocol's triple when
 * no list is given) goes at the start of the order, in the order of the triples.
 */
static int chains_edit(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                       DWORD *used, void *ctx)
{
    struct chains *c = ctx;
    const WCHAR *path = view == CATALOG_32 && c->in.path32 ? c->in.path32 : c->in.path;
    int original = edit->count, bases[64], nbases = 0, err;
    struct catalog_entry layered, chain;

    if (find_provider(edit, c->in.id) >= 0) return WSAEINVAL;
    for (int i = 0; i < edit->count; i++)
        if (!wcscmp(edit->entries[i].info.szProtocol, c->name)) return WSAEINVAL;

    /* The entries to layer over, one per triple. */
    for (int i = 0; i < (c->in.list ? (int)c->in.count : original); i++) {
        const WSAPROTOCOL_INFOW *want = c->in.list ? &c->in.list[i] : &edit->entries[i].info;
        int base, dup = 0;
        if (!c->in.list && want->ProtocolChain.ChainLen != BASE_PROTOCOL) continue;
        if ((base = chain_base(edit, want, original)) < 0) {
            if (c->in.list) return WSAEINVAL;
            continue;
        }
        for (int j = 0; j < nbases; j++)
            dup |= same_triple(&edit->entries[bases[j]].info, &edit->entries[base].info);
        if (dup) continue;
        if (nbases == (int)ARRAY_COUNT(bases)) return WSAENOBUFS;
        if (edit->entries[base].info.ProtocolChain.ChainLen >= MAX_PROTOCOL_CHAIN)
            return WSANO_RECOVERY;
        bases[nbases++] = base;
    }
    if (!nbases) return WSANO_RECOVERY;
    if ((err = catalog_edit_reserve(edit, nbases + 1))) return err;

    fill_entry(&layered, c->in.id, path, &edit->entries[bases[0]].info, first_id);
    layered.info.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    memset(layered.info.ProtocolChain.ChainEntries, 0,
           sizeof(layered.info.ProtocolChain.ChainEntries));
    layered.info.dwServiceFlags1 = c->service_flags;
    layered.info.dwProviderFlags |= PFL_HIDDEN;
    lstrcpynW(layered.info.szProtocol, c->name, WSAPROTOCOL_LEN + 1);

    for (int i = 0; i < nbases; i++) {
        /* bases[] index the entries before any insertion; chains go in front of them. */
        const WSAPROTOCOL_INFOW *base = &edit->entries[bases[i] + i].info;
        WSAPROTOCOL_INFOW *info = &chain.info;
        fill_entry(&chain, c->in.id, path, base, first_id + 1 + i);
        info->ProtocolChain.ChainEntries[0] = first_id;
        if (base->ProtocolChain.ChainLen == BASE_PROTOCOL) {
            info->ProtocolChain.ChainLen = 2;
            info->ProtocolChain.ChainEntries[1] = base->dwCatalogEntryId;
        } else {
            info->ProtocolChain.ChainLen = base->ProtocolChain.ChainLen + 1;
            memcpy(&info->ProtocolChain.ChainEntries[1], base->ProtocolChain.ChainEntries,
                   base->ProtocolChain.ChainLen * sizeof(DWORD));
        }
        if (!(c->service_flags & XP1_IFS_HANDLES)) info->dwServiceFlags1 &= ~XP1_IFS_HANDLES;
        info->dwProviderFlags &= ~PFL_HIDDEN;
        chain_name(info->szProtocol, c->name, base->szProtocol);
        catalog_edit_insert(edit, i, &chain);
    }
    catalog_edit_insert(edit, edit->count, &layered);
    c->layered_id = first_id;
    *used = nbases + 1;
    return 0;
}

static bool starts_with_i(const WCHAR *s, const WCHAR *prefix)
{
    size_t n = wcslen(prefix);
    return wcslen(s) >= n && CompareStringOrdinal(s, (int)n, prefix, (int)n, TRUE) == CSTR_EQUAL;
}

int WSPAPI WSCInstallProviderAndChains64_32(
    const LPGUID lpProviderId, const LPWSTR lpszProviderDllPath, const LPWSTR lpszProviderDllPath32,
    const LPWSTR lpszLspName, DWORD dwServiceFlags, const LPWSAPROTOCOL_INFO lpProtocolInfoList,
    DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId, LPINT lpErrno)
{
    /* The SDK's structures are the wide ones (the header spells the type without its W). */
    const WSAPROTOCOL_INFOW *list = (const WSAPROTOCOL_INFOW *)(const void *)lpProtocolInfoList;
    struct chains c = {{lpProviderId, lpszProviderDllPath, lpszProviderDllPath32, list,
                        dwNumberOfEntries, WSAEINVAL},
                       lpszLspName,
                       dwServiceFlags,
                       0};
    int err;

    if (!lpProviderId) return wsc_fail(lpErrno, WSAEINVAL);
    if (!ws_readable(lpProviderId, sizeof(GUID))) return wsc_fail(lpErrno, WSAEFAULT);
    if ((err = check_path(lpszProviderDllPath))) return wsc_fail(lpErrno, WSAEINVAL);
    if (lpszProviderDllPath32 && check_path(lpszProviderDllPath32))
        return wsc_fail(lpErrno, WSAEINVAL);
    /* Without a 32-bit path, the DLL must be the system folder's (the 32-bit one then comes
       from the 32-bit system folder through the file system redirection). */
    if (!lpszProviderDllPath32 && !starts_with_i(lpszProviderDllPath, L"%windir%\\system32\\") &&
        !starts_with_i(lpszProviderDllPath, L"%SystemRoot%\\system32\\"))
        return wsc_fail(lpErrno, WSAEINVAL);
    if (!lpszLspName || !ws_readable(lpszLspName, sizeof(WCHAR)) || !lpszLspName[0] ||
        wcsnlen(lpszLspName, WSAPROTOCOL_LEN + 1) > WSAPROTOCOL_LEN)
        return wsc_fail(lpErrno, WSAEINVAL);
    if (list && (err = check_list(list, dwNumberOfEntries))) return wsc_fail(lpErrno, err);
    if (lpdwCatalogEntryId && !ws_writable(lpdwCatalogEntryId, sizeof(DWORD)))
        return wsc_fail(lpErrno, WSAEFAULT);
    if ((err = catalog_modify(BOTH_VIEWS, chains_edit, &c))) return wsc_fail(lpErrno, err);
    if (lpdwCatalogEntryId) *lpdwCatalogEntryId = c.layered_id;
    return 0;
}

/* ---- deinstall ---- */

static int deinstall_edit(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                          DWORD *used, void *ctx)
{
    const GUID *id = ctx;
    int i, removed = 0;
    (void)view, (void)first_id, (void)used;
    while ((i = find_provider(edit, id)) >= 0) {
        catalog_edit_remove(edit, i);
        removed++;
    }
    return removed ? 0 : WSAEINVAL;
}

static int deinstall(enum catalog_view view, LPGUID id, LPINT lpErrno)
{
    if (!id || !ws_readable(id, sizeof(*id))) return wsc_fail(lpErrno, WSAEFAULT);
    return wsc_result(lpErrno, catalog_modify(CATALOG_VIEW_BIT(view), deinstall_edit, id));
}

int WSPAPI WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno)
{
    return deinstall(CATALOG_NATIVE, lpProviderId, lpErrno);
}

int WSPAPI WSCDeinstallProvider32(LPGUID lpProviderId, LPINT lpErrno)
{
    return deinstall(CATALOG_32, lpProviderId, lpErrno);
}

/* ---- update ---- */

/* Each entry of the list names (by its catalog entry identifier) an entry of the provider and
   replaces its information; the provider's DLL path changes for all its entries. */
static int update_edit(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                       DWORD *used, void *ctx)
{
    const struct install *in = ctx;
    (void)view, (void)first_id, (void)used;

    if (find_provider(edit, in->id) < 0) return WSAEINVAL;
    for (DWORD i = 0; i < in->count; i++) {
        int at = find_id(edit, in->list[i].dwCatalogEntryId);
        if (at < 0 || memcmp(&edit->entries[at].info.ProviderId, in->id, sizeof(GUID)) ||
            !chain_known(edit, &in->list[i]))
            return WSAEINVAL;
    }
    for (DWORD i = 0; i < in->count; i++) {
        struct catalog_entry *e = &edit->entries[find_id(edit, in->list[i].dwCatalogEntryId)];
        DWORD categories = e->lsp_categories;
        fill_entry(e, in->id, in->path, &in->list[i], in->list[i].dwCatalogEntryId);
        e->lsp_categories = categories;
    }
    for (int i = 0; i < edit->count; i++)
        if (!memcmp(&edit->entries[i].info.ProviderId, in->id, sizeof(GUID)))
            lstrcpynW(edit->entries[i].path, in->path, MAX_PATH);
    return 0;
}

static int update(enum catalog_view view, LPGUID id, const WCHAR *path,
                  const WSAPROTOCOL_INFOW *list, DWORD count, LPINT lpErrno)
{
    struct install in = {id, path, NULL, list, count, 0};
    int err;

    if (!id || !ws_readable(id, sizeof(*id))) return wsc_fail(lpErrno, WSAEFAULT);
    if ((err = check_path(path)) || (err = check_list(list, count))) return wsc_fail(lpErrno, err);
    return wsc_result(lpErrno, catalog_modify(CATALOG_VIEW_BIT(view), update_edit, &in));
}

int WSPAPI WSCUpdateProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                             const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                             LPINT lpErrno)
{
    return update(CATALOG_NATIVE, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                  dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCUpdateProvider32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                               const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                               DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return update(CATALOG_32, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                  dwNumberOfEntries, lpErrno);
}

/* ---- order ---- */

struct order {
    const DWORD *ids;
    DWORD count;
};

/* The new order must name every entry exactly once. */
static int order_edit(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                      DWORD *used, void *ctx)
{
    const struct order *o = ctx;
    struct catalog_entry *old;
    int err = 0;
    (void)view, (void)first_id, (void)used;

    if (o->count != (DWORD)edit->count) return WSAEINVAL;
    if (!(old = HeapAlloc(GetProcessHeap(), 0, edit->count * sizeof(*old) + 1)))
        return WSA_NOT_ENOUGH_MEMORY;
    memcpy(old, edit->entries, edit->count * sizeof(*old));
    for (DWORD i = 0; i < o->count && !err; i++) {
        int at = -1;
        for (int j = 0; j < edit->count; j++)
            if (old[j].info.dwCatalogEntryId == o->ids[i]) at = j;
        for (DWORD k = 0; k < i; k++)
            if (o->ids[k] == o->ids[i]) at = -1;
        if (at < 0)
            err = WSAEINVAL;
        else
            edit->entries[i] = old[at];
    }
    HeapFree(GetProcessHeap(), 0, old);
    return err;
}

/* These return the error itself (ERROR_SUCCESS on success). */
static int write_order(enum catalog_view view, LPDWORD ids, DWORD count)
{
    struct order o = {ids, count};
    int err;

    if (!ids || !count)
        err = WSAEINVAL;
    else if (!ws_readable(ids, count * sizeof(*ids)))
        err = WSAEFAULT;
    else
        err = catalog_modify(CATALOG_VIEW_BIT(view), order_edit, &o);
    if (err) SetLastError(err);
    return err;
}

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return write_order(CATALOG_NATIVE, lpwdCatalogEntryId, dwNumberOfEntries);
}

int WSPAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return write_order(CATALOG_32, lpwdCatalogEntryId, dwNumberOfEntries);
}

/* ---- provider information ---- */

struct set_info {
    const GUID *id;
    DWORD categories;
};

static int set_info_edit(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                         DWORD *used, void *ctx)
{
    const struct set_info *s = ctx;
    (void)view, (void)first_id, (void)used;
    if (find_provider(edit, s->id) < 0) return WSANO_RECOVERY;
    for (int i = 0; i < edit->count; i++)
        if (!memcmp(&edit->entries[i].info.ProviderId, s->id, sizeof(GUID)))
            edit->entries[i].lsp_categories = s->categories;
    return 0;
}

/* ProviderInfoLspCategories only: the audit information cannot be set, as on Windows
   (ERROR_CALL_NOT_IMPLEMENTED). The categories are the provider's, all its entries. */
static int set_provider_info(enum catalog_view view, LPGUID id, WSC_PROVIDER_INFO_TYPE type,
                             PBYTE info, size_t size, DWORD flags, LPINT lpErrno)
{
    struct set_info s = {id, 0};

    if (!id || !ws_readable(id, sizeof(*id))) return wsc_fail(lpErrno, WSAEFAULT);
    if (type == ProviderInfoAudit) return wsc_fail(lpErrno, ERROR_CALL_NOT_IMPLEMENTED);
    if (type != ProviderInfoLspCategories || flags) return wsc_fail(lpErrno, WSAEINVAL);
    if (!info || !ws_readable(info, sizeof(DWORD))) return wsc_fail(lpErrno, WSAEFAULT);
    if (size != sizeof(DWORD)) return wsc_fail(lpErrno, WSAEINVAL);
    memcpy(&s.categories, info, sizeof(DWORD));
    return wsc_result(lpErrno, catalog_modify(CATALOG_VIEW_BIT(view), set_info_edit, &s));
}

int WSPAPI WSCSetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                              size_t InfoSize, DWORD Flags, LPINT lpErrno)
{
    return set_provider_info(CATALOG_NATIVE, lpProviderId, InfoType, Info, InfoSize, Flags,
                             lpErrno);
}

int WSPAPI WSCSetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                                size_t InfoSize, DWORD Flags, LPINT lpErrno)
{
    return set_provider_info(CATALOG_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

/* ---- applications' permitted categories ---- */

/*
 * Windows keeps them under Parameters\AppId_Catalog, one key per application named by a hash of
 * its identity, with the values AppFullPath and PermittedLspCategories; the arguments that tell
 * instances apart are kept in AppArgs. The hash here is our own; lookups compare the stored
 * identity, so any key of another hash still matches by its values when probed.
 */
#define APP_PROBES 8

struct app_id {
    WCHAR *path, *extra; /* zero-terminated copies */
};

static int app_id_make(struct app_id *app, LPCWSTR path, DWORD path_len, LPCWSTR extra,
                       DWORD extra_len)
{
    memset(app, 0, sizeof(*app));
    if (!path || !path_len || path_len >= 32768) return WSAEINVAL;
    if (!ws_readable(path, path_len * sizeof(WCHAR))) return WSAEFAULT;
    if (extra && extra_len >= 32768) return WSAEINVAL;
    if (extra && extra_len && !ws_readable(extra, extra_len * sizeof(WCHAR))) return WSAEFAULT;
    if (!(app->path = HeapAlloc(GetProcessHeap(), 0, (path_len + 1) * sizeof(WCHAR))))
        return WSA_NOT_ENOUGH_MEMORY;
    memcpy(app->path, path, path_len * sizeof(WCHAR));
    app->path[path_len] = 0;
    if (extra && extra_len) {
        if (!(app->extra = HeapAlloc(GetProcessHeap(), 0, (extra_len + 1) * sizeof(WCHAR))))
            return WSA_NOT_ENOUGH_MEMORY;
        memcpy(app->extra, extra, extra_len * sizeof(WCHAR));
        app->extra[extra_len] = 0;
    }
    return 0;
}

static void app_id_free(struct app_id *app)
{
    if (app->path) HeapFree(GetProcessHeap(), 0, app->path);
    if (app->extra) HeapFree(GetProcessHeap(), 0, app->extra);
}

static DWORD app_hash(const struct app_id *app)
{
    DWORD h = 2166136261u;
    for (const WCHAR *p = app->path; *p; p++) h = (h ^ towupper(*p)) * 16777619u;
    h *= 16777619u;
    for (const WCHAR *p = app->extra; p && *p; p++) h = (h ^ *p) * 16777619u;
    return h;
}

static void hex_name(WCHAR name[9], DWORD value)
{
    for (int i = 7; i >= 0; i--, value >>= 4) name[i] = L"0123456789ABCDEF"[value & 15];
    name[8] = 0;
}

/* Whether KEY holds the identity APP. */
static bool app_matches(HANDLE key, const struct app_id *app)
{
    WCHAR *stored = HeapAlloc(GetProcessHeap(), 0, 32768 * sizeof(WCHAR));
    bool match = false;

    if (!stored) return false;
    if (catalog_reg_get_string(key, L"AppFullPath", stored, 32768) &&
        !lstrcmpiW(stored, app->path)) {
        if (!catalog_reg_get_string(key, L"AppArgs", stored, 32768)) stored[0] = 0;
        match = !wcscmp(stored, app->extra ? app->extra : L"");
    }
    HeapFree(GetProcessHeap(), 0, stored);
    return match;
}

/*
 * The key of APP under AppId_Catalog, opened with ACCESS; with CREATE, made in the first free
 * slot if absent (*created tells). NULL if absent (or on failure, *err set).
 */
static HANDLE app_key(const struct app_id *app, ACCESS_MASK access, bool create, bool *created,
                      int *err)
{
    HANDLE parameters, catalog, key = NULL;
    DWORD hash = app_hash(app);
    WCHAR name[9];

    *err = 0;
    if (created) *created = false;
    if (!(parameters = catalog_open_parameters(create ? KEY_ALL_ACCESS : KEY_READ))) {
        *err = WSANO_RECOVERY;
        return NULL;
    }
    catalog =
        catalog_reg_open(parameters, L"AppId_Catalog", create ? KEY_ALL_ACCESS : KEY_READ, create);
    NtClose(parameters);
    if (!catalog) {
        if (create) *err = WSANO_RECOVERY;
        return NULL;
    }
    for (int i = 0; i < APP_PROBES && !key; i++) {
        hex_name(name, hash + i);
        if ((key = catalog_reg_open(catalog, name, access, false)) && !app_matches(key, app)) {
            NtClose(key);
            key = NULL;
        }
    }
    for (int i = 0; i < APP_PROBES && !key && create; i++) {
        HANDLE taken;
        hex_name(name, hash + i);
        if ((taken = catalog_reg_open(catalog, name, KEY_READ, false))) {
            NtClose(taken);
            continue;
        }
        if ((key = catalog_reg_open(catalog, name, access, true))) {
            *created = true;
            if (!catalog_reg_set(key, L"AppFullPath", REG_SZ, app->path,
                                 (wcslen(app->path) + 1) * sizeof(WCHAR)) ||
                (app->extra && !catalog_reg_set(key, L"AppArgs", REG_SZ, app->extra,
                                                (wcslen(app->extra) + 1) * sizeof(WCHAR)))) {
                NtClose(key);
                key = NULL;
            }
        }
    }
    if (!key && create) *err = WSANO_RECOVERY;
    NtClose(catalog);
    return key;
}

int WSPAPI WSCSetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra,
                                     DWORD ExtraLength, DWORD PermittedLspCategories,
                                     DWORD *pPrevPermLspCat, LPINT lpErrno)
{
    struct app_id app;
    DWORD previous = 0;
    bool created;
    HANDLE key = NULL;
    int err;

    if (!(err = app_id_make(&app, Path, PathLength, Extra, ExtraLength)) && pPrevPermLspCat &&
        !ws_writable(pPrevPermLspCat, sizeof(*pPrevPermLspCat)))
        err = WSAEFAULT;
    if (!err && (key = app_key(&app, KEY_ALL_ACCESS, true, &created, &err))) {
        if (created || !catalog_reg_get_dword(key, L"PermittedLspCategories", &previous))
            previous = 0;
        if (!catalog_reg_set_dword(key, L"PermittedLspCategories", PermittedLspCategories))
            err = WSANO_RECOVERY;
        NtClose(key);
    }
    app_id_free(&app);
    if (err) return wsc_fail(lpErrno, err);
    if (pPrevPermLspCat) *pPrevPermLspCat = previous;
    return 0;
}

int WSPAPI WSCGetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra,
                                     DWORD ExtraLength, DWORD *pPermittedLspCategories,
                                     LPINT lpErrno)
{
    struct app_id app;
    DWORD categories = 0;
    HANDLE key = NULL;
    int err;

    if (!(err = app_id_make(&app, Path, PathLength, Extra, ExtraLength)) &&
        (!pPermittedLspCategories ||
         !ws_writable(pPermittedLspCategories, sizeof(*pPermittedLspCategories))))
        err = WSAEFAULT;
    if (!err) {
        if (!(key = app_key(&app, KEY_READ, false, NULL, &err))) {
            if (!err) err = WSASERVICE_NOT_FOUND;
        } else {
            if (!catalog_reg_get_dword(key, L"PermittedLspCategories", &categories))
                err = WSASERVICE_NOT_FOUND;
            NtClose(key);
        }
    }
    app_id_free(&app);
    if (err) return wsc_fail(lpErrno, err);
    *pPermittedLspCategories = categories;
    return 0;
}

/* ---- notification of catalog changes ---- */

/*
 * The notification handle is a key handle of Winsock's Parameters key, whose subtree holds the
 * protocol and namespace catalogs; a wait arms the registry's notification of changes to it.
 * The registry signals only an event, so an overlapped wait is finished by a pool wait that
 * completes the OVERLAPPED and queues the completion routine to the calling thread.
 */
struct config_wait {
    IO_STATUS_BLOCK io; /* written when the notification fires */
    HANDLE event, wait, thread;
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
};

static void CALLBACK config_routine_apc(ULONG_PTR arg)
{
    struct config_wait *w = (struct config_wait *)arg;
    w->routine(0, 0, w->ov, 0);
    HeapFree(GetProcessHeap(), 0, w);
}

static void CALLBACK config_changed(void *arg, BOOLEAN timed_out)
{
    struct config_wait *w = arg;
    (void)timed_out;
    /* The wait's handle is stored by the registering thread, which may not have done so yet. */
    while (!*(HANDLE volatile *)&w->wait) Sleep(0);
    UnregisterWaitEx(w->wait, NULL);
    CloseHandle(w->event);
    w->ov->InternalHigh = 0;
    w->ov->Internal = 0;
    if (w->ov->hEvent) SetEvent(w->ov->hEvent);
    if (w->routine && w->thread && QueueUserAPC(config_routine_apc, w->thread, (ULONG_PTR)w)) {
        CloseHandle(w->thread);
        return;
    }
    if (w->thread) CloseHandle(w->thread);
    HeapFree(GetProcessHeap(), 0, w);
}

static bool is_notification_status(NTSTATUS status)
{
    return status == STATUS_PENDING || !status;
}

INT WSAAPI WSAProviderConfigChange(LPHANDLE lpNotificationHandle, LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    const ULONG filter = REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET;
    struct config_wait *w;
    IO_STATUS_BLOCK io;
    NTSTATUS status;
    HANDLE key;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!lpNotificationHandle || !ws_writable(lpNotificationHandle, sizeof(HANDLE)))
        return ws_fail(WSAEFAULT);
    /* The first call only hands out the handle. */
    if (!*lpNotificationHandle) {
        if (!(key = catalog_open_parameters(KEY_NOTIFY | KEY_READ))) return ws_fail(WSAENETDOWN);
        *lpNotificationHandle = key;
        return 0;
    }
    key = *lpNotificationHandle;

    if (!lpOverlapped) {
        /* Blocking: until the next change. */
        status = NtNotifyChangeKey(key, NULL, NULL, NULL, &io, filter, TRUE, NULL, 0, FALSE);
        if (!is_notification_status(status)) return ws_fail(WSA_INVALID_HANDLE);
        return 0;
    }
    if (!ws_writable(lpOverlapped, sizeof(*lpOverlapped))) return ws_fail(WSAEFAULT);
    if (!(w = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*w))))
        return ws_fail(WSA_NOT_ENOUGH_MEMORY);
    w->ov = lpOverlapped;
    w->routine = lpCompletionRoutine;
    if (!(w->event = CreateEventW(NULL, FALSE, FALSE, NULL))) {
        HeapFree(GetProcessHeap(), 0, w);
        return ws_fail(WSA_NOT_ENOUGH_MEMORY);
    }
    status = NtNotifyChangeKey(key, w->event, NULL, NULL, &w->io, filter, TRUE, NULL, 0, TRUE);
    if (!is_notification_status(status)) {
        CloseHandle(w->event);
        HeapFree(GetProcessHeap(), 0, w);
        return ws_fail(WSA_INVALID_HANDLE);
    }
    if (lpCompletionRoutine)
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &w->thread, 0,
                        FALSE, DUPLICATE_SAME_ACCESS);
    lpOverlapped->Internal = STATUS_PENDING;
    lpOverlapped->InternalHigh = 0;
    if (lpOverlapped->hEvent) ResetEvent(lpOverlapped->hEvent);
    if (!RegisterWaitForSingleObject(&w->wait, w->event, config_changed, w, INFINITE,
                                     WT_EXECUTEONLYONCE)) {
        lpOverlapped->Internal = 0;
        CloseHandle(w->event);
        if (w->thread) CloseHandle(w->thread);
        HeapFree(GetProcessHeap(), 0, w);
        return ws_fail(WSA_NOT_ENOUGH_MEMORY);
    }
    return ws_fail(WSA_IO_PENDING);
}
