/*
 * DNS through dnsapi.dll: the one place that loads it and asks it, for the forward lookups of
 * the getaddrinfo family and the reverse (PTR) lookups of gethostbyaddr and getnameinfo.
 */
#include "dns.h"
#include "db.h"
#include <string.h>

typedef DNS_STATUS(WINAPI *dns_query_fn)(PCWSTR name, WORD type, DWORD options, PIP4_ARRAY servers,
                                         PDNS_RECORDW *results, PVOID *reserved);
typedef VOID(WINAPI *dns_free_fn)(PVOID data, DNS_FREE_TYPE type);
static dns_query_fn dns_query;
static dns_free_fn dns_free;
static INIT_ONCE dns_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK dns_load(PINIT_ONCE once, void *param, void **ctx)
{
    HMODULE module = LoadLibraryW(L"dnsapi.dll");
    (void)once, (void)param, (void)ctx;
    if (module) {
        dns_free = (dns_free_fn)(void *)GetProcAddress(module, "DnsFree");
        if (dns_free) dns_query = (dns_query_fn)(void *)GetProcAddress(module, "DnsQuery_W");
    }
    return TRUE;
}

DNS_STATUS ws_dns_query(const WCHAR *name, WORD type, DNS_RECORDW **records)
{
    /* The servers configured in the registry, as Windows reads them; else the resolver's. */
    struct {
        IP4_ARRAY array;
        IP4_ADDRESS more[7];
    } servers;

    *records = NULL;
    InitOnceExecuteOnce(&dns_once, dns_load, NULL, NULL);
    if (!dns_query) return DNS_ERROR_NO_DNS_SERVERS;
    servers.array.AddrCount = (DWORD)ws_dns_servers(servers.array.AddrArray, 8);
    /* The hosts file was read before DNS is asked. */
    return dns_query(name, type, DNS_QUERY_NO_NETBT | DNS_QUERY_NO_HOSTS_FILE,
                     servers.array.AddrCount ? &servers.array : NULL, records, NULL);
}

void ws_dns_free(DNS_RECORDW *records)
{
    if (records && dns_free) dns_free(records, DnsFreeRecordList);
}

/* The reverse-lookup name of ADDR: "d.c.b.a.in-addr.arpa", or the 32 nibbles of an IPv6
   address, last first, then "ip6.arpa". */
static void reverse_name(int family, const void *addr, WCHAR *out)
{
    static const WCHAR hex[] = L"0123456789abcdef";
    const BYTE *b = addr;
    WCHAR *p = out;

    if (family == AF_INET) {
        for (int i = 3; i >= 0; i--) {
            int v = b[i];
            if (v >= 100) *p++ = (WCHAR)('0' + v / 100);
            if (v >= 10) *p++ = (WCHAR)('0' + v / 10 % 10);
            *p++ = (WCHAR)('0' + v % 10);
            *p++ = '.';
        }
        wcscpy(p, L"in-addr.arpa");
        return;
    }
    for (int i = 15; i >= 0; i--) {
        *p++ = hex[b[i] & 0xf];
        *p++ = '.';
        *p++ = hex[b[i] >> 4];
        *p++ = '.';
    }
    wcscpy(p, L"ip6.arpa");
}

int ws_dns_reverse(int family, const void *addr, char *out, size_t out_size)
{
    WCHAR name[80];
    DNS_RECORDW *records, *r;
    DNS_STATUS status;
    int err = WSANO_DATA;

    if (family != AF_INET && family != AF_INET6) return WSAHOST_NOT_FOUND;
    reverse_name(family, addr, name);
    status = ws_dns_query(name, DNS_TYPE_PTR, &records);
    if (status == DNS_ERROR_RCODE_NAME_ERROR || status == DNS_ERROR_NO_DNS_SERVERS)
        return WSAHOST_NOT_FOUND;
    if (status == DNS_INFO_NO_RECORDS) return WSANO_DATA;
    if (status) return WSATRY_AGAIN;
    for (r = records; r; r = r->pNext) {
        if (r->wType != DNS_TYPE_PTR || !r->Data.PTR.pNameHost) continue;
        if (WideCharToMultiByte(CP_UTF8, 0, r->Data.PTR.pNameHost, -1, out, (int)out_size, NULL,
                                NULL) > 0 &&
            *out) {
            size_t len = strlen(out);
            if (len > 1 && out[len - 1] == '.') out[len - 1] = 0; /* the root's dot */
            err = 0;
            break;
        }
    }
    ws_dns_free(records);
    return err;
}
