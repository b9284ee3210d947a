/*
 * The export table as a whole, and src/api/stubs.c: every name of def/ws2_32.def resolves (at
 * its pinned ordinal too), every export the status table marks "not yet" returns its documented
 * failure without crashing, and the small functions stubs.c implements fully behave as their
 * reference pages state.
 *
 * Stubs are reached through GetProcAddress so that no header prototype is needed; on x64 every
 * export shares one calling convention, so each is called with twelve zero arguments, of which
 * it reads the ones it has.
 */
#include "ws_test.h"
#include <stdlib.h>
#include <ws2spi.h>

typedef ULONG_PTR(WINAPI *any_proc)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                    ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                    ULONG_PTR, ULONG_PTR);

static FARPROC export_of(const char *name)
{
    return GetProcAddress(GetModuleHandleA("ws2_32.dll"), name);
}

/* Calls an export by name with its first argument set and every other one zero. */
static ULONG_PTR call_export(const char *name, ULONG_PTR first)
{
    FARPROC proc = export_of(name);
    if (!proc) fail_msg("%s is not exported", name);
    return ((any_proc)(void *)proc)(first, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/* How a stub reports failure. */
enum result {
    SOCKET_ERROR_, /* int -1 (SOCKET_ERROR) */
    INVALID_SOCKET_,
    NULL_,   /* a NULL pointer or handle */
    FALSE_,  /* BOOL FALSE */
    CODE,    /* the error itself as the int/DWORD result */
    NOTHING, /* void, or a partial function that succeeds: the last error stays */
};

struct stub {
    const char *name;
    enum result result;
    int error; /* with every argument zero, after WSAStartup */
};

#define NOTSOCK WSAENOTSOCK /* socket stubs given socket 0 */

static const struct stub stubs[] = {
    /* events, select-style notification, accept, duplication (issue 4) */
    /* catalog, WSC/WPU, ws2help (issue 7) */
    {"WSCEnumProtocolsEx", SOCKET_ERROR_, WSAEINVAL},
    {"WSCDeinstallProviderEx", SOCKET_ERROR_, WSAEINVAL},
    {"WSCInstallProviderEx", SOCKET_ERROR_, WSANO_RECOVERY},
    {"WSCUpdateProviderEx", SOCKET_ERROR_, WSANO_RECOVERY},
    {"WSCWriteProviderOrderEx", CODE, WSANO_RECOVERY},
    {"WSCInstallNameSpaceEx2", SOCKET_ERROR_, WSANO_RECOVERY},
    {"WSCUnInstallNameSpaceEx2", SOCKET_ERROR_, WSAEINVAL},
    {"WSCGetApplicationCategoryEx", SOCKET_ERROR_, WSANO_RECOVERY},
    {"WSCSetApplicationCategoryEx", SOCKET_ERROR_, WSANO_RECOVERY},
};

#define SENTINEL 0x5eed

/* Calls a stub and checks its result; `error` overrides the table's expected error. */
static void check_stub(const struct stub *stub, ULONG_PTR first, int error)
{
    ULONG_PTR ret;
    int got;

    WSASetLastError(SENTINEL);
    ret = call_export(stub->name, first);
    got = WSAGetLastError();
    switch (stub->result) {
    case SOCKET_ERROR_:
        if ((int)ret != SOCKET_ERROR) fail_msg("%s returned %d", stub->name, (int)ret);
        break;
    case INVALID_SOCKET_:
        if ((SOCKET)ret != INVALID_SOCKET)
            fail_msg("%s returned %#llx", stub->name, (unsigned long long)ret);
        break;
    case NULL_:
        if (ret) fail_msg("%s returned %#llx", stub->name, (unsigned long long)ret);
        break;
    case FALSE_:
        if ((int)ret) fail_msg("%s returned %d", stub->name, (int)ret);
        break;
    case CODE:
        if ((int)ret != error) fail_msg("%s returned %d, expected %d", stub->name, (int)ret, error);
        break;
    case NOTHING: error = SENTINEL; break;
    }
    if (got != error) fail_msg("%s: last error %d, expected %d", stub->name, got, error);
}

static const struct stub *find_stub(const char *name)
{
    for (size_t i = 0; i < ARRAYSIZE(stubs); i++)
        if (!strcmp(stubs[i].name, name)) return &stubs[i];
    fail_msg("%s is not in this test's stub table", name);
    return NULL;
}

/* ---- the source files the export table is built from ---- */

/* Copies the next whitespace-delimited word of `line` into `word`; returns the rest or NULL. */
static const char *next_word(const char *line, char *word, size_t size)
{
    size_t n = 0;
    while (*line == ' ' || *line == '\t') line++;
    if (!*line || *line == '\r' || *line == '\n') return NULL;
    while (*line && !strchr(" \t\r\n", *line)) {
        if (n + 1 < size) word[n++] = *line;
        line++;
    }
    word[n] = 0;
    return line;
}

static void test_every_def_name_resolves_and_pinned_ordinals_match(void **state)
{
    char *def = ws_test_read_source_file("def/ws2_32.def");
    BOOL in_exports = FALSE;
    int names = 0;
    (void)state;
    for (char *line = strtok(def, "\n"); line; line = strtok(NULL, "\n")) {
        char name[128], ordinal[16];
        const char *rest;
        FARPROC by_name;
        char *comment = strchr(line, ';');
        if (comment) *comment = 0;
        if (!(rest = next_word(line, name, sizeof(name)))) continue;
        if (!strcmp(name, "EXPORTS")) {
            in_exports = TRUE;
            continue;
        }
        if (!in_exports) continue;
        names++;
        by_name = export_of(name);
        if (!by_name) fail_msg("%s does not resolve", name);
        if (next_word(rest, ordinal, sizeof(ordinal)) && ordinal[0] == '@') {
            FARPROC by_ordinal =
                GetProcAddress(GetModuleHandleA("ws2_32.dll"), MAKEINTRESOURCEA(atoi(ordinal + 1)));
            if (by_ordinal != by_name) fail_msg("%s is not at ordinal %s", name, ordinal + 1);
        }
    }
    assert_int_equal(names, 196);
    free(def);
}

static void test_every_export_marked_not_yet_is_in_the_stub_table(void **state)
{
    char *table = ws_test_read_source_file("docs/EXPORTS.md");
    char *rows_text = ws_test_read_source_file("docs/EXPORTS.md");
    int rows = 0, stubbed = 0;
    (void)state;
    for (char *line = strtok(rows_text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[128], status[32];
        /* Rows read "| name | ordinal | status | notes |". */
        if (sscanf(line, "| %127[^ |] | %*[^ |] | %31[^|]|", name, status) != 2) continue;
        if (!strcmp(name, "name") || name[0] == '-') continue;
        rows++;
        if (!strcmp(status, "not yet ")) {
            find_stub(name);
            stubbed++;
        }
    }
    assert_int_equal(rows, 196);
    print_message("%d exports are stubs\n", stubbed);
    /* And every name in the stub table is still a stub or a partial implementation. */
    for (size_t i = 0; i < ARRAYSIZE(stubs); i++) {
        char needle[160], *row, *end;
        snprintf(needle, sizeof(needle), "| %s | ", stubs[i].name);
        if (!(row = strstr(table, needle))) fail_msg("%s has no row in EXPORTS.md", stubs[i].name);
        end = strchr(row, '\n');
        if (end) *end = 0;
        if (!strstr(row, "| not yet |") && !strstr(row, "| partial |"))
            fail_msg("%s is marked implemented: move it out of the stub table", stubs[i].name);
        if (end) *end = '\n';
    }
    free(rows_text);
    free(table);
}

/* ---- the stubs ---- */

static void test_every_stub_returns_its_documented_failure_for_zero_arguments(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(stubs); i++) check_stub(&stubs[i], 0, stubs[i].error);
}

static void test_provider_interface_stubs_also_report_through_lpErrno(void **state)
{
    int err = 0;
    (void)state;
    assert_int_equal(WPUCompleteOverlappedRequest(0, NULL, 0, 0, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
}

/* ---- the small functions stubs.c implements fully ---- */

static void test_WEP_does_nothing_and_returns_1(void **state)
{
    (void)state;
    WSASetLastError(SENTINEL);
    assert_int_equal((int)call_export("WEP", 0), 1);
    assert_int_equal(WSAGetLastError(), SENTINEL);
}

static void test_WSASendDisconnect_shuts_down_sending(void **state)
{
    SOCKET client, server;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSASendDisconnect(client, NULL), 0);
    /* The peer sees the end of the stream; the other direction still works. */
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    assert_int_equal(send(server, "ok", 2, 0), 2);
    assert_int_equal(recv(client, buf, sizeof(buf), 0), 2);
    assert_socket_error(send(client, "x", 1, 0), WSAESHUTDOWN);
    closesocket(client);
    closesocket(server);
}

static void test_WSASendDisconnect_with_disconnect_data_fails_with_WSAENOPROTOOPT(void **state)
{
    SOCKET client, server;
    char data[4] = "bye";
    WSABUF buf = {sizeof(data), data};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(WSASendDisconnect(client, &buf), WSAENOPROTOOPT);
    /* Nothing was shut down. */
    assert_int_equal(send(client, "x", 1, 0), 1);
    closesocket(client);
    closesocket(server);
}

static void test_WSARecvDisconnect_shuts_down_receiving(void **state)
{
    SOCKET client, server;
    char buf[8];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSARecvDisconnect(client, NULL), 0);
    assert_socket_error(recv(client, buf, sizeof(buf), 0), WSAESHUTDOWN);
    /* Sending still works. */
    assert_int_equal(send(client, "x", 1, 0), 1);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 1);
    closesocket(client);
    closesocket(server);
}

static void test_disconnect_calls_check_startup_and_the_socket(void **state)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    (void)state;
    WSASetLastError(0);
    assert_socket_error(WSASendDisconnect((SOCKET)event, NULL), WSAENOTSOCK);
    assert_socket_error(WSARecvDisconnect((SOCKET)event, NULL), WSAENOTSOCK);
    assert_socket_error(WSASendDisconnect(INVALID_SOCKET, NULL), WSAENOTSOCK);
    assert_int_equal(WSACleanup(), 0);
    assert_socket_error(WSASendDisconnect((SOCKET)event, NULL), WSANOTINITIALISED);
    assert_socket_error(WSARecvDisconnect((SOCKET)event, NULL), WSANOTINITIALISED);
    assert_int_equal(ws_test_startup(NULL), 0);
    CloseHandle(event);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_def_name_resolves_and_pinned_ordinals_match),
        cmocka_unit_test(test_every_export_marked_not_yet_is_in_the_stub_table),
        cmocka_unit_test(test_every_stub_returns_its_documented_failure_for_zero_arguments),
        cmocka_unit_test(test_provider_interface_stubs_also_report_through_lpErrno),
        cmocka_unit_test(test_WEP_does_nothing_and_returns_1),
        cmocka_unit_test(test_WSASendDisconnect_shuts_down_sending),
        cmocka_unit_test(test_WSASendDisconnect_with_disconnect_data_fails_with_WSAENOPROTOOPT),
        cmocka_unit_test(test_WSARecvDisconnect_shuts_down_receiving),
        cmocka_unit_test(test_disconnect_calls_check_startup_and_the_socket),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
