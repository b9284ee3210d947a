/*
 * getaddrinfo, GetAddrInfoW and GetAddrInfoExA/W: hints validation, NULL hints, the flags, the
 * services file, numeric hosts, the local host's names, the hosts file, the result lists' exact
 * contents and the asynchronous GetAddrInfoEx (event, completion routine, cancel, timeout).
 *
 * The hosts and services files are the test's own: written to a temporary folder which the
 * registry value DataBasePath of the prefix names while the group runs (restored at the end).
 * Nothing here depends on the machine's resolver or network.
 */
#include "ws_test.h"

#define DB_FOLDER_PREFIX "openws2-addrinfo-"
#define HOSTS_TEXT                                                                                 \
    "# the test's hosts file\r\n"                                                                  \
    "10.1.2.3     alpha.test alpha   # a comment\n"                                                \
    "2001:db8::5  alpha.test\n"                                                                    \
    "192.0.2.7    v4only.test\n"                                                                   \
    "2001:db8::7  v6only.test\n"                                                                   \
    "fd00::8      both.test\n"                                                                     \
    "10.1.2.8     both.test\n"                                                                     \
    "127.0.0.9    order.test\n"                                                                    \
    "2001:db8::9  order.test\n"                                                                    \
    "::1          order.test\n"
#define SERVICES_TEXT                                                                              \
    "# the test's services file\n"                                                                 \
    "openws2-echo     4444/tcp   oecho\n"                                                          \
    "openws2-echo     4445/udp\n"                                                                  \
    "openws2-tcponly  5555/tcp\n"
/* Declared by newer SDK headers than the build's. */
INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);

/* The build's headers give ADDRINFOEXW's ai_next a mistyped (incomplete) structure. */
static ADDRINFOEXW *ex_next(const ADDRINFOEXW *ai)
{
    return (ADDRINFOEXW *)ai->ai_next;
}

/* ---- the test's own database folder ---- */

static char folder[MAX_PATH];
static BYTE saved_value[1024];
static DWORD saved_size, saved_type;
static BOOL had_value;
static const char params_key[] = "System\\CurrentControlSet\\Services\\Tcpip\\Parameters";

static void write_file(const char *name, const char *text)
{
    char path[MAX_PATH];
    HANDLE f;
    DWORD done;
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(f, text, (DWORD)strlen(text), &done, NULL));
    CloseHandle(f);
}

static void remove_file(const char *name)
{
    char path[MAX_PATH];
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    DeleteFileA(path);
}

static int databases_setup(void **state)
{
    char temp[MAX_PATH];
    HKEY key;

    if (ws_test_startup(state)) return -1;
    GetTempPathA(sizeof(temp), temp);
    snprintf(folder, sizeof(folder), "%s%s%lu", temp, DB_FOLDER_PREFIX,
             (unsigned long)GetCurrentProcessId());
    CreateDirectoryA(folder, NULL);
    write_file("hosts", HOSTS_TEXT);
    write_file("services", SERVICES_TEXT);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                        NULL))
        return -1;
    saved_size = sizeof(saved_value);
    had_value = !RegQueryValueExA(key, "DataBasePath", NULL, &saved_type, saved_value, &saved_size);
    RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)folder, (DWORD)strlen(folder) + 1);
    RegCloseKey(key);
    return 0;
}

static int databases_teardown(void **state)
{
    HKEY key;
    if (!RegOpenKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, KEY_ALL_ACCESS, &key)) {
        if (had_value)
            RegSetValueExA(key, "DataBasePath", 0, saved_type, saved_value, saved_size);
        else
            RegDeleteValueA(key, "DataBasePath");
        RegCloseKey(key);
    }
    remove_file("hosts");
    remove_file("services");
    RemoveDirectoryA(folder);
    return ws_test_cleanup(state);
}

/* ---- checks of one result entry ---- */

static void check_v4(const ADDRINFOA *ai, const char *text, USHORT port, int socktype, int protocol)
{
    const SOCKADDR_IN *sin;
    IN_ADDR want;
    assert_non_null(ai);
    assert_int_equal(ai->ai_flags, 0);
    assert_int_equal(ai->ai_family, AF_INET);
    assert_int_equal(ai->ai_socktype, socktype);
    assert_int_equal(ai->ai_protocol, protocol);
    assert_int_equal(ai->ai_addrlen, sizeof(SOCKADDR_IN));
    assert_non_null(ai->ai_addr);
    sin = (const SOCKADDR_IN *)ai->ai_addr;
    assert_int_equal(sin->sin_family, AF_INET);
    assert_int_equal(ntohs(sin->sin_port), port);
    assert_int_equal(inet_pton(AF_INET, text, &want), 1);
    assert_memory_equal(&sin->sin_addr, &want, sizeof(want));
}

static void check_v6(const ADDRINFOA *ai, const char *text, USHORT port, ULONG scope, int socktype,
                     int protocol)
{
    const SOCKADDR_IN6 *sin6;
    IN6_ADDR want;
    assert_non_null(ai);
    assert_int_equal(ai->ai_flags, 0);
    assert_int_equal(ai->ai_family, AF_INET6);
    assert_int_equal(ai->ai_socktype, socktype);
    assert_int_equal(ai->ai_protocol, protocol);
    assert_int_equal(ai->ai_addrlen, sizeof(SOCKADDR_IN6));
    assert_non_null(ai->ai_addr);
    sin6 = (const SOCKADDR_IN6 *)ai->ai_addr;
    assert_int_equal(sin6->sin6_family, AF_INET6);
    assert_int_equal(ntohs(sin6->sin6_port), port);
    assert_int_equal(sin6->sin6_flowinfo, 0);
    assert_int_equal(sin6->sin6_scope_id, scope);
    assert_int_equal(inet_pton(AF_INET6, text, &want), 1);
    assert_memory_equal(&sin6->sin6_addr, &want, sizeof(want));
}

static ADDRINFOA make_hints(int flags, int family, int socktype, int protocol)
{
    ADDRINFOA h;
    memset(&h, 0, sizeof(h));
    h.ai_flags = flags;
    h.ai_family = family;
    h.ai_socktype = socktype;
    h.ai_protocol = protocol;
    return h;
}

static int count_entries(const ADDRINFOA *ai)
{
    int n = 0;
    for (; ai; ai = ai->ai_next) n++;
    return n;
}

/* getaddrinfo that must fail with ERROR, leaving the result NULL and the last error ERROR. */
static void expect_failure(const char *node, const char *service, const ADDRINFOA *hints, int error)
{
    ADDRINFOA *res = (ADDRINFOA *)(ULONG_PTR)0xdeadbeef;
    WSASetLastError(0xdead);
    assert_wsa_error(getaddrinfo(node, service, hints, &res), error, error);
    assert_null(res);
}

/* ---- arguments ---- */

static void test_getaddrinfo_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    ADDRINFOA *res = (ADDRINFOA *)(ULONG_PTR)0xdeadbeef;
    WSADATA data;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_wsa_error(getaddrinfo("127.0.0.1", "80", NULL, &res), WSANOTINITIALISED,
                     WSANOTINITIALISED);
    assert_null(res);
    assert_wsa_error(GetAddrInfoExW(L"127.0.0.1", NULL, NS_ALL, NULL, NULL, (ADDRINFOEXW **)&res,
                                    NULL, NULL, NULL, NULL),
                     WSANOTINITIALISED, WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static void test_getaddrinfo_without_node_and_service_fails_with_EAI_NONAME(void **state)
{
    ADDRINFOA hints = make_hints(0, AF_INET, SOCK_STREAM, 0);
    (void)state;
    expect_failure(NULL, NULL, NULL, EAI_NONAME);
    expect_failure(NULL, NULL, &hints, EAI_NONAME);
    assert_int_equal(EAI_NONAME, WSAHOST_NOT_FOUND);
}

static void test_getaddrinfo_with_bad_result_pointer_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    assert_wsa_error(getaddrinfo("127.0.0.1", NULL, NULL, NULL), WSAEFAULT, WSAEFAULT);
    assert_wsa_error(getaddrinfo("127.0.0.1", NULL, NULL, (ADDRINFOA **)(ULONG_PTR)0x10), WSAEFAULT,
                     WSAEFAULT);
}

static void test_getaddrinfo_hints_are_validated_with_the_documented_errors(void **state)
{
    ADDRINFOA h;
    SOCKADDR_IN sin;
    (void)state;
    h = make_hints(0x2000000, AF_UNSPEC, 0, 0);
    expect_failure("127.0.0.1", NULL, &h, EAI_BADFLAGS);
    h = make_hints((int)0x80000000, AF_UNSPEC, 0, 0); /* AI_EXTENDED: GetAddrInfoEx only */
    expect_failure("127.0.0.1", NULL, &h, EAI_BADFLAGS);
    h = make_hints(AI_CANONNAME | AI_FQDN, AF_UNSPEC, 0, 0);
    expect_failure("127.0.0.1", NULL, &h, EAI_BADFLAGS);
    h = make_hints(AI_CANONNAME, AF_UNSPEC, 0, 0);
    expect_failure(NULL, "80", &h, EAI_BADFLAGS);
    h = make_hints(0, AF_IPX, 0, 0);
    expect_failure("127.0.0.1", NULL, &h, EAI_FAMILY);
    h = make_hints(0, 999, 0, 0);
    expect_failure("127.0.0.1", NULL, &h, EAI_FAMILY);
    h = make_hints(0, AF_UNSPEC, 999, IPPROTO_TCP);
    expect_failure("localhost", NULL, &h, EAI_SOCKTYPE);
    h = make_hints(0, AF_INET, 999, IPPROTO_UDP);
    expect_failure("localhost", NULL, &h, EAI_SOCKTYPE);
    /* ai_addrlen, ai_canonname, ai_addr and ai_next must be zero. */
    h = make_hints(0, AF_UNSPEC, 0, 0);
    h.ai_addrlen = sizeof(sin);
    expect_failure("127.0.0.1", NULL, &h, EAI_FAIL);
    h = make_hints(0, AF_UNSPEC, 0, 0);
    h.ai_addr = (SOCKADDR *)&sin;
    expect_failure("127.0.0.1", NULL, &h, EAI_FAIL);
    h = make_hints(0, AF_UNSPEC, 0, 0);
    h.ai_canonname = (char *)"x";
    expect_failure("127.0.0.1", NULL, &h, EAI_FAIL);
    h = make_hints(0, AF_UNSPEC, 0, 0);
    h.ai_next = &h;
    expect_failure("127.0.0.1", NULL, &h, EAI_FAIL);
    assert_int_equal(EAI_FAIL, WSANO_RECOVERY);
    assert_int_equal(EAI_BADFLAGS, WSAEINVAL);
    assert_int_equal(EAI_FAMILY, WSAEAFNOSUPPORT);
    assert_int_equal(EAI_SOCKTYPE, WSAESOCKTNOSUPPORT);
}

static void test_getaddrinfo_copies_socktype_and_protocol_from_the_hints(void **state)
{
    static const struct {
        int family, socktype, protocol;
    } cases[] = {
        {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP},
        {AF_UNSPEC, SOCK_STREAM, IPPROTO_UDP},
        {AF_UNSPEC, SOCK_DGRAM, IPPROTO_IPV6},
        {AF_INET, 0, IPPROTO_TCP},
        {AF_INET, SOCK_DGRAM, 0},
        {AF_UNSPEC, 0, 0},
        {AF_UNSPEC, SOCK_STREAM, 999},
        {AF_INET6, SOCK_RAW, 0},
    };
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        ADDRINFOA h = make_hints(0, cases[i].family, cases[i].socktype, cases[i].protocol);
        ADDRINFOA *res = NULL, *p;
        WSASetLastError(0xdead);
        assert_int_equal(getaddrinfo("localhost", NULL, &h, &res), 0);
        assert_int_equal(WSAGetLastError(), 0);
        assert_non_null(res);
        for (p = res; p; p = p->ai_next) {
            if (cases[i].family != AF_UNSPEC) assert_int_equal(p->ai_family, cases[i].family);
            assert_int_equal(p->ai_socktype, cases[i].socktype);
            assert_int_equal(p->ai_protocol, cases[i].protocol);
        }
        freeaddrinfo(res);
    }
}

/* ---- numeric hosts ---- */

static void test_getaddrinfo_numeric_ipv4_with_null_hints_gives_one_entry(void **state)
{
    ADDRINFOA *res = NULL;
    (void)state;
    assert_int_equal(getaddrinfo("192.168.1.253", NULL, NULL, &res), 0);
    check_v4(res, "192.168.1.253", 0, 0, 0);
    assert_null(res->ai_canonname);
    assert_null(res->ai_next);
    freeaddrinfo(res);

    assert_int_equal(getaddrinfo("127.0.0.1", "8080", NULL, &res), 0);
    check_v4(res, "127.0.0.1", 8080, 0, 0);
    assert_null(res->ai_next);
    freeaddrinfo(res);
}

static void test_getaddrinfo_numeric_ipv6_accepts_brackets_and_scope(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(AI_NUMERICHOST, AF_INET6, 0, 0);
    (void)state;
    assert_int_equal(getaddrinfo("2a00:2039:dead:beef:cafe::6666", NULL, NULL, &res), 0);
    check_v6(res, "2a00:2039:dead:beef:cafe::6666", 0, 0, 0, 0);
    assert_null(res->ai_next);
    freeaddrinfo(res);

    assert_int_equal(getaddrinfo("[beef::cafe]", NULL, &h, &res), 0);
    check_v6(res, "beef::cafe", 0, 0, 0, 0);
    freeaddrinfo(res);

    /* A port inside the node is ignored; the service gives the port. */
    assert_int_equal(getaddrinfo("[beef::cafe]:10239", "7", NULL, &res), 0);
    check_v6(res, "beef::cafe", 7, 0, 0, 0);
    freeaddrinfo(res);

    assert_int_equal(getaddrinfo("fe80::1%5", NULL, NULL, &res), 0);
    check_v6(res, "fe80::1", 0, 5, 0, 0);
    freeaddrinfo(res);
}

static void test_getaddrinfo_malformed_numeric_hosts_fail_with_EAI_NONAME(void **state)
{
    ADDRINFOA h = make_hints(AI_NUMERICHOST, AF_UNSPEC, 0, 0);
    ADDRINFOA h4 = make_hints(AI_NUMERICHOST, AF_INET, 0, 0);
    (void)state;
    expect_failure("192.168.1.253:1024", NULL, &h, EAI_NONAME);
    expect_failure("[beef::cafe", NULL, &h, EAI_NONAME);
    expect_failure("beef::cafe]", NULL, &h, EAI_NONAME);
    expect_failure("[beef::cafe]", NULL, &h4, EAI_NONAME);
    expect_failure("localhost", "80", &h, EAI_NONAME);
    expect_failure("alpha.test", NULL, &h, EAI_NONAME);
}

static void test_getaddrinfo_ipv4_literal_for_AF_INET6_needs_AI_V4MAPPED(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(0, AF_INET6, 0, 0);
    (void)state;
    expect_failure("10.0.0.1", NULL, &h, EAI_NONAME);
    h.ai_flags = AI_V4MAPPED;
    assert_int_equal(getaddrinfo("10.0.0.1", NULL, &h, &res), 0);
    check_v6(res, "::ffff:10.0.0.1", 0, 0, 0, 0);
    assert_null(res->ai_next);
    freeaddrinfo(res);
}

/* ---- no node, the local host ---- */

static void test_getaddrinfo_without_node_gives_loopback_or_wildcard_ipv6_first(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(AI_PASSIVE, AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP);
    (void)state;
    assert_int_equal(getaddrinfo(NULL, "80", NULL, &res), 0);
    assert_int_equal(count_entries(res), 2);
    check_v6(res, "::1", 80, 0, 0, 0);
    check_v4(res->ai_next, "127.0.0.1", 80, 0, 0);
    freeaddrinfo(res);

    assert_int_equal(getaddrinfo(NULL, "80", &h, &res), 0);
    assert_int_equal(count_entries(res), 2);
    check_v6(res, "::", 80, 0, SOCK_STREAM, IPPROTO_TCP);
    check_v4(res->ai_next, "0.0.0.0", 80, SOCK_STREAM, IPPROTO_TCP);
    freeaddrinfo(res);

    h.ai_family = AF_INET;
    assert_int_equal(getaddrinfo(NULL, "", &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    check_v4(res, "0.0.0.0", 0, SOCK_STREAM, IPPROTO_TCP);
    freeaddrinfo(res);
}

static void test_getaddrinfo_localhost_gives_ipv6_then_ipv4_loopback(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(AI_CANONNAME, AF_UNSPEC, 0, 0);
    (void)state;
    assert_int_equal(getaddrinfo("localhost", "0", NULL, &res), 0);
    assert_int_equal(count_entries(res), 2);
    check_v6(res, "::1", 0, 0, 0, 0);
    check_v4(res->ai_next, "127.0.0.1", 0, 0, 0);
    assert_null(res->ai_canonname);
    freeaddrinfo(res);

    assert_int_equal(getaddrinfo("LOCALHOST", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 2);
    assert_string_equal(res->ai_canonname, "localhost");
    assert_null(res->ai_next->ai_canonname);
    freeaddrinfo(res);

    h = make_hints(0, AF_INET, 0, 0);
    assert_int_equal(getaddrinfo("localhost", "80", &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    check_v4(res, "127.0.0.1", 80, 0, 0);
    freeaddrinfo(res);
}

static int same_list(const ADDRINFOA *a, const ADDRINFOA *b)
{
    for (; a && b; a = a->ai_next, b = b->ai_next)
        if (a->ai_family != b->ai_family || a->ai_addrlen != b->ai_addrlen ||
            memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen))
            return 0;
    return !a && !b;
}

static void test_getaddrinfo_empty_node_is_the_local_host_name(void **state)
{
    ADDRINFOA *a = NULL, *b = NULL;
    char name[256];
    DWORD size = sizeof(name);
    (void)state;
    assert_true(GetComputerNameExA(ComputerNamePhysicalDnsHostname, name, &size));
    WSASetLastError(0xdead);
    assert_int_equal(getaddrinfo("", NULL, NULL, &a), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_non_null(a);
    assert_int_equal(getaddrinfo(name, "", NULL, &b), 0);
    assert_true(same_list(a, b));
    freeaddrinfo(a);
    freeaddrinfo(b);
}

/* ---- the hosts file ---- */

/* What the machine's own addresses (its name's, loopback aside) say about the order RFC 6724
   gives: an IPv4 address, any IPv6 address, an IPv6 address of the policy table's default
   label (global unicast: not link-local, unique-local, 6to4, Teredo or the old ranges). */
struct machine {
    int v4, v6, v6_global;
};

static struct machine machine_addresses(void)
{
    struct machine m = {0, 0, 0};
    ADDRINFOA *all = NULL, *p;
    assert_int_equal(getaddrinfo("", NULL, NULL, &all), 0);
    for (p = all; p; p = p->ai_next) {
        if (p->ai_family == AF_INET && ((const SOCKADDR_IN *)p->ai_addr)->sin_addr.s_net != 127)
            m.v4 = 1;
        if (p->ai_family == AF_INET6) {
            const IN6_ADDR *a = &((const SOCKADDR_IN6 *)p->ai_addr)->sin6_addr;
            const BYTE *b = a->s6_addr;
            if (IN6_IS_ADDR_LOOPBACK(a)) continue;
            m.v6 = 1;
            if (!IN6_IS_ADDR_LINKLOCAL(a) && !IN6_IS_ADDR_SITELOCAL(a) && (b[0] & 0xfe) != 0xfc &&
                !(b[0] == 0x20 && b[1] == 0x02) &&
                !(b[0] == 0x20 && b[1] == 0x01 && !b[2] && !b[3]) &&
                !(b[0] == 0x3f && b[1] == 0xfe) && !IN6_IS_ADDR_V4MAPPED(a) && b[0])
                m.v6_global = 1;
        }
    }
    freeaddrinfo(all);
    return m;
}

static void test_getaddrinfo_finds_hosts_file_names_and_aliases(void **state)
{
    ADDRINFOA *res = NULL, *v6, *v4;
    ADDRINFOA h = make_hints(AI_CANONNAME, AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP);
    struct machine m = machine_addresses();
    /* RFC 6724: a global IPv6 destination ranks above IPv4 when a global IPv6 source can reach
       it (precedence 40 against 35), or when no IPv4 source can reach the other. */
    int v6_first = m.v6_global || !m.v4;
    (void)state;
    expect_failure("alpha.test", "http", NULL, EAI_SERVICE); /* not in the test's services */
    assert_int_equal(getaddrinfo("alpha.test", "4444", NULL, &res), 0);
    assert_int_equal(count_entries(res), 2);
    v6 = v6_first ? res : res->ai_next;
    v4 = v6_first ? res->ai_next : res;
    check_v6(v6, "2001:db8::5", 4444, 0, 0, 0);
    check_v4(v4, "10.1.2.3", 4444, 0, 0);
    assert_null(res->ai_canonname);
    freeaddrinfo(res);

    assert_int_equal(getaddrinfo("ALPHA.Test", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 2);
    assert_non_null(res->ai_canonname);
    assert_string_equal(res->ai_canonname, "alpha.test");
    assert_null(res->ai_next->ai_canonname);
    check_v6(v6_first ? res : res->ai_next, "2001:db8::5", 0, 0, SOCK_STREAM, IPPROTO_TCP);
    freeaddrinfo(res);

    /* An alias matches the lines that carry it. */
    assert_int_equal(getaddrinfo("alpha", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    assert_string_equal(res->ai_canonname, "alpha.test");
    check_v4(res, "10.1.2.3", 0, SOCK_STREAM, IPPROTO_TCP);
    freeaddrinfo(res);

    /* Unique-local IPv6 ranks below IPv4 (precedence 3), unless only IPv6 can reach it. */
    assert_int_equal(getaddrinfo("both.test", NULL, NULL, &res), 0);
    assert_int_equal(count_entries(res), 2);
    v6_first = !m.v4 && m.v6;
    check_v4(v6_first ? res->ai_next : res, "10.1.2.8", 0, 0, 0);
    check_v6(v6_first ? res : res->ai_next, "fd00::8", 0, 0, 0, 0);
    freeaddrinfo(res);
}

/* Loopback first (precedence 50, reached from loopback); a global IPv6 destination before an
   IPv4 loopback one only if a global IPv6 source reaches it (otherwise its scope or label does
   not match its source's, RFC 6724 rules 2 and 5). */
static void test_getaddrinfo_orders_addresses_by_RFC_6724_against_the_machines_sources(void **s)
{
    ADDRINFOA *res = NULL;
    struct machine m = machine_addresses();
    (void)s;
    assert_int_equal(getaddrinfo("order.test", NULL, NULL, &res), 0);
    assert_int_equal(count_entries(res), 3);
    check_v6(res, "::1", 0, 0, 0, 0);
    if (m.v6_global) {
        check_v6(res->ai_next, "2001:db8::9", 0, 0, 0, 0);
        check_v4(res->ai_next->ai_next, "127.0.0.9", 0, 0, 0);
    } else {
        check_v4(res->ai_next, "127.0.0.9", 0, 0, 0);
        check_v6(res->ai_next->ai_next, "2001:db8::9", 0, 0, 0, 0);
    }
    freeaddrinfo(res);
}

static void test_getaddrinfo_ignores_AI_PASSIVE_and_a_root_dot_with_a_node(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(AI_PASSIVE, AF_INET, 0, 0);
    (void)state;
    assert_int_equal(getaddrinfo("alpha.test.", "21", &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    check_v4(res, "10.1.2.3", 21, 0, 0);
    freeaddrinfo(res);
}

static void test_getaddrinfo_with_unreadable_strings_fails_with_WSAEFAULT(void **state)
{
    ADDRINFOA *res = (ADDRINFOA *)(ULONG_PTR)0xdeadbeef;
    ADDRINFOW *resw = (ADDRINFOW *)(ULONG_PTR)0xdeadbeef;
    (void)state;
    assert_wsa_error(getaddrinfo((const char *)(ULONG_PTR)0x10, NULL, NULL, &res), WSAEFAULT,
                     WSAEFAULT);
    assert_null(res);
    assert_wsa_error(getaddrinfo("127.0.0.1", (const char *)(ULONG_PTR)0x10, NULL, &res), WSAEFAULT,
                     WSAEFAULT);
    assert_wsa_error(getaddrinfo("127.0.0.1", NULL, (const ADDRINFOA *)(ULONG_PTR)0x10, &res),
                     WSAEFAULT, WSAEFAULT);
    assert_wsa_error(GetAddrInfoW((const WCHAR *)(ULONG_PTR)0x10, NULL, NULL, &resw), WSAEFAULT,
                     WSAEFAULT);
    assert_null(resw);
}

/* Names under "invalid" never reach DNS (RFC 6761), so these fail without any packet sent. */
static void test_getaddrinfo_unknown_name_fails_with_EAI_NONAME(void **state)
{
    (void)state;
    expect_failure("invalid", NULL, NULL, EAI_NONAME);
    expect_failure("Other.INVALID.", NULL, NULL, EAI_NONAME);
    expect_failure("no-such-host.invalid", NULL, NULL, EAI_NONAME);
    expect_failure("no-such-host.invalid", "80", NULL, EAI_NONAME);
}

static void test_getaddrinfo_known_name_without_the_family_fails_with_WSANO_DATA(void **state)
{
    ADDRINFOA h6 = make_hints(0, AF_INET6, 0, 0), h4 = make_hints(0, AF_INET, 0, 0);
    (void)state;
    expect_failure("v4only.test", NULL, &h6, WSANO_DATA);
    expect_failure("v6only.test", NULL, &h4, WSANO_DATA);
}

static void test_getaddrinfo_AI_V4MAPPED_and_AI_ALL_map_ipv4_addresses(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(AI_V4MAPPED, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    struct machine m;
    int v6_first;
    (void)state;
    assert_int_equal(getaddrinfo("v4only.test", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    check_v6(res, "::ffff:192.0.2.7", 0, 0, SOCK_DGRAM, IPPROTO_UDP);
    freeaddrinfo(res);

    /* With IPv6 addresses present, AI_V4MAPPED alone adds nothing... */
    assert_int_equal(getaddrinfo("alpha.test", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    check_v6(res, "2001:db8::5", 0, 0, SOCK_DGRAM, IPPROTO_UDP);
    freeaddrinfo(res);

    /* ...and AI_ALL adds the mapped IPv4 ones too, ordered as IPv4 (RFC 6724). */
    h.ai_flags |= AI_ALL;
    assert_int_equal(getaddrinfo("alpha.test", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 2);
    m = machine_addresses();
    v6_first = m.v6_global || !m.v4;
    check_v6(v6_first ? res : res->ai_next, "2001:db8::5", 0, 0, SOCK_DGRAM, IPPROTO_UDP);
    check_v6(v6_first ? res->ai_next : res, "::ffff:10.1.2.3", 0, 0, SOCK_DGRAM, IPPROTO_UDP);
    freeaddrinfo(res);

    /* AI_V4MAPPED is ignored for other families. */
    h = make_hints(AI_V4MAPPED | AI_ALL, AF_INET, 0, 0);
    assert_int_equal(getaddrinfo("alpha.test", NULL, &h, &res), 0);
    assert_int_equal(count_entries(res), 1);
    check_v4(res, "10.1.2.3", 0, 0, 0);
    freeaddrinfo(res);
}

static void test_getaddrinfo_AI_FQDN_and_AI_CANONNAME_name_the_first_entry(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA h = make_hints(AI_FQDN, AF_INET, 0, 0);
    (void)state;
    assert_int_equal(getaddrinfo("alpha", NULL, &h, &res), 0);
    assert_string_equal(res->ai_canonname, "alpha.test");
    freeaddrinfo(res);

    h.ai_flags = AI_CANONNAME;
    assert_int_equal(getaddrinfo("10.1.2.3", NULL, &h, &res), 0);
    assert_string_equal(res->ai_canonname, "10.1.2.3");
    freeaddrinfo(res);
}

static void test_getaddrinfo_accepts_the_informational_flags(void **state)
{
    static const int flags[] = {AI_NON_AUTHORITATIVE, AI_SECURE,     AI_RETURN_PREFERRED_NAMES,
                                AI_ADDRCONFIG,        AI_FILESERVER, AI_DISABLE_IDN_ENCODING,
                                AI_NUMERICSERV,       AI_PASSIVE};
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(flags); i++) {
        ADDRINFOA *res = NULL;
        ADDRINFOA h = make_hints(flags[i], AF_INET, 0, 0);
        assert_int_equal(getaddrinfo("127.0.0.1", "25", &h, &res), 0);
        assert_int_equal(count_entries(res), 1);
        check_v4(res, "127.0.0.1", 25, 0, 0);
        freeaddrinfo(res);
    }
}

static void test_getaddrinfo_AI_ADDRCONFIG_keeps_only_configured_families(void **state)
{
    ADDRINFOA *all = NULL, *res = NULL, *p;
    ADDRINFOA h = make_hints(AI_ADDRCONFIG, AF_UNSPEC, 0, 0);
    int v4 = 0, v6 = 0, ret;
    (void)state;
    /* Which families the machine has besides loopback: from its own name's addresses. */
    assert_int_equal(getaddrinfo("", NULL, NULL, &all), 0);
    for (p = all; p; p = p->ai_next) {
        if (p->ai_family == AF_INET && ((const SOCKADDR_IN *)p->ai_addr)->sin_addr.s_net != 127)
            v4 = 1;
        if (p->ai_family == AF_INET6 &&
            !IN6_IS_ADDR_LOOPBACK(&((const SOCKADDR_IN6 *)p->ai_addr)->sin6_addr) &&
            !IN6_IS_ADDR_LINKLOCAL(&((const SOCKADDR_IN6 *)p->ai_addr)->sin6_addr))
            v6 = 1; /* a global address: link-local ones do not count */
    }
    freeaddrinfo(all);
    ret = getaddrinfo("alpha.test", NULL, &h, &res);
    if (!v4 && !v6) {
        assert_int_equal(ret, WSANO_DATA);
        return;
    }
    assert_int_equal(ret, 0);
    assert_int_equal(count_entries(res), v4 + v6);
    for (p = res; p; p = p->ai_next) assert_true(p->ai_family == AF_INET ? v4 : v6);
    freeaddrinfo(res);
}

/* ---- services ---- */

static void test_getaddrinfo_reads_services_from_the_services_file(void **state)
{
    ADDRINFOA *res = NULL;
    ADDRINFOA tcp = make_hints(0, AF_INET, SOCK_STREAM, 0);
    ADDRINFOA udp = make_hints(0, AF_INET, SOCK_DGRAM, 0);
    ADDRINFOA udp_proto = make_hints(0, AF_INET, 0, IPPROTO_UDP);
    (void)state;
    assert_int_equal(getaddrinfo("127.0.0.1", "openws2-echo", &tcp, &res), 0);
    check_v4(res, "127.0.0.1", 4444, SOCK_STREAM, 0);
    freeaddrinfo(res);
    assert_int_equal(getaddrinfo("127.0.0.1", "oecho", &tcp, &res), 0);
    check_v4(res, "127.0.0.1", 4444, SOCK_STREAM, 0);
    freeaddrinfo(res);
    assert_int_equal(getaddrinfo("127.0.0.1", "openws2-echo", &udp, &res), 0);
    check_v4(res, "127.0.0.1", 4445, SOCK_DGRAM, 0);
    freeaddrinfo(res);
    assert_int_equal(getaddrinfo("127.0.0.1", "openws2-echo", &udp_proto, &res), 0);
    check_v4(res, "127.0.0.1", 4445, 0, IPPROTO_UDP);
    freeaddrinfo(res);
    /* No protocol asked for: the first entry of any protocol. */
    assert_int_equal(getaddrinfo("127.0.0.1", "openws2-echo", NULL, &res), 0);
    check_v4(res, "127.0.0.1", 4444, 0, 0);
    freeaddrinfo(res);
}

static void test_getaddrinfo_unknown_service_fails_with_EAI_SERVICE(void **state)
{
    ADDRINFOA udp = make_hints(0, AF_UNSPEC, SOCK_DGRAM, 0);
    ADDRINFOA numeric = make_hints(AI_NUMERICSERV, AF_UNSPEC, 0, 0);
    (void)state;
    expect_failure(NULL, "nonexistentservice", NULL, EAI_SERVICE);
    expect_failure("127.0.0.1", "openws2-tcponly", &udp, EAI_SERVICE);
    expect_failure("127.0.0.1", "70000", NULL, EAI_SERVICE);
    expect_failure("127.0.0.1", "openws2-echo", &numeric, EAI_NONAME);
    assert_int_equal(EAI_SERVICE, WSATYPE_NOT_FOUND);
}

static void test_getaddrinfo_empty_and_zero_service_give_port_zero(void **state)
{
    ADDRINFOA *a = NULL, *b = NULL;
    (void)state;
    assert_int_equal(getaddrinfo(NULL, "0", NULL, &a), 0);
    assert_int_equal(getaddrinfo(NULL, "", NULL, &b), 0);
    assert_true(same_list(a, b));
    check_v4(a->ai_next, "127.0.0.1", 0, 0, 0);
    freeaddrinfo(a);
    freeaddrinfo(b);
    freeaddrinfo(NULL);
}

/* ---- GetAddrInfoW ---- */

static void test_GetAddrInfoW_gives_utf16_canonical_names(void **state)
{
    ADDRINFOW *res = (ADDRINFOW *)(ULONG_PTR)0xdeadbeef;
    ADDRINFOW h;
    (void)state;
    WSASetLastError(0xdead);
    assert_wsa_error(GetAddrInfoW(NULL, NULL, NULL, &res), WSAHOST_NOT_FOUND, WSAHOST_NOT_FOUND);
    assert_null(res);

    memset(&h, 0, sizeof(h));
    h.ai_flags = AI_CANONNAME;
    h.ai_family = AF_INET;
    assert_int_equal(GetAddrInfoW(L"alpha", L"openws2-echo", &h, &res), 0);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET);
    assert_int_equal(ntohs(((SOCKADDR_IN *)res->ai_addr)->sin_port), 4444);
    assert_non_null(res->ai_canonname);
    assert_true(!wcscmp(res->ai_canonname, L"alpha.test"));
    assert_null(res->ai_next);
    FreeAddrInfoW(res);

    h.ai_socktype = 999;
    assert_wsa_error(GetAddrInfoW(L"localhost", NULL, &h, &res), EAI_SOCKTYPE, EAI_SOCKTYPE);
}

/* ---- GetAddrInfoEx: synchronous ---- */

static void test_GetAddrInfoExW_synchronous_gives_ADDRINFOEX_entries(void **state)
{
    ADDRINFOEXW *res = (ADDRINFOEXW *)(ULONG_PTR)0xdeadbeef;
    (void)state;
    WSASetLastError(0xdead);
    assert_wsa_error(GetAddrInfoExW(NULL, NULL, NS_DNS, NULL, NULL, &res, NULL, NULL, NULL, NULL),
                     WSAHOST_NOT_FOUND, WSAHOST_NOT_FOUND);
    assert_null(res);

    WSASetLastError(0xdead);
    assert_int_equal(
        GetAddrInfoExW(L"localhost", L"80", NS_ALL, NULL, NULL, &res, NULL, NULL, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET6);
    assert_int_equal(res->ai_addrlen, sizeof(SOCKADDR_IN6));
    assert_int_equal(ntohs(((SOCKADDR_IN6 *)res->ai_addr)->sin6_port), 80);
    assert_null(res->ai_blob);
    assert_int_equal(res->ai_bloblen, 0);
    assert_null(res->ai_provider);
    assert_null(res->ai_canonname);
    assert_non_null(ex_next(res));
    assert_int_equal(ex_next(res)->ai_family, AF_INET);
    assert_null(ex_next(ex_next(res)));
    FreeAddrInfoExW(res);
    FreeAddrInfoExW(NULL);
}

static void test_GetAddrInfoExA_gives_ansi_canonical_names(void **state)
{
    ADDRINFOEXA *res = NULL, h;
    (void)state;
    memset(&h, 0, sizeof(h));
    h.ai_flags = AI_CANONNAME;
    h.ai_family = AF_INET;
    h.ai_socktype = SOCK_STREAM;
    assert_int_equal(
        GetAddrInfoExA("alpha", "oecho", NS_DNS, NULL, &h, &res, NULL, NULL, NULL, NULL), 0);
    assert_non_null(res);
    assert_string_equal(res->ai_canonname, "alpha.test");
    assert_int_equal(res->ai_socktype, SOCK_STREAM);
    assert_int_equal(ntohs(((SOCKADDR_IN *)res->ai_addr)->sin_port), 4444);
    assert_null(res->ai_next);
    FreeAddrInfoEx(res);
}

/* The ANSI form is synchronous only: its timeout, OVERLAPPED, completion routine and handle
   are reserved and must be NULL, else EAI_BADFLAGS (WSAEINVAL), as the reference page says. */
static void test_GetAddrInfoExA_refuses_its_reserved_asynchronous_parameters(void **state)
{
    ADDRINFOEXA *res = (ADDRINFOEXA *)(ULONG_PTR)0xdeadbeef;
    OVERLAPPED ov;
    struct timeval tv = {1, 0};
    HANDLE handle = NULL;
    (void)state;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    assert_wsa_error(
        GetAddrInfoExA("localhost", NULL, NS_DNS, NULL, NULL, &res, NULL, &ov, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    assert_null(res);
    assert_wsa_error(
        GetAddrInfoExA("localhost", NULL, NS_DNS, NULL, NULL, &res, &tv, &ov, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    handle = (HANDLE)(ULONG_PTR)0xdeadbeef;
    assert_wsa_error(
        GetAddrInfoExA("localhost", NULL, NS_DNS, NULL, NULL, &res, NULL, NULL, NULL, &handle),
        WSAEINVAL, WSAEINVAL);
    assert_ptr_equal(handle, (HANDLE)(ULONG_PTR)0xdeadbeef);
    /* Nothing was started: the event stays unset. */
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    WSACloseEvent(ov.hEvent);
}

static void test_GetAddrInfoExW_rejects_bad_namespace_and_async_arguments(void **state)
{
    ADDRINFOEXW *res = NULL;
    OVERLAPPED ov;
    struct timeval tv = {1, 0};
    HANDLE handle = NULL;
    GUID guid = {0x12345678, 0, 0, {0}};
    (void)state;
    assert_wsa_error(
        GetAddrInfoExW(L"localhost", NULL, NS_NLA, NULL, NULL, &res, NULL, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    assert_wsa_error(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, &guid, NULL, &res, NULL, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    /* A timeout only goes with an asynchronous query. */
    assert_wsa_error(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &res, &tv, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    /* Without an overlapped the query is synchronous and the handle is left alone. */
    handle = (HANDLE)(ULONG_PTR)0x1234;
    assert_int_equal(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &res, NULL, NULL, NULL, &handle), 0);
    assert_ptr_equal(handle, (HANDLE)(ULONG_PTR)0x1234);
    FreeAddrInfoExW(res);
    /* An event and a completion routine together are refused. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    assert_wsa_error(GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &res, NULL, &ov,
                                    (LPLOOKUPSERVICE_COMPLETION_ROUTINE)(ULONG_PTR)1, NULL),
                     WSAEINVAL, WSAEINVAL);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    tv.tv_sec = -1;
    assert_wsa_error(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &res, &tv, &ov, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    WSACloseEvent(ov.hEvent);
    assert_wsa_error(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        WSAEFAULT, WSAEFAULT);
}

static void test_GetAddrInfoExW_AI_EXTENDED_gives_versioned_entries_with_the_fqdn(void **state)
{
    struct ws_test_addrinfoex h;
    ADDRINFOEXW *res = NULL;
    const struct ws_test_addrinfoex *ex;
    (void)state;
    memset(&h, 0, sizeof(h));
    h.base.ai_flags = (int)(0x80000000u | AI_FQDN);
    h.base.ai_family = AF_INET;
    h.ai_version = 2;
    assert_int_equal(
        GetAddrInfoExW(L"alpha", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL), 0);
    assert_non_null(res);
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 2);
    assert_non_null(ex->ai_fqdn);
    assert_true(!wcscmp(ex->ai_fqdn, L"alpha.test"));
    FreeAddrInfoExW(res);

    h.ai_version = 99;
    assert_wsa_error(
        GetAddrInfoExW(L"alpha", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
}

/* AI_CANONNAME with AI_FQDN is refused by getaddrinfo, but GetAddrInfoEx gives both names in
   ADDRINFOEX2, even to hints of the plain shape. */
static void test_GetAddrInfoExW_AI_CANONNAME_with_AI_FQDN_gives_ADDRINFOEX2(void **state)
{
    ADDRINFOEXW h, *res = NULL;
    const struct ws_test_addrinfoex *ex;
    (void)state;
    memset(&h, 0, sizeof(h));
    h.ai_flags = AI_CANONNAME | AI_FQDN;
    h.ai_family = AF_INET;
    WSASetLastError(0xdead);
    assert_int_equal(GetAddrInfoExW(L"alpha", NULL, NS_DNS, NULL, &h, &res, NULL, NULL, NULL, NULL),
                     0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_non_null(res);
    assert_int_equal((unsigned)res->ai_flags, AI_EXTENDED_);
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 2);
    assert_non_null(res->ai_canonname);
    assert_true(!wcscmp(res->ai_canonname, L"alpha.test"));
    assert_non_null(ex->ai_fqdn);
    assert_true(!wcscmp(ex->ai_fqdn, L"alpha.test"));
    assert_null(ex_next(res));
    FreeAddrInfoExW(res);
}

/* AI_RESOLUTION_HANDLE (Windows 10's ADDRINFOEX4): every entry carries the same handle to the
   name, for SIO_APPLY_TRANSPORT_SETTING (test_sio.c); the flag alone asks for that shape. */
static void test_GetAddrInfoExW_AI_RESOLUTION_HANDLE_gives_each_entry_the_names_handle(void **state)
{
    struct ws_test_addrinfoex h;
    ADDRINFOEXW *res = NULL, *ai;
    const struct ws_test_addrinfoex *ex;
    HANDLE handle;
    (void)state;
    memset(&h, 0, sizeof(h));
    h.base.ai_flags = (int)(AI_EXTENDED_ | AI_FQDN | AI_CANONNAME | AI_RESOLUTION_HANDLE_);
    h.ai_version = 4;
    assert_int_equal(
        GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL),
        0);
    assert_non_null(res);
    assert_non_null(ex_next(res)); /* alpha.test has an IPv4 and an IPv6 address */
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 4);
    assert_true(!wcscmp(res->ai_canonname, L"alpha.test"));
    assert_true(!wcscmp(ex->ai_fqdn, L"alpha.test"));
    handle = ex->ai_resolutionhandle;
    assert_non_null(handle);
    assert_true(handle != INVALID_HANDLE_VALUE);
    for (ai = res; ai; ai = ex_next(ai)) {
        ex = (const struct ws_test_addrinfoex *)ai;
        assert_int_equal(ex->ai_version, 4);
        assert_ptr_equal(ex->ai_resolutionhandle, handle);
    }
    FreeAddrInfoExW(res);

    /* Without AI_EXTENDED, the flag still brings the version that has the member. */
    memset(&h, 0, sizeof(h));
    h.base.ai_flags = AI_RESOLUTION_HANDLE_;
    h.base.ai_family = AF_INET;
    assert_int_equal(
        GetAddrInfoExW(L"127.0.0.1", NULL, NS_ALL, NULL, &h.base, &res, NULL, NULL, NULL, NULL), 0);
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 4);
    assert_non_null(ex->ai_resolutionhandle);
    assert_true(ex->ai_resolutionhandle != handle); /* a new answer, a new handle */
    FreeAddrInfoExW(res);

    /* Not asked for, there is none. */
    memset(&h, 0, sizeof(h));
    h.base.ai_flags = (int)AI_EXTENDED_;
    h.ai_version = 4;
    assert_int_equal(
        GetAddrInfoExW(L"alpha", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL), 0);
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 4);
    assert_null(ex->ai_resolutionhandle);
    FreeAddrInfoExW(res);
}

/* AI_RETURN_TTL gives ADDRINFOEX5 entries. The hosts file and literals have no TTL: 0 (the DNS
   TTLs are in test_dns.c). */
static void test_GetAddrInfoExW_AI_RETURN_TTL_gives_ADDRINFOEX5_entries(void **state)
{
    ADDRINFOEXW h, *res = NULL;
    const struct ws_test_addrinfoex *ex;
    (void)state;
    memset(&h, 0, sizeof(h));
    h.ai_flags = AI_RETURN_TTL_;
    assert_int_equal(
        GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, &h, &res, NULL, NULL, NULL, NULL), 0);
    assert_non_null(res);
    for (ADDRINFOEXW *ai = res; ai; ai = ex_next(ai)) {
        ex = (const struct ws_test_addrinfoex *)ai;
        assert_int_equal((unsigned)ai->ai_flags, AI_EXTENDED_);
        assert_int_equal(ex->ai_version, 5);
        assert_int_equal(ex->ai_ttl, 0);
        assert_null(ex->ai_resolutionhandle);
    }
    FreeAddrInfoExW(res);
}

/* ---- GetAddrInfoEx: asynchronous ---- */

static void test_GetAddrInfoExW_async_with_an_event_completes_through_the_overlapped(void **state)
{
    ADDRINFOEXW *res = (ADDRINFOEXW *)(ULONG_PTR)0xdeadbeef;
    OVERLAPPED ov;
    HANDLE event = WSACreateEvent();
    int ret;
    (void)state;
    assert_int_equal(GetAddrInfoExOverlappedResult(NULL), WSAEINVAL);

    memset(&ov, 0xcc, sizeof(ov));
    ov.hEvent = event;
    WSASetLastError(0xdead);
    ret = GetAddrInfoExW(L"alpha.test", L"4444", NS_DNS, NULL, NULL, &res, NULL, &ov, NULL, NULL);
    assert_int_equal(ret, WSA_IO_PENDING);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_true(res != (ADDRINFOEXW *)(ULONG_PTR)0xdeadbeef);
    assert_int_equal(WaitForSingleObject(event, 10000), WAIT_OBJECT_0);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), 0);
    assert_int_equal(ov.Internal, 0);
    assert_ptr_equal(ov.Pointer, &res);
    assert_ptr_equal(ov.hEvent, event);
    assert_non_null(res);
    assert_non_null(ex_next(res));
    assert_null(ex_next(ex_next(res)));
    /* One of each family, in the order RFC 6724 gives on this machine. */
    assert_int_equal(res->ai_family + ex_next(res)->ai_family, AF_INET + AF_INET6);
    if (res->ai_family == AF_INET)
        assert_int_equal(ntohs(((SOCKADDR_IN *)res->ai_addr)->sin_port), 4444);
    else
        assert_int_equal(ntohs(((SOCKADDR_IN *)ex_next(res)->ai_addr)->sin_port), 4444);
    FreeAddrInfoExW(res);

    /* A name nobody knows fails through the overlapped too. */
    memset(&ov, 0xcc, sizeof(ov));
    ov.hEvent = event;
    ResetEvent(event);
    res = (ADDRINFOEXW *)(ULONG_PTR)0xdeadbeef;
    ret = GetAddrInfoExW(L"no-such-host.invalid", NULL, NS_ALL, NULL, NULL, &res, NULL, &ov, NULL,
                         NULL);
    assert_int_equal(ret, WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(event, 10000), WAIT_OBJECT_0);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), WSAHOST_NOT_FOUND);
    assert_int_equal(ov.Internal, WSAHOST_NOT_FOUND);
    assert_null(res);

    /* Arguments that fail at once fail synchronously, and the event stays unsignaled. */
    memset(&ov, 0xcc, sizeof(ov));
    ov.hEvent = event;
    ResetEvent(event);
    res = (ADDRINFOEXW *)(ULONG_PTR)0xdeadbeef;
    assert_wsa_error(GetAddrInfoExW(NULL, NULL, NS_DNS, NULL, NULL, &res, NULL, &ov, NULL, NULL),
                     WSAHOST_NOT_FOUND, WSAHOST_NOT_FOUND);
    assert_null(res);
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    WSACloseEvent(event);
}

static struct {
    OVERLAPPED *overlapped;
    HANDLE done;
    volatile LONG calls;
    DWORD error, bytes;
    DWORD thread;
} routine_seen;

static void CALLBACK completion_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped)
{
    routine_seen.error = error;
    routine_seen.bytes = bytes;
    routine_seen.overlapped = (OVERLAPPED *)overlapped;
    routine_seen.thread = GetCurrentThreadId();
    InterlockedIncrement(&routine_seen.calls);
    SetEvent(routine_seen.done);
}

static void test_GetAddrInfoExW_async_with_a_completion_routine_calls_it_once(void **state)
{
    ADDRINFOEXW *res = (ADDRINFOEXW *)(ULONG_PTR)0xdeadbeef;
    OVERLAPPED ov;
    int ret;
    (void)state;
    memset(&routine_seen, 0, sizeof(routine_seen));
    routine_seen.done = CreateEventA(NULL, TRUE, FALSE, NULL);
    memset(&ov, 0, sizeof(ov));
    ret = GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &res, NULL, &ov,
                         (LPLOOKUPSERVICE_COMPLETION_ROUTINE)completion_routine, NULL);
    assert_int_equal(ret, WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(routine_seen.done, 10000), WAIT_OBJECT_0);
    assert_int_equal(routine_seen.calls, 1);
    assert_int_equal(routine_seen.error, 0);
    assert_int_equal(routine_seen.bytes, 0);
    assert_ptr_equal(routine_seen.overlapped, &ov);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), 0);
    assert_ptr_equal(ov.Pointer, &res);
    assert_null(ov.hEvent);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET6);
    FreeAddrInfoExW(res);

    /* A failing query reports its error to the routine. */
    ResetEvent(routine_seen.done);
    routine_seen.calls = 0;
    memset(&ov, 0, sizeof(ov));
    ret = GetAddrInfoExW(L"no-such-host.invalid", NULL, NS_DNS, NULL, NULL, &res, NULL, &ov,
                         (LPLOOKUPSERVICE_COMPLETION_ROUTINE)completion_routine, NULL);
    assert_int_equal(ret, WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(routine_seen.done, 10000), WAIT_OBJECT_0);
    assert_int_equal(routine_seen.calls, 1);
    assert_int_equal(routine_seen.error, WSAHOST_NOT_FOUND);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), WSAHOST_NOT_FOUND);
    assert_null(res);
    CloseHandle(routine_seen.done);
}

static void test_GetAddrInfoExCancel_cancels_a_pending_query_or_rejects_the_handle(void **state)
{
    ADDRINFOEXW *res = NULL;
    OVERLAPPED ov;
    HANDLE handle = NULL, bogus = (HANDLE)(ULONG_PTR)0x7654321;
    HANDLE event = WSACreateEvent();
    int ret;
    (void)state;
    assert_wsa_error(GetAddrInfoExCancel(NULL), WSA_INVALID_HANDLE, WSA_INVALID_HANDLE);
    assert_wsa_error(GetAddrInfoExCancel(&bogus), WSA_INVALID_HANDLE, WSA_INVALID_HANDLE);

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = event;
    ret = GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, NULL, &res, NULL, &ov, NULL, &handle);
    assert_int_equal(ret, WSA_IO_PENDING);
    assert_non_null(handle);
    /* The local databases answer quickly: the cancel either wins or finds the query done. */
    ret = GetAddrInfoExCancel(&handle);
    assert_int_equal(WaitForSingleObject(event, 10000), WAIT_OBJECT_0);
    if (ret == 0) {
        assert_int_equal(GetAddrInfoExOverlappedResult(&ov), WSA_E_CANCELLED);
        assert_null(res);
    } else {
        assert_int_equal(ret, WSA_INVALID_HANDLE);
        assert_int_equal(GetAddrInfoExOverlappedResult(&ov), 0);
        assert_non_null(res);
    }
    /* The worker may still be finishing a cancelled query: give it the chance to. */
    Sleep(50);
    if (ret == 0) assert_null(res);
    FreeAddrInfoExW(res);
    /* Once complete, the handle is no longer a query's. */
    assert_wsa_error(GetAddrInfoExCancel(&handle), WSA_INVALID_HANDLE, WSA_INVALID_HANDLE);
    WSACloseEvent(event);
}

static void test_GetAddrInfoExW_async_with_a_timeout_completes_normally(void **state)
{
    ADDRINFOEXW *res = NULL;
    OVERLAPPED ov;
    struct timeval tv = {30, 0};
    HANDLE event = WSACreateEvent();
    (void)state;
    /* Nothing here blocks (no DNS in the test prefix), so the timeout never fires. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = event;
    assert_int_equal(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &res, &tv, &ov, NULL, NULL),
        WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(event, 10000), WAIT_OBJECT_0);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), 0);
    assert_non_null(res);
    FreeAddrInfoExW(res);
    WSACloseEvent(event);
}

static void test_SetAddrInfoExW_finds_no_provider_that_takes_registrations(void **state)
{
    (void)state;
    assert_wsa_error(
        SetAddrInfoExW(NULL, NULL, NULL, 0, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    assert_wsa_error(
        SetAddrInfoExW(L"name.test", NULL, NULL, 0, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL),
        WSASERVICE_NOT_FOUND, WSASERVICE_NOT_FOUND);
    assert_wsa_error(
        SetAddrInfoExA("name.test", NULL, NULL, 0, NULL, 0, NS_ALL, NULL, NULL, NULL, NULL, NULL),
        WSASERVICE_NOT_FOUND, WSASERVICE_NOT_FOUND);
}

/* AI_RETURN_RESPONSE_FLAGS gives ADDRINFOEX6 entries, whose ai_responseflags says the hosts
   file answered (AI_DNS_RESPONSE_HOSTFILE); a literal has none of the flags. */
static void test_GetAddrInfoExW_AI_RETURN_RESPONSE_FLAGS_marks_hosts_file_answers(void **state)
{
    ADDRINFOEXW h, *res = NULL;
    const struct ws_test_addrinfoex *ex;
    (void)state;
    memset(&h, 0, sizeof(h));
    h.ai_flags = AI_RETURN_RESPONSE_FLAGS_;
    h.ai_family = AF_INET;
    assert_int_equal(
        GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, &h, &res, NULL, NULL, NULL, NULL), 0);
    assert_non_null(res);
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 6);
    assert_int_equal(ex->ai_responseflags, AI_DNS_RESPONSE_HOSTFILE_);
    assert_int_equal(ex->ai_numservers, 0);
    assert_null(ex->ai_servers);
    FreeAddrInfoExW(res);

    assert_int_equal(
        GetAddrInfoExW(L"127.0.0.1", NULL, NS_DNS, NULL, &h, &res, NULL, NULL, NULL, NULL), 0);
    ex = (const struct ws_test_addrinfoex *)res;
    assert_int_equal(ex->ai_version, 6);
    assert_int_equal(ex->ai_responseflags, 0);
    FreeAddrInfoExW(res);
}

/* ADDRINFOEX6 hints may name DNS servers to ask instead of the configured ones (Windows 11);
   this resolver cannot, and says so rather than ask others. */
static void test_GetAddrInfoExW_refuses_custom_DNS_servers_it_cannot_ask(void **state)
{
    struct ws_test_addrinfoex h;
    ADDRINFOEXW *res = NULL;
    char server[64];
    (void)state;
    memset(&h, 0, sizeof(h));
    h.base.ai_flags = (int)AI_EXTENDED_;
    h.ai_version = 6;
    h.ai_numservers = 1;
    h.ai_servers = server;
    assert_wsa_error(
        GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
    assert_null(res);
    /* Version 6 hints without servers are answered. */
    h.ai_numservers = 0;
    h.ai_servers = NULL;
    assert_int_equal(
        GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL),
        0);
    assert_int_equal(((const struct ws_test_addrinfoex *)res)->ai_version, 6);
    FreeAddrInfoExW(res);
    /* Only custom servers could be used exclusively. */
    h.base.ai_flags = (int)(AI_EXTENDED_ | AI_EXCLUSIVE_CUSTOM_SERVERS_);
    assert_wsa_error(
        GetAddrInfoExW(L"alpha.test", NULL, NS_DNS, NULL, &h.base, &res, NULL, NULL, NULL, NULL),
        WSAEINVAL, WSAEINVAL);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_getaddrinfo_before_WSAStartup_fails_with_WSANOTINITIALISED),
    cmocka_unit_test(test_getaddrinfo_without_node_and_service_fails_with_EAI_NONAME),
    cmocka_unit_test(test_getaddrinfo_with_bad_result_pointer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_getaddrinfo_hints_are_validated_with_the_documented_errors),
    cmocka_unit_test(test_getaddrinfo_copies_socktype_and_protocol_from_the_hints),
    cmocka_unit_test(test_getaddrinfo_numeric_ipv4_with_null_hints_gives_one_entry),
    cmocka_unit_test(test_getaddrinfo_numeric_ipv6_accepts_brackets_and_scope),
    cmocka_unit_test(test_getaddrinfo_malformed_numeric_hosts_fail_with_EAI_NONAME),
    cmocka_unit_test(test_getaddrinfo_ipv4_literal_for_AF_INET6_needs_AI_V4MAPPED),
    cmocka_unit_test(test_getaddrinfo_without_node_gives_loopback_or_wildcard_ipv6_first),
    cmocka_unit_test(test_getaddrinfo_localhost_gives_ipv6_then_ipv4_loopback),
    cmocka_unit_test(test_getaddrinfo_empty_node_is_the_local_host_name),
    cmocka_unit_test(test_getaddrinfo_finds_hosts_file_names_and_aliases),
    cmocka_unit_test(test_getaddrinfo_orders_addresses_by_RFC_6724_against_the_machines_sources),
    cmocka_unit_test(test_getaddrinfo_ignores_AI_PASSIVE_and_a_root_dot_with_a_node),
    cmocka_unit_test(test_getaddrinfo_with_unreadable_strings_fails_with_WSAEFAULT),
    cmocka_unit_test(test_getaddrinfo_unknown_name_fails_with_EAI_NONAME),
    cmocka_unit_test(test_getaddrinfo_known_name_without_the_family_fails_with_WSANO_DATA),
    cmocka_unit_test(test_getaddrinfo_AI_V4MAPPED_and_AI_ALL_map_ipv4_addresses),
    cmocka_unit_test(test_getaddrinfo_AI_FQDN_and_AI_CANONNAME_name_the_first_entry),
    cmocka_unit_test(test_getaddrinfo_accepts_the_informational_flags),
    cmocka_unit_test(test_getaddrinfo_AI_ADDRCONFIG_keeps_only_configured_families),
    cmocka_unit_test(test_getaddrinfo_reads_services_from_the_services_file),
    cmocka_unit_test(test_getaddrinfo_unknown_service_fails_with_EAI_SERVICE),
    cmocka_unit_test(test_getaddrinfo_empty_and_zero_service_give_port_zero),
    cmocka_unit_test(test_GetAddrInfoW_gives_utf16_canonical_names),
    cmocka_unit_test(test_GetAddrInfoExW_synchronous_gives_ADDRINFOEX_entries),
    cmocka_unit_test(test_GetAddrInfoExA_gives_ansi_canonical_names),
    cmocka_unit_test(test_GetAddrInfoExA_refuses_its_reserved_asynchronous_parameters),
    cmocka_unit_test(test_GetAddrInfoExW_rejects_bad_namespace_and_async_arguments),
    cmocka_unit_test(test_GetAddrInfoExW_AI_EXTENDED_gives_versioned_entries_with_the_fqdn),
    cmocka_unit_test(test_GetAddrInfoExW_AI_CANONNAME_with_AI_FQDN_gives_ADDRINFOEX2),
    cmocka_unit_test(test_GetAddrInfoExW_AI_RESOLUTION_HANDLE_gives_each_entry_the_names_handle),
    cmocka_unit_test(test_GetAddrInfoExW_AI_RETURN_TTL_gives_ADDRINFOEX5_entries),
    cmocka_unit_test(test_GetAddrInfoExW_AI_RETURN_RESPONSE_FLAGS_marks_hosts_file_answers),
    cmocka_unit_test(test_GetAddrInfoExW_refuses_custom_DNS_servers_it_cannot_ask),
    cmocka_unit_test(test_GetAddrInfoExW_async_with_an_event_completes_through_the_overlapped),
    cmocka_unit_test(test_GetAddrInfoExW_async_with_a_completion_routine_calls_it_once),
    cmocka_unit_test(test_GetAddrInfoExCancel_cancels_a_pending_query_or_rejects_the_handle),
    cmocka_unit_test(test_GetAddrInfoExW_async_with_a_timeout_completes_normally),
    cmocka_unit_test(test_SetAddrInfoExW_finds_no_provider_that_takes_registrations),
};

WS_TEST_MAIN(tests, databases_setup, databases_teardown)
