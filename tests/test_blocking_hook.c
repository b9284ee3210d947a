/* The WinSock 1.1 blocking hooks: WSASetBlockingHook, WSAUnhookBlockingHook, WSAIsBlocking,
   WSACancelBlockingCall. Each test makes its own WSAStartup with the version it needs. */
#include "ws_test.h"

static int start(WORD version)
{
    WSADATA data;
    return WSAStartup(version, &data);
}

/* What a hook saw, and what it should do. */
static struct {
    LONG calls;
    BOOL saw_blocking;
    HANDLE wake_peer; /* set on the first call: the peer thread then sends */
    BOOL cancel;      /* call WSACancelBlockingCall on the first call */
    int cancel_ret;
    FARPROC set_ret; /* WSASetBlockingHook from inside the hook */
    int set_error;
    BOOL try_set;
} hook;

static BOOL WINAPI test_hook(void)
{
    if (InterlockedIncrement(&hook.calls) == 1) {
        hook.saw_blocking = WSAIsBlocking();
        if (hook.try_set) {
            hook.set_ret = WSASetBlockingHook((FARPROC)(void *)test_hook);
            hook.set_error = WSAGetLastError();
        }
        if (hook.cancel) hook.cancel_ret = WSACancelBlockingCall();
        if (hook.wake_peer) SetEvent(hook.wake_peer);
    }
    return FALSE;
}

struct peer {
    SOCKET s;
    HANDLE go;
};

static DWORD WINAPI peer_sends(void *arg)
{
    struct peer *p = arg;
    if (WaitForSingleObject(p->go, 30000) == WAIT_OBJECT_0) send(p->s, "x", 1, 0);
    return 0;
}

static void reset_hook(void)
{
    memset(&hook, 0, sizeof(hook));
}

static void test_blocking_hook_calls_for_Winsock_2_fail_with_WSAEOPNOTSUPP(void **state)
{
    (void)state;
    assert_int_equal(start(MAKEWORD(2, 2)), 0);
    WSASetLastError(0);
    assert_false(WSAIsBlocking());
    assert_socket_error(WSACancelBlockingCall(), WSAEOPNOTSUPP);
    assert_socket_error(WSAUnhookBlockingHook(), WSAEOPNOTSUPP);
    WSASetLastError(0);
    assert_null(WSASetBlockingHook((FARPROC)(void *)test_hook));
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    assert_int_equal(WSACleanup(), 0);
}

static void test_blocking_hook_calls_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    (void)state;
    WSASetLastError(0);
    assert_false(WSAIsBlocking());
    assert_socket_error(WSACancelBlockingCall(), WSANOTINITIALISED);
    assert_socket_error(WSAUnhookBlockingHook(), WSANOTINITIALISED);
    WSASetLastError(0);
    assert_null(WSASetBlockingHook((FARPROC)(void *)test_hook));
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
}

static void test_WinSock_1_1_without_a_blocking_call_has_nothing_to_cancel(void **state)
{
    (void)state;
    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    assert_false(WSAIsBlocking());
    WSASetLastError(0);
    assert_socket_error(WSACancelBlockingCall(), WSAEINVAL);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    assert_int_equal(WSACleanup(), 0);
}

static void test_WSASetBlockingHook_with_NULL_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    WSASetLastError(0);
    assert_null(WSASetBlockingHook(NULL));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(WSACleanup(), 0);
}

static void test_WSASetBlockingHook_returns_the_previous_hook_and_unhook_restores_the_default(
    void **state)
{
    FARPROC def, again;
    (void)state;
    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    def = WSASetBlockingHook((FARPROC)(void *)test_hook);
    assert_non_null(def);
    assert_true(def != (FARPROC)(void *)test_hook);
    assert_ptr_equal(WSASetBlockingHook((FARPROC)(void *)test_hook), (FARPROC)(void *)test_hook);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    again = WSASetBlockingHook((FARPROC)(void *)test_hook);
    assert_ptr_equal(again, def);
    /* The default hook dispatches one message if there is one; this thread has none. */
    assert_false(((BOOL(WINAPI *)(void))(void *)def)());
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    assert_int_equal(WSACleanup(), 0);
}

static void test_a_hook_is_per_thread(void **state)
{
    (void)state;
    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    assert_non_null(WSASetBlockingHook((FARPROC)(void *)test_hook));
    /* Another thread still has the default. */
    HANDLE t =
        CreateThread(NULL, 0, (LPTHREAD_START_ROUTINE)(void *)WSAUnhookBlockingHook, NULL, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CloseHandle(t);
    assert_ptr_equal(WSASetBlockingHook((FARPROC)(void *)test_hook), (FARPROC)(void *)test_hook);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    assert_int_equal(WSACleanup(), 0);
}

/* A blocking recv on a 1.1 thread with a hook: the hook runs, sees WSAIsBlocking, and the recv
   completes when the peer sends. */
static void test_a_hooked_blocking_recv_runs_the_hook_until_it_completes(void **state)
{
    SOCKET client, server;
    struct peer peer;
    HANDLE thread;
    char c = 0;
    (void)state;

    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    ws_test_tcp_pair(AF_INET, &client, &server);
    reset_hook();
    hook.wake_peer = peer.go = CreateEventW(NULL, TRUE, FALSE, NULL);
    peer.s = server;
    thread = CreateThread(NULL, 0, peer_sends, &peer, 0, NULL);
    assert_non_null(thread);
    assert_non_null(WSASetBlockingHook((FARPROC)(void *)test_hook));

    assert_int_equal(recv(client, &c, 1, 0), 1);
    assert_int_equal(c, 'x');
    assert_true(hook.calls >= 1);
    assert_true(hook.saw_blocking);
    assert_false(WSAIsBlocking());

    assert_int_equal(WaitForSingleObject(thread, 30000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(peer.go);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    closesocket(client);
    closesocket(server);
    assert_int_equal(WSACleanup(), 0);
}

static void test_WSACancelBlockingCall_from_the_hook_ends_the_call_with_WSAEINTR(void **state)
{
    SOCKET client, server;
    char c;
    (void)state;

    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    ws_test_tcp_pair(AF_INET, &client, &server);
    reset_hook();
    hook.cancel = TRUE;
    hook.cancel_ret = -2;
    assert_non_null(WSASetBlockingHook((FARPROC)(void *)test_hook));
    WSASetLastError(0);
    assert_socket_error(recv(client, &c, 1, 0), WSAEINTR);
    assert_int_equal(hook.cancel_ret, 0);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    closesocket(client);
    closesocket(server);
    assert_int_equal(WSACleanup(), 0);
}

static void test_WSASetBlockingHook_inside_a_blocking_call_fails_with_WSAEINPROGRESS(void **state)
{
    SOCKET client, server;
    char c;
    (void)state;

    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    ws_test_tcp_pair(AF_INET, &client, &server);
    reset_hook();
    hook.try_set = TRUE;
    hook.cancel = TRUE;
    assert_non_null(WSASetBlockingHook((FARPROC)(void *)test_hook));
    assert_socket_error(recv(client, &c, 1, 0), WSAEINTR);
    assert_null(hook.set_ret);
    assert_int_equal(hook.set_error, WSAEINPROGRESS);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    closesocket(client);
    closesocket(server);
    assert_int_equal(WSACleanup(), 0);
}

static void test_the_final_WSACleanup_forgets_the_hook(void **state)
{
    FARPROC def;
    (void)state;
    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    def = WSASetBlockingHook((FARPROC)(void *)test_hook);
    assert_non_null(def);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(start(MAKEWORD(1, 1)), 0);
    assert_ptr_equal(WSASetBlockingHook((FARPROC)(void *)test_hook), def);
    assert_int_equal(WSAUnhookBlockingHook(), 0);
    assert_int_equal(WSACleanup(), 0);
}

static int no_setup(void **state)
{
    (void)state;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocking_hook_calls_before_WSAStartup_fail_with_WSANOTINITIALISED),
        cmocka_unit_test(test_blocking_hook_calls_for_Winsock_2_fail_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_WinSock_1_1_without_a_blocking_call_has_nothing_to_cancel),
        cmocka_unit_test(test_WSASetBlockingHook_with_NULL_fails_with_WSAEFAULT),
        cmocka_unit_test(
            test_WSASetBlockingHook_returns_the_previous_hook_and_unhook_restores_the_default),
        cmocka_unit_test(test_a_hook_is_per_thread),
        cmocka_unit_test(test_a_hooked_blocking_recv_runs_the_hook_until_it_completes),
        cmocka_unit_test(test_WSACancelBlockingCall_from_the_hook_ends_the_call_with_WSAEINTR),
        cmocka_unit_test(test_WSASetBlockingHook_inside_a_blocking_call_fails_with_WSAEINPROGRESS),
        cmocka_unit_test(test_the_final_WSACleanup_forgets_the_hook),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, no_setup, no_setup);
}
