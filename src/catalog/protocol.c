/*
 * The protocol catalog in the registry (see include/openws2/catalog.h for the layout) and the
 * process's copy of it.
 *
 * Reading: the copy of each view is kept until a change is seen. Changes made through this
 * process bump a generation count at once; changes made by other processes are caught by a
 * registry notification armed on the Protocol_Catalog9 key, looked at only when a caller asks
 * for a check (the enumeration and WSC calls, never the socket hot path).
 *
 * Writing: every change reads the view fresh under a named mutex shared by all processes,
 * applies the edit, and writes the whole view back in its new order, as the numbered keys
 * carry the order.
 *
 * The registry is reached through ntdll, so that the DLL imports nothing new.
 */
#include "openws2/catalog.h"
#include "openws2/afd_provider.h"
#include <string.h>

/* ---- ntdll's registry calls (the SDK headers leave them out) ---- */

NTSTATUS NTAPI NtCreateKey(HANDLE *key, ACCESS_MASK access, OBJECT_ATTRIBUTES *attr, ULONG index,
                           UNICODE_STRING *class_name, ULONG options, ULONG *disposition);
NTSTATUS NTAPI NtOpenKey(HANDLE *key, ACCESS_MASK access, OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtQueryValueKey(HANDLE key, UNICODE_STRING *name, int info_class, void *info,
                               ULONG length, ULONG *result_length);
NTSTATUS NTAPI NtSetValueKey(HANDLE key, UNICODE_STRING *name, ULONG index, ULONG type,
                             const void *data, ULONG size);
NTSTATUS NTAPI NtDeleteValueKey(HANDLE key, UNICODE_STRING *name);
NTSTATUS NTAPI NtDeleteKey(HANDLE key);

#define KEY_VALUE_PARTIAL 2

static const WCHAR parameters_path[] =
    L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\WinSock2\\Parameters";
static const WCHAR catalog_name[] = L"Protocol_Catalog9";
static const WCHAR *const entries_name[CATALOG_VIEWS] = {L"Catalog_Entries64", L"Catalog_Entries"};
static const WCHAR *const count_name[CATALOG_VIEWS] = {L"Num_Catalog_Entries64",
                                                       L"Num_Catalog_Entries"};
static const WCHAR next_id_name[] = L"Next_Catalog_Entry_ID";
static const WCHAR serial_name[] = L"Serial_Access_Num";
static const WCHAR item_name[] = L"PackedCatalogItem";
static const WCHAR categories_name[] = L"LspCategories";

/* Where Windows' catalog says its TCP/IP providers live, unexpanded as it stores it. */
static const WCHAR tcpip_provider_path[] = L"%SystemRoot%\\system32\\mswsock.dll";

/* The first identifier Windows hands out. */
#define FIRST_ENTRY_ID 1001

/* A PackedCatalogItem: the path in the ANSI code page, then the entry. */
#define ITEM_SIZE (MAX_PATH + sizeof(WSAPROTOCOL_INFOW))

/* ---- registry helpers ---- */

HANDLE catalog_reg_open(HANDLE root, const WCHAR *name, ACCESS_MASK access, bool create)
{
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES attr;
    HANDLE key = NULL;
    NTSTATUS status;

    RtlInitUnicodeString(&us, name);
    InitializeObjectAttributes(&attr, &us, OBJ_CASE_INSENSITIVE, root, NULL);
    if (create)
        status = NtCreateKey(&key, access, &attr, 0, NULL, 0, NULL);
    else
        status = NtOpenKey(&key, access, &attr);
    return status ? NULL : key;
}

bool catalog_reg_get_dword(HANDLE key, const WCHAR *name, DWORD *value)
{
    UNICODE_STRING us;
    struct {
        ULONG title_index, type, length;
        BYTE data[sizeof(DWORD)];
    } info;
    ULONG len;

    RtlInitUnicodeString(&us, name);
    if (NtQueryValueKey(key, &us, KEY_VALUE_PARTIAL, &info, sizeof(info), &len)) return false;
    if (info.type != REG_DWORD || info.length != sizeof(DWORD)) return false;
    memcpy(value, info.data, sizeof(DWORD));
    return true;
}

bool catalog_reg_get_string(HANDLE key, const WCHAR *name, WCHAR *buffer, DWORD chars)
{
    UNICODE_STRING us;
    ULONG len, size = sizeof(ULONG) * 3 + chars * sizeof(WCHAR);
    struct {
        ULONG title_index, type, length;
        WCHAR data[];
    } *info = HeapAlloc(GetProcessHeap(), 0, size);
    bool ok;

    if (!info) return false;
    RtlInitUnicodeString(&us, name);
    ok = !NtQueryValueKey(key, &us, KEY_VALUE_PARTIAL, info, size, &len) &&
         (info->type == REG_SZ || info->type == REG_EXPAND_SZ);
    if (ok) {
        len = info->length / sizeof(WCHAR);
        if (len && !info->data[len - 1]) len--;
        ok = len < chars;
        if (ok) {
            memcpy(buffer, info->data, len * sizeof(WCHAR));
            buffer[len] = 0;
        }
    }
    HeapFree(GetProcessHeap(), 0, info);
    return ok;
}

bool catalog_reg_set(HANDLE key, const WCHAR *name, ULONG type, const void *data, ULONG size)
{
    UNICODE_STRING us;
    RtlInitUnicodeString(&us, name);
    return !NtSetValueKey(key, &us, 0, type, data, size);
}

bool catalog_reg_set_dword(HANDLE key, const WCHAR *name, DWORD value)
{
    return catalog_reg_set(key, name, REG_DWORD, &value, sizeof(value));
}

void catalog_reg_delete_value(HANDLE key, const WCHAR *name)
{
    UNICODE_STRING us;
    RtlInitUnicodeString(&us, name);
    NtDeleteValueKey(key, &us);
}

/* The key of the entry at POSITION: its 1-based number in twelve digits. */
static void entry_key_name(WCHAR name[16], int position)
{
    unsigned n = (unsigned)position + 1;
    for (int i = 11; i >= 0; i--, n /= 10) name[i] = L'0' + n % 10;
    name[12] = 0;
}

HANDLE catalog_open_parameters(ACCESS_MASK access)
{
    return catalog_reg_open(NULL, parameters_path, access, true);
}

/* ---- the machine-wide lock ---- */

static HANDLE catalog_mutex(void)
{
    static HANDLE volatile kept;
    HANDLE mutex = kept, other;

    if (mutex) return mutex;
    if (!(mutex = CreateMutexW(NULL, FALSE, L"OpenWS2_Winsock_Protocol_Catalog"))) return NULL;
    if ((other = InterlockedCompareExchangePointer((void *volatile *)&kept, mutex, NULL))) {
        CloseHandle(mutex);
        return other;
    }
    return mutex;
}

static bool lock_machine(void)
{
    HANDLE mutex = catalog_mutex();
    DWORD ret;
    if (!mutex) return false;
    ret = WaitForSingleObject(mutex, INFINITE);
    return ret == WAIT_OBJECT_0 || ret == WAIT_ABANDONED;
}

static void unlock_machine(void)
{
    ReleaseMutex(catalog_mutex());
}

/* ---- edits ---- */

int catalog_edit_reserve(struct catalog_edit *edit, int n)
{
    struct catalog_entry *grown;
    int capacity;

    if (edit->count + n <= edit->capacity) return 0;
    capacity = edit->count + n + 8;
    grown = edit->entries
                ? HeapReAlloc(GetProcessHeap(), 0, edit->entries, capacity * sizeof(*grown))
                : HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(*grown));
    if (!grown) return WSA_NOT_ENOUGH_MEMORY;
    edit->entries = grown;
    edit->capacity = capacity;
    return 0;
}

void catalog_edit_insert(struct catalog_edit *edit, int at, const struct catalog_entry *entry)
{
    memmove(&edit->entries[at + 1], &edit->entries[at],
            (edit->count - at) * sizeof(edit->entries[0]));
    edit->entries[at] = *entry;
    edit->count++;
}

void catalog_edit_remove(struct catalog_edit *edit, int at)
{
    memmove(&edit->entries[at], &edit->entries[at + 1],
            (edit->count - at - 1) * sizeof(edit->entries[0]));
    edit->count--;
}

static void edit_free(struct catalog_edit *edit)
{
    if (edit->entries) HeapFree(GetProcessHeap(), 0, edit->entries);
    memset(edit, 0, sizeof(*edit));
}

/* ---- reading and writing a view (under the machine lock) ---- */

/* One entry key into ENTRY; false if it is missing or not a catalog item. */
static bool read_entry(HANDLE entries, int position, struct catalog_entry *entry)
{
    WCHAR name[16];
    UNICODE_STRING us;
    HANDLE key;
    ULONG len;
    bool ok = false;
    struct {
        ULONG title_index, type, length;
        BYTE data[ITEM_SIZE + 512]; /* Windows may append more; only our part is read */
    } *info = HeapAlloc(GetProcessHeap(), 0, sizeof(*info));
    NTSTATUS status;

    if (!info) return false;
    entry_key_name(name, position);
    if ((key = catalog_reg_open(entries, name, KEY_QUERY_VALUE, false))) {
        RtlInitUnicodeString(&us, item_name);
        status = NtQueryValueKey(key, &us, KEY_VALUE_PARTIAL, info, sizeof(*info), &len);
        if ((!status || status == STATUS_BUFFER_OVERFLOW_) && info->type == REG_BINARY &&
            info->length >= ITEM_SIZE) {
            char path[MAX_PATH + 1];
            memcpy(path, info->data, MAX_PATH);
            path[MAX_PATH] = 0;
            if (!MultiByteToWideChar(CP_ACP, 0, path, -1, entry->path, MAX_PATH))
                entry->path[0] = 0;
            memcpy(&entry->info, info->data + MAX_PATH, sizeof(entry->info));
            entry->info.szProtocol[WSAPROTOCOL_LEN] = 0;
            if (!catalog_reg_get_dword(key, categories_name, &entry->lsp_categories))
                entry->lsp_categories = 0;
            ok = true;
        }
        NtClose(key);
    }
    HeapFree(GetProcessHeap(), 0, info);
    return ok;
}

/* The entries of VIEW into EDIT; *stored gets how many keys the registry counts (-1: the view
   was never written). Returns 0 or a Winsock error. */
static int read_view(HANDLE catalog, enum catalog_view view, struct catalog_edit *edit, int *stored)
{
    DWORD count;
    HANDLE entries;
    int err = 0;

    memset(edit, 0, sizeof(*edit));
    *stored = -1;
    if (!catalog_reg_get_dword(catalog, count_name[view], &count)) return 0;
    if (count > 4096) return WSANO_RECOVERY;
    *stored = (int)count;
    if (!count) return 0;
    if (!(entries = catalog_reg_open(catalog, entries_name[view], KEY_READ, false))) return 0;
    if (!(err = catalog_edit_reserve(edit, (int)count))) {
        for (DWORD i = 0; i < count; i++)
            if (read_entry(entries, (int)i, &edit->entries[edit->count])) edit->count++;
    }
    NtClose(entries);
    return err;
}

static bool write_entry(HANDLE entries, int position, const struct catalog_entry *entry)
{
    WCHAR name[16];
    HANDLE key;
    BYTE *item;
    bool ok = false;

    entry_key_name(name, position);
    if (!(key = catalog_reg_open(entries, name, KEY_ALL_ACCESS, true))) return false;
    if ((item = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, ITEM_SIZE))) {
        if (!WideCharToMultiByte(CP_ACP, 0, entry->path, -1, (char *)item, MAX_PATH, NULL, NULL))
            item[0] = 0;
        item[MAX_PATH - 1] = 0;
        memcpy(item + MAX_PATH, &entry->info, sizeof(entry->info));
        ok = catalog_reg_set(key, item_name, REG_BINARY, item, ITEM_SIZE);
        HeapFree(GetProcessHeap(), 0, item);
    }
    if (ok) {
        if (entry->lsp_categories)
            ok = catalog_reg_set_dword(key, categories_name, entry->lsp_categories);
        else
            catalog_reg_delete_value(key, categories_name);
    }
    NtClose(key);
    return ok;
}

/* Write VIEW as EDIT, dropping the keys past its end (STORED of them were there). */
static bool write_view(HANDLE catalog, enum catalog_view view, const struct catalog_edit *edit,
                       int stored)
{
    HANDLE entries, key;
    WCHAR name[16];
    bool ok = true;

    if (!(entries = catalog_reg_open(catalog, entries_name[view], KEY_ALL_ACCESS, true)))
        return false;
    for (int i = 0; i < edit->count && ok; i++) ok = write_entry(entries, i, &edit->entries[i]);
    for (int i = edit->count; ok && i < stored; i++) {
        entry_key_name(name, i);
        if ((key = catalog_reg_open(entries, name, DELETE, false))) {
            NtDeleteKey(key);
            NtClose(key);
        }
    }
    NtClose(entries);
    return ok && catalog_reg_set_dword(catalog, count_name[view], (DWORD)edit->count);
}

/* Windows' default entries: the built-in provider's TCP, UDP and raw entries. */
static int default_view(struct catalog_edit *edit)
{
    WSAPROTOCOL_INFOW infos[16];
    int n = afd_catalog(infos, ARRAY_COUNT(infos)), err;

    if (n > (int)ARRAY_COUNT(infos)) n = ARRAY_COUNT(infos);
    if ((err = catalog_edit_reserve(edit, n))) return err;
    for (int i = 0; i < n; i++) {
        struct catalog_entry *e = &edit->entries[edit->count++];
        memset(e, 0, sizeof(*e));
        memcpy(e->path, tcpip_provider_path, sizeof(tcpip_provider_path));
        e->info = infos[i];
    }
    return 0;
}

/* The catalog key, with every view that was never written made with the defaults (under the
   machine lock). NULL if the registry cannot be opened. */
static HANDLE open_catalog(ACCESS_MASK access)
{
    HANDLE parameters, catalog;
    DWORD next_id;

    if (!(parameters = catalog_open_parameters(KEY_ALL_ACCESS))) {
        if (!(parameters = catalog_open_parameters(KEY_READ))) return NULL;
        access = KEY_READ;
    }
    catalog = catalog_reg_open(parameters, catalog_name, access, true);
    if (catalog && access != KEY_READ) {
        bool written = false;
        catalog_reg_set(parameters, L"Current_Protocol_Catalog", REG_SZ, catalog_name,
                        sizeof(catalog_name));
        for (int v = 0; v < CATALOG_VIEWS; v++) {
            DWORD count;
            struct catalog_edit edit = {0};
            if (catalog_reg_get_dword(catalog, count_name[v], &count)) continue;
            if (!default_view(&edit) && write_view(catalog, v, &edit, 0)) written = true;
            edit_free(&edit);
        }
        if (!catalog_reg_get_dword(catalog, next_id_name, &next_id) || next_id < FIRST_ENTRY_ID) {
            /* Past the defaults' identifiers. */
            WSAPROTOCOL_INFOW infos[16];
            int n = afd_catalog(infos, ARRAY_COUNT(infos));
            next_id = FIRST_ENTRY_ID;
            for (int i = 0; i < n && i < (int)ARRAY_COUNT(infos); i++)
                if (infos[i].dwCatalogEntryId >= next_id) next_id = infos[i].dwCatalogEntryId + 1;
            catalog_reg_set_dword(catalog, next_id_name, next_id);
        }
        if (written) {
            DWORD serial = 0;
            catalog_reg_get_dword(catalog, serial_name, &serial);
            catalog_reg_set_dword(catalog, serial_name, serial + 1);
        }
    }
    NtClose(parameters);
    return catalog;
}

/* ---- the process's copy ---- */

static SRWLOCK cache_lock = SRWLOCK_INIT;
static struct catalog *cache[CATALOG_VIEWS];
static LONG cache_generation[CATALOG_VIEWS];
/* Bumped by every change seen: made here, or reported by the registry notification. */
static volatile LONG generation = 1;
static HANDLE watch_key, watch_event;

void catalog_put(struct catalog *catalog)
{
    if (catalog && !InterlockedDecrement(&catalog->refs)) HeapFree(GetProcessHeap(), 0, catalog);
}

/* Arm (or re-arm) the notification of changes to the catalog by anyone (under cache_lock). */
static void watch_arm(void)
{
    static IO_STATUS_BLOCK io; /* written when the notification fires */
    HANDLE parameters;

    if (!watch_event && !(watch_event = CreateEventW(NULL, FALSE, FALSE, NULL))) return;
    if (!watch_key) {
        if (!(parameters = catalog_open_parameters(KEY_READ))) return;
        watch_key = catalog_reg_open(parameters, catalog_name, KEY_NOTIFY | KEY_READ, false);
        NtClose(parameters);
        if (!watch_key) return;
    }
    NtNotifyChangeKey(watch_key, watch_event, NULL, NULL, &io,
                      REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, TRUE, NULL, 0, TRUE);
}

/* Read VIEW from the registry into a new snapshot; 0 or a Winsock error. */
static int load(enum catalog_view view, struct catalog **out)
{
    struct catalog_edit edit = {0};
    struct catalog *catalog;
    HANDLE key;
    int stored, err;

    if (!lock_machine()) return WSASYSCALLFAILURE;
    if ((key = open_catalog(KEY_ALL_ACCESS))) {
        err = read_view(key, view, &edit, &stored);
        NtClose(key);
    } else {
        err = 0;
        stored = -1;
    }
    unlock_machine();
    /* A registry that cannot be read or written still has Windows' defaults to list. */
    if (!err && stored < 0) err = default_view(&edit);
    if (err) {
        edit_free(&edit);
        return err;
    }
    catalog = HeapAlloc(GetProcessHeap(), 0,
                        offsetof(struct catalog, entries[edit.count ? edit.count : 1]));
    if (!catalog) {
        edit_free(&edit);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    catalog->refs = 1;
    catalog->count = edit.count;
    if (edit.count) memcpy(catalog->entries, edit.entries, edit.count * sizeof(edit.entries[0]));
    edit_free(&edit);
    *out = catalog;
    return 0;
}

int catalog_get(enum catalog_view view, bool check, struct catalog **out)
{
    struct catalog *fresh = NULL;
    int err = 0;

    if (!check) {
        *out = NULL;
        AcquireSRWLockShared(&cache_lock);
        if (cache[view] && cache_generation[view] == generation)
            InterlockedIncrement(&(*out = cache[view])->refs);
        ReleaseSRWLockShared(&cache_lock);
        if (*out) return 0;
    }

    AcquireSRWLockExclusive(&cache_lock);
    if (!watch_key) {
        watch_arm();
    } else if (WaitForSingleObject(watch_event, 0) == WAIT_OBJECT_0) {
        InterlockedIncrement(&generation);
        watch_arm();
    }
    if (!cache[view] || cache_generation[view] != generation) {
        LONG seen = generation;
        if (!(err = load(view, &fresh))) {
            catalog_put(cache[view]);
            cache[view] = fresh;
            cache_generation[view] = seen;
        }
    }
    /* The first load may have made the catalog key; watch it from now on, and read again at
       the next check what may have changed before the watch began. */
    if (!watch_key) {
        watch_arm();
        if (watch_key) InterlockedIncrement(&generation);
    }
    if (!err) InterlockedIncrement(&(*out = cache[view])->refs);
    ReleaseSRWLockExclusive(&cache_lock);
    return err;
}

const struct catalog_entry *catalog_find_provider(const struct catalog *catalog, const GUID *id)
{
    for (int i = 0; i < catalog->count; i++)
        if (!memcmp(&catalog->entries[i].info.ProviderId, id, sizeof(*id)))
            return &catalog->entries[i];
    return NULL;
}

const struct catalog_entry *catalog_find_id(const struct catalog *catalog, DWORD id)
{
    for (int i = 0; i < catalog->count; i++)
        if (catalog->entries[i].info.dwCatalogEntryId == id) return &catalog->entries[i];
    return NULL;
}

/* ---- changes ---- */

int catalog_modify(unsigned views, catalog_edit_fn fn, void *ctx)
{
    struct catalog_edit edits[CATALOG_VIEWS] = {0};
    int stored[CATALOG_VIEWS] = {0};
    DWORD next_id = FIRST_ENTRY_ID, used_most = 0, serial = 0;
    HANDLE key;
    int err = 0;

    if (!lock_machine()) return WSASYSCALLFAILURE;
    if (!(key = open_catalog(KEY_ALL_ACCESS))) {
        unlock_machine();
        return WSANO_RECOVERY;
    }
    catalog_reg_get_dword(key, next_id_name, &next_id);
    for (int v = 0; v < CATALOG_VIEWS && !err; v++) {
        DWORD used = 0;
        if (!(views & CATALOG_VIEW_BIT(v))) continue;
        if ((err = read_view(key, v, &edits[v], &stored[v]))) break;
        if ((err = fn(&edits[v], v, next_id, &used, ctx))) break;
        if (used > used_most) used_most = used;
    }
    for (int v = 0; v < CATALOG_VIEWS && !err; v++) {
        if (!(views & CATALOG_VIEW_BIT(v))) continue;
        if (!write_view(key, v, &edits[v], stored[v])) err = WSANO_RECOVERY;
    }
    if (!err) {
        if (used_most) catalog_reg_set_dword(key, next_id_name, next_id + used_most);
        catalog_reg_get_dword(key, serial_name, &serial);
        catalog_reg_set_dword(key, serial_name, serial + 1);
    }
    NtClose(key);
    unlock_machine();
    for (int v = 0; v < CATALOG_VIEWS; v++) edit_free(&edits[v]);
    /* Our own change shows at the next look without waiting for the notification. */
    if (!err) InterlockedIncrement(&generation);
    return err;
}
