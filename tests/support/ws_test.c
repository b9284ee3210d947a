#include "ws_test.h"
#include <stdio.h>
#include <stdlib.h>
#include "openws2/identity.h"

static char dll_path[MAX_PATH];

const char *ws_test_dll_path(void)
{
    HMODULE module = GetModuleHandleW(L"ws2_32.dll");
    if (!module || !GetModuleFileNameA(module, dll_path, sizeof(dll_path)))
        strcpy(dll_path, "(no ws2_32.dll loaded)");
    return dll_path;
}

int ws_test_is_openws2(void)
{
    return openws2_is_module(GetModuleHandleW(L"ws2_32.dll"));
}

void ws_test_require_openws2(void)
{
    /* The import of ws2_32 is resolved before main; check which one the loader picked. */
    if (!ws_test_is_openws2()) {
        fprintf(stderr,
                "!!! FAIL: the ws2_32.dll in this process is not OpenWS2's (%s).\n"
                "!!! These tests prove nothing against another Winsock; refusing to run.\n",
                ws_test_dll_path());
        fflush(stderr);
        exit(1);
    }
    printf("# ws2_32 under test: %s (OpenWS2)\n", ws_test_dll_path());
    fflush(stdout);
}

int ws_test_startup(void **state)
{
    WSADATA data;
    (void)state;
    return WSAStartup(MAKEWORD(2, 2), &data);
}

int ws_test_cleanup(void **state)
{
    (void)state;
    return WSACleanup();
}

int ws_test_loopback(int af, unsigned short port, struct sockaddr_storage *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (af == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        static const IN6_ADDR loopback = IN6ADDR_LOOPBACK_INIT;
        in6->sin6_addr = loopback;
        return sizeof(*in6);
    }
    struct sockaddr_in *in = (struct sockaddr_in *)addr;
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof(*in);
}

SOCKET ws_test_listener(int af, struct sockaddr_storage *addr, int *len)
{
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    *len = ws_test_loopback(af, 0, addr);
    assert_int_equal(bind(s, (struct sockaddr *)addr, *len), 0);
    assert_int_equal(listen(s, SOMAXCONN), 0);
    *len = sizeof(*addr);
    assert_int_equal(getsockname(s, (struct sockaddr *)addr, len), 0);
    return s;
}

SOCKET ws_test_full_listener(struct sockaddr_storage *addr, int *len, SOCKET waiting[2])
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long on = 1;
    assert_true(s != INVALID_SOCKET);
    *len = ws_test_loopback(AF_INET, 0, addr);
    assert_int_equal(bind(s, (struct sockaddr *)addr, *len), 0);
    assert_int_equal(listen(s, 1), 0);
    *len = sizeof(*addr);
    assert_int_equal(getsockname(s, (struct sockaddr *)addr, len), 0);
    for (int i = 0; i < 2; i++) {
        waiting[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_int_equal(ioctlsocket(waiting[i], FIONBIO, &on), 0);
        connect(waiting[i], (struct sockaddr *)addr, *len);
    }
    Sleep(200); /* until the connections have reached the backlog */
    return s;
}

void ws_test_tcp_pair(int af, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET listener = ws_test_listener(af, &addr, &len);
    *client = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(*client != INVALID_SOCKET);
    assert_int_equal(connect(*client, (struct sockaddr *)&addr, len), 0);
    *server = accept(listener, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
    closesocket(listener);
}

void ws_test_udp_pair(int af, SOCKET *a, SOCKET *b, struct sockaddr_storage *addr_b, int *len_b)
{
    struct sockaddr_storage addr;
    int len;
    *a = socket(af, SOCK_DGRAM, IPPROTO_UDP);
    *b = socket(af, SOCK_DGRAM, IPPROTO_UDP);
    assert_true(*a != INVALID_SOCKET && *b != INVALID_SOCKET);
    len = ws_test_loopback(af, 0, &addr);
    assert_int_equal(bind(*a, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(bind(*b, (struct sockaddr *)&addr, len), 0);
    *len_b = sizeof(*addr_b);
    assert_int_equal(getsockname(*b, (struct sockaddr *)addr_b, len_b), 0);
}

static DWORD WINAPI blocked_recv_thread(void *arg)
{
    struct ws_test_blocked_recv *b = arg;
    char buf[8];
    InterlockedExchange(&b->started, 1);
    b->ret = recv(b->s, buf, sizeof(buf), 0);
    b->error = WSAGetLastError();
    return 0;
}

void ws_test_start_blocked_recv(struct ws_test_blocked_recv *b, SOCKET s)
{
    memset(b, 0, sizeof(*b));
    b->s = s;
    b->thread = CreateThread(NULL, 0, blocked_recv_thread, b, 0, NULL);
    assert_non_null(b->thread);
    while (!b->started) Sleep(1);
    Sleep(300); /* let it block inside recv */
}

int ws_test_finish_blocked_recv(struct ws_test_blocked_recv *b)
{
    int done = WaitForSingleObject(b->thread, 10000) == WAIT_OBJECT_0;
    CloseHandle(b->thread);
    return done;
}

/* A file of the source tree, whose location ctest passes in OPENWS2_SOURCE_DIR. */
char *ws_test_read_source_file(const char *relative)
{
    const char *dir = getenv("OPENWS2_SOURCE_DIR");
    char path[MAX_PATH];
    FILE *f;
    long size;
    char *text;

    if (!dir) fail_msg("OPENWS2_SOURCE_DIR is not set (run the test through ctest)");
    snprintf(path, sizeof(path), "%s/%s", dir, relative);
    if (!(f = fopen(path, "rb"))) {
        /* A Unix path, seen from Windows: it lives on the drive mapped to the root. */
        snprintf(path, sizeof(path), "Z:%s/%s", dir, relative);
        f = fopen(path, "rb");
    }
    if (!f) fail_msg("cannot open %s/%s", dir, relative);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc(size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, size, f), size);
    text[size] = 0;
    fclose(f);
    return text;
}
