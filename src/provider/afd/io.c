/*
 * The AFD provider's data path: every send and receive variant is one request, synchronous on
 * the thread's event or overlapped on the program's OVERLAPPED. No allocation, no lock.
 */
#include "openws2/afd_provider.h"

/*
 * Wine's socket device sizes its copy of a buffer array in 32 bits: a count near 2^28 wraps the
 * size, and the copy then overruns the host's heap. So a large count is first held against the
 * array the program gave: WSAEFAULT when it is not all readable, as the send and receive pages
 * have it for an array not wholly in the address space. Only counts above AFD_BUFS_UNCHECKED
 * pay for the check; a readable array the device could not take is refused with WSAENOBUFS.
 */
#define AFD_BUFS_MAX 0x00FFFFFFu

int afd_check_bufs(const WSABUF *bufs, DWORD count)
{
    if (!ws_readable(bufs, (size_t)count * sizeof(*bufs))) return WSAEFAULT;
    return count > AFD_BUFS_MAX ? WSAENOBUFS : 0;
}

/* WSAOVERLAPPED.OffsetHigh is reserved for the service provider: it carries the cleanup epoch
   at issue, so that an operation aborted by the final WSACleanup does not run its routine. */
static void WINAPI completion_apc(void *context, IO_STATUS_BLOCK *iosb, ULONG reserved)
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = context;
    WSAOVERLAPPED *ov = (WSAOVERLAPPED *)iosb;
    NTSTATUS status = iosb->Status;
    (void)reserved;
    if ((status == STATUS_CANCELLED_ || status == STATUS_HANDLES_CLOSED_) &&
        ov->OffsetHigh != (DWORD)ws_cleanup_epoch)
        return;
    routine(ws_error_from_status(status), (DWORD)iosb->Information, ov, 0);
}

int afd_transfer(SOCKET s, ULONG code, void *params, ULONG params_len, void *out, ULONG out_len,
                 LPDWORD transferred, LPWSAOVERLAPPED ov,
                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    IO_STATUS_BLOCK *iosb = (IO_STATUS_BLOCK *)ov;
    PIO_APC_ROUTINE apc = NULL;
    void *apc_context = NULL;
    HANDLE event;
    ULONG_PTR info = 0;
    NTSTATUS status;

    if (!ov) {
        /* Synchronous: the one wait of the provider, alertable as Windows' blocking calls. */
        status = afd_sync_request(s, code, params, params_len, out, out_len, &info, true);
    } else {
        event = ov->hEvent;
        /* The low bit of hEvent keeps the completion off the port. */
        if (!((ULONG_PTR)event & 1)) apc_context = ov;
        if (routine) {
            event = NULL;
            apc = completion_apc;
            apc_context = routine;
            ov->OffsetHigh = (DWORD)ws_cleanup_epoch;
        }
        /* InternalHigh of the program's OVERLAPPED is left alone until the kernel completes
           the operation: Windows does not touch it when a request is refused up front. */
        iosb->Status = STATUS_PENDING;
        status = NtDeviceIoControlFile((HANDLE)s, event, apc, apc_context, iosb, code, params,
                                       params_len, out, out_len);
        if (status == STATUS_PENDING) {
            if (event && !routine) {
                struct ws_socket *sock = sock_table_find(s);
                if (sock) sock_pending_add(sock, iosb, event);
            }
            *err = WSA_IO_PENDING;
            return SOCKET_ERROR;
        }
        if (NT_WARNING(status)) {
            /* Finished at once with a warning (a truncated datagram or control data): the
               socket device still completes the operation through the event, routine or port,
               so the program must not also be told of a failure "with no completion
               indication", which is what any error but WSA_IO_PENDING means. Windows reports
               it pending too. */
            *err = WSA_IO_PENDING;
            return SOCKET_ERROR;
        }
        info = iosb->Information;
    }
    /* A datagram larger than the buffers: the truncated data is delivered, and the call fails
       with WSAEMSGSIZE. */
    if (transferred && (!status || status == STATUS_BUFFER_OVERFLOW_)) *transferred = (DWORD)info;
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    return 0;
}

/*
 * A stream socket whose connection is not made (a connect still under way) cannot transfer
 * data: Windows fails with WSAENOTCONN where the host says "would block". Asked of the device
 * only on that failure path, and only until the socket is known connected.
 */
static bool not_yet_connected(SOCKET s, struct ws_socket *sock)
{
    if (!sock || sock->type != SOCK_STREAM || (sock->flags & WS_SOCK_CONNECTED)) return false;
    return afd_peer_error(s) == WSAENOTCONN;
}

/*
 * A datagram socket receives only once it has an address (bind, or an implicit one from connect
 * or a send): Windows fails with WSAEINVAL rather than wait for what cannot come. Asked of the
 * device once per socket, then remembered.
 */
static bool unbound_datagram(SOCKET s, struct ws_socket *sock)
{
    SOCKADDR_STORAGE local;
    if (!sock || sock->type != SOCK_DGRAM || (sock->flags & WS_SOCK_BOUND)) return false;
    if (afd_sync_request(s, AFD_GETSOCKNAME, NULL, 0, &local, sizeof(local), NULL, false))
        return true;
    InterlockedOr(&sock->flags, WS_SOCK_BOUND);
    return false;
}

/*
 * MSG_WAITALL (the WSARecv page): the receive ends only when the buffers are full, the
 * connection is closed, or an error or a cancel ends it. Wine's device takes the flag but hands
 * back what is there, so a synchronous receive asks again for the rest of the buffers. The page
 * has the flag fail with WSAEOPNOTSUPP together with MSG_OOB, MSG_PEEK or MSG_PARTIAL, on
 * anything but a stream, on a non-blocking socket, and where the provider cannot do it: an
 * overlapped receive, which could not be continued in the program's OVERLAPPED and still
 * complete through its event, routine or port as one operation. Bytes received before an error
 * are reported, not dropped; the next receive meets the error.
 */
#define WAITALL_STACK_BUFFERS 16

static bool reset_seen(SOCKET s, struct ws_socket *sock);

static int recv_waitall(SOCKET s, struct ws_socket *sock, LPWSABUF bufs, DWORD count,
                        LPDWORD received, LPDWORD flags, LPWSAOVERLAPPED ov, LPINT err)
{
    WSABUF stack[WAITALL_STACK_BUFFERS], *rest = stack;
    DWORD index = 0, total = 0, got, pass_flags;
    int pass_err;

    if ((*flags & (MSG_OOB | MSG_PEEK | MSG_PARTIAL)) || ov || !sock || sock->type != SOCK_STREAM ||
        (sock->flags & WS_SOCK_NONBLOCKING)) {
        *err = WSAEOPNOTSUPP;
        return SOCKET_ERROR;
    }
    /* The entry point has checked the buffer array. */
    if (count > WAITALL_STACK_BUFFERS &&
        !(rest = HeapAlloc(GetProcessHeap(), 0, (size_t)count * sizeof(*rest)))) {
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    memcpy(rest, bufs, (size_t)count * sizeof(*rest));
    for (;;) {
        struct afd_recvmsg_in in = {
            .flags = (ULONG_PTR)&pass_flags,
            .count = count - index,
            .buffers = (ULONG_PTR)&rest[index],
        };
        pass_flags = *flags & ~MSG_WAITALL;
        got = 0;
        if (afd_transfer(s, AFD_WINE(AFD_W_RECVMSG), &in, sizeof(in), NULL, 0, &got, NULL, NULL,
                         &pass_err)) {
            /* A reset is remembered for the receives after this one. */
            if (pass_err == WSAECONNRESET) InterlockedOr(&sock->flags, WS_SOCK_RESET);
            if (total) break;
            /* The device would block only for a socket in non-blocking mode (one adopted from
               elsewhere, whose mode was not known). */
            *err = pass_err == WSAEWOULDBLOCK ? WSAEOPNOTSUPP : pass_err;
            if (rest != stack) HeapFree(GetProcessHeap(), 0, rest);
            return SOCKET_ERROR;
        }
        /* 0 bytes: the connection was closed (or the buffers have no room at all), or reset. */
        if (!got) {
            if (!total && index < count && reset_seen(s, sock)) {
                *err = WSAECONNRESET;
                if (rest != stack) HeapFree(GetProcessHeap(), 0, rest);
                return SOCKET_ERROR;
            }
            break;
        }
        total += got;
        /* Step past what was filled, and past zero-length buffers. */
        while (index < count && got >= rest[index].len) got -= rest[index++].len;
        if (index == count) break;
        rest[index].buf += got;
        rest[index].len -= got;
    }
    if (rest != stack) HeapFree(GetProcessHeap(), 0, rest);
    *received = total;
    *flags = 0;
    return 0;
}

/*
 * A stream whose connection was reset: Windows fails every receive with WSAECONNRESET from then
 * on, but the host reports the reset once and then reads as a graceful close (the socket device
 * may itself have taken the reset while polling). The user-mode context remembers a reset it has
 * seen (a failed receive, a poll that reported it, an overlapped result), so a later receive
 * fails without a request and without a completion. A blocking receive that finds the
 * connection closed asks the device whether it was reset: one request, on the end-of-stream
 * path only.
 */
static bool reset_seen(SOCKET s, struct ws_socket *sock)
{
    NTSTATUS status;
    if (!(afd_poll_now(s, AFD_POLL_RESET, &status) & AFD_POLL_RESET)) return false;
    InterlockedOr(&sock->flags, WS_SOCK_RESET);
    return true;
}

static bool wants_bytes(const WSABUF *bufs, DWORD count, const DWORD *flags)
{
    if (flags && (*flags & MSG_PEEK)) return false;
    for (DWORD i = 0; i < count; i++)
        if (bufs[i].len) return true;
    return false;
}

int WSPAPI afd_recvfrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                        struct sockaddr *from, LPINT from_len, LPWSAOVERLAPPED ov,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);
    struct afd_recvmsg_in in = {
        .control = 0,
        .addr = (ULONG_PTR)from,
        .addr_len = (ULONG_PTR)from_len,
        .flags = (ULONG_PTR)flags,
        .force_async = ov != NULL,
        .count = count,
        .buffers = (ULONG_PTR)bufs,
    };
    (void)thread;
    if (count > AFD_BUFS_UNCHECKED && (*err = afd_check_bufs(bufs, count))) return SOCKET_ERROR;
    if (sock && (sock->flags & WS_SOCK_RESET)) {
        *err = WSAECONNRESET;
        return SOCKET_ERROR;
    }
    if (*flags & MSG_WAITALL) return recv_waitall(s, sock, bufs, count, received, flags, ov, err);
    if (unbound_datagram(s, sock)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (!afd_transfer(s, AFD_WINE(AFD_W_RECVMSG), &in, sizeof(in), NULL, 0, received, ov, routine,
                      err)) {
        if (!ov && received && !*received && sock && sock->type == SOCK_STREAM &&
            wants_bytes(bufs, count, flags) && reset_seen(s, sock)) {
            *err = WSAECONNRESET;
            return SOCKET_ERROR;
        }
        return 0;
    }
    if (*err == WSAECONNRESET && sock && sock->type == SOCK_STREAM)
        InterlockedOr(&sock->flags, WS_SOCK_RESET);
    if (*err == WSAEWOULDBLOCK && not_yet_connected(s, sock)) *err = WSAENOTCONN;
    if (*err == WSAEFAULT && sock && (sock->flags & WS_SOCK_NOTIFY) &&
        ws_readable(flags, sizeof(*flags)) && !(*flags & MSG_OOB))
        afd_notify_read_refused(s);
    return SOCKET_ERROR;
}

int WSPAPI afd_recv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                    LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                    LPWSATHREADID thread, LPINT err)
{
    return afd_recvfrom(s, bufs, count, received, flags, NULL, NULL, ov, routine, thread, err);
}

/*
 * The error of a failed send as Windows reports it. Linux fails a send on a never-connected
 * stream with EPIPE, which reads as a reset; a datagram socket without a peer or a destination
 * is refused by the host as an invalid argument; a stream whose connect is under way would
 * block. Windows says WSAENOTCONN for all three. Only the failure path pays for the lookup.
 */
static int send_error(SOCKET s, const struct sockaddr *to, int err)
{
    struct ws_socket *sock;

    if (err != WSAECONNRESET && err != WSAEINVAL && err != WSAEWOULDBLOCK) return err;
    if (!(sock = sock_table_find(s))) return err;
    switch (err) {
    case WSAECONNRESET:
        return sock->type == SOCK_STREAM && !(sock->flags & WS_SOCK_CONNECTING) ? WSAENOTCONN : err;
    case WSAEINVAL: return sock->type == SOCK_DGRAM && !to ? WSAENOTCONN : err;
    default: return not_yet_connected(s, sock) ? WSAENOTCONN : err;
    }
}

int WSPAPI afd_sendto(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                      const struct sockaddr *to, int to_len, LPWSAOVERLAPPED ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err)
{
    struct afd_sendmsg_in in = {
        .addr = (ULONG_PTR)to,
        .addr_len = to ? (unsigned int)to_len : 0,
        .flags = flags,
        .force_async = ov != NULL,
        .count = count,
        .buffers = (ULONG_PTR)bufs,
    };
    (void)thread;
    if (count > AFD_BUFS_UNCHECKED && (*err = afd_check_bufs(bufs, count))) return SOCKET_ERROR;
    if (!afd_transfer(s, AFD_WINE(AFD_W_SENDMSG), &in, sizeof(in), NULL, 0, sent, ov, routine, err))
        return 0;
    *err = send_error(s, to, *err);
    return SOCKET_ERROR;
}

int WSPAPI afd_send(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                    LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                    LPWSATHREADID thread, LPINT err)
{
    return afd_sendto(s, bufs, count, sent, flags, NULL, 0, ov, routine, thread, err);
}

BOOL WSPAPI afd_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD transferred, BOOL wait,
                                      LPDWORD flags, LPINT err)
{
    NTSTATUS status = (NTSTATUS)__atomic_load_n((volatile LONG *)&ov->Internal, __ATOMIC_ACQUIRE);
    if (status == STATUS_PENDING) {
        if (!wait) {
            *err = WSA_IO_INCOMPLETE;
            return FALSE;
        }
        /* The low bit of hEvent only tags the completion port rule; it is not the handle. */
        HANDLE event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
        if (WaitForSingleObject(event ? event : (HANDLE)s, INFINITE) == WAIT_FAILED) {
            *err = WSA_INVALID_HANDLE;
            return FALSE;
        }
        status = (NTSTATUS)ov->Internal;
    }
    *transferred = (DWORD)ov->InternalHigh;
    if (status) {
        /* A failed operation leaves the caller's flags as they were, as Windows does. */
        *err = ws_error_from_status(status);
        if (*err == WSAECONNRESET) {
            struct ws_socket *sock = sock_table_find(s);
            if (sock && sock->type == SOCK_STREAM) InterlockedOr(&sock->flags, WS_SOCK_RESET);
        }
        return NT_SUCCESS(status);
    }
    if (flags) *flags = 0;
    return TRUE;
}
