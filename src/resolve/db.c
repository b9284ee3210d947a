/*
 * The local name databases: the hosts, services and protocol files in the folder named by the
 * registry value DataBasePath (an edit of a file shows at the next lookup; a steady-state lookup
 * makes no wineserver request), and the local host's own names and addresses; then the lookups
 * of the gethostbyname, getservbyname and getprotobyname families and the one-block layout
 * Windows gives their results, shared by the synchronous and the asynchronous calls.
 *
 * Nothing here is loaded or started at DllMain: iphlpapi.dll is loaded on the first lookup of the
 * local host's addresses, and the DLL keeps importing only kernel32, msvcrt and ntdll.
 */
#include "db.h"
#include "dns.h"
#include <mstcpip.h>
#include <iphlpapi.h>
#include <string.h>

/* ---- ntdll's registry calls (the SDK headers leave them out) ---- */

typedef struct {
    ULONG TitleIndex;
    ULONG Type;
    ULONG DataLength;
    UCHAR Data[1];
} ws_key_value_partial;

NTSTATUS NTAPI NtOpenKey(HANDLE *key, ACCESS_MASK access, OBJECT_ATTRIBUTES *attr);
NTSTATUS NTAPI NtQueryValueKey(HANDLE key, UNICODE_STRING *name, int info_class, void *info,
                               ULONG length, ULONG *result_length);
#define WS_KEY_VALUE_PARTIAL_INFORMATION 2

static const IN6_ADDR ipv6_loopback = {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};

/* A database file larger than this is not one (the stock services file is about 15 KiB). */
#define DB_FILE_MAX (16u << 20)

static const WCHAR tcpip_parameters[] =
    L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Tcpip\\Parameters";

NTSTATUS NTAPI NtNotifyChangeKey(HANDLE key, HANDLE event, PIO_APC_ROUTINE apc, void *apc_context,
                                 IO_STATUS_BLOCK *io, ULONG filter, BOOLEAN subtree, void *buffer,
                                 ULONG length, BOOLEAN async);

/* The Tcpip\Parameters key, opened once and kept (with the right to watch it for changes). */
static HANDLE parameters_key(void)
{
    static HANDLE volatile kept;
    UNICODE_STRING key_name;
    OBJECT_ATTRIBUTES attr;
    HANDLE key = kept, other;

    if (key) return key;
    RtlInitUnicodeString(&key_name, tcpip_parameters);
    InitializeObjectAttributes(&attr, &key_name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (NtOpenKey(&key, KEY_QUERY_VALUE | KEY_NOTIFY, &attr) &&
        NtOpenKey(&key, KEY_QUERY_VALUE, &attr))
        return NULL;
    if ((other = InterlockedCompareExchangePointer((void *volatile *)&kept, key, NULL))) {
        NtClose(key); /* another thread kept its handle first */
        return other;
    }
    return key;
}

/*
 * The folder named by DataBasePath, kept between lookups so that a steady-state lookup costs no
 * registry request. The kept key is watched with a change notification whose event a thread
 * pool wait serves: each change of a value of the key bumps the generation, and the next lookup
 * reads the value again. The notification is re-armed before the generation moves, so a change
 * made after a lookup read the value always shows at a later lookup. Windows' own resolver
 * (the DNS client service) likewise keeps its databases and notices changes asynchronously.
 * When the key cannot be watched, every lookup reads the value.
 */
static struct {
    INIT_ONCE once;
    bool watched; /* the notification is armed; false once re-arming failed */
    volatile LONG generation;
    HANDLE event, wait;
    IO_STATUS_BLOCK io;
    SRWLOCK lock; /* guards the kept folder */
    bool kept;    /* folder/found hold the value as of kept_generation */
    bool found;
    LONG kept_generation;
    WCHAR folder[MAX_PATH + 8];
} db_path = {.once = INIT_ONCE_STATIC_INIT, .lock = SRWLOCK_INIT};

static bool watch_arm(void)
{
    NTSTATUS status = NtNotifyChangeKey(parameters_key(), db_path.event, NULL, NULL, &db_path.io,
                                        REG_NOTIFY_CHANGE_LAST_SET | REG_NOTIFY_CHANGE_NAME, FALSE,
                                        NULL, 0, TRUE);
    return status == STATUS_PENDING || status == STATUS_OK;
}

static void CALLBACK watch_fired(void *context, BOOLEAN timed_out)
{
    (void)context, (void)timed_out;
    if (!watch_arm()) db_path.watched = false;
    InterlockedIncrement(&db_path.generation);
}

static BOOL CALLBACK watch_start(INIT_ONCE *once, void *param, void **context)
{
    HMODULE self;
    (void)once, (void)param, (void)context;

    if (!parameters_key() || !(db_path.event = CreateEventW(NULL, FALSE, FALSE, NULL))) return TRUE;
    /* The wait calls into this module for the life of the process: keep the module loaded. */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                            (const WCHAR *)(void *)watch_fired, &self) ||
        !watch_arm()) {
        CloseHandle(db_path.event);
        db_path.event = NULL;
        return TRUE;
    }
    if (!RegisterWaitForSingleObject(&db_path.wait, db_path.event, watch_fired, NULL, INFINITE,
                                     WT_EXECUTEDEFAULT))
        return TRUE; /* armed but never served: the value is read at every lookup */
    db_path.watched = true;
    return TRUE;
}

NTSTATUS NTAPI NtQueryFullAttributesFile(OBJECT_ATTRIBUTES *attr,
                                         FILE_NETWORK_OPEN_INFORMATION *info);

/* DataBasePath as stored, environment variables expanded, as an NT path ("\??\C:\...") with a
   trailing separator, into PATH (PATH_LEN characters): the files are then checked and opened
   through ntdll without converting their names on every lookup. */
static bool db_folder_read(WCHAR *path, DWORD path_len)
{
    UNICODE_STRING value_name;
    HANDLE key = parameters_key();
    ULONG len;
    union {
        ws_key_value_partial info;
        BYTE bytes[sizeof(ws_key_value_partial) + MAX_PATH * sizeof(WCHAR)];
    } value;
    WCHAR raw[MAX_PATH + 1];
    NTSTATUS status;

    if (!key) return false;
    RtlInitUnicodeString(&value_name, L"DataBasePath");
    status = NtQueryValueKey(key, &value_name, WS_KEY_VALUE_PARTIAL_INFORMATION, &value,
                             sizeof(value), &len);
    if (status || (value.info.Type != REG_SZ && value.info.Type != REG_EXPAND_SZ)) return false;

    len = value.info.DataLength / sizeof(WCHAR);
    if (len > MAX_PATH) len = MAX_PATH;
    memcpy(raw, value.info.Data, len * sizeof(WCHAR));
    raw[len] = 0;
    {
        WCHAR dos[MAX_PATH + 1];
        UNICODE_STRING nt;
        size_t n;
        len = ExpandEnvironmentStringsW(raw, dos, ARRAY_COUNT(dos));
        if (!len || len > ARRAY_COUNT(dos) || !dos[0]) return false;
        if (!RtlDosPathNameToNtPathName_U(dos, &nt, NULL, NULL)) return false;
        n = nt.Length / sizeof(WCHAR);
        if (n + 2 <= path_len) {
            memcpy(path, nt.Buffer, n * sizeof(WCHAR));
            if (n && path[n - 1] != '\\') path[n++] = '\\';
            path[n] = 0;
        } else {
            n = 0;
        }
        RtlFreeUnicodeString(&nt);
        return n != 0;
    }
}

/* The folder of the database files (an NT path ending in a separator) into PATH. */
static bool db_folder(WCHAR *path, DWORD path_len)
{
    LONG generation;
    bool found = false, hit = false;

    InitOnceExecuteOnce(&db_path.once, watch_start, NULL, NULL);
    if (!db_path.watched) return db_folder_read(path, path_len);

    generation = InterlockedCompareExchange(&db_path.generation, 0, 0);
    AcquireSRWLockShared(&db_path.lock);
    if (db_path.kept && db_path.kept_generation == generation) {
        hit = true;
        if ((found = db_path.found)) lstrcpynW(path, db_path.folder, (int)path_len);
    }
    ReleaseSRWLockShared(&db_path.lock);
    if (hit) return found;

    /* The generation was read before the value: a change after this read moves it again. */
    found = db_folder_read(path, path_len);
    AcquireSRWLockExclusive(&db_path.lock);
    db_path.kept = true;
    db_path.kept_generation = generation;
    db_path.found = found;
    if (found) lstrcpynW(db_path.folder, path, ARRAY_COUNT(db_path.folder));
    ReleaseSRWLockExclusive(&db_path.lock);
    return found;
}

/* The DNS servers configured for the machine: the NameServer value of the Tcpip parameters
   (IPv4 addresses separated by spaces or commas), into SERVERS (network order). Returns how
   many; 0 when none is configured (the resolver's own list applies). */
int ws_dns_servers(ULONG *servers, int max)
{
    UNICODE_STRING value_name;
    HANDLE key = parameters_key();
    ULONG len;
    union {
        ws_key_value_partial info;
        BYTE bytes[sizeof(ws_key_value_partial) + 512 * sizeof(WCHAR)];
    } value;
    char text[512], *p, *next;
    int count = 0, n;

    if (!key) return 0;
    RtlInitUnicodeString(&value_name, L"NameServer");
    if (NtQueryValueKey(key, &value_name, WS_KEY_VALUE_PARTIAL_INFORMATION, &value, sizeof(value),
                        &len) ||
        value.info.Type != REG_SZ)
        return 0;
    n = WideCharToMultiByte(CP_ACP, 0, (const WCHAR *)value.info.Data,
                            value.info.DataLength / sizeof(WCHAR), text, sizeof(text) - 1, NULL,
                            NULL);
    text[n > 0 ? n : 0] = 0;
    for (p = text; *p && count < max; p = next) {
        IN_ADDR addr;
        char *end;
        while (*p == ' ' || *p == ',' || *p == '\t') p++;
        if (!*p) break;
        next = p;
        while (*next && *next != ' ' && *next != ',' && *next != '\t') next++;
        if (*next) *next++ = 0;
        if (!RtlIpv4StringToAddressA(p, TRUE, &end, &addr) && !*end) servers[count++] = addr.s_addr;
    }
    return count;
}

/*
 * The last text read of each database file, with the file's path, size and time of last
 * write: a lookup reads the file again only when one of them changed, so an edit still shows
 * at once (as on Windows) and an unchanged file costs no open, read and close.
 */
struct file_cache {
    WCHAR path[MAX_PATH + 48];
    ULONGLONG size;
    LONGLONG written;
    char *text;
};
static struct file_cache file_caches[4];
static SRWLOCK file_caches_lock = SRWLOCK_INIT;

static struct file_cache *cache_of(const WCHAR *name)
{
    static const WCHAR *const names[] = {L"hosts", L"services", L"protocol", L"networks"};
    for (size_t i = 0; i < ARRAY_COUNT(names); i++)
        if (!wcscmp(name, names[i])) return &file_caches[i];
    return NULL;
}

static bool cache_matches(const struct file_cache *c, const WCHAR *path,
                          const FILE_NETWORK_OPEN_INFORMATION *info)
{
    return c->text && !wcscmp(c->path, path) && c->size == (ULONGLONG)info->EndOfFile.QuadPart &&
           c->written == info->LastWriteTime.QuadPart;
}

static char *copy_text(const char *text, size_t size)
{
    char *copy = HeapAlloc(GetProcessHeap(), 0, size + 1);
    if (copy) memcpy(copy, text, size + 1);
    return copy;
}

/* The whole file NAME of the database folder, NUL-terminated, for the caller to change and
   free; NULL if it cannot be read. */
static char *db_read(const WCHAR *name, size_t *size)
{
    WCHAR path[MAX_PATH + 48];
    FILE_NETWORK_OPEN_INFORMATION info;
    struct file_cache *cache = cache_of(name);
    UNICODE_STRING path_string;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE file;
    char *text = NULL;
    DWORD got = 0;
    size_t len;

    if (!db_folder(path, MAX_PATH + 8)) return NULL;
    len = wcslen(path);
    if (len + wcslen(name) >= ARRAY_COUNT(path)) return NULL;
    wcscpy(path + len, name);
    RtlInitUnicodeString(&path_string, path);
    InitializeObjectAttributes(&attr, &path_string, OBJ_CASE_INSENSITIVE, NULL, NULL);

    /* The size and time of last write, without opening the file (no wineserver request). */
    if (NtQueryFullAttributesFile(&attr, &info) || (info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY))
        return NULL;
    if (cache) {
        AcquireSRWLockShared(&file_caches_lock);
        if (cache_matches(cache, path, &info)) {
            *size = (size_t)cache->size;
            text = copy_text(cache->text, *size);
        }
        ReleaseSRWLockShared(&file_caches_lock);
        if (text) return text;
    }

    if (NtOpenFile(&file, GENERIC_READ | SYNCHRONIZE, &attr, &io,
                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                   FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE))
        return NULL;
    if (info.EndOfFile.QuadPart < DB_FILE_MAX &&
        (text = HeapAlloc(GetProcessHeap(), 0, (size_t)info.EndOfFile.QuadPart + 1))) {
        if (ReadFile(file, text, (DWORD)info.EndOfFile.QuadPart, &got, NULL)) {
            text[got] = 0;
            *size = got;
        } else {
            HeapFree(GetProcessHeap(), 0, text);
            text = NULL;
        }
    }
    NtClose(file);

    /* Kept only if what was read is what the attributes describe (no write in between). */
    if (text && cache && got == (ULONGLONG)info.EndOfFile.QuadPart) {
        char *kept = copy_text(text, got);
        if (kept) {
            AcquireSRWLockExclusive(&file_caches_lock);
            HeapFree(GetProcessHeap(), 0, cache->text);
            wcscpy(cache->path, path);
            cache->size = got;
            cache->written = info.LastWriteTime.QuadPart;
            cache->text = kept;
            ReleaseSRWLockExclusive(&file_caches_lock);
        }
    }
    return text;
}

/* ---- the line walk shared by the three files ---- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool ws_db_walk(const WCHAR *file, ws_db_line_fn fn, void *ctx)
{
    char *fields[WS_DB_MAX_FIELDS];
    size_t size;
    char *text = db_read(file, &size), *p, *end;

    if (!text) return false;
    p = text;
    end = fn ? text + size : text; /* without FN, only whether the file can be read */
    if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3; /* a UTF-8 byte order mark */
    while (p < end) {
        char *eol = memchr(p, '\n', end - p);
        int count = 0;
        if (!eol) eol = end;
        *eol = 0;
        char *hash = memchr(p, '#', eol - p);
        if (hash) *hash = 0;
        /* A NUL in the file ends the line early; the rest of that line is ignored. */
        while (*p && count < WS_DB_MAX_FIELDS) {
            while (is_blank(*p)) p++;
            if (!*p) break;
            fields[count++] = p;
            while (*p && !is_blank(*p)) p++;
            if (*p) *p++ = 0;
        }
        if (count && !fn(ctx, fields, count)) break;
        p = eol + 1;
    }
    HeapFree(GetProcessHeap(), 0, text);
    return true;
}

bool ws_db_name_equal(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char ca = *a, cb = *b;
        if (ca >= 'A' && ca <= 'Z') ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z') cb += 'a' - 'A';
        if (ca != cb) return false;
        if (!ca) return true;
    }
}

static void copy_out(char *out, size_t out_size, const char *text)
{
    size_t len;
    if (!out || !out_size) return;
    len = strlen(text);
    if (len >= out_size) len = out_size - 1;
    memcpy(out, text, len);
    out[len] = 0;
}

/* ---- hosts ---- */

/* The address of a hosts line: FAMILY and the address into ADDR (an IN6_ADDR's room). */
static int hosts_address(const char *text, void *addr, ULONG *scope)
{
    char *term;
    USHORT port;
    *scope = 0;
    if (!RtlIpv4StringToAddressA(text, TRUE, &term, addr) && !*term) return AF_INET;
    if (strchr(text, ':') && !RtlIpv6StringToAddressExA(text, addr, scope, &port)) return AF_INET6;
    return AF_UNSPEC;
}

struct hosts_name_query {
    const char *name;
    int family;
    ws_db_address_fn fn;
    void *ctx;
    int found;
};

static bool hosts_name_line(void *ctx, char **fields, int count)
{
    struct hosts_name_query *q = ctx;
    IN6_ADDR addr;
    ULONG scope;
    int family, i;

    for (i = 1; i < count && !ws_db_name_equal(fields[i], q->name); i++)
        ;
    if (i == count) return true;
    family = hosts_address(fields[0], &addr, &scope);
    if (family == AF_UNSPEC || (q->family != AF_UNSPEC && q->family != family)) return true;
    q->found++;
    return q->fn(q->ctx, family, &addr, scope, fields[1]);
}

int ws_hosts_lookup_name(const char *name, int family, ws_db_address_fn fn, void *ctx)
{
    struct hosts_name_query q = {name, family, fn, ctx, 0};
    if (!name || !*name) return 0;
    ws_db_walk(L"hosts", hosts_name_line, &q);
    return q.found;
}

struct hosts_addr_query {
    int family;
    const void *addr;
    char *out;
    size_t out_size;
    bool found;
};

static bool hosts_addr_line(void *ctx, char **fields, int count)
{
    struct hosts_addr_query *q = ctx;
    IN6_ADDR addr;
    ULONG scope;

    if (count < 2 || hosts_address(fields[0], &addr, &scope) != q->family) return true;
    if (memcmp(&addr, q->addr, q->family == AF_INET ? sizeof(IN_ADDR) : sizeof(IN6_ADDR)))
        return true;
    copy_out(q->out, q->out_size, fields[1]);
    q->found = true;
    return false;
}

bool ws_hosts_lookup_addr(int family, const void *addr, char *out, size_t out_size)
{
    struct hosts_addr_query q = {family, addr, out, out_size, false};
    if (family != AF_INET && family != AF_INET6) return false;
    ws_db_walk(L"hosts", hosts_addr_line, &q);
    return q.found;
}

/* ---- the local host ---- */

/* The computer's names, read once: Windows applies a new computer name only at the next start,
   and each read is several registry requests. */
static struct {
    INIT_ONCE once;
    bool known;
    char name[256];
} own_names[ComputerNameMax];

static BOOL CALLBACK read_own_name(INIT_ONCE *once, void *param, void **context)
{
    COMPUTER_NAME_FORMAT format = (COMPUTER_NAME_FORMAT)(ULONG_PTR)param;
    WCHAR name[256];
    DWORD len = ARRAY_COUNT(name);

    (void)once, (void)context;
    own_names[format].known = GetComputerNameExW(format, name, &len) &&
                              WideCharToMultiByte(CP_UTF8, 0, name, -1, own_names[format].name,
                                                  sizeof(own_names[format].name), NULL, NULL) > 0;
    return TRUE;
}

bool ws_local_host_name(COMPUTER_NAME_FORMAT format, char *out, size_t out_size)
{
    if ((unsigned int)format >= ComputerNameMax) return false;
    InitOnceExecuteOnce(&own_names[format].once, read_own_name, (void *)(ULONG_PTR)format, NULL);
    if (!own_names[format].known || strlen(own_names[format].name) >= out_size) return false;
    strcpy(out, own_names[format].name);
    return true;
}

/* The computer's DNS name with its domain, or without one when it has none. */
static bool local_full_name(char *out, size_t out_size)
{
    if (ws_local_host_name(ComputerNameDnsFullyQualified, out, out_size) && *out) return true;
    return ws_local_host_name(ComputerNameDnsHostname, out, out_size);
}

bool ws_is_local_name(const char *name)
{
    static const COMPUTER_NAME_FORMAT formats[] = {
        ComputerNameDnsHostname, ComputerNameDnsFullyQualified, ComputerNameNetBIOS};
    char own[256];

    if (!name || !*name) return false;
    if (ws_db_name_equal(name, "localhost")) return true;
    for (size_t i = 0; i < ARRAY_COUNT(formats); i++)
        if (ws_local_host_name(formats[i], own, sizeof(own)) && *own && ws_db_name_equal(name, own))
            return true;
    return false;
}

typedef ULONG(WINAPI *get_adapters_addresses_fn)(ULONG, ULONG, void *, IP_ADAPTER_ADDRESSES *,
                                                 ULONG *);

/* iphlpapi's GetAdaptersAddresses, loaded on first use (never under the loader lock: this runs
   only inside a lookup). The module stays loaded for the life of the process. */
static get_adapters_addresses_fn adapters_addresses(void)
{
    static void *volatile proc;
    void *found = proc;
    if (!found) {
        HMODULE module = LoadLibraryW(L"iphlpapi.dll");
        if (!module) return NULL;
        found = (void *)GetProcAddress(module, "GetAdaptersAddresses");
        if (!found) return NULL;
        proc = found;
    }
    return (get_adapters_addresses_fn)found;
}

/* The adapters of the machine, FAMILY's unicast addresses; HeapFree the result. */
static IP_ADAPTER_ADDRESSES *adapters_get(int family)
{
    const ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER |
                        GAA_FLAG_SKIP_FRIENDLY_NAME | GAA_FLAG_INCLUDE_GATEWAYS;
    get_adapters_addresses_fn get = adapters_addresses();
    IP_ADAPTER_ADDRESSES *list = NULL;
    ULONG size = 16 * 1024, ret;

    if (!get) return NULL;
    for (int tries = 0; tries < 4; tries++) {
        if (!(list = HeapAlloc(GetProcessHeap(), 0, size))) return NULL;
        ret = get(family, flags, NULL, list, &size);
        if (ret == ERROR_SUCCESS) return list;
        HeapFree(GetProcessHeap(), 0, list);
        list = NULL;
        if (ret != ERROR_BUFFER_OVERFLOW) break;
    }
    return NULL;
}

struct local_walk {
    ws_db_address_fn fn;
    void *ctx;
    const char *canonical;
    int found;
    bool stop;
};

static void local_emit(struct local_walk *w, int family, const void *addr, ULONG scope)
{
    if (w->stop) return;
    w->found++;
    if (!w->fn(w->ctx, family, addr, scope, w->canonical)) w->stop = true;
}

static void loopback_emit(struct local_walk *w, int family)
{
    if (family == AF_INET6) {
        local_emit(w, AF_INET6, &ipv6_loopback, 0);
    } else {
        IN_ADDR loopback;
        loopback.s_addr = htonl(INADDR_LOOPBACK);
        local_emit(w, AF_INET, &loopback, 0);
    }
}

/* One adapter's unicast addresses of FAMILY, if it is up and not the loopback adapter. */
static void adapter_emit(struct local_walk *w, const IP_ADAPTER_ADDRESSES *a, int family)
{
    if (a->OperStatus != IfOperStatusUp || a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) return;
    for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && !w->stop; u = u->Next) {
        const SOCKADDR *sa = u->Address.lpSockaddr;
        if (!sa || sa->sa_family != family) continue;
        if (family == AF_INET) {
            local_emit(w, AF_INET, &((const SOCKADDR_IN *)sa)->sin_addr, 0);
        } else {
            const SOCKADDR_IN6 *sin6 = (const SOCKADDR_IN6 *)sa;
            local_emit(w, AF_INET6, &sin6->sin6_addr, sin6->sin6_scope_id);
        }
    }
}

/* The operational, non-loopback adapters' addresses of FAMILY. Adapters with a gateway (a
   default route) come first, then the others, each group in adapter order: programs take the
   first address of their own host name for the one the outside world reaches them by. */
static void adapters_emit(struct local_walk *w, IP_ADAPTER_ADDRESSES *list, int family)
{
    for (int pass = 0; pass < 2; pass++)
        for (IP_ADAPTER_ADDRESSES *a = list; a && !w->stop; a = a->Next)
            if ((a->FirstGatewayAddress != NULL) == (pass == 0)) adapter_emit(w, a, family);
}

int ws_local_addresses(const char *name, int family, ws_db_address_fn fn, void *ctx)
{
    /* With both families wanted, IPv6 comes first, as Windows orders its own addresses. */
    static const int order[] = {AF_INET6, AF_INET};
    char canonical[256];
    struct local_walk w = {fn, ctx, canonical, 0, false};
    IP_ADAPTER_ADDRESSES *list;

    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return 0;
    if (name && ws_db_name_equal(name, "localhost")) {
        copy_out(canonical, sizeof(canonical), "localhost");
        for (size_t i = 0; i < ARRAY_COUNT(order); i++)
            if (family == AF_UNSPEC || family == order[i]) loopback_emit(&w, order[i]);
        return w.found;
    }

    if (!local_full_name(canonical, sizeof(canonical)))
        copy_out(canonical, sizeof(canonical), name ? name : "localhost");
    list = adapters_get(family);
    for (size_t i = 0; i < ARRAY_COUNT(order); i++)
        if (family == AF_UNSPEC || family == order[i]) adapters_emit(&w, list, order[i]);
    HeapFree(GetProcessHeap(), 0, list);
    /* A machine with no network still knows itself: its loopback addresses. */
    if (!w.found)
        for (size_t i = 0; i < ARRAY_COUNT(order); i++)
            if (family == AF_UNSPEC || family == order[i]) loopback_emit(&w, order[i]);
    return w.found;
}

int ws_interface_addresses(int family, ws_db_address_fn fn, void *ctx)
{
    static const int order[] = {AF_INET6, AF_INET};
    struct local_walk w = {fn, ctx, "", 0, false};
    IP_ADAPTER_ADDRESSES *list;

    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return 0;
    list = adapters_get(family);
    for (size_t i = 0; i < ARRAY_COUNT(order); i++)
        if (family == AF_UNSPEC || family == order[i]) adapters_emit(&w, list, order[i]);
    HeapFree(GetProcessHeap(), 0, list);
    return w.found;
}

bool ws_is_local_address(int family, const void *addr)
{
    IP_ADAPTER_ADDRESSES *list;
    bool found = false;

    if (family == AF_INET) {
        if ((ntohl(((const IN_ADDR *)addr)->s_addr) >> 24) == 127) return true;
    } else if (family == AF_INET6) {
        if (!memcmp(addr, &ipv6_loopback, sizeof(IN6_ADDR))) return true;
    } else {
        return false;
    }
    if (!(list = adapters_get(family))) return false;
    for (IP_ADAPTER_ADDRESSES *a = list; a && !found; a = a->Next) {
        for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && !found; u = u->Next) {
            const SOCKADDR *sa = u->Address.lpSockaddr;
            if (!sa || sa->sa_family != family) continue;
            if (family == AF_INET)
                found =
                    ((const SOCKADDR_IN *)sa)->sin_addr.s_addr == ((const IN_ADDR *)addr)->s_addr;
            else
                found = !memcmp(&((const SOCKADDR_IN6 *)sa)->sin6_addr, addr, sizeof(IN6_ADDR));
        }
    }
    HeapFree(GetProcessHeap(), 0, list);
    return found;
}

/* ---- services ---- */

/* The port and protocol of a services line's "port/protocol" field; false if malformed. */
static bool service_port_proto(char *field, int *port, const char **proto)
{
    char *slash = strchr(field, '/');
    int value = 0;
    if (!slash || slash == field || !slash[1]) return false;
    for (char *p = field; p < slash; p++) {
        if (*p < '0' || *p > '9') return false;
        value = value * 10 + (*p - '0');
        if (value > 0xffff) return false;
    }
    *port = value;
    *proto = slash + 1;
    return true;
}

struct service_query {
    const char *name; /* by name, or by PORT (host order) when NULL */
    int port;
    const char *proto;
    ws_db_line_fn fn; /* receives the matching line, fields[1] split into port and protocol */
    void *ctx;
    bool found;
};

static bool service_line(void *ctx, char **fields, int count)
{
    struct service_query *q = ctx;
    const char *proto;
    int port, i;

    if (count < 2 || !service_port_proto(fields[1], &port, &proto)) return true;
    if (q->proto && !ws_db_name_equal(proto, q->proto)) return true;
    if (q->name) {
        if (!ws_db_name_equal(fields[0], q->name)) {
            for (i = 2; i < count && !ws_db_name_equal(fields[i], q->name); i++)
                ;
            if (i >= count) return true;
        }
    } else if (port != q->port) {
        return true;
    }
    q->found = true;
    return q->fn(q->ctx, fields, count);
}

bool ws_services_find(const char *name, int port, const char *proto, ws_db_line_fn fn, void *ctx)
{
    struct service_query q = {name, ntohs((u_short)port), proto, fn, ctx, false};
    ws_db_walk(L"services", service_line, &q);
    return q.found;
}

struct service_result {
    int port;
    char *name_out, *proto_out;
    size_t name_size, proto_size;
};

static bool service_keep(void *ctx, char **fields, int count)
{
    struct service_result *r = ctx;
    const char *proto;
    (void)count;
    service_port_proto(fields[1], &r->port, &proto);
    copy_out(r->name_out, r->name_size, fields[0]);
    copy_out(r->proto_out, r->proto_size, proto);
    return false;
}

int ws_services_port(const char *name, const char *proto, char *name_out, size_t name_size,
                     char *proto_out, size_t proto_size)
{
    struct service_result r = {-1, name_out, proto_out, name_size, proto_size};
    if (!name || !ws_services_find(name, 0, proto, service_keep, &r)) return -1;
    return htons((u_short)r.port);
}

bool ws_services_name(int port, const char *proto, char *out, size_t out_size, char *proto_out,
                      size_t proto_size)
{
    struct service_result r = {-1, out, proto_out, out_size, proto_size};
    return ws_services_find(NULL, port, proto, service_keep, &r);
}

/* ---- protocol ---- */

/* The number of a protocol line; -1 if malformed. */
int ws_protocol_number(const char *field)
{
    int value = 0;
    if (!*field) return -1;
    for (; *field; field++) {
        if (*field < '0' || *field > '9') return -1;
        value = value * 10 + (*field - '0');
        if (value > 0xffff) return -1;
    }
    return value;
}

struct protocol_query {
    const char *name;
    int number;
    ws_db_line_fn fn;
    void *ctx;
    bool found;
};

static bool protocol_line(void *ctx, char **fields, int count)
{
    struct protocol_query *q = ctx;
    int number, i;

    if (count < 2 || (number = ws_protocol_number(fields[1])) < 0) return true;
    if (q->name) {
        if (!ws_db_name_equal(fields[0], q->name)) {
            for (i = 2; i < count && !ws_db_name_equal(fields[i], q->name); i++)
                ;
            if (i >= count) return true;
        }
    } else if (number != q->number) {
        return true;
    }
    q->found = true;
    return q->fn(q->ctx, fields, count);
}

bool ws_protocol_find(const char *name, int number, ws_db_line_fn fn, void *ctx)
{
    struct protocol_query q = {name, number, fn, ctx, false};
    ws_db_walk(L"protocol", protocol_line, &q);
    return q.found;
}

/* ---- collecting one entry before it is laid out ---- */

static void entry_init(struct ws_db_entry *e)
{
    memset(e, 0, sizeof(*e) - sizeof(e->pool));
}

/* A copy of TEXT in the entry's own pool; NULL if the pool is full. */
static const char *entry_keep(struct ws_db_entry *e, const char *text)
{
    size_t len = strlen(text) + 1;
    char *copy;
    if (len > sizeof(e->pool) - e->pool_used) return NULL;
    copy = e->pool + e->pool_used;
    memcpy(copy, text, len);
    e->pool_used += len;
    return copy;
}

void ws_db_entry_set_name(struct ws_db_entry *e, const char *name)
{
    e->name = entry_keep(e, name);
    if (!e->name) e->name = "";
}

void ws_db_entry_add_alias(struct ws_db_entry *e, const char *alias)
{
    const char *copy;
    if (e->alias_count >= WS_DB_MAX_ALIASES) return;
    if ((copy = entry_keep(e, alias))) e->aliases[e->alias_count++] = copy;
}

void ws_db_entry_add_scoped(struct ws_db_entry *e, const void *addr, ULONG scope_id)
{
    if (e->addr_count >= WS_DB_MAX_ADDRS) return;
    for (int i = 0; i < e->addr_count; i++)
        if (!memcmp(e->addrs[i], addr, e->addr_len) && e->scope_ids[i] == scope_id) return;
    e->scope_ids[e->addr_count] = scope_id;
    memcpy(e->addrs[e->addr_count++], addr, e->addr_len);
}

void ws_db_entry_add_address(struct ws_db_entry *e, const void *addr)
{
    ws_db_entry_add_scoped(e, addr, 0);
}

/* ---- laying results out ---- */

static size_t strings_size(const struct ws_db_entry *e)
{
    size_t size = strlen(e->name) + 1;
    for (int i = 0; i < e->alias_count; i++) size += strlen(e->aliases[i]) + 1;
    return size;
}

static char *put_string(char **cursor, const char *text)
{
    char *out = *cursor;
    size_t len = strlen(text) + 1;
    memcpy(out, text, len);
    *cursor += len;
    return out;
}

size_t ws_hostent_size(const struct ws_db_entry *e)
{
    return sizeof(struct hostent) + (e->alias_count + 1) * sizeof(char *) +
           (e->addr_count + 1) * sizeof(char *) + e->addr_count * e->addr_len + strings_size(e);
}

/* Windows' layout: hostent, h_aliases[], h_addr_list[], the addresses, h_name, the aliases. */
struct hostent *ws_hostent_layout(const struct ws_db_entry *e, void *buffer)
{
    struct hostent *h = buffer;
    char **aliases = (char **)(h + 1);
    char **addr_list = aliases + e->alias_count + 1;
    char *cursor = (char *)(addr_list + e->addr_count + 1);

    h->h_addrtype = (short)e->family;
    h->h_length = (short)e->addr_len;
    h->h_aliases = aliases;
    h->h_addr_list = addr_list;
    for (int i = 0; i < e->addr_count; i++) {
        addr_list[i] = memcpy(cursor, e->addrs[i], e->addr_len);
        cursor += e->addr_len;
    }
    addr_list[e->addr_count] = NULL;
    h->h_name = put_string(&cursor, e->name);
    for (int i = 0; i < e->alias_count; i++) aliases[i] = put_string(&cursor, e->aliases[i]);
    aliases[e->alias_count] = NULL;
    return h;
}

size_t ws_servent_size(const struct ws_db_entry *e)
{
    return sizeof(struct servent) + (e->alias_count + 1) * sizeof(char *) + strings_size(e) +
           strlen(e->proto) + 1;
}

/* servent, s_aliases[], s_name, the aliases, s_proto. */
struct servent *ws_servent_layout(const struct ws_db_entry *e, void *buffer)
{
    struct servent *s = buffer;
    char **aliases = (char **)(s + 1);
    char *cursor = (char *)(aliases + e->alias_count + 1);

    s->s_port = (short)e->number;
    s->s_aliases = aliases;
    s->s_name = put_string(&cursor, e->name);
    for (int i = 0; i < e->alias_count; i++) aliases[i] = put_string(&cursor, e->aliases[i]);
    aliases[e->alias_count] = NULL;
    s->s_proto = put_string(&cursor, e->proto);
    return s;
}

size_t ws_protoent_size(const struct ws_db_entry *e)
{
    return sizeof(struct protoent) + (e->alias_count + 1) * sizeof(char *) + strings_size(e);
}

/* protoent, p_aliases[], p_name, the aliases. */
struct protoent *ws_protoent_layout(const struct ws_db_entry *e, void *buffer)
{
    struct protoent *p = buffer;
    char **aliases = (char **)(p + 1);
    char *cursor = (char *)(aliases + e->alias_count + 1);

    p->p_proto = (short)e->number;
    p->p_aliases = aliases;
    p->p_name = put_string(&cursor, e->name);
    for (int i = 0; i < e->alias_count; i++) aliases[i] = put_string(&cursor, e->aliases[i]);
    aliases[e->alias_count] = NULL;
    return p;
}

/* ---- the lookups (shared with the asynchronous versions) ---- */

static bool local_address_keep(void *ctx, int family, const void *addr, ULONG scope_id,
                               const char *canonical)
{
    struct ws_db_entry *e = ctx;
    (void)family;
    if (!e->name) ws_db_entry_set_name(e, canonical);
    ws_db_entry_add_scoped(e, addr, scope_id);
    return true;
}

struct hosts_query {
    const char *name;
    struct ws_db_entry *e;
    bool other_family; /* the name exists, with addresses of the other family only so far */
};

/* A literal NAME of FAMILY into ADDR and *SCOPE; false if it is not one. IPv4 is read in every
   form inet_addr reads; IPv6 may carry a scope, but no brackets or port. */
static bool parse_literal(int family, const char *name, BYTE addr[16], ULONG *scope)
{
    char *term;
    *scope = 0;
    if (family == AF_INET)
        return !RtlIpv4StringToAddressA(name, FALSE, &term, (IN_ADDR *)addr) && !*term;
    return !strchr(name, '[') && hosts_address(name, addr, scope) == AF_INET6;
}

/* A hosts line naming the host: its address of the entry's family joins the entry; the first
   such line gives the official name and every such line its other names as aliases. */
static bool hosts_line(void *ctx, char **fields, int count)
{
    struct hosts_query *q = ctx;
    BYTE addr[16];
    ULONG scope;
    int i, family;

    for (i = 1; i < count && !ws_db_name_equal(fields[i], q->name); i++)
        ;
    if (i >= count) return true;
    if ((family = hosts_address(fields[0], addr, &scope)) != q->e->family) {
        if (family != AF_UNSPEC) q->other_family = true;
        return true;
    }
    if (!q->e->name) ws_db_entry_set_name(q->e, fields[1]);
    for (i = 1; i < count; i++) {
        bool known = ws_db_name_equal(fields[i], q->e->name);
        for (int j = 0; j < q->e->alias_count && !known; j++)
            known = ws_db_name_equal(fields[i], q->e->aliases[j]);
        if (!known) ws_db_entry_add_alias(q->e, fields[i]);
    }
    ws_db_entry_add_scoped(q->e, addr, scope);
    return true;
}

/* A name the local databases do not know, asked of DNS through the getaddrinfo family (which
   knows the configured servers): its addresses of the entry's family, the canonical name as
   h_name and the name asked as an alias when they differ, as Windows reports a CNAME. The error
   is the resolver's: WSAHOST_NOT_FOUND, WSANO_DATA, WSATRY_AGAIN or WSANO_RECOVERY. */
static int host_by_dns(const char *name, struct ws_db_entry *e)
{
    struct addrinfo hints = {0}, *list = NULL;
    int err;

    hints.ai_family = e->family;
    hints.ai_flags = AI_CANONNAME;
    if ((err = getaddrinfo(name, NULL, &hints, &list))) return err;
    ws_db_entry_set_name(e, list->ai_canonname ? list->ai_canonname : name);
    if (list->ai_canonname && !ws_db_name_equal(list->ai_canonname, name))
        ws_db_entry_add_alias(e, name);
    for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        if (e->family == AF_INET) {
            ws_db_entry_add_address(e, &((const struct sockaddr_in *)ai->ai_addr)->sin_addr);
        } else {
            const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
            ws_db_entry_add_scoped(e, &sin6->sin6_addr, sin6->sin6_scope_id);
        }
    }
    freeaddrinfo(list);
    return e->addr_count ? 0 : WSANO_DATA;
}

int ws_host_by_name(const char *name, int family, struct ws_db_entry *e)
{
    char own[256];
    BYTE addr[16];
    ULONG scope;

    entry_init(e);
    e->family = family;
    e->addr_len = family == AF_INET ? sizeof(IN_ADDR) : sizeof(IN6_ADDR);

    /* NULL or "": the local host, by the name gethostname returns. */
    if (!name || !*name) {
        if (!ws_local_host_name(ComputerNameDnsHostname, own, sizeof(own)) || !*own)
            return WSAHOST_NOT_FOUND;
        name = own;
    }
    /* A literal of the family (IPv4 in inet_addr's forms) answers itself. */
    if (parse_literal(family, name, addr, &scope)) {
        ws_db_entry_set_name(e, name);
        ws_db_entry_add_scoped(e, addr, scope);
        return 0;
    }
    if (ws_is_local_name(name)) {
        ws_local_addresses(name, family, local_address_keep, e);
        if (e->addr_count) return 0;
        entry_init(e);
        e->family = family;
        e->addr_len = family == AF_INET ? sizeof(IN_ADDR) : sizeof(IN6_ADDR);
    }
    {
        struct hosts_query q = {name, e, false};
        ws_db_walk(L"hosts", hosts_line, &q);
        if (e->addr_count) return 0;
        /* The name is known, but only with addresses of the other family. */
        if (q.other_family) return WSANO_DATA;
    }
    return host_by_dns(name, e);
}

int ws_host_by_addr(const void *addr, int len, int type, struct ws_db_entry *e)
{
    char name[256];
    int addr_len;

    if (type == AF_INET6 && len != sizeof(IN6_ADDR)) return WSAEINVAL;
    if (type != AF_INET && type != AF_INET6) return WSAEAFNOSUPPORT;
    addr_len = type == AF_INET ? sizeof(IN_ADDR) : sizeof(IN6_ADDR);
    if (len < addr_len || !ws_readable(addr, addr_len)) return WSAEFAULT;

    entry_init(e);
    e->family = type;
    e->addr_len = addr_len;
    if (!ws_hosts_lookup_addr(type, addr, name, sizeof(name))) {
        /* The machine's own addresses, loopback included, are its own name; other addresses
           are asked of DNS. */
        if (!ws_is_local_address(type, addr) ||
            !ws_local_host_name(ComputerNameDnsHostname, name, sizeof(name)) || !*name) {
            int err = ws_dns_reverse(type, addr, name, sizeof(name));
            if (err) return err;
        }
    }
    ws_db_entry_set_name(e, name);
    ws_db_entry_add_address(e, addr);
    return 0;
}

/* The line's official name and aliases (fields 0 and 2...) become the entry's. */
static void entry_names(struct ws_db_entry *e, char **fields, int count)
{
    ws_db_entry_set_name(e, fields[0]);
    for (int i = 2; i < count; i++) ws_db_entry_add_alias(e, fields[i]);
}

/* The matching services line becomes the entry; its "port/protocol" field was checked. */
static bool service_entry(void *ctx, char **fields, int count)
{
    struct ws_db_entry *e = ctx;
    char *slash = strchr(fields[1], '/');
    entry_names(e, fields, count);
    *slash = 0;
    e->number = htons((u_short)ws_protocol_number(fields[1]));
    if (!(e->proto = entry_keep(e, slash + 1))) e->proto = "";
    return false;
}

/* The matching protocol line becomes the entry. */
static bool protocol_entry(void *ctx, char **fields, int count)
{
    struct ws_db_entry *e = ctx;
    entry_names(e, fields, count);
    e->number = ws_protocol_number(fields[1]);
    return false;
}

/* Not found: WSANO_DATA, or WSANO_RECOVERY when the file itself cannot be read. */
int ws_service_lookup(const char *name, int port, const char *proto, struct ws_db_entry *e)
{
    entry_init(e);
    if (ws_services_find(name, port, proto, service_entry, e)) return 0;
    return ws_db_walk(L"services", NULL, NULL) ? WSANO_DATA : WSANO_RECOVERY;
}

int ws_protocol_lookup(const char *name, int number, struct ws_db_entry *e)
{
    entry_init(e);
    if (ws_protocol_find(name, number, protocol_entry, e)) return 0;
    return ws_db_walk(L"protocol", NULL, NULL) ? WSANO_DATA : WSANO_RECOVERY;
}
