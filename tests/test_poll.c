/* WSAPoll: documented results and errors, and what Windows reports where the page is silent. */
#include "ws_test.h"

static const int families[] = {AF_INET, AF_INET6};

/* Every request WSAPoll accepts. */
#define ALL_REQUESTS (POLLRDNORM | POLLRDBAND | POLLWRNORM)

/* A handle value that is no socket (and no handle of this process). */
#define NOT_A_SOCKET ((SOCKET)0xabacab)

static void set_nonblocking(SOCKET s)
{
    u_long on = 1;
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
}

static void entry(WSAPOLLFD *fd, SOCKET s, SHORT events)
{
    fd->fd = s;
    fd->events = events;
    fd->revents = (SHORT)0xdead;
}

/* One socket, one request: the return value is 1 exactly when revents is set. */
static SHORT poll_one(SOCKET s, SHORT events, INT timeout)
{
    WSAPOLLFD fd;
    entry(&fd, s, events);
    int ret = WSAPoll(&fd, 1, timeout);
    assert_int_equal(ret, fd.revents ? 1 : 0);
    return fd.revents;
}

static void wait_for_data(SOCKET s)
{
    char c;
    assert_int_equal(recv(s, &c, 1, MSG_PEEK), 1);
}

/* A loopback address of the family on which nothing listens: a bound, non-listening socket
   holds the port so that a connection attempt to it is refused. */
static SOCKET refused_port(int af, struct sockaddr_storage *addr, int *len)
{
    SOCKET holder = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(holder != INVALID_SOCKET);
    *len = ws_test_loopback(af, 0, addr);
    assert_int_equal(bind(holder, (struct sockaddr *)addr, *len), 0);
    *len = sizeof(*addr);
    assert_int_equal(getsockname(holder, (struct sockaddr *)addr, len), 0);
    return holder;
}

/* ---- documented errors ---- */

static void test_WSAPoll_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    WSAPOLLFD fd;
    WSADATA data;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    entry(&fd, NOT_A_SOCKET, POLLIN);
    assert_socket_error(WSAPoll(&fd, 1, 0), WSANOTINITIALISED);
    assert_socket_error(WSAPoll(NULL, 0, 0), WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static void test_WSAPoll_with_no_entries_fails_with_WSAEINVAL(void **state)
{
    WSAPOLLFD fd;
    (void)state;
    assert_socket_error(WSAPoll(NULL, 0, 0), WSAEINVAL);
    assert_socket_error(WSAPoll(NULL, 0, 1), WSAEINVAL);
    entry(&fd, NOT_A_SOCKET, POLLIN);
    assert_socket_error(WSAPoll(&fd, 0, 0), WSAEINVAL);
}

static void test_WSAPoll_with_a_bad_array_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    (void)state;
    assert_socket_error(WSAPoll(NULL, 1, 0), WSAEFAULT);
    assert_socket_error(WSAPoll(NULL, 1, 1), WSAEFAULT);
    WSAPOLLFD *volatile low = (WSAPOLLFD *)(ULONG_PTR)8;
    assert_socket_error(WSAPoll(low, 1, 0), WSAEFAULT);

    /* An array whose end runs into an inaccessible page. */
    char *page = VirtualAlloc(NULL, 2 * 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;
    assert_non_null(page);
    assert_true(VirtualProtect(page + 4096, 4096, PAGE_NOACCESS, &old));
    WSAPOLLFD *fds = (WSAPOLLFD *)(page + 4096) - 1;
    entry(fds, s, POLLWRNORM);
    assert_socket_error(WSAPoll(fds, 2, 0), WSAEFAULT);
    /* The same array with its one accessible entry is fine. */
    assert_int_equal(WSAPoll(fds, 1, 0), 1);
    assert_int_equal(fds->revents, POLLWRNORM);

    /* A read-only array: WSAPoll has to write revents. */
    assert_true(VirtualProtect(page, 4096, PAGE_READONLY, &old));
    assert_socket_error(WSAPoll(fds, 1, 0), WSAEFAULT);
    assert_true(VirtualFree(page, 0, MEM_RELEASE));
    closesocket(s);
}

static void test_WSAPoll_with_unsupported_events_fails_with_WSAEINVAL(void **state)
{
    /* The page: only POLLRDNORM, POLLRDBAND and POLLWRNORM (POLLIN, POLLOUT) may be asked for,
       and POLLPRI fails; Windows refuses every other bit, POLLWRBAND and the result bits too. */
    static const SHORT unsupported[] = {POLLERR, POLLHUP, POLLNVAL,     0x8,   POLLWRBAND,
                                        0x40,    0x80,    POLLPRI,      0x800, 0x1000,
                                        0x2000,  0x4000,  (SHORT)0x8000};
    struct sockaddr_storage addr;
    int len;
    SOCKET client, server;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    const SOCKET sockets[] = {listener, server};
    for (size_t k = 0; k < ARRAYSIZE(sockets); k++) {
        for (size_t i = 0; i < ARRAYSIZE(unsupported); i++) {
            WSAPOLLFD fd;
            entry(&fd, sockets[k], unsupported[i] | POLLRDNORM);
            assert_socket_error(WSAPoll(&fd, 1, 0), WSAEINVAL);
            assert_int_equal(fd.revents, 0);
        }
    }
    closesocket(client);
    closesocket(server);
    closesocket(listener);
}

static void test_WSAPoll_with_unsupported_events_on_a_non_socket_entry_fails_with_WSAEINVAL(
    void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    WSAPOLLFD fds[2];
    (void)state;
    entry(&fds[0], listener, POLLIN);
    entry(&fds[1], NOT_A_SOCKET, POLLERR);
    assert_socket_error(WSAPoll(fds, 2, 0), WSAEINVAL);
    assert_int_equal(fds[0].revents, 0);
    assert_int_equal(fds[1].revents, 0);
    closesocket(listener);
}

static void test_WSAPoll_with_no_socket_in_the_array_fails_with_WSAENOTSOCK(void **state)
{
    WSAPOLLFD fds[3];
    (void)state;
    /* No socket at all is WSAENOTSOCK before the events are looked at, every entry POLLNVAL. */
    entry(&fds[0], (SOCKET)-1, POLLERR);
    entry(&fds[1], NOT_A_SOCKET, POLLERR);
    entry(&fds[2], INVALID_SOCKET, POLLIN);
    assert_socket_error(WSAPoll(fds, 3, 0), WSAENOTSOCK);
    for (int i = 0; i < 3; i++) assert_int_equal(fds[i].revents, POLLNVAL);

    /* A socket closed before the call is no socket either. */
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_int_equal(closesocket(s), 0);
    entry(&fds[0], s, POLLOUT);
    assert_socket_error(WSAPoll(fds, 1, 0), WSAENOTSOCK);
    assert_int_equal(fds[0].revents, POLLNVAL);
}

/* ---- entries that are not sockets ---- */

static void test_WSAPoll_marks_a_non_socket_entry_POLLNVAL_and_still_succeeds(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    WSAPOLLFD fds[2];
    (void)state;
    entry(&fds[0], listener, POLLIN);
    entry(&fds[1], NOT_A_SOCKET, POLLIN);
    WSASetLastError(12345);
    /* Windows does not count the POLLNVAL of an entry that was never a socket. */
    assert_int_equal(WSAPoll(fds, 2, 0), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(fds[0].revents, 0);
    assert_int_equal(fds[1].revents, POLLNVAL);

    /* Other handles of the process are no sockets either. */
    HANDLE event = CreateEventW(NULL, TRUE, TRUE, NULL);
    entry(&fds[1], (SOCKET)event, POLLIN);
    assert_int_equal(WSAPoll(fds, 2, 0), 0);
    assert_int_equal(fds[1].revents, POLLNVAL);
    CloseHandle(event);
    closesocket(listener);
}

static void test_WSAPoll_marks_a_negative_fd_POLLNVAL_whatever_its_events(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    WSAPOLLFD fds[3];
    (void)state;
    /* The page says negative entries are ignored; Windows marks them POLLNVAL without looking at
       their events or counting them, and the call succeeds. */
    entry(&fds[0], (SOCKET)-1, POLLERR);
    entry(&fds[1], listener, POLLIN);
    entry(&fds[2], (SOCKET)(INT_PTR)-42, POLLPRI);
    WSASetLastError(12345);
    assert_int_equal(WSAPoll(fds, 3, 0), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(fds[0].revents, POLLNVAL);
    assert_int_equal(fds[1].revents, 0);
    assert_int_equal(fds[2].revents, POLLNVAL);
    closesocket(listener);
}

/* ---- readiness ---- */

static void test_WSAPoll_with_nothing_ready_returns_0_and_clears_revents(void **state)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(AF_INET, &addr, &len);
    WSAPOLLFD fd;
    (void)state;
    entry(&fd, listener, ALL_REQUESTS);
    WSASetLastError(12345);
    assert_int_equal(WSAPoll(&fd, 1, 0), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(fd.revents, 0);
    /* A short bounded wait ends the same way. */
    entry(&fd, listener, ALL_REQUESTS);
    assert_int_equal(WSAPoll(&fd, 1, 50), 0);
    assert_int_equal(fd.revents, 0);
    closesocket(listener);
}

static void test_WSAPoll_reports_listening_socket_POLLRDNORM_when_a_connection_is_pending(
    void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len;
        SOCKET listener = ws_test_listener(families[i], &addr, &len);
        SOCKET client = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        assert_int_equal(poll_one(listener, POLLIN, 0), 0);
        assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
        assert_int_equal(poll_one(listener, POLLIN, 5000), POLLRDNORM);
        assert_int_equal(poll_one(listener, POLLRDNORM, 0), POLLRDNORM);
        /* Neither OOB data nor writability on a listening socket. */
        assert_int_equal(poll_one(listener, POLLRDBAND | POLLWRNORM, 0), 0);
        SOCKET server = accept(listener, NULL, NULL);
        assert_true(server != INVALID_SOCKET);
        assert_int_equal(poll_one(listener, POLLIN, 0), 0);
        closesocket(server);
        closesocket(client);
        closesocket(listener);
    }
}

static void test_WSAPoll_reports_connected_sockets_POLLWRNORM(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        struct sockaddr_storage addr;
        int len;
        SOCKET listener = ws_test_listener(families[i], &addr, &len);
        WSAPOLLFD fds[3];
        ws_test_tcp_pair(families[i], &client, &server);
        entry(&fds[0], listener, ALL_REQUESTS);
        entry(&fds[1], server, ALL_REQUESTS);
        entry(&fds[2], client, ALL_REQUESTS);
        assert_int_equal(WSAPoll(fds, 3, 0), 2);
        assert_int_equal(fds[0].revents, 0);
        assert_int_equal(fds[1].revents, POLLWRNORM);
        assert_int_equal(fds[2].revents, POLLWRNORM);
        /* POLLOUT is POLLWRNORM. */
        assert_int_equal(poll_one(client, POLLOUT, 0), POLLWRNORM);
        closesocket(client);
        closesocket(server);
        closesocket(listener);
    }
}

static void test_WSAPoll_reports_received_data_as_POLLRDNORM(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        char buf[8];
        ws_test_tcp_pair(families[i], &client, &server);
        assert_int_equal(send(server, "1234", 4, 0), 4);
        assert_int_equal(poll_one(client, POLLRDNORM | POLLRDBAND, 5000), POLLRDNORM);
        assert_int_equal(poll_one(client, POLLIN, 0), POLLRDNORM);
        assert_int_equal(poll_one(client, ALL_REQUESTS, 0), POLLRDNORM | POLLWRNORM);
        assert_int_equal(poll_one(server, ALL_REQUESTS, 0), POLLWRNORM);
        /* Results are only what was asked for. */
        assert_int_equal(poll_one(client, POLLWRNORM, 0), POLLWRNORM);
        assert_int_equal(poll_one(client, 0, 0), 0);
        assert_int_equal(recv(client, buf, sizeof(buf), 0), 4);
        assert_int_equal(poll_one(client, ALL_REQUESTS, 0), POLLWRNORM);
        closesocket(client);
        closesocket(server);
    }
}

static void test_WSAPoll_reports_out_of_band_data_as_POLLRDBAND(void **state)
{
    SOCKET client, server;
    char c = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "A", 1, MSG_OOB), 1);
    assert_int_equal(poll_one(server, POLLRDNORM | POLLRDBAND, 5000), POLLRDBAND);
    assert_int_equal(poll_one(server, ALL_REQUESTS, 0), POLLWRNORM | POLLRDBAND);
    assert_int_equal(poll_one(client, ALL_REQUESTS, 0), POLLWRNORM);
    assert_int_equal(recv(server, &c, 1, MSG_OOB), 1);
    assert_int_equal(c, 'A');
    assert_int_equal(poll_one(server, ALL_REQUESTS, 0), POLLWRNORM);
    closesocket(client);
    closesocket(server);
}

static void test_WSAPoll_reports_out_of_band_data_as_POLLRDNORM_with_SO_OOBINLINE(void **state)
{
    SOCKET client, server;
    BOOL on = TRUE;
    char c = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(setsockopt(server, SOL_SOCKET, SO_OOBINLINE, (const char *)&on, sizeof(on)),
                     0);
    assert_int_equal(send(client, "A", 1, MSG_OOB), 1);
    assert_int_equal(poll_one(server, POLLRDNORM | POLLRDBAND, 5000), POLLRDNORM);
    assert_int_equal(poll_one(server, ALL_REQUESTS, 0), POLLWRNORM | POLLRDNORM);
    assert_int_equal(recv(server, &c, 1, 0), 1);
    assert_int_equal(c, 'A');
    closesocket(client);
    closesocket(server);
}

static void test_WSAPoll_reports_peer_close_as_POLLHUP_even_when_not_asked(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        char buf[8];
        ws_test_tcp_pair(families[i], &client, &server);
        assert_int_equal(closesocket(client), 0);
        /* The page: error conditions are always returned. */
        assert_int_equal(poll_one(server, 0, 5000), POLLHUP);
        assert_int_equal(poll_one(server, ALL_REQUESTS, 0), POLLWRNORM | POLLHUP);
        assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
        closesocket(server);
    }
}

static void test_WSAPoll_reports_reset_connection_as_POLLHUP_and_POLLERR(void **state)
{
    SOCKET client, server;
    struct linger hard = {1, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(setsockopt(client, SOL_SOCKET, SO_LINGER, (const char *)&hard, sizeof(hard)),
                     0);
    /* A zero linger time makes closesocket reset the connection. */
    assert_int_equal(closesocket(client), 0);
    SHORT revents = poll_one(server, POLLRDBAND, 5000);
    assert_int_equal(revents & (POLLHUP | POLLERR), POLLHUP | POLLERR);
    assert_int_equal(revents & ~(POLLHUP | POLLERR), 0);
    /* Still so when asked again, writability included. */
    revents = poll_one(server, ALL_REQUESTS, 0);
    assert_int_equal(revents & (POLLHUP | POLLERR), POLLHUP | POLLERR);
    closesocket(server);
}

static void test_WSAPoll_reports_refused_nonblocking_connect_as_POLLHUP_and_POLLERR(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len, error = 0, error_len = sizeof(error);
        SOCKET holder = refused_port(families[i], &addr, &len);
        SOCKET s = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        set_nonblocking(s);
        assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
        /* What Windows reports: writable (when asked) with a hang-up and an error; not
           readable. */
        assert_int_equal(poll_one(s, ALL_REQUESTS, 10000), POLLWRNORM | POLLHUP | POLLERR);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&error, &error_len), 0);
        assert_int_equal(error, WSAECONNREFUSED);
        /* And again afterwards, the error conditions without being asked. */
        assert_int_equal(poll_one(s, ALL_REQUESTS, 0), POLLWRNORM | POLLHUP | POLLERR);
        assert_int_equal(poll_one(s, POLLIN, 0), POLLHUP | POLLERR);
        closesocket(s);
        closesocket(holder);
    }
}

static void test_WSAPoll_reports_udp_sockets_writable_and_readable_with_a_datagram(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET a, b;
        struct sockaddr_storage addr_b;
        int len_b;
        SOCKET unbound = socket(families[i], SOCK_DGRAM, IPPROTO_UDP);
        assert_int_equal(poll_one(unbound, ALL_REQUESTS, 0), POLLWRNORM);
        ws_test_udp_pair(families[i], &a, &b, &addr_b, &len_b);
        assert_int_equal(poll_one(b, ALL_REQUESTS, 0), POLLWRNORM);
        assert_int_equal(sendto(a, "data", 5, 0, (struct sockaddr *)&addr_b, len_b), 5);
        assert_int_equal(poll_one(b, POLLRDNORM | POLLRDBAND, 5000), POLLRDNORM);
        assert_int_equal(poll_one(b, ALL_REQUESTS, 0), POLLWRNORM | POLLRDNORM);
        assert_int_equal(poll_one(a, ALL_REQUESTS, 0), POLLWRNORM);
        closesocket(unbound);
        closesocket(a);
        closesocket(b);
    }
}

static void test_WSAPoll_reports_a_socket_listed_twice_in_each_entry(void **state)
{
    SOCKET client, server;
    WSAPOLLFD fds[4];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "data", 4, 0), 4);
    wait_for_data(server);
    entry(&fds[0], server, POLLRDNORM);
    entry(&fds[1], server, POLLWRNORM);
    entry(&fds[2], server, POLLRDBAND);
    entry(&fds[3], server, POLLIN | POLLOUT);
    assert_int_equal(WSAPoll(fds, 4, 0), 3);
    assert_int_equal(fds[0].revents, POLLRDNORM);
    assert_int_equal(fds[1].revents, POLLWRNORM);
    assert_int_equal(fds[2].revents, 0);
    assert_int_equal(fds[3].revents, POLLRDNORM | POLLWRNORM);
    closesocket(client);
    closesocket(server);
}

static void test_WSAPoll_reports_1024_udp_sockets_each_with_a_datagram(void **state)
{
    enum { COUNT = 1024 };
    static SOCKET receivers[COUNT];
    static struct sockaddr_storage addrs[COUNT];
    static WSAPOLLFD fds[COUNT];
    static int lens[COUNT];
    (void)state;
    SOCKET sender = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_true(sender != INVALID_SOCKET);
    for (int i = 0; i < COUNT; i++) {
        receivers[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_true(receivers[i] != INVALID_SOCKET);
        lens[i] = ws_test_loopback(AF_INET, 0, &addrs[i]);
        assert_int_equal(bind(receivers[i], (struct sockaddr *)&addrs[i], lens[i]), 0);
        lens[i] = sizeof(addrs[i]);
        assert_int_equal(getsockname(receivers[i], (struct sockaddr *)&addrs[i], &lens[i]), 0);
    }

    /* Nothing waits yet. */
    for (int i = 0; i < COUNT; i++) entry(&fds[i], receivers[i], POLLIN);
    assert_int_equal(WSAPoll(fds, COUNT, 0), 0);
    for (int i = 0; i < COUNT; i++) assert_int_equal(fds[i].revents, 0);

    /* Every other one readable, then all of them. */
    for (int i = 0; i < COUNT; i += 2) {
        assert_int_equal(sendto(sender, "x", 1, 0, (struct sockaddr *)&addrs[i], lens[i]), 1);
        wait_for_data(receivers[i]);
    }
    for (int i = 0; i < COUNT; i++) entry(&fds[i], receivers[i], POLLIN);
    assert_int_equal(WSAPoll(fds, COUNT, 0), COUNT / 2);
    for (int i = 0; i < COUNT; i++) assert_int_equal(fds[i].revents, i % 2 ? 0 : POLLRDNORM);

    for (int i = 1; i < COUNT; i += 2) {
        assert_int_equal(sendto(sender, "x", 1, 0, (struct sockaddr *)&addrs[i], lens[i]), 1);
        wait_for_data(receivers[i]);
    }
    for (int i = 0; i < COUNT; i++) entry(&fds[i], receivers[i], POLLIN | POLLOUT);
    assert_int_equal(WSAPoll(fds, COUNT, -1), COUNT);
    for (int i = 0; i < COUNT; i++) assert_int_equal(fds[i].revents, POLLRDNORM | POLLWRNORM);

    for (int i = 0; i < COUNT; i++) closesocket(receivers[i]);
    closesocket(sender);
}

/* ---- blocking ---- */

struct delayed {
    SOCKET s;
    DWORD delay_ms;
};

static DWORD WINAPI send_later(void *arg)
{
    struct delayed *d = arg;
    Sleep(d->delay_ms);
    return send(d->s, "late", 4, 0) == 4 ? 0 : 1;
}

static DWORD WINAPI close_later(void *arg)
{
    struct delayed *d = arg;
    Sleep(d->delay_ms);
    return closesocket(d->s) == 0 ? 0 : 1;
}

static void test_WSAPoll_with_negative_timeout_blocks_until_data_arrives_from_another_thread(
    void **state)
{
    SOCKET client, server;
    WSAPOLLFD fds[2];
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    struct delayed d = {client, 100};
    HANDLE thread = CreateThread(NULL, 0, send_later, &d, 0, NULL);
    assert_non_null(thread);
    entry(&fds[0], NOT_A_SOCKET, POLLIN);
    entry(&fds[1], server, POLLIN);
    assert_int_equal(WSAPoll(fds, 2, -1), 1);
    assert_int_equal(fds[0].revents, POLLNVAL);
    assert_int_equal(fds[1].revents, POLLRDNORM);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(client);
    closesocket(server);
}

static void test_WSAPoll_reports_socket_closed_by_another_thread_as_POLLNVAL(void **state)
{
    SOCKET client, server;
    WSAPOLLFD fds[2];
    (void)state;
    /* The socket the call waits on... */
    ws_test_tcp_pair(AF_INET, &client, &server);
    struct delayed d = {client, 300};
    HANDLE thread = CreateThread(NULL, 0, close_later, &d, 0, NULL);
    assert_non_null(thread);
    entry(&fds[0], client, POLLRDNORM | POLLRDBAND);
    assert_int_equal(WSAPoll(fds, 1, 10000), 1);
    assert_int_equal(fds[0].revents, POLLNVAL);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(server);

    /* ...or another one of the array. */
    ws_test_tcp_pair(AF_INET, &client, &server);
    d.s = server;
    thread = CreateThread(NULL, 0, close_later, &d, 0, NULL);
    assert_non_null(thread);
    entry(&fds[0], client, POLLIN);
    entry(&fds[1], server, POLLIN);
    assert_int_equal(WSAPoll(fds, 2, -1), 1);
    assert_int_equal(fds[1].revents, POLLNVAL);
    assert_int_equal(fds[0].revents, 0);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(client);
}

static void CALLBACK count_apc(ULONG_PTR arg)
{
    ++*(int *)arg;
}

static void test_WSAPoll_waits_alertably_and_runs_queued_APCs(void **state)
{
    SOCKET client, server;
    int apcs = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_true(QueueUserAPC(count_apc, GetCurrentThread(), (ULONG_PTR)&apcs));
    assert_int_equal(poll_one(server, POLLIN, 100), 0);
    assert_int_equal(apcs, 1);
    closesocket(client);
    closesocket(server);
}

struct blocked_poll {
    WSAPOLLFD fd;
    volatile LONG started;
    int ret, error;
};

static DWORD WINAPI blocked_poll_thread(void *arg)
{
    struct blocked_poll *b = arg;
    InterlockedExchange(&b->started, 1);
    b->ret = WSAPoll(&b->fd, 1, -1);
    b->error = WSAGetLastError();
    return 0;
}

static void test_WSAPoll_blocked_in_another_thread_fails_with_WSAEINTR_on_the_final_WSACleanup(
    void **state)
{
    SOCKET client, server;
    struct blocked_poll b = {0};
    WSADATA data;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    entry(&b.fd, server, POLLIN);
    HANDLE thread = CreateThread(NULL, 0, blocked_poll_thread, &b, 0, NULL);
    assert_non_null(thread);
    while (!b.started) Sleep(1);
    Sleep(300); /* let it block inside WSAPoll */
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_int_equal(b.ret, SOCKET_ERROR);
    assert_int_equal(b.error, WSAEINTR);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_WSAPoll_before_WSAStartup_fails_with_WSANOTINITIALISED),
        cmocka_unit_test(test_WSAPoll_with_no_entries_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSAPoll_with_a_bad_array_fails_with_WSAEFAULT),
        cmocka_unit_test(test_WSAPoll_with_unsupported_events_fails_with_WSAEINVAL),
        cmocka_unit_test(
            test_WSAPoll_with_unsupported_events_on_a_non_socket_entry_fails_with_WSAEINVAL),
        cmocka_unit_test(test_WSAPoll_with_no_socket_in_the_array_fails_with_WSAENOTSOCK),
        cmocka_unit_test(test_WSAPoll_marks_a_non_socket_entry_POLLNVAL_and_still_succeeds),
        cmocka_unit_test(test_WSAPoll_marks_a_negative_fd_POLLNVAL_whatever_its_events),
        cmocka_unit_test(test_WSAPoll_with_nothing_ready_returns_0_and_clears_revents),
        cmocka_unit_test(
            test_WSAPoll_reports_listening_socket_POLLRDNORM_when_a_connection_is_pending),
        cmocka_unit_test(test_WSAPoll_reports_connected_sockets_POLLWRNORM),
        cmocka_unit_test(test_WSAPoll_reports_received_data_as_POLLRDNORM),
        cmocka_unit_test(test_WSAPoll_reports_out_of_band_data_as_POLLRDBAND),
        cmocka_unit_test(test_WSAPoll_reports_out_of_band_data_as_POLLRDNORM_with_SO_OOBINLINE),
        cmocka_unit_test(test_WSAPoll_reports_peer_close_as_POLLHUP_even_when_not_asked),
        cmocka_unit_test(test_WSAPoll_reports_reset_connection_as_POLLHUP_and_POLLERR),
        cmocka_unit_test(test_WSAPoll_reports_refused_nonblocking_connect_as_POLLHUP_and_POLLERR),
        cmocka_unit_test(test_WSAPoll_reports_udp_sockets_writable_and_readable_with_a_datagram),
        cmocka_unit_test(test_WSAPoll_reports_a_socket_listed_twice_in_each_entry),
        cmocka_unit_test(test_WSAPoll_reports_1024_udp_sockets_each_with_a_datagram),
        cmocka_unit_test(
            test_WSAPoll_with_negative_timeout_blocks_until_data_arrives_from_another_thread),
        cmocka_unit_test(test_WSAPoll_reports_socket_closed_by_another_thread_as_POLLNVAL),
        cmocka_unit_test(test_WSAPoll_waits_alertably_and_runs_queued_APCs),
        cmocka_unit_test(
            test_WSAPoll_blocked_in_another_thread_fails_with_WSAEINTR_on_the_final_WSACleanup),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
