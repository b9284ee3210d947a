/* WSAIoctl control codes answered without the socket device: the base and provider handles, the
   ideal send backlog, the loopback fast path, the address list and routing interface queries,
   and codes nobody serves. Synchronous, and overlapped through a completion port and an APC. */
#include "ws_test.h"
#include <mswsock.h>
#include <mstcpip.h>

#define SENTINEL 0xdeadbeef
#define WAIT_MS  5000
/* Windows' ws2ipdef.h codes that the SDK headers here lack. */
#ifndef SIO_UDP_NETRESET
#define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)
#endif
#ifndef SIO_IDEAL_SEND_BACKLOG_QUERY
#define SIO_IDEAL_SEND_BACKLOG_CHANGE _IO('t', 122)
#define SIO_IDEAL_SEND_BACKLOG_QUERY  _IOR('t', 123, ULONG)
#endif

static SOCKET tcp_socket(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* The one packet a port should hold for an overlapped request answered at once. */
static void expect_packet(HANDLE port, OVERLAPPED *ov, BOOL ok, DWORD error)
{
    OVERLAPPED *got = NULL;
    ULONG_PTR key = 0;
    DWORD bytes = SENTINEL;
    BOOL ret = GetQueuedCompletionStatus(port, &bytes, &key, &got, 0);
    assert_int_equal(ret, ok);
    if (!ok) assert_int_equal(GetLastError(), error);
    assert_ptr_equal(got, ov);
    assert_int_equal(bytes, 0);
    assert_int_equal(key, 123);
    ret = GetQueuedCompletionStatus(port, &bytes, &key, &got, 0);
    assert_false(ret);
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
}

static struct {
    int count;
    DWORD error, size;
    OVERLAPPED *ov;
} apc;

static void CALLBACK note_completion(DWORD error, DWORD size, OVERLAPPED *ov, DWORD flags)
{
    (void)flags;
    apc.count++;
    apc.error = error;
    apc.size = size;
    apc.ov = ov;
}

/* ---- handles ---- */

static void test_SIO_BASE_HANDLE_returns_the_socket_itself(void **state)
{
    static const DWORD codes[] = {SIO_BASE_HANDLE, SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT,
                                  SIO_BSP_HANDLE_POLL};
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(codes); i++) {
        SOCKET s = tcp_socket(), base = (SOCKET)SENTINEL;
        DWORD size = SENTINEL;
        WSASetLastError(SENTINEL);
        assert_int_equal(WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base), &size, NULL, NULL), 0);
        assert_int_equal(WSAGetLastError(), 0);
        assert_int_equal(size, sizeof(SOCKET));
        assert_true(base == s);
        /* Too small a buffer. */
        assert_socket_error(
            WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base) - 1, &size, NULL, NULL), WSAEFAULT);
        closesocket(s);
    }
}

static void test_SIO_BASE_HANDLE_without_a_byte_count_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = tcp_socket(), base;
    OVERLAPPED ov = {0};
    (void)state;
    assert_socket_error(
        WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), NULL, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), NULL, &ov, NULL),
                        WSAEFAULT);
    closesocket(s);
}

/* Windows takes the overlapped form and fails it through the OVERLAPPED. */
static void test_overlapped_SIO_BASE_HANDLE_pends_and_completes_with_not_supported(void **state)
{
    SOCKET s = tcp_socket(), base = (SOCKET)SENTINEL;
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    OVERLAPPED ov = {0};
    DWORD size = SENTINEL;
    (void)state;

    assert_non_null(port);
    assert_wsa_error(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &size, &ov, NULL),
                     SOCKET_ERROR, WSA_IO_PENDING);
    assert_int_equal(size, SENTINEL);
    expect_packet(port, &ov, FALSE, ERROR_NOT_SUPPORTED);
    assert_int_equal((NTSTATUS)ov.Internal, (NTSTATUS)0xC00000BB);
    assert_true(base == (SOCKET)SENTINEL);
    CloseHandle(port);
    closesocket(s);
}

/* ---- codes nobody serves ---- */

static void test_an_unknown_code_fails_with_WSAEOPNOTSUPP_and_size_0(void **state)
{
    SOCKET s = tcp_socket();
    DWORD size = SENTINEL;
    (void)state;
    assert_socket_error(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, NULL, NULL),
                        WSAEOPNOTSUPP);
    assert_int_equal(size, 0);
    assert_socket_error(WSAIoctl(s, SIO_FLUSH, NULL, 0, NULL, 0, &size, NULL, NULL), WSAEOPNOTSUPP);
    closesocket(s);
}

static void test_an_unknown_overlapped_code_fails_through_the_port_and_the_routine(void **state)
{
    SOCKET s = tcp_socket();
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    OVERLAPPED ov = {0};
    DWORD size = SENTINEL;
    (void)state;

    assert_wsa_error(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, NULL), SOCKET_ERROR,
                     WSA_IO_PENDING);
    assert_int_equal(size, SENTINEL);
    expect_packet(port, &ov, FALSE, ERROR_NOT_SUPPORTED);
    CloseHandle(port);
    closesocket(s);

    s = tcp_socket();
    memset(&apc, 0, sizeof(apc));
    assert_wsa_error(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, note_completion),
                     SOCKET_ERROR, WSA_IO_PENDING);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc.count, 1);
    assert_int_equal(apc.error, WSAEOPNOTSUPP);
    assert_int_equal(apc.size, 0);
    assert_ptr_equal(apc.ov, &ov);
    closesocket(s);
}

/* ---- TCP queries and hints ---- */

static void test_SIO_IDEAL_SEND_BACKLOG_QUERY_needs_a_connected_TCP_socket(void **state)
{
    SOCKET client, server, lone = tcp_socket(), udp;
    ULONG backlog = 0;
    DWORD size;
    (void)state;

    assert_socket_error(WSAIoctl(lone, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog,
                                 sizeof(backlog), &size, NULL, NULL),
                        WSAENOTCONN);
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(WSAIoctl(client, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog,
                              sizeof(backlog), &size, NULL, NULL),
                     0);
    assert_int_equal(backlog, 0x10000);
    assert_int_equal(size, sizeof(backlog));
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_socket_error(WSAIoctl(udp, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog,
                                 sizeof(backlog), &size, NULL, NULL),
                        WSAEOPNOTSUPP);
    closesocket(udp);
    closesocket(lone);
    closesocket(client);
    closesocket(server);
}

static void test_SIO_IDEAL_SEND_BACKLOG_CHANGE_needs_a_connected_TCP_socket(void **state)
{
    SOCKET lone = tcp_socket(), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD size;
    (void)state;

    assert_socket_error(
        WSAIoctl(udp, SIO_IDEAL_SEND_BACKLOG_CHANGE, NULL, 0, NULL, 0, &size, NULL, NULL),
        WSAEOPNOTSUPP);
    assert_socket_error(
        WSAIoctl(lone, SIO_IDEAL_SEND_BACKLOG_CHANGE, NULL, 0, NULL, 0, &size, NULL, NULL),
        WSAENOTCONN);
    closesocket(udp);
    closesocket(lone);
}

/* The backlog never changes here, so the notification pends until it is cancelled. */
static void test_SIO_IDEAL_SEND_BACKLOG_CHANGE_pends_until_cancelled(void **state)
{
    SOCKET client, server;
    WSAOVERLAPPED ov = {0};
    DWORD size = SENTINEL, flags;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    ov.hEvent = WSACreateEvent();
    assert_socket_error(
        WSAIoctl(client, SIO_IDEAL_SEND_BACKLOG_CHANGE, NULL, 0, NULL, 0, &size, &ov, NULL),
        WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    /* The backlog it announces a change of is still the one a query reports. */
    ULONG backlog = 0;
    assert_int_equal(WSAIoctl(client, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog,
                              sizeof(backlog), &size, NULL, NULL),
                     0);
    assert_int_equal(backlog, 0x10000);
    assert_true(CancelIoEx((HANDLE)client, &ov));
    assert_int_equal(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    assert_false(WSAGetOverlappedResult(client, &ov, &size, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_OPERATION_ABORTED);
    WSACloseEvent(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

static void test_SIO_IDEAL_SEND_BACKLOG_CHANGE_on_a_non_blocking_socket_fails_with_WSAEWOULDBLOCK(
    void **state)
{
    SOCKET client, server;
    u_long on = 1;
    DWORD size;
    (void)state;

    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(ioctlsocket(client, FIONBIO, &on), 0);
    assert_socket_error(
        WSAIoctl(client, SIO_IDEAL_SEND_BACKLOG_CHANGE, NULL, 0, NULL, 0, &size, NULL, NULL),
        WSAEWOULDBLOCK);
    closesocket(client);
    closesocket(server);
}

static void test_SIO_LOOPBACK_FAST_PATH_is_taken_by_TCP_sockets(void **state)
{
    SOCKET s = tcp_socket(), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int on = 1;
    DWORD size = SENTINEL;
    (void)state;
    assert_int_equal(
        WSAIoctl(s, SIO_LOOPBACK_FAST_PATH, &on, sizeof(on), NULL, 0, &size, NULL, NULL), 0);
    assert_int_equal(size, 0);
    assert_socket_error(WSAIoctl(s, SIO_LOOPBACK_FAST_PATH, NULL, 0, NULL, 0, &size, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(
        WSAIoctl(udp, SIO_LOOPBACK_FAST_PATH, &on, sizeof(on), NULL, 0, &size, NULL, NULL),
        WSAEOPNOTSUPP);
    closesocket(udp);
    closesocket(s);
}

/* ---- UDP ICMP reports ---- */

static void test_SIO_UDP_CONNRESET_and_NETRESET_are_taken_by_datagram_sockets(void **state)
{
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), tcp = tcp_socket();
    BOOL off = FALSE, on = TRUE;
    DWORD size = SENTINEL;
    (void)state;
    assert_int_equal(
        WSAIoctl(udp, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &size, NULL, NULL), 0);
    assert_int_equal(size, 0);
    assert_int_equal(WSAIoctl(udp, SIO_UDP_NETRESET, &on, sizeof(on), NULL, 0, &size, NULL, NULL),
                     0);
    assert_socket_error(WSAIoctl(udp, SIO_UDP_CONNRESET, NULL, 0, NULL, 0, &size, NULL, NULL),
                        WSAEFAULT);
    assert_socket_error(
        WSAIoctl(tcp, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &size, NULL, NULL), WSAEINVAL);
    closesocket(tcp);
    closesocket(udp);
}

/* A datagram to a port nobody has, then a receive: reported as WSAECONNRESET while the reports
   are on (Windows' default), never once they are off. */
static void test_SIO_UDP_CONNRESET_switches_the_port_unreachable_report(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), gone = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in closed = {0};
    int len = sizeof(closed), ret, error;
    DWORD timeout = 300, size;
    BOOL off = FALSE;
    char buf[4];
    (void)state;

    closed.sin_family = AF_INET;
    closed.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(gone, (struct sockaddr *)&closed, len), 0);
    assert_int_equal(getsockname(gone, (struct sockaddr *)&closed, &len), 0);
    closesocket(gone);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);

    /* Off: the receive just waits. */
    assert_int_equal(WSAIoctl(s, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &size, NULL, NULL),
                     0);
    assert_int_equal(sendto(s, "x", 1, 0, (struct sockaddr *)&closed, len), 1);
    assert_socket_error(recvfrom(s, buf, sizeof(buf), 0, NULL, NULL), WSAETIMEDOUT);

    /* On (a fresh socket, by default): Windows reports the unreachable port. */
    closesocket(s);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);
    assert_int_equal(sendto(s, "x", 1, 0, (struct sockaddr *)&closed, len), 1);
    Sleep(100);
    ret = recvfrom(s, buf, sizeof(buf), 0, NULL, NULL);
    error = WSAGetLastError();
    closesocket(s);
    assert_int_equal(ret, SOCKET_ERROR);
    ws_known_gap_if(error, WSAETIMEDOUT,
                    "Wine's socket device does not report ICMP port unreachable on datagram "
                    "sockets, so SIO_UDP_CONNRESET's default report never comes");
    assert_int_equal(error, WSAECONNRESET);
}

/* ---- SIO_ADDRESS_LIST_QUERY ---- */

static void test_SIO_ADDRESS_LIST_QUERY_reports_the_size_it_needs(void **state)
{
    char buffer[4096];
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)buffer;
    const DWORD head = FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address[0]);
    SOCKET s = tcp_socket();
    DWORD size = 0, needed, expect;
    (void)state;

    assert_socket_error(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &size, NULL, NULL),
                        WSAEFAULT);
    assert_true(size >= head);
    needed = size;

    WSASetLastError(SENTINEL);
    size = 0;
    assert_int_equal(
        WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, sizeof(buffer), &size, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(size, needed);
    expect = FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address[list->iAddressCount]);
    for (int i = 0; i < list->iAddressCount; i++) {
        assert_int_equal(list->Address[i].iSockaddrLength, sizeof(struct sockaddr_in));
        assert_int_equal(list->Address[i].lpSockaddr->sa_family, AF_INET);
        /* Loopback is not an interface address here. */
        assert_int_not_equal(((struct sockaddr_in *)list->Address[i].lpSockaddr)->sin_addr.s_addr,
                             htonl(INADDR_LOOPBACK));
        expect += list->Address[i].iSockaddrLength;
    }
    assert_int_equal(size, expect);

    /* Room for less than the count: WSAEINVAL and 0. */
    size = SENTINEL;
    assert_socket_error(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, 1, &size, NULL, NULL),
                        WSAEINVAL);
    assert_int_equal(size, 0);
    /* Room for the count only, no buffer, or a zero length: WSAEFAULT, the size needed, nothing
       written. */
    size = SENTINEL;
    memset(buffer, 0xcc, sizeof(buffer));
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, head, &size, NULL, NULL), WSAEFAULT);
    assert_int_equal(size, needed);
    assert_int_equal((unsigned int)list->iAddressCount, 0xccccccccu);
    size = SENTINEL;
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, sizeof(buffer), &size, NULL, NULL),
        WSAEFAULT);
    assert_int_equal(size, needed);
    size = SENTINEL;
    assert_socket_error(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, 0, &size, NULL, NULL),
                        WSAEFAULT);
    assert_int_equal(size, needed);
    closesocket(s);
}

static void test_overlapped_SIO_ADDRESS_LIST_QUERY_answers_and_posts_a_packet(void **state)
{
    char buffer[4096];
    SOCKET s = tcp_socket();
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    OVERLAPPED ov = {0};
    DWORD size = 0, sync_size;
    (void)state;

    assert_int_equal(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, sizeof(buffer),
                              &sync_size, NULL, NULL),
                     0);
    WSASetLastError(SENTINEL);
    assert_int_equal(
        WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, sizeof(buffer), &size, &ov, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(size, sync_size);
    expect_packet(port, &ov, TRUE, 0);
    assert_int_equal(ov.Internal, 0);
    /* A failure posts nothing. */
    ov.Internal = SENTINEL;
    assert_socket_error(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buffer, 1, &size, &ov, NULL),
                        WSAEINVAL);
    assert_int_equal(ov.Internal, SENTINEL);
    CloseHandle(port);
    closesocket(s);
}

/* ---- SIO_ROUTING_INTERFACE_QUERY ---- */

static void test_SIO_ROUTING_INTERFACE_QUERY_to_loopback_answers_loopback(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in in = {0}, out;
    DWORD size = SENTINEL;
    (void)state;

    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    WSASetLastError(SENTINEL);
    assert_int_equal(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out),
                              &size, NULL, NULL),
                     0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(size, sizeof(out));
    assert_int_equal(out.sin_family, AF_INET);
    assert_int_equal(out.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    assert_int_equal(out.sin_port, 0);
    closesocket(s);
}

static void test_SIO_ROUTING_INTERFACE_QUERY_to_IPv6_loopback_answers_it(void **state)
{
    SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in6 in = {0}, out;
    DWORD size = SENTINEL;
    (void)state;

    in.sin6_family = AF_INET6;
    in.sin6_addr = in6addr_loopback;
    assert_int_equal(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out),
                              &size, NULL, NULL),
                     0);
    assert_int_equal(size, sizeof(out));
    assert_int_equal(out.sin6_family, AF_INET6);
    assert_memory_equal(&out.sin6_addr, &in6addr_loopback, sizeof(IN6_ADDR));
    closesocket(s);
}

static void test_SIO_ROUTING_INTERFACE_QUERY_rejects_bad_destinations(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in in = {0}, out;
    DWORD size = SENTINEL;
    (void)state;

    /* No family. */
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out),
                                 &size, NULL, NULL),
                        WSAEAFNOSUPPORT);
    assert_int_equal(size, SENTINEL);
    /* The unspecified address. */
    in.sin_family = AF_INET;
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out),
                                 &size, NULL, NULL),
                        WSAEINVAL);
    assert_int_equal(size, SENTINEL);
    /* Short or missing input. */
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in) - 1, &out,
                                 sizeof(out), &size, NULL, NULL),
                        WSAEINVAL);
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, NULL, sizeof(in), &out,
                                 sizeof(out), &size, NULL, NULL),
                        WSAEINVAL);
    assert_int_equal(size, SENTINEL);
    /* Short or missing output: WSAEFAULT; a short one learns the size. */
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), NULL, sizeof(out),
                                 &size, NULL, NULL),
                        WSAEFAULT);
    assert_int_equal(size, SENTINEL);
    assert_socket_error(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out,
                                 sizeof(out) - 1, &size, NULL, NULL),
                        WSAEFAULT);
    assert_int_equal(size, sizeof(out));
    closesocket(s);
}

static void test_overlapped_SIO_ROUTING_INTERFACE_QUERY_completes_through_the_routine(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in in = {0}, out;
    OVERLAPPED ov = {0};
    DWORD size = SENTINEL;
    (void)state;

    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(&apc, 0, sizeof(apc));
    assert_int_equal(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out),
                              &size, &ov, note_completion),
                     0);
    assert_int_equal(size, sizeof(out));
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc.count, 1);
    assert_int_equal(apc.error, 0);
    assert_int_equal(apc.size, 0);
    assert_ptr_equal(apc.ov, &ov);
    closesocket(s);
}

/* ---- SIO_APPLY_TRANSPORT_SETTING ---- */

/* mstcpip.h's setting identifiers, which the SDK headers here lack. */
static const GUID associate_nameres_context = {
    0x59a38b67, 0xd4fe, 0x46e1, {0xba, 0x3c, 0x87, 0xea, 0x74, 0xca, 0x30, 0x49}};
static const GUID real_time_notification_capability = {
    0x6b59819a, 0x5cae, 0x492d, {0xa9, 0x01, 0x2a, 0x3c, 0x2c, 0x50, 0x16, 0x4f}};

static int apply_setting(SOCKET s, const void *in, DWORD in_len, DWORD *size)
{
    *size = SENTINEL;
    return WSAIoctl(s, SIO_APPLY_TRANSPORT_SETTING, (void *)in, in_len, NULL, 0, size, NULL, NULL);
}

/* The ADDRINFOEX4 example of the reference: a handle from GetAddrInfoEx with
   AI_RESOLUTION_HANDLE ties a TCP or UDP socket to the name; a value that is no live handle, a
   setting nobody defines, or an input too short for its setting is WSAEINVAL. */
static void test_SIO_APPLY_TRANSPORT_SETTING_associates_a_resolution_handle(void **state)
{
    struct ws_test_addrinfoex hints;
    ADDRINFOEXW *res = NULL;
    ASSOCIATE_NAMERES_CONTEXT_INPUT input;
    SOCKET tcp = tcp_socket(), udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD size;
    (void)state;

    memset(&hints, 0, sizeof(hints));
    hints.base.ai_flags = (int)(AI_EXTENDED_ | AI_FQDN | AI_CANONNAME | AI_RESOLUTION_HANDLE_);
    hints.base.ai_family = AF_INET;
    hints.ai_version = 4;
    assert_int_equal(
        GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, &hints.base, &res, NULL, NULL, NULL, NULL),
        0);
    assert_non_null(res);
    memset(&input, 0, sizeof(input));
    input.TransportSettingId.Guid = associate_nameres_context;
    input.Handle = (UINT64)(ULONG_PTR)((struct ws_test_addrinfoex *)res)->ai_resolutionhandle;
    assert_true(input.Handle != 0);

    WSASetLastError(0xdead);
    assert_int_equal(apply_setting(tcp, &input, sizeof(input), &size), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(apply_setting(udp, &input, sizeof(input), &size), 0);

    /* Too short for the handle, or for the setting's identifier. */
    assert_socket_error(apply_setting(tcp, &input, sizeof(input) - 1, &size), WSAEINVAL);
    assert_socket_error(apply_setting(tcp, &input, sizeof(GUID) - 1, &size), WSAEINVAL);
    assert_socket_error(apply_setting(tcp, NULL, 0, &size), WSAEINVAL);
    assert_socket_error(apply_setting(tcp, (void *)(ULONG_PTR)0x10, sizeof(input), &size),
                        WSAEFAULT);

    /* A setting nobody defines. */
    input.TransportSettingId.Guid.Data1 ^= 1;
    assert_socket_error(apply_setting(tcp, &input, sizeof(input), &size), WSAEINVAL);
    input.TransportSettingId.Guid = associate_nameres_context;

    /* The handle lives as long as its list. */
    FreeAddrInfoExW(res);
    assert_socket_error(apply_setting(tcp, &input, sizeof(input), &size), WSAEINVAL);
    input.Handle = 0;
    assert_socket_error(apply_setting(tcp, &input, sizeof(input), &size), WSAEINVAL);
    closesocket(udp);
    closesocket(tcp);
}

/* The settings are for TCP and UDP sockets: another protocol's is WSAEOPNOTSUPP. */
static void test_SIO_APPLY_TRANSPORT_SETTING_on_a_raw_socket_fails_with_WSAEOPNOTSUPP(void **state)
{
    ASSOCIATE_NAMERES_CONTEXT_INPUT input;
    SOCKET s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    DWORD size;
    (void)state;
    if (s == INVALID_SOCKET) skip(); /* raw sockets need privileges the test may not have */
    memset(&input, 0, sizeof(input));
    input.TransportSettingId.Guid = associate_nameres_context;
    assert_socket_error(apply_setting(s, &input, sizeof(input), &size), WSAEOPNOTSUPP);
    closesocket(s);
}

/* REAL_TIME_NOTIFICATION_CAPABILITY marks a socket for the Store's ControlChannelTrigger, which
   this system does not have: the transport does not support it. */
static void test_SIO_APPLY_TRANSPORT_SETTING_real_time_notification_is_not_supported(void **state)
{
    REAL_TIME_NOTIFICATION_SETTING_INPUT input;
    SOCKET s = tcp_socket();
    DWORD size;
    (void)state;
    memset(&input, 0, sizeof(input));
    input.TransportSettingId.Guid = real_time_notification_capability;
    assert_socket_error(apply_setting(s, &input, sizeof(input), &size), WSAEOPNOTSUPP);
    assert_int_equal(size, 0);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_SIO_BASE_HANDLE_returns_the_socket_itself),
        cmocka_unit_test(test_SIO_BASE_HANDLE_without_a_byte_count_fails_with_WSAEFAULT),
        cmocka_unit_test(test_overlapped_SIO_BASE_HANDLE_pends_and_completes_with_not_supported),
        cmocka_unit_test(test_an_unknown_code_fails_with_WSAEOPNOTSUPP_and_size_0),
        cmocka_unit_test(test_an_unknown_overlapped_code_fails_through_the_port_and_the_routine),
        cmocka_unit_test(test_SIO_IDEAL_SEND_BACKLOG_QUERY_needs_a_connected_TCP_socket),
        cmocka_unit_test(test_SIO_IDEAL_SEND_BACKLOG_CHANGE_needs_a_connected_TCP_socket),
        cmocka_unit_test(test_SIO_IDEAL_SEND_BACKLOG_CHANGE_pends_until_cancelled),
        cmocka_unit_test(
            test_SIO_IDEAL_SEND_BACKLOG_CHANGE_on_a_non_blocking_socket_fails_with_WSAEWOULDBLOCK),
        cmocka_unit_test(test_SIO_LOOPBACK_FAST_PATH_is_taken_by_TCP_sockets),
        cmocka_unit_test(test_SIO_UDP_CONNRESET_and_NETRESET_are_taken_by_datagram_sockets),
        cmocka_unit_test(test_SIO_UDP_CONNRESET_switches_the_port_unreachable_report),
        cmocka_unit_test(test_SIO_ADDRESS_LIST_QUERY_reports_the_size_it_needs),
        cmocka_unit_test(test_overlapped_SIO_ADDRESS_LIST_QUERY_answers_and_posts_a_packet),
        cmocka_unit_test(test_SIO_ROUTING_INTERFACE_QUERY_to_loopback_answers_loopback),
        cmocka_unit_test(test_SIO_ROUTING_INTERFACE_QUERY_to_IPv6_loopback_answers_it),
        cmocka_unit_test(test_SIO_ROUTING_INTERFACE_QUERY_rejects_bad_destinations),
        cmocka_unit_test(test_SIO_APPLY_TRANSPORT_SETTING_associates_a_resolution_handle),
        cmocka_unit_test(test_SIO_APPLY_TRANSPORT_SETTING_real_time_notification_is_not_supported),
        cmocka_unit_test(test_SIO_APPLY_TRANSPORT_SETTING_on_a_raw_socket_fails_with_WSAEOPNOTSUPP),
        cmocka_unit_test(test_overlapped_SIO_ROUTING_INTERFACE_QUERY_completes_through_the_routine),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
