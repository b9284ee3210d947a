/*
 * ProcessSocketNotifications: socket state notifications through a completion port (Windows 10
 * build 20348). The registrations are applied first, each with its own result; then, when the
 * caller asks for entries, the port is dequeued as GetQueuedCompletionStatusEx does. The
 * function's result is ERROR_SUCCESS, WAIT_TIMEOUT when nothing arrived in time, or the error
 * that kept it from running.
 */
#include "openws2/core.h"
#include "openws2/afd_provider.h"
#include "openws2/wah.h"

DWORD WSAAPI ProcessSocketNotifications(HANDLE completionPort, UINT32 registrationCount,
                                        SOCK_NOTIFY_REGISTRATION *registrationInfos,
                                        UINT32 timeoutMs, ULONG completionCount,
                                        OVERLAPPED_ENTRY *completionPortEntries,
                                        UINT32 *receivedEntryCount)
{
    ULONG received = 0;

    if (!ws_started()) return WSANOTINITIALISED;
    if ((registrationCount &&
         !ws_writable(registrationInfos, registrationCount * sizeof(*registrationInfos))) ||
        (!registrationCount && registrationInfos))
        return ERROR_INVALID_PARAMETER;
    if (completionCount &&
        (!ws_writable(completionPortEntries, completionCount * sizeof(*completionPortEntries)) ||
         !ws_writable(receivedEntryCount, sizeof(*receivedEntryCount))))
        return ERROR_INVALID_PARAMETER;
    if (!afd_psn_port_valid(completionPort)) return ERROR_INVALID_HANDLE;

    for (UINT32 i = 0; i < registrationCount; i++)
        registrationInfos[i].registrationResult =
            afd_psn_register(completionPort, &registrationInfos[i]);
    if (!completionCount) return ERROR_SUCCESS;

    *receivedEntryCount = 0;
    if (!GetQueuedCompletionStatusEx(completionPort, completionPortEntries, completionCount,
                                     &received, timeoutMs, FALSE))
        return GetLastError();
    afd_psn_dequeued(completionPort, completionPortEntries, received);
    *receivedEntryCount = received;
    return ERROR_SUCCESS;
}
