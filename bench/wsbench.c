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
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "openws2/identity.h"

#define CHUNK 65536
/* Not a multiple of CHUNK, so the pattern wraps at a different place in every chunk. */
#define PATTERN_LEN (1048576 - 4093)
#define SELECT_MAX  64

/* Upper bounds on the number of operations of one sub-benchmark. */
#define MAX_NET_OPS  1000000LL  /* round trips, connections, select calls */
#define MAX_CALL_OPS 50000000LL /* calls that may never leave the process */

static double duration = 0.5;
static unsigned long long bulk_max = 64ull << 20;
static const char *only;
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

static BOOL wanted(const char *name)
{
    return !only || strstr(name, only) != NULL;
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

static HANDLE start_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE thread = CreateThread(NULL, 0, fn, arg, 0, NULL);
    check(thread != NULL, "CreateThread");
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

    if (!wanted("tcp_bulk_MBps")) return;
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

/* select on COUNT sockets that all have a datagram waiting: each call reports them all. */
static void select_ready(const SOCKET *socks, u_int count)
{
    struct timeval zero = {0, 0};
    fd_set rd;
    rd.fd_count = count;
    memcpy(rd.fd_array, socks, count * sizeof(SOCKET));
    check(select(0, &rd, NULL, NULL, &zero) == (int)count, "select");
}

static void bench_select(void)
{
    SOCKET socks[SELECT_MAX], sender;
    struct sockaddr_in addr;
    fd_set rd;
    struct timeval wait = {5, 0};

    if (!wanted("select_1") && !wanted("select_64")) return;
    sender = udp_bound(&addr);
    for (int i = 0; i < SELECT_MAX; i++) {
        socks[i] = udp_bound(&addr);
        check(sendto(sender, "x", 1, 0, (struct sockaddr *)&addr, sizeof(addr)) == 1,
              "sendto(select setup)");
    }
    /* Loopback delivery is immediate, but wait for the last datagram to be sure. */
    FD_ZERO(&rd);
    FD_SET(socks[SELECT_MAX - 1], &rd);
    check(select(0, &rd, NULL, NULL, &wait) == 1, "select(setup)");
    if (wanted("select_1")) TIMED("select_1", 16, MAX_NET_OPS, select_ready(socks, 1));
    if (wanted("select_64")) TIMED("select_64", 16, MAX_NET_OPS, select_ready(socks, SELECT_MAX));
    for (int i = 0; i < SELECT_MAX; i++) closesocket(socks[i]);
    closesocket(sender);
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
           "  --duration S  time of each sub-benchmark (default 0.5)\n"
           "  --bulk-mib N  upper bound of the TCP bulk stream in MiB (default 64)\n"
           "  --quick       smoke run: 0.02 s each, bulk up to 4 MiB\n"
           "  --only NAME   run only the metrics whose name contains NAME\n");
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
