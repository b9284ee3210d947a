/*
 * DNS, asked through dnsapi.dll (loaded on the first question, never at DllMain) with the
 * servers the machine is configured with (the Tcpip parameters' NameServer value) and
 * DNS_QUERY_NO_NETBT, so that dnsapi never loads netapi32. Shared by the getaddrinfo family
 * (forward lookups) and the address-to-name lookups (gethostbyaddr, getnameinfo).
 */
#ifndef OPENWS2_RESOLVE_DNS_H
#define OPENWS2_RESOLVE_DNS_H

#include "openws2/core.h"
#include <windns.h>

/* The records of NAME (UTF-16) of TYPE into *RECORDS (free with ws_dns_free): the DNS status,
   or DNS_ERROR_NO_DNS_SERVERS when dnsapi cannot be loaded. */
DNS_STATUS ws_dns_query(const WCHAR *name, WORD type, DNS_RECORDW **records);
void ws_dns_free(DNS_RECORDW *records);

/* The name DNS gives ADDR (FAMILY AF_INET or AF_INET6) by its PTR record (in-addr.arpa or
   ip6.arpa), UTF-8, into OUT: 0, or WSAHOST_NOT_FOUND (no such name, or no DNS), WSANO_DATA
   (the name exists without a PTR record) or WSATRY_AGAIN (no server answered). */
int ws_dns_reverse(int family, const void *addr, char *out, size_t out_size);

#endif
