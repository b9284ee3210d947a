/*
 * TCP echo over loopback: a server thread accepts one connection and sends back every byte it
 * receives until the client shuts down its sending side; the client streams a pattern, reads the
 * echo while it is still sending (select tells which way to go, so neither side can stall the
 * other), and checks every byte and the orderly close on both sides.
 *
 * usage: demo_tcp_echo [4|6|all]      exit status 0 only if every byte came back unchanged.
 */
#include "demo.h"

#define PROGRAM     "tcp-echo"
#define TOTAL_BYTES (256 * 1024)
#define CHUNK       4096

struct server {
    SOCKET listener;
    struct sockaddr_storage peer; /* what accept reported */
    unsigned long echoed;
    const char *failure; /* NULL when the server side went well */
    int error;
};

static DWORD WINAPI server_thread(void *arg)
{
    struct server *server = arg;
    static char buf[CHUNK * 2];
    int len = sizeof(server->peer), n;
    SOCKET conn;

    if (demo_wait(server->listener, 0, DEMO_TIMEOUT_SECONDS) != 1) {
        server->failure = "server: no connection to accept";
        server->error = WSAGetLastError();
        return 1;
    }
    conn = accept(server->listener, (struct sockaddr *)&server->peer, &len);
    if (conn == INVALID_SOCKET) {
        server->failure = "server: accept failed";
        server->error = WSAGetLastError();
        return 1;
    }
    for (;;) {
        if (demo_wait(conn, 0, DEMO_TIMEOUT_SECONDS) != 1) {
            server->failure = "server: nothing to receive";
            break;
        }
        if ((n = recv(conn, buf, sizeof(buf), 0)) == SOCKET_ERROR) {
            server->failure = "server: recv failed";
            break;
        }
        if (n == 0) break; /* the client shut down its sending side */
        for (int done = 0, sent; done < n; done += sent) {
            if ((sent = send(conn, buf + done, n - done, 0)) == SOCKET_ERROR) {
                server->failure = "server: send failed";
                break;
            }
        }
        if (server->failure) break;
        server->echoed += n;
    }
    if (server->failure) {
        server->error = WSAGetLastError();
    } else if (shutdown(conn, SD_SEND)) {
        server->failure = "server: shutdown(SD_SEND) failed";
        server->error = WSAGetLastError();
    }
    closesocket(conn);
    return server->failure != NULL;
}

/* Send the pattern and read its echo, interleaved; then expect the server's orderly close. */
static int exchange(SOCKET s, int af, unsigned long *chunks)
{
    static unsigned char out[CHUNK], in[CHUNK * 2];
    size_t sent = 0, received = 0;
    int shut = 0;

    for (;;) {
        fd_set readable, writable;
        struct timeval timeout = {DEMO_TIMEOUT_SECONDS, 0};
        int n;

        FD_ZERO(&readable);
        FD_ZERO(&writable);
        FD_SET(s, &readable);
        if (sent < TOTAL_BYTES) FD_SET(s, &writable);
        n = select(0, &readable, &writable, NULL, &timeout);
        if (n == SOCKET_ERROR) return demo_fail(PROGRAM, af, "select failed", WSAGetLastError());
        if (n == 0) return demo_fail(PROGRAM, af, "timed out waiting for the echo", 0);

        if (FD_ISSET(s, &readable)) {
            if ((n = recv(s, (char *)in, sizeof(in), 0)) == SOCKET_ERROR)
                return demo_fail(PROGRAM, af, "recv failed", WSAGetLastError());
            if (n == 0) break; /* the server closed its side: the echo is complete */
            if (received + n > TOTAL_BYTES)
                return demo_fail(PROGRAM, af, "received more bytes than were sent", 0);
            size_t good = demo_check(in, n, 1, received);
            if (good != (size_t)n) {
                printf("%s %s: byte %lu differs\n", PROGRAM, demo_family_name(af),
                       (unsigned long)(received + good));
                return demo_fail(PROGRAM, af, "the echo differs from what was sent", 0);
            }
            received += n;
            (*chunks)++;
        }
        if (sent < TOTAL_BYTES && FD_ISSET(s, &writable)) {
            int len = TOTAL_BYTES - sent < CHUNK ? (int)(TOTAL_BYTES - sent) : CHUNK;
            demo_fill(out, len, 1, sent);
            if ((n = send(s, (const char *)out, len, 0)) == SOCKET_ERROR)
                return demo_fail(PROGRAM, af, "send failed", WSAGetLastError());
            sent += n;
        }
        if (sent == TOTAL_BYTES && !shut) {
            if (shutdown(s, SD_SEND))
                return demo_fail(PROGRAM, af, "shutdown(SD_SEND) failed", WSAGetLastError());
            shut = 1;
        }
    }
    if (received != TOTAL_BYTES) {
        printf("%s %s: the connection closed after %lu of %lu bytes\n", PROGRAM,
               demo_family_name(af), (unsigned long)received, (unsigned long)TOTAL_BYTES);
        return demo_fail(PROGRAM, af, "the echo is incomplete", 0);
    }
    return 0;
}

static int run(int af)
{
    const char *family = demo_family_name(af);
    struct server server = {INVALID_SOCKET, {0}, 0, NULL, 0};
    struct sockaddr_storage addr, local;
    char text[80], text2[80];
    int len, failed = 1;
    unsigned long chunks = 0;
    SOCKET client = INVALID_SOCKET;
    HANDLE thread = NULL;

    if ((server.listener = socket(af, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
        return demo_fail(PROGRAM, af, "socket failed", WSAGetLastError());
    len = demo_loopback(af, &addr);
    if (bind(server.listener, (struct sockaddr *)&addr, len)) {
        demo_fail(PROGRAM, af, "bind to the loopback address failed", WSAGetLastError());
        goto done;
    }
    if (listen(server.listener, SOMAXCONN)) {
        demo_fail(PROGRAM, af, "listen failed", WSAGetLastError());
        goto done;
    }
    /* Port 0 asked the system for a free port: find out which one it gave. */
    len = sizeof(addr);
    if (getsockname(server.listener, (struct sockaddr *)&addr, &len)) {
        demo_fail(PROGRAM, af, "getsockname failed", WSAGetLastError());
        goto done;
    }
    printf("%s %s: server listening on %s\n", PROGRAM, family,
           demo_format((struct sockaddr *)&addr, text, sizeof(text)));
    if (!(thread = CreateThread(NULL, 0, server_thread, &server, 0, NULL))) {
        demo_fail(PROGRAM, af, "cannot start the server thread", 0);
        goto done;
    }

    if ((client = socket(af, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) {
        demo_fail(PROGRAM, af, "socket failed", WSAGetLastError());
        goto done;
    }
    if (connect(client, (struct sockaddr *)&addr, len)) {
        demo_fail(PROGRAM, af, "connect failed", WSAGetLastError());
        goto done;
    }
    len = sizeof(local);
    if (getsockname(client, (struct sockaddr *)&local, &len)) {
        demo_fail(PROGRAM, af, "getsockname failed", WSAGetLastError());
        goto done;
    }
    printf("%s %s: client %s connected\n", PROGRAM, family,
           demo_format((struct sockaddr *)&local, text, sizeof(text)));
    fflush(stdout);

    if (exchange(client, af, &chunks)) goto done;

    if (WaitForSingleObject(thread, DEMO_TIMEOUT_SECONDS * 1000) != WAIT_OBJECT_0) {
        demo_fail(PROGRAM, af, "the server thread did not finish", 0);
        goto done;
    }
    if (server.failure) {
        demo_fail(PROGRAM, af, server.failure, server.error);
        goto done;
    }
    if (!demo_same_address((struct sockaddr *)&server.peer, (struct sockaddr *)&local)) {
        printf("%s %s: server accepted %s, client is %s\n", PROGRAM, family,
               demo_format((struct sockaddr *)&server.peer, text, sizeof(text)),
               demo_format((struct sockaddr *)&local, text2, sizeof(text2)));
        demo_fail(PROGRAM, af, "accept reported another peer than the client", 0);
        goto done;
    }
    printf("%s %s: server accepted %s, echoed %lu bytes\n", PROGRAM, family,
           demo_format((struct sockaddr *)&server.peer, text, sizeof(text)), server.echoed);
    printf("%s %s: client sent %lu bytes, received all %lu back in %lu reads, every byte equal;"
           " orderly close on both sides\n",
           PROGRAM, family, (unsigned long)TOTAL_BYTES, (unsigned long)TOTAL_BYTES, chunks);
    printf("%s %s: PASS\n", PROGRAM, family);
    failed = 0;

done:
    if (client != INVALID_SOCKET) closesocket(client);
    /* Closing the listener also ends a server thread still waiting to accept. */
    closesocket(server.listener);
    if (thread) {
        WaitForSingleObject(thread, DEMO_TIMEOUT_SECONDS * 1000);
        CloseHandle(thread);
    }
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
