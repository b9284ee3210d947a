/*
 * Registration and resolution (RnR): WSALookupServiceBeginA/W, WSALookupServiceNextA/W,
 * WSALookupServiceEnd and WSANSPIoctl, and the service-class and registration calls.
 *
 * The built-in DNS namespace answers the query classes of Windows' DNS provider (svcguid.h):
 *   SVCID_HOSTNAME                   the local host's name, or a name's canonical name
 *   SVCID_INET_HOSTADDRBYNAME        a host's addresses, with gethostbyname's hostent blob
 *   SVCID_INET_HOSTADDRBYINETSTRING  the host of a dotted IPv4 address (gethostbyaddr's query)
 *   SVCID_INET_SERVICEBYNAME         "name/proto" or "port/proto", with a servent blob
 *   SVCID_TCP(port), SVCID_UDP(port) a host's addresses with that port
 *   SVCID_DNS_TYPE_A, _AAAA          a host's IPv4 or IPv6 addresses, with a hostent blob of
 *                                    that family (the record classes Windows' own callers ask
 *                                    of this namespace for addresses; other record classes are
 *                                    not served)
 * from the resolver the DLL already has (src/resolve: the local names, the hosts and services
 * files, then DNS). Blobs hold the structure with its pointers stored as offsets from the blob's
 * start, as Windows returns them. It keeps no service classes and registers nothing.
 *
 * Calls are routed through the namespace catalog (src/api/nscatalog.c) to the enabled providers
 * of the namespace asked for, in catalog order: the built-in DNS one, and provider DLLs installed
 * with WSCInstallNameSpace (src/api/nsprovider.c), whose results are copied into the caller's
 * buffer (converted for the A forms). A lookup handle is a heap object on a list; a handle not on
 * the list, or from before the final WSACleanup, is WSA_INVALID_HANDLE.
 */
#include "openws2/core.h"
#include "nsprovider.h"
#include "../resolve/db.h"
#include <svcguid.h>
#include <string.h>

static const GUID svcid_hostname = SVCID_HOSTNAME;
static const GUID svcid_by_inet_string = SVCID_INET_HOSTADDRBYINETSTRING;
static const GUID svcid_service_by_name = SVCID_INET_SERVICEBYNAME;
static const GUID svcid_by_name = SVCID_INET_HOSTADDRBYNAME;
static const GUID svcid_dns_a = SVCID_DNS_TYPE_A;
static const GUID svcid_dns_aaaa = SVCID_DNS_TYPE_AAAA;

enum query_kind {
    QUERY_NONE,     /* no class: the network list another namespace answers; none here */
    QUERY_HOSTNAME, /* SVCID_HOSTNAME */
    QUERY_BY_NAME,  /* SVCID_INET_HOSTADDRBYNAME, SVCID_TCP/UDP(port), SVCID_DNS_TYPE_A/AAAA */
    QUERY_BY_ADDR,  /* SVCID_INET_HOSTADDRBYINETSTRING */
    QUERY_SERVICE,  /* SVCID_INET_SERVICEBYNAME */
};

#define LOOKUP_PROVIDERS 8

struct lookup {
    struct lookup *next;
    volatile LONG refs;
    LONG generation;     /* rnr_generation at Begin */
    volatile LONG ended; /* WSALookupServiceEnd was called */
    SRWLOCK lock;        /* one WSALookupServiceNext at a time */
    /* the providers that took the query, in catalog order (NULL: the built-in DNS one), and the
       one the next call asks */
    int providers, current;
    struct ns_provider *provider[LOOKUP_PROVIDERS];
    HANDLE provider_lookup[LOOKUP_PROVIDERS];
    WSAQUERYSETW *pending; /* a provider DLL's set the caller had no room for yet */
    bool last_fault;       /* the last call found the buffer too small */
    /* the built-in DNS query */
    enum query_kind kind;
    DWORD flags; /* LUP_* of Begin */
    GUID class_id;
    char name[256]; /* the instance name asked for, UTF-8 ("" for none) */
    WCHAR query_string[256];
    bool has_query_string;
    int family;             /* of the addresses returned */
    int socktype, protocol; /* of the addresses returned */
    WORD port;              /* network order */
    /* its answer, made by the first Next */
    bool resolved;
    int error;
    struct ws_db_entry entry;
    int sets;     /* result sets: the answer, then each alias with LUP_RETURN_ALIASES */
    int next_set; /* the set the next call returns */
};

static SRWLOCK lookups_lock = SRWLOCK_INIT;
static struct lookup *lookups;

/* Bumped by the final WSACleanup, which ends every lookup. */
static volatile LONG rnr_generation;

/* The live lookup a handle names, referenced; NULL if it names none. */
static struct lookup *lookup_get(HANDLE handle)
{
    struct lookup *l;
    AcquireSRWLockShared(&lookups_lock);
    for (l = lookups; l; l = l->next) {
        if (l == (struct lookup *)handle && l->generation == rnr_generation && !l->ended) {
            InterlockedIncrement(&l->refs);
            break;
        }
    }
    ReleaseSRWLockShared(&lookups_lock);
    return l;
}

static void lookup_release(struct lookup *l)
{
    if (InterlockedDecrement(&l->refs)) return;
    HeapFree(GetProcessHeap(), 0, l->pending);
    HeapFree(GetProcessHeap(), 0, l);
}

/* Unlink an ended lookup (under lookups_lock); false if it was not on the list. */
static bool lookup_unlink_locked(struct lookup *l)
{
    for (struct lookup **p = &lookups; *p; p = &(*p)->next) {
        if (*p == l) {
            *p = l->next;
            return true;
        }
    }
    return false;
}

/* End the provider DLLs' lookups of an ended lookup. */
static void lookup_end_providers(struct lookup *l)
{
    for (int i = 0; i < l->providers; i++)
        if (l->provider[i]) l->provider[i]->routine.NSPLookupServiceEnd(l->provider_lookup[i]);
}

void ns_cleanup(void)
{
    struct lookup *list, *next;
    /* Nothing was looked up through RnR since the last cleanup: nothing to end or unload. */
    if (!lookups && !ns_providers_loaded()) return;
    AcquireSRWLockExclusive(&lookups_lock);
    list = lookups;
    lookups = NULL;
    InterlockedIncrement(&rnr_generation);
    ReleaseSRWLockExclusive(&lookups_lock);
    for (; list; list = next) {
        next = list->next;
        list->ended = 1;
        lookup_end_providers(list);
        lookup_release(list);
    }
    ns_providers_unload();
}

/* ---- WSALookupServiceBegin ---- */

static bool guid_is(const GUID *a, const GUID *b)
{
    return !memcmp(a, b, sizeof(*a));
}

/* A restriction string (W or A) as UTF-8 into OUT; false if unreadable or too long. */
static bool copy_name(const void *s, bool unicode, char *out, size_t size)
{
    out[0] = 0;
    if (!s) return true;
    if (unicode) {
        if (IsBadStringPtrW(s, (UINT_PTR)-1)) return false;
        return WideCharToMultiByte(CP_UTF8, 0, s, -1, out, (int)size, NULL, NULL) > 0;
    }
    if (IsBadStringPtrA(s, (UINT_PTR)-1) || strlen(s) >= size) return false;
    {
        WCHAR wide[256];
        if (!MultiByteToWideChar(CP_ACP, 0, s, -1, wide, ARRAY_COUNT(wide))) return false;
        return WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, (int)size, NULL, NULL) > 0;
    }
}

/* The protocol restrictions: the transport of the addresses returned; WSANO_DATA when no
   restriction names one the DNS namespace carries. */
static int check_protocols(const WSAQUERYSETW *q, struct lookup *l)
{
    bool tcp = false, udp = false;
    if (!q->dwNumberOfProtocols || !q->lpafpProtocols) return 0;
    if (!ws_readable(q->lpafpProtocols, q->dwNumberOfProtocols * sizeof(AFPROTOCOLS)))
        return WSAEFAULT;
    for (DWORD i = 0; i < q->dwNumberOfProtocols; i++) {
        int af = q->lpafpProtocols[i].iAddressFamily;
        if (af != AF_INET && af != AF_INET6 && af != AF_UNSPEC) continue;
        if (q->lpafpProtocols[i].iProtocol == IPPROTO_TCP) tcp = true;
        if (q->lpafpProtocols[i].iProtocol == IPPROTO_UDP) udp = true;
    }
    if (!tcp && !udp) return WSANO_DATA;
    if (tcp && !udp) {
        l->socktype = SOCK_STREAM;
        l->protocol = IPPROTO_TCP;
    }
    return 0;
}

/* The built-in DNS provider takes a query: 0, or the error that refuses it. */
static int dns_begin(struct lookup *l, const WSAQUERYSETW *q, DWORD flags, bool unicode)
{
    int err = 0;

    l->flags = flags;
    l->family = AF_INET;
    l->socktype = SOCK_DGRAM;
    l->protocol = IPPROTO_UDP;

    if (!q->lpServiceClassId) {
        /* The DNS namespace needs a class; a query for every namespace without one is the
           network list, which no namespace here has entries for. */
        l->kind = QUERY_NONE;
        return q->dwNameSpace == NS_DNS ? WSA_INVALID_PARAMETER : 0;
    }
    l->class_id = *q->lpServiceClassId;
    if ((flags & LUP_CONTAINERS) && (flags & LUP_NOCONTAINERS)) return WSA_INVALID_PARAMETER;
    /* The DNS namespace has no containers. */
    if (flags & LUP_CONTAINERS) return WSANO_DATA;
    if (guid_is(&l->class_id, &svcid_hostname)) {
        l->kind = QUERY_HOSTNAME;
    } else if (guid_is(&l->class_id, &svcid_by_name)) {
        l->kind = QUERY_BY_NAME;
    } else if (guid_is(&l->class_id, &svcid_by_inet_string)) {
        l->kind = QUERY_BY_ADDR;
    } else if (guid_is(&l->class_id, &svcid_service_by_name)) {
        l->kind = QUERY_SERVICE;
    } else if (guid_is(&l->class_id, &svcid_dns_a) || guid_is(&l->class_id, &svcid_dns_aaaa)) {
        l->kind = QUERY_BY_NAME;
        if (guid_is(&l->class_id, &svcid_dns_aaaa)) l->family = AF_INET6;
    } else if ((IS_SVCID_TCP(&l->class_id) || IS_SVCID_UDP(&l->class_id)) && !l->class_id.Data3) {
        l->kind = QUERY_BY_NAME;
        l->port = htons((WORD)(l->class_id.Data1 & 0xffff));
        l->socktype = IS_SVCID_TCP(&l->class_id) ? SOCK_STREAM : SOCK_DGRAM;
        l->protocol = IS_SVCID_TCP(&l->class_id) ? IPPROTO_TCP : IPPROTO_UDP;
    } else {
        /* A class the DNS namespace does not serve (the DNS record classes but A and AAAA). */
        return WSASERVICE_NOT_FOUND;
    }
    if (l->port == 0 && (err = check_protocols(q, l))) return err;
    if (!copy_name(q->lpszServiceInstanceName, unicode, l->name, sizeof(l->name))) return WSAEFAULT;
    if (q->lpszQueryString) {
        if (unicode) {
            if (IsBadStringPtrW(q->lpszQueryString, (UINT_PTR)-1)) return WSAEFAULT;
            lstrcpynW(l->query_string, q->lpszQueryString, ARRAY_COUNT(l->query_string));
        } else if (IsBadStringPtrA((const char *)q->lpszQueryString, (UINT_PTR)-1) ||
                   !MultiByteToWideChar(CP_ACP, 0, (const char *)q->lpszQueryString, -1,
                                        l->query_string, ARRAY_COUNT(l->query_string))) {
            return WSAEFAULT;
        }
        l->has_query_string = true;
    }
    /* An address query needs the address: the name, or the one address of lpcsaBuffer. */
    if (l->kind == QUERY_BY_ADDR && !l->name[0]) {
        const SOCKADDR_IN *sin;
        if (q->dwNumberOfCsAddrs != 1 || !q->lpcsaBuffer ||
            !ws_readable(q->lpcsaBuffer, sizeof(CSADDR_INFO)) ||
            !(sin = (const SOCKADDR_IN *)q->lpcsaBuffer->RemoteAddr.lpSockaddr) ||
            !ws_readable(sin, sizeof(*sin)) || sin->sin_family != AF_INET) {
            return WSA_INVALID_PARAMETER;
        }
        RtlIpv4AddressToStringA(&sin->sin_addr, l->name);
    }
    return l->kind == QUERY_SERVICE && !l->name[0] ? WSA_INVALID_PARAMETER : 0;
}

/* The restrictions of an A call as a W query set for a provider DLL: the strings converted into
   STRINGS (freed by the caller), the rest shared. */
static bool widen(const WSAQUERYSETW *q, WSAQUERYSETW *w, WCHAR *strings[4])
{
    WCHAR **fields[4] = {&w->lpszServiceInstanceName, &w->lpszComment, &w->lpszContext,
                         &w->lpszQueryString};
    *w = *q;
    for (int i = 0; i < 4; i++) {
        const char *a = (const char *)*fields[i];
        int n;
        if (!a) continue;
        if (IsBadStringPtrA(a, (UINT_PTR)-1) ||
            (n = MultiByteToWideChar(CP_ACP, 0, a, -1, NULL, 0)) <= 0 ||
            !(strings[i] = HeapAlloc(GetProcessHeap(), 0, n * sizeof(WCHAR))))
            return false;
        MultiByteToWideChar(CP_ACP, 0, a, -1, strings[i], n);
        *fields[i] = strings[i];
    }
    return true;
}

/* A provider DLL takes a query: 0 with its handle, or the error it refuses it with. */
static int provider_begin(struct ns_provider *p, const WSAQUERYSETW *q, DWORD flags, bool unicode,
                          HANDLE *handle)
{
    WCHAR *strings[4] = {0};
    WSAQUERYSETW wide;
    int err = 0;

    if (!unicode && !widen(q, &wide, strings)) {
        err = WSAEFAULT;
    } else {
        SetLastError(0);
        if (p->routine.NSPLookupServiceBegin(&p->id, unicode ? (WSAQUERYSETW *)q : &wide, NULL,
                                             flags, handle))
            err = GetLastError() ? (int)GetLastError() : WSASERVICE_NOT_FOUND;
    }
    for (int i = 0; i < 4; i++) HeapFree(GetProcessHeap(), 0, strings[i]);
    return err;
}

static int lookup_begin(const WSAQUERYSETW *q, DWORD flags, HANDLE *handle, bool unicode)
{
    struct ns_provider *list[LOOKUP_PROVIDERS];
    struct lookup *l;
    int err, count;
    bool dns;

    if (!ws_started()) return WSANOTINITIALISED;
    if (!q || !handle || !ws_readable(q, sizeof(DWORD)) || !ws_writable(handle, sizeof(*handle)))
        return WSAEFAULT;
    if (q->dwSize != sizeof(WSAQUERYSETW) || !ws_readable(q, sizeof(*q))) return WSAEINVAL;
    if (q->lpNSProviderId && !ws_readable(q->lpNSProviderId, sizeof(GUID))) return WSAEFAULT;
    if (q->lpServiceClassId && !ws_readable(q->lpServiceClassId, sizeof(GUID))) return WSAEFAULT;
    /* A provider the catalog does not list. */
    if (ns_catalog_dns_route(q->dwNameSpace, q->lpNSProviderId) == WSAEINVAL) return WSAEINVAL;

    if (!(l = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*l))))
        return WSA_NOT_ENOUGH_MEMORY;
    l->refs = 1;
    l->generation = rnr_generation;
    InitializeSRWLock(&l->lock);

    /* Every provider of the namespace is asked; those that refuse drop out, and when all do,
       the last one's error is the answer. */
    err = WSASERVICE_NOT_FOUND;
    count = ns_providers_for(q->dwNameSpace, q->lpNSProviderId, list, LOOKUP_PROVIDERS, &dns);
    for (int i = 0; i < count; i++) {
        HANDLE h = NULL;
        int e = list[i] ? provider_begin(list[i], q, flags, unicode, &h)
                        : dns_begin(l, q, flags, unicode);
        if (e) {
            err = e;
            continue;
        }
        l->provider[l->providers] = list[i];
        l->provider_lookup[l->providers++] = h;
    }
    if (!l->providers) {
        HeapFree(GetProcessHeap(), 0, l);
        return err;
    }
    AcquireSRWLockExclusive(&lookups_lock);
    l->next = lookups;
    lookups = l;
    ws_note_cleanup_work();
    ReleaseSRWLockExclusive(&lookups_lock);
    *handle = (HANDLE)l;
    return 0;
}

INT WSAAPI WSALookupServiceBeginW(LPWSAQUERYSETW lpqsRestrictions, DWORD dwControlFlags,
                                  LPHANDLE lphLookup)
{
    int err = lookup_begin(lpqsRestrictions, dwControlFlags, lphLookup, true);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSALookupServiceBeginA(LPWSAQUERYSETA lpqsRestrictions, DWORD dwControlFlags,
                                  LPHANDLE lphLookup)
{
    /* The A and W query sets share one layout; only the strings differ. */
    int err =
        lookup_begin((const WSAQUERYSETW *)lpqsRestrictions, dwControlFlags, lphLookup, false);
    return err ? ws_fail(err) : 0;
}

/* ---- resolution (the first WSALookupServiceNext) ---- */

/* The error a failed lookup reports: a name nothing knows is a service not found. */
static int lookup_error(int err)
{
    return err == WSAHOST_NOT_FOUND ? WSASERVICE_NOT_FOUND : err;
}

static void resolve(struct lookup *l)
{
    struct ws_db_entry *e = &l->entry;
    char *slash, *end;

    switch (l->kind) {
    case QUERY_NONE: l->sets = 0; return;
    case QUERY_HOSTNAME:
        if (!l->name[0]) {
            /* The local host: its name as gethostname gives it, and its addresses. */
            char own[256];
            if (!ws_local_host_name(ComputerNameDnsHostname, own, sizeof(own))) {
                l->error = WSANO_RECOVERY;
                return;
            }
            l->error = lookup_error(ws_host_by_name(NULL, AF_INET, e));
            if (!l->error) ws_db_entry_set_name(e, own);
            break;
        }
        l->error = lookup_error(ws_host_by_name(l->name, AF_INET, e));
        break;
    case QUERY_BY_NAME: l->error = lookup_error(ws_host_by_name(l->name, l->family, e)); break;
    case QUERY_BY_ADDR: {
        IN_ADDR addr;
        char *term;
        if (RtlIpv4StringToAddressA(l->name, TRUE, &term, &addr) || *term) {
            l->error = WSA_INVALID_PARAMETER;
            return;
        }
        l->error = lookup_error(ws_host_by_addr(&addr, sizeof(addr), AF_INET, e));
        break;
    }
    case QUERY_SERVICE: {
        char name[256];
        const char *proto = NULL;
        long port;
        strcpy(name, l->name);
        if ((slash = strchr(name, '/'))) {
            *slash = 0;
            if (slash[1]) proto = slash + 1;
        }
        port = strtol(name, &end, 10);
        if (name[0] && !*end && port >= 0 && port <= 0xffff)
            l->error = ws_service_lookup(NULL, htons((u_short)port), proto, e);
        else
            l->error = ws_service_lookup(name, 0, proto, e);
        if (l->error) l->error = WSASERVICE_NOT_FOUND;
        break;
    }
    }
    if (l->error) return;
    l->sets = 1;
    if ((l->flags & LUP_RETURN_ALIASES) && l->kind != QUERY_SERVICE) l->sets += e->alias_count;
}

/* ---- WSALookupServiceNext: one result set into the caller's buffer ---- */

/* Places parts in the caller's buffer after the query set, or only counts them. */
struct writer {
    char *base;
    size_t size, used;
};

static void *put(struct writer *w, const void *data, size_t len, size_t align)
{
    size_t at = (w->used + align - 1) / align * align;
    void *p = NULL;
    w->used = at + len;
    if (w->used <= w->size) {
        p = w->base + at;
        if (data) memcpy(p, data, len);
    }
    return p;
}

/* A string from UTF-8, as the A (ANSI code page) or W form wants it. */
static void *put_string(struct writer *w, const char *s, bool unicode)
{
    WCHAR wide[1024];
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, wide, ARRAY_COUNT(wide));
    if (n <= 0) wide[0] = 0, n = 1;
    if (unicode) return put(w, wide, n * sizeof(WCHAR), sizeof(WCHAR));
    {
        char narrow[1024];
        int m = WideCharToMultiByte(CP_ACP, 0, wide, -1, narrow, sizeof(narrow), NULL, NULL);
        if (m <= 0) narrow[0] = 0, m = 1;
        return put(w, narrow, m, 1);
    }
}

static void *put_wide(struct writer *w, const WCHAR *s, bool unicode)
{
    if (unicode) return put(w, s, (wcslen(s) + 1) * sizeof(WCHAR), sizeof(WCHAR));
    {
        char narrow[1024];
        int m = WideCharToMultiByte(CP_ACP, 0, s, -1, narrow, sizeof(narrow), NULL, NULL);
        if (m <= 0) narrow[0] = 0, m = 1;
        return put(w, narrow, m, 1);
    }
}

static void *put_narrow(struct writer *w, const char *s, bool unicode)
{
    WCHAR wide[1024];
    if (!MultiByteToWideChar(CP_ACP, 0, s, -1, wide, ARRAY_COUNT(wide))) wide[0] = 0;
    return put_wide(w, wide, unicode);
}

/* Turn the pointers of a laid-out structure into offsets from BASE. */
static void *to_offset(void *p, void *base)
{
    return p ? (void *)((char *)p - (char *)base) : NULL;
}

static void offset_list(char ***list, void *base)
{
    char **p = *list;
    for (char **q = p; *q; q++) *q = to_offset(*q, base);
    *list = to_offset(p, base);
}

/* The blob: the hostent or servent in one block, its pointers made offsets. */
static BLOB *put_blob(struct writer *w, const struct lookup *l)
{
    const struct ws_db_entry *e = &l->entry;
    bool service = l->kind == QUERY_SERVICE;
    size_t len = service ? ws_servent_size(e) : ws_hostent_size(e);
    BLOB *blob = put(w, NULL, sizeof(BLOB), sizeof(void *));
    void *data = put(w, NULL, len, sizeof(void *));

    if (!blob || !data) return blob;
    blob->cbSize = (ULONG)len;
    blob->pBlobData = data;
    if (service) {
        struct servent *s = ws_servent_layout(e, data);
        s->s_name = to_offset(s->s_name, s);
        s->s_proto = to_offset(s->s_proto, s);
        offset_list(&s->s_aliases, s);
    } else {
        struct hostent *h = ws_hostent_layout(e, data);
        h->h_name = to_offset(h->h_name, h);
        offset_list(&h->h_aliases, h);
        offset_list(&h->h_addr_list, h);
    }
    return blob;
}

/* The addresses, one CSADDR_INFO each, with the remote and (unspecified) local sockaddrs of the
   entry's family. */
static CSADDR_INFO *put_addresses(struct writer *w, const struct lookup *l, DWORD *count)
{
    const struct ws_db_entry *e = &l->entry;
    CSADDR_INFO *info = put(w, NULL, e->addr_count * sizeof(CSADDR_INFO), sizeof(void *));
    int len = e->family == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6);
    *count = e->addr_count;
    for (int i = 0; i < e->addr_count; i++) {
        SOCKADDR_INET remote, local;
        void *r, *lo;
        memset(&remote, 0, sizeof(remote));
        memset(&local, 0, sizeof(local));
        remote.si_family = local.si_family = (ADDRESS_FAMILY)e->family;
        if (e->family == AF_INET) {
            remote.Ipv4.sin_port = l->port;
            memcpy(&remote.Ipv4.sin_addr, e->addrs[i], sizeof(IN_ADDR));
        } else {
            remote.Ipv6.sin6_port = l->port;
            remote.Ipv6.sin6_scope_id = e->scope_ids[i];
            memcpy(&remote.Ipv6.sin6_addr, e->addrs[i], sizeof(IN6_ADDR));
        }
        lo = put(w, &local, len, sizeof(void *));
        r = put(w, &remote, len, sizeof(void *));
        if (!info) continue;
        info[i].LocalAddr.lpSockaddr = lo;
        info[i].LocalAddr.iSockaddrLength = len;
        info[i].RemoteAddr.lpSockaddr = r;
        info[i].RemoteAddr.iSockaddrLength = len;
        info[i].iSocketType = l->socktype;
        info[i].iProtocol = l->protocol;
    }
    return info;
}

static void write_set(struct writer *w, const struct lookup *l, int set, bool unicode)
{
    WSAQUERYSETW *q = put(w, NULL, sizeof(*q), sizeof(void *));
    const struct ws_db_entry *e = &l->entry;
    DWORD flags = l->flags;
    void *p;

    if (q) {
        memset(q, 0, sizeof(*q));
        q->dwSize = sizeof(*q);
        q->dwNameSpace = NS_DNS;
        q->dwOutputFlags = set ? RESULT_IS_ALIAS : 0;
    }
    if (flags & LUP_RETURN_NAME) {
        const char *name = set ? e->aliases[set - 1] : e->name;
        p = put_string(w, name ? name : "", unicode);
        if (q) q->lpszServiceInstanceName = p;
    }
    if (flags & LUP_RETURN_TYPE) {
        GUID type = l->class_id;
        /* A service's type is its port's class. */
        if (l->kind == QUERY_SERVICE) {
            GUID tcp = SVCID_TCP(0), udp = SVCID_UDP(0);
            type = e->proto && !_stricmp(e->proto, "udp") ? udp : tcp;
            type.Data1 |= ntohs((u_short)e->number);
        }
        p = put(w, &type, sizeof(type), sizeof(DWORD));
        if (q) q->lpServiceClassId = p;
    }
    if ((flags & LUP_RETURN_QUERY_STRING) && l->has_query_string) {
        p = put_wide(w, l->query_string, unicode);
        if (q) q->lpszQueryString = p;
    }
    if (set) return; /* an alias carries its name only */
    if ((flags & LUP_RETURN_ADDR) && l->kind != QUERY_SERVICE && e->addr_count) {
        DWORD count;
        p = put_addresses(w, l, &count);
        if (q) {
            q->lpcsaBuffer = p;
            q->dwNumberOfCsAddrs = count;
        }
    }
    if ((flags & LUP_RETURN_BLOB) && l->kind != QUERY_HOSTNAME) {
        p = put_blob(w, l);
        if (q) q->lpBlob = p;
    }
}

/* Whether a set of SIZE bytes fits the caller's buffer; if not, the size goes to *LEN. */
static bool fits(DWORD *len, void *results, size_t size)
{
    if (results && *len >= size && ws_writable(results, size)) return true;
    *len = (DWORD)size;
    return false;
}

/* The built-in DNS provider's next set. */
static int dns_next(struct lookup *l, DWORD flags, DWORD *len, void *results, bool unicode)
{
    struct writer w = {0};

    if (!l->resolved) {
        resolve(l);
        l->resolved = true;
    }
    if (l->error) return l->error;
    /* LUP_FLUSHPREVIOUS: drop the set the last call had no room for. */
    if ((flags & LUP_FLUSHPREVIOUS) && l->last_fault && l->next_set < l->sets) l->next_set++;
    l->last_fault = false;
    if (l->next_set >= l->sets) return WSA_E_NO_MORE;
    write_set(&w, l, l->next_set, unicode);
    if (!fits(len, results, w.used)) {
        l->last_fault = true;
        return WSAEFAULT;
    }
    w.base = results;
    w.size = *len;
    w.used = 0;
    write_set(&w, l, l->next_set++, unicode);
    return 0;
}

/* A deep copy of a provider's set, in the A or the W form. */
static void copy_set(struct writer *w, const WSAQUERYSETW *src, bool unicode)
{
    WSAQUERYSETW *q = put(w, NULL, sizeof(*q), sizeof(void *));
    WCHAR *const *strings[4] = {&src->lpszServiceInstanceName, &src->lpszComment, &src->lpszContext,
                                &src->lpszQueryString};
    void *copies[4] = {0}, *p;

    for (int i = 0; i < 4; i++)
        if (*strings[i]) copies[i] = put_wide(w, *strings[i], unicode);
    if (q) {
        memset(q, 0, sizeof(*q));
        q->dwSize = sizeof(*q);
        q->lpszServiceInstanceName = copies[0];
        q->lpszComment = copies[1];
        q->lpszContext = copies[2];
        q->lpszQueryString = copies[3];
        q->dwNameSpace = src->dwNameSpace;
        q->dwOutputFlags = src->dwOutputFlags;
    }
    if (src->lpServiceClassId) {
        p = put(w, src->lpServiceClassId, sizeof(GUID), sizeof(DWORD));
        if (q) q->lpServiceClassId = p;
    }
    if (src->lpNSProviderId) {
        p = put(w, src->lpNSProviderId, sizeof(GUID), sizeof(DWORD));
        if (q) q->lpNSProviderId = p;
    }
    if (src->lpVersion) {
        p = put(w, src->lpVersion, sizeof(WSAVERSION), sizeof(DWORD));
        if (q) q->lpVersion = p;
    }
    if (src->lpafpProtocols && src->dwNumberOfProtocols) {
        p = put(w, src->lpafpProtocols, src->dwNumberOfProtocols * sizeof(AFPROTOCOLS),
                sizeof(DWORD));
        if (q) {
            q->lpafpProtocols = p;
            q->dwNumberOfProtocols = src->dwNumberOfProtocols;
        }
    }
    if (src->lpcsaBuffer && src->dwNumberOfCsAddrs) {
        CSADDR_INFO *info =
            put(w, src->lpcsaBuffer, src->dwNumberOfCsAddrs * sizeof(CSADDR_INFO), sizeof(void *));
        for (DWORD i = 0; i < src->dwNumberOfCsAddrs; i++) {
            const SOCKET_ADDRESS *from[2] = {&src->lpcsaBuffer[i].LocalAddr,
                                             &src->lpcsaBuffer[i].RemoteAddr};
            for (int j = 0; j < 2; j++) {
                int n = from[j]->lpSockaddr ? from[j]->iSockaddrLength : 0;
                if (n < 0 || n > (int)sizeof(SOCKADDR_STORAGE)) n = 0;
                p = n ? put(w, from[j]->lpSockaddr, n, sizeof(void *)) : NULL;
                if (info) {
                    SOCKET_ADDRESS *to = j ? &info[i].RemoteAddr : &info[i].LocalAddr;
                    to->lpSockaddr = p;
                    to->iSockaddrLength = n;
                }
            }
        }
        if (q) {
            q->lpcsaBuffer = info;
            q->dwNumberOfCsAddrs = src->dwNumberOfCsAddrs;
        }
    }
    if (src->lpBlob) {
        BLOB *blob = put(w, NULL, sizeof(BLOB), sizeof(void *));
        p = src->lpBlob->cbSize && src->lpBlob->pBlobData
                ? put(w, src->lpBlob->pBlobData, src->lpBlob->cbSize, sizeof(void *))
                : NULL;
        if (blob) {
            blob->cbSize = p ? src->lpBlob->cbSize : 0;
            blob->pBlobData = p;
        }
        if (q) q->lpBlob = blob;
    }
}

/* A provider DLL's next set: fetched into a buffer of the lookup's own, then copied. */
static int provider_next(struct lookup *l, struct ns_provider *p, HANDLE h, DWORD flags, DWORD *len,
                         void *results, bool unicode)
{
    struct writer w = {0};

    if ((flags & LUP_FLUSHPREVIOUS) && l->last_fault) {
        HeapFree(GetProcessHeap(), 0, l->pending);
        l->pending = NULL;
    }
    l->last_fault = false;
    if (!l->pending) {
        DWORD size = 4096, got;
        for (;;) {
            WSAQUERYSETW *buffer = HeapAlloc(GetProcessHeap(), 0, size);
            int err;
            if (!buffer) return WSA_NOT_ENOUGH_MEMORY;
            got = size;
            SetLastError(0);
            if (!p->routine.NSPLookupServiceNext(h, flags & ~LUP_FLUSHPREVIOUS, &got, buffer)) {
                l->pending = buffer;
                break;
            }
            err = GetLastError() ? (int)GetLastError() : WSA_E_NO_MORE;
            HeapFree(GetProcessHeap(), 0, buffer);
            if (err != WSAEFAULT || got <= size || got > (16u << 20)) return err;
            size = got;
        }
    }
    copy_set(&w, l->pending, unicode);
    if (!fits(len, results, w.used)) {
        l->last_fault = true;
        return WSAEFAULT;
    }
    w.base = results;
    w.size = *len;
    w.used = 0;
    copy_set(&w, l->pending, unicode);
    HeapFree(GetProcessHeap(), 0, l->pending);
    l->pending = NULL;
    return 0;
}

/* The providers are asked in turn: one that has no more (or fails) hands over to the next; the
   last one's error is the answer. */
static int lookup_next(HANDLE handle, DWORD flags, DWORD *len, void *results, bool unicode)
{
    struct lookup *l;
    int err;

    if (!ws_started()) return WSANOTINITIALISED;
    if (!(l = lookup_get(handle))) return WSA_INVALID_HANDLE;
    if (!len || !ws_writable(len, sizeof(*len))) {
        lookup_release(l);
        return WSAEFAULT;
    }
    AcquireSRWLockExclusive(&l->lock);
    for (;;) {
        struct ns_provider *p = l->provider[l->current];
        err = p ? provider_next(l, p, l->provider_lookup[l->current], flags, len, results, unicode)
                : dns_next(l, flags, len, results, unicode);
        if (l->ended) err = WSA_E_CANCELLED;
        if (!err || err == WSAEFAULT || err == WSA_E_CANCELLED || l->current + 1 >= l->providers)
            break;
        l->current++;
        l->last_fault = false;
    }
    ReleaseSRWLockExclusive(&l->lock);
    lookup_release(l);
    return err;
}

INT WSAAPI WSALookupServiceNextW(HANDLE hLookup, DWORD dwControlFlags, LPDWORD lpdwBufferLength,
                                 LPWSAQUERYSETW lpqsResults)
{
    int err = lookup_next(hLookup, dwControlFlags, lpdwBufferLength, lpqsResults, true);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSALookupServiceNextA(HANDLE hLookup, DWORD dwControlFlags, LPDWORD lpdwBufferLength,
                                 LPWSAQUERYSETA lpqsResults)
{
    int err = lookup_next(hLookup, dwControlFlags, lpdwBufferLength, lpqsResults, false);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSALookupServiceEnd(HANDLE hLookup)
{
    struct lookup *l;
    bool mine;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!(l = lookup_get(hLookup))) return ws_fail(WSA_INVALID_HANDLE);
    /* A Next running in another thread sees the end and reports WSA_E_CANCELLED; the provider
       DLLs are told by their own End, which the reference pages make their cancel. */
    AcquireSRWLockExclusive(&lookups_lock);
    mine = !l->ended && lookup_unlink_locked(l);
    l->ended = 1;
    ReleaseSRWLockExclusive(&lookups_lock);
    if (mine) {
        lookup_end_providers(l);
        lookup_release(l); /* the list's reference */
    }
    lookup_release(l);
    return 0;
}

/* The control codes go to the lookup's first provider DLL that takes them. The DNS namespace
   implements none (SIO_NSP_NOTIFY_CHANGE is for namespaces whose answers change, like NLA). */
INT WSAAPI WSANSPIoctl(HANDLE hLookup, DWORD dwControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                       LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                       LPWSACOMPLETION lpCompletion)
{
    WSATHREADID thread = {GetCurrentThread(), 0};
    struct lookup *l;
    int err = WSAEOPNOTSUPP;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!(l = lookup_get(hLookup))) return ws_fail(WSA_INVALID_HANDLE);
    if ((lpvInBuffer && cbInBuffer && !ws_readable(lpvInBuffer, cbInBuffer)) ||
        (lpvOutBuffer && cbOutBuffer && !ws_writable(lpvOutBuffer, cbOutBuffer)) ||
        (lpcbBytesReturned && !ws_writable(lpcbBytesReturned, sizeof(DWORD))) ||
        (lpCompletion && !ws_readable(lpCompletion, sizeof(*lpCompletion)))) {
        lookup_release(l);
        return ws_fail(WSAEFAULT);
    }
    for (int i = 0; i < l->providers; i++) {
        struct ns_provider *p = l->provider[i];
        if (!p || !p->routine.NSPIoctl) continue;
        SetLastError(0);
        err =
            p->routine.NSPIoctl(l->provider_lookup[i], dwControlCode, lpvInBuffer, cbInBuffer,
                                lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, lpCompletion, &thread)
                ? (GetLastError() ? (int)GetLastError() : WSAEOPNOTSUPP)
                : 0;
        break;
    }
    lookup_release(l);
    return err ? ws_fail(err) : 0;
}

/* ---- service classes and registration ---- */

/*
 * These go to the provider DLLs of the catalog. The built-in DNS namespace implements none of
 * them (it keeps no class information and registers nothing): alone, it refuses with
 * WSAEOPNOTSUPP, which the reference pages give for a provider that does not implement the call.
 */

/* The started provider DLLs a namespace (NS_ALL: every one) reaches, in catalog order. */
static int dll_providers(DWORD name_space, const GUID *id, struct ns_provider **out)
{
    bool dns;
    int n = ns_providers_for(name_space, id, out, LOOKUP_PROVIDERS, &dns), kept = 0;
    for (int i = 0; i < n; i++)
        if (out[i]) out[kept++] = out[i];
    return kept;
}

/* Copies of class information, in the A or the W form, the strings from either. */
static void copy_class(struct writer *w, const WSASERVICECLASSINFOW *src, bool from_unicode,
                       bool unicode)
{
    WSASERVICECLASSINFOW *c = put(w, NULL, sizeof(*c), sizeof(void *));
    WSANSCLASSINFOW *infos = NULL;
    void *p;

    if (c) memset(c, 0, sizeof(*c));
    if (src->dwCount) {
        infos = put(w, NULL, src->dwCount * sizeof(*infos), sizeof(void *));
        if (infos) memset(infos, 0, src->dwCount * sizeof(*infos));
    }
    if (src->lpServiceClassId) {
        p = put(w, src->lpServiceClassId, sizeof(GUID), sizeof(DWORD));
        if (c) c->lpServiceClassId = p;
    }
    if (src->lpszServiceClassName) {
        p = from_unicode ? put_wide(w, src->lpszServiceClassName, unicode)
                         : put_narrow(w, (const char *)src->lpszServiceClassName, unicode);
        if (c) c->lpszServiceClassName = p;
    }
    for (DWORD i = 0; i < src->dwCount; i++) {
        const WSANSCLASSINFOW *from = &src->lpClassInfos[i];
        void *name = NULL, *value = NULL;
        if (from->lpszName)
            name = from_unicode ? put_wide(w, from->lpszName, unicode)
                                : put_narrow(w, (const char *)from->lpszName, unicode);
        if (from->lpValue && from->dwValueSize)
            value = put(w, from->lpValue, from->dwValueSize, sizeof(void *));
        if (infos) {
            infos[i].lpszName = name;
            infos[i].dwNameSpace = from->dwNameSpace;
            infos[i].dwValueType = from->dwValueType;
            infos[i].dwValueSize = value ? from->dwValueSize : 0;
            infos[i].lpValue = value;
        }
    }
    if (c) {
        c->dwCount = src->dwCount;
        c->lpClassInfos = infos;
    }
}

/* A heap copy of class information in the W form; NULL if out of memory. */
static WSASERVICECLASSINFOW *class_wide(const WSASERVICECLASSINFOW *src, bool unicode)
{
    struct writer w = {0};
    copy_class(&w, src, unicode, true);
    if (!(w.base = HeapAlloc(GetProcessHeap(), 0, w.used))) return NULL;
    w.size = w.used;
    w.used = 0;
    copy_class(&w, src, unicode, true);
    return (WSASERVICECLASSINFOW *)w.base;
}

static bool class_readable(const WSASERVICECLASSINFOW *c, bool unicode)
{
    if (!c || !ws_readable(c, sizeof(*c)) || !c->lpServiceClassId ||
        !ws_readable(c->lpServiceClassId, sizeof(GUID)))
        return false;
    if (c->lpszServiceClassName &&
        (unicode ? IsBadStringPtrW(c->lpszServiceClassName, (UINT_PTR)-1)
                 : IsBadStringPtrA((const char *)c->lpszServiceClassName, (UINT_PTR)-1)))
        return false;
    if (!c->dwCount) return true;
    if (!c->lpClassInfos || !ws_readable(c->lpClassInfos, c->dwCount * sizeof(WSANSCLASSINFOW)))
        return false;
    for (DWORD i = 0; i < c->dwCount; i++) {
        const WSANSCLASSINFOW *n = &c->lpClassInfos[i];
        if (n->lpszName && (unicode ? IsBadStringPtrW(n->lpszName, (UINT_PTR)-1)
                                    : IsBadStringPtrA((const char *)n->lpszName, (UINT_PTR)-1)))
            return false;
        if (n->dwValueSize && (!n->lpValue || !ws_readable(n->lpValue, n->dwValueSize)))
            return false;
    }
    return true;
}

/* The error of a provider call that failed. */
static int provider_error(int fallback)
{
    DWORD err = GetLastError();
    return err ? (int)err : fallback;
}

static int install_class(const WSASERVICECLASSINFOW *info, bool unicode)
{
    struct ns_provider *list[LOOKUP_PROVIDERS];
    WSASERVICECLASSINFOW *wide;
    int count, err = WSAEOPNOTSUPP;
    bool done = false;

    if (!ws_started()) return WSANOTINITIALISED;
    if (!class_readable(info, unicode)) return WSAEINVAL;
    if (!(wide = class_wide(info, unicode))) return WSA_NOT_ENOUGH_MEMORY;
    count = dll_providers(NS_ALL, NULL, list);
    for (int i = 0; i < count; i++) {
        if (!list[i]->routine.NSPInstallServiceClass) continue;
        SetLastError(0);
        if (!list[i]->routine.NSPInstallServiceClass(&list[i]->id, wide))
            done = true;
        else
            err = provider_error(WSAEOPNOTSUPP);
    }
    HeapFree(GetProcessHeap(), 0, wide);
    return done ? 0 : err;
}

INT WSAAPI WSAInstallServiceClassA(LPWSASERVICECLASSINFOA lpServiceClassInfo)
{
    int err = install_class((const WSASERVICECLASSINFOW *)lpServiceClassInfo, false);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAInstallServiceClassW(LPWSASERVICECLASSINFOW lpServiceClassInfo)
{
    int err = install_class(lpServiceClassInfo, true);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSARemoveServiceClass(LPGUID lpServiceClassId)
{
    struct ns_provider *list[LOOKUP_PROVIDERS];
    int count;
    bool done = false;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!lpServiceClassId || !ws_readable(lpServiceClassId, sizeof(GUID)))
        return ws_fail(WSAEINVAL);
    count = dll_providers(NS_ALL, NULL, list);
    for (int i = 0; i < count; i++) {
        if (list[i]->routine.NSPRemoveServiceClass &&
            !list[i]->routine.NSPRemoveServiceClass(&list[i]->id, lpServiceClassId))
            done = true;
    }
    /* No provider holds the class. */
    return done ? 0 : ws_fail(WSATYPE_NOT_FOUND);
}

/* A provider DLL's information on a class, in a heap buffer; 0 or the error. */
static int fetch_class(struct ns_provider *p, const GUID *class_id, WSASERVICECLASSINFOW **out)
{
    DWORD size = 1024, got;
    if (!p->routine.NSPGetServiceClassInfo) return WSAEOPNOTSUPP;
    for (;;) {
        WSASERVICECLASSINFOW *info = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
        GUID *id = (GUID *)((char *)info + size - sizeof(GUID));
        int err;
        if (!info) return WSA_NOT_ENOUGH_MEMORY;
        /* The class asked for goes in, in the buffer itself. */
        *id = *class_id;
        info->lpServiceClassId = id;
        got = size - sizeof(GUID);
        SetLastError(0);
        if (!p->routine.NSPGetServiceClassInfo(&p->id, &got, info)) {
            *out = info;
            return 0;
        }
        err = provider_error(WSATYPE_NOT_FOUND);
        HeapFree(GetProcessHeap(), 0, info);
        if (err != WSAEFAULT || got + sizeof(GUID) <= size || got > (1u << 20)) return err;
        size = got + sizeof(GUID);
    }
}

static int class_info(const GUID *provider, const GUID *class_id, DWORD *size, void *info,
                      bool unicode)
{
    struct ns_provider *list[LOOKUP_PROVIDERS];
    WSASERVICECLASSINFOW *got;
    struct writer w = {0};
    int err;

    if (!ws_started()) return WSANOTINITIALISED;
    if (!provider || !class_id || !size || !info || !ws_readable(provider, sizeof(GUID)) ||
        !ws_readable(class_id, sizeof(GUID)) || !ws_writable(size, sizeof(*size)))
        return WSAEINVAL;
    if (ns_catalog_dns_route(NS_ALL, provider) == WSAEINVAL) return WSAEINVAL;
    if (!dll_providers(NS_ALL, provider, list)) return WSAEOPNOTSUPP; /* the DNS one */
    if ((err = fetch_class(list[0], class_id, &got))) return err;
    copy_class(&w, got, true, unicode);
    if (fits(size, info, w.used)) {
        w.base = info;
        w.size = *size;
        w.used = 0;
        copy_class(&w, got, true, unicode);
    } else {
        err = WSAEFAULT;
    }
    HeapFree(GetProcessHeap(), 0, got);
    return err;
}

INT WSAAPI WSAGetServiceClassInfoA(LPGUID lpProviderId, LPGUID lpServiceClassId,
                                   LPDWORD lpdwBufSize, LPWSASERVICECLASSINFOA lpServiceClassInfo)
{
    int err = class_info(lpProviderId, lpServiceClassId, lpdwBufSize, lpServiceClassInfo, false);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAGetServiceClassInfoW(LPGUID lpProviderId, LPGUID lpServiceClassId,
                                   LPDWORD lpdwBufSize, LPWSASERVICECLASSINFOW lpServiceClassInfo)
{
    int err = class_info(lpProviderId, lpServiceClassId, lpdwBufSize, lpServiceClassInfo, true);
    return err ? ws_fail(err) : 0;
}

/* The class's name from the first provider DLL that knows the class; *LEN counts characters. */
static int class_name(const GUID *class_id, void *name, DWORD *len, bool unicode)
{
    struct ns_provider *list[LOOKUP_PROVIDERS];
    int count, err = WSAEOPNOTSUPP;

    if (!ws_started()) return WSANOTINITIALISED;
    if (!class_id || !ws_readable(class_id, sizeof(GUID))) return WSA_INVALID_PARAMETER;
    if (!len || !ws_writable(len, sizeof(*len)) || !name) return WSAEFAULT;
    count = dll_providers(NS_ALL, NULL, list);
    for (int i = 0; i < count; i++) {
        WSASERVICECLASSINFOW *got;
        const WCHAR *s;
        DWORD n;
        if ((err = fetch_class(list[i], class_id, &got))) continue;
        s = got->lpszServiceClassName ? got->lpszServiceClassName : L"";
        n = unicode ? (DWORD)wcslen(s) + 1
                    : (DWORD)WideCharToMultiByte(CP_ACP, 0, s, -1, NULL, 0, NULL, NULL);
        if (*len < n || !ws_writable(name, unicode ? n * sizeof(WCHAR) : n)) {
            *len = n;
            err = WSAEFAULT;
        } else if (unicode) {
            memcpy(name, s, n * sizeof(WCHAR));
            *len = n;
        } else {
            WideCharToMultiByte(CP_ACP, 0, s, -1, name, (int)n, NULL, NULL);
            *len = n;
        }
        HeapFree(GetProcessHeap(), 0, got);
        break;
    }
    return err;
}

INT WSAAPI WSAGetServiceClassNameByClassIdA(LPGUID lpServiceClassId, LPSTR lpszServiceClassName,
                                            LPDWORD lpdwBufferLength)
{
    int err = class_name(lpServiceClassId, lpszServiceClassName, lpdwBufferLength, false);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAGetServiceClassNameByClassIdW(LPGUID lpServiceClassId, LPWSTR lpszServiceClassName,
                                            LPDWORD lpdwBufferLength)
{
    int err = class_name(lpServiceClassId, lpszServiceClassName, lpdwBufferLength, true);
    return err ? ws_fail(err) : 0;
}

/* Registration goes to every provider DLL of the query set's namespace. */
static int set_service(const WSAQUERYSETW *q, WSAESETSERVICEOP op, DWORD flags, bool unicode)
{
    struct ns_provider *list[LOOKUP_PROVIDERS];
    WCHAR *strings[4] = {0};
    WSAQUERYSETW wide;
    int count, err = WSAEOPNOTSUPP;
    bool done = false;

    if (!ws_started()) return WSANOTINITIALISED;
    if (!q || !ws_readable(q, sizeof(DWORD)) || q->dwSize != sizeof(WSAQUERYSETW) ||
        !ws_readable(q, sizeof(*q)) ||
        (op != RNRSERVICE_REGISTER && op != RNRSERVICE_DEREGISTER && op != RNRSERVICE_DELETE))
        return WSAEINVAL;
    if (!unicode && !widen(q, &wide, strings)) {
        err = WSAEINVAL;
        goto done;
    }
    count = dll_providers(q->dwNameSpace, NULL, list);
    for (int i = 0; i < count; i++) {
        if (!list[i]->routine.NSPSetService) continue;
        SetLastError(0);
        if (!list[i]->routine.NSPSetService(&list[i]->id, NULL, unicode ? (WSAQUERYSETW *)q : &wide,
                                            op, flags))
            done = true;
        else
            err = provider_error(WSAEOPNOTSUPP);
    }
done:
    for (int i = 0; i < 4; i++) HeapFree(GetProcessHeap(), 0, strings[i]);
    return done ? 0 : err;
}

INT WSAAPI WSASetServiceA(LPWSAQUERYSETA lpqsRegInfo, WSAESETSERVICEOP essoperation,
                          DWORD dwControlFlags)
{
    int err = set_service((const WSAQUERYSETW *)lpqsRegInfo, essoperation, dwControlFlags, false);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSASetServiceW(LPWSAQUERYSETW lpqsRegInfo, WSAESETSERVICEOP essoperation,
                          DWORD dwControlFlags)
{
    int err = set_service(lpqsRegInfo, essoperation, dwControlFlags, true);
    return err ? ws_fail(err) : 0;
}

/* ---- version-2 namespace providers advertised by the process ---- */

#define ADVERTISED_MAX 16
static struct {
    GUID id;
    const NSPV2_ROUTINE *routine;
} advertised[ADVERTISED_MAX];
static SRWLOCK advertised_lock = SRWLOCK_INIT;

/* A provider the catalog lists may be advertised once; its routine table stays the caller's. */
INT WSAAPI WSAAdvertiseProvider(const GUID *puuidProviderId, const LPCNSPV2_ROUTINE *pNSPv2Routine)
{
    struct ns_entry *list;
    int count, err = WSAEINVALIDPROVIDER, free_slot = -1;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!puuidProviderId || !pNSPv2Routine || !ws_readable(puuidProviderId, sizeof(GUID)) ||
        !ws_readable(pNSPv2Routine, sizeof(*pNSPv2Routine)))
        return ws_fail(WSAEINVAL);
    if ((count = ns_catalog_read(false, &list)) < 0) return ws_fail(WSANO_RECOVERY);
    for (int i = 0; i < count; i++) {
        if (guid_is(&list[i].id, puuidProviderId)) err = 0;
    }
    HeapFree(GetProcessHeap(), 0, list);
    if (err) return ws_fail(err);
    AcquireSRWLockExclusive(&advertised_lock);
    for (int i = 0; i < ADVERTISED_MAX; i++) {
        if (advertised[i].routine && guid_is(&advertised[i].id, puuidProviderId)) err = WSAEINVAL;
        if (!advertised[i].routine && free_slot < 0) free_slot = i;
    }
    if (!err && free_slot < 0) err = WSA_NOT_ENOUGH_MEMORY;
    if (!err) {
        advertised[free_slot].id = *puuidProviderId;
        advertised[free_slot].routine = (const NSPV2_ROUTINE *)pNSPv2Routine;
    }
    ReleaseSRWLockExclusive(&advertised_lock);
    return err ? ws_fail(err) : 0;
}

INT WSPAPI WSAUnadvertiseProvider(const GUID *puuidProviderId)
{
    int err = WSAEINVAL;
    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!puuidProviderId || !ws_readable(puuidProviderId, sizeof(GUID))) return ws_fail(WSAEINVAL);
    AcquireSRWLockExclusive(&advertised_lock);
    for (int i = 0; i < ADVERTISED_MAX; i++) {
        if (advertised[i].routine && guid_is(&advertised[i].id, puuidProviderId)) {
            advertised[i].routine = NULL;
            err = 0;
        }
    }
    ReleaseSRWLockExclusive(&advertised_lock);
    return err ? ws_fail(err) : 0;
}
