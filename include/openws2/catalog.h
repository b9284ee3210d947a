/*
 * The protocol catalog: the transport entries Windows keeps in the registry under
 * HKLM\System\CurrentControlSet\Services\WinSock2\Parameters\Protocol_Catalog9, and the one
 * in-process copy of it that the entry points and the provider loader read.
 *
 * Layout, as Windows keeps it: Catalog_Entries64 (the 64-bit view, this DLL's own) and
 * Catalog_Entries (the 32-bit view) hold one key per entry, named by its position in the order
 * ("000000000001", ...), whose PackedCatalogItem value is the provider DLL's path (ANSI, MAX_PATH
 * bytes) followed by the entry's WSAPROTOCOL_INFOW. Num_Catalog_Entries64 / Num_Catalog_Entries
 * count them; Next_Catalog_Entry_ID is the next catalog entry identifier (shared by both views);
 * Serial_Access_Num is bumped on every change. The layered-provider categories that
 * WSCSetProviderInfo stores are kept beside PackedCatalogItem in a DWORD value LspCategories.
 * A view that was never written is made with Windows' default entries on first use.
 *
 * Callers get an immutable snapshot (catalog_get/catalog_put) and never read the registry
 * themselves; writers go through catalog_modify, which serialises changes between processes.
 */
#ifndef OPENWS2_CATALOG_H
#define OPENWS2_CATALOG_H

#include "openws2/core.h"

enum catalog_view {
    CATALOG_NATIVE = 0, /* the 64-bit catalog: Catalog_Entries64 */
    CATALOG_32 = 1,     /* the 32-bit catalog: Catalog_Entries */
};
#define CATALOG_VIEWS       2
#define CATALOG_VIEW_BIT(v) (1u << (v))

struct catalog_entry {
    WCHAR path[MAX_PATH]; /* the provider DLL as stored: environment strings unexpanded */
    WSAPROTOCOL_INFOW info;
    DWORD lsp_categories; /* WSCSetProviderInfo's ProviderInfoLspCategories */
};

struct catalog {
    volatile LONG refs;
    int count;
    struct catalog_entry entries[];
};

/*
 * The catalog of VIEW in the order programs see it. With CHECK, a change made since the last
 * look (by this process or another) is read first; without, the copy in memory is returned as
 * it is, which costs no wineserver request (the hot path). 0 and *out referenced, or a Winsock
 * error.
 */
int catalog_get(enum catalog_view view, bool check, struct catalog **out);
void catalog_put(struct catalog *catalog);

const struct catalog_entry *catalog_find_provider(const struct catalog *catalog, const GUID *id);
const struct catalog_entry *catalog_find_id(const struct catalog *catalog, DWORD id);

/* A catalog being changed: entries in order, room for more. */
struct catalog_edit {
    struct catalog_entry *entries;
    int count, capacity;
};

/* Room for N more entries in EDIT: 0 or WSA_NOT_ENOUGH_MEMORY. */
int catalog_edit_reserve(struct catalog_edit *edit, int n);
/* Insert ENTRY at position AT (0..count); room must have been reserved. */
void catalog_edit_insert(struct catalog_edit *edit, int at, const struct catalog_entry *entry);
void catalog_edit_remove(struct catalog_edit *edit, int at);

/*
 * The change FN makes to one view, given its entries read fresh from the registry and the first
 * catalog entry identifier it may hand out (FIRST_ID; *used gets how many it took). Returns 0
 * or a Winsock error, in which case nothing is written.
 */
typedef int (*catalog_edit_fn)(struct catalog_edit *edit, enum catalog_view view, DWORD first_id,
                               DWORD *used, void *ctx);

/*
 * Change the views in VIEWS (CATALOG_VIEW_BIT mask) under the machine-wide catalog lock: FN is
 * called for every view first, and only if all succeed is anything written. Identifiers are
 * handed out once for all views (the same change gets the same identifiers in both). Returns 0
 * or a Winsock error (WSANO_RECOVERY when the registry cannot be written).
 */
int catalog_modify(unsigned views, catalog_edit_fn fn, void *ctx);

/* The registry key whose subtree holds every Winsock catalog (WSAProviderConfigChange watches
   it), opened with ACCESS; NULL on failure. */
HANDLE catalog_open_parameters(ACCESS_MASK access);

/* Registry helpers over ntdll (ROOT NULL: NAME is a full \\Registry path). */
HANDLE catalog_reg_open(HANDLE root, const WCHAR *name, ACCESS_MASK access, bool create);
bool catalog_reg_get_dword(HANDLE key, const WCHAR *name, DWORD *value);
/* A REG_SZ value into BUFFER of CHARS characters, terminated; false if absent or longer. */
bool catalog_reg_get_string(HANDLE key, const WCHAR *name, WCHAR *buffer, DWORD chars);
bool catalog_reg_set(HANDLE key, const WCHAR *name, ULONG type, const void *data, ULONG size);
bool catalog_reg_set_dword(HANDLE key, const WCHAR *name, DWORD value);
void catalog_reg_delete_value(HANDLE key, const WCHAR *name);

/* ntdll's registry calls that the SDK headers leave out, as the catalog code uses them. */
NTSTATUS NTAPI NtNotifyChangeKey(HANDLE key, HANDLE event, void *apc, void *apc_context,
                                 IO_STATUS_BLOCK *io, ULONG filter, BOOLEAN subtree, void *buffer,
                                 ULONG length, BOOLEAN async);

#endif
