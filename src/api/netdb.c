/*
 * The WinSock 1.1 database functions: gethostbyname, gethostbyaddr, gethostname, GetHostNameW,
 * getservbyname, getservbyport, getprotobyname and getprotobynumber.
 *
 * Answers come from the local databases (src/resolve/db.c): numeric literals, "localhost" and
 * the computer's own name, then the hosts, services and protocol files. Each result lives in the
 * calling thread's own buffer (one per kind: hostent, servent, protoent), laid out as Windows
 * lays it out: the structure, then its pointer arrays, then the addresses, then the strings, in
 * one block. The next call of the same kind on the same thread overwrites it.
 */
#include "openws2/core.h"
#include "../resolve/db.h"
#include <string.h>

/* Result buffers start at this size so that most lookups reuse the block they had. */
#define RESULT_MIN_SIZE 1024

static bool string_readable(const char *s)
{
    return s && !IsBadStringPtrA(s, (UINT_PTR)-1);
}

/* ---- the entry points ---- */

/* The thread's result block of one kind, at least NEED bytes; NULL if out of memory. */
static void *result_buffer(void **buffer, size_t *size, size_t need)
{
    return ws_thread_buffer(buffer, size, need < RESULT_MIN_SIZE ? RESULT_MIN_SIZE : need);
}

static struct hostent *host_result(int err, const struct ws_db_entry *e)
{
    struct ws_thread *t;
    void *buffer;

    if (err) {
        SetLastError(err);
        return NULL;
    }
    if (!(t = ws_thread_get()) ||
        !(buffer = result_buffer(&t->hostent_buffer, &t->hostent_size, ws_hostent_size(e)))) {
        SetLastError(WSANO_RECOVERY);
        return NULL;
    }
    return ws_hostent_layout(e, buffer);
}

struct hostent *WSAAPI gethostbyname(const char *name)
{
    struct ws_db_entry e;

    if (!ws_started()) return host_result(WSANOTINITIALISED, NULL);
    if (name && !string_readable(name)) return host_result(WSAEFAULT, NULL);
    return host_result(ws_host_by_name(name, AF_INET, &e), &e);
}

struct hostent *WSAAPI gethostbyaddr(const char *addr, int len, int type)
{
    struct ws_db_entry e;

    if (!ws_started()) return host_result(WSANOTINITIALISED, NULL);
    return host_result(ws_host_by_addr(addr, len, type, &e), &e);
}

int WSAAPI gethostname(char *name, int namelen)
{
    WCHAR wide[256];
    char own[256 * 3];
    DWORD wide_len = ARRAY_COUNT(wide);
    int len;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!name) return ws_fail(WSAEFAULT);
    if (!GetComputerNameExW(ComputerNameDnsHostname, wide, &wide_len)) return ws_fail(WSAENETDOWN);
    len = WideCharToMultiByte(CP_ACP, 0, wide, -1, own, sizeof(own), NULL, NULL);
    if (len <= 0) return ws_fail(WSAENETDOWN);
    /* LEN counts the terminator, which must fit too; nothing is written when it does not. */
    if (namelen < len || !ws_writable(name, len)) return ws_fail(WSAEFAULT);
    memcpy(name, own, len);
    return 0;
}

int WSAAPI GetHostNameW(PWSTR name, int namelen)
{
    WCHAR own[256];
    DWORD len = ARRAY_COUNT(own);

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!name) return ws_fail(WSAEFAULT);
    if (!GetComputerNameExW(ComputerNameDnsHostname, own, &len)) return ws_fail(WSAENETDOWN);
    if (namelen < 0 || (DWORD)namelen <= len || !ws_writable(name, (len + 1) * sizeof(WCHAR)))
        return ws_fail(WSAEFAULT);
    memcpy(name, own, (len + 1) * sizeof(WCHAR));
    return 0;
}

static struct servent *serv_result(int err, const struct ws_db_entry *e)
{
    struct ws_thread *t;
    void *buffer;

    if (err) {
        SetLastError(err);
        return NULL;
    }
    if (!(t = ws_thread_get()) ||
        !(buffer = result_buffer(&t->servent_buffer, &t->servent_size, ws_servent_size(e)))) {
        SetLastError(WSANO_RECOVERY);
        return NULL;
    }
    return ws_servent_layout(e, buffer);
}

struct servent *WSAAPI getservbyname(const char *name, const char *proto)
{
    struct ws_db_entry e;

    if (!ws_started()) return serv_result(WSANOTINITIALISED, NULL);
    if (!string_readable(name) || (proto && !string_readable(proto)))
        return serv_result(WSAEFAULT, NULL);
    return serv_result(ws_service_lookup(name, 0, proto, &e), &e);
}

struct servent *WSAAPI getservbyport(int port, const char *proto)
{
    struct ws_db_entry e;

    if (!ws_started()) return serv_result(WSANOTINITIALISED, NULL);
    if (proto && !string_readable(proto)) return serv_result(WSAEFAULT, NULL);
    return serv_result(ws_service_lookup(NULL, port, proto, &e), &e);
}

static struct protoent *proto_result(int err, const struct ws_db_entry *e)
{
    struct ws_thread *t;
    void *buffer;

    if (err) {
        SetLastError(err);
        return NULL;
    }
    if (!(t = ws_thread_get()) ||
        !(buffer = result_buffer(&t->protoent_buffer, &t->protoent_size, ws_protoent_size(e)))) {
        SetLastError(WSANO_RECOVERY);
        return NULL;
    }
    return ws_protoent_layout(e, buffer);
}

struct protoent *WSAAPI getprotobyname(const char *name)
{
    struct ws_db_entry e;

    if (!ws_started()) return proto_result(WSANOTINITIALISED, NULL);
    if (!string_readable(name)) return proto_result(WSAEFAULT, NULL);
    return proto_result(ws_protocol_lookup(name, 0, &e), &e);
}

struct protoent *WSAAPI getprotobynumber(int number)
{
    struct ws_db_entry e;

    if (!ws_started()) return proto_result(WSANOTINITIALISED, NULL);
    return proto_result(ws_protocol_lookup(NULL, number, &e), &e);
}
