/*
 * Every ws2_32 export that no other file implements yet, so that the whole export table
 * resolves, plus the few small functions that are complete without any later machinery (the
 * WinSock 1.1 blocking-hook queries, WEP, the disconnect calls).
 *
 * A stub fails the way its reference page documents, with the last error set: WSANOTINITIALISED
 * before WSAStartup where the page lists it, WSAENOTSOCK for a handle that is not a socket, then
 * the page's error that best says "not available" (WSAEOPNOTSUPP where listed, otherwise the
 * closest listed code; docs/EXPORTS.md names it per function). A stub reads none of its
 * arguments and writes through no pointer, so any argument values are safe.
 */
#include "openws2/core.h"

/* Stubs ignore most of their arguments by design. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* ---- failure helpers ---- */

/* The style of WSCWriteProviderOrder: the error is the return value, and the last error too. */
static int fail_code(int error)
{
    SetLastError(error);
    return error;
}

/*
 * Our transports (TCP, UDP, raw IP) carry no disconnect data, so these are shutdown: the
 * WSASendDisconnect page asks for WSAENOPROTOOPT when data is offered anyway; the
 * WSARecvDisconnect page lets TCP/IP implementations without disconnect data ignore the buffer.
 */
int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData)
{
    int err;
    if (!ws_enter(s, &err)) return ws_fail(err);
    if (lpOutboundDisconnectData) return ws_fail(WSAENOPROTOOPT);
    return shutdown(s, SD_SEND);
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData)
{
    return shutdown(s, SD_RECEIVE);
}

/* ==== Catalog, service provider interface (WSC/WPU), ws2help (Wah) (issue 7) ==== */

/*
 * Exports of Windows 10 that no header declares and no page documents. Their argument lists
 * are not known for certain, so these read none of their arguments (not even an lpErrno) and
 * report through the last error only.
 */
int WSPAPI WSCDeinstallProviderEx(void)
{
    return ws_fail(WSAEINVAL);
}

int WSPAPI WSCEnumProtocolsEx(void)
{
    return ws_fail(WSAEINVAL);
}

int WSPAPI WSCInstallProviderEx(void)
{
    return ws_fail(WSANO_RECOVERY);
}

int WSPAPI WSCUpdateProviderEx(void)
{
    return ws_fail(WSANO_RECOVERY);
}

int WSPAPI WSCWriteProviderOrderEx(void)
{
    return fail_code(WSANO_RECOVERY);
}

int WSPAPI WSCInstallNameSpaceEx2(void)
{
    return ws_fail(WSANO_RECOVERY);
}

int WSPAPI WSCUnInstallNameSpaceEx2(void)
{
    return ws_fail(WSAEINVAL);
}

int WSPAPI WSCGetApplicationCategoryEx(void)
{
    return ws_fail(WSANO_RECOVERY);
}

int WSPAPI WSCSetApplicationCategoryEx(void)
{
    return ws_fail(WSANO_RECOVERY);
}

/* ==== WEP ==== */

/* The Windows 3.x DLL exit procedure, kept for old imports: nothing to do, and 1 is its
   "success". */
int WSAAPI WEP(void)
{
    return 1;
}
