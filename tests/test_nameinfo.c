/*
 * getnameinfo and GetNameInfoW: host names from the hosts file and the local host's own names,
 * service names from the services file, the NI_* flags and the argument and buffer-size errors.
 *
 * The hosts and services files are the test's own: written to a temporary folder which the
 * registry value DataBasePath of the prefix names while the group runs (restored at the end).
 * Nothing here depends on the machine's resolver or network.
 */
#include "ws_test.h"

#define DB_FOLDER_PREFIX "openws2-nameinfo-"
#define HOSTS_TEXT                                                                                 \
    "10.9.8.7      gamma.test gamma\n"                                                             \
    "10.9.8.7      second.test\n"                                                                  \
    "2001:db8::9   delta.test\n"
#define SERVICES_TEXT                                                                              \
    "openws2-echo    4444/tcp\n"                                                                   \
    "openws2-dgram   4446/udp\n"
/* ---- the test's own database folder ---- */

static char folder[MAX_PATH];
static BYTE saved_value[1024];
static DWORD saved_size, saved_type;
static BOOL had_value;
static const char params_key[] = "System\\CurrentControlSet\\Services\\Tcpip\\Parameters";

static void write_file(const char *name, const char *text)
{
    char path[MAX_PATH];
    HANDLE f;
    DWORD done;
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(f, text, (DWORD)strlen(text), &done, NULL));
    CloseHandle(f);
}

static void remove_file(const char *name)
{
    char path[MAX_PATH];
    snprintf(path, sizeof(path), "%s\\%s", folder, name);
    DeleteFileA(path);
}

static int databases_setup(void **state)
{
    char temp[MAX_PATH];
    HKEY key;

    if (ws_test_startup(state)) return -1;
    GetTempPathA(sizeof(temp), temp);
    snprintf(folder, sizeof(folder), "%s%s%lu", temp, DB_FOLDER_PREFIX,
             (unsigned long)GetCurrentProcessId());
    CreateDirectoryA(folder, NULL);
    write_file("hosts", HOSTS_TEXT);
    write_file("services", SERVICES_TEXT);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                        NULL))
        return -1;
    saved_size = sizeof(saved_value);
    had_value = !RegQueryValueExA(key, "DataBasePath", NULL, &saved_type, saved_value, &saved_size);
    RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)folder, (DWORD)strlen(folder) + 1);
    RegCloseKey(key);
    return 0;
}

static int databases_teardown(void **state)
{
    HKEY key;
    if (!RegOpenKeyExA(HKEY_LOCAL_MACHINE, params_key, 0, KEY_ALL_ACCESS, &key)) {
        if (had_value)
            RegSetValueExA(key, "DataBasePath", 0, saved_type, saved_value, saved_size);
        else
            RegDeleteValueA(key, "DataBasePath");
        RegCloseKey(key);
    }
    remove_file("hosts");
    remove_file("services");
    RemoveDirectoryA(folder);
    return ws_test_cleanup(state);
}

/* ---- helpers ---- */

static SOCKADDR_IN v4(const char *text, USHORT port)
{
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    assert_int_equal(inet_pton(AF_INET, text, &sin.sin_addr), 1);
    return sin;
}

static SOCKADDR_IN6 v6(const char *text, USHORT port, ULONG scope)
{
    SOCKADDR_IN6 sin6;
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    sin6.sin6_scope_id = scope;
    assert_int_equal(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1);
    return sin6;
}

/* getnameinfo of SA into fresh buffers with FLAGS; checks both results when it succeeds. */
static void expect_names(const void *sa, int len, int flags, const char *host, const char *serv)
{
    char h[NI_MAXHOST], s[NI_MAXSERV];
    WSASetLastError(0xdead);
    assert_int_equal(getnameinfo(sa, len, h, sizeof(h), s, sizeof(s), flags), 0);
    assert_string_equal(h, host);
    assert_string_equal(s, serv);
}

static void expect_error(const void *sa, int len, char *host, DWORD hostlen, char *serv,
                         DWORD servlen, int flags, int error)
{
    WSASetLastError(0xdead);
    assert_wsa_error(getnameinfo(sa, len, host, hostlen, serv, servlen, flags), error, error);
}

/* ---- tests ---- */

static void test_getnameinfo_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    SOCKADDR_IN sin = v4("10.9.8.7", 80);
    char host[64];
    WSADATA data;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    expect_error(&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0, WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static void test_getnameinfo_finds_the_hosts_file_name_and_the_service(void **state)
{
    SOCKADDR_IN sin = v4("10.9.8.7", 4444);
    SOCKADDR_IN6 sin6 = v6("2001:db8::9", 4446, 0);
    (void)state;
    /* The first line of an address gives its official name. */
    expect_names(&sin, sizeof(sin), 0, "gamma.test", "openws2-echo");
    expect_names(&sin6, sizeof(sin6), NI_DGRAM, "delta.test", "openws2-dgram");
    /* A port the services file has not for this protocol is given in digits. */
    expect_names(&sin6, sizeof(sin6), 0, "delta.test", "4446");
    /* A longer structure than needed is fine. */
    {
        SOCKADDR_STORAGE ss;
        memset(&ss, 0, sizeof(ss));
        memcpy(&ss, &sin, sizeof(sin));
        expect_names(&ss, sizeof(ss), 0, "gamma.test", "openws2-echo");
    }
}

static void test_getnameinfo_numeric_flags_give_digits(void **state)
{
    SOCKADDR_IN sin = v4("10.9.8.7", 4444);
    SOCKADDR_IN6 sin6 = v6("fe80::1", 8080, 4);
    SOCKADDR_IN6 plain6 = v6("2001:db8::9", 0, 0);
    (void)state;
    expect_names(&sin, sizeof(sin), NI_NUMERICHOST, "10.9.8.7", "openws2-echo");
    expect_names(&sin, sizeof(sin), NI_NUMERICSERV, "gamma.test", "4444");
    expect_names(&sin, sizeof(sin), NI_NUMERICHOST | NI_NUMERICSERV, "10.9.8.7", "4444");
    expect_names(&sin6, sizeof(sin6), NI_NUMERICHOST | NI_NUMERICSERV, "fe80::1%4", "8080");
    expect_names(&plain6, sizeof(plain6), NI_NUMERICHOST, "2001:db8::9", "0");
}

/* An address neither the hosts file nor the local host knows is asked of DNS (test_dns checks
   the numeric fallback and NI_NAMEREQD against its own server). NI_NAMEREQD concerns the host
   only: without a host buffer nothing is looked up. */
static void test_getnameinfo_NI_NAMEREQD_concerns_the_host_only(void **state)
{
    SOCKADDR_IN sin = v4("192.0.2.99", 7);
    char serv[NI_MAXSERV];
    (void)state;
    assert_int_equal(getnameinfo((SOCKADDR *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv),
                                 NI_NAMEREQD | NI_NUMERICSERV),
                     0);
    assert_string_equal(serv, "7");
}

static void test_getnameinfo_loopback_is_the_local_host_name(void **state)
{
    SOCKADDR_IN sin = v4("127.0.0.1", 0);
    SOCKADDR_IN6 sin6 = v6("::1", 0, 0);
    char full[256], short_name[256];
    DWORD size = sizeof(full);
    (void)state;
    assert_true(GetComputerNameExA(ComputerNameDnsFullyQualified, full, &size));
    size = sizeof(short_name);
    assert_true(GetComputerNameExA(ComputerNameDnsHostname, short_name, &size));
    expect_names(&sin, sizeof(sin), NI_NUMERICSERV, full, "0");
    expect_names(&sin6, sizeof(sin6), NI_NUMERICSERV, full, "0");
    expect_names(&sin, sizeof(sin), NI_NUMERICSERV | NI_NOFQDN, short_name, "0");
}

static void test_getnameinfo_bad_address_arguments_fail_as_documented(void **state)
{
    SOCKADDR_IN sin = v4("10.9.8.7", 80);
    SOCKADDR_IN6 sin6 = v6("::1", 80, 0);
    SOCKADDR_IN other = sin;
    char host[64], serv[32];
    (void)state;
    expect_error(NULL, sizeof(sin), host, sizeof(host), serv, sizeof(serv), 0, WSAEFAULT);
    expect_error(&sin, sizeof(sin) - 1, host, sizeof(host), serv, sizeof(serv), 0, WSAEFAULT);
    expect_error(&sin6, sizeof(SOCKADDR_IN), host, sizeof(host), serv, sizeof(serv), 0, WSAEFAULT);
    expect_error(&sin, 0, host, sizeof(host), serv, sizeof(serv), 0, WSAEFAULT);
    other.sin_family = AF_IPX;
    expect_error(&other, sizeof(other), host, sizeof(host), serv, sizeof(serv), 0, EAI_FAMILY);
    other.sin_family = AF_UNSPEC;
    expect_error(&other, sizeof(other), host, sizeof(host), serv, sizeof(serv), 0, EAI_FAMILY);
}

static void test_getnameinfo_bad_buffers_and_flags_fail_as_documented(void **state)
{
    SOCKADDR_IN sin = v4("10.9.8.7", 4444);
    char host[64], serv[32], tiny[4];
    (void)state;
    /* Neither a host nor a service asked for. */
    expect_error(&sin, sizeof(sin), NULL, 0, NULL, 0, 0, EAI_NONAME);
    /* A buffer without a length. */
    expect_error(&sin, sizeof(sin), host, 0, serv, sizeof(serv), 0, EAI_BADFLAGS);
    expect_error(&sin, sizeof(sin), host, sizeof(host), serv, 0, 0, EAI_BADFLAGS);
    /* Unknown flags. */
    expect_error(&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv), 0x100, EAI_BADFLAGS);
    /* A name longer than its buffer. */
    expect_error(&sin, sizeof(sin), tiny, sizeof(tiny), NULL, 0, 0, WSAEFAULT);
    expect_error(&sin, sizeof(sin), NULL, 0, tiny, sizeof(tiny), 0, WSAEFAULT);
    expect_error(&sin, sizeof(sin), host, sizeof(host), (char *)(ULONG_PTR)0x10, sizeof(serv), 0,
                 WSAEFAULT);
    /* Exactly the room the name and its terminator need. */
    assert_int_equal(
        getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof("gamma.test"), NULL, 0, 0), 0);
    assert_string_equal(host, "gamma.test");
    /* Only the service. */
    assert_int_equal(getnameinfo((SOCKADDR *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0), 0);
    assert_string_equal(serv, "openws2-echo");
}

static void test_GetNameInfoW_gives_utf16_names_and_counts_characters(void **state)
{
    SOCKADDR_IN sin = v4("10.9.8.7", 4444);
    WCHAR host[NI_MAXHOST], serv[NI_MAXSERV], tiny[10];
    (void)state;
    WSASetLastError(0xdead);
    assert_int_equal(GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), host, ARRAYSIZE(host), serv,
                                  ARRAYSIZE(serv), 0),
                     0);
    assert_true(!wcscmp(host, L"gamma.test"));
    assert_true(!wcscmp(serv, L"openws2-echo"));
    /* "gamma.test" needs 11 characters: 10 are too few. */
    assert_wsa_error(GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), tiny, ARRAYSIZE(tiny), NULL, 0, 0),
                     WSAEFAULT, WSAEFAULT);
    assert_wsa_error(GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), host, ARRAYSIZE(host), NULL, 0,
                                  NI_NUMERICHOST | NI_NAMEREQD | 0x1000),
                     EAI_BADFLAGS, EAI_BADFLAGS);
    assert_int_equal(GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), host, ARRAYSIZE(host), serv,
                                  ARRAYSIZE(serv), NI_NUMERICHOST | NI_NUMERICSERV),
                     0);
    assert_true(!wcscmp(host, L"10.9.8.7"));
    assert_true(!wcscmp(serv, L"4444"));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_getnameinfo_before_WSAStartup_fails_with_WSANOTINITIALISED),
    cmocka_unit_test(test_getnameinfo_finds_the_hosts_file_name_and_the_service),
    cmocka_unit_test(test_getnameinfo_numeric_flags_give_digits),
    cmocka_unit_test(test_getnameinfo_NI_NAMEREQD_concerns_the_host_only),
    cmocka_unit_test(test_getnameinfo_loopback_is_the_local_host_name),
    cmocka_unit_test(test_getnameinfo_bad_address_arguments_fail_as_documented),
    cmocka_unit_test(test_getnameinfo_bad_buffers_and_flags_fail_as_documented),
    cmocka_unit_test(test_GetNameInfoW_gives_utf16_names_and_counts_characters),
};

WS_TEST_MAIN(tests, databases_setup, databases_teardown)
