/*
 * UDP echo over loopback: a server thread answers every datagram with the same bytes, sent back
 * to the address recvfrom reported; the client sends datagrams of several sizes one at a time
 * and checks that each answer is whole, unchanged, and comes from the server's address.
 *
 * usage: demo_udp_echo [4|6|all]      exit status 0 only if every datagram came back unchanged.
 */
#include "demo.h"

#define PROGRAM      "udp-echo"
#define MAX_DATAGRAM 32768

static const int sizes[] = {1, 64, 512, 1472, 8192, MAX_DATAGRAM};
#define COUNT ((int)(sizeof(sizes) / sizeof(sizes[0])))

struct server {
    SOCKET s;
    struct sockaddr_storage peer; /* the sender of the first datagram */
    int answered;
    const char *failure;
    int error;
};

static DWORD WINAPI server_thread(void *arg)
{
    struct server *server = arg;
    static char buf[MAX_DATAGRAM * 2];

    while (server->answered < COUNT) {
        struct sockaddr_storage from;
        int len = sizeof(from), n;

        if (demo_wait(server->s, 0, DEMO_TIMEOUT_SECONDS) != 1) {
            server->failure = "server: no datagram arrived";
            break;
        }
        if ((n = recvfrom(server->s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)) ==
            SOCKET_ERROR) {
            server->failure = "server: recvfrom failed";
            break;
        }
        if (!server->answered) server->peer = from;
        if (sendto(server->s, buf, n, 0, (struct sockaddr *)&from, len) != n) {
            server->failure = "server: sendto failed";
            break;
        }
        server->answered++;
    }
    if (server->failure) server->error = WSAGetLastError();
    return server->failure != NULL;
}

static int run(int af)
{
    const char *family = demo_family_name(af);
    static unsigned char out[MAX_DATAGRAM], in[MAX_DATAGRAM * 2];
    struct server server = {INVALID_SOCKET, {0}, 0, NULL, 0};
    struct sockaddr_storage addr, local, from;
    char text[80], text2[80];
    int len, addr_len, n, failed = 1;
    unsigned long bytes = 0;
    SOCKET client = INVALID_SOCKET;
    HANDLE thread = NULL;

    if ((server.s = socket(af, SOCK_DGRAM, IPPROTO_UDP)) == INVALID_SOCKET)
        return demo_fail(PROGRAM, af, "socket failed", WSAGetLastError());
    if ((client = socket(af, SOCK_DGRAM, IPPROTO_UDP)) == INVALID_SOCKET) {
        demo_fail(PROGRAM, af, "socket failed", WSAGetLastError());
        goto done;
    }
    len = demo_loopback(af, &addr);
    if (bind(server.s, (struct sockaddr *)&addr, len) ||
        bind(client, (struct sockaddr *)&addr, len)) {
        demo_fail(PROGRAM, af, "bind to the loopback address failed", WSAGetLastError());
        goto done;
    }
    /* Both asked for port 0: find out which ports the system gave. */
    addr_len = sizeof(addr);
    if (getsockname(server.s, (struct sockaddr *)&addr, &addr_len)) {
        demo_fail(PROGRAM, af, "getsockname failed", WSAGetLastError());
        goto done;
    }
    len = sizeof(local);
    if (getsockname(client, (struct sockaddr *)&local, &len)) {
        demo_fail(PROGRAM, af, "getsockname failed", WSAGetLastError());
        goto done;
    }
    printf("%s %s: server on %s, client on %s\n", PROGRAM, family,
           demo_format((struct sockaddr *)&addr, text, sizeof(text)),
           demo_format((struct sockaddr *)&local, text2, sizeof(text2)));
    fflush(stdout);
    if (!(thread = CreateThread(NULL, 0, server_thread, &server, 0, NULL))) {
        demo_fail(PROGRAM, af, "cannot start the server thread", 0);
        goto done;
    }

    for (int i = 0; i < COUNT; i++) {
        demo_fill(out, sizes[i], i, 0);
        if ((n = sendto(client, (const char *)out, sizes[i], 0, (struct sockaddr *)&addr,
                        addr_len)) != sizes[i]) {
            demo_fail(PROGRAM, af, "sendto failed", n == SOCKET_ERROR ? WSAGetLastError() : 0);
            goto done;
        }
        if ((n = demo_wait(client, 0, DEMO_TIMEOUT_SECONDS)) != 1) {
            demo_fail(PROGRAM, af, n ? "select failed" : "timed out waiting for the answer",
                      n ? WSAGetLastError() : 0);
            goto done;
        }
        len = sizeof(from);
        if ((n = recvfrom(client, (char *)in, sizeof(in), 0, (struct sockaddr *)&from, &len)) ==
            SOCKET_ERROR) {
            demo_fail(PROGRAM, af, "recvfrom failed", WSAGetLastError());
            goto done;
        }
        if (n != sizes[i]) {
            printf("%s %s: sent %d bytes, the answer has %d\n", PROGRAM, family, sizes[i], n);
            demo_fail(PROGRAM, af, "the answer has another size", 0);
            goto done;
        }
        if (demo_check(in, n, i, 0) != (size_t)n) {
            printf("%s %s: datagram of %d bytes: byte %lu differs\n", PROGRAM, family, n,
                   (unsigned long)demo_check(in, n, i, 0));
            demo_fail(PROGRAM, af, "the answer differs from what was sent", 0);
            goto done;
        }
        if (!demo_same_address((struct sockaddr *)&from, (struct sockaddr *)&addr)) {
            printf("%s %s: answer from %s, the server is %s\n", PROGRAM, family,
                   demo_format((struct sockaddr *)&from, text, sizeof(text)),
                   demo_format((struct sockaddr *)&addr, text2, sizeof(text2)));
            demo_fail(PROGRAM, af, "recvfrom reported another sender than the server", 0);
            goto done;
        }
        bytes += n;
    }

    if (WaitForSingleObject(thread, DEMO_TIMEOUT_SECONDS * 1000) != WAIT_OBJECT_0) {
        demo_fail(PROGRAM, af, "the server thread did not finish", 0);
        goto done;
    }
    if (server.failure) {
        demo_fail(PROGRAM, af, server.failure, server.error);
        goto done;
    }
    if (!demo_same_address((struct sockaddr *)&server.peer, (struct sockaddr *)&local)) {
        printf("%s %s: the server saw %s, the client is %s\n", PROGRAM, family,
               demo_format((struct sockaddr *)&server.peer, text, sizeof(text)),
               demo_format((struct sockaddr *)&local, text2, sizeof(text2)));
        demo_fail(PROGRAM, af, "recvfrom reported another sender than the client", 0);
        goto done;
    }
    printf("%s %s: %d datagrams (%d to %d bytes, %lu in all) echoed, every byte equal, "
           "sender addresses right on both sides\n",
           PROGRAM, family, COUNT, sizes[0], sizes[COUNT - 1], bytes);
    printf("%s %s: PASS\n", PROGRAM, family);
    failed = 0;

done:
    /* Closing the server's socket also ends a server thread still waiting for a datagram. */
    closesocket(server.s);
    if (thread) {
        WaitForSingleObject(thread, DEMO_TIMEOUT_SECONDS * 1000);
        CloseHandle(thread);
    }
    if (client != INVALID_SOCKET) closesocket(client);
    fflush(stdout);
    return failed;
}

int main(int argc, char **argv)
{
    struct demo_families families;
    int failed = 0;

    if (demo_start(PROGRAM, argc, argv, &families)) return 1;
    for (int i = 0; i < families.count; i++) failed |= run(families.af[i]);
    WSACleanup();
    printf("%s: %s\n", PROGRAM, failed ? "FAILED" : "all exchanges passed");
    return failed;
}
