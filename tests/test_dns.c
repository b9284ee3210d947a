/*
 * Name resolution through DNS, against a DNS server of the test's own on a loopback address
 * (127.0.0.1, port 53), made known the way an administrator configures Windows: the NameServer
 * value of HKLM\System\CurrentControlSet\Services\Tcpip\Parameters (restored at the end). No
 * query leaves the machine. (Not another 127.x address: Wine's socket device binds a datagram
 * socket there as if to any address, so its replies would come from 127.0.0.1 and the host's
 * resolver would drop them.) The server answers:
 *   alpha.dns.test   A 127.0.0.5 (TTL 300)
 *   cname.dns.test   CNAME alpha.dns.test (TTL 30), then its A record; an A record of
 *                    glue.dns.test (127.0.0.9) in the additional section
 *   two.dns.test     A 127.0.0.8 (TTL 200), A 192.0.2.1 (TTL 100), A 127.0.0.8 again (TTL 150)
 *   six.dns.test     AAAA 2001:db8::6
 *   slow.dns.test    A 127.0.0.6, three seconds late
 *   xn--bcher-kva.dns.test (the IDNA form of "bücher.dns.test")   A 127.0.0.7
 *   192.0.2.5        PTR ptr.dns.test (5.2.0.192.in-addr.arpa)
 *   2001:db8::5      PTR six.dns.test (its ip6.arpa name)
 *   192.0.2.7        PTR xn--bcher-kva.dns.test
 *   anything else    NXDOMAIN; AAAA questions for the names above get no records
 */
#include "ws_test.h"

#define SERVER_ADDR "127.0.0.1"

/* Declared by newer SDK headers than the build's. */
INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);

static const char params_key[] = "System\\CurrentControlSet\\Services\\Tcpip\\Parameters";
static BYTE saved_value[1024];
static DWORD saved_size, saved_type;
static BOOL had_value;
static SOCKET server;
static HANDLE server_thread;
static volatile LONG queries;

/* ---- the server ---- */

/* The question's name, dotted and lower case, and the offset after the question; 0 if bad. */
static int read_question(const unsigned char *msg, int len, char *name, size_t size, int *qtype)
{
    int off = 12, n = 0;
    while (off < len && msg[off]) {
        int label = msg[off++];
        if (label > 63 || off + label > len || n + label + 2 > (int)size) return 0;
        if (n) name[n++] = '.';
        for (int i = 0; i < label; i++) name[n++] = (char)tolower(msg[off + i]);
        off += label;
    }
    name[n] = 0;
    if (off + 5 > len) return 0;
    *qtype = msg[off + 1] << 8 | msg[off + 2];
    return off + 5;
}

/* A name in wire form at OUT; returns its length. */
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

/* A resource record: NAME (a pointer to offset 12, the question, when NULL), TYPE, DATA; a TTL
   of 60 seconds unless put_record_ttl says otherwise. */
static int put_record_ttl(unsigned char *out, const char *name, int type, const void *data,
                          int data_len, unsigned int ttl)
{
    int n = 0;
    if (name) {
        n = put_name(out, name);
    } else {
        out[n++] = 0xc0;
        out[n++] = 12;
    }
    out[n++] = 0, out[n++] = (unsigned char)type;            /* type */
    out[n++] = 0, out[n++] = 1;                              /* class IN */
    out[n++] = (unsigned char)(ttl >> 24), out[n++] = (unsigned char)(ttl >> 16);
    out[n++] = (unsigned char)(ttl >> 8), out[n++] = (unsigned char)ttl;
    out[n++] = (unsigned char)(data_len >> 8), out[n++] = (unsigned char)data_len;
    memcpy(out + n, data, data_len);
    return n + data_len;
}

static int put_record(unsigned char *out, const char *name, int type, const void *data,
                      int data_len)
{
    return put_record_ttl(out, name, type, data, data_len, 60);
}

/* "bücher.dns.test" as DNS knows it (IDNA's ASCII-compatible encoding). */
static const char bucher_ace[] = "xn--bcher-kva.dns.test";
static const WCHAR bucher[] = L"b\u00fccher.dns.test";

/* The reverse-lookup name of 2001:db8::5: its nibbles, last first, under ip6.arpa. */
static const char ipv6_ptr_name[] =
    "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

static DWORD WINAPI dns_server(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned char msg[512], reply[512];
        struct sockaddr_in from;
        int from_len = sizeof(from), len, off, qtype, n, answers = 0, additional = 0, rcode = 0;
        char name[256];
        IN_ADDR a;

        len = recvfrom(server, (char *)msg, sizeof(msg), 0, (struct sockaddr *)&from, &from_len);
        if (len <= 0) return 0; /* closed at the end of the group */
        InterlockedIncrement(&queries);
        if (len < 12 || !(off = read_question(msg, len, name, sizeof(name), &qtype))) continue;
        memcpy(reply, msg, off);
        n = off;
        if (!strcmp(name, "alpha.dns.test") || !strcmp(name, "slow.dns.test")) {
            if (qtype == 1) {
                a.s_addr = inet_addr(name[0] == 'a' ? "127.0.0.5" : "127.0.0.6");
                n += put_record_ttl(reply + n, NULL, 1, &a, 4, 300);
                answers = 1;
            }
            if (name[0] == 's') Sleep(3000);
        } else if (!strcmp(name, bucher_ace)) {
            if (qtype == 1) {
                a.s_addr = inet_addr("127.0.0.7");
                n += put_record(reply + n, NULL, 1, &a, 4);
                answers = 1;
            }
        } else if (!strcmp(name, "5.2.0.192.in-addr.arpa") || !strcmp(name, ipv6_ptr_name) ||
                   !strcmp(name, "7.2.0.192.in-addr.arpa")) {
            if (qtype == 12) {
                const char *target = !strcmp(name, ipv6_ptr_name)              ? "six.dns.test"
                                     : !strcmp(name, "5.2.0.192.in-addr.arpa") ? "ptr.dns.test"
                                                                               : bucher_ace;
                unsigned char data[64];
                n += put_record(reply + n, NULL, 12, data, put_name(data, target));
                answers = 1;
                /* The target's address as additional data, as servers may give it. (Wine's
                   dnsapi cannot read a name that ends the message: something must follow.) */
                a.s_addr = inet_addr("192.0.2.5");
                n += put_record(reply + n, target, 1, &a, 4);
                additional = 1;
            }
        } else if (!strcmp(name, "cname.dns.test")) {
            unsigned char target[64];
            int target_len = put_name(target, "alpha.dns.test");
            n += put_record_ttl(reply + n, NULL, 5, target, target_len, 30);
            answers = 1;
            if (qtype == 1) {
                a.s_addr = inet_addr("127.0.0.5");
                n += put_record_ttl(reply + n, "alpha.dns.test", 1, &a, 4, 300);
                answers = 2;
                a.s_addr = inet_addr("127.0.0.9");
                n += put_record(reply + n, "glue.dns.test", 1, &a, 4);
                additional = 1;
            }
        } else if (!strcmp(name, "six.dns.test")) {
            static const BYTE six[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 6};
            if (qtype == 28) {
                n += put_record(reply + n, NULL, 28, six, sizeof(six));
                answers = 1;
            }
        } else if (!strcmp(name, "two.dns.test")) {
            if (qtype == 1) {
                a.s_addr = inet_addr("127.0.0.8");
                n += put_record_ttl(reply + n, NULL, 1, &a, 4, 200);
                a.s_addr = inet_addr("192.0.2.1");
                n += put_record_ttl(reply + n, NULL, 1, &a, 4, 100);
                a.s_addr = inet_addr("127.0.0.8");
                n += put_record_ttl(reply + n, NULL, 1, &a, 4, 150);
                answers = 3;
            }
        } else {
            rcode = 3; /* NXDOMAIN */
        }
        reply[2] = 0x84 | (msg[2] & 0x01); /* a response, authoritative, RD copied */
        reply[3] = 0x80 | rcode;           /* RA */
        reply[6] = 0, reply[7] = (unsigned char)answers;
        reply[8] = reply[9] = reply[10] = 0;
        reply[11] = (unsigned char)additional;
        sendto(server, (const char *)reply, n, 0, (struct sockaddr *)&from, from_len);
    }
}

static int dns_setup(void **state)
{
    struct sockaddr_in addr = {0};
    BOOL bound = FALSE;
    HKEY key;

    if (ws_test_startup(state)) return -1;
    server = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(53);
    addr.sin_addr.s_addr = inet_addr(SERVER_ADDR);
    /* Another build's test program may hold the port for a while: wait for it, bounded. */
    for (int i = 0; server != INVALID_SOCKET && !bound && i < 240; i++) {
        bound = !bind(server, (struct sockaddr *)&addr, sizeof(addr));
        if (!bound && WSAGetLastError() != WSAEADDRINUSE) break;
        if (!bound) Sleep(500);
    }
    if (!bound) {
        print_error("cannot serve DNS on " SERVER_ADDR ":53 (error %d); the tests run as root\n",
                    WSAGetLastError());
        return -1;
    }
    server_thread = CreateThread(NULL, 0, dns_server, NULL, 0, NULL);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                        NULL))
        return -1;
    saved_size = sizeof(saved_value);
    had_value = !RegQueryValueExA(key, "NameServer", NULL, &saved_type, saved_value, &saved_size);
    RegSetValueExA(key, "NameServer", 0, REG_SZ, (const BYTE *)SERVER_ADDR, sizeof(SERVER_ADDR));
    RegCloseKey(key);
    return 0;
}

static int dns_teardown(void **state)
{
    HKEY key;
    if (!RegOpenKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, KEY_ALL_ACCESS, &key)) {
        if (had_value)
            RegSetValueExA(key, "NameServer", 0, saved_type, saved_value, saved_size);
        else
            RegDeleteValueA(key, "NameServer");
        RegCloseKey(key);
    }
    closesocket(server);
    WaitForSingleObject(server_thread, 10000);
    CloseHandle(server_thread);
    return ws_test_cleanup(state);
}

/* ---- the tests ---- */

static void test_getaddrinfo_asks_the_configured_DNS_server(void **state)
{
    struct addrinfo hints = {0}, *res = NULL;
    LONG before = queries;
    (void)state;

    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    WSASetLastError(0xdeadbeef);
    assert_int_equal(getaddrinfo("alpha.dns.test", "80", &hints, &res), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET);
    assert_int_equal(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, inet_addr("127.0.0.5"));
    assert_int_equal(ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port), 80);
    assert_null(res->ai_next);
    assert_true(queries > before);
    freeaddrinfo(res);
}

static void test_an_unknown_name_fails_with_WSAHOST_NOT_FOUND(void **state)
{
    struct addrinfo *res = (struct addrinfo *)(ULONG_PTR)0x1234;
    ADDRINFOW *resw = NULL;
    (void)state;
    assert_int_equal(getaddrinfo("missing.dns.test", NULL, NULL, &res), WSAHOST_NOT_FOUND);
    assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
    assert_null(res);
    assert_int_equal(GetAddrInfoW(L"missing.dns.test", NULL, NULL, &resw), WSAHOST_NOT_FOUND);
    assert_null(resw);
}

/* gethostbyname falls back to DNS too: the canonical name as h_name, the name asked as an
   alias. */
static void test_gethostbyname_asks_DNS_for_names_the_files_do_not_know(void **state)
{
    struct hostent *h;
    (void)state;

    h = gethostbyname("alpha.dns.test");
    assert_non_null(h);
    assert_string_equal(h->h_name, "alpha.dns.test");
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(((struct in_addr *)h->h_addr_list[0])->s_addr, inet_addr("127.0.0.5"));
    assert_null(h->h_addr_list[1]);

    h = gethostbyname("cname.dns.test");
    assert_non_null(h);
    assert_string_equal(h->h_name, "alpha.dns.test");
    assert_non_null(h->h_aliases[0]);
    assert_string_equal(h->h_aliases[0], "cname.dns.test");

    WSASetLastError(0);
    assert_null(gethostbyname("missing.dns.test"));
    assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
}

/* A name DNS knows only with IPv4 addresses, asked for IPv6: WSANO_DATA, whether or not this
   machine can use IPv6 (without a global IPv6 address Windows does not ask for AAAA records). */
static void test_a_name_without_IPv6_addresses_asked_for_AF_INET6_fails_with_WSANO_DATA(void **s)
{
    struct addrinfo hints = {0}, *res = NULL;
    (void)s;
    hints.ai_family = AF_INET6;
    assert_int_equal(getaddrinfo("alpha.dns.test", NULL, &hints, &res), WSANO_DATA);
    assert_int_equal(WSAGetLastError(), WSANO_DATA);
    assert_null(res);
    assert_int_equal(getaddrinfo("missing.dns.test", NULL, &hints, &res), WSAHOST_NOT_FOUND);
    /* With AI_V4MAPPED the IPv4 address comes back mapped. */
    hints.ai_flags = AI_V4MAPPED;
    assert_int_equal(getaddrinfo("alpha.dns.test", NULL, &hints, &res), 0);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET6);
    assert_true(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr));
    freeaddrinfo(res);
}

/* Asked for IPv6 only, DNS is asked for AAAA records whether or not this machine has an IPv6
   address of its own (AF_UNSPEC asks only when it has a global one). */
static void test_AF_INET6_asks_DNS_for_AAAA_records(void **state)
{
    struct addrinfo hints = {0}, *res = NULL;
    (void)state;
    hints.ai_family = AF_INET6;
    assert_int_equal(getaddrinfo("six.dns.test", NULL, &hints, &res), 0);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET6);
    assert_int_equal(((struct sockaddr_in6 *)res->ai_addr)->sin6_addr.s6_addr[15], 6);
    assert_int_equal(((struct sockaddr_in6 *)res->ai_addr)->sin6_addr.s6_addr[0], 0x20);
    assert_null(res->ai_next);
    freeaddrinfo(res);
}

/* AI_CANONNAME follows the CNAME chain to the name that holds the address. */
static void test_AI_CANONNAME_reports_the_end_of_a_CNAME_chain(void **state)
{
    struct addrinfo hints = {0}, *res = NULL;
    (void)state;
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_CANONNAME;
    assert_int_equal(getaddrinfo("cname.dns.test", NULL, &hints, &res), 0);
    assert_non_null(res);
    assert_int_equal(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, inet_addr("127.0.0.5"));
    assert_non_null(res->ai_canonname);
    assert_string_equal(res->ai_canonname, "alpha.dns.test");
    freeaddrinfo(res);
}

/* AI_FQDN names the name that was asked (the owner of the chain's first record), where
   AI_CANONNAME names its end; GetAddrInfoEx gives both at once, and with AI_RETURN_TTL the
   seconds each address may be kept: no longer than the CNAME that led to it. */
static void test_AI_FQDN_names_the_start_of_a_CNAME_chain_and_AI_RETURN_TTL_its_TTL(void **state)
{
    struct addrinfo hints = {0}, *res = NULL;
    ADDRINFOEXW exhints;
    struct ws_test_addrinfoex *ex = NULL;
    (void)state;
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_FQDN;
    assert_int_equal(getaddrinfo("cname.dns.test", NULL, &hints, &res), 0);
    assert_non_null(res->ai_canonname);
    assert_string_equal(res->ai_canonname, "cname.dns.test");
    freeaddrinfo(res);

    memset(&exhints, 0, sizeof(exhints));
    exhints.ai_family = AF_INET;
    exhints.ai_flags = AI_CANONNAME | AI_FQDN | AI_RETURN_TTL_ | AI_RETURN_RESPONSE_FLAGS_;
    assert_int_equal(GetAddrInfoExW(L"cname.dns.test", NULL, NS_DNS, NULL, &exhints,
                                    (ADDRINFOEXW **)&ex, NULL, NULL, NULL, NULL),
                     0);
    assert_non_null(ex);
    assert_int_equal(ex->ai_version, 6);
    assert_int_equal(ex->ai_responseflags, 0); /* DNS, not the hosts file; not secure */
    /* The glue record of the additional section is no answer. */
    assert_null(ex->base.ai_next);
    assert_true(!wcscmp(ex->base.ai_canonname, L"alpha.dns.test"));
    assert_true(!wcscmp(ex->ai_fqdn, L"cname.dns.test"));
    assert_int_equal(((SOCKADDR_IN *)ex->base.ai_addr)->sin_addr.s_addr, inet_addr("127.0.0.5"));
    assert_int_equal(ex->ai_ttl, 30);
    FreeAddrInfoExW(&ex->base);

    exhints.ai_flags = AI_RETURN_TTL_;
    assert_int_equal(GetAddrInfoExW(L"alpha.dns.test", NULL, NS_DNS, NULL, &exhints,
                                    (ADDRINFOEXW **)&ex, NULL, NULL, NULL, NULL),
                     0);
    assert_int_equal(ex->ai_version, 5);
    assert_int_equal(ex->ai_ttl, 300);
    FreeAddrInfoExW(&ex->base);

    /* Each address keeps its own TTL through the ordering; one given twice, the smaller. */
    assert_int_equal(GetAddrInfoExW(L"two.dns.test", NULL, NS_DNS, NULL, &exhints,
                                    (ADDRINFOEXW **)&ex, NULL, NULL, NULL, NULL),
                     0);
    assert_non_null(ex);
    assert_non_null(ex->base.ai_next);
    for (const struct ws_test_addrinfoex *e = ex; e;
         e = (const struct ws_test_addrinfoex *)e->base.ai_next) {
        ULONG addr = ((SOCKADDR_IN *)e->base.ai_addr)->sin_addr.s_addr;
        assert_true(addr == inet_addr("127.0.0.8") || addr == inet_addr("192.0.2.1"));
        assert_int_equal(e->ai_ttl, addr == inet_addr("127.0.0.8") ? 150 : 100);
    }
    assert_null(((ADDRINFOEXW *)ex->base.ai_next)->ai_next);
    FreeAddrInfoExW(&ex->base);
}

/* AI_REQUIRE_SECURE demands a secure transport to the DNS server, which this system does not
   have: a name that needs DNS fails without a query sent in clear text; the local databases
   still answer. */
static void test_AI_REQUIRE_SECURE_never_asks_DNS_in_clear_text(void **state)
{
    ADDRINFOEXW hints, *res = NULL;
    LONG before = queries;
    (void)state;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_REQUIRE_SECURE_;
    assert_wsa_error(
        GetAddrInfoExW(L"alpha.dns.test", NULL, NS_DNS, NULL, &hints, &res, NULL, NULL, NULL, NULL),
        WSANO_RECOVERY, WSANO_RECOVERY);
    assert_null(res);
    assert_int_equal(queries, before);
    assert_int_equal(
        GetAddrInfoExW(L"127.0.0.1", NULL, NS_DNS, NULL, &hints, &res, NULL, NULL, NULL, NULL), 0);
    FreeAddrInfoExW(res);
    assert_int_equal(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, &hints, &res, NULL, NULL, NULL, NULL), 0);
    FreeAddrInfoExW(res);
    assert_int_equal(queries, before);
}

/* An asynchronous query whose answer comes after its timeout ends with WSAETIMEDOUT. */
static void test_GetAddrInfoExW_times_out_on_a_slow_answer(void **state)
{
    ADDRINFOEXW hints = {0}, *res = NULL;
    struct timeval timeout = {1, 0};
    OVERLAPPED ov = {0};
    (void)state;

    hints.ai_family = AF_INET;
    ov.hEvent = WSACreateEvent();
    assert_int_equal(GetAddrInfoExW(L"slow.dns.test", NULL, NS_DNS, NULL, &hints, &res, &timeout,
                                    &ov, NULL, NULL),
                     WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), WSAETIMEDOUT);
    assert_null(res);
    WSACloseEvent(ov.hEvent);
    Sleep(3500); /* let the server finish the slow answer before the next test */
}

/* A pending query can be cancelled: it completes at once with WSA_E_CANCELLED. */
static void test_GetAddrInfoExCancel_ends_a_slow_query(void **state)
{
    ADDRINFOEXW hints = {0}, *res = NULL;
    OVERLAPPED ov = {0};
    HANDLE handle = NULL;
    (void)state;

    hints.ai_family = AF_INET;
    ov.hEvent = WSACreateEvent();
    assert_int_equal(GetAddrInfoExW(L"slow.dns.test", NULL, NS_DNS, NULL, &hints, &res, NULL, &ov,
                                    NULL, &handle),
                     WSA_IO_PENDING);
    assert_non_null(handle);
    assert_int_equal(GetAddrInfoExCancel(&handle), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), WSA_E_CANCELLED);
    assert_null(res);
    WSACloseEvent(ov.hEvent);
    Sleep(3500);
}

/*
 * The final WSACleanup ends the asynchronous lookups still running without a word (its page: no
 * message posted, no event set): a WSAAsyncGetHostByName never posts and never writes its
 * buffer, a GetAddrInfoEx query ends cancelled with its event unset. Last in the group: the
 * cleanup also closes the test's DNS server socket.
 */
static void test_the_final_WSACleanup_ends_pending_lookups_without_a_word(void **state)
{
    static char buffer[MAXGETHOSTSTRUCT];
    ADDRINFOEXW hints = {0}, *res = (ADDRINFOEXW *)(ULONG_PTR)0x1234;
    OVERLAPPED ov = {0};
    WNDCLASSA wc = {0};
    HANDLE task;
    HWND window;
    MSG msg;
    WSADATA data;
    DWORD start;
    (void)state;

    wc.lpfnWndProc = DefWindowProcA;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "openws2-dns-cleanup-test";
    RegisterClassA(&wc);
    window = CreateWindowA(wc.lpszClassName, "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(window);
    memset(buffer, 0xcc, sizeof(buffer));

    hints.ai_family = AF_INET;
    ov.hEvent = WSACreateEvent();
    assert_int_equal(
        GetAddrInfoExW(L"slow.dns.test", NULL, NS_DNS, NULL, &hints, &res, NULL, &ov, NULL, NULL),
        WSA_IO_PENDING);
    task = WSAAsyncGetHostByName(window, WM_USER + 6, "slow.dns.test", buffer, sizeof(buffer));
    assert_non_null(task);

    assert_int_equal(WSACleanup(), 0);
    /* Past the time the slow answer would have come: nothing was posted or set. */
    start = GetTickCount();
    while (GetTickCount() - start < 4500) {
        assert_false(PeekMessageA(&msg, window, WM_USER + 6, WM_USER + 6, PM_REMOVE));
        MsgWaitForMultipleObjectsEx(0, NULL, 100, QS_POSTMESSAGE, 0);
    }
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    assert_int_equal(GetAddrInfoExOverlappedResult(&ov), WSA_E_CANCELLED);
    assert_null(res);
    assert_int_equal((unsigned char)buffer[0], 0xcc);
    assert_int_equal((unsigned char)buffer[sizeof(buffer) - 1], 0xcc);

    WSACloseEvent(ov.hEvent);
    DestroyWindow(window);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0); /* for the group's teardown */
}

/* ---- address to name: PTR records ---- */

static SOCKADDR_IN v4(const char *text, USHORT port)
{
    SOCKADDR_IN sin = {0};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = inet_addr(text);
    return sin;
}

static SOCKADDR_IN6 v6(const char *text, USHORT port)
{
    SOCKADDR_IN6 sin6 = {0};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    assert_int_equal(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1);
    return sin6;
}

static void test_getnameinfo_asks_DNS_for_the_name_of_an_address(void **state)
{
    SOCKADDR_IN sin = v4("192.0.2.5", 80);
    SOCKADDR_IN6 sin6 = v6("2001:db8::5", 80);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    WCHAR whost[NI_MAXHOST];
    LONG before = queries;
    (void)state;

    WSASetLastError(0xdeadbeef);
    assert_int_equal(getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof(host), serv,
                                 sizeof(serv), NI_NUMERICSERV),
                     0);
    assert_int_equal((DWORD)WSAGetLastError(), 0xdeadbeef); /* success leaves it alone */
    assert_string_equal(host, "ptr.dns.test");
    assert_string_equal(serv, "80");
    assert_true(queries > before);

    assert_int_equal(
        getnameinfo((SOCKADDR *)&sin6, sizeof(sin6), host, sizeof(host), NULL, 0, NI_NAMEREQD), 0);
    assert_string_equal(host, "six.dns.test");

    assert_int_equal(
        GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), whost, ARRAYSIZE(whost), NULL, 0, NI_NAMEREQD),
        0);
    assert_true(!wcscmp(whost, L"ptr.dns.test"));
}

static void test_getnameinfo_of_an_address_DNS_does_not_know_is_numeric_unless_NI_NAMEREQD(
    void **state)
{
    SOCKADDR_IN sin = v4("192.0.2.99", 7);
    SOCKADDR_IN6 sin6 = v6("2001:db8::99", 7);
    char host[NI_MAXHOST];
    WCHAR whost[NI_MAXHOST];
    (void)state;

    assert_int_equal(getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0), 0);
    assert_string_equal(host, "192.0.2.99");
    assert_int_equal(getnameinfo((SOCKADDR *)&sin6, sizeof(sin6), host, sizeof(host), NULL, 0, 0),
                     0);
    assert_string_equal(host, "2001:db8::99");

    assert_wsa_error(
        getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD),
        EAI_NONAME, WSAHOST_NOT_FOUND);
    assert_wsa_error(GetNameInfoW((SOCKADDR *)&sin6, sizeof(sin6), whost, ARRAYSIZE(whost), NULL, 0,
                                  NI_NAMEREQD),
                     EAI_NONAME, WSAHOST_NOT_FOUND);
}

static void test_getnameinfo_with_NI_NUMERICHOST_does_not_ask_DNS(void **state)
{
    SOCKADDR_IN sin = v4("192.0.2.5", 80);
    char host[NI_MAXHOST];
    LONG before = queries;
    (void)state;

    assert_int_equal(
        getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NUMERICHOST), 0);
    assert_string_equal(host, "192.0.2.5");
    assert_int_equal(queries, before);
}

static void test_gethostbyaddr_asks_DNS_for_the_name_of_an_address(void **state)
{
    IN_ADDR addr;
    IN6_ADDR addr6;
    struct hostent *h;
    (void)state;

    addr.s_addr = inet_addr("192.0.2.5");
    h = gethostbyaddr((const char *)&addr, sizeof(addr), AF_INET);
    assert_non_null(h);
    assert_string_equal(h->h_name, "ptr.dns.test");
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(h->h_length, 4);
    assert_memory_equal(h->h_addr_list[0], &addr, 4);
    assert_null(h->h_addr_list[1]);
    assert_null(h->h_aliases[0]);

    assert_int_equal(inet_pton(AF_INET6, "2001:db8::5", &addr6), 1);
    h = gethostbyaddr((const char *)&addr6, sizeof(addr6), AF_INET6);
    assert_non_null(h);
    assert_string_equal(h->h_name, "six.dns.test");
    assert_int_equal(h->h_addrtype, AF_INET6);
    assert_memory_equal(h->h_addr_list[0], &addr6, 16);
}

static void test_gethostbyaddr_of_an_address_DNS_does_not_know_fails_with_WSAHOST_NOT_FOUND(
    void **state)
{
    IN_ADDR addr;
    (void)state;
    addr.s_addr = inet_addr("192.0.2.99");
    WSASetLastError(0);
    assert_null(gethostbyaddr((const char *)&addr, sizeof(addr), AF_INET));
    assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
}

/* WSAAsyncGetHostByAddr asks DNS as gethostbyaddr does; the reply is posted to a window. */
static void test_WSAAsyncGetHostByAddr_asks_DNS_for_the_name_of_an_address(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    struct hostent *h = (struct hostent *)buffer;
    WNDCLASSA wc = {0};
    IN_ADDR addr;
    HANDLE handle;
    HWND window;
    MSG msg;
    DWORD start = GetTickCount();
    BOOL replied = FALSE;
    (void)state;

    wc.lpfnWndProc = DefWindowProcA;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "openws2-dns-test";
    RegisterClassA(&wc);
    window = CreateWindowA(wc.lpszClassName, "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(window);

    addr.s_addr = inet_addr("192.0.2.5");
    handle = WSAAsyncGetHostByAddr(window, WM_USER + 5, (const char *)&addr, sizeof(addr), AF_INET,
                                   buffer, sizeof(buffer));
    assert_non_null(handle);
    while (!replied && GetTickCount() - start < 30000) {
        while (!replied && PeekMessageA(&msg, window, WM_USER + 5, WM_USER + 5, PM_REMOVE))
            replied = msg.wParam == (WPARAM)handle;
        if (!replied) MsgWaitForMultipleObjectsEx(0, NULL, 1000, QS_POSTMESSAGE, 0);
    }
    assert_true(replied);
    assert_int_equal(WSAGETASYNCERROR(msg.lParam), 0);
    assert_string_equal(h->h_name, "ptr.dns.test");
    assert_memory_equal(h->h_addr_list[0], &addr, 4);
    DestroyWindow(window);
}

/* ---- internationalized names ---- */

static void test_GetAddrInfoW_asks_DNS_for_a_Unicode_name_in_its_IDNA_form(void **state)
{
    ADDRINFOW hints = {0}, *res = NULL;
    ADDRINFOEXW hints_ex = {0}, *res_ex = NULL;
    (void)state;

    hints.ai_family = AF_INET;
    hints.ai_flags = AI_CANONNAME;
    assert_int_equal(GetAddrInfoW(bucher, NULL, &hints, &res), 0);
    assert_non_null(res);
    assert_int_equal(((SOCKADDR_IN *)res->ai_addr)->sin_addr.s_addr, inet_addr("127.0.0.7"));
    /* The canonical name comes back in Unicode. */
    assert_non_null(res->ai_canonname);
    assert_true(!wcscmp(res->ai_canonname, bucher));
    FreeAddrInfoW(res);

    hints_ex.ai_family = AF_INET;
    assert_int_equal(
        GetAddrInfoExW(bucher, NULL, NS_DNS, NULL, &hints_ex, &res_ex, NULL, NULL, NULL, NULL), 0);
    assert_non_null(res_ex);
    assert_int_equal(((SOCKADDR_IN *)res_ex->ai_addr)->sin_addr.s_addr, inet_addr("127.0.0.7"));
    FreeAddrInfoExW(res_ex);
}

static void test_AI_DISABLE_IDN_ENCODING_sends_the_Unicode_name_as_it_is(void **state)
{
    ADDRINFOW hints = {0}, *res = (ADDRINFOW *)(ULONG_PTR)0x1234;
    (void)state;
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_DISABLE_IDN_ENCODING;
    WSASetLastError(0xdeadbeef);
    assert_int_equal(GetAddrInfoW(bucher, NULL, &hints, &res), WSAHOST_NOT_FOUND);
    assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
    assert_null(res);
}

/* The ANSI forms do no IDN conversion: the ASCII form is looked up and reported as it is. */
static void test_getaddrinfo_reports_an_IDNA_name_as_DNS_gives_it(void **state)
{
    struct addrinfo hints = {0}, *res = NULL;
    ADDRINFOW hintsw = {0}, *resw = NULL;
    (void)state;
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_CANONNAME;
    assert_int_equal(getaddrinfo(bucher_ace, NULL, &hints, &res), 0);
    assert_non_null(res);
    assert_string_equal(res->ai_canonname, bucher_ace);
    freeaddrinfo(res);

    /* A UTF-16 question in the ASCII form gets the Unicode canonical name. */
    hintsw.ai_family = AF_INET;
    hintsw.ai_flags = AI_CANONNAME;
    assert_int_equal(GetAddrInfoW(L"xn--bcher-kva.dns.test", NULL, &hintsw, &resw), 0);
    assert_non_null(resw);
    assert_true(!wcscmp(resw->ai_canonname, bucher));
    FreeAddrInfoW(resw);
}

static void test_GetNameInfoW_gives_an_IDNA_name_in_Unicode(void **state)
{
    SOCKADDR_IN sin = v4("192.0.2.7", 0);
    WCHAR whost[NI_MAXHOST];
    char host[NI_MAXHOST];
    (void)state;

    assert_int_equal(
        GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), whost, ARRAYSIZE(whost), NULL, 0, NI_NAMEREQD),
        0);
    assert_true(!wcscmp(whost, bucher));
    assert_int_equal(
        getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD), 0);
    assert_string_equal(host, bucher_ace);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_getaddrinfo_asks_the_configured_DNS_server),
        cmocka_unit_test(test_an_unknown_name_fails_with_WSAHOST_NOT_FOUND),
        cmocka_unit_test(test_AI_CANONNAME_reports_the_end_of_a_CNAME_chain),
        cmocka_unit_test(test_AF_INET6_asks_DNS_for_AAAA_records),
        cmocka_unit_test(test_AI_FQDN_names_the_start_of_a_CNAME_chain_and_AI_RETURN_TTL_its_TTL),
        cmocka_unit_test(test_AI_REQUIRE_SECURE_never_asks_DNS_in_clear_text),
        cmocka_unit_test(
            test_a_name_without_IPv6_addresses_asked_for_AF_INET6_fails_with_WSANO_DATA),
        cmocka_unit_test(test_gethostbyname_asks_DNS_for_names_the_files_do_not_know),
        cmocka_unit_test(test_getnameinfo_asks_DNS_for_the_name_of_an_address),
        cmocka_unit_test(
            test_getnameinfo_of_an_address_DNS_does_not_know_is_numeric_unless_NI_NAMEREQD),
        cmocka_unit_test(test_getnameinfo_with_NI_NUMERICHOST_does_not_ask_DNS),
        cmocka_unit_test(test_gethostbyaddr_asks_DNS_for_the_name_of_an_address),
        cmocka_unit_test(
            test_gethostbyaddr_of_an_address_DNS_does_not_know_fails_with_WSAHOST_NOT_FOUND),
        cmocka_unit_test(test_WSAAsyncGetHostByAddr_asks_DNS_for_the_name_of_an_address),
        cmocka_unit_test(test_GetAddrInfoW_asks_DNS_for_a_Unicode_name_in_its_IDNA_form),
        cmocka_unit_test(test_AI_DISABLE_IDN_ENCODING_sends_the_Unicode_name_as_it_is),
        cmocka_unit_test(test_getaddrinfo_reports_an_IDNA_name_as_DNS_gives_it),
        cmocka_unit_test(test_GetNameInfoW_gives_an_IDNA_name_in_Unicode),
        cmocka_unit_test(test_GetAddrInfoExW_times_out_on_a_slow_answer),
        cmocka_unit_test(test_GetAddrInfoExCancel_ends_a_slow_query),
        cmocka_unit_test(test_the_final_WSACleanup_ends_pending_lookups_without_a_word),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, dns_setup, dns_teardown);
}
