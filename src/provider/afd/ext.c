/*
 * The Microsoft extension functions of the AFD provider, handed out by WSAIoctl's
 * SIO_GET_EXTENSION_FUNCTION_POINTER: AcceptEx, GetAcceptExSockaddrs, ConnectEx, DisconnectEx,
 * TransmitFile, TransmitPackets and WSARecvMsg (WSASendMsg is also an export: src/api/msg.c).
 *
 * Programs call these directly, so each one is an entry point as well: startup check, the
 * arguments in the order of its reference page, the socket, one request. Every operation a
 * program can overlap completes through afd_transfer, exactly as WSARecv does: event,
 * completion routine or completion port, and the record the final WSACleanup aborts.
 *
 * Known gaps, both in what Wine's socket device offers: TF_REUSE_SOCKET (DisconnectEx,
 * TransmitFile, TransmitPackets) leaves the socket disconnected but not reusable, and their
 * TF_DISCONNECT is carried out only when the transmission finishes before the call returns.
 * TransmitPackets sends the packet arrays that one request of the device can carry.
 */
#include "openws2/afd_provider.h"
#include <mswsock.h>
#include <limits.h>

/* Parameter blocks of the socket device's ACCEPT_INTO and TRANSMIT requests. */
struct afd_accept_into_in {
    ULONG acceptor;
    unsigned int recv_len, local_len; /* the remote block takes the rest of the output */
};

struct afd_transmit_in {
    LARGE_INTEGER offset; /* FILE_POINTER_POSITION: from the file's current position */
    ULONGLONG head, tail; /* pointers, 64-bit for both bitnesses */
    DWORD head_len, tail_len;
    ULONG file;
    DWORD file_len, buffer_size, flags;
};
_Static_assert(sizeof(struct afd_transmit_in) == 48, "TRANSMIT parameter layout");

#define FILE_POINTER_POSITION ((LONGLONG)-2)
/* TransmitFile's limit: a 32-bit integer minus one. */
#define TRANSMIT_MAX 2147483646u

static BOOL fail_false(int error)
{
    SetLastError(error);
    return FALSE;
}

/* The answer of a function that may pend: TRUE on immediate completion, else FALSE with the
   error (WSA_IO_PENDING, which is ERROR_IO_PENDING, when the operation is under way). */
static BOOL finish(int ret, int err)
{
    if (ret) return fail_false(err);
    SetLastError(0);
    return TRUE;
}

/* An output pointer the reference page lets the program leave out or pass as garbage. */
static LPDWORD optional_out(LPDWORD p)
{
    return p && ws_writable(p, sizeof(*p)) ? p : NULL;
}

/* Socket state the checks below need; asked of the socket device only where the user-mode
   context cannot tell, and on error paths. */
static bool is_bound(SOCKET s)
{
    SOCKADDR_STORAGE addr;
    return !afd_sync_request(s, AFD_GETSOCKNAME, NULL, 0, &addr, sizeof(addr), NULL, false);
}

static bool is_connected(SOCKET s)
{
    SOCKADDR_STORAGE addr;
    return !afd_sync_request(s, AFD_WINE(AFD_W_GETPEERNAME), NULL, 0, &addr, sizeof(addr), NULL,
                             false);
}

static bool is_listening(SOCKET s, struct ws_socket *sock)
{
    int listening = 0;
    if (sock->flags & WS_SOCK_LISTENING) return true;
    /* A socket adopted from elsewhere may listen without our having seen it (SO_ACCEPTCONN). */
    if (afd_sync_request(s, AFD_WINE(AFD_W_FIRST_OPTION), NULL, 0, &listening, sizeof(listening),
                         NULL, false) ||
        !listening)
        return false;
    InterlockedOr(&sock->flags, WS_SOCK_LISTENING);
    return true;
}

/* ---- AcceptEx and GetAcceptExSockaddrs ---- */

static BOOL WINAPI ext_AcceptEx(SOCKET listener, SOCKET acceptor, PVOID buffer, DWORD recv_len,
                                DWORD local_len, DWORD remote_len, LPDWORD received,
                                LPOVERLAPPED ov)
{
    ULONGLONG total = (ULONGLONG)recv_len + local_len + remote_len;
    struct ws_socket *lsock, *asock;
    struct afd_accept_into_in in;
    int ret, err = 0;

    if (!ws_started()) return fail_false(WSANOTINITIALISED);
    /* AcceptEx has no synchronous form: the OVERLAPPED is required. */
    if (!ov) return fail_false(WSA_INVALID_PARAMETER);
    if (!ws_writable(ov, sizeof(*ov))) return fail_false(WSAEFAULT);
    /* Windows marks the operation pending before it looks at the sockets. */
    ov->Internal = STATUS_PENDING;
    if (!(lsock = sock_table_find(listener)) || !(asock = sock_table_find(acceptor)))
        return fail_false(WSAENOTSOCK);
    /* The buffer must be given, with room for the remote address at least. */
    if (!buffer || !remote_len || total > ULONG_MAX || !ws_writable(buffer, (size_t)total))
        return fail_false(WSAEFAULT);
    /* The listener must listen; the accept socket must be of its type and neither bound nor
       connected. */
    if (!is_listening(listener, lsock) || asock->type != lsock->type || is_bound(acceptor))
        return fail_false(WSAEINVAL);

    in.acceptor = HandleToULong((HANDLE)acceptor);
    in.recv_len = recv_len;
    in.local_len = local_len;
    ret = afd_transfer(listener, AFD_WINE(AFD_W_ACCEPT_INTO), &in, sizeof(in), buffer, (ULONG)total,
                       optional_out(received), ov, NULL, &err);
    if (ret && err != WSA_IO_PENDING) return fail_false(err);
    /* The socket device gives the accepted connection the listener's family, type and
       protocol; the accept socket's context says so from now on. */
    asock->family = lsock->family;
    asock->protocol = lsock->protocol;
    InterlockedOr(&asock->flags, WS_SOCK_CONNECTING);
    return finish(ret, err);
}

/* Each address block AcceptEx filled is an int (the address length) followed by the address.
   A block too small to hold even the length is not looked at, and its outputs are left as
   they were, as Windows does for a local length of 0; so are they when the block or the
   outputs are not memory the call may use (the function has no way to report an error). */
static void read_block(char *block, DWORD size, struct sockaddr **addr, LPINT len)
{
    if (size < sizeof(int) || !ws_readable(block, sizeof(int)) ||
        !ws_writable(addr, sizeof(*addr)) || !ws_writable(len, sizeof(*len)))
        return;
    memcpy(len, block, sizeof(int));
    *addr = (struct sockaddr *)(block + sizeof(int));
}

static void WINAPI ext_GetAcceptExSockaddrs(PVOID buffer, DWORD recv_len, DWORD local_len,
                                            DWORD remote_len, struct sockaddr **local,
                                            LPINT local_size, struct sockaddr **remote,
                                            LPINT remote_size)
{
    char *base = buffer;
    /* Offsets past the address space leave the outputs alone, as a block that is not there. */
    if (!base || (ULONGLONG)recv_len + local_len > (ULONG_PTR)-1 - (ULONG_PTR)base) return;
    read_block(base + recv_len, local_len, local, local_size);
    read_block(base + recv_len + local_len, remote_len, remote, remote_size);
}

/* ---- ConnectEx ---- */

/* Requests up to this size are built on the stack; larger send data takes a heap block. */
#define CONNECT_STACK 512

static BOOL WINAPI ext_ConnectEx(SOCKET s, const struct sockaddr *name, int namelen, PVOID send_buf,
                                 DWORD send_len, LPDWORD sent, LPOVERLAPPED ov)
{
    union {
        struct afd_connect_in head;
        char bytes[CONNECT_STACK];
    } stack;
    struct afd_connect_in *in = &stack.head;
    struct ws_socket *sock;
    ULONG size;
    int ret, err = 0;

    if (!ws_started()) return fail_false(WSANOTINITIALISED);
    if (!ov) return fail_false(WSA_INVALID_PARAMETER);
    if (!ws_writable(ov, sizeof(*ov))) return fail_false(WSAEFAULT);
    ov->Internal = STATUS_PENDING;
    if (!(sock = sock_table_find(s))) return fail_false(WSAENOTSOCK);
    if ((err = afd_check_sockaddr(name, namelen))) return fail_false(err);
    /* The page: the length is ignored when there is no send buffer. */
    if (!send_buf) send_len = 0;
    if (send_len && !ws_readable(send_buf, send_len)) return fail_false(WSAEFAULT);
    if (namelen > (int)sizeof(SOCKADDR_STORAGE)) namelen = sizeof(SOCKADDR_STORAGE);
    if (send_len > ULONG_MAX - sizeof(*in) - namelen) return fail_false(WSAENOBUFS);

    /* One request carries the address and the data to send once connected. An unbound or
       listening socket is refused by the socket device (WSAEINVAL), as is a connected one
       (WSAEISCONN). */
    size = sizeof(*in) + namelen + send_len;
    if (size > sizeof(stack) && !(in = HeapAlloc(GetProcessHeap(), 0, size)))
        return fail_false(WSAENOBUFS);
    in->addr_len = namelen;
    in->synchronous = FALSE;
    memcpy(in + 1, name, namelen);
    if (send_len) memcpy((char *)(in + 1) + namelen, send_buf, send_len);
    ret = afd_transfer(s, AFD_WINE(AFD_W_CONNECT), in, size, NULL, 0, optional_out(sent), ov, NULL,
                       &err);
    if (in != &stack.head) HeapFree(GetProcessHeap(), 0, in);
    if (ret && err != WSA_IO_PENDING) return fail_false(err);
    InterlockedOr(&sock->flags, WS_SOCK_CONNECTING | WS_SOCK_CONNECTEX);
    return finish(ret, err);
}

/* ---- DisconnectEx ---- */

/*
 * Windows completes an overlapped DisconnectEx through the port even when the socket skips the
 * port on immediate success. The device's shutdown request always finishes at once, so the
 * completion comes from an empty transmission issued first under the program's OVERLAPPED: the
 * device treats that request as pending whatever happens, and it finishes (with no bytes) once
 * the sends queued before it are done. The shutdown itself follows synchronously. Returns
 * false when the transmission cannot be issued (no peer left to send to).
 */
static bool disconnect_through_transmit(SOCKET s, struct ws_socket *sock, LPOVERLAPPED ov)
{
    struct afd_transmit_in in = {0};
    int how = SD_SEND, err = 0;

    if (sock->type != SOCK_STREAM) return false;
    in.offset.QuadPart = FILE_POINTER_POSITION;
    if (afd_transfer(s, AFD_WINE(AFD_W_TRANSMIT), &in, sizeof(in), NULL, 0, NULL, ov, NULL, &err) &&
        err != WSA_IO_PENDING)
        return false;
    afd_sync_request(s, AFD_WINE(AFD_W_SHUTDOWN), &how, sizeof(how), NULL, 0, NULL, false);
    return true;
}

static BOOL WINAPI ext_DisconnectEx(SOCKET s, LPOVERLAPPED ov, DWORD flags, DWORD reserved)
{
    struct ws_socket *sock;
    int how = SD_SEND, err = 0;

    if (!ws_started()) return fail_false(WSANOTINITIALISED);
    if (!(sock = sock_table_find(s))) return fail_false(WSAENOTSOCK);
    if (ov && !ws_writable(ov, sizeof(*ov))) return fail_false(WSAEFAULT);
    if ((flags & ~TF_REUSE_SOCKET) || reserved) return fail_false(WSAEINVAL);
    /* A graceful close of the sending side; an unconnected socket is refused by the socket
       device with WSAENOTCONN. TF_REUSE_SOCKET is accepted, but the socket cannot be handed to
       AcceptEx or ConnectEx again afterwards (Wine's socket device has no reuse). */
    if (ov && disconnect_through_transmit(s, sock, ov)) return fail_false(WSA_IO_PENDING);
    if (afd_transfer(s, AFD_WINE(AFD_W_SHUTDOWN), &how, sizeof(how), NULL, 0, NULL, ov, NULL, &err))
        return fail_false(err);
    /* Windows reports an overlapped disconnect as pending even when it is done at once; its
       completion reaches the event or the port all the same. */
    if (ov) return fail_false(WSA_IO_PENDING);
    SetLastError(0);
    return TRUE;
}

/* ---- TransmitFile ---- */

static BOOL WINAPI ext_TransmitFile(SOCKET s, HANDLE file, DWORD file_len, DWORD per_send,
                                    LPOVERLAPPED ov, LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    struct afd_transmit_in in = {0};
    struct ws_socket *sock;
    int ret, err = 0;

    if (!ws_started()) return fail_false(WSANOTINITIALISED);
    if (!(sock = sock_table_find(s))) return fail_false(WSAENOTSOCK);
    if ((buffers && !ws_readable(buffers, sizeof(*buffers))) ||
        (ov && !ws_writable(ov, sizeof(*ov))))
        return fail_false(WSAEFAULT);
    if (buffers && ((buffers->HeadLength && !ws_readable(buffers->Head, buffers->HeadLength)) ||
                    (buffers->TailLength && !ws_readable(buffers->Tail, buffers->TailLength))))
        return fail_false(WSAEFAULT);
    /* Stream sockets only, TF_REUSE_SOCKET only with TF_DISCONNECT, and at most TRANSMIT_MAX
       bytes of file. Windows reports a socket that is not connected before any of these. */
    if (sock->type != SOCK_STREAM || ((flags & TF_REUSE_SOCKET) && !(flags & TF_DISCONNECT)) ||
        file_len > TRANSMIT_MAX)
        return fail_false(is_connected(s) ? WSAEINVAL : WSAENOTCONN);

    /* With an OVERLAPPED the file offset is its Offset/OffsetHigh, else the file's position. */
    in.offset.QuadPart = FILE_POINTER_POSITION;
    if (ov) {
        in.offset.LowPart = ov->Offset;
        in.offset.HighPart = (LONG)ov->OffsetHigh;
    }
    if (buffers) {
        in.head = (ULONG_PTR)buffers->Head;
        in.head_len = buffers->HeadLength;
        in.tail = (ULONG_PTR)buffers->Tail;
        in.tail_len = buffers->TailLength;
    }
    in.file = HandleToULong(file);
    in.file_len = file_len;
    in.buffer_size = per_send;
    in.flags = flags;
    ret = afd_transfer(s, AFD_WINE(AFD_W_TRANSMIT), &in, sizeof(in), NULL, 0, NULL, ov, NULL, &err);
    /* The socket device ignores TF_DISCONNECT; it is done here when the transmission finished
       within the call. */
    if (!ret && (flags & TF_DISCONNECT)) {
        int ignored;
        afd_shutdown(s, SD_SEND, &ignored);
    }
    return finish(ret, err);
}

/* ---- TransmitPackets ---- */

/*
 * The socket device has two requests that send several pieces at once: a gathered send of
 * buffers, and TransmitFile's head, one file, tail. A packet array is sent with one of them:
 * buffers only (on a datagram socket, one datagram: only the last element may end a packet), or
 * one file with at most one buffer before and one after (stream sockets). Other shapes (several
 * files, several datagrams, more than TP_BUFFERS_MAX buffers) would need several requests under
 * one OVERLAPPED and fail with WSAEINVAL.
 */
#define TP_BUFFERS_MAX 64
#define TP_FLAGS_KNOWN                                                                             \
    (TF_DISCONNECT | TF_REUSE_SOCKET | TF_USE_DEFAULT_WORKER | TF_USE_SYSTEM_THREAD |            \
     TF_USE_KERNEL_APC)

static BOOL WINAPI ext_TransmitPackets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements, DWORD count,
                                       DWORD send_size, LPOVERLAPPED ov, DWORD flags)
{
    WSABUF bufs[TP_BUFFERS_MAX];
    const TRANSMIT_PACKETS_ELEMENT *file = NULL;
    struct ws_socket *sock;
    DWORD nbufs = 0, before = 0;
    int ret, err = 0;

    if (!ws_started()) return fail_false(WSANOTINITIALISED);
    if (!(sock = sock_table_find(s))) return fail_false(WSAENOTSOCK);
    if ((ov && !ws_writable(ov, sizeof(*ov))) ||
        (count && !ws_readable(elements, (size_t)count * sizeof(*elements))))
        return fail_false(WSAEFAULT);
    if ((flags & ~TP_FLAGS_KNOWN) || ((flags & TF_REUSE_SOCKET) && !(flags & TF_DISCONNECT)))
        return fail_false(WSAEINVAL);
    if (!is_connected(s)) return fail_false(WSAENOTCONN);

    for (DWORD i = 0; i < count; i++) {
        const TRANSMIT_PACKETS_ELEMENT *e = &elements[i];
        DWORD kind = e->dwElFlags & (TP_ELEMENT_MEMORY | TP_ELEMENT_FILE);
        /* An element is memory or a file, and a datagram ends only with the array. */
        if ((kind != TP_ELEMENT_MEMORY && kind != TP_ELEMENT_FILE) ||
            (e->dwElFlags & ~(TP_ELEMENT_MEMORY | TP_ELEMENT_FILE | TP_ELEMENT_EOP)) ||
            ((e->dwElFlags & TP_ELEMENT_EOP) && sock->type != SOCK_STREAM && i + 1 < count))
            return fail_false(WSAEINVAL);
        if (e->dwElFlags & TP_ELEMENT_FILE) {
            if (file || sock->type != SOCK_STREAM) return fail_false(WSAEINVAL);
            file = e;
            before = nbufs;
            continue;
        }
        if (e->cLength && !ws_readable(e->pBuffer, e->cLength)) return fail_false(WSAEFAULT);
        if (nbufs == TP_BUFFERS_MAX) return fail_false(WSAEINVAL);
        bufs[nbufs].buf = e->pBuffer;
        bufs[nbufs++].len = e->cLength;
    }

    if (!file) {
        struct afd_sendmsg_in in = {
            .force_async = ov != NULL, .count = nbufs, .buffers = (ULONG_PTR)bufs};
        ret = afd_transfer(s, AFD_WINE(AFD_W_SENDMSG), &in, sizeof(in), NULL, 0, NULL, ov, NULL,
                           &err);
    } else {
        struct afd_transmit_in in = {0};
        if (before > 1 || nbufs - before > 1 || file->cLength > TRANSMIT_MAX)
            return fail_false(WSAEINVAL);
        in.offset = file->nFileOffset;
        in.file = HandleToULong(file->hFile);
        in.file_len = file->cLength;
        if (before) {
            in.head = (ULONG_PTR)bufs[0].buf;
            in.head_len = bufs[0].len;
        }
        if (nbufs > before) {
            in.tail = (ULONG_PTR)bufs[before].buf;
            in.tail_len = bufs[before].len;
        }
        in.buffer_size = send_size;
        in.flags = flags;
        ret = afd_transfer(s, AFD_WINE(AFD_W_TRANSMIT), &in, sizeof(in), NULL, 0, NULL, ov, NULL,
                           &err);
    }
    /* As for TransmitFile: the disconnect is done here when the sending finished in the call. */
    if (!ret && (flags & TF_DISCONNECT)) {
        int ignored;
        afd_shutdown(s, SD_SEND, &ignored);
    }
    return finish(ret, err);
}

/* ---- WSARecvMsg ---- */

static int WSAAPI ext_WSARecvMsg(SOCKET s, LPWSAMSG msg, LPDWORD received, LPWSAOVERLAPPED ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct afd_recvmsg_in in;
    struct ws_socket *sock;
    int err;

    if (!(sock = ws_enter(s, &err))) return ws_fail(err);
    if (!msg || !ws_writable(msg, sizeof(*msg))) return ws_fail(WSAEFAULT);
    if (!ov && (!received || !ws_writable(received, sizeof(*received)))) return ws_fail(WSAEFAULT);
    /* A missing name or control buffer must come with a length of 0; a name must fit the
       source address, or the datagram would be consumed for nothing. */
    if (msg->name
            ? msg->namelen < ws_sockaddr_len(sock->family) || !ws_writable(msg->name, msg->namelen)
            : msg->namelen != 0)
        return ws_fail(WSAEFAULT);
    if (msg->Control.buf ? msg->Control.len && !ws_writable(msg->Control.buf, msg->Control.len)
                         : msg->Control.len != 0)
        return ws_fail(WSAEFAULT);
    /* MSG_PEEK is the one input flag, and only for datagrams. */
    if ((msg->dwFlags & MSG_PEEK) && sock->type == SOCK_STREAM) return ws_fail(WSAEOPNOTSUPP);

    /* The socket device writes the control data, its length, the source address and length,
       and the output flags (MSG_CTRUNC, MSG_TRUNC...) straight into the WSAMSG; for an
       overlapped receive that happens at completion, so the WSAMSG must stay valid until
       then, as the page requires. */
    in.control = (ULONG_PTR)&msg->Control;
    in.addr = (ULONG_PTR)msg->name;
    in.addr_len = msg->name ? (ULONG_PTR)&msg->namelen : 0;
    in.flags = (ULONG_PTR)&msg->dwFlags;
    in.force_async = ov != NULL;
    in.count = msg->dwBufferCount;
    in.buffers = (ULONG_PTR)msg->lpBuffers;
    if (in.count > AFD_BUFS_UNCHECKED && (err = afd_check_bufs(msg->lpBuffers, in.count)))
        return ws_fail(err);
    if (afd_transfer(s, AFD_WINE(AFD_W_RECVMSG), &in, sizeof(in), NULL, 0, received, ov, routine,
                     &err))
        return ws_fail(err);
    SetLastError(0);
    return 0;
}

/* ---- SIO_GET_EXTENSION_FUNCTION_POINTER ---- */

static const struct {
    GUID guid;
    void *function;
} extensions[] = {
    {WSAID_ACCEPTEX, (void *)ext_AcceptEx},
    {WSAID_GETACCEPTEXSOCKADDRS, (void *)ext_GetAcceptExSockaddrs},
    {WSAID_CONNECTEX, (void *)ext_ConnectEx},
    {WSAID_DISCONNECTEX, (void *)ext_DisconnectEx},
    {WSAID_TRANSMITFILE, (void *)ext_TransmitFile},
    {WSAID_TRANSMITPACKETS, (void *)ext_TransmitPackets},
    {WSAID_WSARECVMSG, (void *)ext_WSARecvMsg},
    {WSAID_WSASENDMSG, (void *)WSASendMsg},
};

int afd_get_extension_function(SOCKET s, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                               LPDWORD returned, LPWSAOVERLAPPED ov,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err)
{
    void *function = NULL;
    NTSTATUS success = STATUS_OK;

    if (!in || in_len < sizeof(GUID) || !ws_readable(in, sizeof(GUID))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    for (size_t i = 0; i < ARRAY_COUNT(extensions) && !function; i++)
        if (!memcmp(in, &extensions[i].guid, sizeof(GUID))) function = extensions[i].function;
    /* An unknown GUID fails with WSAEINVAL, touching neither the byte count nor the
       OVERLAPPED, and nothing is posted. */
    if (!function) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (!out || out_len < sizeof(function) || !ws_writable(out, sizeof(function)) ||
        (ov && !ws_writable(ov, sizeof(*ov)))) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    memcpy(out, &function, sizeof(function));
    *returned = sizeof(function);
    if (!ov) return 0;
    /* Answered at once, yet an overlapped request still completes through its OVERLAPPED:
       Windows sets the event, queues the routine or posts to the port (0 bytes, success). The
       socket device's COMPLETE_ASYNC request does exactly that. */
    if (afd_transfer(s, AFD_WINE(AFD_W_COMPLETE_ASYNC), &success, sizeof(success), NULL, 0, NULL,
                     ov, routine, err) &&
        *err != WSA_IO_PENDING)
        return SOCKET_ERROR;
    return 0;
}
