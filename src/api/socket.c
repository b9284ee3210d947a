/* Entry points: creating, naming, connecting and closing sockets. */
#include "openws2/core.h"

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                         DWORD flags)
{
    int err;
    SOCKET s;

    if (!ws_started()) {
        SetLastError(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    if (info && !ws_readable(info, sizeof(*info))) {
        SetLastError(WSAEFAULT);
        return INVALID_SOCKET;
    }
    /* Only WSADuplicateSocket's structures carry a handle there; the catalog's have 0. */
    if (info && info->dwProviderReserved) {
        s = ws_socket_from_duplicate(info, &err);
        SetLastError(err);
        return s;
    }
    s = afd_provider.procs.lpWSPSocket(af, type, protocol, info, g, flags, &err);
    SetLastError(err);
    return s;
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA info, GROUP g,
                         DWORD flags)
{
    WSAPROTOCOL_INFOW infow;

    if (!info) return WSASocketW(af, type, protocol, NULL, g, flags);
    if (!ws_readable(info, sizeof(*info))) {
        SetLastError(WSAEFAULT);
        return INVALID_SOCKET;
    }
    /* Identical layouts up to the protocol name, which is the only text. */
    memcpy(&infow, info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    if (!MultiByteToWideChar(CP_ACP, 0, info->szProtocol, -1, infow.szProtocol,
                             ARRAY_COUNT(infow.szProtocol)))
        infow.szProtocol[0] = 0;
    return WSASocketW(af, type, protocol, &infow, g, flags);
}

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    struct ws_thread *t = ws_thread_get();
    /* socket() makes overlapped-capable sockets unless the thread's SO_OPENTYPE says not. */
    DWORD flags = (t && t->open_nonoverlapped) ? 0 : WSA_FLAG_OVERLAPPED;
    return WSASocketW(af, type, protocol, NULL, 0, flags);
}

int WSAAPI closesocket(SOCKET s)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (sock->provider->procs.lpWSPCloseSocket(s, &err)) return ws_fail(err);
    return 0;
}

int WSAAPI bind(SOCKET s, const struct sockaddr *addr, int len)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (sock->provider->procs.lpWSPBind(s, addr, len, &err)) return ws_fail(err);
    return 0;
}

int WSAAPI listen(SOCKET s, int backlog)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET) return ws_fail(WSAEOPNOTSUPP);
    if (sock->provider->procs.lpWSPListen(s, backlog, &err)) return ws_fail(err);
    return 0;
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *len)
{
    int err;
    SOCKET ret;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    /* Windows ignores an address buffer that comes without its length. */
    if (!len) addr = NULL;
    /* The address buffer is checked before blocking, as Windows does. */
    if (addr && (!ws_writable(len, sizeof(*len)) || *len < (int)sizeof(struct sockaddr) ||
                 !ws_writable(addr, *len)))
        return ws_fail(WSAEFAULT);
    ret = sock->provider->procs.lpWSPAccept(s, addr, len, NULL, 0, &err);
    if (ret == INVALID_SOCKET) return ws_fail(err);
    return ret;
}

int WSAAPI connect(SOCKET s, const struct sockaddr *addr, int len)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (sock->provider->procs.lpWSPConnect(s, addr, len, NULL, NULL, NULL, NULL, &err))
        return ws_fail(err);
    return 0;
}

int WSAAPI shutdown(SOCKET s, int how)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) return ws_fail(WSAEINVAL);
    if (sock->provider->procs.lpWSPShutdown(s, how, &err)) return ws_fail(err);
    return 0;
}

int WSAAPI getsockname(SOCKET s, struct sockaddr *addr, int *len)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (sock->provider->procs.lpWSPGetSockName(s, addr, len, &err)) return ws_fail(err);
    return 0;
}

int WSAAPI getpeername(SOCKET s, struct sockaddr *addr, int *len)
{
    int err;
    struct ws_socket *sock = ws_enter(s, &err);
    if (!sock) return ws_fail(err);
    if (sock->provider->procs.lpWSPGetPeerName(s, addr, len, &err)) return ws_fail(err);
    return 0;
}
