/* The AFD provider: socket creation, addresses and connections over Wine's socket device. */
#include "openws2/afd_provider.h"

#define STATUS_ADDRESS_ALREADY_ASSOCIATED_ NT_STATUS(0xC0000238)

int afd_error(NTSTATUS status)
{
    return ws_error_from_status(status);
}

NTSTATUS afd_sync_request(SOCKET s, ULONG code, const void *in, ULONG in_len, void *out,
                          ULONG out_len, ULONG_PTR *info, bool alertable)
{
    IO_STATUS_BLOCK io;
    HANDLE event = ws_thread_sync_event();
    NTSTATUS status;

    if (!event) return NT_STATUS(0xC0000017); /* STATUS_NO_MEMORY */
    io.Status = STATUS_PENDING;
    io.Information = 0;
    status = NtDeviceIoControlFile((HANDLE)s, event, NULL, NULL, &io, code, (void *)in, in_len,
                                   out, out_len);
    if (status == STATUS_PENDING) {
        struct ws_thread *hooked = ws_blocking_hooked();
        DWORD ret;
        if (hooked) ws_blocking_wait(hooked, s, event, &io);
        else
            do ret = WaitForSingleObjectEx(event, INFINITE, alertable);
            while (ret == WAIT_IO_COMPLETION);
        status = io.Status;
        /* Cancelled under a blocking call: closesocket or WSACleanup in another thread. Windows
           reports the interrupted call with WSAEINTR. */
        if (status == STATUS_CANCELLED_ || status == STATUS_HANDLES_CLOSED_)
            status = NT_STATUS(0xC0000240); /* STATUS_REQUEST_ABORTED -> WSAEINTR */
    }
    if (info) *info = io.Information;
    return status;
}

/* The base protocols, as the catalog lists them: what af/type/protocol 0 resolve to. */
static const struct {
    int family, type, protocol, max_offset;
    bool matches_zero;
} base_protocols[] = {
    {AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, true},
    {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0, true},
    {AF_INET, SOCK_RAW, 0, 255, true},
    {AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0, true},
    {AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, true},
    {AF_INET6, SOCK_RAW, 0, 255, true},
};

/* Fill in a zero family, type or protocol from the first catalog entry that matches. */
static void complete_triple(int *af, int *type, int *protocol)
{
    if (*af && *type && *protocol) return;
    for (size_t i = 0; i < ARRAY_COUNT(base_protocols); i++) {
        const typeof(base_protocols[0]) *p = &base_protocols[i];
        if (*af && *af != p->family) continue;
        if (*type && *type != p->type) continue;
        if (*protocol && (*protocol < p->protocol || *protocol > p->protocol + p->max_offset))
            continue;
        if (!*protocol && !p->matches_zero) continue;
        if (!*af) *af = p->family;
        if (!*type) *type = p->type;
        if (!*protocol) *protocol = p->protocol;
        return;
    }
}

int afd_check_sockaddr(const struct sockaddr *addr, int len)
{
    int min;
    if (!addr || len < (int)sizeof(addr->sa_family) || !ws_readable(addr, len)) return WSAEFAULT;
    if (!(min = ws_sockaddr_len(addr->sa_family))) return WSAEAFNOSUPPORT;
    return len < min ? WSAEFAULT : 0;
}

HANDLE afd_private_socket(void)
{
    static const WCHAR device[] = L"\\Device\\Afd";
    UNICODE_STRING name = {sizeof(device) - sizeof(WCHAR), sizeof(device), (WCHAR *)device};
    struct afd_create_in create = {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0};
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    HANDLE handle;

    InitializeObjectAttributes(&attr, &name, 0, NULL, NULL);
    if (NtOpenFile(&handle, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &attr, &io, 0, 0))
        return NULL;
    if (NtDeviceIoControlFile(handle, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_CREATE), &create,
                              sizeof(create), NULL, 0)) {
        NtClose(handle);
        return NULL;
    }
    return handle;
}

SOCKET WSPAPI afd_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                         DWORD flags, LPINT err)
{
    static const WCHAR device[] = L"\\Device\\Afd";
    UNICODE_STRING name = {sizeof(device) - sizeof(WCHAR), sizeof(device), (WCHAR *)device};
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK io;
    struct afd_create_in create;
    HANDLE handle;
    NTSTATUS status;

    (void)g;
    if (info) {
        if (af == FROM_PROTOCOL_INFO || !af) af = info->iAddressFamily;
        if (type == FROM_PROTOCOL_INFO || !type) type = info->iSocketType;
        if (protocol == FROM_PROTOCOL_INFO || !protocol) protocol = info->iProtocol;
    }
    if (!af && !protocol) {
        *err = WSAEINVAL;
        return INVALID_SOCKET;
    }
    if (!af && info) {
        *err = WSAEAFNOSUPPORT;
        return INVALID_SOCKET;
    }
    complete_triple(&af, &type, &protocol);

    InitializeObjectAttributes(&attr, &name,
                               (flags & WSA_FLAG_NO_HANDLE_INHERIT) ? 0 : OBJ_INHERIT, NULL, NULL);
    /* WSA_FLAG_ACCESS_SYSTEM_SECURITY: the handle may read and set the socket's SACL. */
    status =
        NtOpenFile(&handle,
                   GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE |
                       ((flags & WSA_FLAG_ACCESS_SYSTEM_SECURITY) ? ACCESS_SYSTEM_SECURITY : 0),
                   &attr, &io, 0, (flags & WSA_FLAG_OVERLAPPED) ? 0 : FILE_SYNCHRONOUS_IO_NONALERT);
    if (status) {
        *err = afd_error(status);
        return INVALID_SOCKET;
    }
    create.family = af;
    create.type = type;
    create.protocol = protocol;
    create.wsa_flags = flags & ~(WSA_FLAG_NO_HANDLE_INHERIT | WSA_FLAG_OVERLAPPED |
                                 WSA_FLAG_ACCESS_SYSTEM_SECURITY);
    status = NtDeviceIoControlFile(handle, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_CREATE), &create,
                                   sizeof(create), NULL, 0);
    if (status) {
        NtClose(handle);
        *err = afd_error(status);
        /* The device judges an unknown protocol before an unknown family; Windows the family
           first (only an unknown type comes before it). */
        if (*err == WSAEPROTONOSUPPORT && af != AF_UNSPEC && af != AF_INET && af != AF_INET6)
            *err = WSAEAFNOSUPPORT;
        return INVALID_SOCKET;
    }
    if (!sock_table_insert((SOCKET)handle, &afd_provider, af, type, protocol,
                           WS_SOCK_MODE_KNOWN |
                               ((flags & WSA_FLAG_OVERLAPPED) ? WS_SOCK_OVERLAPPED : 0))) {
        NtClose(handle);
        *err = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    *err = 0;
    return (SOCKET)handle;
}

int WSPAPI afd_closesocket(SOCKET s, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);
    if (!sock) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    /* Before the handle can be reused: no WSAAsyncSelect message for it after this. */
    if (sock->flags & WS_SOCK_NOTIFY) afd_notify_unregister(s);
    afd_psn_closing(s); /* nor a socket state notification */
    if (sock->select_event) afd_keep_select_event(sock, NULL);
    sock_table_remove(sock);
    /* A blocking call of another thread on this socket returns WSAEINTR, as on Windows. */
    if (!CloseHandle((HANDLE)s)) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    return 0;
}

/*
 * Whether an IPv6 scope id names one of the machine's interfaces. The host checks it only for
 * link-local addresses and ignores it otherwise; Windows refuses a bind to any address with a
 * scope id that names no interface (WSAEADDRNOTAVAIL). iphlpapi is loaded on the first such bind.
 */
typedef DWORD(WINAPI *index_to_luid_fn)(ULONG index, void *luid);

static bool interface_exists(ULONG index)
{
    static void *volatile proc;
    ULONG64 luid;
    void *found = proc;

    if (!found) {
        HMODULE module = LoadLibraryW(L"iphlpapi.dll");
        if (!module || !(found = (void *)GetProcAddress(module, "ConvertInterfaceIndexToLuid")))
            return true; /* cannot tell: leave it to the host */
        proc = found;
    }
    return ((index_to_luid_fn)found)(index, &luid) == NO_ERROR;
}

int WSPAPI afd_bind(SOCKET s, const struct sockaddr *addr, int len, LPINT err)
{
    struct afd_bind_in in;
    SOCKADDR_STORAGE bound;
    NTSTATUS status;

    if ((*err = afd_check_sockaddr(addr, len))) return SOCKET_ERROR;
    if (addr->sa_family == AF_INET6 && ((const SOCKADDR_IN6 *)addr)->sin6_scope_id &&
        !interface_exists(((const SOCKADDR_IN6 *)addr)->sin6_scope_id)) {
        *err = WSAEADDRNOTAVAIL;
        return SOCKET_ERROR;
    }
    if (len > (int)sizeof(in.addr)) len = sizeof(in.addr);
    in.reserved = 0;
    memcpy(&in.addr, addr, len);
    status = afd_sync_request(s, AFD_BIND, &in, offsetof(struct afd_bind_in, addr) + len, &bound,
                              sizeof(bound), NULL, false);
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    return 0;
}

int WSPAPI afd_listen(SOCKET s, int backlog, LPINT err)
{
    struct afd_listen_in in = {.backlog = backlog};
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_LISTEN, &in,
                                            sizeof(in), NULL, 0);
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    struct ws_socket *sock = sock_table_find(s);
    if (sock) InterlockedOr(&sock->flags, WS_SOCK_LISTENING);
    return 0;
}

/*
 * WSAAccept's condition function, asked about a connection already taken off the queue. The
 * caller id is the peer's address and the callee id our own; TCP carries no connect data and
 * no QoS, so those come as NULL (callee data as an empty buffer the function cannot fill).
 * CF_REJECT resets the connection for the peer; CF_DEFER hands it back to the listener (the
 * next accept gets it again). Returns 0 to keep the connection, else the caller's error.
 */
static int accept_condition(SOCKET listener, SOCKET accepted, LPCONDITIONPROC condition,
                            DWORD_PTR data)
{
    SOCKADDR_STORAGE peer, local;
    int peer_len = sizeof(peer), local_len = sizeof(local), ignored, verdict, error;
    WSABUF caller_id, callee_id, callee_data = {0, NULL};
    GROUP group = 0;
    struct linger abort_close = {1, 0};
    ULONG handle = (ULONG)accepted;
    IO_STATUS_BLOCK io;
    NTSTATUS status;

    if (afd_getpeername(accepted, (struct sockaddr *)&peer, &peer_len, &ignored)) peer_len = 0;
    if (afd_getsockname(accepted, (struct sockaddr *)&local, &local_len, &ignored)) local_len = 0;
    caller_id.buf = (char *)&peer;
    caller_id.len = peer_len;
    callee_id.buf = (char *)&local;
    callee_id.len = local_len;
    verdict = condition(peer_len ? &caller_id : NULL, NULL, NULL, NULL,
                        local_len ? &callee_id : NULL, &callee_data, &group, data);
    switch (verdict) {
    case CF_ACCEPT: return 0;
    case CF_DEFER:
        /* The device keeps its own reference to the deferred connection: our handle goes. */
        status = NtDeviceIoControlFile((HANDLE)listener, NULL, NULL, NULL, &io,
                                       AFD_WINE(AFD_W_DEFER), &handle, sizeof(handle), NULL, 0);
        error = status ? afd_error(status) : WSATRY_AGAIN;
        afd_closesocket(accepted, &ignored);
        return error;
    default:
        /* CF_REJECT, or a value the page calls invalid: the peer sees a reset. */
        afd_setsockopt(accepted, SOL_SOCKET, SO_LINGER, (const char *)&abort_close,
                       sizeof(abort_close), &ignored);
        afd_closesocket(accepted, &ignored);
        return verdict == CF_REJECT ? WSAECONNREFUSED : WSAEINVAL;
    }
}

SOCKET WSPAPI afd_accept(SOCKET s, struct sockaddr *addr, LPINT len, LPCONDITIONPROC condition,
                         DWORD_PTR data, LPINT err)
{
    struct ws_socket *listener = sock_table_find(s);
    ULONG_PTR info;
    ULONG handle = 0;
    NTSTATUS status;

    status = afd_sync_request(s, AFD_WINE(AFD_W_ACCEPT), NULL, 0, &handle, sizeof(handle), &info,
                              true);
    if (status) {
        *err = afd_error(status);
        return INVALID_SOCKET;
    }
    /* The accepted socket inherits the listener's family, type and protocol, its blocking mode
       and event selection (the device copies both), and its keep-alive times (the host does). */
    struct ws_socket *accepted = sock_table_insert(
        (SOCKET)(ULONG_PTR)handle, &afd_provider, listener->family, listener->type,
        listener->protocol,
        WS_SOCK_OVERLAPPED | WS_SOCK_CONNECTING | WS_SOCK_CONNECTED |
            (listener->flags & (WS_SOCK_NONBLOCKING | WS_SOCK_EVENTSELECT | WS_SOCK_MODE_KNOWN)));
    if (!accepted) {
        CloseHandle((HANDLE)(ULONG_PTR)handle);
        *err = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    accepted->keepalive_time = listener->keepalive_time;
    accepted->keepalive_interval = listener->keepalive_interval;
    afd_async_select_accepted(s, (SOCKET)(ULONG_PTR)handle);
    if (condition && (*err = accept_condition(s, (SOCKET)(ULONG_PTR)handle, condition, data)))
        return INVALID_SOCKET;
    if (addr && afd_getpeername((SOCKET)(ULONG_PTR)handle, addr, len, err)) {
        int ignored;
        afd_closesocket((SOCKET)(ULONG_PTR)handle, &ignored);
        return INVALID_SOCKET;
    }
    return (SOCKET)(ULONG_PTR)handle;
}

static void keep_connect_target(struct ws_socket *sock, const struct sockaddr *addr, int len);

int WSPAPI afd_connect(SOCKET s, const struct sockaddr *addr, int len, LPWSABUF caller_data,
                       LPWSABUF callee_data, LPQOS sqos, LPQOS gqos, LPINT err)
{
    struct {
        struct afd_connect_in head;
        SOCKADDR_STORAGE addr;
    } in;
    NTSTATUS status;

    (void)caller_data;
    (void)callee_data;
    (void)sqos;
    (void)gqos;
    struct ws_socket *sock = sock_table_find(s);
    /* A datagram socket connected to AF_UNSPEC drops its peer, as on Windows. */
    bool dissolve = sock && sock->type != SOCK_STREAM && len >= (int)sizeof(addr->sa_family) &&
                    ws_readable(addr, sizeof(addr->sa_family)) && addr->sa_family == AF_UNSPEC;
    if (!dissolve && (*err = afd_check_sockaddr(addr, len))) return SOCKET_ERROR;
    if (len > (int)sizeof(in.addr)) len = sizeof(in.addr);
    if (dissolve && !ws_readable(addr, len)) len = sizeof(addr->sa_family);
    in.head.addr_len = len;
    in.head.synchronous = TRUE;
    if (sock) InterlockedOr(&sock->flags, WS_SOCK_CONNECTING);
    memcpy(&in.addr, addr, len);
    status = afd_sync_request(s, AFD_WINE(AFD_W_CONNECT), &in, sizeof(in.head) + len, NULL, 0,
                              NULL, false);
    if (status) {
        /* A connect already under way on a non-blocking socket. */
        *err = status == STATUS_ADDRESS_ALREADY_ASSOCIATED_ ? WSAEALREADY : afd_error(status);
        /* A socket connected by ConnectEx is not one connect may be called on at all. */
        if (*err == WSAEISCONN && sock && (sock->flags & WS_SOCK_CONNECTEX)) *err = WSAEINVAL;
        /* Under way on a non-blocking socket: getpeername names the target meanwhile. */
        if (*err == WSAEWOULDBLOCK && sock && sock->type == SOCK_STREAM)
            keep_connect_target(sock, (const struct sockaddr *)&in.addr, len);
        return SOCKET_ERROR;
    }
    if (sock) InterlockedOr(&sock->flags, WS_SOCK_CONNECTED);
    if (sock && !dissolve && sock->type != SOCK_STREAM && (sock->flags & WS_SOCK_EVENTSELECT))
        afd_select_datagram_connected(s);
    return 0;
}

int WSPAPI afd_shutdown(SOCKET s, int how, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);
    IO_STATUS_BLOCK io;
    NTSTATUS status;

    /* The host forgets the peer once the connection is closed both ways; Windows still names it:
       learn it while it can be asked (afd_getpeername keeps it). */
    if (sock && sock->type == SOCK_STREAM &&
        (!sock->peer_len || !(sock->flags & WS_SOCK_CONNECTED)))
        afd_peer_error(s);
    status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_SHUTDOWN), &how,
                                   sizeof(how), NULL, 0);
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    if (how == SD_BOTH && sock && (sock->flags & WS_SOCK_EVENTSELECT)) afd_select_after_shutdown(s);
    return 0;
}

static int query_name(SOCKET s, ULONG code, struct sockaddr *addr, LPINT len, LPINT err)
{
    IO_STATUS_BLOCK io;
    NTSTATUS status;

    if (!len || !ws_writable(len, sizeof(*len)) || !addr || *len < 0 ||
        !ws_writable(addr, *len)) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, code, NULL, 0, addr, *len);
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    *len = (int)io.Information;
    return 0;
}

/*
 * The local name of a stream socket can no longer change once it listens or is connected: the
 * user-mode context keeps it then, and getsockname answers without the device, as Windows'
 * msafd does. The peer is kept the same way once known. Readers copy a name under its sequence
 * count (odd while it is written).
 */
struct kept_name {
    volatile LONG *seq;
    int *len;
    SOCKADDR_INET *addr;
};

static struct kept_name local_name(struct ws_socket *sock)
{
    return (struct kept_name){&sock->name_seq, &sock->local_len, &sock->local};
}

static struct kept_name peer_name(struct ws_socket *sock)
{
    return (struct kept_name){&sock->peer_seq, &sock->peer_len, &sock->peer};
}

static bool cached_name(struct kept_name kept, struct sockaddr *addr, LPINT len, LPINT err)
{
    SOCKADDR_INET copy;
    LONG seq;
    int n;

    do {
        seq = *kept.seq;
        MemoryBarrier();
        if ((seq & 1) || !(n = *(volatile int *)kept.len)) return false;
        memcpy(&copy, kept.addr, sizeof(copy));
        MemoryBarrier();
    } while (seq != *kept.seq);
    if (!len || !ws_writable(len, sizeof(*len)) || !addr || *len < n || !ws_writable(addr, n)) {
        *err = WSAEFAULT;
        return true;
    }
    memcpy(addr, &copy, n);
    *len = n;
    *err = 0;
    return true;
}

static void keep_name(struct kept_name kept, const struct sockaddr *addr, int len)
{
    LONG seq = *kept.seq;
    if ((seq & 1) || len <= 0 || len > (int)sizeof(*kept.addr) ||
        InterlockedCompareExchange(kept.seq, seq + 1, seq) != seq)
        return; /* another thread is writing it */
    memcpy(kept.addr, addr, len);
    *kept.len = len;
    InterlockedExchange(kept.seq, seq + 2);
}

/* The address a connect under way goes to, kept as the peer until the connection is made
   (afd_getpeername then keeps the real one) or fails. */
static void keep_connect_target(struct ws_socket *sock, const struct sockaddr *addr, int len)
{
    if (!(sock->flags & WS_SOCK_CONNECTED)) keep_name(peer_name(sock), addr, len);
}

/* Whether the connect of a stream socket is still under way: the device reports neither its
   success nor its failure. */
static bool connect_under_way(SOCKET s)
{
    NTSTATUS status;
    int now = afd_poll_now(
        s, AFD_POLL_CONNECT | AFD_POLL_CONNECT_ERR | AFD_POLL_HUP | AFD_POLL_RESET, &status);
    return !status && !now;
}

int WSPAPI afd_getsockname(SOCKET s, struct sockaddr *addr, LPINT len, LPINT err)
{
    struct ws_socket *sock = sock_table_find(s);

    if (sock && sock->type == SOCK_STREAM && cached_name(local_name(sock), addr, len, err))
        return *err ? SOCKET_ERROR : 0;
    if (query_name(s, AFD_GETSOCKNAME, addr, len, err)) return SOCKET_ERROR;
    if (sock && sock->type == SOCK_STREAM &&
        (sock->flags & (WS_SOCK_LISTENING | WS_SOCK_CONNECTED)))
        keep_name(local_name(sock), addr, *len);
    return 0;
}

/*
 * Windows tells an unconnected socket (WSAENOTCONN) before it looks at the caller's buffers, so
 * the device is asked into our own buffer first. A stream socket that was connected keeps
 * naming its peer after the host has forgotten it (a connection shut down both ways), and one
 * whose connect is under way names the address it goes to, as Windows does.
 */
static int query_peer(SOCKET s, struct sockaddr *addr, LPINT len, LPINT err, bool target)
{
    struct ws_socket *sock = sock_table_find(s);
    bool stream = sock && sock->type == SOCK_STREAM;
    SOCKADDR_STORAGE peer;
    IO_STATUS_BLOCK io;
    NTSTATUS status;
    int n;

    status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_GETPEERNAME),
                                   NULL, 0, &peer, sizeof(peer));
    if (status) {
        *err = afd_error(status);
        if (stream && *err == WSAENOTCONN && sock->peer_len &&
            ((sock->flags & WS_SOCK_CONNECTED) ||
             (target && (sock->flags & WS_SOCK_CONNECTING) && connect_under_way(s))) &&
            cached_name(peer_name(sock), addr, len, err))
            return *err ? SOCKET_ERROR : 0;
        return SOCKET_ERROR;
    }
    n = (int)io.Information;
    if (stream) {
        /* A peer: the connection was made, whichever way (non-blocking connect, ConnectEx). The
           first time, it replaces the target kept while the connect was under way. */
        bool first = !(sock->flags & WS_SOCK_CONNECTED);
        if (first) InterlockedOr(&sock->flags, WS_SOCK_CONNECTED);
        if (first || !sock->peer_len) keep_name(peer_name(sock), (struct sockaddr *)&peer, n);
    }
    if (!len || !ws_writable(len, sizeof(*len)) || !addr || *len < n || !ws_writable(addr, n)) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    memcpy(addr, &peer, n);
    *len = n;
    return 0;
}

int WSPAPI afd_getpeername(SOCKET s, struct sockaddr *addr, LPINT len, LPINT err)
{
    return query_peer(s, addr, len, err, true);
}

int afd_peer_error(SOCKET s)
{
    SOCKADDR_STORAGE peer;
    int len = sizeof(peer), err = 0;
    return query_peer(s, (struct sockaddr *)&peer, &len, &err, false) ? err : 0;
}

int WSPAPI afd_cleanup(LPINT err)
{
    /* Beyond the socket table, only the notification threads: they end now. */
    afd_notify_cleanup();
    *err = 0;
    return 0;
}
