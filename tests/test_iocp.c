/* Completion ports: an echo server in the Windows way (one worker, AcceptEx, overlapped WSARecv
   and WSASend over many connections) moving checksummed streams, the completion notification
   modes, the low bit of hEvent, cancellation with CancelIoEx and closesocket, and the final
   WSACleanup with operations pending on sockets bound to a port. */
#include "ws_test.h"
#include <mswsock.h>

#ifndef ERROR_HANDLES_CLOSED
#define ERROR_HANDLES_CLOSED 676 /* winerror.h's value; the SDK headers here lack it */
#endif

#define CONNECTIONS  8
#define STREAM_BYTES (256 * 1024)
#define ADDR_ROOM    (sizeof(struct sockaddr_in6) + 16)

static LPFN_ACCEPTEX accept_ex;

static void load_extensions(SOCKET s)
{
    GUID accept_guid = WSAID_ACCEPTEX;
    DWORD got;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_guid,
                              sizeof(accept_guid), &accept_ex, sizeof(accept_ex), &got, NULL, NULL),
                     0);
}

/* ---- the echo server ---- */

enum op { ACCEPTING, RECEIVING, SENDING };

struct conn {
    OVERLAPPED ov;
    enum op op;
    SOCKET s;
    char buf[4096];
    DWORD pending, sent; /* bytes of buf being echoed */
    char addrs[2 * ADDR_ROOM];
};

struct server {
    SOCKET listener;
    HANDLE port;
    struct conn conns[CONNECTIONS];
    volatile LONG failed;
};

static BOOL post_recv(struct conn *c)
{
    WSABUF b = {sizeof(c->buf), c->buf};
    DWORD flags = 0;
    memset(&c->ov, 0, sizeof(c->ov));
    c->op = RECEIVING;
    return !WSARecv(c->s, &b, 1, NULL, &flags, &c->ov, NULL) || WSAGetLastError() == WSA_IO_PENDING;
}

static BOOL post_send(struct conn *c)
{
    WSABUF b = {c->pending - c->sent, c->buf + c->sent};
    memset(&c->ov, 0, sizeof(c->ov));
    c->op = SENDING;
    return !WSASend(c->s, &b, 1, NULL, 0, &c->ov, NULL) || WSAGetLastError() == WSA_IO_PENDING;
}

static DWORD WINAPI server_worker(void *arg)
{
    struct server *srv = arg;
    int open = CONNECTIONS;

    while (open) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        BOOL ok = GetQueuedCompletionStatus(srv->port, &bytes, &key, &ov, 30000);
        struct conn *c = (struct conn *)ov;
        if (!ov) break;
        switch (c->op) {
        case ACCEPTING:
            ok = ok &&
                 !setsockopt(c->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                             (const char *)&srv->listener, sizeof(srv->listener)) &&
                 CreateIoCompletionPort((HANDLE)c->s, srv->port, 1, 0) && post_recv(c);
            break;
        case RECEIVING:
            if (ok && !bytes) {
                closesocket(c->s);
                open--;
                continue;
            }
            c->pending = bytes;
            c->sent = 0;
            ok = ok && post_send(c);
            break;
        case SENDING:
            c->sent += bytes;
            ok = ok && (c->sent < c->pending ? post_send(c) : post_recv(c));
            break;
        }
        if (!ok) {
            InterlockedIncrement(&srv->failed);
            break;
        }
    }
    return 0;
}

static unsigned char pattern_byte(int conn, DWORD at)
{
    return (unsigned char)(at * 31 + conn * 7 + (at >> 11));
}

struct client {
    SOCKET s;
    int index;
    DWORD received;
    BOOL ok;
};

/* Each client sends its stream and reads the echo back, byte for byte. */
static DWORD WINAPI client_thread(void *arg)
{
    struct client *cl = arg;
    unsigned char out[3000], in[4096];
    DWORD sent = 0;

    cl->ok = TRUE;
    while (sent < STREAM_BYTES || cl->received < STREAM_BYTES) {
        if (sent < STREAM_BYTES) {
            int n =
                STREAM_BYTES - sent < sizeof(out) ? (int)(STREAM_BYTES - sent) : (int)sizeof(out);
            for (int i = 0; i < n; i++) out[i] = pattern_byte(cl->index, sent + i);
            if (send(cl->s, (char *)out, n, 0) != n) return cl->ok = FALSE;
            sent += n;
        }
        while (cl->received < sent) {
            int n = recv(cl->s, (char *)in, sizeof(in), 0);
            if (n <= 0) return cl->ok = FALSE;
            for (int i = 0; i < n; i++)
                if (in[i] != pattern_byte(cl->index, cl->received + i)) cl->ok = FALSE;
            cl->received += n;
        }
    }
    shutdown(cl->s, SD_SEND);
    return 0;
}

static void test_an_IOCP_echo_server_with_AcceptEx_moves_every_byte(void **state)
{
    static struct server srv;
    struct sockaddr_storage addr;
    struct client clients[CONNECTIONS];
    HANDLE threads[CONNECTIONS], worker;
    int len = sizeof(addr);
    DWORD got;
    (void)state;

    memset(&srv, 0, sizeof(srv));
    srv.listener = ws_test_listener(AF_INET, &addr, &len);
    load_extensions(srv.listener);
    srv.port = CreateIoCompletionPort((HANDLE)srv.listener, NULL, 0, 1);
    assert_non_null(srv.port);
    for (int i = 0; i < CONNECTIONS; i++) {
        struct conn *c = &srv.conns[i];
        c->s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        c->op = ACCEPTING;
        assert_true(
            accept_ex(srv.listener, c->s, c->addrs, 0, ADDR_ROOM, ADDR_ROOM, &got, &c->ov) ||
            WSAGetLastError() == ERROR_IO_PENDING);
    }
    worker = CreateThread(NULL, 0, server_worker, &srv, 0, NULL);
    for (int i = 0; i < CONNECTIONS; i++) {
        clients[i].s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        clients[i].index = i;
        clients[i].received = 0;
        assert_int_equal(connect(clients[i].s, (struct sockaddr *)&addr, len), 0);
        threads[i] = CreateThread(NULL, 0, client_thread, &clients[i], 0, NULL);
    }
    assert_int_equal(WaitForMultipleObjects(CONNECTIONS, threads, TRUE, 120000), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(worker, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < CONNECTIONS; i++) {
        assert_true(clients[i].ok);
        assert_int_equal(clients[i].received, STREAM_BYTES);
        CloseHandle(threads[i]);
        closesocket(clients[i].s);
    }
    assert_int_equal(srv.failed, 0);
    CloseHandle(worker);
    closesocket(srv.listener);
    CloseHandle(srv.port);
}

/* ---- notification modes ---- */

static void test_FILE_SKIP_COMPLETION_PORT_ON_SUCCESS_queues_nothing_for_an_immediate_success(
    void **state)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov = {0}, *got;
    WSABUF b;
    char buf[8];
    DWORD bytes = 0, flags = 0;
    ULONG_PTR key;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)server, NULL, 5, 0);
    assert_non_null(port);
    assert_true(
        SetFileCompletionNotificationModes((HANDLE)server, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    assert_int_equal(send(client, "abc", 3, 0), 3);
    Sleep(100); /* the data is there before the receive is issued */
    b.buf = buf;
    b.len = sizeof(buf);
    assert_int_equal(WSARecv(server, &b, 1, &bytes, &flags, &ov, NULL), 0);
    assert_int_equal(bytes, 3);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    /* A receive that pends still completes through the port. */
    assert_socket_error(WSARecv(server, &b, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_int_equal(send(client, "d", 1, 0), 1);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000));
    assert_ptr_equal(got, &ov);
    assert_int_equal(bytes, 1);
    CloseHandle(port);
    closesocket(client);
    closesocket(server);
}

/* After select has reported a reset connection, an overlapped WSARecv fails at once with
   WSAECONNRESET, leaves the byte count alone and queues nothing on the port. */
static void test_WSARecv_on_a_reset_connection_fails_and_queues_no_completion(void **state)
{
    SOCKET client, server;
    struct linger hard = {1, 0};
    HANDLE port;
    OVERLAPPED ov = {0}, *got;
    fd_set readable;
    struct timeval tv = {5, 0};
    WSABUF b;
    char buf[8];
    DWORD bytes = 0xdeadbeef, flags = 0;
    ULONG_PTR key;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)server, NULL, 125, 0);
    assert_non_null(port);
    assert_int_equal(setsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&hard, sizeof(hard)), 0);
    closesocket(client);
    FD_ZERO(&readable);
    FD_SET(server, &readable);
    assert_int_equal(select(0, &readable, NULL, NULL, &tv), 1);
    b.buf = buf;
    b.len = sizeof(buf);
    assert_socket_error(WSARecv(server, &b, 1, &bytes, &flags, &ov, NULL), WSAECONNRESET);
    assert_int_equal(bytes, 0xdeadbeef);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 200));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    CloseHandle(port);
    closesocket(server);
}

/* DisconnectEx always completes through the port, even on a socket that skips the port on
   immediate success, and the peer then reads the end of the stream. */
static void test_DisconnectEx_queues_its_completion_even_when_the_port_is_skipped_on_success(
    void **state)
{
    GUID guid = WSAID_DISCONNECTEX;
    LPFN_DISCONNECTEX disconnect_ex;
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov = {0}, *got = NULL;
    DWORD bytes = 0xdeadbeef, size;
    ULONG_PTR key = 0xdeadbeef;
    char buf[4];
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAIoctl(client, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                              &disconnect_ex, sizeof(disconnect_ex), &size, NULL, NULL),
                     0);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 7, 0);
    assert_non_null(port);
    assert_true(
        SetFileCompletionNotificationModes((HANDLE)client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_false(disconnect_ex(client, &ov, 0, 0));
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_int_equal(key, 7);
    assert_int_equal(bytes, 0);
    assert_ptr_equal(got, &ov);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 0);
    CloseHandle(ov.hEvent);
    CloseHandle(port);
    closesocket(client);
    closesocket(server);
}

/* An event with its low bit set keeps the completion off the port; the event is still set. */
static void test_the_low_bit_of_hEvent_keeps_a_completion_off_the_port(void **state)
{
    SOCKET client, server;
    HANDLE port, event = CreateEventW(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov = {0}, *got;
    WSABUF b;
    char buf[8];
    DWORD bytes, flags = 0;
    ULONG_PTR key;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)server, NULL, 5, 0);
    ov.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    b.buf = buf;
    b.len = sizeof(buf);
    assert_socket_error(WSARecv(server, &b, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_int_equal(send(client, "x", 1, 0), 1);
    assert_int_equal(WaitForSingleObject(event, 10000), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(server, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 1);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 200));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    CloseHandle(event);
    CloseHandle(port);
    closesocket(client);
    closesocket(server);
}

/* ---- cancellation ---- */

static void test_CancelIoEx_aborts_a_pending_receive_with_WSA_OPERATION_ABORTED(void **state)
{
    SOCKET client, server;
    OVERLAPPED ov = {0};
    WSABUF b;
    char buf[8];
    DWORD bytes, flags = 0;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = WSACreateEvent();
    b.buf = buf;
    b.len = sizeof(buf);
    assert_socket_error(WSARecv(server, &b, 1, NULL, &flags, &ov, NULL), WSA_IO_PENDING);
    assert_true(CancelIoEx((HANDLE)server, &ov));
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    WSASetLastError(0);
    assert_false(WSAGetOverlappedResult(server, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_OPERATION_ABORTED);
    /* The socket still works. */
    assert_int_equal(send(client, "y", 1, 0), 1);
    assert_int_equal(recv(server, buf, 1, 0), 1);
    WSACloseEvent(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

/* closesocket with operations pending: each completes through the port, as Windows reports a
   connection aborted by the close (WSAECONNABORTED through WSAGetOverlappedResult). */
static void test_closesocket_completes_pending_operations_through_the_port_as_aborted(void **state)
{
    SOCKET client, server;
    HANDLE port;
    OVERLAPPED ov[2] = {{0}}, *got;
    WSABUF b[2];
    char buf[2][8];
    DWORD bytes, flags = 0, errors[2];
    ULONG_PTR key;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)server, NULL, 9, 0);
    for (int i = 0; i < 2; i++) {
        b[i].buf = buf[i];
        b[i].len = sizeof(buf[i]);
        assert_socket_error(WSARecv(server, &b[i], 1, NULL, &flags, &ov[i], NULL), WSA_IO_PENDING);
    }
    assert_int_equal(closesocket(server), 0);
    for (int i = 0; i < 2; i++) {
        assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000));
        errors[i] = GetLastError();
        assert_true(got == &ov[0] || got == &ov[1]);
        assert_int_equal(key, 9);
        assert_int_equal(bytes, 0);
    }
    /* What the program asks of Winsock is Windows' answer. */
    assert_false(WSAGetOverlappedResult(client, &ov[0], &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAECONNABORTED);
    CloseHandle(port);
    closesocket(client);
    ws_known_gap_if(errors[0], ERROR_HANDLES_CLOSED,
                    "Wine's socket device ends operations pending at closesocket with "
                    "STATUS_HANDLES_CLOSED, which the port reports as ERROR_HANDLES_CLOSED; "
                    "Windows ends them with STATUS_CONNECTION_ABORTED");
    assert_int_equal(errors[0], ERROR_CONNECTION_ABORTED);
    assert_int_equal(errors[1], ERROR_CONNECTION_ABORTED);
}

/* The final WSACleanup aborts AcceptEx and receives on sockets bound to a port: each ends as
   aborted, and the port hears of each once. */
static void test_the_final_WSACleanup_aborts_operations_on_sockets_bound_to_a_port(void **state)
{
    struct sockaddr_storage addr;
    SOCKET listener, acceptor, client, server;
    OVERLAPPED ov[2] = {{0}}, *got = NULL;
    HANDLE port;
    char addrs[2 * ADDR_ROOM], buf[8];
    WSABUF b = {sizeof(buf), buf};
    DWORD bytes, flags = 0;
    ULONG_PTR key;
    int len = sizeof(addr), seen = 0;
    (void)state;

    listener = ws_test_listener(AF_INET, &addr, &len);
    load_extensions(listener);
    ws_test_tcp_pair(AF_INET, &client, &server);
    port = CreateIoCompletionPort((HANDLE)listener, NULL, 1, 0);
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_false(accept_ex(listener, acceptor, addrs, 0, ADDR_ROOM, ADDR_ROOM, &bytes, &ov[0]));
    assert_int_equal(WSAGetLastError(), ERROR_IO_PENDING);
    assert_non_null(CreateIoCompletionPort((HANDLE)server, port, 2, 0));
    assert_socket_error(WSARecv(server, &b, 1, NULL, &flags, &ov[1], NULL), WSA_IO_PENDING);

    assert_int_equal(WSACleanup(), 0); /* the group's startup: this one is final */
    while (GetQueuedCompletionStatus(port, &bytes, &key, &got, 2000) || got) {
        assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
        assert_true(got == &ov[0] || got == &ov[1]);
        seen++;
        got = NULL;
    }
    assert_int_equal(seen, 2);
    assert_int_equal((NTSTATUS)ov[0].Internal, (NTSTATUS)0xC0000120); /* STATUS_CANCELLED */
    assert_int_equal((NTSTATUS)ov[1].Internal, (NTSTATUS)0xC0000120);
    CloseHandle(port);
    assert_int_equal(ws_test_startup(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_IOCP_echo_server_with_AcceptEx_moves_every_byte),
        cmocka_unit_test(
            test_FILE_SKIP_COMPLETION_PORT_ON_SUCCESS_queues_nothing_for_an_immediate_success),
        cmocka_unit_test(test_WSARecv_on_a_reset_connection_fails_and_queues_no_completion),
        cmocka_unit_test(
            test_DisconnectEx_queues_its_completion_even_when_the_port_is_skipped_on_success),
        cmocka_unit_test(test_the_low_bit_of_hEvent_keeps_a_completion_off_the_port),
        cmocka_unit_test(test_CancelIoEx_aborts_a_pending_receive_with_WSA_OPERATION_ABORTED),
        cmocka_unit_test(test_closesocket_completes_pending_operations_through_the_port_as_aborted),
        cmocka_unit_test(test_the_final_WSACleanup_aborts_operations_on_sockets_bound_to_a_port),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
