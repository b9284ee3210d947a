/*
 * The local name databases Windows consults before DNS: numeric literals aside, the local host's
 * own names ("localhost", the computer name) and the files in the folder named by
 * HKLM\System\CurrentControlSet\Services\Tcpip\Parameters\DataBasePath (hosts, services,
 * protocol). A file is read again when its size or time of last write changed (an edit shows at
 * the next lookup); the folder is kept and read again when the registry key reports a change.
 * Shared by the gethostbyname, getservbyname and getprotobyname families and the getaddrinfo
 * family.
 */
#ifndef OPENWS2_RESOLVE_DB_H
#define OPENWS2_RESOLVE_DB_H

#include "openws2/core.h"

/* Receives one address of a lookup: FAMILY is AF_INET (ADDR is an IN_ADDR) or AF_INET6 (an
   IN6_ADDR, SCOPE_ID its scope). CANONICAL is the entry's official name (UTF-8). Return false to
   stop the walk. */
typedef bool (*ws_db_address_fn)(void *ctx, int family, const void *addr, ULONG scope_id,
                                 const char *canonical);

/* Addresses of NAME (UTF-8, case-insensitive, aliases included) in the hosts file, in file
   order, of FAMILY (AF_UNSPEC: both). Returns the number passed to FN. */
int ws_hosts_lookup_name(const char *name, int family, ws_db_address_fn fn, void *ctx);

/* The official name of ADDR (FAMILY as above) in the hosts file into OUT; false if absent. */
bool ws_hosts_lookup_addr(int family, const void *addr, char *out, size_t out_size);

/* True if NAME is "localhost" or the local host's own name (computer name, with or without its
   DNS domain). */
bool ws_is_local_name(const char *name);

/* The local host's addresses for FAMILY (AF_UNSPEC: both) as Windows returns them for its own
   name; for "localhost" the loopback addresses. Returns the number passed to FN. */
int ws_local_addresses(const char *name, int family, ws_db_address_fn fn, void *ctx);

/* The DNS servers the machine is configured with (the Tcpip parameters' NameServer value),
   IPv4 in network order, up to MAX; 0 when none is set. */
int ws_dns_servers(ULONG *servers, int max);

/* The services file: the port (network order) of service NAME for protocol PROTO ("tcp", "udp",
   or NULL for the first entry of any protocol), or -1. The entry's protocol is stored in
   *PROTO_OUT (may be NULL), the official name in NAME_OUT when not NULL. */
int ws_services_port(const char *name, const char *proto, char *name_out, size_t name_size,
                     char *proto_out, size_t proto_size);

/* The services file: the official name of PORT (network order) for PROTO (or NULL) into OUT;
   false if absent. */
bool ws_services_name(int port, const char *proto, char *out, size_t out_size, char *proto_out,
                      size_t proto_size);

/* ---- additions: the files' full entries (gethostby*, getserv*, getproto*) ---- */

/* Fields of one line at most: an official name, an address or number, and the aliases
   (Windows keeps up to 35); further fields of a line are ignored. */
#define WS_DB_MAX_FIELDS 40

/* Receives one line of a database file, comments removed, split into COUNT (>= 1) fields.
   Return false to stop the walk. */
typedef bool (*ws_db_line_fn)(void *ctx, char **fields, int count);

/* Walk the database file FILE (L"hosts", L"services", L"protocol"); false if it cannot be read.
   FN NULL: only whether it can be read. */
bool ws_db_walk(const WCHAR *file, ws_db_line_fn fn, void *ctx);

/* Case-insensitive (ASCII) name comparison, as the databases match names. */
bool ws_db_name_equal(const char *a, const char *b);

/* The computer's name in FORMAT (UTF-8) into OUT; false if unavailable. */
bool ws_local_host_name(COMPUTER_NAME_FORMAT format, char *out, size_t out_size);

/* The addresses of the machine's operational interfaces, loopback excluded, of FAMILY
   (AF_UNSPEC: IPv6 first, then IPv4), adapters with a gateway first; CANONICAL is "". Returns
   the number passed to FN. */
int ws_interface_addresses(int family, ws_db_address_fn fn, void *ctx);

/* True if ADDR (FAMILY AF_INET or AF_INET6) is a loopback address or one of this machine's. */
bool ws_is_local_address(int family, const void *addr);

/* The services lines of service NAME (official name or alias), or of PORT (network order) when
   NAME is NULL, for protocol PROTO (NULL: any), in file order, each passed to FN (fields[0] the
   official name, fields[1] "port/protocol", then the aliases). True if any matched. */
bool ws_services_find(const char *name, int port, const char *proto, ws_db_line_fn fn, void *ctx);

/* The protocol lines of NAME (official name or alias), or of NUMBER when NAME is NULL, passed to
   FN (fields[0] the official name, fields[1] the number, then the aliases). */
bool ws_protocol_find(const char *name, int number, ws_db_line_fn fn, void *ctx);
/* The protocol number a protocol line's field holds; -1 if it is not one. */
int ws_protocol_number(const char *field);

/* One entry of a database, collected before it is laid out as a hostent, servent or protoent
   (the copies live in POOL, so that the result can overwrite the buffer its question came from). */
#define WS_DB_MAX_ALIASES 35
#define WS_DB_MAX_ADDRS   35
struct ws_db_entry {
    const char *name;
    const char *aliases[WS_DB_MAX_ALIASES];
    int alias_count;
    int family, addr_len; /* hosts: AF_INET/4 or AF_INET6/16 */
    BYTE addrs[WS_DB_MAX_ADDRS][16];
    ULONG scope_ids[WS_DB_MAX_ADDRS]; /* IPv6: each address's scope (0 for a global one) */
    int addr_count;
    int number;        /* services: the port (network order); protocol: the number */
    const char *proto; /* services: the protocol */
    size_t pool_used;
    char pool[2048]; /* must stay last */
};
void ws_db_entry_set_name(struct ws_db_entry *e, const char *name);
void ws_db_entry_add_alias(struct ws_db_entry *e, const char *alias);
void ws_db_entry_add_address(struct ws_db_entry *e, const void *addr);
void ws_db_entry_add_scoped(struct ws_db_entry *e, const void *addr, ULONG scope_id);

/* The lookups of gethostbyname (NAME NULL or "": the local host; FAMILY AF_INET, or AF_INET6
   for the DNS namespace's IPv6 class), gethostbyaddr,
   getservbyname/getservbyport (NAME NULL: by PORT, network order) and getprotobyname/
   getprotobynumber (NAME NULL: by NUMBER) into *E; 0 or the Winsock error to report. */
int ws_host_by_name(const char *name, int family, struct ws_db_entry *e);
int ws_host_by_addr(const void *addr, int len, int type, struct ws_db_entry *e);
int ws_service_lookup(const char *name, int port, const char *proto, struct ws_db_entry *e);
int ws_protocol_lookup(const char *name, int number, struct ws_db_entry *e);

/* The bytes an entry takes laid out as Windows lays the structure out in one block (the
   structure, its pointer arrays, the addresses, the strings), and the layout into BUFFER. */
size_t ws_hostent_size(const struct ws_db_entry *e);
struct hostent *ws_hostent_layout(const struct ws_db_entry *e, void *buffer);
size_t ws_servent_size(const struct ws_db_entry *e);
struct servent *ws_servent_layout(const struct ws_db_entry *e, void *buffer);
size_t ws_protoent_size(const struct ws_db_entry *e);
struct protoent *ws_protoent_layout(const struct ws_db_entry *e, void *buffer);

#endif
