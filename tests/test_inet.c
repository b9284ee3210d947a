/* inet_addr and inet_ntoa: the forms, errors and buffers their reference pages describe. */
#include "ws_test.h"

/* An address in network byte order from its four bytes, as inet_addr returns it. */
static unsigned long bytes(unsigned int a, unsigned int b, unsigned int c, unsigned int d)
{
    unsigned char addr[4] = {(unsigned char)a, (unsigned char)b, (unsigned char)c,
                             (unsigned char)d};
    unsigned long value;
    memcpy(&value, addr, sizeof(value));
    return value;
}

struct case_ {
    const char *text;
    unsigned long addr;
};

static void check_cases(const struct case_ *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        unsigned long got;
        WSASetLastError(12345);
        got = inet_addr(cases[i].text);
        if (got != cases[i].addr)
            fail_msg("inet_addr(\"%s\") = %#lx, expected %#lx", cases[i].text, got, cases[i].addr);
        /* Neither success nor INADDR_NONE touches the last error. */
        assert_int_equal(WSAGetLastError(), 12345);
    }
}

static void test_inet_addr_reads_the_four_part_form(void **state)
{
    static struct case_ cases[6];
    (void)state;
    cases[0] = (struct case_){"1.2.3.4", bytes(1, 2, 3, 4)};
    cases[1] = (struct case_){"127.0.0.1", bytes(127, 0, 0, 1)};
    cases[2] = (struct case_){"0.0.0.0", 0};
    cases[3] = (struct case_){"192.168.255.254", bytes(192, 168, 255, 254)};
    cases[4] = (struct case_){"255.255.255.255", INADDR_NONE};
    cases[5] = (struct case_){"10.200.30.4", bytes(10, 200, 30, 4)};
    check_cases(cases, ARRAYSIZE(cases));
}

static void test_inet_addr_reads_the_three_two_and_one_part_forms(void **state)
{
    static struct case_ cases[8];
    (void)state;
    /* a.b.c: c is the last 16 bits; a.b: b is the last 24 bits; a: the whole address. */
    cases[0] = (struct case_){"1.2.3", bytes(1, 2, 0, 3)};
    cases[1] = (struct case_){"128.10.65535", bytes(128, 10, 255, 255)};
    cases[2] = (struct case_){"1.2", bytes(1, 0, 0, 2)};
    cases[3] = (struct case_){"10.16777215", bytes(10, 255, 255, 255)};
    cases[4] = (struct case_){"1", bytes(0, 0, 0, 1)};
    cases[5] = (struct case_){"3232235777", bytes(192, 168, 1, 1)};
    cases[6] = (struct case_){"4294967294", bytes(255, 255, 255, 254)};
    cases[7] = (struct case_){"0", 0};
    check_cases(cases, ARRAYSIZE(cases));
}

static void test_inet_addr_reads_octal_and_hexadecimal_parts(void **state)
{
    static struct case_ cases[9];
    (void)state;
    cases[0] = (struct case_){"0x7f.1.0x10.0Xff", bytes(127, 1, 16, 255)};
    cases[1] = (struct case_){"010.0.0.011", bytes(8, 0, 0, 9)};
    cases[2] = (struct case_){"1.2.3.00", bytes(1, 2, 3, 0)};
    cases[3] = (struct case_){"0x7F000001", bytes(127, 0, 0, 1)};
    cases[4] = (struct case_){"017700000001", bytes(127, 0, 0, 1)};
    cases[5] = (struct case_){"0xc0a80101", bytes(192, 168, 1, 1)};
    cases[6] = (struct case_){"0377", bytes(0, 0, 0, 255)};
    cases[7] = (struct case_){"10.0x00000000000001", bytes(10, 0, 0, 1)};
    cases[8] = (struct case_){"0x1.0x2.0xbEeF", bytes(1, 2, 0xbe, 0xef)};
    check_cases(cases, ARRAYSIZE(cases));
}

static void test_inet_addr_stops_at_white_space_and_ignores_what_follows(void **state)
{
    static struct case_ cases[8];
    (void)state;
    cases[0] = (struct case_){"1.2.3.4 ", bytes(1, 2, 3, 4)};
    cases[1] = (struct case_){"1.2.3.4\tjunk", bytes(1, 2, 3, 4)};
    cases[2] = (struct case_){"1.2.3.4\n", bytes(1, 2, 3, 4)};
    cases[3] = (struct case_){"9.8.7 .6", bytes(9, 8, 0, 7)};
    cases[4] = (struct case_){"5 6 7 8", bytes(0, 0, 0, 5)};
    cases[5] = (struct case_){"1.2.3.4\r:80", bytes(1, 2, 3, 4)};
    cases[6] = (struct case_){"1.2.3.4\v", bytes(1, 2, 3, 4)};
    cases[7] = (struct case_){"1.2.3.4\f\xff", bytes(1, 2, 3, 4)};
    check_cases(cases, ARRAYSIZE(cases));
}

static void test_inet_addr_rejects_what_is_not_an_address_with_INADDR_NONE(void **state)
{
    static const char *const bad[] = {
        "",   /* empty: INADDR_NONE since Windows Server 2003 */
        "  ", /* only the single space is special */
        "\t",
        " 1.2.3.4", /* leading white space */
        ".1.2.3",
        "1.2.3.",
        "1..2.3",
        "1.2.3.4.",
        "1.2.3.4.5",
        "1.2.3. 4",
        "1.2.3.256", /* a part of a.b.c.d above 255 */
        "256.1.2.3",
        "1.2.65536",  /* c of a.b.c above 16 bits */
        "1.16777216", /* b of a.b above 24 bits */
        "4294967296", /* a above 32 bits */
        "0x100000000",
        "1.2.3.4:80",
        "1.2.3.4x",
        "1.2.3.0x", /* 0x with no digit */
        "1.2.3.08", /* 8 is not an octal digit */
        "1.2.3.0a",
        "1.2.3.-1",
        "+1.2.3.4",
        "a.b.c.d",
        "localhost",
        "[1.2.3.4]",
        "::1",
        "fe80::1",
        ".",
    };
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
        unsigned long got;
        WSASetLastError(12345);
        got = inet_addr(bad[i]);
        if (got != INADDR_NONE)
            fail_msg("inet_addr(\"%s\") = %#lx, expected INADDR_NONE", bad[i], got);
        assert_int_equal(WSAGetLastError(), 12345);
    }
}

static void test_inet_addr_of_a_single_space_is_zero(void **state)
{
    (void)state;
    assert_int_equal(inet_addr(" "), 0);
}

static void test_inet_addr_accepts_only_white_space_after_an_address(void **state)
{
    char text[8] = "1.2.3";
    (void)state;
    for (int c = 1; c < 256; c++) {
        int space = c == ' ' || (c >= '\t' && c <= '\r');
        if (c >= '0' && c <= '9') continue;
        text[5] = (char)c;
        text[6] = 0;
        if (inet_addr(text) != (space ? bytes(1, 2, 0, 3) : INADDR_NONE))
            fail_msg("inet_addr(\"1.2.3\" + char %d) = %#lx", c, inet_addr(text));
    }
}

static void test_inet_addr_of_null_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    WSASetLastError(0);
    assert_wsa_error(inet_addr(NULL), INADDR_NONE, WSAEFAULT);
}

static void test_inet_addr_of_a_bad_pointer_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    WSASetLastError(0);
    assert_wsa_error(inet_addr((const char *)(ULONG_PTR)0x10), INADDR_NONE, WSAEFAULT);
}

static void test_inet_addr_works_before_WSAStartup(void **state)
{
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    WSASetLastError(12345);
    assert_int_equal(inet_addr("10.1.2.3"), bytes(10, 1, 2, 3));
    assert_int_equal(inet_addr("nonsense"), INADDR_NONE);
    assert_int_equal(WSAGetLastError(), 12345);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_inet_ntoa_writes_dotted_decimal(void **state)
{
    static const struct {
        unsigned int a, b, c, d;
        const char *text;
    } cases[] = {
        {1, 2, 3, 4, "1.2.3.4"},
        {0, 0, 0, 0, "0.0.0.0"},
        {255, 255, 255, 255, "255.255.255.255"},
        {127, 0, 0, 1, "127.0.0.1"},
        {10, 100, 9, 250, "10.100.9.250"},
    };
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        struct in_addr in;
        in.s_addr = bytes(cases[i].a, cases[i].b, cases[i].c, cases[i].d);
        WSASetLastError(12345);
        assert_string_equal(inet_ntoa(in), cases[i].text);
        assert_int_equal(WSAGetLastError(), 12345);
    }
}

static void test_inet_ntoa_and_inet_addr_round_trip(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < 4096; i++) {
        struct in_addr in;
        in.s_addr = bytes(i * 37 % 256, i % 256, (i >> 4) * 11 % 256, 255 - i % 256);
        assert_int_equal(inet_addr(inet_ntoa(in)), in.s_addr);
    }
}

static void test_inet_ntoa_works_before_WSAStartup(void **state)
{
    struct in_addr in;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    in.s_addr = bytes(192, 0, 2, 7);
    assert_string_equal(inet_ntoa(in), "192.0.2.7");
    assert_int_equal(ws_test_startup(NULL), 0);
}

struct ntoa_thread {
    HANDLE done, release;
    char *result;
    char copy[16];
};

static DWORD WINAPI ntoa_thread_main(void *arg)
{
    struct ntoa_thread *t = arg;
    struct in_addr in;
    in.s_addr = bytes(4, 3, 2, 1);
    t->result = inet_ntoa(in);
    strcpy(t->copy, t->result);
    SetEvent(t->done);
    /* Stay alive: the buffer belongs to this thread until it exits. */
    WaitForSingleObject(t->release, INFINITE);
    return 0;
}

static void test_inet_ntoa_gives_each_thread_its_own_buffer(void **state)
{
    struct ntoa_thread t = {0};
    struct in_addr in;
    HANDLE thread;
    char *mine;
    (void)state;
    in.s_addr = bytes(1, 2, 3, 4);
    mine = inet_ntoa(in);
    assert_string_equal(mine, "1.2.3.4");

    t.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    t.release = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, ntoa_thread_main, &t, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(t.done, 10000), WAIT_OBJECT_0);

    assert_non_null(t.result);
    assert_ptr_not_equal(t.result, mine);
    assert_string_equal(t.copy, "4.3.2.1");
    assert_string_equal(t.result, "4.3.2.1");
    /* The other thread's call did not overwrite this thread's result. */
    assert_string_equal(mine, "1.2.3.4");

    SetEvent(t.release);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(t.done);
    CloseHandle(t.release);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inet_addr_reads_the_four_part_form),
        cmocka_unit_test(test_inet_addr_reads_the_three_two_and_one_part_forms),
        cmocka_unit_test(test_inet_addr_reads_octal_and_hexadecimal_parts),
        cmocka_unit_test(test_inet_addr_stops_at_white_space_and_ignores_what_follows),
        cmocka_unit_test(test_inet_addr_rejects_what_is_not_an_address_with_INADDR_NONE),
        cmocka_unit_test(test_inet_addr_of_a_single_space_is_zero),
        cmocka_unit_test(test_inet_addr_accepts_only_white_space_after_an_address),
        cmocka_unit_test(test_inet_addr_of_null_fails_with_WSAEFAULT),
        cmocka_unit_test(test_inet_addr_of_a_bad_pointer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_inet_addr_works_before_WSAStartup),
        cmocka_unit_test(test_inet_ntoa_writes_dotted_decimal),
        cmocka_unit_test(test_inet_ntoa_and_inet_addr_round_trip),
        cmocka_unit_test(test_inet_ntoa_works_before_WSAStartup),
        cmocka_unit_test(test_inet_ntoa_gives_each_thread_its_own_buffer),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
