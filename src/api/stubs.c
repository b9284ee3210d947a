/*
 * Every ws2_32 export that no other file implements yet, so that the whole export table
 * resolves, plus the few small functions that are complete without any later machinery (the
 * WinSock 1.1 blocking-hook queries, WEP, the disconnect calls).
 *
 * A stub fails the way its reference page documents, with the last error set: WSANOTINITIALISED
 * before WSAStartup where the page lists it, WSAENOTSOCK for a handle that is not a socket, then
 * the page's error that best says "not available" (WSAEOPNOTSUPP where listed, otherwise the
 * closest listed code; docs/EXPORTS.md names it per function). Provider-interface functions that
 * take lpErrno also store the error there when it can be written. A stub reads none of its other
 * arguments and writes through no pointer but lpErrno, so any argument values are safe.
 */
#include "openws2/core.h"

/* Stubs ignore most of their arguments by design. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* ---- failure helpers ---- */

static __attribute__((unused)) void *fail_null(int error)
{
    SetLastError(error);
    return NULL;
}

static BOOL fail_false(int error)
{
    SetLastError(error);
    return FALSE;
}

/* getaddrinfo style: the error is the return value, and the last error too. */
static int fail_code(int error)
{
    SetLastError(error);
    return error;
}

/* Service provider interface style: SOCKET_ERROR, with the error in *lpErrno if writable. */
static int fail_errno(LPINT lpErrno, int error)
{
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = error;
    SetLastError(error);
    return SOCKET_ERROR;
}

/* The error of a stub that needs WSAStartup first. */
static int started_or(int error)
{
    return ws_started() ? error : WSANOTINITIALISED;
}

/* The error of a stub that takes a socket: startup, then the socket, then its own error. */
static int socket_or(SOCKET s, int error)
{
    int err;
    return ws_enter(s, &err) ? error : err;
}

/* ==== Socket state notifications (issue 4) ==== */

/* Windows 10 build 20348's socket state notifications: returns a WSAE* code on failure. */
DWORD WSAAPI ProcessSocketNotifications(HANDLE completionPort, UINT32 registrationCount,
                                        void *registrationInfos, UINT32 timeoutMs,
                                        ULONG completionCount,
                                        OVERLAPPED_ENTRY *completionPortEntries,
                                        UINT32 *receivedEntryCount)
{
    return (DWORD)fail_code(started_or(WSAEOPNOTSUPP));
}

/* ==== Name resolution, address strings, registration and resolution (issue 5) ==== */

/* Registration and resolution (RnR): no namespace provider is loaded yet. */

/* No lookup can have begun, so every lookup handle is invalid. */

/* No service class can have been installed. */

/* ==== Overlapped and extension socket functions beyond WSASend/WSARecv (issue 3) ==== */

SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                          LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags)
{
    SetLastError(socket_or(s, WSAEOPNOTSUPP));
    return INVALID_SOCKET;
}

BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS)
{
    return fail_false(socket_or(s, WSAEINVAL));
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

/* The protocol catalog is not built yet. */

/* Namespace provider version 2 registration: nothing can be advertised yet. */

INT WSPAPI WSAProviderCompleteAsyncCall(HANDLE hAsyncCall, INT iRetCode)
{
    return ws_fail(WSAEINVAL);
}

/*
 * The hook through which the system's window code posts the messages of the WSAAsync* calls.
 * It is kept; nothing posts through it until those calls exist (issue 4).
 */
static void *volatile ws_post_routine;

int WSAAPI WSApSetPostRoutine(void *routine)
{
    ws_post_routine = routine;
    return 0;
}

/* WSC: reading, writing and ordering the catalog. No provider is installed under a GUID. */

/* Writing the catalog: WSANO_RECOVERY, the pages' "a Winsock catalog function failed". */

/* These two return the error itself (ERROR_SUCCESS on success). */

/* The socket was not made by WPUCreateSocketHandle: none is. */
int WSPAPI WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError,
                                        DWORD cbTransferred, LPINT lpErrno)
{
    return fail_errno(lpErrno, WSAEINVAL);
}

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

int WSPAPI WPUGetProviderPathEx(void)
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

/*
 * ws2help's helpers (Wah*), exported by ws2_32 since Windows Vista for layered providers.
 * Undocumented; the shapes follow the ws2help interface as ReactOS and Wine describe it. They
 * return a Win32 error code (or NULL / FALSE): ERROR_NOT_SUPPORTED, also set as the last error.
 */
static DWORD wah_fail(void)
{
    SetLastError(ERROR_NOT_SUPPORTED);
    return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI WahOpenApcHelper(HANDLE *helper)
{
    return wah_fail();
}

DWORD WINAPI WahCloseApcHelper(HANDLE helper)
{
    return wah_fail();
}

DWORD WINAPI WahOpenCurrentThread(HANDLE helper, LPWSATHREADID thread)
{
    return wah_fail();
}

DWORD WINAPI WahCloseThread(HANDLE helper, LPWSATHREADID thread)
{
    return wah_fail();
}

DWORD WINAPI WahQueueUserApc(HANDLE helper, LPWSATHREADID thread, LPWSAUSERAPC routine,
                             ULONG_PTR context)
{
    return wah_fail();
}

DWORD WINAPI WahCompleteRequest(HANDLE helper, SOCKET s, LPWSAOVERLAPPED overlapped, DWORD error,
                                DWORD transferred)
{
    return wah_fail();
}

DWORD WINAPI WahOpenHandleHelper(HANDLE *helper)
{
    return wah_fail();
}

DWORD WINAPI WahCloseHandleHelper(HANDLE helper)
{
    return wah_fail();
}

DWORD WINAPI WahCreateSocketHandle(HANDLE helper, SOCKET *s)
{
    return wah_fail();
}

DWORD WINAPI WahCloseSocketHandle(HANDLE helper, SOCKET s)
{
    return wah_fail();
}

DWORD WINAPI WahOpenNotificationHandleHelper(HANDLE *helper)
{
    return wah_fail();
}

DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE helper)
{
    return wah_fail();
}

DWORD WINAPI WahCreateNotificationHandle(HANDLE helper, HANDLE *notification)
{
    return wah_fail();
}

DWORD WINAPI WahWaitForNotification(HANDLE helper, HANDLE notification, LPWSAOVERLAPPED overlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return wah_fail();
}

DWORD WINAPI WahNotifyAllProcesses(HANDLE notification)
{
    return wah_fail();
}

DWORD WINAPI WahCreateHandleContextTable(void **table)
{
    return wah_fail();
}

DWORD WINAPI WahDestroyHandleContextTable(void *table)
{
    return wah_fail();
}

void *WINAPI WahInsertHandleContext(void *table, void *context)
{
    wah_fail();
    return NULL;
}

DWORD WINAPI WahRemoveHandleContext(void *table, void *context)
{
    return wah_fail();
}

void *WINAPI WahReferenceContextByHandle(void *table, HANDLE handle)
{
    wah_fail();
    return NULL;
}

BOOL WINAPI WahEnumerateHandleContexts(void *table, void *callback, void *context)
{
    wah_fail();
    return FALSE;
}

DWORD WINAPI WahEnableNonIFSHandleSupport(void)
{
    return wah_fail();
}

DWORD WINAPI WahDisableNonIFSHandleSupport(void)
{
    return wah_fail();
}

DWORD WINAPI WahWriteLSPEvent(void)
{
    return wah_fail();
}

/* ==== WEP ==== */

/* The Windows 3.x DLL exit procedure, kept for old imports: nothing to do, and 1 is its
   "success". */
int WSAAPI WEP(void)
{
    return 1;
}
