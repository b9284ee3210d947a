/*
 * Address strings: inet_pton/InetPtonW, inet_ntop/InetNtopW, WSAStringToAddressA/W and
 * WSAAddressToStringA/W, in their ANSI and Unicode forms, as their reference pages and Windows
 * describe them.
 */
#include "ws_test.h"

#define SENTINEL                  0x5eed
#define STATUS_INVALID_PARAMETER_ ((int)0xC000000D)

/* A UTF-16 copy of ASCII text; a few calls' worth live at once. */
static WCHAR *wide(const char *s)
{
    static WCHAR buffers[4][128];
    static int next;
    WCHAR *w = buffers[next++ % 4];
    size_t i;
    for (i = 0; s[i]; i++) w[i] = (unsigned char)s[i];
    w[i] = 0;
    return w;
}

/* A page the process cannot touch. */
static void *no_access_page(void)
{
    void *p = VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);
    assert_non_null(p);
    return p;
}

/* An IPv6 address from its eight groups. */
static IN6_ADDR v6(unsigned int g0, unsigned int g1, unsigned int g2, unsigned int g3,
                   unsigned int g4, unsigned int g5, unsigned int g6, unsigned int g7)
{
    unsigned int g[8] = {g0, g1, g2, g3, g4, g5, g6, g7};
    IN6_ADDR a;
    for (int i = 0; i < 8; i++) {
        a.s6_addr[2 * i] = (UCHAR)(g[i] >> 8);
        a.s6_addr[2 * i + 1] = (UCHAR)g[i];
    }
    return a;
}

static ULONG v4(unsigned int a, unsigned int b, unsigned int c, unsigned int d)
{
    return htonl(a << 24 | b << 16 | c << 8 | d);
}

/* inet_pton and InetPtonW on one text: both must return `ret`, store `addr` when expected and
   leave the last error (inet_pton) or set WSAEINVAL on 0 (InetPtonW). */
static void check_pton(int family, const char *text, int ret, const void *addr)
{
    BYTE a[16], w[16];
    size_t size = family == AF_INET ? 4 : 16;

    memset(a, 0xab, sizeof(a));
    WSASetLastError(SENTINEL);
    if (inet_pton(family, text, a) != ret)
        fail_msg("inet_pton(\"%s\") did not return %d", text, ret);
    assert_int_equal(WSAGetLastError(), SENTINEL);

    memset(w, 0xab, sizeof(w));
    WSASetLastError(SENTINEL);
    if (InetPtonW(family, wide(text), w) != ret)
        fail_msg("InetPtonW(\"%s\") did not return %d", text, ret);
    assert_int_equal(WSAGetLastError(), ret ? SENTINEL : WSAEINVAL);

    if (addr && memcmp(a, addr, size)) fail_msg("inet_pton(\"%s\") stored a wrong address", text);
    assert_memory_equal(a, w, sizeof(a));
}

/* ---- inet_pton, InetPtonW ---- */

static void test_inet_pton_reads_a_dotted_quad_and_returns_1(void **state)
{
    ULONG expect;
    (void)state;
    expect = v4(1, 2, 3, 4);
    check_pton(AF_INET, "1.2.3.4", 1, &expect);
    expect = v4(255, 255, 255, 255);
    check_pton(AF_INET, "255.255.255.255", 1, &expect);
    expect = v4(0, 0, 0, 0);
    check_pton(AF_INET, "0.0.0.0", 1, &expect);
    expect = v4(127, 0, 0, 1);
    check_pton(AF_INET, "127.0.0.1", 1, &expect);
}

static void test_inet_pton_rejects_every_ipv4_form_but_the_dotted_decimal_quad_with_0(void **state)
{
    static const char *const texts[] = {
        "",          " ",         "1",        "1.2",       "1.2.3",     "0x7f000001",
        "1.2.3.0x4", "010.0.0.1", "1.1.1.00", "256.1.1.1", "1.2.3.4.5", " 1.2.3.4",
        "1.2.3.",    "1..2.3",    "a.b.c.d",  "-1.2.3.4",  "::1",
    };
    ULONG untouched = 0xabababab;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(texts); i++) check_pton(AF_INET, texts[i], 0, &untouched);
}

static void test_inet_pton_stores_a_dotted_quad_even_when_other_text_follows(void **state)
{
    ULONG expect = v4(1, 2, 3, 4);
    (void)state;
    /* Windows stores the address it read, then rejects the rest. */
    check_pton(AF_INET, "1.2.3.4:80", 0, &expect);
    check_pton(AF_INET, "1.2.3.4 ", 0, &expect);
    check_pton(AF_INET, "1.2.3.4a", 0, &expect);
}

static void test_inet_pton_reads_the_ipv6_forms(void **state)
{
    static const struct {
        const char *text;
        unsigned int g[8];
    } cases[] = {
        {"::", {0}},
        {"::1", {0, 0, 0, 0, 0, 0, 0, 1}},
        {"1::", {1}},
        {"1:2:3:4:5:6:7:8", {1, 2, 3, 4, 5, 6, 7, 8}},
        {"2001:DB8::ff00:42:8329", {0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329}},
        {"fe80::1:2", {0xfe80, 0, 0, 0, 0, 0, 1, 2}},
        {"0001:002:03::", {1, 2, 3}},
        {"1:2:3:4:5:6:7::", {1, 2, 3, 4, 5, 6, 7, 0}},
        {"::2:3:4:5:6:7:8", {0, 2, 3, 4, 5, 6, 7, 8}},
        {"::ffff:1.2.3.4", {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}},
        {"::1.2.3.4", {0, 0, 0, 0, 0, 0, 0x0102, 0x0304}},
        {"1:2:3:4:5:6:1.2.3.4", {1, 2, 3, 4, 5, 6, 0x0102, 0x0304}},
        {"1::001.2.3.4", {1, 0, 0, 0, 0, 0, 0x0102, 0x0304}},
    };
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        const unsigned int *g = cases[i].g;
        IN6_ADDR expect = v6(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
        check_pton(AF_INET6, cases[i].text, 1, &expect);
    }
}

static void test_inet_pton_rejects_malformed_ipv6_with_0(void **state)
{
    static const char *const texts[] = {
        "",
        ":",
        ":1::",
        "1",
        "1:2:3:4:5:6:7",
        "1::2::3",
        ":::",
        "12345::",
        "1:2:3:4:5:6:7:8:9",
        "::1%1",
        "::1/128",
        "[::1]",
        "::1.2.3",
        "::1.2.3.256",
        "::0001.2.3.4",
        "g::1",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::0x1",
        "1.2.3.4",
        " ::1",
        "::1 ",
    };
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(texts); i++) check_pton(AF_INET6, texts[i], 0, NULL);
}

static void test_inet_pton_leaves_the_groups_it_read_of_a_rejected_ipv6_address(void **state)
{
    BYTE expect[16];
    IN6_ADDR filled;
    (void)state;
    /* Groups are stored as they are read; the rest of the buffer is not touched. */
    memset(expect, 0xab, sizeof(expect));
    expect[0] = 0x11, expect[1] = 0x11, expect[2] = 0x22, expect[3] = 0x22;
    check_pton(AF_INET6, "1111:2222:3333", 0, expect);
    /* A complete address followed by more text is stored whole, "::" expanded. */
    filled = v6(1, 0, 0, 0, 0, 0, 0, 2);
    check_pton(AF_INET6, "1::2::3", 0, &filled);
    filled = v6(0, 0, 0, 0, 0, 0, 0, 0);
    check_pton(AF_INET6, "::%16", 0, &filled);
}

static void test_inet_pton_with_an_unknown_family_fails_with_WSAEAFNOSUPPORT(void **state)
{
    BYTE buf[16];
    (void)state;
    WSASetLastError(0);
    assert_int_equal(inet_pton(AF_UNSPEC, "1.2.3.4", buf), -1);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    WSASetLastError(0);
    assert_int_equal(InetPtonW(AF_IPX, wide("::1"), buf), -1);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
}

static void test_inet_pton_with_a_NULL_or_bad_pointer_fails_with_WSAEFAULT(void **state)
{
    BYTE buf[16];
    void *bad = no_access_page();
    (void)state;
    /* The pointers are checked before the family. */
    WSASetLastError(0);
    assert_int_equal(inet_pton(AF_UNSPEC, NULL, buf), -1);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_int_equal(InetPtonW(AF_INET, NULL, buf), -1);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_int_equal(inet_pton(AF_INET6, "::1", NULL), -1);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_int_equal(inet_pton(AF_INET, bad, buf), -1);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_int_equal(InetPtonW(AF_INET6, wide("::1"), bad), -1);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    VirtualFree(bad, 0, MEM_RELEASE);
}

static void test_inet_pton_and_inet_ntop_work_without_WSAStartup(void **state)
{
    ULONG addr = 0;
    char text[16];
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(inet_pton(AF_INET, "10.0.0.1", &addr), 1);
    assert_int_equal(addr, v4(10, 0, 0, 1));
    assert_ptr_equal(inet_ntop(AF_INET, &addr, text, sizeof(text)), text);
    assert_string_equal(text, "10.0.0.1");
    assert_int_equal(ws_test_startup(NULL), 0);
}

/* ---- inet_ntop, InetNtopW ---- */

/* inet_ntop and InetNtopW of one address, each into a buffer of exactly the right size. */
static void check_ntop(int family, const void *addr, const char *expect)
{
    char a[64];
    WCHAR w[64];
    size_t size = strlen(expect) + 1;

    memset(a, '#', sizeof(a));
    WSASetLastError(SENTINEL);
    if (inet_ntop(family, addr, a, size) != a) fail_msg("inet_ntop failed for %s", expect);
    assert_string_equal(a, expect);
    assert_int_equal(a[size], '#');
    assert_int_equal(WSAGetLastError(), SENTINEL);

    WSASetLastError(SENTINEL);
    if (InetNtopW(family, addr, w, size) != w) fail_msg("InetNtopW failed for %s", expect);
    assert_true(!wcscmp(w, wide(expect)));
    assert_int_equal(WSAGetLastError(), SENTINEL);
}

static void test_inet_ntop_writes_ipv4_in_dotted_decimal(void **state)
{
    ULONG addr;
    (void)state;
    addr = v4(21, 16, 32, 32);
    check_ntop(AF_INET, &addr, "21.16.32.32");
    addr = v4(0, 0, 0, 0);
    check_ntop(AF_INET, &addr, "0.0.0.0");
    addr = v4(255, 255, 255, 255);
    check_ntop(AF_INET, &addr, "255.255.255.255");
}

static void test_inet_ntop_compresses_the_first_longest_zero_run_in_lowercase(void **state)
{
    IN6_ADDR a;
    (void)state;
    a = v6(0, 0, 0, 0, 0, 0, 0, 0);
    check_ntop(AF_INET6, &a, "::");
    a = v6(0, 0, 0, 0, 0, 0, 0, 1);
    check_ntop(AF_INET6, &a, "::1");
    a = v6(0x2030, 0xa4b1, 0, 0, 0, 0, 0, 0);
    check_ntop(AF_INET6, &a, "2030:a4b1::");
    a = v6(0, 0, 0, 0, 0, 0xfffe, 0xcc98, 0xbd74);
    check_ntop(AF_INET6, &a, "::fffe:cc98:bd74");
    a = v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1);
    check_ntop(AF_INET6, &a, "2001:db8::1:0:0:1");
    a = v6(1, 0, 2, 0, 0, 0, 3, 0);
    check_ntop(AF_INET6, &a, "1:0:2::3:0");
    a = v6(1, 0, 2, 3, 4, 5, 6, 7);
    check_ntop(AF_INET6, &a, "1:0:2:3:4:5:6:7");
    a = v6(0xABCD, 0xEF01, 0x0a, 0x00b0, 0xc00, 1, 2, 3);
    check_ntop(AF_INET6, &a, "abcd:ef01:a:b0:c00:1:2:3");
}

static void test_inet_ntop_writes_the_ipv4_tail_of_compatible_mapped_and_isatap_addresses(void **s)
{
    IN6_ADDR a;
    (void)s;
    a = v6(0, 0, 0, 0, 0, 0, 0xcc98, 0xbd74);
    check_ntop(AF_INET6, &a, "::204.152.189.116");
    a = v6(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304);
    check_ntop(AF_INET6, &a, "::ffff:1.2.3.4");
    a = v6(0, 0, 0, 0, 0xffff, 0, 0x0102, 0x0304);
    check_ntop(AF_INET6, &a, "::ffff:0:1.2.3.4");
    a = v6(0xfe80, 0, 0, 0, 0, 0x5efe, 0x0102, 0x0304);
    check_ntop(AF_INET6, &a, "fe80::5efe:1.2.3.4");
    a = v6(0xfe80, 0, 0, 0, 0x200, 0x5efe, 0x0102, 0x0304);
    check_ntop(AF_INET6, &a, "fe80::200:5efe:1.2.3.4");
    /* A zero seventh group keeps the hexadecimal form. */
    a = v6(0, 0, 0, 0, 0, 0xffff, 0, 1);
    check_ntop(AF_INET6, &a, "::ffff:0:1");
    a = v6(0, 0, 0, 0, 0, 1, 0x0102, 0x0304);
    check_ntop(AF_INET6, &a, "::1:102:304");
}

static void test_inet_ntop_with_a_buffer_too_small_fails_with_STATUS_INVALID_PARAMETER(void **s)
{
    ULONG addr = v4(21, 16, 32, 32);
    IN6_ADDR a6 = v6(0, 0, 0, 0, 0, 0xfffe, 0xcc98, 0xbd74);
    char buf[64];
    WCHAR wbuf[64];
    (void)s;
    /* Windows sets the ntdll status, not ERROR_INVALID_PARAMETER as the page says. */
    memset(buf, '#', sizeof(buf));
    WSASetLastError(0);
    assert_null(inet_ntop(AF_INET, &addr, buf, 11));
    assert_int_equal(WSAGetLastError(), STATUS_INVALID_PARAMETER_);
    assert_int_equal(buf[0], '#');
    WSASetLastError(0);
    assert_null(inet_ntop(AF_INET6, &a6, buf, 16));
    assert_int_equal(WSAGetLastError(), STATUS_INVALID_PARAMETER_);
    WSASetLastError(0);
    assert_null(InetNtopW(AF_INET6, &a6, wbuf, 16));
    assert_int_equal(WSAGetLastError(), STATUS_INVALID_PARAMETER_);
    assert_non_null(InetNtopW(AF_INET6, &a6, wbuf, 17));
}

static void test_inet_ntop_with_a_NULL_buffer_or_size_0_fails_with_STATUS_INVALID_PARAMETER(
    void **s)
{
    ULONG addr = v4(1, 2, 3, 4);
    char buf[16];
    (void)s;
    WSASetLastError(0);
    assert_null(inet_ntop(AF_INET, &addr, NULL, sizeof(buf)));
    assert_int_equal(WSAGetLastError(), STATUS_INVALID_PARAMETER_);
    WSASetLastError(0);
    assert_null(inet_ntop(AF_INET, &addr, buf, 0));
    assert_int_equal(WSAGetLastError(), STATUS_INVALID_PARAMETER_);
    WSASetLastError(0);
    assert_null(InetNtopW(AF_INET6, NULL, (WCHAR *)buf, 8));
    assert_int_equal(WSAGetLastError(), STATUS_INVALID_PARAMETER_);
}

static void test_inet_ntop_with_an_unknown_family_fails_with_WSAEAFNOSUPPORT(void **state)
{
    ULONG addr = v4(1, 2, 3, 4);
    char buf[64];
    WCHAR wbuf[64];
    (void)state;
    WSASetLastError(0);
    assert_null(inet_ntop(1, &addr, buf, sizeof(buf)));
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    WSASetLastError(0);
    assert_null(InetNtopW(AF_UNSPEC, &addr, wbuf, ARRAYSIZE(wbuf)));
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
}

static void test_inet_ntop_with_an_unreachable_address_or_buffer_fails_with_WSAEFAULT(void **s)
{
    ULONG addr = v4(1, 2, 3, 4);
    char buf[16];
    void *bad = no_access_page();
    (void)s;
    WSASetLastError(0);
    assert_null(inet_ntop(AF_INET6, bad, buf, sizeof(buf)));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_null(InetNtopW(AF_INET, &addr, bad, 64));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    VirtualFree(bad, 0, MEM_RELEASE);
}

/* ---- WSAStringToAddressA/W ---- */

/* Both forms on one text; returns the W form's result in *out after checking they agree. */
static int string_to_address(const char *text, int family, struct sockaddr_storage *out, int *len)
{
    struct sockaddr_storage a, w;
    int len_a = *len, len_w = *len, ret_a, ret_w, err_a, err_w;

    memset(&a, 0xab, sizeof(a));
    memset(&w, 0xab, sizeof(w));
    WSASetLastError(SENTINEL);
    ret_a = WSAStringToAddressA((char *)text, family, NULL, (struct sockaddr *)&a, &len_a);
    err_a = WSAGetLastError();
    WSASetLastError(SENTINEL);
    ret_w = WSAStringToAddressW(wide(text), family, NULL, (struct sockaddr *)&w, &len_w);
    err_w = WSAGetLastError();
    assert_int_equal(ret_a, ret_w);
    assert_int_equal(err_a, err_w);
    assert_int_equal(len_a, len_w);
    assert_memory_equal(&a, &w, sizeof(a));
    *out = w;
    *len = len_w;
    WSASetLastError(err_w);
    return ret_w;
}

static void check_v4_string(const char *text, ULONG addr, unsigned int port)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    int len = sizeof(ss);
    if (string_to_address(text, AF_INET, &ss, &len)) fail_msg("\"%s\" was rejected", text);
    assert_int_equal(WSAGetLastError(), SENTINEL);
    assert_int_equal(len, sizeof(*sin));
    assert_int_equal(sin->sin_family, AF_INET);
    if (sin->sin_addr.s_addr != addr) fail_msg("\"%s\" gave a wrong address", text);
    assert_int_equal(ntohs(sin->sin_port), port);
    assert_memory_equal(sin->sin_zero, "\0\0\0\0\0\0\0\0", 8);
}

static void test_WSAStringToAddress_reads_the_inet_addr_forms_with_an_optional_port(void **s)
{
    (void)s;
    check_v4_string("1.2.3.4", v4(1, 2, 3, 4), 0);
    check_v4_string("1.2.3.4:80", v4(1, 2, 3, 4), 80);
    check_v4_string("255.255.255.255:65535", v4(255, 255, 255, 255), 65535);
    check_v4_string("1.2.3", v4(1, 2, 0, 3), 0);
    check_v4_string("1.2:1", v4(1, 0, 0, 2), 1);
    check_v4_string("203569230", v4(12, 34, 56, 78), 0);
    check_v4_string("0x7f.1", v4(127, 0, 0, 1), 0);
    check_v4_string("010.0.0.0xff:0x50", v4(8, 0, 0, 255), 80);
    check_v4_string("1.2.3.4:010", v4(1, 2, 3, 4), 8);
}

static void check_v6_string(const char *text, IN6_ADDR addr, ULONG scope, unsigned int port)
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    int len = sizeof(ss);
    if (string_to_address(text, AF_INET6, &ss, &len)) fail_msg("\"%s\" was rejected", text);
    assert_int_equal(WSAGetLastError(), SENTINEL);
    assert_int_equal(len, sizeof(*sin6));
    assert_int_equal(sin6->sin6_family, AF_INET6);
    if (memcmp(&sin6->sin6_addr, &addr, 16)) fail_msg("\"%s\" gave a wrong address", text);
    assert_int_equal(sin6->sin6_scope_id, scope);
    assert_int_equal(ntohs(sin6->sin6_port), port);
    assert_int_equal(sin6->sin6_flowinfo, 0);
}

static void test_WSAStringToAddress_reads_ipv6_with_a_scope_and_a_bracketed_port(void **s)
{
    IN6_ADDR loop = v6(0, 0, 0, 0, 0, 0, 0, 1), link = v6(0xfe80, 0, 0, 0, 0, 0, 0, 1);
    (void)s;
    check_v6_string("::1", loop, 0, 0);
    check_v6_string("[::1]", loop, 0, 0);
    check_v6_string("[::1]:65535", loop, 0, 65535);
    check_v6_string("fe80::1%5", link, 5, 0);
    check_v6_string("[fe80::1%4294967295]:0x1bb", link, 0xffffffff, 443);
    check_v6_string("::ffff:127.0.0.1", v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1), 0, 0);
}

/* A rejected text: SOCKET_ERROR, WSAEINVAL, the length untouched, no family stored. */
static void check_bad_string(const char *text, int family)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    if (string_to_address(text, family, &ss, &len) != SOCKET_ERROR)
        fail_msg("\"%s\" was accepted", text);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(len, sizeof(ss));
    assert_int_equal(ss.ss_family, 0);
}

static void test_WSAStringToAddress_with_a_malformed_string_fails_with_WSAEINVAL(void **s)
{
    static const char *const v4_texts[] = {
        "",           " ",         "1.2.3.4 ",  "1.2.3.4:",    "1.2.3.4:0", "1.2.3.4:65536",
        "1.2.3.4:08", "256.1.2.3", "1.2.3.4.5", "1.2.",        "1..2",      "0x",
        "1.1.1.08",   "[1.2.3.4]", "::1",       "1.2.3.4: 80", "-1",        "1000.2000",
    };
    static const char *const v6_texts[] = {
        "",
        "1.2.3.4",
        "1:2:3:",
        "::1]:80",
        "[::1",
        "[::1]80",
        "[::1]:0",
        "::1%0x1",
        "::1%01",
        "::1%-1",
        "[::1%4294967296]:80",
        "::0x1",
        "1::2::3",
        " ::1",
        "::1 ",
        "[::1]:65536",
        "::1:80]",
    };
    (void)s;
    for (size_t i = 0; i < ARRAYSIZE(v4_texts); i++) check_bad_string(v4_texts[i], AF_INET);
    for (size_t i = 0; i < ARRAYSIZE(v6_texts); i++) check_bad_string(v6_texts[i], AF_INET6);
}

static void test_WSAStringToAddress_zeroes_the_sockaddr_and_may_leave_part_of_a_rejected_one(
    void **s)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    int len = sizeof(ss);
    IN6_ADDR partial = v6(1, 2, 3, 0, 0, 0, 0, 0);
    (void)s;
    /* As on Windows: the address read before the bad part stays in the zeroed sockaddr. */
    assert_int_equal(string_to_address("1.2.3.4 ", AF_INET, &ss, &len), SOCKET_ERROR);
    assert_int_equal(sin->sin_addr.s_addr, v4(1, 2, 3, 4));
    assert_int_equal(sin->sin_port, 0);
    assert_int_equal(sin->sin_family, 0);
    assert_int_equal(string_to_address("1:2:3:", AF_INET6, &ss, &len), SOCKET_ERROR);
    assert_memory_equal(&sin6->sin6_addr, &partial, 16);
    assert_int_equal(sin6->sin6_scope_id, 0);
    /* Only the family's sockaddr is written. */
    assert_int_equal(((BYTE *)&ss)[sizeof(*sin6)], 0xab);
}

static void test_WSAStringToAddress_with_a_buffer_too_small_fails_with_WSAEFAULT_and_the_size(
    void **s)
{
    struct sockaddr_in6 sin6;
    int len = sizeof(struct sockaddr_in);
    (void)s;
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressA((char *)"::1", AF_INET6, NULL, (struct sockaddr *)&sin6, &len),
        WSAEFAULT);
    assert_int_equal(len, sizeof(sin6));
    /* The size is checked before the text. */
    len = 0;
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressW(wide(""), AF_INET, NULL, (struct sockaddr *)&sin6, &len), WSAEFAULT);
    assert_int_equal(len, sizeof(struct sockaddr_in));
}

static void test_WSAStringToAddress_with_an_unsupported_family_fails_with_WSAEINVAL(void **s)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    (void)s;
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressA((char *)"1.2.3.4", AF_UNSPEC, NULL, (struct sockaddr *)&ss, &len),
        WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressW(wide("1.2.3.4"), AF_IPX, NULL, (struct sockaddr *)&ss, &len),
        WSAEINVAL);
    assert_int_equal(len, sizeof(ss));
}

static void test_WSAStringToAddress_with_NULL_or_bad_pointers_fails(void **s)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    void *bad = no_access_page();
    (void)s;
    /* No text cannot be translated: WSAEINVAL; memory out of reach: WSAEFAULT. */
    WSASetLastError(0);
    assert_socket_error(WSAStringToAddressA(NULL, AF_INET, NULL, (struct sockaddr *)&ss, &len),
                        WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAStringToAddressW(bad, AF_INET, NULL, (struct sockaddr *)&ss, &len),
                        WSAEFAULT);
    WSASetLastError(0);
    assert_socket_error(WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, NULL, &len),
                        WSAEFAULT);
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, (struct sockaddr *)&ss, NULL),
        WSAEFAULT);
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressW(wide("::1"), AF_INET6, bad, (struct sockaddr *)&ss, &len), WSAEFAULT);
    VirtualFree(bad, 0, MEM_RELEASE);
}

static void test_WSAStringToAddress_before_WSAStartup_fails_with_WSANOTINITIALISED(void **s)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    (void)s;
    assert_int_equal(WSACleanup(), 0);
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, (struct sockaddr *)&ss, &len),
        WSANOTINITIALISED);
    WSASetLastError(0);
    assert_socket_error(
        WSAStringToAddressW(wide("::1"), AF_INET6, NULL, (struct sockaddr *)&ss, &len),
        WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

/* ---- WSAAddressToStringA/W ---- */

/* Both forms on one sockaddr, each with a buffer of exactly the right length. */
static void check_address_string(const void *addr, DWORD addr_len, const char *expect)
{
    char a[80];
    WCHAR w[80];
    DWORD need = (DWORD)strlen(expect) + 1, len = need;

    memset(a, '#', sizeof(a));
    WSASetLastError(SENTINEL);
    assert_int_equal(WSAAddressToStringA((struct sockaddr *)addr, addr_len, NULL, a, &len), 0);
    assert_int_equal(WSAGetLastError(), SENTINEL);
    assert_string_equal(a, expect);
    assert_int_equal(len, need);

    len = need;
    assert_int_equal(WSAAddressToStringW((struct sockaddr *)addr, addr_len, NULL, w, &len), 0);
    assert_true(!wcscmp(w, wide(expect)));
    assert_int_equal(len, need);
}

static struct sockaddr_in sin_of(ULONG addr, unsigned int port)
{
    struct sockaddr_in sin = {0};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = addr;
    sin.sin_port = htons((USHORT)port);
    return sin;
}

static struct sockaddr_in6 sin6_of(IN6_ADDR addr, ULONG scope, unsigned int port)
{
    struct sockaddr_in6 sin6 = {0};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = addr;
    sin6.sin6_scope_id = scope;
    sin6.sin6_port = htons((USHORT)port);
    return sin6;
}

static void test_WSAAddressToString_writes_ipv4_with_the_port_when_it_is_not_0(void **s)
{
    struct sockaddr_in sin;
    (void)s;
    sin = sin_of(0, 0);
    check_address_string(&sin, sizeof(sin), "0.0.0.0");
    sin = sin_of(v4(255, 255, 255, 255), 65535);
    check_address_string(&sin, sizeof(sin), "255.255.255.255:65535");
    sin = sin_of(v4(127, 0, 0, 1), 80);
    check_address_string(&sin, sizeof(sin), "127.0.0.1:80");
}

static void test_WSAAddressToString_writes_ipv6_with_the_scope_and_brackets_around_a_port(void **s)
{
    IN6_ADDR a = v6(0x20ab, 0, 0, 0, 0, 0, 0, 0x2001);
    struct sockaddr_in6 sin6;
    (void)s;
    sin6 = sin6_of(v6(0, 0, 0, 0, 0, 0, 0, 1), 0, 0);
    check_address_string(&sin6, sizeof(sin6), "::1");
    sin6 = sin6_of(a, 0, 33274);
    check_address_string(&sin6, sizeof(sin6), "[20ab::2001]:33274");
    sin6 = sin6_of(a, 4660, 33274);
    check_address_string(&sin6, sizeof(sin6), "[20ab::2001%4660]:33274");
    sin6 = sin6_of(a, 4660, 0);
    check_address_string(&sin6, sizeof(sin6), "20ab::2001%4660");
    sin6 = sin6_of(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1), 0xffffffff, 65535);
    check_address_string(&sin6, sizeof(sin6), "[::ffff:127.0.0.1%4294967295]:65535");
}

static void test_WSAAddressToString_with_a_buffer_too_small_fails_with_WSAEFAULT_and_the_length(
    void **s)
{
    struct sockaddr_in sin = sin_of(0, 0);
    char buf[8];
    WCHAR wbuf[8];
    DWORD len = 0;
    (void)s;
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, buf, &len),
                        WSAEFAULT);
    assert_int_equal(len, 8);
    /* No buffer at all is the same: the length needed comes back. */
    len = 0;
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, NULL, &len),
                        WSAEFAULT);
    assert_int_equal(len, 8);
    len = 7;
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, wbuf, &len),
                        WSAEFAULT);
    assert_int_equal(len, 8);
}

static void test_WSAAddressToString_with_NULL_arguments_fails_with_WSAEINVAL(void **s)
{
    struct sockaddr_in sin = sin_of(0, 0);
    char buf[32];
    DWORD len = sizeof(buf);
    (void)s;
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA(NULL, sizeof(sin), NULL, buf, &len), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA((struct sockaddr *)&sin, 0, NULL, buf, &len),
                        WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(
        WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, (WCHAR *)buf, NULL),
        WSAEINVAL);
}

static void test_WSAAddressToString_with_an_unsupported_family_or_short_length_fails_with_WSAEINVAL(
    void **s)
{
    struct sockaddr_in sin = sin_of(0, 0);
    struct sockaddr_in6 sin6 = sin6_of(v6(0, 0, 0, 0, 0, 0, 0, 1), 0, 0);
    char buf[64];
    DWORD len = sizeof(buf);
    (void)s;
    sin.sin_family = AF_UNSPEC;
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, buf, &len),
                        WSAEINVAL);
    sin.sin_family = AF_INET;
    WSASetLastError(0);
    assert_socket_error(
        WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin) - 1, NULL, buf, &len), WSAEINVAL);
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringW((struct sockaddr *)&sin6, sizeof(struct sockaddr_in),
                                            NULL, (WCHAR *)buf, &len),
                        WSAEINVAL);
    assert_int_equal(len, sizeof(buf));
}

static void test_WSAAddressToString_with_memory_out_of_reach_fails_with_WSAEFAULT(void **s)
{
    struct sockaddr_in sin = sin_of(0, 0);
    char buf[32];
    DWORD len = sizeof(buf);
    void *bad = no_access_page();
    (void)s;
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA(bad, sizeof(sin), NULL, buf, &len), WSAEFAULT);
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, bad, &len),
                        WSAEFAULT);
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), bad, buf, &len),
                        WSAEFAULT);
    VirtualFree(bad, 0, MEM_RELEASE);
}

static void test_WSAAddressToString_before_WSAStartup_fails_with_WSANOTINITIALISED(void **s)
{
    struct sockaddr_in sin = sin_of(0, 0);
    char buf[32];
    WCHAR wbuf[32];
    DWORD len = sizeof(buf);
    (void)s;
    assert_int_equal(WSACleanup(), 0);
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringA((struct sockaddr *)&sin, sizeof(sin), NULL, buf, &len),
                        WSANOTINITIALISED);
    WSASetLastError(0);
    assert_socket_error(WSAAddressToStringW((struct sockaddr *)&sin, sizeof(sin), NULL, wbuf, &len),
                        WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_address_strings_round_trip(void **s)
{
    static const char *const texts[] = {
        "::",
        "::1",
        "2001:db8::ff00:42:8329",
        "fe80::5efe:10.0.0.1",
        "::ffff:192.168.1.1",
        "1:0:2::3:0",
        "[fe80::1%7]:8080",
    };
    (void)s;
    for (size_t i = 0; i < ARRAYSIZE(texts); i++) {
        struct sockaddr_in6 sin6;
        int len = sizeof(sin6);
        char out[80];
        DWORD out_len = sizeof(out);
        assert_int_equal(
            WSAStringToAddressA((char *)texts[i], AF_INET6, NULL, (struct sockaddr *)&sin6, &len),
            0);
        assert_int_equal(WSAAddressToStringA((struct sockaddr *)&sin6, len, NULL, out, &out_len),
                         0);
        assert_string_equal(out, texts[i]);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_inet_pton_reads_a_dotted_quad_and_returns_1),
    cmocka_unit_test(test_inet_pton_rejects_every_ipv4_form_but_the_dotted_decimal_quad_with_0),
    cmocka_unit_test(test_inet_pton_stores_a_dotted_quad_even_when_other_text_follows),
    cmocka_unit_test(test_inet_pton_reads_the_ipv6_forms),
    cmocka_unit_test(test_inet_pton_rejects_malformed_ipv6_with_0),
    cmocka_unit_test(test_inet_pton_leaves_the_groups_it_read_of_a_rejected_ipv6_address),
    cmocka_unit_test(test_inet_pton_with_an_unknown_family_fails_with_WSAEAFNOSUPPORT),
    cmocka_unit_test(test_inet_pton_with_a_NULL_or_bad_pointer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_inet_pton_and_inet_ntop_work_without_WSAStartup),
    cmocka_unit_test(test_inet_ntop_writes_ipv4_in_dotted_decimal),
    cmocka_unit_test(test_inet_ntop_compresses_the_first_longest_zero_run_in_lowercase),
    cmocka_unit_test(test_inet_ntop_writes_the_ipv4_tail_of_compatible_mapped_and_isatap_addresses),
    cmocka_unit_test(test_inet_ntop_with_a_buffer_too_small_fails_with_STATUS_INVALID_PARAMETER),
    cmocka_unit_test(
        test_inet_ntop_with_a_NULL_buffer_or_size_0_fails_with_STATUS_INVALID_PARAMETER),
    cmocka_unit_test(test_inet_ntop_with_an_unknown_family_fails_with_WSAEAFNOSUPPORT),
    cmocka_unit_test(test_inet_ntop_with_an_unreachable_address_or_buffer_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAStringToAddress_reads_the_inet_addr_forms_with_an_optional_port),
    cmocka_unit_test(test_WSAStringToAddress_reads_ipv6_with_a_scope_and_a_bracketed_port),
    cmocka_unit_test(test_WSAStringToAddress_with_a_malformed_string_fails_with_WSAEINVAL),
    cmocka_unit_test(
        test_WSAStringToAddress_zeroes_the_sockaddr_and_may_leave_part_of_a_rejected_one),
    cmocka_unit_test(
        test_WSAStringToAddress_with_a_buffer_too_small_fails_with_WSAEFAULT_and_the_size),
    cmocka_unit_test(test_WSAStringToAddress_with_an_unsupported_family_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WSAStringToAddress_with_NULL_or_bad_pointers_fails),
    cmocka_unit_test(test_WSAStringToAddress_before_WSAStartup_fails_with_WSANOTINITIALISED),
    cmocka_unit_test(test_WSAAddressToString_writes_ipv4_with_the_port_when_it_is_not_0),
    cmocka_unit_test(test_WSAAddressToString_writes_ipv6_with_the_scope_and_brackets_around_a_port),
    cmocka_unit_test(
        test_WSAAddressToString_with_a_buffer_too_small_fails_with_WSAEFAULT_and_the_length),
    cmocka_unit_test(test_WSAAddressToString_with_NULL_arguments_fails_with_WSAEINVAL),
    cmocka_unit_test(
        test_WSAAddressToString_with_an_unsupported_family_or_short_length_fails_with_WSAEINVAL),
    cmocka_unit_test(test_WSAAddressToString_with_memory_out_of_reach_fails_with_WSAEFAULT),
    cmocka_unit_test(test_WSAAddressToString_before_WSAStartup_fails_with_WSANOTINITIALISED),
    cmocka_unit_test(test_address_strings_round_trip),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
