/*
 * Sharing a socket with another process: WSADuplicateSocketA/W describe the socket in a
 * WSAPROTOCOL_INFO that carries a handle already duplicated into the target process (in
 * dwProviderReserved, where Windows keeps it); the target passes that structure to WSASocket,
 * which adopts the handle (ws_socket_from_duplicate). Both handles name one socket in the
 * device, so its state and kernel-held options are shared, and each process closes its own.
 */
#include "openws2/core.h"

static int duplicate_socket(SOCKET s, DWORD process_id, void *info, bool unicode)
{
    int err, len = unicode ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);
    struct ws_socket *sock = ws_enter(s, &err);
    WSAPROTOCOL_INFOW *out = info; /* dwProviderReserved sits at the same offset in both */
    HANDLE process, copy;

    if (!sock) return ws_fail(err);
    /* The order of the checks is Windows': the process, then the buffer. */
    if (!(process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, process_id))) return ws_fail(WSAEINVAL);
    if (!info || !ws_writable(info, len)) {
        CloseHandle(process);
        return ws_fail(WSAEFAULT);
    }
    if (sock->provider->procs.lpWSPGetSockOpt(
            s, SOL_SOCKET, unicode ? SO_PROTOCOL_INFOW : SO_PROTOCOL_INFOA, info, &len, &err)) {
        CloseHandle(process);
        return ws_fail(err);
    }
    if (!DuplicateHandle(GetCurrentProcess(), (HANDLE)s, process, &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        CloseHandle(process);
        return ws_fail(GetLastError() == ERROR_NOT_ENOUGH_MEMORY ? WSAENOBUFS : WSAEINVAL);
    }
    CloseHandle(process);
    /* Handle values fit in 32 bits, also for 64-bit processes. */
    out->dwProviderReserved = (DWORD)(ULONG_PTR)copy;
    return 0;
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD process_id, LPWSAPROTOCOL_INFOA info)
{
    return duplicate_socket(s, process_id, info, false);
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD process_id, LPWSAPROTOCOL_INFOW info)
{
    return duplicate_socket(s, process_id, info, true);
}

/*
 * WSASocket with a WSAPROTOCOL_INFO from WSADuplicateSocket: the handle in dwProviderReserved
 * is this process's copy of the shared socket. Returns it, registered in the socket table, or
 * INVALID_SOCKET with *err set (WSAEINVAL when the handle is not a socket or does not match
 * the structure).
 */
SOCKET ws_socket_from_duplicate(const WSAPROTOCOL_INFOW *info, int *err)
{
    SOCKET s = (SOCKET)(ULONG_PTR)info->dwProviderReserved;
    struct ws_socket *sock = sock_table_find(s);

    if (!sock || sock->family != info->iAddressFamily || sock->type != info->iSocketType) {
        *err = WSAEINVAL;
        return INVALID_SOCKET;
    }
    *err = 0;
    return s;
}
