/*
 * Byte order: the WinSock 1.1 conversions and their WinSock 2 forms that take a socket.
 *
 * The plain forms are pure functions and work without WSAStartup. The WSA forms check, in the
 * order their reference pages list the errors: startup (WSANOTINITIALISED), the socket
 * (WSAENOTSOCK), then the output pointer (WSAEFAULT). Every provider we have uses network
 * byte order, so the socket only has to exist.
 */
#include "openws2/core.h"

u_long WSAAPI htonl(u_long hostlong)
{
    return __builtin_bswap32(hostlong);
}

u_short WSAAPI htons(u_short hostshort)
{
    return __builtin_bswap16(hostshort);
}

u_long WSAAPI ntohl(u_long netlong)
{
    return __builtin_bswap32(netlong);
}

u_short WSAAPI ntohs(u_short netshort)
{
    return __builtin_bswap16(netshort);
}

/* The common prologue of the WSA forms: 0, or the error to report. */
static int check_socket_and_output(SOCKET s, void *out, size_t size)
{
    int err;
    if (!ws_enter(s, &err)) return err;
    if (!ws_writable(out, size)) return WSAEFAULT;
    return 0;
}

int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong)
{
    int err = check_socket_and_output(s, lpnetlong, sizeof(*lpnetlong));
    if (err) return ws_fail(err);
    *lpnetlong = htonl(hostlong);
    return 0;
}

int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort)
{
    int err = check_socket_and_output(s, lpnetshort, sizeof(*lpnetshort));
    if (err) return ws_fail(err);
    *lpnetshort = htons(hostshort);
    return 0;
}

int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong)
{
    int err = check_socket_and_output(s, lphostlong, sizeof(*lphostlong));
    if (err) return ws_fail(err);
    *lphostlong = ntohl(netlong);
    return 0;
}

int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort)
{
    int err = check_socket_and_output(s, lphostshort, sizeof(*lphostshort));
    if (err) return ws_fail(err);
    *lphostshort = ntohs(netshort);
    return 0;
}
