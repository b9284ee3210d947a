/* WSAStartup, socket and WSACleanup called from another DLL's DllMain, under the loader lock. */
#include "ws_test.h"

static void test_WSAStartup_in_another_dlls_DllMain_succeeds_without_deadlock(void **state)
{
    (void)state;
    HMODULE dll = LoadLibraryA("dllmain_startup.dll");
    assert_non_null(dll);
    int (*result)(void) = (int (*)(void))(void *)GetProcAddress(dll, "dllmain_startup_result");
    assert_non_null(result);
    assert_int_equal(result(), 0);
    /* Its startup counts like any other: ours is separate and both clean up. */
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_true(FreeLibrary(dll)); /* DllMain's detach calls WSACleanup */
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(WSACleanup(), WSANOTINITIALISED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSAStartup_in_another_dlls_DllMain_succeeds_without_deadlock),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
