/*
 * gethostbyname, gethostbyaddr, gethostname, GetHostNameW, getservbyname, getservbyport,
 * getprotobyname and getprotobynumber against the test's own database files.
 *
 * The group setup writes hosts, services and protocol files into a fresh folder and points the
 * registry value DataBasePath at it (as a REG_EXPAND_SZ naming %TEMP%, so that the expansion is
 * exercised too); the teardown restores the value the prefix had. Nothing here depends on the
 * machine's resolver or network.
 */
#include "ws_test.h"

static const char hosts_text[] =
    "# the test's hosts file\r\n"
    "127.0.0.2   alpha.test alpha  ALIAS-ONE   # a comment after the names\r\n"
    "10.1.2.3    Beta.Test\r\n"
    "10.1.2.4    beta.test beta2\r\n"
    "::2         sixonly.test\r\n"
    "127.0.0.3   mixed.test\r\n"
    "::3         mixed.test\r\n"
    "#10.9.9.9   commented.invalid\r\n"
    "\r\n"
    "   \t\r\n"
    "\t10.5.5.5\ttabbed.test\ttab-alias\n"
    "fe80::1%4   scoped.test\n";

static const char services_text[] = "# the test's services file\n"
                                    "echo        7/tcp\n"
                                    "echo        7/udp\n"
                                    "myserv      4242/tcp    myalias   other   # comment\n"
                                    "myserv      4243/udp\n"
                                    "udponly     5000/udp\n"
                                    "#hidden     6000/tcp\n"
                                    "broken      notaport/tcp\n";

static const char protocol_text[] = "# the test's protocol file\n"
                                    "ip        0    IP\n"
                                    "tcp       6    TCP\n"
                                    "udp       17   UDP\n"
                                    "myproto   200  MYPROTO  my-alias   # comment\n"
                                    "#hidden   201  HIDDEN\n";

static const WCHAR params_key[] = L"System\\CurrentControlSet\\Services\\Tcpip\\Parameters";

static char folder[MAX_PATH];       /* the test's database folder */
static char empty_folder[MAX_PATH]; /* a folder with no database files */
static BYTE saved_value[2048];
static DWORD saved_size, saved_type;
static BOOL had_value;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[MAX_PATH];
    DWORD written;
    HANDLE file;
    snprintf(path, sizeof(path), "%s\\%s", dir, name);
    file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(file, text, (DWORD)strlen(text), &written, NULL));
    CloseHandle(file);
}

static void remove_file(const char *dir, const char *name)
{
    char path[MAX_PATH];
    snprintf(path, sizeof(path), "%s\\%s", dir, name);
    DeleteFileA(path);
}

/* Point DataBasePath at VALUE (a REG_EXPAND_SZ). */
static void set_database_path(const char *value)
{
    HKEY key;
    assert_int_equal(RegOpenKeyExW(HKEY_LOCAL_MACHINE, params_key, 0, KEY_SET_VALUE, &key), 0);
    assert_int_equal(RegSetValueExA(key, "DataBasePath", 0, REG_EXPAND_SZ, (const BYTE *)value,
                                    (DWORD)strlen(value) + 1),
                     0);
    RegCloseKey(key);
}

static void use_test_folder(void)
{
    char value[MAX_PATH];
    snprintf(value, sizeof(value), "%%TEMP%%\\openws2-netdb-%lu", GetCurrentProcessId());
    set_database_path(value);
}

static int group_setup(void **state)
{
    char temp[MAX_PATH];
    HKEY key;

    if (ws_test_startup(state)) return -1;
    GetEnvironmentVariableA("TEMP", temp, sizeof(temp));
    snprintf(folder, sizeof(folder), "%s\\openws2-netdb-%lu", temp, GetCurrentProcessId());
    snprintf(empty_folder, sizeof(empty_folder), "%s-empty", folder);
    CreateDirectoryA(folder, NULL);
    CreateDirectoryA(empty_folder, NULL);
    write_file(folder, "hosts", hosts_text);
    write_file(folder, "services", services_text);
    write_file(folder, "protocol", protocol_text);

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, params_key, 0, KEY_QUERY_VALUE, &key)) return -1;
    saved_size = sizeof(saved_value);
    had_value = !RegQueryValueExA(key, "DataBasePath", NULL, &saved_type, saved_value, &saved_size);
    RegCloseKey(key);
    use_test_folder();
    return 0;
}

static int group_teardown(void **state)
{
    HKEY key;
    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, params_key, 0, KEY_SET_VALUE, &key)) {
        if (had_value)
            RegSetValueExA(key, "DataBasePath", 0, saved_type, saved_value, saved_size);
        else
            RegDeleteValueA(key, "DataBasePath");
        RegCloseKey(key);
    }
    remove_file(folder, "hosts");
    remove_file(folder, "services");
    remove_file(folder, "protocol");
    RemoveDirectoryA(folder);
    RemoveDirectoryA(empty_folder);
    return ws_test_cleanup(state);
}

/* ---- helpers ---- */

static const char *addr_text(const struct hostent *h, int i)
{
    struct in_addr addr;
    memcpy(&addr, h->h_addr_list[i], sizeof(addr));
    return inet_ntoa(addr);
}

static int count_of(char **list)
{
    int n = 0;
    while (list[n]) n++;
    return n;
}

/* The failure: NULL and the last error. */
#define assert_null_with(call, error)                                                              \
    do {                                                                                           \
        void *got_ = (void *)(call);                                                               \
        int err_ = WSAGetLastError();                                                              \
        assert_null(got_);                                                                         \
        assert_int_equal(err_, (error));                                                           \
    } while (0)

/* ---- gethostbyname ---- */

static void test_gethostbyname_finds_a_hosts_entry_with_its_aliases(void **state)
{
    struct hostent *h;
    (void)state;
    h = gethostbyname("alpha.test");
    assert_non_null(h);
    assert_string_equal(h->h_name, "alpha.test");
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(h->h_length, 4);
    assert_int_equal(count_of(h->h_addr_list), 1);
    assert_string_equal(addr_text(h, 0), "127.0.0.2");
    assert_int_equal(count_of(h->h_aliases), 2);
    assert_string_equal(h->h_aliases[0], "alpha");
    assert_string_equal(h->h_aliases[1], "ALIAS-ONE");
}

static void test_gethostbyname_result_is_one_block_laid_out_as_windows_does(void **state)
{
    struct hostent *h;
    char *p;
    (void)state;
    h = gethostbyname("alpha.test");
    assert_non_null(h);
    /* hostent, then h_aliases[], then h_addr_list[], then the addresses */
    p = (char *)(h + 1);
    assert_ptr_equal(h->h_aliases, p);
    p += (count_of(h->h_aliases) + 1) * sizeof(char *);
    assert_ptr_equal(h->h_addr_list, p);
    p += (count_of(h->h_addr_list) + 1) * sizeof(char *);
    assert_ptr_equal(h->h_addr_list[0], p);
}

static void test_gethostbyname_matches_names_and_aliases_without_regard_to_case(void **state)
{
    struct hostent *h;
    (void)state;
    h = gethostbyname("ALPHA.TEST");
    assert_non_null(h);
    assert_string_equal(h->h_name, "alpha.test");
    h = gethostbyname("alias-one");
    assert_non_null(h);
    assert_string_equal(h->h_name, "alpha.test");
    assert_string_equal(addr_text(h, 0), "127.0.0.2");
    h = gethostbyname("tab-alias");
    assert_non_null(h);
    assert_string_equal(h->h_name, "tabbed.test");
    assert_string_equal(addr_text(h, 0), "10.5.5.5");
}

static void test_gethostbyname_collects_the_addresses_of_every_matching_line(void **state)
{
    struct hostent *h;
    (void)state;
    h = gethostbyname("beta.test");
    assert_non_null(h);
    assert_string_equal(h->h_name, "Beta.Test");
    assert_int_equal(count_of(h->h_addr_list), 2);
    assert_string_equal(addr_text(h, 0), "10.1.2.3");
    assert_string_equal(addr_text(h, 1), "10.1.2.4");
}

static void test_gethostbyname_ignores_commented_lines(void **state)
{
    (void)state;
    WSASetLastError(0);
    assert_null_with(gethostbyname("commented.invalid"), WSAHOST_NOT_FOUND);
}

static void test_gethostbyname_of_an_unknown_name_fails_with_WSAHOST_NOT_FOUND(void **state)
{
    (void)state;
    assert_null_with(gethostbyname("no-such-host.invalid"), WSAHOST_NOT_FOUND);
}

static void test_gethostbyname_returns_only_IPv4_addresses(void **state)
{
    struct hostent *h;
    (void)state;
    h = gethostbyname("mixed.test");
    assert_non_null(h);
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(count_of(h->h_addr_list), 1);
    assert_string_equal(addr_text(h, 0), "127.0.0.3");
    /* A name with IPv6 addresses only exists, but has no record gethostbyname can return. */
    assert_null_with(gethostbyname("sixonly.test"), WSANO_DATA);
    assert_null_with(gethostbyname("scoped.test"), WSANO_DATA);
}

static void test_gethostbyname_of_a_dotted_address_returns_it_as_name_and_address(void **state)
{
    struct hostent *h;
    (void)state;
    h = gethostbyname("10.20.30.40");
    assert_non_null(h);
    assert_string_equal(h->h_name, "10.20.30.40");
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(count_of(h->h_addr_list), 1);
    assert_string_equal(addr_text(h, 0), "10.20.30.40");
    assert_int_equal(count_of(h->h_aliases), 0);
}

static void test_gethostbyname_of_an_IPv6_literal_fails(void **state)
{
    (void)state;
    assert_null(gethostbyname("::1"));
}

static void test_gethostbyname_of_localhost_returns_the_loopback_address(void **state)
{
    struct hostent *h;
    (void)state;
    h = gethostbyname("localhost");
    assert_non_null(h);
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(count_of(h->h_addr_list), 1);
    assert_string_equal(addr_text(h, 0), "127.0.0.1");
    assert_non_null(gethostbyname("LocalHost"));
}

static void test_gethostbyname_of_the_local_host_name_returns_its_IPv4_addresses(void **state)
{
    char name[256];
    struct hostent *h;
    int count;
    (void)state;
    assert_int_equal(gethostname(name, sizeof(name)), 0);
    h = gethostbyname(name);
    assert_non_null(h);
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(h->h_length, 4);
    count = count_of(h->h_addr_list);
    assert_true(count >= 1);
    /* The empty name and NULL mean the same host. */
    h = gethostbyname("");
    assert_non_null(h);
    assert_int_equal(count_of(h->h_addr_list), count);
    h = gethostbyname(NULL);
    assert_non_null(h);
    assert_int_equal(count_of(h->h_addr_list), count);
}

static void test_gethostbyname_reads_the_hosts_file_on_every_call(void **state)
{
    static const char extra[] = "10.7.7.7 fresh.invalid\n";
    char text[sizeof(hosts_text) + sizeof(extra)];
    struct hostent *h;
    (void)state;
    assert_null_with(gethostbyname("fresh.invalid"), WSAHOST_NOT_FOUND);
    snprintf(text, sizeof(text), "%s%s", hosts_text, extra);
    write_file(folder, "hosts", text);
    h = gethostbyname("fresh.invalid");
    write_file(folder, "hosts", hosts_text);
    assert_non_null(h);
    assert_string_equal(addr_text(h, 0), "10.7.7.7");
}

static void test_a_hosts_file_beginning_with_a_byte_order_mark_is_read(void **state)
{
    static const char bom_first[] = "\xef\xbb\xbf"
                                    "10.8.8.8 bom.test\n";
    struct hostent *h;
    (void)state;
    write_file(folder, "hosts", bom_first);
    h = gethostbyname("bom.test");
    write_file(folder, "hosts", hosts_text);
    assert_non_null(h);
    assert_string_equal(addr_text(h, 0), "10.8.8.8");
}

static void test_gethostbyname_with_an_unreadable_name_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    assert_null_with(gethostbyname((const char *)(ULONG_PTR)8), WSAEFAULT);
}

/* ---- gethostbyaddr ---- */

static void test_gethostbyaddr_finds_the_official_name_of_an_address(void **state)
{
    struct in_addr addr;
    struct hostent *h;
    (void)state;
    addr.s_addr = inet_addr("10.1.2.4");
    h = gethostbyaddr((const char *)&addr, sizeof(addr), AF_INET);
    assert_non_null(h);
    assert_string_equal(h->h_name, "beta.test");
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(h->h_length, 4);
    assert_int_equal(count_of(h->h_addr_list), 1);
    assert_memory_equal(h->h_addr_list[0], &addr, 4);
}

static void test_gethostbyaddr_finds_IPv6_entries(void **state)
{
    IN6_ADDR addr = {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}}};
    struct hostent *h;
    (void)state;
    h = gethostbyaddr((const char *)&addr, sizeof(addr), AF_INET6);
    assert_non_null(h);
    assert_string_equal(h->h_name, "sixonly.test");
    assert_int_equal(h->h_addrtype, AF_INET6);
    assert_int_equal(h->h_length, 16);
    assert_memory_equal(h->h_addr_list[0], &addr, 16);
}

static void test_gethostbyaddr_of_the_loopback_address_names_the_local_host(void **state)
{
    struct in_addr addr;
    char name[256];
    struct hostent *h;
    (void)state;
    assert_int_equal(gethostname(name, sizeof(name)), 0);
    addr.s_addr = htonl(INADDR_LOOPBACK);
    h = gethostbyaddr((const char *)&addr, sizeof(addr), AF_INET);
    assert_non_null(h);
    assert_string_equal(h->h_name, name);
}

/* An address neither the hosts file nor the local host knows is asked of DNS: test_dns. */

static void test_gethostbyaddr_with_a_short_length_fails_with_WSAEFAULT(void **state)
{
    struct in_addr addr;
    (void)state;
    addr.s_addr = inet_addr("10.1.2.3");
    assert_null_with(gethostbyaddr((const char *)&addr, 3, AF_INET), WSAEFAULT);
    assert_null_with(gethostbyaddr(NULL, 4, AF_INET), WSAEFAULT);
}

static void test_gethostbyaddr_of_IPv6_with_a_wrong_length_fails_with_WSAEINVAL(void **state)
{
    IN6_ADDR addr = {{{0}}};
    (void)state;
    assert_null_with(gethostbyaddr((const char *)&addr, 4, AF_INET6), WSAEINVAL);
    assert_null_with(gethostbyaddr((const char *)&addr, 17, AF_INET6), WSAEINVAL);
}

static void test_gethostbyaddr_of_an_unknown_family_fails_with_WSAEAFNOSUPPORT(void **state)
{
    struct in_addr addr;
    (void)state;
    addr.s_addr = inet_addr("10.1.2.3");
    assert_null_with(gethostbyaddr((const char *)&addr, 4, AF_UNIX), WSAEAFNOSUPPORT);
    assert_null_with(gethostbyaddr((const char *)&addr, 4, 12345), WSAEAFNOSUPPORT);
}

/* ---- gethostname, GetHostNameW ---- */

static void test_gethostname_returns_the_computers_host_name(void **state)
{
    char name[256], expected[256];
    DWORD size = sizeof(expected);
    (void)state;
    assert_true(GetComputerNameExA(ComputerNameDnsHostname, expected, &size));
    memset(name, 'x', sizeof(name));
    assert_int_equal(gethostname(name, sizeof(name)), 0);
    assert_string_equal(name, expected);
}

static void test_gethostname_with_a_NULL_buffer_fails_with_WSAEFAULT(void **state)
{
    (void)state;
    assert_socket_error(gethostname(NULL, 256), WSAEFAULT);
}

static void test_gethostname_with_no_room_for_the_terminator_fails_with_WSAEFAULT(void **state)
{
    char name[256];
    int len;
    (void)state;
    assert_int_equal(gethostname(name, sizeof(name)), 0);
    len = (int)strlen(name);
    strcpy(name, "deadbeef");
    assert_socket_error(gethostname(name, len), WSAEFAULT);
    assert_string_equal(name, "deadbeef");
    assert_int_equal(gethostname(name, len + 1), 0);
    assert_int_equal((int)strlen(name), len);
}

static void test_GetHostNameW_returns_the_same_name_in_UTF16(void **state)
{
    char name[256];
    WCHAR wide[256], expected[256];
    (void)state;
    assert_int_equal(gethostname(name, sizeof(name)), 0);
    MultiByteToWideChar(CP_ACP, 0, name, -1, expected, ARRAYSIZE(expected));
    assert_int_equal(GetHostNameW(wide, ARRAYSIZE(wide)), 0);
    assert_true(!wcscmp(wide, expected));
}

static void test_GetHostNameW_with_a_short_or_NULL_buffer_fails_with_WSAEFAULT(void **state)
{
    WCHAR wide[256];
    int len;
    (void)state;
    assert_socket_error(GetHostNameW(NULL, 256), WSAEFAULT);
    assert_int_equal(GetHostNameW(wide, ARRAYSIZE(wide)), 0);
    len = (int)wcslen(wide);
    wcscpy(wide, L"deadbeef");
    assert_socket_error(GetHostNameW(wide, len), WSAEFAULT);
    assert_true(!wcscmp(wide, L"deadbeef"));
    assert_int_equal(GetHostNameW(wide, len + 1), 0);
    assert_int_equal((int)wcslen(wide), len);
}

/* ---- getservbyname, getservbyport ---- */

static void test_getservbyname_finds_a_service_for_its_protocol(void **state)
{
    struct servent *s;
    (void)state;
    s = getservbyname("myserv", "tcp");
    assert_non_null(s);
    assert_string_equal(s->s_name, "myserv");
    assert_int_equal((u_short)s->s_port, htons(4242));
    assert_string_equal(s->s_proto, "tcp");
    assert_int_equal(count_of(s->s_aliases), 2);
    assert_string_equal(s->s_aliases[0], "myalias");
    assert_string_equal(s->s_aliases[1], "other");
    s = getservbyname("myserv", "udp");
    assert_non_null(s);
    assert_int_equal((u_short)s->s_port, htons(4243));
    assert_string_equal(s->s_proto, "udp");
    assert_int_equal(count_of(s->s_aliases), 0);
}

static void test_getservbyname_with_NULL_proto_returns_the_first_entry(void **state)
{
    struct servent *s;
    (void)state;
    s = getservbyname("echo", NULL);
    assert_non_null(s);
    assert_int_equal((u_short)s->s_port, htons(7));
    assert_string_equal(s->s_proto, "tcp");
    s = getservbyname("udponly", NULL);
    assert_non_null(s);
    assert_string_equal(s->s_proto, "udp");
}

static void test_getservbyname_matches_aliases_and_ignores_case(void **state)
{
    struct servent *s;
    (void)state;
    s = getservbyname("MyAlias", "TCP");
    assert_non_null(s);
    assert_string_equal(s->s_name, "myserv");
    assert_int_equal((u_short)s->s_port, htons(4242));
    s = getservbyname("MYSERV", NULL);
    assert_non_null(s);
    assert_int_equal((u_short)s->s_port, htons(4242));
}

static void test_getservbyname_of_an_unknown_service_fails_with_WSANO_DATA(void **state)
{
    (void)state;
    assert_null_with(getservbyname("nosuchservice", NULL), WSANO_DATA);
    assert_null_with(getservbyname("udponly", "tcp"), WSANO_DATA);
    assert_null_with(getservbyname("hidden", NULL), WSANO_DATA);
    assert_null_with(getservbyname("broken", NULL), WSANO_DATA);
}

static void test_getservbyport_finds_the_service_of_a_port(void **state)
{
    struct servent *s;
    (void)state;
    s = getservbyport(htons(4243), NULL);
    assert_non_null(s);
    assert_string_equal(s->s_name, "myserv");
    assert_string_equal(s->s_proto, "udp");
    s = getservbyport(htons(7), "udp");
    assert_non_null(s);
    assert_string_equal(s->s_name, "echo");
    assert_string_equal(s->s_proto, "udp");
    assert_null_with(getservbyport(htons(4243), "tcp"), WSANO_DATA);
    assert_null_with(getservbyport(htons(9999), NULL), WSANO_DATA);
}

/* The resolver notices a change of DataBasePath through a change notification of the registry
   key, served by a thread of the pool: the change shows once that thread has run, not
   necessarily at the very next call. Ask until the answer shows whether the folder in use has
   a services file (EXPECT_FILE), for at most ten seconds. */
static struct servent *echo_once_noticed(BOOL expect_file)
{
    struct servent *s = NULL;
    for (int i = 0; i < 1000; i++) {
        s = getservbyname("echo", NULL);
        if ((s != NULL) == !!expect_file) break;
        Sleep(10);
    }
    return s;
}

static void test_getserv_without_a_services_file_fails_with_WSANO_RECOVERY(void **state)
{
    struct servent *s;
    int err;
    (void)state;
    set_database_path(empty_folder);
    s = echo_once_noticed(FALSE);
    err = WSAGetLastError();
    use_test_folder();
    assert_non_null(echo_once_noticed(TRUE)); /* the test folder is back for the next tests */
    assert_null(s);
    assert_int_equal(err, WSANO_RECOVERY);
}

/* ---- getprotobyname, getprotobynumber ---- */

static void test_getprotobyname_finds_names_and_aliases_without_regard_to_case(void **state)
{
    struct protoent *p;
    (void)state;
    p = getprotobyname("myproto");
    assert_non_null(p);
    assert_string_equal(p->p_name, "myproto");
    assert_int_equal(p->p_proto, 200);
    assert_int_equal(count_of(p->p_aliases), 2);
    assert_string_equal(p->p_aliases[0], "MYPROTO");
    assert_string_equal(p->p_aliases[1], "my-alias");
    p = getprotobyname("My-Alias");
    assert_non_null(p);
    assert_int_equal(p->p_proto, 200);
    p = getprotobyname("TCP");
    assert_non_null(p);
    assert_string_equal(p->p_name, "tcp");
    assert_int_equal(p->p_proto, 6);
}

static void test_getprotobynumber_finds_the_protocol_of_a_number(void **state)
{
    struct protoent *p;
    (void)state;
    p = getprotobynumber(17);
    assert_non_null(p);
    assert_string_equal(p->p_name, "udp");
    assert_string_equal(p->p_aliases[0], "UDP");
    p = getprotobynumber(0);
    assert_non_null(p);
    assert_string_equal(p->p_name, "ip");
}

static void test_getproto_of_an_unknown_protocol_fails_with_WSANO_DATA(void **state)
{
    (void)state;
    assert_null_with(getprotobyname("nosuchproto"), WSANO_DATA);
    assert_null_with(getprotobyname("hidden"), WSANO_DATA);
    assert_null_with(getprotobynumber(201), WSANO_DATA);
    assert_null_with(getprotobynumber(-1), WSANO_DATA);
}

/* ---- per-thread results ---- */

struct thread_results {
    struct hostent *host;
    struct servent *serv;
};

static DWORD WINAPI lookups_in_thread(void *arg)
{
    struct thread_results *r = arg;
    r->host = gethostbyname("alpha.test");
    r->serv = getservbyname("echo", "tcp");
    return 0;
}

static void test_results_reuse_one_buffer_per_thread(void **state)
{
    struct thread_results other = {0};
    struct hostent *h1, *h2;
    struct servent *s1, *s2;
    struct protoent *p1, *p2;
    HANDLE thread;
    (void)state;
    h1 = gethostbyname("alpha.test");
    h2 = gethostbyname("beta.test");
    assert_ptr_equal(h1, h2);
    assert_string_equal(h1->h_name, "Beta.Test");
    s1 = getservbyname("myserv", "tcp");
    s2 = getservbyport(htons(7), NULL);
    assert_ptr_equal(s1, s2);
    p1 = getprotobyname("tcp");
    p2 = getprotobynumber(17);
    assert_ptr_equal(p1, p2);

    thread = CreateThread(NULL, 0, lookups_in_thread, &other, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(thread, 30000), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_non_null(other.host);
    assert_non_null(other.serv);
    assert_true(other.host != h1);
    assert_true(other.serv != s1);
    /* The other thread's lookups left this thread's results alone. */
    assert_string_equal(h1->h_name, "Beta.Test");
}

static void test_a_lookup_may_be_given_a_previous_result_of_the_same_thread(void **state)
{
    struct hostent *h;
    struct servent *s;
    (void)state;
    h = gethostbyname("beta2");
    assert_non_null(h);
    assert_string_equal(h->h_name, "beta.test");
    h = gethostbyname(h->h_name);
    assert_non_null(h);
    assert_string_equal(h->h_name, "Beta.Test");
    assert_string_equal(h->h_aliases[0], "beta2");
    s = getservbyname("other", NULL);
    assert_non_null(s);
    s = getservbyname(s->s_name, s->s_proto);
    assert_non_null(s);
    assert_int_equal((u_short)s->s_port, htons(4242));
}

/* ---- before WSAStartup ---- */

static void test_database_calls_before_WSAStartup_fail_with_WSANOTINITIALISED(void **state)
{
    struct in_addr addr;
    WSADATA data;
    char name[256];
    WCHAR wide[256];
    (void)state;
    addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(WSACleanup(), 0);
    assert_null_with(gethostbyname("alpha.test"), WSANOTINITIALISED);
    assert_null_with(gethostbyaddr((const char *)&addr, 4, AF_INET), WSANOTINITIALISED);
    assert_socket_error(gethostname(name, sizeof(name)), WSANOTINITIALISED);
    assert_socket_error(GetHostNameW(wide, ARRAYSIZE(wide)), WSANOTINITIALISED);
    assert_null_with(getservbyname("echo", "tcp"), WSANOTINITIALISED);
    assert_null_with(getservbyport(htons(7), NULL), WSANOTINITIALISED);
    assert_null_with(getprotobyname("tcp"), WSANOTINITIALISED);
    assert_null_with(getprotobynumber(6), WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_non_null(gethostbyname("alpha.test"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gethostbyname_finds_a_hosts_entry_with_its_aliases),
        cmocka_unit_test(test_gethostbyname_result_is_one_block_laid_out_as_windows_does),
        cmocka_unit_test(test_gethostbyname_matches_names_and_aliases_without_regard_to_case),
        cmocka_unit_test(test_gethostbyname_collects_the_addresses_of_every_matching_line),
        cmocka_unit_test(test_gethostbyname_ignores_commented_lines),
        cmocka_unit_test(test_gethostbyname_of_an_unknown_name_fails_with_WSAHOST_NOT_FOUND),
        cmocka_unit_test(test_gethostbyname_returns_only_IPv4_addresses),
        cmocka_unit_test(test_gethostbyname_of_a_dotted_address_returns_it_as_name_and_address),
        cmocka_unit_test(test_gethostbyname_of_an_IPv6_literal_fails),
        cmocka_unit_test(test_gethostbyname_of_localhost_returns_the_loopback_address),
        cmocka_unit_test(test_gethostbyname_of_the_local_host_name_returns_its_IPv4_addresses),
        cmocka_unit_test(test_gethostbyname_reads_the_hosts_file_on_every_call),
        cmocka_unit_test(test_a_hosts_file_beginning_with_a_byte_order_mark_is_read),
        cmocka_unit_test(test_gethostbyname_with_an_unreadable_name_fails_with_WSAEFAULT),
        cmocka_unit_test(test_gethostbyaddr_finds_the_official_name_of_an_address),
        cmocka_unit_test(test_gethostbyaddr_finds_IPv6_entries),
        cmocka_unit_test(test_gethostbyaddr_of_the_loopback_address_names_the_local_host),
        cmocka_unit_test(test_gethostbyaddr_with_a_short_length_fails_with_WSAEFAULT),
        cmocka_unit_test(test_gethostbyaddr_of_IPv6_with_a_wrong_length_fails_with_WSAEINVAL),
        cmocka_unit_test(test_gethostbyaddr_of_an_unknown_family_fails_with_WSAEAFNOSUPPORT),
        cmocka_unit_test(test_gethostname_returns_the_computers_host_name),
        cmocka_unit_test(test_gethostname_with_a_NULL_buffer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_gethostname_with_no_room_for_the_terminator_fails_with_WSAEFAULT),
        cmocka_unit_test(test_GetHostNameW_returns_the_same_name_in_UTF16),
        cmocka_unit_test(test_GetHostNameW_with_a_short_or_NULL_buffer_fails_with_WSAEFAULT),
        cmocka_unit_test(test_getservbyname_finds_a_service_for_its_protocol),
        cmocka_unit_test(test_getservbyname_with_NULL_proto_returns_the_first_entry),
        cmocka_unit_test(test_getservbyname_matches_aliases_and_ignores_case),
        cmocka_unit_test(test_getservbyname_of_an_unknown_service_fails_with_WSANO_DATA),
        cmocka_unit_test(test_getservbyport_finds_the_service_of_a_port),
        cmocka_unit_test(test_getserv_without_a_services_file_fails_with_WSANO_RECOVERY),
        cmocka_unit_test(test_getprotobyname_finds_names_and_aliases_without_regard_to_case),
        cmocka_unit_test(test_getprotobynumber_finds_the_protocol_of_a_number),
        cmocka_unit_test(test_getproto_of_an_unknown_protocol_fails_with_WSANO_DATA),
        cmocka_unit_test(test_results_reuse_one_buffer_per_thread),
        cmocka_unit_test(test_a_lookup_may_be_given_a_previous_result_of_the_same_thread),
        cmocka_unit_test(test_database_calls_before_WSAStartup_fail_with_WSANOTINITIALISED),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
