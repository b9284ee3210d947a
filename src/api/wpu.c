/*
 * The service provider upcalls ws2_32 exports directly: WPUCompleteOverlappedRequest and
 * WPUGetProviderPathEx, and the namespace version-2 completion WSAProviderCompleteAsyncCall.
 */
#include "openws2/core.h"
#include "openws2/afd.h"
#include "openws2/wah.h"

/*
 * Completing an OVERLAPPED from user mode as the kernel would. The status and byte count go
 * into the OVERLAPPED first, so that WSAGetOverlappedResult reads them once anything is
 * signalled. A completion port can only be reached through the socket's own file object: the
 * socket device's COMPLETE_ASYNC request completes a request at once with a given status and
 * queues the packet to the port the socket is associated with, if any (user mode cannot ask
 * which). The request is given a private status block, so it does not overwrite the caller's
 * byte count; the low bit of hEvent keeps the packet off the port, as for any overlapped
 * operation. Then the event is set.
 *
 * The error becomes a status that carries it unchanged: the socket device's "Win32 error in a
 * status" form, which the status tables turn back into the same error (the completion port's
 * GetQueuedCompletionStatus reports it as the last error).
 */
int wpu_complete_overlapped(SOCKET s, LPWSAOVERLAPPED ov, DWORD error, DWORD transferred)
{
    NTSTATUS status = error ? (NTSTATUS)(0xC0010000 | (error & 0xFFFF)) : 0;
    HANDLE event;
    IO_STATUS_BLOCK io;
    void *port_value;

    if (!ws_writable(ov, sizeof(*ov))) return WSAEFAULT;
    if (!sock_table_find(s)) return WSAEINVAL;
    event = ov->hEvent;
    port_value = ((ULONG_PTR)event & 1) ? NULL : ov;
    ov->Internal = (ULONG_PTR)status;
    ov->InternalHigh = transferred;
    NtDeviceIoControlFile((HANDLE)s, NULL, NULL, port_value, &io, AFD_WINE(AFD_W_COMPLETE_ASYNC),
                          &status, sizeof(status), NULL, 0);
    if (event) SetEvent((HANDLE)((ULONG_PTR)event & ~(ULONG_PTR)1));
    return 0;
}

/*
 * The page limits the call to sockets made by WPUCreateSocketHandle; every socket handle this
 * DLL knows is completed the same way (a handle that is no socket fails with WSAEINVAL, the
 * page's one error).
 */
int WSPAPI WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError,
                                        DWORD cbTransferred, LPINT lpErrno)
{
    int err;

    if (!lpOverlapped) {
        err = WSAEINVAL;
    } else if (!(err = wpu_complete_overlapped(s, lpOverlapped, dwError, cbTransferred))) {
        return 0;
    }
    if (ws_writable(lpErrno, sizeof(*lpErrno))) *lpErrno = err;
    return SOCKET_ERROR;
}

/* Windows 8's form of the upcall table's WPUGetProviderPath, with its arguments: the catalog's
   answer, as WSCGetProviderPath gives it. */
int WSPAPI WPUGetProviderPathEx(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return WSCGetProviderPath(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

/*
 * Asynchronous calls to namespace version-2 providers are not supported (the page says the same
 * of Windows), so no call can be outstanding: a NULL handle fails as the page lists, and any other
 * handle names no call.
 */
INT WSPAPI WSAProviderCompleteAsyncCall(HANDLE hAsyncCall, INT iRetCode)
{
    (void)hAsyncCall;
    (void)iRetCode;
    return ws_fail(ws_started() ? WSAEINVAL : WSANOTINITIALISED);
}
