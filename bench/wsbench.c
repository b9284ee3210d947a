/*
 * wsbench: Winsock micro-benchmarks over loopback, one program for any ws2_32.dll.
 *
 * The program imports ws2_32 by name, so the same executable measures whichever ws2_32.dll the
 * loader gives it; bench/run.sh runs it on Wine's builtin and on OpenWS2's in turn. The first
 * line says which DLL was loaded; then each sub-benchmark prints one line
 *     metric <name> <rate>
 * where the rate is operations per second (MB/s, 10^6 bytes, for tcp_bulk_MBps). Lines that
 * start with '#' are details for people. A failed call stops the program with exit status 1.
 *
 * Every sub-benchmark runs for a fixed time (--duration, 0.5 s by default) or until a fixed
 * number of operations, whichever comes first, in slices whose median rate is reported (see
 * TIMED). Only loopback addresses are used.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "openws2/identity.h"

#define CHUNK 65536
/* Not a multiple of CHUNK, so the pattern wraps at a different place in every chunk. */
#define PATTERN_LEN (1048576 - 4093)
#define SELECT_MAX  1024 /* select and WSAPoll run over 1, 64 and this many sockets */
#define ECHO_CONNS  16   /* connections of the IOCP and event-select echo servers */

/* Upper bounds on the number of operations of one sub-benchmark. */
#define MAX_NET_OPS  1000000LL  /* round trips, connections, select calls */
#define MAX_CALL_OPS 50000000LL /* calls that may never leave the process */

static double duration = 0.5;
static unsigned long long bulk_max = 64ull << 20;
static const char *only;
static const char *hosts_name; /* a name the hosts files list (--hosts-name) */
static long long fixed_count;  /* --count: run every metric exactly this many operations */
static LARGE_INTEGER qpc_freq;
static unsigned char *pattern;

static double now(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)qpc_freq.QuadPart;
}

static void fail(const char *what)
{
    int err = WSAGetLastError();
    printf("wsbench: FAIL: %s (error %d)\n", what, err);
    fflush(stdout);
    ExitProcess(1);
}

static void check(int ok, const char *what)
{
    if (!ok) fail(what);
}

static BOOL only_exact; /* --exact: ONLY is a whole metric name */

static BOOL wanted(const char *name)
{
    if (!only) return TRUE;
    return only_exact ? !strcmp(name, only) : strstr(name, only) != NULL;
}

/*
 * A sub-benchmark's time is cut into SLICES equal slices, each measured on its own; the rate
 * reported is the median slice's. A burst of other work on the machine then spoils one slice
 * instead of the whole figure.
 */
#define SLICES 5

struct slices {
    double rate[SLICES];
    long long ops;
    double secs;
};

static void report(const char *name, struct slices *sl)
{
    for (int i = 1; i < SLICES; i++) {
        for (int j = i; j > 0 && sl->rate[j - 1] > sl->rate[j]; j--) {
            double t = sl->rate[j];
            sl->rate[j] = sl->rate[j - 1];
            sl->rate[j - 1] = t;
        }
    }
    printf("# %s: %lld operations in %.3f s; slice rates %.1f..%.1f\n", name, sl->ops, sl->secs,
           sl->rate[0], sl->rate[SLICES - 1]);
    printf("metric %s %.1f\n", name, sl->rate[SLICES / 2]);
    fflush(stdout);
}

/*
 * Runs BODY in batches of BATCH, after one untimed batch to warm up, for SLICES slices of
 * duration / SLICES seconds or MAX / SLICES operations each, whichever ends first, and reports
 * the median slice's operations per second. BODY calls fail() on error.
 */
#define TIMED(name, batch, max, body)                                                              \
    do {                                                                                           \
        struct slices sl_ = {{0}, 0, 0};                                                           \
        if (fixed_count) {                                                                         \
            for (long long n_ = 0; n_ < fixed_count; n_++) {                                       \
                body;                                                                              \
            }                                                                                      \
            printf("metric %s %lld\n", name, fixed_count);                                         \
            fflush(stdout);                                                                        \
            break;                                                                                 \
        }                                                                                          \
        for (int i_ = 0; i_ < (batch); i_++) {                                                     \
            body;                                                                                  \
        }                                                                                          \
        for (int s_ = 0; s_ < SLICES; s_++) {                                                      \
            long long ops_ = 0;                                                                    \
            double start_ = now(), secs_;                                                          \
            do {                                                                                   \
                for (int i_ = 0; i_ < (batch); i_++) {                                             \
                    body;                                                                          \
                }                                                                                  \
                ops_ += (batch);                                                                   \
                secs_ = now() - start_;                                                            \
            } while (secs_ < duration / SLICES && ops_ < (max) / SLICES);                          \
            sl_.rate[s_] = (double)ops_ / secs_;                                                   \
            sl_.ops += ops_;                                                                       \
            sl_.secs += secs_;                                                                     \
        }                                                                                          \
        report(name, &sl_);                                                                        \
    } while (0)

/* ---- which ws2_32.dll this is ---- */

static void print_dll(void)
{
    /* The import was resolved before main: ask the loader which file it took. */
    HMODULE module = GetModuleHandleA("ws2_32.dll");
    char path[MAX_PATH];

    if (!module || !GetModuleFileNameA(module, path, sizeof(path)))
        strcpy(path, "(no ws2_32.dll loaded)");
    printf("ws2_32 %s %s\n", module && openws2_is_module(module) ? "openws2" : "other", path);
    fflush(stdout);
}

/* ---- sockets ---- */

static int loopback(struct sockaddr_in *addr, unsigned short port)
{
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons(port);
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof(*addr);
}

static SOCKET tcp_listener(struct sockaddr_in *addr)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = loopback(addr, 0);

    check(s != INVALID_SOCKET, "socket(SOCK_STREAM)");
    check(!bind(s, (struct sockaddr *)addr, len), "bind");
    check(!listen(s, SOMAXCONN), "listen");
    check(!getsockname(s, (struct sockaddr *)addr, &len), "getsockname(listener)");
    return s;
}

static void tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET listener = tcp_listener(&addr);

    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(*client != INVALID_SOCKET, "socket(SOCK_STREAM)");
    check(!connect(*client, (struct sockaddr *)&addr, sizeof(addr)), "connect");
    *server = accept(listener, NULL, NULL);
    check(*server != INVALID_SOCKET, "accept");
    closesocket(listener);
}

static void set_nodelay(SOCKET s)
{
    int one = 1;
    check(!setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one)),
          "setsockopt(TCP_NODELAY)");
}

static SOCKET udp_bound(struct sockaddr_in *addr)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int len = loopback(addr, 0);

    check(s != INVALID_SOCKET, "socket(SOCK_DGRAM)");
    check(!bind(s, (struct sockaddr *)addr, len), "bind(udp)");
    check(!getsockname(s, (struct sockaddr *)addr, &len), "getsockname(udp)");
    return s;
}

/* Thread ids are printed so that the trace mode of bench/run.sh can tell this program's
   wineserver requests from other processes'. */
static HANDLE start_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    DWORD id;
    HANDLE thread = CreateThread(NULL, 0, fn, arg, 0, &id);
    check(thread != NULL, "CreateThread");
    printf("# thread %04lx\n", (unsigned long)id);
    fflush(stdout);
    return thread;
}

static void join_thread(HANDLE thread)
{
    DWORD code = 1;
    WaitForSingleObject(thread, INFINITE);
    GetExitCodeThread(thread, &code);
    CloseHandle(thread);
    check(code == 0, "server thread");
}

/* ---- TCP bulk stream ---- */

struct bulk_reply {
    unsigned long long received;
    unsigned long long ok;
};

/* Receives until the peer shuts down, comparing every byte with the pattern at its stream
   offset, then answers with the count and the verdict. */
static DWORD WINAPI bulk_server(void *arg)
{
    SOCKET s = (SOCKET)arg;
    unsigned char *buf = malloc(CHUNK);
    struct bulk_reply reply = {0, 1};
    int n;

    if (!buf) return 1;
    while ((n = recv(s, (char *)buf, CHUNK, 0)) > 0) {
        size_t at = (size_t)(reply.received % PATTERN_LEN), left = (size_t)n;
        const unsigned char *p = buf;
        while (left) {
            size_t m = left < PATTERN_LEN - at ? left : PATTERN_LEN - at;
            if (memcmp(p, pattern + at, m)) reply.ok = 0;
            p += m;
            left -= m;
            at = 0;
        }
        reply.received += (unsigned long long)n;
    }
    free(buf);
    if (n < 0) return 1;
    return send(s, (const char *)&reply, sizeof(reply), 0) == sizeof(reply) ? 0 : 1;
}

static void bench_tcp_bulk(void)
{
    SOCKET c, srv;
    HANDLE thread;
    struct bulk_reply reply;
    unsigned long long sent = 0;
    double start, secs;
    int got = 0, n;

    if (!wanted("tcp_bulk_MBps") || fixed_count) return; /* a stream, not operations */
    tcp_pair(&c, &srv);
    thread = start_thread(bulk_server, (void *)srv);
    start = now();
    do {
        size_t at = (size_t)(sent % PATTERN_LEN);
        size_t m = CHUNK < PATTERN_LEN - at ? CHUNK : PATTERN_LEN - at;
        if (m > bulk_max - sent) m = (size_t)(bulk_max - sent);
        n = send(c, (const char *)pattern + at, (int)m, 0);
        check(n > 0, "send(bulk)");
        sent += (unsigned long long)n;
    } while (sent < bulk_max && now() - start < duration);
    check(!shutdown(c, SD_SEND), "shutdown(SD_SEND)");
    while (got < (int)sizeof(reply)) {
        n = recv(c, (char *)&reply + got, (int)sizeof(reply) - got, 0);
        check(n > 0, "recv(bulk reply)");
        got += n;
    }
    secs = now() - start;
    join_thread(thread);
    closesocket(c);
    closesocket(srv);
    if (reply.received != sent || !reply.ok) {
        printf("wsbench: FAIL: tcp_bulk: sent %llu bytes, peer received %llu, content %s\n", sent,
               reply.received, reply.ok ? "verified" : "CORRUPT");
        fflush(stdout);
        ExitProcess(1);
    }
    printf("# tcp_bulk_MBps: %llu bytes sent, received and verified byte for byte in %.3f s\n",
           sent, secs);
    printf("metric tcp_bulk_MBps %.1f\n", (double)sent / 1e6 / secs);
    fflush(stdout);
}

/* ---- request/response ---- */

/* Echoes one byte at a time until the peer closes. */
static DWORD WINAPI tcp_echo_server(void *arg)
{
    SOCKET s = (SOCKET)arg;
    char b;
    while (recv(s, &b, 1, 0) == 1) {
        if (send(s, &b, 1, 0) != 1) return 1;
    }
    return 0;
}

static void tcp_round_trip(SOCKET c)
{
    char b = 'x';
    check(send(c, &b, 1, 0) == 1, "send(tcp_rr)");
    check(recv(c, &b, 1, 0) == 1 && b == 'x', "recv(tcp_rr)");
}

static void bench_tcp_rr(void)
{
    SOCKET c, srv;
    HANDLE thread;

    if (!wanted("tcp_rr")) return;
    tcp_pair(&c, &srv);
    set_nodelay(c);
    set_nodelay(srv);
    thread = start_thread(tcp_echo_server, (void *)srv);
    TIMED("tcp_rr", 1, MAX_NET_OPS, tcp_round_trip(c));
    closesocket(c);
    join_thread(thread);
    closesocket(srv);
}

/* Serves one connection after another: one byte in, one byte out, close. 'Q' ends it. */
static DWORD WINAPI tcp_accept_server(void *arg)
{
    SOCKET listener = (SOCKET)arg;
    for (;;) {
        SOCKET a = accept(listener, NULL, NULL);
        char b;
        if (a == INVALID_SOCKET) return 1;
        if (recv(a, &b, 1, 0) != 1) {
            closesocket(a);
            return 1;
        }
        if (b == 'Q') {
            closesocket(a);
            return 0;
        }
        if (send(a, &b, 1, 0) != 1) {
            closesocket(a);
            return 1;
        }
        closesocket(a);
    }
}

static void tcp_connect_once(const struct sockaddr_in *addr, char b)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(s != INVALID_SOCKET, "socket(tcp_connect)");
    check(!connect(s, (const struct sockaddr *)addr, sizeof(*addr)), "connect(tcp_connect)");
    check(send(s, &b, 1, 0) == 1, "send(tcp_connect)");
    if (b != 'Q') check(recv(s, &b, 1, 0) == 1, "recv(tcp_connect)");
    check(!closesocket(s), "closesocket(tcp_connect)");
}

static void bench_tcp_connect(void)
{
    struct sockaddr_in addr;
    SOCKET listener;
    HANDLE thread;

    if (!wanted("tcp_connect")) return;
    listener = tcp_listener(&addr);
    thread = start_thread(tcp_accept_server, (void *)listener);
    TIMED("tcp_connect", 1, MAX_NET_OPS, tcp_connect_once(&addr, 'x'));
    tcp_connect_once(&addr, 'Q');
    join_thread(thread);
    closesocket(listener);
}

/* Echoes datagrams to their sender until one starts with 'Q'. */
static DWORD WINAPI udp_echo_server(void *arg)
{
    SOCKET s = (SOCKET)arg;
    for (;;) {
        struct sockaddr_in from;
        int len = sizeof(from), n;
        char buf[16];
        n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        if (n <= 0) return 1;
        if (buf[0] == 'Q') return 0;
        if (sendto(s, buf, n, 0, (struct sockaddr *)&from, len) != n) return 1;
    }
}

static void udp_round_trip(SOCKET c, const struct sockaddr_in *to, char b)
{
    struct sockaddr_in from;
    int len = sizeof(from);
    char buf[16];
    check(sendto(c, &b, 1, 0, (const struct sockaddr *)to, sizeof(*to)) == 1, "sendto(udp_rr)");
    if (b == 'Q') return;
    check(recvfrom(c, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 1 && buf[0] == b,
          "recvfrom(udp_rr)");
}

static void bench_udp_rr(void)
{
    struct sockaddr_in server_addr, client_addr;
    SOCKET srv, c;
    HANDLE thread;

    if (!wanted("udp_rr")) return;
    srv = udp_bound(&server_addr);
    c = udp_bound(&client_addr);
    thread = start_thread(udp_echo_server, (void *)srv);
    TIMED("udp_rr", 1, MAX_NET_OPS, udp_round_trip(c, &server_addr, 'x'));
    udp_round_trip(c, &server_addr, 'Q');
    join_thread(thread);
    closesocket(c);
    closesocket(srv);
}

/* ---- select ---- */

/* An fd_set as programs that define FD_SETSIZE as SELECT_MAX declare it. */
struct big_fd_set {
    u_int fd_count;
    SOCKET fd_array[SELECT_MAX];
};

/* select on COUNT sockets that all have a datagram waiting: each call reports them all. */
static void select_ready(const SOCKET *socks, u_int count)
{
    static struct big_fd_set rd;
    struct timeval zero = {0, 0};
    rd.fd_count = count;
    memcpy(rd.fd_array, socks, count * sizeof(SOCKET));
    check(select(0, (fd_set *)&rd, NULL, NULL, &zero) == (int)count, "select");
}

/* WSAPoll on COUNT such sockets: each call reports them all readable. */
static void poll_ready(WSAPOLLFD *fds, ULONG count)
{
    check(WSAPoll(fds, count, 0) == (int)count, "WSAPoll");
    check(fds[count - 1].revents == POLLRDNORM, "WSAPoll revents");
}

static void bench_select(void)
{
    static SOCKET socks[SELECT_MAX];
    static WSAPOLLFD fds[SELECT_MAX];
    static const u_int counts[] = {1, 64, SELECT_MAX};
    SOCKET sender;
    struct sockaddr_in addr;
    struct big_fd_set rd;
    struct timeval wait = {5, 0};
    char name[32];
    BOOL any = FALSE;

    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        snprintf(name, sizeof(name), "select_%u", counts[i]);
        any |= wanted(name);
        snprintf(name, sizeof(name), "poll_%u", counts[i]);
        any |= wanted(name);
    }
    if (!any) return;
    sender = udp_bound(&addr);
    for (int i = 0; i < SELECT_MAX; i++) {
        socks[i] = udp_bound(&addr);
        check(sendto(sender, "x", 1, 0, (struct sockaddr *)&addr, sizeof(addr)) == 1,
              "sendto(select setup)");
        fds[i].fd = socks[i];
        fds[i].events = POLLRDNORM;
    }
    /* Loopback delivery is immediate, but wait for the last datagram to be sure. */
    rd.fd_count = 1;
    rd.fd_array[0] = socks[SELECT_MAX - 1];
    check(select(0, (fd_set *)&rd, NULL, NULL, &wait) == 1, "select(setup)");
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        int batch = counts[i] >= 1024 ? 1 : 16;
        snprintf(name, sizeof(name), "select_%u", counts[i]);
        if (wanted(name)) TIMED(name, batch, MAX_NET_OPS, select_ready(socks, counts[i]));
    }
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        int batch = counts[i] >= 1024 ? 1 : 16;
        snprintf(name, sizeof(name), "poll_%u", counts[i]);
        if (wanted(name)) TIMED(name, batch, MAX_NET_OPS, poll_ready(fds, counts[i]));
    }
    for (int i = 0; i < SELECT_MAX; i++) closesocket(socks[i]);
    closesocket(sender);
}

/* ---- echo servers over ECHO_CONNS connections: IOCP with AcceptEx, and WSAEventSelect ---- */

/* The client side of both: every round sends one byte on each connection, then reads every
   echo. */
static void echo_round(const SOCKET *conns)
{
    char b = 'e';
    for (int i = 0; i < ECHO_CONNS; i++) check(send(conns[i], &b, 1, 0) == 1, "send(echo)");
    for (int i = 0; i < ECHO_CONNS; i++)
        check(recv(conns[i], &b, 1, 0) == 1 && b == 'e', "recv(echo)");
}

static void echo_clients(const struct sockaddr_in *addr, SOCKET *conns)
{
    for (int i = 0; i < ECHO_CONNS; i++) {
        conns[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        check(conns[i] != INVALID_SOCKET, "socket(echo client)");
        check(!connect(conns[i], (const struct sockaddr *)addr, sizeof(*addr)), "connect(echo)");
        set_nodelay(conns[i]);
    }
}

enum iocp_op { OP_ACCEPT, OP_RECV, OP_SEND };

struct iocp_conn {
    OVERLAPPED ov;
    enum iocp_op op;
    SOCKET s;
    char buf[256];
    char addrs[2 * (sizeof(struct sockaddr_in6) + 16)];
};

struct iocp_server {
    SOCKET listener;
    HANDLE port;
    LPFN_ACCEPTEX accept_ex;
    struct iocp_conn conns[ECHO_CONNS];
};

static BOOL iocp_post_recv(struct iocp_conn *c)
{
    WSABUF buf = {sizeof(c->buf), c->buf};
    DWORD flags = 0;
    memset(&c->ov, 0, sizeof(c->ov));
    c->op = OP_RECV;
    return !WSARecv(c->s, &buf, 1, NULL, &flags, &c->ov, NULL) ||
           WSAGetLastError() == WSA_IO_PENDING;
}

static BOOL iocp_post_send(struct iocp_conn *c, DWORD len)
{
    WSABUF buf = {len, c->buf};
    memset(&c->ov, 0, sizeof(c->ov));
    c->op = OP_SEND;
    return !WSASend(c->s, &buf, 1, NULL, 0, &c->ov, NULL) || WSAGetLastError() == WSA_IO_PENDING;
}

/* One worker thread: accepts with AcceptEx, echoes with WSARecv/WSASend, ends when every
   connection has closed. */
static DWORD WINAPI iocp_server_thread(void *arg)
{
    struct iocp_server *srv = arg;
    int open = ECHO_CONNS;

    while (open) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        BOOL ok = GetQueuedCompletionStatus(srv->port, &bytes, &key, &ov, 30000);
        struct iocp_conn *c = (struct iocp_conn *)ov;
        if (!ov) return 1;
        switch (c->op) {
        case OP_ACCEPT:
            if (!ok || setsockopt(c->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                                  (const char *)&srv->listener, sizeof(srv->listener)))
                return 1;
            if (!CreateIoCompletionPort((HANDLE)c->s, srv->port, 0, 0) || !iocp_post_recv(c))
                return 1;
            break;
        case OP_RECV:
            if (!ok) return 1;
            if (!bytes) {
                closesocket(c->s);
                open--;
            } else if (!iocp_post_send(c, bytes)) {
                return 1;
            }
            break;
        case OP_SEND:
            if (!ok || !iocp_post_recv(c)) return 1;
            break;
        }
    }
    return 0;
}

static void bench_iocp_echo(void)
{
    static struct iocp_server srv;
    GUID guid = WSAID_ACCEPTEX;
    struct sockaddr_in addr;
    SOCKET conns[ECHO_CONNS];
    DWORD got;
    HANDLE thread;

    if (!wanted("iocp_echo_16")) return;
    memset(&srv, 0, sizeof(srv));
    srv.listener = tcp_listener(&addr);
    check(!WSAIoctl(srv.listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                    &srv.accept_ex, sizeof(srv.accept_ex), &got, NULL, NULL),
          "WSAIoctl(AcceptEx)");
    srv.port = CreateIoCompletionPort((HANDLE)srv.listener, NULL, 0, 1);
    check(srv.port != NULL, "CreateIoCompletionPort");
    for (int i = 0; i < ECHO_CONNS; i++) {
        struct iocp_conn *c = &srv.conns[i];
        c->s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        check(c->s != INVALID_SOCKET, "socket(accept)");
        set_nodelay(c->s);
        c->op = OP_ACCEPT;
        check(srv.accept_ex(srv.listener, c->s, c->addrs, 0, sizeof(struct sockaddr_in6) + 16,
                            sizeof(struct sockaddr_in6) + 16, &got, &c->ov) ||
                  WSAGetLastError() == ERROR_IO_PENDING,
              "AcceptEx");
    }
    thread = start_thread(iocp_server_thread, &srv);
    echo_clients(&addr, conns);
    TIMED("iocp_echo_16", 1, MAX_NET_OPS, echo_round(conns));
    for (int i = 0; i < ECHO_CONNS; i++) closesocket(conns[i]);
    join_thread(thread);
    closesocket(srv.listener);
    CloseHandle(srv.port);
}

/* One thread serves every connection: WSAEventSelect, WSAWaitForMultipleEvents,
   WSAEnumNetworkEvents, then reads and echoes what arrived. */
static DWORD WINAPI eventselect_server_thread(void *arg)
{
    SOCKET listener = (SOCKET)arg;
    SOCKET conns[ECHO_CONNS];
    WSAEVENT events[ECHO_CONNS];
    int open = ECHO_CONNS;

    for (int i = 0; i < ECHO_CONNS; i++) {
        if ((conns[i] = accept(listener, NULL, NULL)) == INVALID_SOCKET) return 1;
        set_nodelay(conns[i]);
        if ((events[i] = WSACreateEvent()) == WSA_INVALID_EVENT) return 1;
        if (WSAEventSelect(conns[i], events[i], FD_READ | FD_CLOSE)) return 1;
    }
    while (open) {
        DWORD w = WSAWaitForMultipleEvents(ECHO_CONNS, events, FALSE, 30000, FALSE);
        int first;
        if (w >= WSA_WAIT_EVENT_0 + ECHO_CONNS) return 1;
        first = (int)(w - WSA_WAIT_EVENT_0);
        /* Serve every connection whose event is set, not only the first. */
        for (int i = first; i < ECHO_CONNS; i++) {
            WSANETWORKEVENTS ne;
            char buf[256];
            int n;
            if (conns[i] == INVALID_SOCKET) continue;
            if (WSAEnumNetworkEvents(conns[i], events[i], &ne)) return 1;
            if (ne.lNetworkEvents & FD_READ) {
                n = recv(conns[i], buf, sizeof(buf), 0);
                if (n > 0 && send(conns[i], buf, n, 0) != n) return 1;
                if (n < 0 && WSAGetLastError() != WSAEWOULDBLOCK) return 1;
            }
            if (ne.lNetworkEvents & FD_CLOSE) {
                closesocket(conns[i]);
                conns[i] = INVALID_SOCKET;
                open--;
            }
        }
    }
    for (int i = 0; i < ECHO_CONNS; i++) WSACloseEvent(events[i]);
    return 0;
}

static void bench_eventselect_echo(void)
{
    struct sockaddr_in addr;
    SOCKET listener, conns[ECHO_CONNS];
    HANDLE thread;

    if (!wanted("eventselect_echo_16")) return;
    listener = tcp_listener(&addr);
    thread = start_thread(eventselect_server_thread, (void *)listener);
    echo_clients(&addr, conns);
    TIMED("eventselect_echo_16", 1, MAX_NET_OPS, echo_round(conns));
    for (int i = 0; i < ECHO_CONNS; i++) closesocket(conns[i]);
    join_thread(thread);
    closesocket(listener);
}

/* ---- name resolution ---- */

static void resolve_once(const char *name, int family)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    check(!getaddrinfo(name, "80", &hints, &res) && res, "getaddrinfo");
    freeaddrinfo(res);
}

static void bench_getaddrinfo(void)
{
    if (wanted("getaddrinfo_numeric"))
        TIMED("getaddrinfo_numeric", 16, MAX_NET_OPS, resolve_once("127.0.0.1", AF_INET));
    if (wanted("getaddrinfo_localhost"))
        TIMED("getaddrinfo_localhost", 16, MAX_NET_OPS, resolve_once("localhost", AF_UNSPEC));
    if (hosts_name && wanted("getaddrinfo_hosts"))
        TIMED("getaddrinfo_hosts", 16, MAX_NET_OPS, resolve_once(hosts_name, AF_UNSPEC));
}

/* ---- calls on one socket ---- */

static void get_int(SOCKET s, int level, int name, const char *what, int *value)
{
    int len = sizeof(*value);
    check(!getsockopt(s, level, name, (char *)value, &len), what);
}

static void bench_socket_calls(void)
{
    SOCKET c, srv;
    int value;
    u_long blocking = 0;
    int one = 1;
    struct sockaddr_in addr;
    int len;

    tcp_pair(&c, &srv);
    if (wanted("getsockopt_SO_TYPE")) {
        TIMED("getsockopt_SO_TYPE", 64, MAX_CALL_OPS, {
            get_int(c, SOL_SOCKET, SO_TYPE, "getsockopt(SO_TYPE)", &value);
            check(value == SOCK_STREAM, "getsockopt(SO_TYPE) value");
        });
    }
    if (wanted("getsockopt_SO_RCVBUF")) {
        TIMED("getsockopt_SO_RCVBUF", 64, MAX_CALL_OPS, {
            get_int(c, SOL_SOCKET, SO_RCVBUF, "getsockopt(SO_RCVBUF)", &value);
            check(value > 0, "getsockopt(SO_RCVBUF) value");
        });
    }
    if (wanted("ioctlsocket_FIONBIO")) {
        TIMED("ioctlsocket_FIONBIO", 64, MAX_CALL_OPS,
              check(!ioctlsocket(c, FIONBIO, &blocking), "ioctlsocket(FIONBIO)"));
    }
    if (wanted("getsockname")) {
        TIMED("getsockname", 64, MAX_CALL_OPS, {
            len = sizeof(addr);
            check(!getsockname(c, (struct sockaddr *)&addr, &len) && addr.sin_family == AF_INET,
                  "getsockname");
        });
    }
    if (wanted("setsockopt_TCP_NODELAY")) {
        TIMED("setsockopt_TCP_NODELAY", 64, MAX_CALL_OPS,
              check(!setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one)),
                    "setsockopt(TCP_NODELAY)"));
    }
    closesocket(c);
    closesocket(srv);
}

static void socket_close_once(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(s != INVALID_SOCKET, "socket(socket_closesocket)");
    check(!closesocket(s), "closesocket(socket_closesocket)");
}

static void startup_cleanup_once(void)
{
    WSADATA data;
    int err = WSAStartup(MAKEWORD(2, 2), &data);
    if (err) WSASetLastError(err);
    check(!err, "WSAStartup");
    check(!WSACleanup(), "WSACleanup");
}

/* ---- main ---- */

static DWORD WINAPI watchdog(void *arg)
{
    Sleep((DWORD)(size_t)arg);
    printf("wsbench: FAIL: still running after %lu s; something hangs\n",
           (unsigned long)((size_t)arg / 1000));
    fflush(stdout);
    ExitProcess(3);
}

static void usage(void)
{
    printf("usage: wsbench [--duration SECONDS] [--bulk-mib N] [--quick] [--only NAME]\n"
           "               [--exact NAME] [--hosts-name NAME] [--count N]\n"
           "  --duration S  time of each sub-benchmark (default 0.5)\n"
           "  --bulk-mib N  upper bound of the TCP bulk stream in MiB (default 64)\n"
           "  --quick       smoke run: 0.02 s each, bulk up to 4 MiB\n"
           "  --only NAME   run only the metrics whose name contains NAME\n"
           "  --exact NAME  run only the metric called NAME\n"
           "  --hosts-name NAME  also time getaddrinfo of NAME, a name the hosts files list\n"
           "  --count N     run every metric exactly N operations, untimed (for request counts)\n");
}

int main(int argc, char **argv)
{
    WSADATA data;
    unsigned int seed = 0x2545f491u;
    int err;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            duration = 0.02;
            bulk_max = 4ull << 20;
        } else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
            duration = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--bulk-mib") && i + 1 < argc) {
            bulk_max = strtoull(argv[++i], NULL, 10) << 20;
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            only = argv[++i];
        } else if (!strcmp(argv[i], "--exact") && i + 1 < argc) {
            only = argv[++i];
            only_exact = TRUE;
        } else if (!strcmp(argv[i], "--hosts-name") && i + 1 < argc) {
            hosts_name = argv[++i];
        } else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            fixed_count = atoll(argv[++i]);
            if (fixed_count <= 0) {
                usage();
                return 2;
            }
        } else {
            usage();
            return 2;
        }
    }
    if (duration <= 0 || duration > 60 || !bulk_max || bulk_max > (4096ull << 20)) {
        usage();
        return 2;
    }

    print_dll();
    printf("# thread %04lx\n", (unsigned long)GetCurrentThreadId());
    printf("# duration %.3f s per sub-benchmark, TCP bulk stream up to %llu MiB\n", duration,
           bulk_max >> 20);
    fflush(stdout);
    QueryPerformanceFrequency(&qpc_freq);
    CloseHandle(start_thread(watchdog, (void *)(size_t)((60 + 40 * duration) * 1000)));

    if (!(pattern = malloc(PATTERN_LEN))) {
        printf("wsbench: FAIL: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < PATTERN_LEN; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        pattern[i] = (unsigned char)(seed >> 24);
    }

    /* Before anything else holds Winsock started: every WSACleanup here is the final one. */
    if (wanted("startup_cleanup_final"))
        TIMED("startup_cleanup_final", 16, MAX_NET_OPS, startup_cleanup_once());

    if ((err = WSAStartup(MAKEWORD(2, 2), &data))) {
        printf("wsbench: FAIL: WSAStartup: %d\n", err);
        return 1;
    }
    /* With the outer startup held, a pair only counts up and down. */
    if (wanted("startup_cleanup_nested"))
        TIMED("startup_cleanup_nested", 64, MAX_CALL_OPS, startup_cleanup_once());
    bench_socket_calls();
    if (wanted("socket_closesocket"))
        TIMED("socket_closesocket", 16, MAX_NET_OPS, socket_close_once());
    bench_select();
    bench_getaddrinfo();
    bench_iocp_echo();
    bench_eventselect_echo();
    bench_udp_rr();
    bench_tcp_rr();
    bench_tcp_connect();
    bench_tcp_bulk();
    WSACleanup();
    printf("# done\n");
    fflush(stdout);
    free(pattern);
    return 0;
}
