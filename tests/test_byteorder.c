/* htonl, htons, ntohl, ntohs and their WSA forms, as their reference pages state them. */
#include "ws_test.h"

/* The WSA forms, called uniformly: 32-bit ones get the value, 16-bit ones its low half. */
enum { HTONL, HTONS, NTOHL, NTOHS, WSA_FORMS };
static const char *const form_names[WSA_FORMS] = {"WSAHtonl", "WSAHtons", "WSANtohl", "WSANtohs"};

static int call_form(int form, SOCKET s, u_long value, void *out)
{
    switch (form) {
    case HTONL: return WSAHtonl(s, value, out);
    case HTONS: return WSAHtons(s, (u_short)value, out);
    case NTOHL: return WSANtohl(s, value, out);
    default: return WSANtohs(s, (u_short)value, out);
    }
}

static void test_htonl_puts_the_most_significant_byte_first(void **state)
{
    u_long net = htonl(0x01020304);
    const unsigned char *bytes = (const unsigned char *)&net;
    (void)state;
    assert_int_equal(bytes[0], 1);
    assert_int_equal(bytes[1], 2);
    assert_int_equal(bytes[2], 3);
    assert_int_equal(bytes[3], 4);
    assert_int_equal(ntohl(net), 0x01020304);
    assert_int_equal(htonl(0xfedcba98), 0x98badcfe);
    assert_int_equal(ntohl(0x98badcfe), 0xfedcba98);
}

static void test_htons_puts_the_most_significant_byte_first(void **state)
{
    u_short net = htons(0x0102);
    const unsigned char *bytes = (const unsigned char *)&net;
    (void)state;
    assert_int_equal(bytes[0], 1);
    assert_int_equal(bytes[1], 2);
    assert_int_equal(ntohs(net), 0x0102);
    assert_int_equal(htons(0xfedc), 0xdcfe);
    assert_int_equal(ntohs(0xdcfe), 0xfedc);
}

static void test_plain_conversions_leave_the_last_error_alone(void **state)
{
    (void)state;
    WSASetLastError(12345);
    htonl(1);
    htons(1);
    ntohl(1);
    ntohs(1);
    assert_int_equal(WSAGetLastError(), 12345);
}

static void test_plain_conversions_work_before_WSAStartup(void **state)
{
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(htonl(0x11223344), 0x44332211);
    assert_int_equal(htons(0x1122), 0x2211);
    assert_int_equal(ntohl(0x44332211), 0x11223344);
    assert_int_equal(ntohs(0x2211), 0x1122);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_WSA_forms_convert_for_a_socket_and_leave_the_last_error_alone(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long l = 0;
    u_short h = 0;
    (void)state;
    assert_true(s != INVALID_SOCKET);
    WSASetLastError(12345);
    assert_int_equal(WSAHtonl(s, 0x01020304, &l), 0);
    assert_int_equal(l, htonl(0x01020304));
    assert_int_equal(WSANtohl(s, l, &l), 0);
    assert_int_equal(l, 0x01020304);
    assert_int_equal(WSAHtons(s, 0x0102, &h), 0);
    assert_int_equal(h, htons(0x0102));
    assert_int_equal(WSANtohs(s, h, &h), 0);
    assert_int_equal(h, 0x0102);
    assert_int_equal(WSAGetLastError(), 12345);
    closesocket(s);
}

static void test_WSA_forms_convert_for_a_UDP_and_an_IPv6_socket(void **state)
{
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    SOCKET v6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    u_long l = 0;
    (void)state;
    assert_true(udp != INVALID_SOCKET && v6 != INVALID_SOCKET);
    assert_int_equal(WSAHtonl(udp, 7, &l), 0);
    assert_int_equal(l, htonl(7));
    assert_int_equal(WSAHtonl(v6, 9, &l), 0);
    assert_int_equal(l, htonl(9));
    closesocket(udp);
    closesocket(v6);
}

static void test_WSA_forms_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    u_long out = 0;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    for (int form = 0; form < WSA_FORMS; form++) {
        print_message("%s\n", form_names[form]);
        WSASetLastError(0);
        assert_socket_error(call_form(form, (SOCKET)4, 1, &out), WSANOTINITIALISED);
        /* Startup is checked before the pointer. */
        assert_socket_error(call_form(form, (SOCKET)4, 1, NULL), WSANOTINITIALISED);
    }
    assert_int_equal(out, 0);
    assert_int_equal(ws_test_startup(NULL), 0);
}

static void test_WSA_forms_on_a_non_socket_fail_with_WSAENOTSOCK(void **state)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    u_long out = 0;
    (void)state;
    for (int form = 0; form < WSA_FORMS; form++) {
        print_message("%s\n", form_names[form]);
        assert_socket_error(call_form(form, INVALID_SOCKET, 1, &out), WSAENOTSOCK);
        assert_socket_error(call_form(form, 0, 1, &out), WSAENOTSOCK);
        assert_socket_error(call_form(form, (SOCKET)event, 1, &out), WSAENOTSOCK);
        /* The socket is checked before the pointer. */
        assert_socket_error(call_form(form, (SOCKET)event, 1, NULL), WSAENOTSOCK);
    }
    assert_int_equal(out, 0);
    CloseHandle(event);
}

static void test_WSA_forms_on_a_closed_socket_fail_with_WSAENOTSOCK(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long out = 0;
    (void)state;
    assert_int_equal(closesocket(s), 0);
    for (int form = 0; form < WSA_FORMS; form++)
        assert_socket_error(call_form(form, s, 1, &out), WSAENOTSOCK);
}

static void test_WSA_forms_with_a_null_or_bad_output_pointer_fail_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    static const u_long read_only = 0;
    (void)state;
    assert_true(s != INVALID_SOCKET);
    for (int form = 0; form < WSA_FORMS; form++) {
        print_message("%s\n", form_names[form]);
        assert_socket_error(call_form(form, s, 1, NULL), WSAEFAULT);
        assert_socket_error(call_form(form, s, 1, (void *)(ULONG_PTR)0x10), WSAEFAULT);
        assert_socket_error(call_form(form, s, 1, (void *)&read_only), WSAEFAULT);
    }
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_htonl_puts_the_most_significant_byte_first),
        cmocka_unit_test(test_htons_puts_the_most_significant_byte_first),
        cmocka_unit_test(test_plain_conversions_leave_the_last_error_alone),
        cmocka_unit_test(test_plain_conversions_work_before_WSAStartup),
        cmocka_unit_test(test_WSA_forms_convert_for_a_socket_and_leave_the_last_error_alone),
        cmocka_unit_test(test_WSA_forms_convert_for_a_UDP_and_an_IPv6_socket),
        cmocka_unit_test(test_WSA_forms_before_WSAStartup_fail_with_WSANOTINITIALISED),
        cmocka_unit_test(test_WSA_forms_on_a_non_socket_fail_with_WSAENOTSOCK),
        cmocka_unit_test(test_WSA_forms_on_a_closed_socket_fail_with_WSAENOTSOCK),
        cmocka_unit_test(test_WSA_forms_with_a_null_or_bad_output_pointer_fail_with_WSAEFAULT),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
