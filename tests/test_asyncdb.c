/*
 * WSAAsyncGetHostByName/ByAddr, WSAAsyncGetServByName/ByPort, WSAAsyncGetProtoByName/ByNumber
 * and WSACancelAsyncRequest: the reply message (wParam the task handle, lParam the length and
 * the error), the result laid out in the caller's buffer, WSAENOBUFS with the size needed.
 *
 * Like test_netdb, the group setup points DataBasePath at the test's own database files and
 * restores the prefix's value at the end.
 */
#include "ws_test.h"
#include <stdbool.h>
#include <stdlib.h>

#define WM_LOOKUP_DONE (WM_USER + 77)

static const char hosts_text[] = "127.0.0.2   alpha.test alpha   # comment\n"
                                 "10.1.2.3    beta.test\n";
static const char services_text[] = "myserv   4242/tcp   myalias\n"
                                    "myserv   4243/udp\n";
static const char protocol_text[] = "tcp   6    TCP\n"
                                    "myproto   200  MYPROTO\n";

static const WCHAR params_key[] = L"System\\CurrentControlSet\\Services\\Tcpip\\Parameters";
static char folder[MAX_PATH];
static BYTE saved_value[2048];
static DWORD saved_size, saved_type;
static BOOL had_value;
static HWND window;

static void write_file(const char *name, const char *text)
{
    char path[MAX_PATH];
    DWORD written;
    HANDLE file;
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(file, text, (DWORD)strlen(text), &written, NULL));
    CloseHandle(file);
}

static void remove_file(const char *name)
{
    char path[MAX_PATH];
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    DeleteFileA(path);
}

static int group_setup(void **state)
{
    char temp[MAX_PATH];
    WNDCLASSA wc = {0};
    HKEY key;

    if (ws_test_startup(state)) return -1;
    GetTempPathA(sizeof(temp), temp);
    snprintf(folder, sizeof(folder), "%sopenws2-asyncdb-%lu", temp, GetCurrentProcessId());
    CreateDirectoryA(folder, NULL);
    write_file("hosts", hosts_text);
    write_file("services", services_text);
    write_file("protocol", protocol_text);

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, params_key, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &key))
        return -1;
    saved_size = sizeof(saved_value);
    had_value = !RegQueryValueExA(key, "DataBasePath", NULL, &saved_type, saved_value, &saved_size);
    RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)folder, (DWORD)strlen(folder) + 1);
    RegCloseKey(key);

    wc.lpfnWndProc = DefWindowProcA;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "openws2 asyncdb test";
    if (!RegisterClassA(&wc)) return -1;
    window =
        CreateWindowA(wc.lpszClassName, "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, NULL);
    return window ? 0 : -1;
}

static int group_teardown(void **state)
{
    HKEY key;
    DestroyWindow(window);
    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, params_key, 0, KEY_SET_VALUE, &key)) {
        if (had_value)
            RegSetValueExA(key, "DataBasePath", 0, saved_type, saved_value, saved_size);
        else
            RegDeleteValueA(key, "DataBasePath");
        RegCloseKey(key);
    }
    remove_file("hosts");
    remove_file("services");
    remove_file("protocol");
    RemoveDirectoryA(folder);
    return ws_test_cleanup(state);
}

/* Replies that arrived while another one was awaited. */
static struct {
    WPARAM handle;
    LPARAM reply;
} early[16];
static int early_count;

/* The reply to request HANDLE (replies to other requests are kept for later); fails the test if
   none comes within a generous bound. */
static LPARAM wait_reply(HANDLE handle)
{
    DWORD start = GetTickCount();
    MSG msg;
    for (int i = 0; i < early_count; i++) {
        if (early[i].handle == (WPARAM)handle) {
            LPARAM reply = early[i].reply;
            early[i] = early[--early_count];
            return reply;
        }
    }
    for (;;) {
        while (PeekMessageA(&msg, window, WM_LOOKUP_DONE, WM_LOOKUP_DONE, PM_REMOVE)) {
            if (msg.wParam == (WPARAM)handle) return msg.lParam;
            if (early_count < (int)ARRAYSIZE(early)) {
                early[early_count].handle = msg.wParam;
                early[early_count++].reply = msg.lParam;
            }
        }
        if (GetTickCount() - start > 30000) fail_msg("no reply to request %p", handle);
        MsgWaitForMultipleObjectsEx(0, NULL, 1000, QS_POSTMESSAGE, MWMO_INPUTAVAILABLE);
    }
}

/* The call could not start: a NULL handle and the last error. */
#define assert_not_started(call, error)                                                            \
    do {                                                                                           \
        HANDLE got_ = (call);                                                                      \
        int err_ = WSAGetLastError();                                                              \
        assert_null(got_);                                                                         \
        assert_int_equal(err_, (error));                                                           \
    } while (0)

static int count_of(char **list)
{
    int n = 0;
    while (list[n]) n++;
    return n;
}

static bool inside(const void *p, const char *buffer, size_t size)
{
    return (const char *)p >= buffer && (const char *)p < buffer + size;
}

/* ---- the lookups ---- */

static void test_WSAAsyncGetHostByName_posts_a_hostent_laid_out_in_the_buffer(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    struct hostent *h = (struct hostent *)buffer;
    HANDLE handle;
    LPARAM reply;
    (void)state;
    handle = WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, "ALPHA", buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_true(WSAGETASYNCBUFLEN(reply) > sizeof(struct hostent));
    assert_true(WSAGETASYNCBUFLEN(reply) <= sizeof(buffer));
    assert_string_equal(h->h_name, "alpha.test");
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(h->h_length, 4);
    assert_int_equal(count_of(h->h_aliases), 1);
    assert_string_equal(h->h_aliases[0], "alpha");
    assert_int_equal(count_of(h->h_addr_list), 1);
    assert_memory_equal(h->h_addr_list[0], "\x7f\x00\x00\x02", 4);
    /* Everything the structure points at is inside the caller's buffer. */
    assert_ptr_equal(h->h_aliases, (char **)(h + 1));
    assert_true(inside(h->h_name, buffer, WSAGETASYNCBUFLEN(reply)));
    assert_true(inside(h->h_addr_list[0], buffer, WSAGETASYNCBUFLEN(reply)));
}

static void test_WSAAsyncGetHostByName_of_an_unknown_name_replies_WSAHOST_NOT_FOUND(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    HANDLE handle;
    LPARAM reply;
    (void)state;
    handle =
        WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, "nowhere.invalid", buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSAHOST_NOT_FOUND);
}

static void test_a_buffer_too_small_replies_WSAENOBUFS_with_the_size_needed(void **state)
{
    char small[8], *big;
    HANDLE handle;
    LPARAM reply;
    unsigned need;
    (void)state;
    handle = WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, "alpha.test", small, sizeof(small));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSAENOBUFS);
    need = WSAGETASYNCBUFLEN(reply);
    assert_true(need > sizeof(struct hostent));
    /* A buffer of exactly that size is enough. */
    big = malloc(need);
    handle = WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, "alpha.test", big, (int)need);
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_int_equal(WSAGETASYNCBUFLEN(reply), need);
    assert_string_equal(((struct hostent *)big)->h_name, "alpha.test");
    free(big);
}

static void test_arguments_are_checked_when_the_lookup_runs_not_when_it_starts(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    HANDLE handle;
    LPARAM reply;
    (void)state;
    /* No buffer at all: the reply says how much is needed. */
    handle = WSAAsyncGetServByPort(window, WM_LOOKUP_DONE, htons(4242), NULL, NULL, 0);
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSAENOBUFS);
    assert_true(WSAGETASYNCBUFLEN(reply) > sizeof(struct servent));
    /* A name that cannot be read is reported in the reply. */
    handle = WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, (const char *)(ULONG_PTR)8, buffer,
                                   sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSAEFAULT);
    /* So is a buffer that cannot be written. */
    handle = WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 6, (char *)(ULONG_PTR)8, 1024);
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSAEFAULT);
}

static void test_WSAAsyncGetHostByAddr_posts_the_name_of_an_address(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    struct hostent *h = (struct hostent *)buffer;
    struct in_addr addr;
    HANDLE handle;
    LPARAM reply;
    (void)state;
    addr.s_addr = inet_addr("10.1.2.3");
    handle = WSAAsyncGetHostByAddr(window, WM_LOOKUP_DONE, (const char *)&addr, sizeof(addr),
                                   AF_INET, buffer, sizeof(buffer));
    assert_non_null(handle);
    /* The address was copied when the request was made. */
    addr.s_addr = 0;
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_string_equal(h->h_name, "beta.test");
    assert_memory_equal(h->h_addr_list[0], "\x0a\x01\x02\x03", 4);

    handle = WSAAsyncGetHostByAddr(window, WM_LOOKUP_DONE, (const char *)&addr, 4, 12345, buffer,
                                   sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSAEAFNOSUPPORT);
}

static void test_WSAAsyncGetServByName_and_ByPort_post_a_servent(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    struct servent *s = (struct servent *)buffer;
    HANDLE handle;
    LPARAM reply;
    (void)state;
    handle =
        WSAAsyncGetServByName(window, WM_LOOKUP_DONE, "myalias", "tcp", buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_string_equal(s->s_name, "myserv");
    assert_string_equal(s->s_proto, "tcp");
    assert_int_equal((u_short)s->s_port, htons(4242));
    assert_string_equal(s->s_aliases[0], "myalias");

    handle =
        WSAAsyncGetServByPort(window, WM_LOOKUP_DONE, htons(4243), NULL, buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_string_equal(s->s_name, "myserv");
    assert_string_equal(s->s_proto, "udp");

    handle = WSAAsyncGetServByName(window, WM_LOOKUP_DONE, "nosuch", NULL, buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSANO_DATA);
}

static void test_WSAAsyncGetProtoByName_and_ByNumber_post_a_protoent(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    struct protoent *p = (struct protoent *)buffer;
    HANDLE handle;
    LPARAM reply;
    (void)state;
    handle = WSAAsyncGetProtoByName(window, WM_LOOKUP_DONE, "MyProto", buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_string_equal(p->p_name, "myproto");
    assert_int_equal(p->p_proto, 200);
    assert_string_equal(p->p_aliases[0], "MYPROTO");

    handle = WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 6, buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), 0);
    assert_string_equal(p->p_name, "tcp");

    handle = WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 201, buffer, sizeof(buffer));
    assert_non_null(handle);
    reply = wait_reply(handle);
    assert_int_equal(WSAGETASYNCERROR(reply), WSANO_DATA);
}

static void test_each_request_gets_its_own_task_handle(void **state)
{
    char a[MAXGETHOSTSTRUCT], b[MAXGETHOSTSTRUCT];
    HANDLE first, second;
    (void)state;
    first = WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 6, a, sizeof(a));
    second = WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 200, b, sizeof(b));
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first != second);
    assert_int_equal(WSAGETASYNCERROR(wait_reply(second)), 0);
    assert_int_equal(WSAGETASYNCERROR(wait_reply(first)), 0);
    assert_string_equal(((struct protoent *)a)->p_name, "tcp");
    assert_string_equal(((struct protoent *)b)->p_name, "myproto");
}

/* ---- WSACancelAsyncRequest ---- */

static void test_WSACancelAsyncRequest_of_an_unknown_handle_fails_with_WSAEINVAL(void **state)
{
    (void)state;
    assert_socket_error(WSACancelAsyncRequest(NULL), WSAEINVAL);
    assert_socket_error(WSACancelAsyncRequest((HANDLE)(ULONG_PTR)0x7ffffff0), WSAEINVAL);
}

static void test_WSACancelAsyncRequest_of_a_completed_request_fails_with_WSAEALREADY(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    HANDLE handle;
    (void)state;
    handle = WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 6, buffer, sizeof(buffer));
    assert_non_null(handle);
    wait_reply(handle);
    assert_socket_error(WSACancelAsyncRequest(handle), WSAEALREADY);
}

static void test_WSACancelAsyncRequest_stops_a_request_or_finds_it_done(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    HANDLE handle;
    int ret;
    (void)state;
    handle = WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, "alpha.test", buffer, sizeof(buffer));
    assert_non_null(handle);
    ret = WSACancelAsyncRequest(handle);
    /* Whether the worker got there first is up to the scheduler; both outcomes are documented. */
    if (ret) assert_int_equal(WSAGetLastError(), WSAEALREADY);
    /* Either way the request is over now. */
    assert_socket_error(WSACancelAsyncRequest(handle), WSAEALREADY);
}

/* ---- before WSAStartup ---- */

static void test_async_calls_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    char buffer[MAXGETHOSTSTRUCT];
    struct in_addr addr;
    WSADATA data;
    (void)state;
    addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(WSACleanup(), 0);
    assert_not_started(
        WSAAsyncGetHostByName(window, WM_LOOKUP_DONE, "alpha.test", buffer, sizeof(buffer)),
        WSANOTINITIALISED);
    assert_not_started(WSAAsyncGetHostByAddr(window, WM_LOOKUP_DONE, (const char *)&addr, 4,
                                             AF_INET, buffer, sizeof(buffer)),
                       WSANOTINITIALISED);
    assert_not_started(
        WSAAsyncGetServByName(window, WM_LOOKUP_DONE, "myserv", NULL, buffer, sizeof(buffer)),
        WSANOTINITIALISED);
    assert_not_started(
        WSAAsyncGetServByPort(window, WM_LOOKUP_DONE, htons(4242), NULL, buffer, sizeof(buffer)),
        WSANOTINITIALISED);
    assert_not_started(
        WSAAsyncGetProtoByName(window, WM_LOOKUP_DONE, "tcp", buffer, sizeof(buffer)),
        WSANOTINITIALISED);
    assert_not_started(WSAAsyncGetProtoByNumber(window, WM_LOOKUP_DONE, 6, buffer, sizeof(buffer)),
                       WSANOTINITIALISED);
    assert_socket_error(WSACancelAsyncRequest((HANDLE)1), WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSAAsyncGetHostByName_posts_a_hostent_laid_out_in_the_buffer),
        cmocka_unit_test(test_WSAAsyncGetHostByName_of_an_unknown_name_replies_WSAHOST_NOT_FOUND),
        cmocka_unit_test(test_a_buffer_too_small_replies_WSAENOBUFS_with_the_size_needed),
        cmocka_unit_test(test_arguments_are_checked_when_the_lookup_runs_not_when_it_starts),
        cmocka_unit_test(test_WSAAsyncGetHostByAddr_posts_the_name_of_an_address),
        cmocka_unit_test(test_WSAAsyncGetServByName_and_ByPort_post_a_servent),
        cmocka_unit_test(test_WSAAsyncGetProtoByName_and_ByNumber_post_a_protoent),
        cmocka_unit_test(test_each_request_gets_its_own_task_handle),
        cmocka_unit_test(test_WSACancelAsyncRequest_of_an_unknown_handle_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSACancelAsyncRequest_of_a_completed_request_fails_with_WSAEALREADY),
        cmocka_unit_test(test_WSACancelAsyncRequest_stops_a_request_or_finds_it_done),
        cmocka_unit_test(test_async_calls_before_WSAStartup_fail_with_WSANOTINITIALISED),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
