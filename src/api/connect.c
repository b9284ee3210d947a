/*
 * Entry points: the WinSock 2 ways to accept and connect (WSAAccept, WSAConnect) and the
 * connect-to-one-of helpers (WSAConnectByList, WSAConnectByNameA/W).
 *
 * WSAConnectByName resolves its names with GetAddrInfoW (numeric, local names, the hosts file,
 * DNS) and tries the addresses in the order the resolver sorts them.
 */
#include "openws2/core.h"

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                        DWORD_PTR data)
{
    int err;
    SOCKET ret;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) {
        SetLastError(err);
        return INVALID_SOCKET;
    }
    /* The address rules are accept's: a buffer without its length is ignored; a length below
       a sockaddr's is WSAEFAULT, checked before waiting. */
    if (!addrlen) addr = NULL;
    if (addr && (!ws_writable(addrlen, sizeof(*addrlen)) ||
                 *addrlen < (int)sizeof(struct sockaddr) || !ws_writable(addr, *addrlen))) {
        SetLastError(WSAEFAULT);
        return INVALID_SOCKET;
    }
    if (condition && !ws_readable((const void *)condition, 1)) {
        SetLastError(WSAEFAULT);
        return INVALID_SOCKET;
    }
    ret = sock->provider->procs.lpWSPAccept(s, addr, addrlen, condition, data, &err);
    if (ret == INVALID_SOCKET) SetLastError(err);
    return ret;
}

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller_data,
                      LPWSABUF callee_data, LPQOS sqos, LPQOS gqos)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);

    if (!sock) return ws_fail(err);
    if ((caller_data && !ws_readable(caller_data, sizeof(*caller_data))) ||
        (callee_data && !ws_writable(callee_data, sizeof(*callee_data))))
        return ws_fail(WSAEFAULT);
    /* Our transports carry no connect data (WSAEPROTONOSUPPORT: "not supported by the service
       provider") and no QoS (WSAEOPNOTSUPP: "the FLOWSPEC structures cannot be satisfied"). */
    if (caller_data && caller_data->len) return ws_fail(WSAEPROTONOSUPPORT);
    if (sqos || gqos) return ws_fail(WSAEOPNOTSUPP);
    /* No data ever comes back from the peer. */
    if (callee_data) callee_data->len = 0;
    if (sock->provider->procs.lpWSPConnect(s, name, namelen, caller_data, callee_data, sqos, gqos,
                                           &err))
        return ws_fail(err);
    return 0;
}

/* ---- connecting to one of several addresses ---- */

static BOOL fail_false(int error)
{
    SetLastError(error);
    return FALSE;
}

/* Wait for a non-blocking connect to finish: 0, WSAETIMEDOUT or the connection's error. */
static int wait_connected(const WSPPROC_TABLE *procs, SOCKET s, DWORD timeout_ms)
{
    fd_set writable, failed;
    struct timeval tv, *ptv = NULL;
    int n, err, value = 0, len = sizeof(value);

    writable.fd_count = failed.fd_count = 1;
    writable.fd_array[0] = failed.fd_array[0] = s;
    if (timeout_ms != INFINITE) {
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (timeout_ms % 1000) * 1000;
        ptv = &tv;
    }
    n = procs->lpWSPSelect(0, NULL, &writable, &failed, ptv, &err);
    if (n == SOCKET_ERROR) return err;
    if (n == 0) return WSAETIMEDOUT;
    if (writable.fd_count) return 0;
    if (procs->lpWSPGetSockOpt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len, &err)) return err;
    return value ? value : WSAECONNREFUSED;
}

/* Connect S to ADDR within TIMEOUT_MS (INFINITE: as long as it takes). A blocking socket is
   made non-blocking for the attempt so that it can be given up, then blocking again. AGAIN says
   an attempt on this socket failed before: the host's stack then answers the next connect once
   with the stale failure (WSAECONNABORTED) before it starts a new one. */
static int connect_one(struct ws_socket *sock, SOCKET s, const struct sockaddr *addr, int len,
                       DWORD timeout_ms, bool again)
{
    const WSPPROC_TABLE *procs = &sock->provider->procs;
    bool switched = false;
    u_long on = 1, off = 0;
    DWORD returned;
    int err, ignored;

    if (timeout_ms != INFINITE && !(sock->flags & (WS_SOCK_NONBLOCKING | WS_SOCK_EVENTSELECT))) {
        if (procs->lpWSPIoctl(s, FIONBIO, &on, sizeof(on), NULL, 0, &returned, NULL, NULL, NULL,
                              &err))
            return err;
        switched = true;
    }
    if (!procs->lpWSPConnect(s, addr, len, NULL, NULL, NULL, NULL, &err))
        err = 0;
    else if (again && err == WSAECONNABORTED &&
             !procs->lpWSPConnect(s, addr, len, NULL, NULL, NULL, NULL, &err))
        err = 0;
    if (err == WSAEWOULDBLOCK) err = wait_connected(procs, s, timeout_ms);
    if (switched)
        procs->lpWSPIoctl(s, FIONBIO, &off, sizeof(off), NULL, 0, &returned, NULL, NULL, NULL,
                          &ignored);
    return err;
}

/* Express a candidate address in the socket's family: an IPv4 address becomes IPv4-mapped
   IPv6 for a dual-stack IPv6 socket, an IPv4-mapped address plain IPv4 for an IPv4 socket.
   Returns the length, or 0 if the socket cannot reach that address. */
static int candidate_for(int family, bool v6only, const struct sockaddr *in, int in_len,
                         SOCKADDR_STORAGE *out)
{
    memset(out, 0, sizeof(*out));
    if (in->sa_family == family) {
        int len = ws_sockaddr_len(family);
        if (in_len < len) return 0;
        memcpy(out, in, len);
        return len;
    }
    if (family == AF_INET6 && in->sa_family == AF_INET && !v6only &&
        in_len >= (int)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)in;
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = v4->sin_port;
        v6->sin6_addr.s6_addr[10] = v6->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&v6->sin6_addr.s6_addr[12], &v4->sin_addr, 4);
        return sizeof(*v6);
    }
    if (family == AF_INET && in->sa_family == AF_INET6 &&
        in_len >= (int)sizeof(struct sockaddr_in6)) {
        static const BYTE mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)in;
        struct sockaddr_in *v4 = (struct sockaddr_in *)out;
        if (memcmp(v6->sin6_addr.s6_addr, mapped, sizeof(mapped))) return 0;
        v4->sin_family = AF_INET;
        v4->sin_port = v6->sin6_port;
        memcpy(&v4->sin_addr, &v6->sin6_addr.s6_addr[12], 4);
        return sizeof(*v4);
    }
    return 0;
}

/* An output address with its length: checked up front, filled once connected. */
struct out_addr {
    DWORD *len;
    struct sockaddr *addr;
};

/* A length pointer is written only with it; an address buffer is written only with a length
   that holds the family's address (else WSAEFAULT, nothing written). */
static int check_out(const struct out_addr *out, int size)
{
    if (!out->len) return 0;
    if (!ws_writable(out->len, sizeof(*out->len))) return WSAEFAULT;
    if (out->addr && (*out->len < (DWORD)size || !ws_writable(out->addr, size))) return WSAEFAULT;
    return 0;
}

static void fill_out(const struct out_addr *out, const struct sockaddr *addr, int size)
{
    if (!out->len) return;
    if (out->addr) memcpy(out->addr, addr, size);
    *out->len = size;
}

struct connect_call {
    SOCKET s;
    struct ws_socket *sock;
    struct out_addr local, remote;
    const struct timeval *timeout;
    bool zero_local_port; /* WSAConnectByName reports the local address without its port */
    ULONGLONG deadline;
    bool bounded;
    bool v6only;
    bool attempted; /* an earlier candidate was tried (and failed) */
    int last_error;
};

/* Checks shared by both calls, done before any attempt: the socket is a stream socket of a
   family we carry, the outputs are usable, the timeout readable. */
static int connect_call_begin(struct connect_call *c)
{
    int size = ws_sockaddr_len(c->sock->family), err, value = 1, len = sizeof(value);

    if (c->sock->type != SOCK_STREAM || !size) return WSAEINVAL;
    if ((err = check_out(&c->local, size)) || (err = check_out(&c->remote, size))) return err;
    c->bounded = false;
    if (c->timeout) {
        if (!ws_readable(c->timeout, sizeof(*c->timeout)) || c->timeout->tv_sec < 0 ||
            c->timeout->tv_usec < 0)
            return WSAEINVAL;
        c->deadline = GetTickCount64() + (ULONGLONG)c->timeout->tv_sec * 1000 +
                      (ULONGLONG)c->timeout->tv_usec / 1000;
        c->bounded = true;
    }
    c->v6only = true;
    if (c->sock->family == AF_INET6 &&
        !c->sock->provider->procs.lpWSPGetSockOpt(c->s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value,
                                                  &len, &err))
        c->v6only = value != 0;
    c->last_error = WSAEHOSTUNREACH;
    return 0;
}

/* Try one candidate: 0 once connected, else nonzero (the error kept in c->last_error; an
   expired timeout ends the whole call). */
static int connect_call_try(struct connect_call *c, const struct sockaddr *addr, int addr_len)
{
    SOCKADDR_STORAGE target;
    DWORD timeout_ms = INFINITE;
    int len = candidate_for(c->sock->family, c->v6only, addr, addr_len, &target);

    if (!len) return 1;
    if (c->bounded) {
        ULONGLONG now = GetTickCount64();
        timeout_ms = now >= c->deadline ? 0 : (DWORD)(c->deadline - now);
    }
    c->last_error =
        connect_one(c->sock, c->s, (struct sockaddr *)&target, len, timeout_ms, c->attempted);
    c->attempted = true;
    return c->last_error;
}

/* Connected: report both ends. */
static int connect_call_finish(struct connect_call *c)
{
    SOCKADDR_STORAGE addr;
    int size = ws_sockaddr_len(c->sock->family), len, err;
    const WSPPROC_TABLE *procs = &c->sock->provider->procs;

    len = sizeof(addr);
    if (procs->lpWSPGetPeerName(c->s, (struct sockaddr *)&addr, &len, &err)) return err;
    fill_out(&c->remote, (struct sockaddr *)&addr, size);
    len = sizeof(addr);
    if (procs->lpWSPGetSockName(c->s, (struct sockaddr *)&addr, &len, &err)) return err;
    if (c->zero_local_port) ((struct sockaddr_in *)&addr)->sin_port = 0; /* same offset in v6 */
    fill_out(&c->local, (struct sockaddr *)&addr, size);
    return 0;
}

BOOL PASCAL WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST list, LPDWORD local_len,
                             LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                             const PTIMEVAL timeout, LPWSAOVERLAPPED reserved)
{
    struct connect_call c = {
        .s = s, .local = {local_len, local}, .remote = {remote_len, remote}, .timeout = timeout};
    SOCKADDR_STORAGE bound;
    int err, len = sizeof(bound);

    if (!(c.sock = ws_enter(s, &err))) return fail_false(err);
    if (reserved || !list) return fail_false(WSAEINVAL);
    if (!ws_readable(list, offsetof(SOCKET_ADDRESS_LIST, Address)) ||
        !ws_readable(list->Address, (size_t)list->iAddressCount * sizeof(SOCKET_ADDRESS)))
        return fail_false(WSAEFAULT);
    if ((err = connect_call_begin(&c))) return fail_false(err);
    /* Unlike connect, the page requires an unbound socket. */
    if (!c.sock->provider->procs.lpWSPGetSockName(s, (struct sockaddr *)&bound, &len, &err))
        return fail_false(WSAEINVAL);
    for (INT i = 0; i < list->iAddressCount; i++) {
        const SOCKET_ADDRESS *a = &list->Address[i];
        if (!a->lpSockaddr || a->iSockaddrLength < (int)sizeof(a->lpSockaddr->sa_family) ||
            !ws_readable(a->lpSockaddr, a->iSockaddrLength))
            return fail_false(WSAEFAULT);
        if (!connect_call_try(&c, a->lpSockaddr, a->iSockaddrLength)) {
            if ((err = connect_call_finish(&c))) return fail_false(err);
            return TRUE;
        }
        if (c.last_error == WSAETIMEDOUT) break;
    }
    return fail_false(c.last_error);
}

/* ---- WSAConnectByName: the names go through the getaddrinfo family ---- */

/* The resolver's error as WSAConnectByName reports it: an unknown service is
   WSATYPE_NOT_FOUND; the other lookup failures are the resolver's WSA codes. */
static int lookup_error(int error)
{
    return error == EAI_SERVICE ? WSATYPE_NOT_FOUND : error;
}

/* Try every address of a lookup in the order the resolver gives them (RFC 6724). */
static BOOL connect_candidates(struct connect_call *c, const ADDRINFOW *list)
{
    int err;
    for (const ADDRINFOW *ai = list; ai; ai = ai->ai_next) {
        if (!connect_call_try(c, ai->ai_addr, (int)ai->ai_addrlen)) {
            if ((err = connect_call_finish(c))) return fail_false(err);
            return TRUE;
        }
        if (c->last_error == WSAETIMEDOUT) break;
    }
    return fail_false(c->last_error);
}

static BOOL connect_by_name(SOCKET s, const WCHAR *node, const WCHAR *service, LPDWORD local_len,
                            LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                            const struct timeval *timeout)
{
    struct connect_call c = {.s = s,
                             .local = {local_len, local},
                             .remote = {remote_len, remote},
                             .timeout = timeout,
                             .zero_local_port = true};
    ADDRINFOW hints = {.ai_socktype = SOCK_STREAM, .ai_protocol = IPPROTO_TCP}, *list = NULL;
    BOOL ret;
    int err;

    if (!(c.sock = ws_enter(s, &err))) return fail_false(err);
    if ((err = connect_call_begin(&c))) return fail_false(err);
    /* A socket that can only reach its own family asks for that family alone. */
    hints.ai_family = c.sock->family == AF_INET6 && !c.v6only ? AF_UNSPEC : c.sock->family;
    if ((err = GetAddrInfoW(node, service, &hints, &list))) return fail_false(lookup_error(err));
    ret = connect_candidates(&c, list);
    err = GetLastError();
    FreeAddrInfoW(list);
    SetLastError(err);
    return ret;
}

/* Host and service strings are copied out of the caller's memory (and widened, for the ANSI
   call) into buffers of these sizes: a DNS name has at most 255 characters. */
#define NODE_MAX    256
#define SERVICE_MAX 64

/* Copy a string the caller passed, stopping at what memory can be read. */
static bool copy_wide(WCHAR *dst, size_t size, const WCHAR *src)
{
    size_t n = 0;
    if (!ws_readable(src, sizeof(WCHAR))) return false;
    while (n < size - 1 && ws_readable(src + n, sizeof(WCHAR)) && src[n]) {
        dst[n] = src[n];
        n++;
    }
    dst[n] = 0;
    return true;
}

static bool widen_string(WCHAR *dst, size_t size, const char *src)
{
    char narrow[NODE_MAX];
    size_t n = 0;
    if (!ws_readable(src, 1)) return false;
    while (n < sizeof(narrow) - 1 && ws_readable(src + n, 1) && src[n]) {
        narrow[n] = src[n];
        n++;
    }
    narrow[n] = 0;
    /* ANSI names are in the process's code page, as getaddrinfo reads them. */
    return MultiByteToWideChar(CP_ACP, 0, narrow, -1, dst, (int)size) > 0;
}

BOOL PASCAL WSAConnectByNameA(SOCKET s, LPSTR node, LPSTR service, LPDWORD local_len,
                              LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED reserved)
{
    WCHAR node_copy[NODE_MAX], service_copy[SERVICE_MAX];

    if (!node || !service || reserved) return fail_false(WSAEINVAL);
    if (!widen_string(node_copy, ARRAY_COUNT(node_copy), node) ||
        !widen_string(service_copy, ARRAY_COUNT(service_copy), service))
        return fail_false(WSAEFAULT);
    return connect_by_name(s, node_copy, service_copy, local_len, local, remote_len, remote,
                           timeout);
}

BOOL PASCAL WSAConnectByNameW(SOCKET s, LPWSTR node, LPWSTR service, LPDWORD local_len,
                              LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED reserved)
{
    WCHAR node_copy[NODE_MAX], service_copy[SERVICE_MAX];

    if (!node || !service || reserved) return fail_false(WSAEINVAL);
    if (!copy_wide(node_copy, ARRAY_COUNT(node_copy), node) ||
        !copy_wide(service_copy, ARRAY_COUNT(service_copy), service))
        return fail_false(WSAEFAULT);
    return connect_by_name(s, node_copy, service_copy, local_len, local, remote_len, remote,
                           timeout);
}
