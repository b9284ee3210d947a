/* WSApSetPostRoutine: the routine that takes the window messages of the asynchronous calls in
   place of PostMessageW, and going back to PostMessageW when it is removed. */
#include "ws_test.h"

/* The routine has no prototype in the SDK headers. */
int WSAAPI WSApSetPostRoutine(void *routine);

#define WM_REPLY (WM_USER + 7)
#define WAIT_MS  30000

static struct {
    volatile LONG count;
    HWND window;
    UINT message;
    WPARAM wparam;
    LPARAM lparam;
    HANDLE done;
} seen;

static BOOL WINAPI record_post(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    seen.window = window;
    seen.message = message;
    seen.wparam = wparam;
    seen.lparam = lparam;
    InterlockedIncrement(&seen.count);
    SetEvent(seen.done);
    return TRUE;
}

static HWND message_window(void)
{
    WNDCLASSA wc = {0};
    wc.lpfnWndProc = DefWindowProcA;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "openws2_post_routine";
    RegisterClassA(&wc);
    HWND window = CreateWindowA(wc.lpszClassName, "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                wc.hInstance, NULL);
    assert_non_null(window);
    return window;
}

static void test_WSApSetPostRoutine_returns_0(void **state)
{
    (void)state;
    assert_int_equal(WSApSetPostRoutine((void *)record_post), 0);
    assert_int_equal(WSApSetPostRoutine(NULL), 0);
}

static void test_the_reply_of_WSAAsyncGetHostByName_goes_to_the_installed_routine(void **state)
{
    static char buffer[MAXGETHOSTSTRUCT];
    HWND fake = (HWND)(ULONG_PTR)0x4242; /* no window: the routine takes the message */
    HANDLE task;
    (void)state;

    seen.done = CreateEventA(NULL, FALSE, FALSE, NULL);
    seen.count = 0;
    assert_int_equal(WSApSetPostRoutine((void *)record_post), 0);
    task = WSAAsyncGetHostByName(fake, WM_REPLY, "localhost", buffer, sizeof(buffer));
    assert_non_null(task);
    assert_int_equal(WaitForSingleObject(seen.done, WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(seen.count, 1);
    assert_ptr_equal(seen.window, fake);
    assert_int_equal(seen.message, WM_REPLY);
    assert_int_equal(seen.wparam, (WPARAM)task);
    assert_int_equal(WSAGETASYNCERROR(seen.lparam), 0);
    assert_true(WSAGETASYNCBUFLEN(seen.lparam) > sizeof(struct hostent));
    struct hostent *he = (struct hostent *)buffer;
    assert_int_equal(he->h_addrtype, AF_INET);
    assert_int_equal(he->h_length, 4);
    assert_int_equal(((struct in_addr *)he->h_addr_list[0])->s_addr, htonl(INADDR_LOOPBACK));
    assert_int_equal(WSApSetPostRoutine(NULL), 0);
    CloseHandle(seen.done);
}

static void test_without_a_routine_the_reply_is_posted_to_the_window_again(void **state)
{
    static char buffer[MAXGETHOSTSTRUCT];
    HWND window = message_window();
    DWORD start = GetTickCount();
    HANDLE task;
    MSG msg;
    (void)state;

    seen.count = 0;
    assert_int_equal(WSApSetPostRoutine((void *)record_post), 0);
    assert_int_equal(WSApSetPostRoutine(NULL), 0);
    task = WSAAsyncGetHostByName(window, WM_REPLY, "localhost", buffer, sizeof(buffer));
    assert_non_null(task);
    while (!PeekMessageA(&msg, window, WM_REPLY, WM_REPLY, PM_REMOVE)) {
        assert_true(GetTickCount() - start < WAIT_MS);
        MsgWaitForMultipleObjectsEx(0, NULL, 1000, QS_POSTMESSAGE, MWMO_INPUTAVAILABLE);
    }
    assert_int_equal(msg.wParam, (WPARAM)task);
    assert_int_equal(WSAGETASYNCERROR(msg.lParam), 0);
    assert_int_equal(seen.count, 0);
    DestroyWindow(window);
}

/* WSAAsyncSelect's messages take the same way: the routine gets FD_READ for the socket, and the
   window's queue gets nothing. */
static void test_WSAAsyncSelect_messages_go_to_the_installed_routine(void **state)
{
    HWND window = message_window();
    SOCKET client, server;
    MSG msg;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    seen.done = CreateEventA(NULL, FALSE, FALSE, NULL);
    seen.count = 0;
    assert_int_equal(WSApSetPostRoutine((void *)record_post), 0);
    assert_int_equal(WSAAsyncSelect(server, window, WM_REPLY, FD_READ), 0);
    assert_int_equal(send(client, "x", 1, 0), 1);
    assert_int_equal(WaitForSingleObject(seen.done, WAIT_MS), WAIT_OBJECT_0);
    assert_ptr_equal(seen.window, window);
    assert_int_equal(seen.message, WM_REPLY);
    assert_int_equal(seen.wparam, (WPARAM)server);
    assert_int_equal(WSAGETSELECTEVENT(seen.lparam), FD_READ);
    assert_int_equal(WSAGETSELECTERROR(seen.lparam), 0);
    assert_false(PeekMessageA(&msg, window, WM_REPLY, WM_REPLY, PM_REMOVE));
    closesocket(server);
    closesocket(client);
    assert_int_equal(WSApSetPostRoutine(NULL), 0);
    CloseHandle(seen.done);
    DestroyWindow(window);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSApSetPostRoutine_returns_0),
        cmocka_unit_test(test_the_reply_of_WSAAsyncGetHostByName_goes_to_the_installed_routine),
        cmocka_unit_test(test_without_a_routine_the_reply_is_posted_to_the_window_again),
        cmocka_unit_test(test_WSAAsyncSelect_messages_go_to_the_installed_routine),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
