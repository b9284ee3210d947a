/*
 * Name resolution through DNS, against a DNS server of the test's own on a loopback address
 * (127.0.0.1, port 53), made known the way an administrator configures Windows: the NameServer
 * value of HKLM\System\CurrentControlSet\Services\Tcpip\Parameters (restored at the end). No
 * query leaves the machine. (Not another 127.x address: Wine's socket device binds a datagram
 * socket there as if to any address, so its replies would come from 127.0.0.1 and the host's
 * resolver would drop them.) The server answers:
 *   alpha.dns.test   A 127.0.0.5
 *   cname.dns.test   CNAME alpha.dns.test, then its A record
 *   slow.dns.test    A 127.0.0.6, three seconds late
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

/* A resource record: NAME (a pointer to offset 12, the question, when NULL), TYPE, DATA. */
static int put_record(unsigned char *out, const char *name, int type, const void *data,
                      int data_len)
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
    out[n++] = 0, out[n++] = 0, out[n++] = 0, out[n++] = 60; /* TTL */
    out[n++] = (unsigned char)(data_len >> 8), out[n++] = (unsigned char)data_len;
    memcpy(out + n, data, data_len);
    return n + data_len;
}

static DWORD WINAPI dns_server(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned char msg[512], reply[512];
        struct sockaddr_in from;
        int from_len = sizeof(from), len, off, qtype, n, answers = 0, rcode = 0;
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
                n += put_record(reply + n, NULL, 1, &a, 4);
                answers = 1;
            }
            if (name[0] == 's') Sleep(3000);
        } else if (!strcmp(name, "cname.dns.test")) {
            unsigned char target[64];
            int target_len = put_name(target, "alpha.dns.test");
            n += put_record(reply + n, NULL, 5, target, target_len);
            answers = 1;
            if (qtype == 1) {
                a.s_addr = inet_addr("127.0.0.5");
                n += put_record(reply + n, "alpha.dns.test", 1, &a, 4);
                answers = 2;
            }
        } else {
            rcode = 3; /* NXDOMAIN */
        }
        reply[2] = 0x84 | (msg[2] & 0x01); /* a response, authoritative, RD copied */
        reply[3] = 0x80 | rcode;           /* RA */
        reply[6] = 0, reply[7] = (unsigned char)answers;
        reply[8] = reply[9] = reply[10] = reply[11] = 0;
        sendto(server, (const char *)reply, n, 0, (struct sockaddr *)&from, from_len);
    }
}

static int dns_setup(void **state)
{
    struct sockaddr_in addr = {0};
    HKEY key;

    if (ws_test_startup(state)) return -1;
    server = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(53);
    addr.sin_addr.s_addr = inet_addr(SERVER_ADDR);
    if (server == INVALID_SOCKET || bind(server, (struct sockaddr *)&addr, sizeof(addr))) {
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_getaddrinfo_asks_the_configured_DNS_server),
        cmocka_unit_test(test_an_unknown_name_fails_with_WSAHOST_NOT_FOUND),
        cmocka_unit_test(test_AI_CANONNAME_reports_the_end_of_a_CNAME_chain),
        cmocka_unit_test(test_gethostbyname_asks_DNS_for_names_the_files_do_not_know),
        cmocka_unit_test(test_GetAddrInfoExW_times_out_on_a_slow_answer),
        cmocka_unit_test(test_GetAddrInfoExCancel_ends_a_slow_query),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, dns_setup, dns_teardown);
}
