/* select and FD_ISSET (__WSAFDIsSet): documented results and errors. */
#include "ws_test.h"

static const int families[] = {AF_INET, AF_INET6};

/* An fd_set of a program that defines a larger FD_SETSIZE than the SDK's 64. */
#define BIG_SET_SIZE 200
struct big_fd_set {
    u_int fd_count;
    SOCKET fd_array[BIG_SET_SIZE];
};

static void set_one(fd_set *set, SOCKET s)
{
    set->fd_count = 1;
    set->fd_array[0] = s;
}

static void set_nonblocking(SOCKET s)
{
    u_long on = 1;
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
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

static void wait_for_data(SOCKET s)
{
    char c;
    assert_int_equal(recv(s, &c, 1, MSG_PEEK), 1);
}

/* ---- readiness ---- */

static void test_select_reports_socket_readable_after_peer_sends(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        fd_set readfds;
        struct timeval wait = {5, 0};
        ws_test_tcp_pair(families[i], &client, &server);
        assert_int_equal(send(client, "data", 4, 0), 4);
        set_one(&readfds, server);
        assert_int_equal(select(0, &readfds, NULL, NULL, &wait), 1);
        assert_int_equal(readfds.fd_count, 1);
        assert_true(FD_ISSET(server, &readfds));
        closesocket(client);
        closesocket(server);
    }
}

static void test_select_reports_nothing_readable_before_the_peer_sends(void **state)
{
    SOCKET client, server;
    fd_set readfds;
    struct timeval zero = {0, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    set_one(&readfds, server);
    assert_int_equal(select(0, &readfds, NULL, NULL, &zero), 0);
    assert_int_equal(readfds.fd_count, 0);
    closesocket(client);
    closesocket(server);
}

static void test_select_reports_socket_writable_once_nonblocking_connect_succeeds(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len, error = -1, error_len = sizeof(error);
        SOCKET listener = ws_test_listener(families[i], &addr, &len);
        SOCKET client = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        fd_set writefds, exceptfds;
        struct timeval wait = {5, 0};
        set_nonblocking(client);
        int ret = connect(client, (struct sockaddr *)&addr, len);
        if (ret == SOCKET_ERROR) assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
        set_one(&writefds, client);
        set_one(&exceptfds, client);
        assert_int_equal(select(0, NULL, &writefds, &exceptfds, &wait), 1);
        assert_true(FD_ISSET(client, &writefds));
        assert_false(FD_ISSET(client, &exceptfds));
        assert_int_equal(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&error, &error_len), 0);
        assert_int_equal(error, 0);
        closesocket(client);
        closesocket(listener);
    }
}

static void test_select_reports_listening_socket_readable_when_a_connection_is_pending(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len;
        SOCKET listener = ws_test_listener(families[i], &addr, &len);
        SOCKET client = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        fd_set readfds, writefds, exceptfds;
        struct timeval zero = {0, 0}, wait = {5, 0};

        /* Nothing pending yet: a listening socket is in no set. */
        set_one(&readfds, listener);
        set_one(&writefds, listener);
        set_one(&exceptfds, listener);
        assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &zero), 0);

        assert_int_equal(connect(client, (struct sockaddr *)&addr, len), 0);
        set_one(&readfds, listener);
        set_one(&writefds, listener);
        set_one(&exceptfds, listener);
        assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &wait), 1);
        assert_true(FD_ISSET(listener, &readfds));
        assert_int_equal(writefds.fd_count, 0);
        assert_int_equal(exceptfds.fd_count, 0);
        SOCKET server = accept(listener, NULL, NULL);
        assert_true(server != INVALID_SOCKET);
        closesocket(server);
        closesocket(client);
        closesocket(listener);
    }
}

static void test_select_reports_peer_close_as_readable_and_recv_returns_0(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        fd_set readfds, exceptfds;
        struct timeval wait = {5, 0};
        char buf[8];
        ws_test_tcp_pair(families[i], &client, &server);
        assert_int_equal(closesocket(client), 0);
        set_one(&readfds, server);
        set_one(&exceptfds, server);
        assert_int_equal(select(0, &readfds, NULL, &exceptfds, &wait), 1);
        assert_true(FD_ISSET(server, &readfds));
        assert_false(FD_ISSET(server, &exceptfds));
        assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
        closesocket(server);
    }
}

static void test_select_reports_reset_connection_readable_and_writable(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        struct linger abort_close = {1, 0};
        fd_set readfds, writefds, exceptfds;
        struct timeval wait = {5, 0};
        ws_test_tcp_pair(families[i], &client, &server);
        /* A zero linger time makes closesocket reset the connection. */
        assert_int_equal(setsockopt(client, SOL_SOCKET, SO_LINGER, (const char *)&abort_close,
                                    sizeof(abort_close)),
                         0);
        assert_int_equal(closesocket(client), 0);
        set_one(&readfds, server);
        assert_int_equal(select(0, &readfds, NULL, NULL, &wait), 1);
        assert_true(FD_ISSET(server, &readfds));
        set_one(&readfds, server);
        set_one(&writefds, server);
        set_one(&exceptfds, server);
        assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &wait), 2);
        assert_true(FD_ISSET(server, &readfds));
        assert_true(FD_ISSET(server, &writefds));
        assert_false(FD_ISSET(server, &exceptfds));
        closesocket(server);
    }
}

static void test_select_reports_refused_nonblocking_connect_in_exceptfds_only(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len, error = 0, error_len = sizeof(error);
        SOCKET holder = refused_port(families[i], &addr, &len);
        SOCKET s = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        fd_set readfds, writefds, exceptfds;
        struct timeval wait = {10, 0};
        set_nonblocking(s);
        int ret = connect(s, (struct sockaddr *)&addr, len);
        assert_int_equal(ret, SOCKET_ERROR);
        assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
        set_one(&readfds, s);
        set_one(&writefds, s);
        set_one(&exceptfds, s);
        assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &wait), 1);
        assert_true(FD_ISSET(s, &exceptfds));
        assert_int_equal(readfds.fd_count, 0);
        assert_int_equal(writefds.fd_count, 0);
        /* The timeout is an input only. */
        assert_int_equal(wait.tv_sec, 10);
        assert_int_equal(wait.tv_usec, 0);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&error, &error_len), 0);
        assert_int_equal(error, WSAECONNREFUSED);
        closesocket(s);
        closesocket(holder);
    }
}

static void test_select_never_reports_refused_nonblocking_connect_readable_or_writable(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        struct sockaddr_storage addr;
        int len, error = 0, error_len = sizeof(error);
        SOCKET holder = refused_port(families[i], &addr, &len);
        SOCKET s = socket(families[i], SOCK_STREAM, IPPROTO_TCP);
        fd_set readfds, writefds;
        struct timeval wait = {1, 0};
        set_nonblocking(s);
        assert_socket_error(connect(s, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
        set_one(&readfds, s);
        set_one(&writefds, s);
        assert_int_equal(select(0, &readfds, &writefds, NULL, &wait), 0);
        assert_int_equal(readfds.fd_count, 0);
        assert_int_equal(writefds.fd_count, 0);
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&error, &error_len), 0);
        assert_int_equal(error, WSAECONNREFUSED);
        closesocket(s);
        closesocket(holder);
    }
}

static void test_select_reports_unconnected_stream_socket_in_no_set(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    fd_set readfds, writefds, exceptfds;
    struct timeval zero = {0, 0};
    (void)state;
    set_one(&readfds, s);
    set_one(&writefds, s);
    set_one(&exceptfds, s);
    assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &zero), 0);
    closesocket(s);
}

static void test_select_reports_unbound_udp_socket_writable_only(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET s = socket(families[i], SOCK_DGRAM, IPPROTO_UDP);
        fd_set readfds, writefds, exceptfds;
        struct timeval wait = {0, 250000};
        set_one(&readfds, s);
        set_one(&writefds, s);
        set_one(&exceptfds, s);
        assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &wait), 1);
        assert_true(FD_ISSET(s, &writefds));
        assert_int_equal(readfds.fd_count, 0);
        assert_int_equal(exceptfds.fd_count, 0);
        closesocket(s);
    }
}

static void test_select_reports_udp_socket_readable_when_a_datagram_waits(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET a, b;
        struct sockaddr_storage addr_b;
        int len_b;
        fd_set readfds;
        struct timeval wait = {5, 0};
        ws_test_udp_pair(families[i], &a, &b, &addr_b, &len_b);
        assert_int_equal(sendto(a, "x", 1, 0, (struct sockaddr *)&addr_b, len_b), 1);
        set_one(&readfds, b);
        assert_int_equal(select(0, &readfds, NULL, NULL, &wait), 1);
        assert_true(FD_ISSET(b, &readfds));
        closesocket(a);
        closesocket(b);
    }
}

static void test_select_reports_socket_with_full_send_buffer_not_writable(void **state)
{
    static char chunk[16384];
    SOCKET client, server;
    fd_set writefds;
    struct timeval zero = {0, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    set_nonblocking(client);
    for (;;) {
        if (send(client, chunk, sizeof(chunk), 0) == SOCKET_ERROR) {
            assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
            break;
        }
    }
    set_one(&writefds, client);
    assert_int_equal(select(0, NULL, &writefds, NULL, &zero), 0);
    assert_int_equal(writefds.fd_count, 0);
    closesocket(client);
    closesocket(server);
}

static void test_select_reports_out_of_band_data_in_exceptfds(void **state)
{
    SOCKET client, server;
    fd_set readfds, exceptfds;
    struct timeval wait = {5, 0};
    char c = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "A", 1, MSG_OOB), 1);
    set_one(&readfds, server);
    set_one(&exceptfds, server);
    assert_int_equal(select(0, &readfds, NULL, &exceptfds, &wait), 1);
    assert_true(FD_ISSET(server, &exceptfds));
    assert_int_equal(readfds.fd_count, 0);
    assert_int_equal(recv(server, &c, 1, MSG_OOB), 1);
    assert_int_equal(c, 'A');
    closesocket(client);
    closesocket(server);
}

static void test_select_reports_out_of_band_data_readable_with_SO_OOBINLINE(void **state)
{
    SOCKET client, server;
    fd_set readfds, exceptfds;
    struct timeval wait = {5, 0};
    BOOL on = TRUE;
    char c = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(setsockopt(server, SOL_SOCKET, SO_OOBINLINE, (const char *)&on, sizeof(on)),
                     0);
    assert_int_equal(send(client, "A", 1, MSG_OOB), 1);
    set_one(&readfds, server);
    set_one(&exceptfds, server);
    assert_int_equal(select(0, &readfds, NULL, &exceptfds, &wait), 1);
    assert_true(FD_ISSET(server, &readfds));
    assert_int_equal(exceptfds.fd_count, 0);
    assert_int_equal(recv(server, &c, 1, 0), 1);
    assert_int_equal(c, 'A');
    closesocket(client);
    closesocket(server);
}

/* ---- timeouts ---- */

static void test_select_with_zero_timeout_returns_0_and_clears_the_sets(void **state)
{
    SOCKET a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET b = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    fd_set readfds, writefds, exceptfds;
    struct timeval zero = {0, 0};
    (void)state;
    FD_ZERO(&readfds);
    FD_ZERO(&writefds);
    FD_ZERO(&exceptfds);
    FD_SET(a, &readfds);
    FD_SET(b, &readfds);
    FD_SET(a, &writefds);
    FD_SET(b, &writefds);
    FD_SET(a, &exceptfds);
    FD_SET(b, &exceptfds);
    assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &zero), 0);
    assert_int_equal(readfds.fd_count, 0);
    assert_int_equal(writefds.fd_count, 0);
    assert_int_equal(exceptfds.fd_count, 0);
    closesocket(a);
    closesocket(b);
}

static void test_select_with_short_timeout_returns_0_when_nothing_is_ready(void **state)
{
    SOCKET client, server;
    fd_set readfds;
    struct timeval wait = {0, 100000};
    (void)state;
    ws_test_tcp_pair(AF_INET6, &client, &server);
    set_one(&readfds, server);
    assert_int_equal(select(0, &readfds, NULL, NULL, &wait), 0);
    assert_int_equal(readfds.fd_count, 0);
    closesocket(client);
    closesocket(server);
}

static void test_select_accepts_microseconds_of_a_second_or_more(void **state)
{
    SOCKET client, server;
    fd_set writefds;
    struct timeval wait = {0, 1500000};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    set_one(&writefds, client);
    assert_int_equal(select(0, NULL, &writefds, NULL, &wait), 1);
    closesocket(client);
    closesocket(server);
}

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

static void test_select_without_timeout_blocks_until_a_socket_is_ready(void **state)
{
    SOCKET client, server;
    fd_set readfds;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    struct delayed d = {client, 100};
    HANDLE thread = CreateThread(NULL, 0, send_later, &d, 0, NULL);
    assert_non_null(thread);
    set_one(&readfds, server);
    assert_int_equal(select(0, &readfds, NULL, NULL, NULL), 1);
    assert_true(FD_ISSET(server, &readfds));
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(client);
    closesocket(server);
}

static void CALLBACK count_apc(ULONG_PTR arg)
{
    ++*(int *)arg;
}

static void test_select_waits_alertably_and_runs_queued_APCs(void **state)
{
    SOCKET client, server;
    fd_set readfds;
    struct timeval wait = {0, 100000};
    int apcs = 0;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_true(QueueUserAPC(count_apc, GetCurrentThread(), (ULONG_PTR)&apcs));
    set_one(&readfds, server);
    assert_int_equal(select(0, &readfds, NULL, NULL, &wait), 0);
    assert_int_equal(apcs, 1);
    closesocket(client);
    closesocket(server);
}

/* ---- counting and duplicates ---- */

static void test_select_counts_a_socket_in_read_and_write_sets_twice(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(families); i++) {
        SOCKET client, server;
        fd_set readfds, writefds, exceptfds;
        struct timeval zero = {0, 0};
        ws_test_tcp_pair(families[i], &client, &server);
        assert_int_equal(send(client, "data", 4, 0), 4);
        wait_for_data(server);
        set_one(&readfds, server);
        set_one(&writefds, server);
        set_one(&exceptfds, server);
        assert_int_equal(select(0, &readfds, &writefds, &exceptfds, &zero), 2);
        assert_true(FD_ISSET(server, &readfds));
        assert_true(FD_ISSET(server, &writefds));
        assert_false(FD_ISSET(server, &exceptfds));
        closesocket(client);
        closesocket(server);
    }
}

static void test_select_reports_a_socket_listed_twice_in_one_set_once(void **state)
{
    SOCKET client, server;
    fd_set writefds;
    struct timeval zero = {0, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    writefds.fd_count = 2;
    writefds.fd_array[0] = client;
    writefds.fd_array[1] = client;
    assert_int_equal(select(0, NULL, &writefds, NULL, &zero), 1);
    assert_int_equal(writefds.fd_count, 1);
    assert_true(writefds.fd_array[0] == client);
    closesocket(client);
    closesocket(server);
}

static void test_select_with_one_fd_set_for_read_and_write_reports_each_socket_once(void **state)
{
    SOCKET client, server;
    fd_set set;
    struct timeval zero = {0, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "data", 4, 0), 4);
    wait_for_data(server);
    /* server is readable and writable, client writable: two sockets, each once. */
    set.fd_count = 2;
    set.fd_array[0] = client;
    set.fd_array[1] = server;
    assert_int_equal(select(0, &set, &set, NULL, &zero), 2);
    assert_int_equal(set.fd_count, 2);
    assert_true(FD_ISSET(client, &set));
    assert_true(FD_ISSET(server, &set));
    closesocket(client);
    closesocket(server);
}

static void test_select_handles_sets_larger_than_64_sockets_in_order(void **state)
{
    enum { PAIRS = 50 };
    SOCKET clients[PAIRS], servers[PAIRS];
    static struct big_fd_set readfds, writefds;
    struct timeval zero = {0, 0};
    (void)state;
    for (int i = 0; i < PAIRS; i++)
        ws_test_tcp_pair(i % 2 ? AF_INET6 : AF_INET, &clients[i], &servers[i]);

    /* Every socket of a connected pair is writable: 100 sockets, reported in the given order. */
    writefds.fd_count = 2 * PAIRS;
    for (int i = 0; i < PAIRS; i++) {
        writefds.fd_array[2 * i] = clients[i];
        writefds.fd_array[2 * i + 1] = servers[i];
    }
    assert_int_equal(select(0, NULL, (fd_set *)&writefds, NULL, &zero), 2 * PAIRS);
    assert_int_equal(writefds.fd_count, 2 * PAIRS);
    for (int i = 0; i < PAIRS; i++) {
        assert_true(writefds.fd_array[2 * i] == clients[i]);
        assert_true(writefds.fd_array[2 * i + 1] == servers[i]);
    }

    /* Only the three servers whose peers sent are readable, the last of them at index 99. */
    const int senders[] = {0, 33, PAIRS - 1};
    for (size_t k = 0; k < ARRAYSIZE(senders); k++) {
        assert_int_equal(send(clients[senders[k]], "x", 1, 0), 1);
        wait_for_data(servers[senders[k]]);
    }
    readfds.fd_count = 2 * PAIRS;
    for (int i = 0; i < PAIRS; i++) {
        readfds.fd_array[2 * i] = clients[i];
        readfds.fd_array[2 * i + 1] = servers[i];
    }
    assert_int_equal(select(0, (fd_set *)&readfds, NULL, NULL, &zero), 3);
    assert_int_equal(readfds.fd_count, 3);
    for (size_t k = 0; k < ARRAYSIZE(senders); k++) {
        assert_true(readfds.fd_array[k] == servers[senders[k]]);
        assert_true(FD_ISSET(servers[senders[k]], (fd_set *)&readfds));
    }

    for (int i = 0; i < PAIRS; i++) {
        closesocket(clients[i]);
        closesocket(servers[i]);
    }
}

/* The fd_set of a program that defines FD_SETSIZE as 1024 before including winsock2.h. */
struct fd_set_1024 {
    u_int fd_count;
    SOCKET fd_array[1024];
};

static void test_select_reports_every_socket_of_a_1024_socket_set(void **state)
{
    enum { COUNT = 1024 };
    static SOCKET receivers[COUNT];
    static struct sockaddr_storage addrs[COUNT];
    static int lens[COUNT];
    static struct fd_set_1024 readfds, writefds;
    struct timeval zero = {0, 0}, wait = {5, 0};
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
    for (int i = 0; i < COUNT; i++) {
        assert_int_equal(sendto(sender, "x", 1, 0, (struct sockaddr *)&addrs[i], lens[i]), 1);
        wait_for_data(receivers[i]);
    }
    readfds.fd_count = writefds.fd_count = COUNT;
    for (int i = 0; i < COUNT; i++) readfds.fd_array[i] = writefds.fd_array[i] = receivers[i];
    assert_int_equal(select(0, (fd_set *)&readfds, (fd_set *)&writefds, NULL, &wait), 2 * COUNT);
    assert_int_equal(readfds.fd_count, COUNT);
    assert_int_equal(writefds.fd_count, COUNT);
    for (int i = 0; i < COUNT; i++) {
        assert_true(readfds.fd_array[i] == receivers[i]);
        assert_true(writefds.fd_array[i] == receivers[i]);
    }

    /* With the odd ones drained, the even ones alone are readable. */
    for (int i = 1; i < COUNT; i += 2) {
        char c;
        assert_int_equal(recv(receivers[i], &c, 1, 0), 1);
    }
    readfds.fd_count = COUNT;
    for (int i = 0; i < COUNT; i++) readfds.fd_array[i] = receivers[i];
    assert_int_equal(select(0, (fd_set *)&readfds, NULL, NULL, &zero), COUNT / 2);
    assert_int_equal(readfds.fd_count, COUNT / 2);
    for (int i = 0; i < COUNT / 2; i++) assert_true(readfds.fd_array[i] == receivers[2 * i]);

    for (int i = 0; i < COUNT; i++) closesocket(receivers[i]);
    closesocket(sender);
}

/* ---- sockets closed under select ---- */

static DWORD WINAPI close_later(void *arg)
{
    struct delayed *d = arg;
    Sleep(d->delay_ms);
    return closesocket(d->s) == 0 ? 0 : 1;
}

static void test_select_reports_socket_closed_by_another_thread_as_readable(void **state)
{
    SOCKET client, server;
    fd_set readfds, exceptfds;
    struct timeval wait = {10, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    struct delayed d = {client, 300};
    HANDLE thread = CreateThread(NULL, 0, close_later, &d, 0, NULL);
    assert_non_null(thread);
    set_one(&readfds, client);
    set_one(&exceptfds, client);
    assert_int_equal(select(0, &readfds, NULL, &exceptfds, &wait), 1);
    assert_true(FD_ISSET(client, &readfds));
    assert_false(FD_ISSET(client, &exceptfds));
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(server);
}

static void test_select_on_exceptfds_only_fails_with_WSAENOTSOCK_on_close_by_another_thread(
    void **state)
{
    SOCKET client, server;
    fd_set exceptfds;
    struct timeval wait = {10, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    struct delayed d = {client, 300};
    HANDLE thread = CreateThread(NULL, 0, close_later, &d, 0, NULL);
    assert_non_null(thread);
    set_one(&exceptfds, client);
    assert_socket_error(select(0, NULL, NULL, &exceptfds, &wait), WSAENOTSOCK);
    assert_false(FD_ISSET(client, &exceptfds));
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(server);
}

struct blocked_select {
    SOCKET s;
    volatile LONG started;
    int ret, error;
};

static DWORD WINAPI blocked_select_thread(void *arg)
{
    struct blocked_select *b = arg;
    fd_set readfds;
    set_one(&readfds, b->s);
    InterlockedExchange(&b->started, 1);
    b->ret = select(0, &readfds, NULL, NULL, NULL);
    b->error = WSAGetLastError();
    return 0;
}

static void test_select_blocked_in_another_thread_fails_with_WSAEINTR_on_the_final_WSACleanup(
    void **state)
{
    SOCKET client, server;
    struct blocked_select b = {0};
    WSADATA data;
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    b.s = server;
    HANDLE thread = CreateThread(NULL, 0, blocked_select_thread, &b, 0, NULL);
    assert_non_null(thread);
    while (!b.started) Sleep(1);
    Sleep(300); /* let it block inside select */
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_int_equal(b.ret, SOCKET_ERROR);
    assert_int_equal(b.error, WSAEINTR);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

/* ---- documented errors ---- */

static void test_select_with_all_sets_null_fails_with_WSAEINVAL(void **state)
{
    struct timeval zero = {0, 0};
    (void)state;
    assert_socket_error(select(0, NULL, NULL, NULL, &zero), WSAEINVAL);
    assert_socket_error(select(0, NULL, NULL, NULL, NULL), WSAEINVAL);
}

static void test_select_with_all_sets_empty_fails_with_WSAEINVAL(void **state)
{
    fd_set readfds, writefds, exceptfds;
    struct timeval zero = {0, 0};
    (void)state;
    FD_ZERO(&readfds);
    FD_ZERO(&writefds);
    FD_ZERO(&exceptfds);
    assert_socket_error(select(0, &readfds, &writefds, &exceptfds, &zero), WSAEINVAL);
    assert_socket_error(select(0, &readfds, NULL, NULL, &zero), WSAEINVAL);
}

static void test_select_with_negative_timeout_fails_with_WSAEINVAL(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    fd_set writefds;
    struct timeval negative_sec = {-1, 0}, negative_usec = {0, -1};
    (void)state;
    set_one(&writefds, s);
    assert_socket_error(select(0, NULL, &writefds, NULL, &negative_sec), WSAEINVAL);
    assert_int_equal(writefds.fd_count, 1);
    assert_socket_error(select(0, NULL, &writefds, NULL, &negative_usec), WSAEINVAL);
    closesocket(s);
}

static void test_select_with_a_non_socket_handle_fails_with_WSAENOTSOCK(void **state)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    fd_set readfds, writefds;
    struct timeval zero = {0, 0};
    (void)state;

    set_one(&readfds, (SOCKET)event);
    assert_socket_error(select(0, &readfds, NULL, NULL, &zero), WSAENOTSOCK);

    /* Not only the first entry is checked; the sets are left as they were. */
    set_one(&readfds, s);
    set_one(&writefds, s);
    writefds.fd_count = 2;
    writefds.fd_array[1] = (SOCKET)event;
    assert_socket_error(select(0, &readfds, &writefds, NULL, &zero), WSAENOTSOCK);
    assert_int_equal(readfds.fd_count, 1);
    assert_int_equal(writefds.fd_count, 2);

    set_one(&readfds, INVALID_SOCKET);
    assert_socket_error(select(0, &readfds, NULL, NULL, &zero), WSAENOTSOCK);
    CloseHandle(event);
    closesocket(s);
}

static void test_select_on_a_closed_socket_fails_with_WSAENOTSOCK_and_leaves_the_sets(void **state)
{
    SOCKET client, server;
    fd_set readfds, exceptfds;
    struct timeval wait = {1, 0};
    (void)state;
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(closesocket(client), 0);
    readfds.fd_count = 2;
    readfds.fd_array[0] = server;
    readfds.fd_array[1] = client;
    exceptfds = readfds;
    assert_socket_error(select(0, &readfds, NULL, &exceptfds, &wait), WSAENOTSOCK);
    assert_int_equal(readfds.fd_count, 2);
    assert_int_equal(exceptfds.fd_count, 2);
    closesocket(server);
}

static void test_select_with_bad_pointers_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    fd_set writefds;
    struct timeval zero = {0, 0};
    DWORD old;
    (void)state;
    set_one(&writefds, s);
    assert_socket_error(select(0, (fd_set *)(ULONG_PTR)0x10, &writefds, NULL, &zero), WSAEFAULT);
    assert_socket_error(select(0, NULL, &writefds, (fd_set *)(ULONG_PTR)0x10, &zero), WSAEFAULT);
    assert_socket_error(select(0, NULL, &writefds, NULL, (struct timeval *)(ULONG_PTR)0x10),
                        WSAEFAULT);

    /* A set whose count runs past the end of its memory. */
    char *pages = VirtualAlloc(NULL, 0x2000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(pages);
    assert_true(VirtualProtect(pages + 0x1000, 0x1000, PAGE_NOACCESS, &old));
    fd_set *edge = (fd_set *)(pages + 0x1000 - offsetof(fd_set, fd_array[1]));
    edge->fd_count = 2;
    edge->fd_array[0] = s;
    assert_socket_error(select(0, NULL, edge, NULL, &zero), WSAEFAULT);

    /* The same set holding exactly what fits is fine: nothing past fd_count is touched. */
    edge->fd_count = 1;
    assert_int_equal(select(0, NULL, edge, NULL, &zero), 1);
    assert_int_equal(edge->fd_count, 1);
    assert_true(FD_ISSET(s, edge));
    VirtualFree(pages, 0, MEM_RELEASE);
    closesocket(s);
}

static void test_select_before_WSAStartup_fails_with_WSANOTINITIALISED(void **state)
{
    fd_set readfds;
    struct timeval zero = {0, 0};
    WSADATA data;
    (void)state;
    assert_int_equal(WSACleanup(), 0);
    set_one(&readfds, (SOCKET)1234);
    assert_socket_error(select(0, &readfds, NULL, NULL, &zero), WSANOTINITIALISED);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

/* ---- __WSAFDIsSet ---- */

static void test_WSAFDIsSet_is_nonzero_only_for_members(void **state)
{
    static struct big_fd_set big;
    fd_set set;
    (void)state;
    FD_ZERO(&set);
    assert_int_equal(__WSAFDIsSet((SOCKET)100, &set), 0);
    FD_SET((SOCKET)100, &set);
    FD_SET((SOCKET)200, &set);
    assert_int_not_equal(__WSAFDIsSet((SOCKET)100, &set), 0);
    assert_int_not_equal(__WSAFDIsSet((SOCKET)200, &set), 0);
    assert_int_equal(__WSAFDIsSet((SOCKET)300, &set), 0);
    /* Entries past fd_count are not members. */
    set.fd_count = 1;
    assert_int_equal(__WSAFDIsSet((SOCKET)200, &set), 0);
    /* Sets larger than FD_SETSIZE. */
    big.fd_count = BIG_SET_SIZE;
    for (int i = 0; i < BIG_SET_SIZE; i++) big.fd_array[i] = (SOCKET)(ULONG_PTR)(4 * i + 4);
    assert_int_not_equal(__WSAFDIsSet((SOCKET)(4 * BIG_SET_SIZE), (fd_set *)&big), 0);
    assert_int_equal(__WSAFDIsSet((SOCKET)(4 * BIG_SET_SIZE + 4), (fd_set *)&big), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_reports_socket_readable_after_peer_sends),
        cmocka_unit_test(test_select_reports_nothing_readable_before_the_peer_sends),
        cmocka_unit_test(test_select_reports_socket_writable_once_nonblocking_connect_succeeds),
        cmocka_unit_test(
            test_select_reports_listening_socket_readable_when_a_connection_is_pending),
        cmocka_unit_test(test_select_reports_peer_close_as_readable_and_recv_returns_0),
        cmocka_unit_test(test_select_reports_reset_connection_readable_and_writable),
        cmocka_unit_test(test_select_reports_refused_nonblocking_connect_in_exceptfds_only),
        cmocka_unit_test(
            test_select_never_reports_refused_nonblocking_connect_readable_or_writable),
        cmocka_unit_test(test_select_reports_unconnected_stream_socket_in_no_set),
        cmocka_unit_test(test_select_reports_unbound_udp_socket_writable_only),
        cmocka_unit_test(test_select_reports_udp_socket_readable_when_a_datagram_waits),
        cmocka_unit_test(test_select_reports_socket_with_full_send_buffer_not_writable),
        cmocka_unit_test(test_select_reports_out_of_band_data_in_exceptfds),
        cmocka_unit_test(test_select_reports_out_of_band_data_readable_with_SO_OOBINLINE),
        cmocka_unit_test(test_select_with_zero_timeout_returns_0_and_clears_the_sets),
        cmocka_unit_test(test_select_with_short_timeout_returns_0_when_nothing_is_ready),
        cmocka_unit_test(test_select_accepts_microseconds_of_a_second_or_more),
        cmocka_unit_test(test_select_without_timeout_blocks_until_a_socket_is_ready),
        cmocka_unit_test(test_select_waits_alertably_and_runs_queued_APCs),
        cmocka_unit_test(test_select_counts_a_socket_in_read_and_write_sets_twice),
        cmocka_unit_test(test_select_reports_a_socket_listed_twice_in_one_set_once),
        cmocka_unit_test(test_select_with_one_fd_set_for_read_and_write_reports_each_socket_once),
        cmocka_unit_test(test_select_handles_sets_larger_than_64_sockets_in_order),
        cmocka_unit_test(test_select_reports_every_socket_of_a_1024_socket_set),
        cmocka_unit_test(test_select_reports_socket_closed_by_another_thread_as_readable),
        cmocka_unit_test(
            test_select_on_exceptfds_only_fails_with_WSAENOTSOCK_on_close_by_another_thread),
        cmocka_unit_test(
            test_select_blocked_in_another_thread_fails_with_WSAEINTR_on_the_final_WSACleanup),
        cmocka_unit_test(test_select_with_all_sets_null_fails_with_WSAEINVAL),
        cmocka_unit_test(test_select_with_all_sets_empty_fails_with_WSAEINVAL),
        cmocka_unit_test(test_select_with_negative_timeout_fails_with_WSAEINVAL),
        cmocka_unit_test(test_select_with_a_non_socket_handle_fails_with_WSAENOTSOCK),
        cmocka_unit_test(test_select_on_a_closed_socket_fails_with_WSAENOTSOCK_and_leaves_the_sets),
        cmocka_unit_test(test_select_with_bad_pointers_fails_with_WSAEFAULT),
        cmocka_unit_test(test_select_before_WSAStartup_fails_with_WSANOTINITIALISED),
        cmocka_unit_test(test_WSAFDIsSet_is_nonzero_only_for_members),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
