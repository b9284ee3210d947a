/*
 * Multipoint sessions and quality of service templates: WSAJoinLeaf and WSAGetQOSByName.
 */
#include "openws2/core.h"

SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                          LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags)
{
    struct ws_socket *sock;
    SOCKET leaf;
    int err;

    if (!(sock = ws_enter(s, &err))) {
        SetLastError(err);
        return INVALID_SOCKET;
    }
    if (!sock->provider->procs.lpWSPJoinLeaf) {
        SetLastError(WSAEOPNOTSUPP);
        return INVALID_SOCKET;
    }
    leaf = sock->provider->procs.lpWSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS,
                                               lpGQOS, dwFlags, &err);
    if (leaf == INVALID_SOCKET) SetLastError(err);
    return leaf;
}

BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS)
{
    struct ws_socket *sock;
    int err;

    if (!(sock = ws_enter(s, &err))) {
        SetLastError(err);
        return FALSE;
    }
    if (!sock->provider->procs.lpWSPGetQOSByName) {
        SetLastError(WSAEINVAL);
        return FALSE;
    }
    if (!sock->provider->procs.lpWSPGetQOSByName(s, lpQOSName, lpQOS, &err)) {
        SetLastError(err);
        return FALSE;
    }
    return TRUE;
}
