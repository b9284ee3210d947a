/*
 * The getaddrinfo family (getaddrinfo, GetAddrInfoW, GetAddrInfoExA/W and their frees, the
 * asynchronous GetAddrInfoEx machinery) and getnameinfo/GetNameInfoW.
 *
 * One engine serves every form: the question is turned into UTF-8 and a plain request, answered
 * from numeric literals, the local host's own names, then the hosts file (src/resolve/db.h), and
 * the answer is laid out as the caller's structure shape (addrinfo, ADDRINFOEX or ADDRINFOEX2..6,
 * ANSI or UTF-16 names). Names the local databases do not know go to DNS through dnsapi's
 * DnsQuery_W, loaded on first use; names under the special-use domain "invalid" (RFC 6761) never
 * do.
 *
 * Each node of a returned list is one heap block (the structure, its socket address and its
 * names), so the frees walk the list and release each node.
 */
#include "openws2/core.h"
#include "../resolve/db.h"
#include "../resolve/dns.h"
#include "../resolve/nameres.h"

/* The completion routine of an asynchronous GetAddrInfoEx (the SDK headers of the build declare
   the parameter as an opaque pointer). */
typedef void(CALLBACK *ai_completion_fn)(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped);

/* Flags the SDK headers of the build leave out. */
#define AI_DNS_ONLY_                 0x00000010
#define AI_BYPASS_DNS_CACHE_         0x00000040
#define AI_RETURN_TTL_               0x00000080
#define AI_SECURE_WITH_FALLBACK_     0x00100000
#define AI_EXCLUSIVE_CUSTOM_SERVERS_ 0x00200000
#define AI_RETURN_RESPONSE_FLAGS_    0x10000000
#define AI_REQUIRE_SECURE_           0x20000000
#define AI_RESOLUTION_HANDLE_        0x40000000
#define AI_EXTENDED_                 0x80000000

/* What getaddrinfo and GetAddrInfoW accept; GetAddrInfoEx accepts the extended flags too. */
#define AI_FLAGS_PLAIN                                                                             \
    (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_DNS_ONLY_ | AI_ALL |         \
     AI_ADDRCONFIG | AI_V4MAPPED | AI_NON_AUTHORITATIVE | AI_SECURE | AI_RETURN_PREFERRED_NAMES |  \
     AI_FQDN | AI_FILESERVER | AI_DISABLE_IDN_ENCODING)
#define AI_FLAGS_EX                                                                                \
    (AI_FLAGS_PLAIN | AI_BYPASS_DNS_CACHE_ | AI_RETURN_TTL_ | AI_SECURE_WITH_FALLBACK_ |           \
     AI_EXCLUSIVE_CUSTOM_SERVERS_ | AI_RETURN_RESPONSE_FLAGS_ | AI_REQUIRE_SECURE_ |               \
     AI_RESOLUTION_HANDLE_ | AI_EXTENDED_)

/* The extended result shapes (ADDRINFOEX2W .. ADDRINFOEX6): ADDRINFOEX, then these fields. */
struct addrinfoex_tail {
    int ai_version;
    void *ai_fqdn;
    int ai_interfaceindex;      /* version 3 */
    HANDLE ai_resolutionhandle; /* version 4 */
    unsigned int ai_ttl;        /* version 5 */
    unsigned int ai_numservers; /* version 6: the hints' custom DNS servers */
    void *ai_servers;
    ULONG64 ai_responseflags; /* version 6: where the answer came from */
};
#define EX_VERSION_MAX 6
/* ai_responseflags: the answer came from the hosts file. */
#define AI_DNS_RESPONSE_HOSTFILE_ 0x2

/* ---- the request and its answer ---- */

#define AI_NAME_MAX  NI_MAXHOST
#define AI_MAX_ADDRS 64

enum ai_shape { SHAPE_PLAIN, SHAPE_EX };

struct ai_request {
    char node[AI_NAME_MAX];
    bool has_node;
    USHORT port; /* network order */
    int flags, family, socktype, protocol;
    enum ai_shape shape;
    int ex_version; /* 0: ADDRINFOEX; 2..6: ADDRINFOEXn */
    bool wide;      /* names in the result are UTF-16 */
};

/* The addresses found, each with the seconds its source lets it be kept (the DNS TTL; 0 for
   the local databases, which give none), the canonical name (the owner of the addresses, at the
   end of any CNAME chain) and the fully qualified name that was asked for. */
struct ai_answer {
    int count;
    SOCKADDR_INET addrs[AI_MAX_ADDRS];
    unsigned int ttls[AI_MAX_ADDRS];
    char canonical[AI_NAME_MAX];
    char fqdn[AI_NAME_MAX];
    bool from_hosts; /* the hosts file answered */
};

/* ---- text conversions ---- */

static bool utf8_from_wide(const WCHAR *w, char *out, size_t size)
{
    return WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)size, NULL, NULL) > 0;
}

static bool utf8_from_ansi(const char *a, char *out, size_t size)
{
    WCHAR w[AI_NAME_MAX];
    if (!MultiByteToWideChar(CP_ACP, 0, a, -1, w, ARRAY_COUNT(w))) return false;
    return utf8_from_wide(w, out, size);
}

/* A string of the caller in UTF-8; false if it is unreadable or too long. */
static bool take_string(const void *s, bool wide, char *out, size_t size, int *err)
{
    bool ok;
    if (wide ? IsBadStringPtrW(s, (UINT_PTR)-1) : IsBadStringPtrA(s, (UINT_PTR)-1)) {
        *err = WSAEFAULT;
        return false;
    }
    ok = wide ? utf8_from_wide(s, out, size) : utf8_from_ansi(s, out, size);
    if (!ok) *err = EAI_NONAME;
    return ok;
}

/* Bytes that UTF-8 TEXT takes in the result's character set, terminator included. */
static size_t name_bytes(const char *text, bool wide)
{
    WCHAR w[AI_NAME_MAX];
    int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, w, ARRAY_COUNT(w));
    if (n <= 0) return 1;
    if (wide) return (size_t)n * sizeof(WCHAR);
    n = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, NULL);
    return n > 0 ? (size_t)n : 1;
}

static void name_store(const char *text, bool wide, void *out, size_t bytes)
{
    WCHAR w[AI_NAME_MAX];
    int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, w, ARRAY_COUNT(w));
    if (n <= 0) {
        memset(out, 0, wide ? sizeof(WCHAR) : 1);
        return;
    }
    if (wide)
        memcpy(out, w, bytes);
    else
        WideCharToMultiByte(CP_ACP, 0, w, -1, out, (int)bytes, NULL, NULL);
}

/* ---- the request: hints and service ---- */

static bool socktype_known(int type)
{
    return type >= 0 && type <= SOCK_SEQPACKET;
}

/* The hints' common members (addrinfo and ADDRINFOEX begin alike). */
struct hints_view {
    int flags, family, socktype, protocol;
    size_t addrlen;
    const void *canonname, *addr, *next;
};

static int check_hints(const struct hints_view *h, struct ai_request *rq, int allowed)
{
    if (h->addrlen || h->canonname || h->addr || h->next) return EAI_FAIL;
    if (h->flags & ~allowed) return EAI_BADFLAGS;
    /* Both names at once need ADDRINFOEX2's second name member: GetAddrInfoEx alone has it. */
    if ((h->flags & AI_CANONNAME) && (h->flags & AI_FQDN) && rq->shape == SHAPE_PLAIN)
        return EAI_BADFLAGS;
    if ((h->flags & (AI_CANONNAME | AI_FQDN)) && !rq->has_node) return EAI_BADFLAGS;
    if (h->family != AF_UNSPEC && h->family != AF_INET && h->family != AF_INET6) return EAI_FAMILY;
    if (!socktype_known(h->socktype)) return EAI_SOCKTYPE;
    rq->flags = h->flags;
    rq->family = h->family;
    rq->socktype = h->socktype;
    rq->protocol = h->protocol;
    return 0;
}

/* The protocol a service is looked up for: from the socket type, else the protocol. */
static const char *service_proto(const struct ai_request *rq)
{
    if (rq->socktype == SOCK_STREAM) return "tcp";
    if (rq->socktype == SOCK_DGRAM) return "udp";
    if (rq->protocol == IPPROTO_TCP) return "tcp";
    if (rq->protocol == IPPROTO_UDP) return "udp";
    return NULL;
}

static int resolve_service(const char *service, struct ai_request *rq)
{
    unsigned long value = 0;
    const char *p = service;
    int port;

    if (!*p) {
        rq->port = 0;
        return 0;
    }
    while (*p >= '0' && *p <= '9') {
        value = value * 10 + (unsigned long)(*p - '0');
        if (value > 65535) return EAI_SERVICE;
        p++;
    }
    if (!*p) {
        rq->port = htons((USHORT)value);
        return 0;
    }
    if (rq->flags & AI_NUMERICSERV) return EAI_NONAME;
    port = ws_services_port(service, service_proto(rq), NULL, 0, NULL, 0);
    if (port < 0) return EAI_SERVICE;
    rq->port = (USHORT)port;
    return 0;
}

/* ---- the answer ---- */

/* Keep SA as the answer's entry KEPT unless an earlier entry holds it; returns the number of
   entries kept. An address given twice is kept no longer than either record allows (the smaller
   TTL stays). Entry KEPT is never one still to be read, so the filters rewrite the answer in
   place with it. */
static int answer_keep(struct ai_answer *an, int kept, const SOCKADDR_INET *sa, unsigned int ttl)
{
    for (int i = 0; i < kept; i++) {
        if (memcmp(&an->addrs[i], sa, sizeof(*sa))) continue;
        an->ttls[i] = min(an->ttls[i], ttl);
        return kept;
    }
    an->addrs[kept] = *sa;
    an->ttls[kept] = ttl;
    return kept + 1;
}

static void answer_add(struct ai_answer *an, int family, const void *addr, ULONG scope,
                       unsigned int ttl)
{
    SOCKADDR_INET sa;

    if (an->count >= AI_MAX_ADDRS) return;
    memset(&sa, 0, sizeof(sa));
    sa.si_family = (ADDRESS_FAMILY)family;
    if (family == AF_INET) {
        memcpy(&sa.Ipv4.sin_addr, addr, sizeof(IN_ADDR));
    } else {
        memcpy(&sa.Ipv6.sin6_addr, addr, sizeof(IN6_ADDR));
        sa.Ipv6.sin6_scope_id = scope;
    }
    an->count = answer_keep(an, an->count, &sa, ttl);
}

/* Addresses the databases walk are collected unfiltered; the family rules come after. */
struct collect {
    struct ai_answer *an;
    bool named;
    unsigned int ttl; /* of the addresses being added */
};

static bool collect_address(void *ctx, int family, const void *addr, ULONG scope_id,
                            const char *canonical)
{
    struct collect *c = ctx;
    if (!c->named && canonical && *canonical) {
        lstrcpynA(c->an->canonical, canonical, sizeof(c->an->canonical));
        c->named = true;
    }
    answer_add(c->an, family, addr, scope_id, c->ttl);
    return true;
}

/* Which families this machine has an address of besides loopback (AI_ADDRCONFIG). */
struct configured {
    bool v4, v6, v6_global;
};

static bool note_configured(void *ctx, int family, const void *addr, ULONG scope_id,
                            const char *canonical)
{
    struct configured *c = ctx;
    (void)scope_id;
    (void)canonical;
    if (family == AF_INET && (ntohl(((const IN_ADDR *)addr)->s_addr) >> 24) != 127) c->v4 = true;
    if (family == AF_INET6 && !IN6_IS_ADDR_LOOPBACK((const IN6_ADDR *)addr)) {
        c->v6 = true;
        if (!IN6_IS_ADDR_LINKLOCAL((const IN6_ADDR *)addr)) c->v6_global = true;
    }
    return true;
}

/* ---- DNS ---- */

/* Names DNS must never be asked about: the special-use domain "invalid" (RFC 6761). */
static bool dns_refuses(const char *name)
{
    static const char suffix[] = ".invalid";
    size_t len = strlen(name), n = sizeof(suffix) - 1;
    if (len && name[len - 1] == '.') len--;
    if (len == n - 1 && !_strnicmp(name, suffix + 1, n - 1)) return true;
    return len > n && !_strnicmp(name + len - n, suffix, n);
}

/* ---- internationalized names (the UTF-16 forms) ---- */

typedef int(WINAPI *idn_fn)(DWORD flags, const WCHAR *in, int in_len, WCHAR *out, int out_len);
static idn_fn idn_to_ascii, idn_to_unicode;
static INIT_ONCE idn_once = INIT_ONCE_STATIC_INIT;

/* kernel32's IDN conversions, looked up on first use. */
static BOOL CALLBACK idn_load(PINIT_ONCE once, void *param, void **ctx)
{
    HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
    (void)once, (void)param, (void)ctx;
    if (kernel32) {
        idn_to_ascii = (idn_fn)(void *)GetProcAddress(kernel32, "IdnToAscii");
        idn_to_unicode = (idn_fn)(void *)GetProcAddress(kernel32, "IdnToUnicode");
    }
    return TRUE;
}

/* Whether the names of a request are IDN-encoded for DNS and decoded in its answer: the UTF-16
   forms do so unless AI_DISABLE_IDN_ENCODING. */
static bool idn_applies(const struct ai_request *rq)
{
    return rq->wide && !(rq->flags & AI_DISABLE_IDN_ENCODING);
}

/* NAME with its non-ASCII labels in the ASCII-compatible (punycode) form DNS knows; NAME
   unchanged when it is all ASCII. False if it is not a valid internationalized name. */
static bool idn_encode(WCHAR *name, size_t size)
{
    WCHAR out[AI_NAME_MAX];
    const WCHAR *p;
    int n;

    for (p = name; *p && *p < 0x80; p++)
        ;
    if (!*p) return true;
    InitOnceExecuteOnce(&idn_once, idn_load, NULL, NULL);
    if (!idn_to_ascii || (n = idn_to_ascii(0, name, -1, out, ARRAY_COUNT(out))) <= 0 ||
        (size_t)n > size)
        return false;
    memcpy(name, out, (size_t)n * sizeof(WCHAR));
    return true;
}

/* A name (UTF-8) with ASCII-compatible labels ("xn--...") back in Unicode, in place; unchanged
   if it has none or does not decode. */
static void idn_decode(char *name, size_t size)
{
    WCHAR in[AI_NAME_MAX], out[AI_NAME_MAX];
    char decoded[AI_NAME_MAX];
    const char *p;
    int n;

    for (p = name; *p; p++)
        if ((p == name || p[-1] == '.') && !_strnicmp(p, "xn--", 4)) break;
    if (!*p) return;
    InitOnceExecuteOnce(&idn_once, idn_load, NULL, NULL);
    if (!idn_to_unicode || !MultiByteToWideChar(CP_UTF8, 0, name, -1, in, ARRAY_COUNT(in)) ||
        (n = idn_to_unicode(0, in, -1, out, ARRAY_COUNT(out))) <= 0)
        return;
    if (utf8_from_wide(out, decoded, sizeof(decoded)) && strlen(decoded) < size)
        strcpy(name, decoded);
}

/* The A and AAAA records of NAME into C. IPv6 is asked for when the caller wants IPv6 only, and
   for any family only when this machine has a global IPv6 address (it could not use the answer
   otherwise); IPv4 unless only IPv6 can be used. 0 if anything was found, else the error. */
static int dns_lookup(const struct ai_request *rq, struct collect *c)
{
    static const WORD types[] = {DNS_TYPE_AAAA, DNS_TYPE_A};
    struct configured cf = {false, false, false};
    bool no_records = false, failed = false, asked[ARRAY_COUNT(types)] = {false, false};
    WCHAR name[AI_NAME_MAX];

    if (dns_refuses(rq->node)) return EAI_NONAME;
    /* No secure transport to a DNS server exists here (DNS over HTTPS): a query that demands one
       cannot be made, and is not sent in clear text instead. */
    if (rq->flags & AI_REQUIRE_SECURE_) return EAI_FAIL;
    if (!MultiByteToWideChar(CP_UTF8, 0, rq->node, -1, name, ARRAY_COUNT(name))) return EAI_NONAME;
    if (idn_applies(rq) && !idn_encode(name, ARRAY_COUNT(name))) return EAI_NONAME;
    ws_local_addresses(NULL, AF_UNSPEC, note_configured, &cf);

    for (size_t i = 0; i < ARRAY_COUNT(types); i++) {
        PDNS_RECORDW records = NULL, r;
        DNS_STATUS status;
        unsigned int chain_ttl;
        if (types[i] == DNS_TYPE_AAAA
                ? rq->family == AF_INET || (rq->family == AF_UNSPEC && !cf.v6_global)
                : rq->family == AF_INET6 && !(rq->flags & AI_V4MAPPED))
            continue;
        asked[i] = true;
        status = ws_dns_query(name, types[i], &records);
        if (status == DNS_ERROR_NO_DNS_SERVERS) return EAI_NONAME; /* no dnsapi */
        /* A server may deny the name for one type and answer the other: ask both, as Windows
           does, and report the name unknown only if no type found anything. */
        if (status == DNS_ERROR_RCODE_NAME_ERROR || status == ERROR_INVALID_NAME ||
            status == DNS_ERROR_INVALID_NAME_CHAR || status == DNS_ERROR_NON_RFC_NAME)
            continue; /* no such name, or one DNS cannot hold */
        if (status == DNS_INFO_NO_RECORDS) no_records = true;
        if (status) {
            failed = failed || status != DNS_INFO_NO_RECORDS;
            continue;
        }
        /* Only the answer section answers (the others hold glue and hints). Its first record
           is owned by the name asked (after any suffix search): the fully qualified name. An
           address may be kept no longer than the CNAME records that lead to it. */
        chain_ttl = UINT_MAX;
        for (r = records; r; r = r->pNext)
            if (r->Flags.S.Section == DnsSectionAnswer && r->wType == DNS_TYPE_CNAME)
                chain_ttl = min(chain_ttl, r->dwTtl);
        for (r = records; r; r = r->pNext) {
            char owner[AI_NAME_MAX];
            if (r->Flags.S.Section != DnsSectionAnswer) continue;
            if (!r->pName || !utf8_from_wide(r->pName, owner, sizeof(owner))) owner[0] = 0;
            if (!c->an->fqdn[0]) lstrcpynA(c->an->fqdn, owner, sizeof(c->an->fqdn));
            if (r->wType != DNS_TYPE_A && r->wType != DNS_TYPE_AAAA) continue;
            c->ttl = min(chain_ttl, r->dwTtl);
            if (r->wType == DNS_TYPE_A)
                collect_address(c, AF_INET, &r->Data.A.IpAddress, 0, owner);
            else
                collect_address(c, AF_INET6, &r->Data.AAAA.Ip6Address, 0, owner);
        }
        c->ttl = 0;
        if (!c->an->count) no_records = true; /* only other records (a CNAME alone) */
        ws_dns_free(records);
    }
    if (c->an->count) return 0;
    if (failed) return EAI_AGAIN;
    if (no_records) return WSANO_DATA;
    /* Nothing of the types asked. The name may still exist with addresses of the other family
       (WSANO_DATA, not WSAHOST_NOT_FOUND): Wine's dnsapi reports a name without records of a
       type as no such name, so the types not asked tell. */
    for (size_t i = 0; i < ARRAY_COUNT(types); i++) {
        PDNS_RECORDW records = NULL;
        if (asked[i] || ws_dns_query(name, types[i], &records)) continue;
        ws_dns_free(records);
        return WSANO_DATA;
    }
    return EAI_NONAME;
}

/*
 * Destination address selection (RFC 6724, section 6), as Windows orders the answers of a name:
 * each destination is paired with the source address this machine would use for it (section
 * 5, reduced to what decides the order: the family, the scope, the longest common prefix), then
 * ordered by the rules that apply without routing or mobility information:
 *   1 destinations with no usable source last; 2 matching scope first; 5 matching label first;
 *   6 higher precedence first; 8 smaller scope first; 9 longest prefix shared with the source
 *   first (IPv6 destinations only); 10 otherwise as found.
 * IPv4 addresses are ::ffff:0:0/96 for the policy table.
 */

/* The address as IPv6 (IPv4 mapped). */
static IN6_ADDR as_ipv6(const SOCKADDR_INET *sa)
{
    IN6_ADDR a;
    if (sa->si_family == AF_INET6) return sa->Ipv6.sin6_addr;
    memset(&a, 0, sizeof(a));
    a.s6_addr[10] = a.s6_addr[11] = 0xff;
    memcpy(&a.s6_addr[12], &sa->Ipv4.sin_addr, 4);
    return a;
}

/* The default policy table: precedence and label of an address. */
static void policy_of(const SOCKADDR_INET *sa, int *prec, int *label)
{
    IN6_ADDR a = as_ipv6(sa);
    const BYTE *b = a.s6_addr;
    static const BYTE zero[12] = {0};

    if (IN6_IS_ADDR_LOOPBACK(&a))
        *prec = 50, *label = 0;
    else if (IN6_IS_ADDR_V4MAPPED(&a))
        *prec = 35, *label = 4;
    else if (b[0] == 0x20 && b[1] == 0x02)
        *prec = 30, *label = 2;
    else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        *prec = 5, *label = 5;
    else if ((b[0] & 0xfe) == 0xfc)
        *prec = 3, *label = 13;
    else if (!memcmp(b, zero, sizeof(zero)))
        *prec = 1, *label = 3; /* ::/96 (compatible) */
    else if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        *prec = 1, *label = 11;
    else if (b[0] == 0x3f && b[1] == 0xfe)
        *prec = 1, *label = 12;
    else
        *prec = 40, *label = 1;
}

/* The scope of an address: smaller is narrower (2 link-local, 5 site-local, 14 global). */
static int scope_of(const SOCKADDR_INET *sa)
{
    const IN6_ADDR *a;
    if (sa->si_family == AF_INET) {
        ULONG v = ntohl(sa->Ipv4.sin_addr.s_addr);
        if ((v >> 24) == 127 || (v >> 16) == 0xa9fe) return 2;
        return 14;
    }
    a = &sa->Ipv6.sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_LINKLOCAL(a)) return 2;
    if (IN6_IS_ADDR_SITELOCAL(a)) return 5;
    if (IN6_IS_ADDR_MULTICAST(a)) return a->s6_addr[1] & 0x0f;
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        SOCKADDR_INET v4;
        memset(&v4, 0, sizeof(v4));
        v4.si_family = AF_INET;
        memcpy(&v4.Ipv4.sin_addr, &a->s6_addr[12], 4);
        return scope_of(&v4);
    }
    return 14;
}

static bool is_loopback(const SOCKADDR_INET *sa)
{
    IN6_ADDR a = as_ipv6(sa);
    return IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
}

/* Bits two addresses share from the start. */
static int common_prefix(const IN6_ADDR *a, const IN6_ADDR *b)
{
    int bits = 0;
    for (int i = 0; i < 16; i++) {
        BYTE x = a->s6_addr[i] ^ b->s6_addr[i];
        if (!x) {
            bits += 8;
            continue;
        }
        while (!(x & 0x80)) x <<= 1, bits++;
        break;
    }
    return bits;
}

/* The machine's addresses a source is chosen from. */
struct sources {
    int count;
    SOCKADDR_INET addrs[AI_MAX_ADDRS];
};

static bool note_source(void *ctx, int family, const void *addr, ULONG scope_id,
                        const char *canonical)
{
    struct sources *src = ctx;
    SOCKADDR_INET *sa;
    (void)canonical;
    if (src->count >= AI_MAX_ADDRS) return false;
    sa = &src->addrs[src->count++];
    memset(sa, 0, sizeof(*sa));
    sa->si_family = (ADDRESS_FAMILY)family;
    if (family == AF_INET)
        memcpy(&sa->Ipv4.sin_addr, addr, sizeof(IN_ADDR));
    else
        memcpy(&sa->Ipv6.sin6_addr, addr, sizeof(IN6_ADDR)), sa->Ipv6.sin6_scope_id = scope_id;
    return true;
}

/* One destination with what the rules compare. */
struct ranked {
    SOCKADDR_INET dest;
    unsigned int ttl;
    bool usable, scope_match, label_match;
    int prec, scope, prefix;
    bool v6;
};

static void rank(struct ranked *r, const struct sources *src)
{
    IN6_ADDR d = as_ipv6(&r->dest);
    bool d_v4 = IN6_IS_ADDR_V4MAPPED(&d);
    int d_label, best = -1, best_key = -1;

    policy_of(&r->dest, &r->prec, &d_label);
    r->scope = scope_of(&r->dest);
    r->v6 = !d_v4;
    r->usable = r->scope_match = r->label_match = false;
    r->prefix = 0;

    /* A loopback destination is reached from the loopback address of its family. */
    if (is_loopback(&r->dest)) {
        r->usable = r->scope_match = r->label_match = true;
        r->prefix = 128;
        return;
    }
    for (int i = 0; i < src->count; i++) {
        IN6_ADDR s = as_ipv6(&src->addrs[i]);
        int scope = scope_of(&src->addrs[i]), key;
        if (IN6_IS_ADDR_V4MAPPED(&s) != d_v4 || is_loopback(&src->addrs[i])) continue;
        /* Source rules 2 (appropriate scope) and 8 (longest prefix), reduced. */
        key = (scope == r->scope ? 2 : scope > r->scope ? 1 : 0) * 256 + common_prefix(&s, &d);
        if (key > best_key) best_key = key, best = i;
    }
    if (best < 0) return;
    {
        IN6_ADDR s = as_ipv6(&src->addrs[best]);
        int s_prec, s_label;
        policy_of(&src->addrs[best], &s_prec, &s_label);
        r->usable = true;
        r->scope_match = scope_of(&src->addrs[best]) == r->scope;
        r->label_match = s_label == d_label;
        r->prefix = common_prefix(&s, &d);
    }
}

/* True if A goes before B. */
static bool ranks_before(const struct ranked *a, const struct ranked *b)
{
    if (a->usable != b->usable) return a->usable;
    if (a->scope_match != b->scope_match) return a->scope_match;
    if (a->label_match != b->label_match) return a->label_match;
    if (a->prec != b->prec) return a->prec > b->prec;
    if (a->scope != b->scope) return a->scope < b->scope;
    if (a->v6 && b->v6 && a->prefix != b->prefix) return a->prefix > b->prefix;
    return false;
}

static void answer_sort(struct ai_answer *an)
{
    struct ranked r[AI_MAX_ADDRS];
    struct sources src;
    bool all_loopback = true;

    if (an->count < 2) return;
    for (int i = 0; i < an->count && all_loopback; i++) all_loopback = is_loopback(&an->addrs[i]);
    src.count = 0;
    /* Only destinations beyond loopback need the machine's addresses. */
    if (!all_loopback) ws_interface_addresses(AF_UNSPEC, note_source, &src);
    for (int i = 0; i < an->count; i++) {
        r[i].dest = an->addrs[i];
        r[i].ttl = an->ttls[i];
        rank(&r[i], &src);
    }
    /* A stable insertion sort: rule 10 keeps the order of equals. */
    for (int i = 1; i < an->count; i++) {
        struct ranked cur = r[i];
        int j = i;
        while (j > 0 && ranks_before(&cur, &r[j - 1])) {
            r[j] = r[j - 1];
            j--;
        }
        r[j] = cur;
    }
    for (int i = 0; i < an->count; i++) an->addrs[i] = r[i].dest, an->ttls[i] = r[i].ttl;
}

/* Keep the addresses of the requested family; IPv4 mapped into IPv6 with AI_V4MAPPED. */
static void answer_filter(const struct ai_request *rq, struct ai_answer *an)
{
    bool any_v6 = false, map;
    int kept = 0;

    for (int i = 0; i < an->count; i++)
        if (an->addrs[i].si_family == AF_INET6) any_v6 = true;
    map = rq->family == AF_INET6 && (rq->flags & AI_V4MAPPED) && (!any_v6 || (rq->flags & AI_ALL));

    for (int i = 0; i < an->count; i++) {
        SOCKADDR_INET sa = an->addrs[i];
        if (rq->family != AF_UNSPEC && rq->family != sa.si_family) {
            IN_ADDR v4 = sa.Ipv4.sin_addr;
            if (!map || sa.si_family != AF_INET) continue;
            memset(&sa, 0, sizeof(sa));
            sa.si_family = AF_INET6;
            sa.Ipv6.sin6_addr.s6_addr[10] = sa.Ipv6.sin6_addr.s6_addr[11] = 0xff;
            memcpy(&sa.Ipv6.sin6_addr.s6_addr[12], &v4, sizeof(v4));
        }
        kept = answer_keep(an, kept, &sa, an->ttls[i]);
    }
    an->count = kept;
}

/* A numeric host: dotted IPv4 (the forms inet_addr reads) or IPv6 (brackets, scope and a
   trailing port allowed; the port is ignored). */
static bool parse_numeric(const char *node, struct ai_answer *an)
{
    IN_ADDR v4;
    LPSTR end;
    SOCKADDR_IN6 v6;
    INT len = sizeof(v6);
    char copy[AI_NAME_MAX];
    int saved = WSAGetLastError();

    if (!RtlIpv4StringToAddressA(node, FALSE, &end, &v4) && !*end) {
        answer_add(an, AF_INET, &v4, 0, 0);
        return true;
    }
    if (!strchr(node, ':')) return false;
    lstrcpynA(copy, node, sizeof(copy));
    memset(&v6, 0, sizeof(v6));
    if (WSAStringToAddressA(copy, AF_INET6, NULL, (SOCKADDR *)&v6, &len)) {
        WSASetLastError(saved);
        return false;
    }
    answer_add(an, AF_INET6, &v6.sin6_addr, v6.sin6_scope_id, 0);
    return true;
}

/* Whether the result names the host (the answer's names are only filled in then). */
static bool names_wanted(const struct ai_request *rq)
{
    return rq->flags & (AI_CANONNAME | AI_FQDN);
}

static int resolve_node(const struct ai_request *rq, struct ai_answer *an)
{
    struct collect c = {an, false, 0};
    bool numeric = false, local = false;
    int unknown = EAI_NONAME; /* the error when nothing is found */

    an->count = 0;
    an->canonical[0] = an->fqdn[0] = 0;
    an->from_hosts = false;
    if (!rq->has_node) {
        static const IN_ADDR any4 = {{{0}}}, loop4 = {{{127, 0, 0, 1}}};
        IN6_ADDR any6, loop6;
        memset(&any6, 0, sizeof(any6));
        loop6 = any6;
        loop6.s6_addr[15] = 1;
        if (rq->flags & AI_PASSIVE) {
            answer_add(an, AF_INET6, &any6, 0, 0);
            answer_add(an, AF_INET, &any4, 0, 0);
        } else {
            answer_add(an, AF_INET6, &loop6, 0, 0);
            answer_add(an, AF_INET, &loop4, 0, 0);
        }
        numeric = true;
    } else if (parse_numeric(rq->node, an)) {
        if (names_wanted(rq)) lstrcpynA(an->canonical, rq->node, sizeof(an->canonical));
        numeric = true;
    } else if (rq->flags & AI_NUMERICHOST) {
        return EAI_NONAME;
    } else if (!rq->node[0] || ws_is_local_name(rq->node)) {
        ws_local_addresses(rq->node, AF_UNSPEC, collect_address, &c);
        local = true;
    } else if (!ws_hosts_lookup_name(rq->node, AF_UNSPEC, collect_address, &c)) {
        /* A name ending in the root's dot is the same name to the hosts file. */
        size_t len = strlen(rq->node);
        if (len > 1 && rq->node[len - 1] == '.' && rq->node[len - 2] != '.') {
            char bare[AI_NAME_MAX];
            lstrcpynA(bare, rq->node, (int)len);
            ws_hosts_lookup_name(bare, AF_UNSPEC, collect_address, &c);
        }
        an->from_hosts = an->count != 0;
        if (!an->count) unknown = dns_lookup(rq, &c);
    } else {
        an->from_hosts = true;
    }
    if (!an->count) return unknown;
    if (names_wanted(rq)) {
        if (!c.named && !an->canonical[0])
            lstrcpynA(an->canonical, rq->node, sizeof(an->canonical));
        /* The local databases know each name by its official one, which is both. */
        if (!an->fqdn[0]) lstrcpynA(an->fqdn, an->canonical, sizeof(an->fqdn));
    }

    answer_filter(rq, an);
    if (an->count && (rq->flags & AI_ADDRCONFIG) && !numeric && !local) {
        struct configured cf = {false, false, false};
        int kept = 0;
        ws_local_addresses(NULL, AF_UNSPEC, note_configured, &cf);
        for (int i = 0; i < an->count; i++) {
            const SOCKADDR_INET *sa = &an->addrs[i];
            bool mapped = sa->si_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&sa->Ipv6.sin6_addr);
            /* "Only if a global address is configured": loopback and link-local do not count. */
            if (sa->si_family == AF_INET || mapped ? cf.v4 : cf.v6_global)
                kept = answer_keep(an, kept, sa, an->ttls[i]);
        }
        an->count = kept;
    }
    /* The name is known, but not with an address of the family asked for. */
    if (!an->count) return numeric ? EAI_NONAME : WSANO_DATA;
    /* Literals and the no-node answers keep their fixed order. */
    if (!numeric) answer_sort(an);
    return 0;
}

/* ---- laying out the result ---- */

static size_t node_struct_size(const struct ai_request *rq)
{
    if (rq->shape == SHAPE_PLAIN) return sizeof(ADDRINFOW);
    if (!rq->ex_version) return sizeof(ADDRINFOEXW);
    return sizeof(ADDRINFOEXW) + sizeof(struct addrinfoex_tail);
}

/* Whether NODE is a node build_list made: readable, its address stored right after the
   structure (and the extended fields), in the same block. *TAIL receives the extended fields of
   a node that has them, else NULL. */
static bool our_node(const void *node, enum ai_shape shape, const struct addrinfoex_tail **tail)
{
    size_t size = shape == SHAPE_PLAIN ? sizeof(ADDRINFOW) : sizeof(ADDRINFOEXW);
    const BYTE *addr;

    *tail = NULL;
    if (!ws_readable(node, size)) return false;
    addr = shape == SHAPE_PLAIN ? (const BYTE *)((const ADDRINFOW *)node)->ai_addr
                                : (const BYTE *)((const ADDRINFOEXW *)node)->ai_addr;
    if (addr == (const BYTE *)node + ((size + 7) & ~(size_t)7)) return true;
    if (shape != SHAPE_EX ||
        addr != (const BYTE *)node + ((size + sizeof(**tail) + 7) & ~(size_t)7) ||
        !ws_readable((const ADDRINFOEXW *)node + 1, sizeof(**tail)))
        return false;
    *tail = (const struct addrinfoex_tail *)((const ADDRINFOEXW *)node + 1);
    return true;
}

/*
 * Frees a list this file built. The free functions report nothing, so a pointer that is not
 * such a list (unreadable, or not a node of ours) ends the walk instead of crashing or
 * corrupting the heap. The check needs no heap lock: it is on every freeaddrinfo.
 */
static void free_list(void *list, enum ai_shape shape)
{
    const struct addrinfoex_tail *tail;

    while (list && our_node(list, shape, &tail)) {
        void *next = shape == SHAPE_PLAIN ? (void *)((ADDRINFOW *)list)->ai_next
                                          : (void *)((ADDRINFOEXW *)list)->ai_next;
        if (tail && tail->ai_version >= 4 && tail->ai_resolutionhandle)
            ws_nameres_release(tail->ai_resolutionhandle);
        HeapFree(GetProcessHeap(), 0, list);
        list = next;
    }
}

/* The answer as a list of the request's shape; NULL if out of memory. */
static void *build_list(const struct ai_request *rq, const struct ai_answer *an)
{
    void *head = NULL, **link = &head;
    size_t base = node_struct_size(rq);
    /* ai_canonname holds the canonical name, or with AI_FQDN alone the fully qualified one;
       the extended shapes give the fully qualified name in ai_fqdn too. */
    const char *first_name = (rq->flags & AI_CANONNAME) ? an->canonical
                             : (rq->flags & AI_FQDN)    ? an->fqdn
                                                        : NULL;
    bool want_fqdn = rq->ex_version >= 2 && (rq->flags & AI_FQDN);
    HANDLE context = NULL;

    /* One context for the answer, a reference for each node. */
    if (rq->ex_version >= 4 && (rq->flags & AI_RESOLUTION_HANDLE_) &&
        !(context = ws_nameres_open(an->count)))
        return NULL;
    for (int i = 0; i < an->count; i++) {
        const SOCKADDR_INET *sa = &an->addrs[i];
        size_t salen = sa->si_family == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6);
        size_t name_len = (i == 0 && first_name) ? name_bytes(first_name, rq->wide) : 0;
        size_t fqdn_len = (i == 0 && want_fqdn) ? name_bytes(an->fqdn, rq->wide) : 0;
        size_t addr_off = (base + 7) & ~(size_t)7;
        BYTE *block =
            HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, addr_off + salen + name_len + fqdn_len);
        SOCKADDR *addr;
        void *name = NULL, *fqdn = NULL;

        if (!block) {
            free_list(head, rq->shape);
            for (int j = i; context && j < an->count; j++) ws_nameres_release(context);
            return NULL;
        }
        addr = (SOCKADDR *)(block + addr_off);
        memcpy(addr, sa, salen);
        if (sa->si_family == AF_INET)
            ((SOCKADDR_IN *)addr)->sin_port = rq->port;
        else
            ((SOCKADDR_IN6 *)addr)->sin6_port = rq->port;
        if (name_len) {
            name = block + addr_off + salen;
            name_store(first_name, rq->wide, name, name_len);
        }
        if (fqdn_len) {
            fqdn = block + addr_off + salen + name_len;
            name_store(an->fqdn, rq->wide, fqdn, fqdn_len);
        }
        if (rq->shape == SHAPE_PLAIN) {
            ADDRINFOW *ai = (ADDRINFOW *)block;
            ai->ai_family = sa->si_family;
            ai->ai_socktype = rq->socktype;
            ai->ai_protocol = rq->protocol;
            ai->ai_addrlen = salen;
            ai->ai_addr = addr;
            ai->ai_canonname = name;
            *link = ai;
            link = (void **)&ai->ai_next;
        } else {
            ADDRINFOEXW *ai = (ADDRINFOEXW *)block;
            ai->ai_family = sa->si_family;
            ai->ai_socktype = rq->socktype;
            ai->ai_protocol = rq->protocol;
            ai->ai_addrlen = salen;
            ai->ai_addr = addr;
            ai->ai_canonname = name;
            if (rq->ex_version) {
                struct addrinfoex_tail *tail = (struct addrinfoex_tail *)(ai + 1);
                ai->ai_flags = AI_EXTENDED_;
                tail->ai_version = rq->ex_version;
                tail->ai_fqdn = fqdn;
                tail->ai_resolutionhandle = context;
                tail->ai_ttl = rq->ex_version >= 5 ? an->ttls[i] : 0;
                if (rq->ex_version >= 6 && an->from_hosts)
                    tail->ai_responseflags = AI_DNS_RESPONSE_HOSTFILE_;
            }
            *link = ai;
            link = (void **)&ai->ai_next;
        }
    }
    return head;
}

/* Resolve a validated request into a list of its shape: 0, or the error. */
static int run_request(const struct ai_request *rq, void **list)
{
    struct ai_answer *an = HeapAlloc(GetProcessHeap(), 0, sizeof(*an));
    int err;

    *list = NULL;
    if (!an) return EAI_MEMORY;
    err = resolve_node(rq, an);
    /* The canonical name of the UTF-16 forms is given in Unicode. */
    if (!err && idn_applies(rq) && names_wanted(rq)) {
        idn_decode(an->canonical, sizeof(an->canonical));
        idn_decode(an->fqdn, sizeof(an->fqdn));
    }
    if (!err && !(*list = build_list(rq, an))) err = EAI_MEMORY;
    HeapFree(GetProcessHeap(), 0, an);
    return err;
}

/* ---- argument intake shared by every form ---- */

/* Node, service and hints into RQ (SHAPE and wide set by the caller); 0 or the error. */
static int take_request(const void *node, const void *service, const struct hints_view *hints,
                        int allowed, struct ai_request *rq)
{
    char serv[256];
    int err = 0;

    rq->has_node = node != NULL;
    if (node && !take_string(node, rq->wide, rq->node, sizeof(rq->node), &err)) return err;
    if (service && !take_string(service, rq->wide, serv, sizeof(serv), &err))
        return err == EAI_NONAME ? EAI_SERVICE : err;
    if (!node && !service) return EAI_NONAME;
    if (hints && (err = check_hints(hints, rq, allowed))) return err;
    if (service && (err = resolve_service(serv, rq))) return err;
    return 0;
}

static int ai_return(int err)
{
    SetLastError(err);
    return err;
}

/* getaddrinfo and GetAddrInfoW: the same structure layout, ANSI or UTF-16 names. */
static int plain_getaddrinfo(const void *node, const void *service, const ADDRINFOW *hints,
                             ADDRINFOW **res, bool wide)
{
    struct ai_request rq;
    struct hints_view hv;
    void *list;
    int err;

    if (!ws_started()) {
        if (ws_writable(res, sizeof(*res))) *res = NULL;
        return ai_return(WSANOTINITIALISED);
    }
    if (!ws_writable(res, sizeof(*res))) return ai_return(WSAEFAULT);
    *res = NULL;
    memset(&rq, 0, sizeof(rq));
    rq.shape = SHAPE_PLAIN;
    rq.wide = wide;
    if (hints) {
        if (!ws_readable(hints, sizeof(*hints))) return ai_return(WSAEFAULT);
        hv = (struct hints_view){hints->ai_flags,    hints->ai_family,  hints->ai_socktype,
                                 hints->ai_protocol, hints->ai_addrlen, hints->ai_canonname,
                                 hints->ai_addr,     hints->ai_next};
    }
    if ((err = take_request(node, service, hints ? &hv : NULL, AI_FLAGS_PLAIN, &rq)))
        return ai_return(err);
    if ((err = run_request(&rq, &list))) return ai_return(err);
    *res = list;
    return ai_return(0);
}

int WSAAPI getaddrinfo(const char *nodename, const char *servname, const struct addrinfo *hints,
                       struct addrinfo **res)
{
    return plain_getaddrinfo(nodename, servname, (const ADDRINFOW *)hints, (ADDRINFOW **)res,
                             false);
}

int WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                        PADDRINFOW *ppResult)
{
    return plain_getaddrinfo(pNodeName, pServiceName, pHints, ppResult, true);
}

void WSAAPI freeaddrinfo(LPADDRINFO pAddrInfo)
{
    free_list(pAddrInfo, SHAPE_PLAIN);
}

void WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo)
{
    free_list(pAddrInfo, SHAPE_PLAIN);
}

void WSAAPI FreeAddrInfoEx(PADDRINFOEXA pAddrInfo)
{
    free_list(pAddrInfo, SHAPE_EX);
}

void WSAAPI FreeAddrInfoExW(PADDRINFOEXW pAddrInfo)
{
    free_list(pAddrInfo, SHAPE_EX);
}

/* ---- GetAddrInfoEx: asynchronous queries ---- */

enum { QUERY_PENDING, QUERY_DONE };

struct ai_query {
    struct ai_query *next;
    HANDLE id;
    LONG state; /* under query_lock */
    struct ai_request rq;
    void **result;
    OVERLAPPED *overlapped;
    LPLOOKUPSERVICE_COMPLETION_ROUTINE routine;
    HANDLE timer;
};

static SRWLOCK query_lock = SRWLOCK_INIT;
static struct ai_query *query_list;
static volatile LONG query_ids;

/* Complete QUERY once: the first of the worker, the timeout and a cancel wins; a later
   attempt only drops its LIST. */
static void query_finish(struct ai_query *q, int err, void *list)
{
    struct ai_query **p;
    void **result;
    OVERLAPPED *ov;
    LPLOOKUPSERVICE_COMPLETION_ROUTINE routine;
    enum ai_shape shape = q->rq.shape;

    AcquireSRWLockExclusive(&query_lock);
    if (q->state != QUERY_PENDING) {
        ReleaseSRWLockExclusive(&query_lock);
        free_list(list, shape);
        return;
    }
    q->state = QUERY_DONE;
    for (p = &query_list; *p; p = &(*p)->next)
        if (*p == q) {
            *p = q->next;
            break;
        }
    result = q->result;
    ov = q->overlapped;
    routine = q->routine;
    ReleaseSRWLockExclusive(&query_lock);

    if (!ws_started()) {
        /* The final WSACleanup has begun: it cancels the queries without a word, and one that
           ends while it runs ends the same way. */
        free_list(list, shape);
        *result = NULL;
        ov->Internal = WSA_E_CANCELLED;
        return;
    }

    *result = list;
    ov->Internal = (ULONG_PTR)(LONG_PTR)err;
    if (routine)
        ((ai_completion_fn)routine)((DWORD)err, 0, ov);
    else if (ov->hEvent)
        SetEvent(ov->hEvent);
}

static void CALLBACK query_timeout(void *ctx, BOOLEAN fired)
{
    (void)fired;
    query_finish(ctx, WSAETIMEDOUT, NULL);
}

static DWORD WINAPI query_worker(void *ctx)
{
    struct ai_query *q = ctx;
    void *list;
    int err = run_request(&q->rq, &list);

    query_finish(q, err, list);
    /* Wait out a timer callback that may be running, then the query is ours alone. */
    if (q->timer) DeleteTimerQueueTimer(NULL, q->timer, INVALID_HANDLE_VALUE);
    HeapFree(GetProcessHeap(), 0, q);
    return 0;
}

static int query_start(const struct ai_request *rq, void **result, const struct timeval *timeout,
                       OVERLAPPED *ov, LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, HANDLE *handle)
{
    struct ai_query *q = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*q));
    HANDLE thread;

    if (!q) return EAI_MEMORY;
    q->rq = *rq;
    q->result = result;
    q->overlapped = ov;
    q->routine = routine;
    q->state = QUERY_PENDING;
    q->id = (HANDLE)(ULONG_PTR)(ULONG)InterlockedIncrement(&query_ids);
    ov->Internal = WSAEINPROGRESS;
    ov->Pointer = result;
    if (handle) *handle = q->id;

    AcquireSRWLockExclusive(&query_lock);
    q->next = query_list;
    query_list = q;
    ReleaseSRWLockExclusive(&query_lock);
    ws_note_cleanup_work();

    if (timeout) {
        DWORD ms = (DWORD)timeout->tv_sec * 1000 + (DWORD)timeout->tv_usec / 1000;
        if (!CreateTimerQueueTimer(&q->timer, NULL, query_timeout, q, ms, 0, WT_EXECUTEONLYONCE))
            q->timer = NULL;
    }
    thread = CreateThread(NULL, 0, query_worker, q, 0, NULL);
    if (!thread) {
        /* Nothing runs the query: complete it here as failed, then forget it. */
        query_finish(q, EAI_MEMORY, NULL);
        if (q->timer) DeleteTimerQueueTimer(NULL, q->timer, INVALID_HANDLE_VALUE);
        HeapFree(GetProcessHeap(), 0, q);
        return WSA_IO_PENDING;
    }
    CloseHandle(thread);
    return WSA_IO_PENDING;
}

INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle)
{
    struct ai_query *q, **p;
    void **result;
    OVERLAPPED *ov;
    LPLOOKUPSERVICE_COMPLETION_ROUTINE routine;

    if (!ws_readable(lpHandle, sizeof(*lpHandle))) return ai_return(WSA_INVALID_HANDLE);
    /* A query still listed is still pending; unlisting it under the lock turns the worker's
       later completion into a no-op, and the worker frees the query only after that. */
    AcquireSRWLockExclusive(&query_lock);
    for (p = &query_list; (q = *p); p = &q->next)
        if (q->id == *lpHandle) break;
    if (!q) {
        ReleaseSRWLockExclusive(&query_lock);
        return ai_return(WSA_INVALID_HANDLE);
    }
    *p = q->next;
    q->state = QUERY_DONE;
    result = q->result;
    ov = q->overlapped;
    routine = q->routine;
    ReleaseSRWLockExclusive(&query_lock);

    *result = NULL;
    ov->Internal = WSA_E_CANCELLED;
    if (routine)
        ((ai_completion_fn)routine)(WSA_E_CANCELLED, 0, ov);
    else if (ov->hEvent)
        SetEvent(ov->hEvent);
    return 0;
}

/* The final WSACleanup: every query still pending ends as cancelled, without its event set or
   its completion routine run (the WSACleanup page); its worker's later completion is a no-op. */
void ws_addrinfo_cleanup(void)
{
    struct ai_query *list;

    AcquireSRWLockExclusive(&query_lock);
    list = query_list;
    query_list = NULL;
    for (struct ai_query *q = list; q; q = q->next) {
        q->state = QUERY_DONE;
        *q->result = NULL;
        q->overlapped->Internal = WSA_E_CANCELLED;
    }
    ReleaseSRWLockExclusive(&query_lock);
}

INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped)
{
    if (!lpOverlapped || !ws_readable(lpOverlapped, sizeof(*lpOverlapped))) return WSAEINVAL;
    return (INT)lpOverlapped->Internal;
}

/* ---- GetAddrInfoExA/W ---- */

static int ex_getaddrinfo(const void *name, const void *service, DWORD ns, const GUID *nsp,
                          const ADDRINFOEXW *hints, ADDRINFOEXW **result,
                          const struct timeval *timeout, OVERLAPPED *ov,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, HANDLE *handle, bool wide)
{
    struct ai_request rq;
    struct hints_view hv;
    void *list;
    int err;

    if (!ws_started()) return ai_return(WSANOTINITIALISED);
    if (!ws_writable(result, sizeof(*result))) return ai_return(WSAEFAULT);
    *result = NULL;
    if (ns != NS_ALL && ns != NS_DNS) return ai_return(WSAEINVAL);
    if (nsp) return ai_return(WSAEINVAL);
    /* The ANSI form has no asynchronous use: these parameters are reserved there. */
    if (!wide && (timeout || ov || routine || handle)) return ai_return(WSAEINVAL);
    if (ov && !ws_writable(ov, sizeof(*ov))) return ai_return(WSAEFAULT);
    if (routine && (!ov || ov->hEvent)) return ai_return(WSAEINVAL);
    /* A timeout needs an asynchronous query; a cancel handle is only filled in for one. */
    if (timeout && !ov) return ai_return(WSAEINVAL);
    if (!ov) handle = NULL;
    if (timeout) {
        if (!ws_readable(timeout, sizeof(*timeout))) return ai_return(WSAEFAULT);
        if (timeout->tv_sec < 0 || timeout->tv_usec < 0) return ai_return(WSAEINVAL);
    }
    if (handle && !ws_writable(handle, sizeof(*handle))) return ai_return(WSAEFAULT);

    memset(&rq, 0, sizeof(rq));
    rq.shape = SHAPE_EX;
    rq.wide = wide;
    if (hints) {
        if (!ws_readable(hints, sizeof(*hints))) return ai_return(WSAEFAULT);
        hv = (struct hints_view){hints->ai_flags,    hints->ai_family,  hints->ai_socktype,
                                 hints->ai_protocol, hints->ai_addrlen, hints->ai_canonname,
                                 hints->ai_addr,     hints->ai_next};
        if (hints->ai_flags & AI_EXTENDED_) {
            const struct addrinfoex_tail *tail = (const struct addrinfoex_tail *)(hints + 1);
            if (!ws_readable(tail, sizeof(tail->ai_version))) return ai_return(WSAEFAULT);
            if (tail->ai_version < 2 || tail->ai_version > EX_VERSION_MAX)
                return ai_return(WSAEINVAL);
            rq.ex_version = tail->ai_version;
            /* ADDRINFOEX6 hints may name custom DNS servers (Windows 11), which this resolver
               cannot ask: refused rather than answered from other servers. */
            if (rq.ex_version >= 6) {
                if (!ws_readable(tail, sizeof(*tail))) return ai_return(WSAEFAULT);
                if (tail->ai_numservers || tail->ai_servers) return ai_return(WSAEINVAL);
            }
        }
    }
    if ((err = take_request(name, service, hints ? &hv : NULL, AI_FLAGS_EX, &rq)))
        return ai_return(err);
    /* The result shape is the newest of the hints' and the one the flags need: ADDRINFOEX2 for
       both names, ADDRINFOEX4 for a resolution handle, ADDRINFOEX5 for the TTLs, ADDRINFOEX6
       for the response flags. */
    if ((rq.flags & AI_CANONNAME) && (rq.flags & AI_FQDN)) rq.ex_version = max(rq.ex_version, 2);
    if (rq.flags & AI_RESOLUTION_HANDLE_) rq.ex_version = max(rq.ex_version, 4);
    if (rq.flags & AI_RETURN_TTL_) rq.ex_version = max(rq.ex_version, 5);
    if (rq.flags & AI_RETURN_RESPONSE_FLAGS_) rq.ex_version = max(rq.ex_version, 6);
    /* Only custom DNS servers could be used exclusively, and none can be given. */
    if (rq.flags & AI_EXCLUSIVE_CUSTOM_SERVERS_) return ai_return(WSAEINVAL);
    if (ov) return ai_return(query_start(&rq, (void **)result, timeout, ov, routine, handle));
    if ((err = run_request(&rq, &list))) return ai_return(err);
    *result = list;
    return ai_return(0);
}

int WSAAPI GetAddrInfoExA(PCSTR pName, PCSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId,
                          const ADDRINFOEXA *pHints, PADDRINFOEXA *ppResult, PTIMEVAL timeout,
                          LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                          LPHANDLE lpNameHandle)
{
    return ex_getaddrinfo(pName, pServiceName, dwNameSpace, lpNspId, (const ADDRINFOEXW *)pHints,
                          (ADDRINFOEXW **)ppResult, timeout, lpOverlapped, lpCompletionRoutine,
                          lpNameHandle, false);
}

int WSAAPI GetAddrInfoExW(PCWSTR pName, PCWSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId,
                          const ADDRINFOEXW *pHints, PADDRINFOEXW *ppResult, PTIMEVAL timeout,
                          LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                          LPHANDLE lpNameHandle)
{
    return ex_getaddrinfo(pName, pServiceName, dwNameSpace, lpNspId, pHints, ppResult, timeout,
                          lpOverlapped, lpCompletionRoutine, lpNameHandle, true);
}

/* SetAddrInfoEx registers a name with a namespace provider; no provider here takes
   registrations, so a well-formed request finds no service to register with. */
static int set_addrinfo(const void *name, DWORD ns, const GUID *nsp, LPOVERLAPPED ov,
                        LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, const struct timeval *timeout,
                        HANDLE *handle)
{
    if (!ws_started()) return ai_return(WSANOTINITIALISED);
    if (!name) return ai_return(WSAEINVAL);
    if ((routine || timeout || handle) && !ov) return ai_return(WSAEINVAL);
    (void)ns;
    (void)nsp;
    return ai_return(WSASERVICE_NOT_FOUND);
}

int WSAAPI SetAddrInfoExA(PCSTR pName, PCSTR pServiceName, SOCKET_ADDRESS *pAddresses,
                          DWORD dwAddressCount, LPBLOB lpBlob, DWORD dwFlags, DWORD dwNameSpace,
                          LPGUID lpNspId, PTIMEVAL timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                          LPHANDLE lpNameHandle)
{
    (void)pServiceName, (void)pAddresses, (void)dwAddressCount, (void)lpBlob, (void)dwFlags;
    return set_addrinfo(pName, dwNameSpace, lpNspId, lpOverlapped, lpCompletionRoutine, timeout,
                        lpNameHandle);
}

int WSAAPI SetAddrInfoExW(PCWSTR pName, PCWSTR pServiceName, SOCKET_ADDRESS *pAddresses,
                          DWORD dwAddressCount, LPBLOB lpBlob, DWORD dwFlags, DWORD dwNameSpace,
                          LPGUID lpNspId, PTIMEVAL timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                          LPHANDLE lpNameHandle)
{
    (void)pServiceName, (void)pAddresses, (void)dwAddressCount, (void)lpBlob, (void)dwFlags;
    return set_addrinfo(pName, dwNameSpace, lpNspId, lpOverlapped, lpCompletionRoutine, timeout,
                        lpNameHandle);
}

/* ---- getnameinfo and GetNameInfoW ---- */

#define NI_FLAGS_ALL (NI_NOFQDN | NI_NUMERICHOST | NI_NAMEREQD | NI_NUMERICSERV | NI_DGRAM)

/* VALUE in decimal, terminated (at most 11 bytes). */
static void put_decimal(char *out, ULONG value)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) *out++ = digits[--n];
    *out = 0;
}

/* The numeric text of an address: IPv6 with "%scope" when it has one. */
static void numeric_host(const SOCKADDR_INET *sa, char *out, size_t size)
{
    if (sa->si_family == AF_INET) {
        inet_ntop(AF_INET, &sa->Ipv4.sin_addr, out, size);
        return;
    }
    inet_ntop(AF_INET6, &sa->Ipv6.sin6_addr, out, size);
    if (sa->Ipv6.sin6_scope_id) {
        size_t len = strlen(out);
        if (len + 12 <= size) {
            out[len] = '%';
            put_decimal(out + len + 1, sa->Ipv6.sin6_scope_id);
        }
    }
}

/* The host part into HOST (UTF-8): 0 or the error. */
static int name_of_host(const SOCKADDR_INET *sa, int flags, char *host, size_t size)
{
    const void *addr = sa->si_family == AF_INET ? (const void *)&sa->Ipv4.sin_addr
                                                : (const void *)&sa->Ipv6.sin6_addr;
    if (!(flags & NI_NUMERICHOST)) {
        int err;
        if (ws_hosts_lookup_addr(sa->si_family, addr, host, size)) return 0;
        if (ws_is_local_address(sa->si_family, addr)) {
            COMPUTER_NAME_FORMAT f =
                (flags & NI_NOFQDN) ? ComputerNameDnsHostname : ComputerNameDnsFullyQualified;
            if (ws_local_host_name(f, host, size) && *host) return 0;
        }
        /* Then DNS, by the address's PTR record. */
        if (!(err = ws_dns_reverse(sa->si_family, addr, host, size))) return 0;
        if (flags & NI_NAMEREQD) return err == WSATRY_AGAIN ? EAI_AGAIN : EAI_NONAME;
    }
    numeric_host(sa, host, size);
    return 0;
}

static void name_of_service(const SOCKADDR_INET *sa, int flags, char *serv, size_t size)
{
    USHORT port = sa->si_family == AF_INET ? sa->Ipv4.sin_port : sa->Ipv6.sin6_port;
    if (!(flags & NI_NUMERICSERV) &&
        ws_services_name(port, (flags & NI_DGRAM) ? "udp" : "tcp", serv, size, NULL, 0))
        return;
    if (size >= 6) put_decimal(serv, ntohs(port));
}

/* Store UTF-8 TEXT into the caller's buffer of COUNT characters; false if it does not fit. */
static bool put_out(const char *text, void *out, DWORD count, bool wide)
{
    WCHAR w[NI_MAXHOST];
    int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, w, ARRAY_COUNT(w));
    if (n <= 0) return false;
    if (wide) {
        if ((DWORD)n > count) return false;
        memcpy(out, w, (size_t)n * sizeof(WCHAR));
        return true;
    }
    n = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0 || (DWORD)n > count) return false;
    WideCharToMultiByte(CP_ACP, 0, w, -1, out, (int)count, NULL, NULL);
    return true;
}

static int nameinfo(const SOCKADDR *sa, socklen_t salen, void *host, DWORD hostlen, void *serv,
                    DWORD servlen, int flags, bool wide)
{
    size_t unit = wide ? sizeof(WCHAR) : 1;
    DWORD saved_error = GetLastError(); /* success leaves the last error alone */
    SOCKADDR_INET addr;
    char host_text[NI_MAXHOST], serv_text[NI_MAXSERV];
    int len, err;

    if (!ws_started()) return ai_return(WSANOTINITIALISED);
    if (!sa || salen < (socklen_t)sizeof(sa->sa_family) || !ws_readable(sa, sizeof(sa->sa_family)))
        return ai_return(WSAEFAULT);
    if (!(len = ws_sockaddr_len(sa->sa_family))) return ai_return(EAI_FAMILY);
    if (salen < len || !ws_readable(sa, (size_t)len)) return ai_return(WSAEFAULT);
    if (!host && !serv) return ai_return(EAI_NONAME);
    if ((host && !hostlen) || (serv && !servlen)) return ai_return(EAI_BADFLAGS);
    if (flags & ~NI_FLAGS_ALL) return ai_return(EAI_BADFLAGS);
    if (host && !ws_writable(host, hostlen * unit)) return ai_return(WSAEFAULT);
    if (serv && !ws_writable(serv, servlen * unit)) return ai_return(WSAEFAULT);

    memset(&addr, 0, sizeof(addr));
    memcpy(&addr, sa, (size_t)len);
    if (host) {
        if ((err = name_of_host(&addr, flags, host_text, sizeof(host_text)))) return ai_return(err);
        if (wide) idn_decode(host_text, sizeof(host_text)); /* GetNameInfoW names in Unicode */
        if (!put_out(host_text, host, hostlen, wide)) return ai_return(WSAEFAULT);
    }
    if (serv) {
        name_of_service(&addr, flags, serv_text, sizeof(serv_text));
        if (!put_out(serv_text, serv, servlen, wide)) return ai_return(WSAEFAULT);
    }
    SetLastError(saved_error);
    return 0;
}

int WSAAPI getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, DWORD hostlen,
                       char *serv, DWORD servlen, int flags)
{
    return nameinfo(sa, salen, host, hostlen, serv, servlen, flags, false);
}

INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer,
                        DWORD NodeBufferSize, PWCHAR pServiceBuffer, DWORD ServiceBufferSize,
                        INT Flags)
{
    return nameinfo(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer,
                    ServiceBufferSize, Flags, true);
}
