/* The few ntdll entry points and status codes the DLL uses that the SDK headers leave out. */
#ifndef OPENWS2_NT_H
#define OPENWS2_NT_H

#include <winsock2.h>
#include <windows.h>
#include <winternl.h>

#ifndef STATUS_PENDING
#define STATUS_PENDING ((NTSTATUS)0x00000103)
#endif
#define NT_STATUS(x) ((NTSTATUS)(x))
#define STATUS_OK                       NT_STATUS(0x00000000)
#define STATUS_BUFFER_OVERFLOW_         NT_STATUS(0x80000005)
#define STATUS_CANCELLED_               NT_STATUS(0xC0000120)
#define STATUS_HANDLES_CLOSED_          NT_STATUS(0x8000000A) /* a warning, not an error */
#define STATUS_INVALID_PARAMETER_       NT_STATUS(0xC000000D)

NTSTATUS NTAPI NtCancelIoFileEx(HANDLE file, IO_STATUS_BLOCK *io, IO_STATUS_BLOCK *status);
NTSTATUS NTAPI RtlWaitOnAddress(const void *addr, const void *compare, SIZE_T size,
                                 const LARGE_INTEGER *timeout);
void NTAPI RtlWakeAddressAll(const void *addr);
NTSTATUS NTAPI NtClose(HANDLE handle);

#endif
