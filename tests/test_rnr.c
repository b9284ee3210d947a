/*
 * Registration and resolution through the DNS namespace: WSALookupServiceBegin/Next/End and
 * WSANSPIoctl for the host-name, address and service classes, and the service-class and
 * advertising calls the DNS namespace refuses.
 *
 * The group points the prefix at the test's own hosts and services files (the registry value
 * DataBasePath) and at the test's own DNS server on 127.0.0.1:53 (the value NameServer), both
 * restored at the end; no query leaves the machine. The server answers:
 *   alpha.rnr.test   A 127.0.0.7
 *   cname.rnr.test   CNAME alpha.rnr.test, then its A record
 *   six.rnr.test     AAAA 2001:db8::7
 *   anything else    NXDOMAIN (AAAA questions for the names above get no records)
 * Lookups go through the namespace catalog, which another test program changes:
 */
/* ctest-resource-lock: wine_catalog */
#include "ws_test.h"
#include <svcguid.h>
#include <ws2spi.h>

static const char hosts_text[] = "127.0.0.2   alpha.test alpha ALIAS-ONE\r\n"
                                 "10.1.2.3    beta.test\r\n"
                                 "10.1.2.4    beta.test\r\n"
                                 "2001:db8::9 six.test six\r\n";
static const char services_text[] = "myserv      4242/tcp    myalias\n"
                                    "myserv      4243/udp\n";

static const char params_key[] = "System\\CurrentControlSet\\Services\\Tcpip\\Parameters";
static const GUID dns_provider = {
    0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}};
static GUID by_name = SVCID_INET_HOSTADDRBYNAME;
static GUID by_string = SVCID_INET_HOSTADDRBYINETSTRING;
static GUID hostname = SVCID_HOSTNAME;
static GUID service_by_name = SVCID_INET_SERVICEBYNAME;
static GUID dns_a = SVCID_DNS_TYPE_A;
static GUID dns_aaaa = SVCID_DNS_TYPE_AAAA;

static char folder[MAX_PATH];
static struct saved {
    const char *name;
    BYTE value[2048];
    DWORD size, type;
    BOOL had;
} saved[] = {{.name = "DataBasePath"}, {.name = "NameServer"}};
static SOCKET server;
static HANDLE server_thread;

/* ---- the DNS server ---- */

static int put_name(unsigned char *out, const char *name)
{
    int n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        int label = dot ? (int)(dot - name) : (int)strlen(name);
        out[n++] = (unsigned char)label;
        memcpy(out + n, name, label);
        n += label;
        name += label + (dot ? 1 : 0);
    }
    out[n++] = 0;
    return n;
}

/* One answer record for the question (NAME NULL) or for NAME. */
static int put_answer(unsigned char *out, const char *name, int type, const void *data, int len)
{
    int n = 0;
    if (name) {
        n = put_name(out, name);
    } else {
        out[n++] = 0xc0;
        out[n++] = 12;
    }
    out[n++] = 0, out[n++] = (unsigned char)type, out[n++] = 0, out[n++] = 1;
    out[n++] = 0, out[n++] = 0, out[n++] = 0, out[n++] = 60;
    out[n++] = (unsigned char)(len >> 8), out[n++] = (unsigned char)len;
    memcpy(out + n, data, len);
    return n + len;
}

static DWORD WINAPI dns_server(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned char msg[512], reply[512];
        struct sockaddr_in from;
        int from_len = sizeof(from), len, off = 12, n = 0, qtype, answers = 0, rcode = 0;
        char name[256];
        IN_ADDR a;

        len = recvfrom(server, (char *)msg, sizeof(msg), 0, (struct sockaddr *)&from, &from_len);
        if (len <= 0) return 0;
        while (off < len && msg[off] && n < 200) {
            int label = msg[off++];
            if (n) name[n++] = '.';
            for (int i = 0; i < label && off < len; i++) name[n++] = (char)tolower(msg[off++]);
        }
        name[n] = 0;
        if (off + 5 > len) continue;
        qtype = msg[off + 1] << 8 | msg[off + 2];
        off += 5;
        memcpy(reply, msg, off);
        n = off;
        a.s_addr = inet_addr("127.0.0.7");
        if (!strcmp(name, "alpha.rnr.test")) {
            if (qtype == 1) n += put_answer(reply + n, NULL, 1, &a, 4), answers = 1;
        } else if (!strcmp(name, "six.rnr.test")) {
            static const BYTE six[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 7};
            if (qtype == 28) n += put_answer(reply + n, NULL, 28, six, sizeof(six)), answers = 1;
        } else if (!strcmp(name, "cname.rnr.test")) {
            unsigned char target[64];
            n += put_answer(reply + n, NULL, 5, target, put_name(target, "alpha.rnr.test"));
            answers = 1;
            if (qtype == 1) n += put_answer(reply + n, "alpha.rnr.test", 1, &a, 4), answers = 2;
        } else {
            rcode = 3;
        }
        reply[2] = 0x84 | (msg[2] & 1);
        reply[3] = 0x80 | rcode;
        reply[6] = 0, reply[7] = (unsigned char)answers;
        reply[8] = reply[9] = reply[10] = reply[11] = 0;
        sendto(server, (const char *)reply, n, 0, (struct sockaddr *)&from, from_len);
    }
}

/* ---- group setup ---- */

static void write_file(const char *name, const char *text)
{
    char path[MAX_PATH];
    DWORD written;
    HANDLE file;
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    WriteFile(file, text, (DWORD)strlen(text), &written, NULL);
    CloseHandle(file);
}

static int group_setup(void **state)
{
    struct sockaddr_in addr = {0};
    char temp[MAX_PATH];
    HKEY key;

    if (ws_test_startup(state)) return -1;
    GetEnvironmentVariableA("TEMP", temp, sizeof(temp));
    snprintf(folder, sizeof(folder), "%s\\openws2-rnr-%lu", temp, GetCurrentProcessId());
    CreateDirectoryA(folder, NULL);
    write_file("hosts", hosts_text);
    write_file("services", services_text);

    server = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(53);
    addr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (server == INVALID_SOCKET || bind(server, (struct sockaddr *)&addr, sizeof(addr))) {
        print_error("cannot serve DNS on 127.0.0.1:53 (error %d)\n", WSAGetLastError());
        return -1;
    }
    server_thread = CreateThread(NULL, 0, dns_server, NULL, 0, NULL);

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, KEY_ALL_ACCESS, &key)) return -1;
    for (size_t i = 0; i < ARRAYSIZE(saved); i++) {
        saved[i].size = sizeof(saved[i].value);
        saved[i].had = !RegQueryValueExA(key, saved[i].name, NULL, &saved[i].type, saved[i].value,
                                         &saved[i].size);
    }
    RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)folder, (DWORD)strlen(folder) + 1);
    RegSetValueExA(key, "NameServer", 0, REG_SZ, (const BYTE *)"127.0.0.1", 10);
    RegCloseKey(key);
    return 0;
}

static int group_teardown(void **state)
{
    char path[MAX_PATH];
    HKEY key;
    if (!RegOpenKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, KEY_ALL_ACCESS, &key)) {
        for (size_t i = 0; i < ARRAYSIZE(saved); i++) {
            if (saved[i].had)
                RegSetValueExA(key, saved[i].name, 0, saved[i].type, saved[i].value, saved[i].size);
            else
                RegDeleteValueA(key, saved[i].name);
        }
        RegCloseKey(key);
    }
    closesocket(server);
    WaitForSingleObject(server_thread, 10000);
    CloseHandle(server_thread);
    snprintf(path, sizeof(path), "%s\\hosts", folder);
    DeleteFileA(path);
    snprintf(path, sizeof(path), "%s\\services", folder);
    DeleteFileA(path);
    RemoveDirectoryA(folder);
    return ws_test_cleanup(state);
}

/* ---- helpers ---- */

static union {
    WSAQUERYSETW q;
    char bytes[8192];
} result;

/* Begin a lookup of NAME in CLASS with FLAGS; the handle. */
static HANDLE begin(GUID *class_id, const WCHAR *name, DWORD flags)
{
    WSAQUERYSETW q = {0};
    HANDLE h = NULL;
    q.dwSize = sizeof(q);
    q.lpszServiceInstanceName = (WCHAR *)name;
    q.lpServiceClassId = class_id;
    q.dwNameSpace = NS_ALL;
    assert_int_equal(WSALookupServiceBeginW(&q, flags, &h), 0);
    assert_non_null(h);
    return h;
}

/* The next result set into RESULT; 0 or the error. */
static int next(HANDLE h, DWORD flags)
{
    DWORD len = sizeof(result);
    return WSALookupServiceNextW(h, flags, &len, &result.q) ? WSAGetLastError() : 0;
}

static void end(HANDLE h)
{
    assert_int_equal(WSALookupServiceEnd(h), 0);
}

/* The blob's hostent with its offsets made pointers (in place). */
static struct hostent *blob_hostent(BLOB *blob)
{
    struct hostent *h = (struct hostent *)blob->pBlobData;
    char *base = (char *)h;
    h->h_name = base + (ULONG_PTR)h->h_name;
    h->h_aliases = (char **)(base + (ULONG_PTR)h->h_aliases);
    for (char **p = h->h_aliases; *p; p++) *p = base + (ULONG_PTR)*p;
    h->h_addr_list = (char **)(base + (ULONG_PTR)h->h_addr_list);
    for (char **p = h->h_addr_list; *p; p++) *p = base + (ULONG_PTR)*p;
    return h;
}

/* ---- argument checks ---- */

static void test_Begin_without_a_query_set_or_handle_fails_with_WSAEFAULT(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h;
    (void)state;
    q.dwSize = sizeof(q);
    assert_socket_error(WSALookupServiceBeginW(NULL, 0, &h), WSAEFAULT);
    assert_socket_error(WSALookupServiceBeginW(&q, 0, NULL), WSAEFAULT);
}

static void test_Begin_with_a_wrong_dwSize_fails_with_WSAEINVAL(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h;
    (void)state;
    assert_socket_error(WSALookupServiceBeginW(&q, 0, &h), WSAEINVAL);
    q.dwSize = sizeof(q) + 1;
    q.lpServiceClassId = &by_name;
    assert_socket_error(WSALookupServiceBeginW(&q, 0, &h), WSAEINVAL);
}

static void test_calls_on_a_handle_that_is_no_lookup_fail_with_WSA_INVALID_HANDLE(void **state)
{
    DWORD len = sizeof(result);
    HANDLE h;
    (void)state;
    assert_socket_error(WSALookupServiceEnd(NULL), WSA_INVALID_HANDLE);
    assert_socket_error(WSALookupServiceNextW((HANDLE)0x1234, 0, &len, &result.q),
                        WSA_INVALID_HANDLE);
    assert_socket_error(
        WSANSPIoctl((HANDLE)0x1234, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, NULL, NULL),
        WSA_INVALID_HANDLE);
    /* An ended lookup is gone. */
    h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME);
    end(h);
    assert_socket_error(WSALookupServiceNextW(h, 0, &len, &result.q), WSA_INVALID_HANDLE);
    assert_socket_error(WSALookupServiceEnd(h), WSA_INVALID_HANDLE);
}

static void test_RnR_calls_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME);
    DWORD len = sizeof(result);
    (void)state;
    q.dwSize = sizeof(q);
    q.lpServiceClassId = &by_name;
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(WSALookupServiceBeginW(&q, 0, &h), WSANOTINITIALISED);
    assert_socket_error(WSALookupServiceNextW(h, 0, &len, &result.q), WSANOTINITIALISED);
    assert_socket_error(WSALookupServiceEnd(h), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
    /* The final WSACleanup ended the lookup. */
    assert_socket_error(WSALookupServiceEnd(h), WSA_INVALID_HANDLE);
}

/* ---- host queries ---- */

static void test_a_host_by_name_query_returns_its_name_addresses_and_hostent_blob(void **state)
{
    HANDLE h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME | LUP_RETURN_ADDR | LUP_RETURN_BLOB);
    struct sockaddr_in *sin;
    struct hostent *he;
    (void)state;

    assert_int_equal(next(h, 0), 0);
    assert_int_equal(result.q.dwSize, sizeof(WSAQUERYSETW));
    assert_int_equal(result.q.dwNameSpace, NS_DNS);
    assert_int_equal(result.q.dwOutputFlags, 0);
    assert_non_null(result.q.lpszServiceInstanceName);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha.test"));
    assert_null(result.q.lpServiceClassId);

    assert_int_equal(result.q.dwNumberOfCsAddrs, 1);
    sin = (struct sockaddr_in *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_int_equal(result.q.lpcsaBuffer[0].RemoteAddr.iSockaddrLength, sizeof(*sin));
    assert_int_equal(sin->sin_family, AF_INET);
    assert_int_equal(sin->sin_addr.s_addr, inet_addr("127.0.0.2"));
    assert_int_equal(sin->sin_port, 0);
    assert_int_equal(result.q.lpcsaBuffer[0].iSocketType, SOCK_DGRAM);
    assert_int_equal(result.q.lpcsaBuffer[0].iProtocol, IPPROTO_UDP);

    assert_non_null(result.q.lpBlob);
    he = blob_hostent(result.q.lpBlob);
    assert_string_equal(he->h_name, "alpha.test");
    assert_int_equal(he->h_addrtype, AF_INET);
    assert_int_equal(he->h_length, 4);
    assert_string_equal(he->h_aliases[0], "alpha");
    assert_string_equal(he->h_aliases[1], "ALIAS-ONE");
    assert_null(he->h_aliases[2]);
    assert_int_equal(((struct in_addr *)he->h_addr_list[0])->s_addr, inet_addr("127.0.0.2"));
    assert_null(he->h_addr_list[1]);

    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);
}

/* The DNS record classes of addresses: SVCID_DNS_TYPE_AAAA gives a host's IPv6 addresses, as
   SOCKADDR_IN6 and a hostent of AF_INET6; SVCID_DNS_TYPE_A its IPv4 ones. */
static void test_the_AAAA_class_returns_IPv6_addresses_and_an_AF_INET6_hostent(void **state)
{
    HANDLE h = begin(&dns_aaaa, L"six", LUP_RETURN_NAME | LUP_RETURN_ADDR | LUP_RETURN_BLOB);
    static const IN6_ADDR want = {{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}}};
    struct sockaddr_in6 *sin6;
    struct hostent *he;
    (void)state;

    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"six.test"));
    assert_int_equal(result.q.dwNumberOfCsAddrs, 1);
    sin6 = (struct sockaddr_in6 *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_int_equal(result.q.lpcsaBuffer[0].RemoteAddr.iSockaddrLength, sizeof(*sin6));
    assert_int_equal(sin6->sin6_family, AF_INET6);
    assert_memory_equal(&sin6->sin6_addr, &want, sizeof(want));
    assert_int_equal(result.q.lpcsaBuffer[0].LocalAddr.iSockaddrLength, sizeof(*sin6));
    assert_int_equal(result.q.lpcsaBuffer[0].LocalAddr.lpSockaddr->sa_family, AF_INET6);
    he = blob_hostent(result.q.lpBlob);
    assert_string_equal(he->h_name, "six.test");
    assert_int_equal(he->h_addrtype, AF_INET6);
    assert_int_equal(he->h_length, 16);
    assert_memory_equal(he->h_addr_list[0], &want, sizeof(want));
    assert_null(he->h_addr_list[1]);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);

    /* From DNS (asked for AAAA records whatever this machine's addresses), the loopback name and
       a literal. */
    h = begin(&dns_aaaa, L"six.rnr.test", LUP_RETURN_ADDR);
    assert_int_equal(next(h, 0), 0);
    assert_int_equal(result.q.dwNumberOfCsAddrs, 1);
    sin6 = (struct sockaddr_in6 *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_int_equal(sin6->sin6_family, AF_INET6);
    assert_int_equal(sin6->sin6_addr.s6_addr[15], 7);
    end(h);
    h = begin(&dns_aaaa, L"localhost", LUP_RETURN_ADDR);
    assert_int_equal(next(h, 0), 0);
    sin6 = (struct sockaddr_in6 *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_true(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
    end(h);
    h = begin(&dns_aaaa, L"2001:db8::9", LUP_RETURN_ADDR);
    assert_int_equal(next(h, 0), 0);
    sin6 = (struct sockaddr_in6 *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_memory_equal(&sin6->sin6_addr, &want, sizeof(want));
    end(h);

    /* A name with IPv4 addresses only has no data of this class. */
    h = begin(&dns_aaaa, L"alpha.test", LUP_RETURN_ADDR);
    assert_int_equal(next(h, 0), WSANO_DATA);
    end(h);

    /* The A class is the host's IPv4 addresses. */
    h = begin(&dns_a, L"alpha.test", LUP_RETURN_ADDR);
    assert_int_equal(next(h, 0), 0);
    assert_int_equal(result.q.dwNumberOfCsAddrs, 1);
    assert_int_equal(result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr->sa_family, AF_INET);
    assert_int_equal(
        ((struct sockaddr_in *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr)->sin_addr.s_addr,
        inet_addr("127.0.0.2"));
    end(h);
}

static void test_the_ANSI_forms_return_ANSI_strings(void **state)
{
    WSAQUERYSETA q = {0}, *r = (WSAQUERYSETA *)result.bytes;
    DWORD len = sizeof(result);
    HANDLE h = NULL;
    (void)state;
    q.dwSize = sizeof(q);
    q.lpszServiceInstanceName = (char *)"beta.test";
    q.lpServiceClassId = &by_name;
    assert_int_equal(WSALookupServiceBeginA(&q, LUP_RETURN_NAME | LUP_RETURN_ADDR, &h), 0);
    assert_int_equal(WSALookupServiceNextA(h, 0, &len, r), 0);
    assert_string_equal(r->lpszServiceInstanceName, "beta.test");
    assert_int_equal(r->dwNumberOfCsAddrs, 2);
    assert_socket_error(WSALookupServiceNextA(h, 0, &len, r), WSA_E_NO_MORE);
    end(h);
}

static void test_Next_with_a_short_buffer_fails_with_WSAEFAULT_and_the_size_needed(void **state)
{
    HANDLE h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME | LUP_RETURN_ADDR | LUP_RETURN_BLOB);
    DWORD len = sizeof(WSAQUERYSETW), needed;
    (void)state;
    assert_socket_error(WSALookupServiceNextW(h, 0, &len, &result.q), WSAEFAULT);
    needed = len;
    assert_true(needed > sizeof(WSAQUERYSETW));
    len = 0;
    assert_socket_error(WSALookupServiceNextW(h, 0, &len, NULL), WSAEFAULT);
    assert_int_equal(len, needed);
    /* The set is still there for a buffer of that size. */
    assert_int_equal(WSALookupServiceNextW(h, 0, &len, &result.q), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha.test"));
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);
}

static void test_LUP_FLUSHPREVIOUS_skips_the_set_that_did_not_fit(void **state)
{
    HANDLE h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME | LUP_RETURN_ALIASES);
    DWORD len = sizeof(WSAQUERYSETW);
    (void)state;
    assert_socket_error(WSALookupServiceNextW(h, 0, &len, &result.q), WSAEFAULT);
    assert_int_equal(next(h, LUP_FLUSHPREVIOUS), 0);
    assert_int_equal(result.q.dwOutputFlags, RESULT_IS_ALIAS);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha"));
    end(h);
}

static void test_LUP_RETURN_ALIASES_returns_each_alias_as_a_set_of_its_own(void **state)
{
    HANDLE h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME | LUP_RETURN_ALIASES);
    (void)state;
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha.test"));
    assert_int_equal(result.q.dwOutputFlags, 0);
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha"));
    assert_int_equal(result.q.dwOutputFlags, RESULT_IS_ALIAS);
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"ALIAS-ONE"));
    assert_int_equal(result.q.dwOutputFlags, RESULT_IS_ALIAS);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);
}

static void test_LUP_RETURN_TYPE_and_QUERY_STRING_return_the_class_and_the_string(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h = NULL;
    (void)state;
    q.dwSize = sizeof(q);
    q.lpszServiceInstanceName = (WCHAR *)L"alpha.test";
    q.lpServiceClassId = &by_name;
    q.lpszQueryString = (WCHAR *)L"extra";
    assert_int_equal(WSALookupServiceBeginW(&q, LUP_RETURN_TYPE | LUP_RETURN_QUERY_STRING, &h), 0);
    assert_int_equal(next(h, 0), 0);
    assert_null(result.q.lpszServiceInstanceName);
    assert_null(result.q.lpcsaBuffer);
    assert_null(result.q.lpBlob);
    assert_non_null(result.q.lpServiceClassId);
    assert_true(IsEqualGUID(result.q.lpServiceClassId, &by_name));
    assert_non_null(result.q.lpszQueryString);
    assert_true(!wcscmp(result.q.lpszQueryString, L"extra"));
    end(h);
}

static void test_a_name_only_DNS_knows_is_answered_by_the_DNS_server(void **state)
{
    HANDLE h = begin(&by_name, L"alpha.rnr.test", LUP_RETURN_NAME | LUP_RETURN_ADDR);
    struct sockaddr_in *sin;
    (void)state;
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha.rnr.test"));
    assert_int_equal(result.q.dwNumberOfCsAddrs, 1);
    sin = (struct sockaddr_in *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_int_equal(sin->sin_addr.s_addr, inet_addr("127.0.0.7"));
    end(h);
}

static void test_a_CNAME_gives_the_canonical_name_and_the_asked_name_as_alias(void **state)
{
    HANDLE h = begin(&by_name, L"cname.rnr.test", LUP_RETURN_NAME | LUP_RETURN_ALIASES);
    (void)state;
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha.rnr.test"));
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"cname.rnr.test"));
    assert_int_equal(result.q.dwOutputFlags, RESULT_IS_ALIAS);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);
}

static void test_an_unknown_name_fails_with_WSASERVICE_NOT_FOUND(void **state)
{
    HANDLE h = begin(&by_name, L"missing.rnr.test", LUP_RETURN_NAME);
    (void)state;
    assert_int_equal(next(h, 0), WSASERVICE_NOT_FOUND);
    end(h);
}

static void test_an_address_string_query_returns_the_host_of_the_address(void **state)
{
    HANDLE h = begin(&by_string, L"127.0.0.2", LUP_RETURN_NAME | LUP_RETURN_BLOB);
    struct hostent *he;
    (void)state;
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"alpha.test"));
    he = blob_hostent(result.q.lpBlob);
    assert_string_equal(he->h_name, "alpha.test");
    assert_int_equal(((struct in_addr *)he->h_addr_list[0])->s_addr, inet_addr("127.0.0.2"));
    end(h);
}

static void test_SVCID_HOSTNAME_without_a_name_returns_the_local_host_name(void **state)
{
    HANDLE h = begin(&hostname, NULL, LUP_RETURN_NAME);
    char own[256], got[256];
    (void)state;
    assert_int_equal(gethostname(own, sizeof(own)), 0);
    assert_int_equal(next(h, 0), 0);
    WideCharToMultiByte(CP_ACP, 0, result.q.lpszServiceInstanceName, -1, got, sizeof(got), NULL,
                        NULL);
    assert_string_equal(got, own);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);
}

static void test_a_TCP_port_class_returns_stream_addresses_with_that_port(void **state)
{
    GUID http = SVCID_TCP(80);
    HANDLE h = begin(&http, L"alpha.test", LUP_RETURN_ADDR);
    struct sockaddr_in *sin;
    (void)state;
    assert_int_equal(next(h, 0), 0);
    assert_int_equal(result.q.dwNumberOfCsAddrs, 1);
    sin = (struct sockaddr_in *)result.q.lpcsaBuffer[0].RemoteAddr.lpSockaddr;
    assert_int_equal(ntohs(sin->sin_port), 80);
    assert_int_equal(result.q.lpcsaBuffer[0].iSocketType, SOCK_STREAM);
    assert_int_equal(result.q.lpcsaBuffer[0].iProtocol, IPPROTO_TCP);
    end(h);
}

static void test_a_protocol_restriction_to_TCP_returns_stream_addresses(void **state)
{
    AFPROTOCOLS tcp = {AF_INET, IPPROTO_TCP}, other = {AF_INET, 99};
    WSAQUERYSETW q = {0};
    HANDLE h = NULL;
    (void)state;
    q.dwSize = sizeof(q);
    q.lpszServiceInstanceName = (WCHAR *)L"alpha.test";
    q.lpServiceClassId = &by_name;
    q.dwNumberOfProtocols = 1;
    q.lpafpProtocols = &tcp;
    assert_int_equal(WSALookupServiceBeginW(&q, LUP_RETURN_ADDR, &h), 0);
    assert_int_equal(next(h, 0), 0);
    assert_int_equal(result.q.lpcsaBuffer[0].iSocketType, SOCK_STREAM);
    end(h);
    q.lpafpProtocols = &other;
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_ADDR, &h), WSANO_DATA);
}

/* ---- service queries ---- */

static void test_a_service_by_name_query_returns_the_port_class_and_servent_blob(void **state)
{
    GUID tcp = SVCID_TCP(4242), udp = SVCID_UDP(4243);
    HANDLE h = begin(&service_by_name, L"myalias/tcp",
                     LUP_RETURN_NAME | LUP_RETURN_TYPE | LUP_RETURN_BLOB);
    struct servent *s;
    char *base;
    (void)state;
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"myserv"));
    assert_true(IsEqualGUID(result.q.lpServiceClassId, &tcp));
    assert_non_null(result.q.lpBlob);
    s = (struct servent *)result.q.lpBlob->pBlobData;
    base = (char *)s;
    assert_string_equal(base + (ULONG_PTR)s->s_name, "myserv");
    assert_string_equal(base + (ULONG_PTR)s->s_proto, "tcp");
    assert_int_equal(ntohs(s->s_port), 4242);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);

    h = begin(&service_by_name, L"4243/udp", LUP_RETURN_NAME | LUP_RETURN_TYPE);
    assert_int_equal(next(h, 0), 0);
    assert_true(!wcscmp(result.q.lpszServiceInstanceName, L"myserv"));
    assert_true(IsEqualGUID(result.q.lpServiceClassId, &udp));
    end(h);

    h = begin(&service_by_name, L"nosuch/tcp", LUP_RETURN_NAME);
    assert_int_equal(next(h, 0), WSASERVICE_NOT_FOUND);
    end(h);
}

/* ---- what the DNS namespace does not serve ---- */

static void test_a_query_without_a_class_lists_no_networks(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h = NULL;
    (void)state;
    q.dwSize = sizeof(q);
    assert_int_equal(WSALookupServiceBeginW(&q, LUP_RETURN_ALL | LUP_DEEP, &h), 0);
    assert_int_equal(next(h, 0), WSA_E_NO_MORE);
    end(h);
}

static void test_LUP_CONTAINERS_fails_with_WSANO_DATA(void **state)
{
    WSAQUERYSETW q = {0};
    HANDLE h;
    (void)state;
    q.dwSize = sizeof(q);
    q.lpServiceClassId = &by_name;
    q.lpszServiceInstanceName = (WCHAR *)L"alpha.test";
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_CONTAINERS, &h), WSANO_DATA);
}

static void test_an_unserved_class_or_namespace_fails_with_WSASERVICE_NOT_FOUND(void **state)
{
    GUID other = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}}, mx = SVCID_DNS_TYPE_MX;
    WSAQUERYSETW q = {0};
    HANDLE h;
    (void)state;
    q.dwSize = sizeof(q);
    q.lpServiceClassId = &other;
    q.lpszServiceInstanceName = (WCHAR *)L"alpha.test";
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), WSASERVICE_NOT_FOUND);
    q.lpServiceClassId = &by_name;
    q.dwNameSpace = NS_NDS;
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), WSASERVICE_NOT_FOUND);
    /* A DNS record class other than the address ones. */
    q.lpServiceClassId = &mx;
    q.dwNameSpace = NS_DNS;
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), WSASERVICE_NOT_FOUND);
}

static void test_a_provider_id_the_catalog_lacks_fails_with_WSAEINVAL(void **state)
{
    GUID other = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
    GUID dns = dns_provider;
    WSAQUERYSETW q = {0};
    HANDLE h = NULL;
    (void)state;
    q.dwSize = sizeof(q);
    q.lpServiceClassId = &by_name;
    q.lpszServiceInstanceName = (WCHAR *)L"alpha.test";
    q.lpNSProviderId = &other;
    assert_socket_error(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), WSAEINVAL);
    q.lpNSProviderId = &dns;
    q.dwNameSpace = NS_DNS;
    assert_int_equal(WSALookupServiceBeginW(&q, LUP_RETURN_NAME, &h), 0);
    assert_int_equal(next(h, 0), 0);
    end(h);
}

static void test_WSANSPIoctl_on_a_DNS_lookup_fails_with_WSAEOPNOTSUPP(void **state)
{
    HANDLE h = begin(&by_name, L"alpha.test", LUP_RETURN_NAME);
    (void)state;
    assert_socket_error(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, NULL, NULL),
                        WSAEOPNOTSUPP);
    end(h);
}

/* ---- service classes and registration ---- */

static void test_service_class_calls_check_arguments_then_are_refused(void **state)
{
    GUID id = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}}, dns = dns_provider;
    WSASERVICECLASSINFOW info = {0};
    WSAQUERYSETW q = {0};
    WCHAR name[64];
    DWORD len = sizeof(name);
    (void)state;

    assert_socket_error(WSAInstallServiceClassW(NULL), WSAEINVAL);
    info.lpServiceClassId = &id;
    info.lpszServiceClassName = (WCHAR *)L"test class";
    assert_socket_error(WSAInstallServiceClassW(&info), WSAEOPNOTSUPP);

    assert_socket_error(WSARemoveServiceClass(NULL), WSAEINVAL);
    assert_socket_error(WSARemoveServiceClass(&id), WSATYPE_NOT_FOUND);

    assert_socket_error(WSAGetServiceClassInfoW(NULL, &id, &len, &info), WSAEINVAL);
    assert_socket_error(WSAGetServiceClassInfoW(&id, &id, &len, &info), WSAEINVAL);
    assert_socket_error(WSAGetServiceClassInfoW(&dns, &id, &len, &info), WSAEOPNOTSUPP);

    assert_socket_error(WSAGetServiceClassNameByClassIdW(NULL, name, &len), WSA_INVALID_PARAMETER);
    assert_socket_error(WSAGetServiceClassNameByClassIdW(&id, name, &len), WSAEOPNOTSUPP);

    assert_socket_error(WSASetServiceW(NULL, RNRSERVICE_REGISTER, 0), WSAEINVAL);
    q.dwSize = sizeof(q);
    q.lpServiceClassId = &id;
    q.lpszServiceInstanceName = (WCHAR *)L"instance";
    assert_socket_error(WSASetServiceW(&q, RNRSERVICE_REGISTER, 0), WSAEOPNOTSUPP);
}

static void test_a_catalog_provider_can_be_advertised_once_and_unadvertised(void **state)
{
    GUID other = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}}, dns = dns_provider;
    static NSPV2_ROUTINE routine = {.cbSize = sizeof(NSPV2_ROUTINE), .dwMajorVersion = 2};
    LPCNSPV2_ROUTINE r = &routine;
    (void)state;
    assert_socket_error(WSAAdvertiseProvider(NULL, &r), WSAEINVAL);
    assert_socket_error(WSAAdvertiseProvider(&other, &r), WSAEINVALIDPROVIDER);
    assert_int_equal(WSAAdvertiseProvider(&dns, &r), 0);
    assert_socket_error(WSAAdvertiseProvider(&dns, &r), WSAEINVAL);
    assert_int_equal(WSAUnadvertiseProvider(&dns), 0);
    assert_socket_error(WSAUnadvertiseProvider(&dns), WSAEINVAL);
    assert_socket_error(WSAUnadvertiseProvider(NULL), WSAEINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_Begin_without_a_query_set_or_handle_fails_with_WSAEFAULT),
        cmocka_unit_test(test_Begin_with_a_wrong_dwSize_fails_with_WSAEINVAL),
        cmocka_unit_test(test_calls_on_a_handle_that_is_no_lookup_fail_with_WSA_INVALID_HANDLE),
        cmocka_unit_test(test_a_host_by_name_query_returns_its_name_addresses_and_hostent_blob),
        cmocka_unit_test(test_the_AAAA_class_returns_IPv6_addresses_and_an_AF_INET6_hostent),
        cmocka_unit_test(test_the_ANSI_forms_return_ANSI_strings),
        cmocka_unit_test(test_Next_with_a_short_buffer_fails_with_WSAEFAULT_and_the_size_needed),
        cmocka_unit_test(test_LUP_FLUSHPREVIOUS_skips_the_set_that_did_not_fit),
        cmocka_unit_test(test_LUP_RETURN_ALIASES_returns_each_alias_as_a_set_of_its_own),
        cmocka_unit_test(test_LUP_RETURN_TYPE_and_QUERY_STRING_return_the_class_and_the_string),
        cmocka_unit_test(test_a_name_only_DNS_knows_is_answered_by_the_DNS_server),
        cmocka_unit_test(test_a_CNAME_gives_the_canonical_name_and_the_asked_name_as_alias),
        cmocka_unit_test(test_an_unknown_name_fails_with_WSASERVICE_NOT_FOUND),
        cmocka_unit_test(test_an_address_string_query_returns_the_host_of_the_address),
        cmocka_unit_test(test_SVCID_HOSTNAME_without_a_name_returns_the_local_host_name),
        cmocka_unit_test(test_a_TCP_port_class_returns_stream_addresses_with_that_port),
        cmocka_unit_test(test_a_protocol_restriction_to_TCP_returns_stream_addresses),
        cmocka_unit_test(test_a_service_by_name_query_returns_the_port_class_and_servent_blob),
        cmocka_unit_test(test_a_query_without_a_class_lists_no_networks),
        cmocka_unit_test(test_LUP_CONTAINERS_fails_with_WSANO_DATA),
        cmocka_unit_test(test_an_unserved_class_or_namespace_fails_with_WSASERVICE_NOT_FOUND),
        cmocka_unit_test(test_a_provider_id_the_catalog_lacks_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSANSPIoctl_on_a_DNS_lookup_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_service_class_calls_check_arguments_then_are_refused),
        cmocka_unit_test(test_a_catalog_provider_can_be_advertised_once_and_unadvertised),
        /* Last: the final WSACleanup closes the DNS server's socket too. */
        cmocka_unit_test(test_RnR_calls_before_WSAStartup_fail_with_WSANOTINITIALISED),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
