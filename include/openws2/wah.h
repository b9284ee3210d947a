/*
 * ws2help's helper interface (the Wah* exports of ws2_32), which no SDK header declares. The
 * shapes are the ones Windows' layered providers link against; ReactOS's ws2help describes the
 * same interface. Also the upcall helpers of src/api/wpu.c that other files share.
 */
#ifndef OPENWS2_WAH_H
#define OPENWS2_WAH_H

#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

/*
 * The head of every context a provider keeps in a handle context table: the table reads Handle
 * (its key) and WahReferenceContextByHandle counts references in RefCount. The rest of the
 * provider's object follows the head.
 */
typedef struct _WAH_HANDLE_CONTEXT {
    LONG RefCount;
    HANDLE Handle;
} WAH_HANDLE_CONTEXT, *PWAH_HANDLE_CONTEXT;

typedef struct wah_table *PWAH_HANDLE_TABLE;

/* The callback of WahEnumerateHandleContexts: FALSE stops the enumeration. */
typedef BOOL(WINAPI *PWAH_HANDLE_ENUMERATE_PROC)(void *context, PWAH_HANDLE_CONTEXT handle);

DWORD WINAPI WahCreateHandleContextTable(PWAH_HANDLE_TABLE *table);
DWORD WINAPI WahDestroyHandleContextTable(PWAH_HANDLE_TABLE table);
PWAH_HANDLE_CONTEXT WINAPI WahInsertHandleContext(PWAH_HANDLE_TABLE table,
                                                  PWAH_HANDLE_CONTEXT context);
DWORD WINAPI WahRemoveHandleContext(PWAH_HANDLE_TABLE table, PWAH_HANDLE_CONTEXT context);
PWAH_HANDLE_CONTEXT WINAPI WahReferenceContextByHandle(PWAH_HANDLE_TABLE table, HANDLE handle);
BOOL WINAPI WahEnumerateHandleContexts(PWAH_HANDLE_TABLE table, PWAH_HANDLE_ENUMERATE_PROC callback,
                                       void *context);

DWORD WINAPI WahOpenApcHelper(HANDLE *helper);
DWORD WINAPI WahCloseApcHelper(HANDLE helper);
DWORD WINAPI WahOpenCurrentThread(HANDLE helper, LPWSATHREADID thread);
DWORD WINAPI WahCloseThread(HANDLE helper, LPWSATHREADID thread);
DWORD WINAPI WahQueueUserApc(HANDLE helper, LPWSATHREADID thread, LPWSAUSERAPC routine,
                             ULONG_PTR context);

DWORD WINAPI WahOpenHandleHelper(HANDLE *helper);
DWORD WINAPI WahCloseHandleHelper(HANDLE helper);
DWORD WINAPI WahCreateSocketHandle(HANDLE helper, SOCKET *s);
DWORD WINAPI WahCloseSocketHandle(HANDLE helper, SOCKET s);
DWORD WINAPI WahCompleteRequest(HANDLE helper, SOCKET s, LPWSAOVERLAPPED overlapped, DWORD error,
                                DWORD transferred);
DWORD WINAPI WahEnableNonIFSHandleSupport(void);
DWORD WINAPI WahDisableNonIFSHandleSupport(void);

DWORD WINAPI WahOpenNotificationHandleHelper(HANDLE *helper);
DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE helper);
DWORD WINAPI WahCreateNotificationHandle(HANDLE helper, HANDLE *notification);
DWORD WINAPI WahWaitForNotification(HANDLE helper, HANDLE notification, LPWSAOVERLAPPED overlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);
DWORD WINAPI WahNotifyAllProcesses(HANDLE helper);

DWORD WINAPI WahWriteLSPEvent(void);

/* ---- socket state notifications (Windows 10 build 20348), absent from older SDK headers ---- */

#ifndef SOCK_NOTIFY_OP_NONE
#define SOCK_NOTIFY_REGISTER_EVENT_NONE   0x00
#define SOCK_NOTIFY_REGISTER_EVENT_IN     0x01
#define SOCK_NOTIFY_REGISTER_EVENT_OUT    0x02
#define SOCK_NOTIFY_REGISTER_EVENT_HANGUP 0x04
#define SOCK_NOTIFY_REGISTER_EVENTS_ALL                                                            \
    (SOCK_NOTIFY_REGISTER_EVENT_IN | SOCK_NOTIFY_REGISTER_EVENT_OUT |                              \
     SOCK_NOTIFY_REGISTER_EVENT_HANGUP)
#define SOCK_NOTIFY_EVENT_IN     SOCK_NOTIFY_REGISTER_EVENT_IN
#define SOCK_NOTIFY_EVENT_OUT    SOCK_NOTIFY_REGISTER_EVENT_OUT
#define SOCK_NOTIFY_EVENT_HANGUP SOCK_NOTIFY_REGISTER_EVENT_HANGUP
#define SOCK_NOTIFY_EVENT_ERR    0x40
#define SOCK_NOTIFY_EVENT_REMOVE 0x80
#define SOCK_NOTIFY_EVENTS_ALL                                                                     \
    (SOCK_NOTIFY_REGISTER_EVENTS_ALL | SOCK_NOTIFY_EVENT_ERR | SOCK_NOTIFY_EVENT_REMOVE)
#define SOCK_NOTIFY_OP_NONE            0x00
#define SOCK_NOTIFY_OP_ENABLE          0x01
#define SOCK_NOTIFY_OP_DISABLE         0x02
#define SOCK_NOTIFY_OP_REMOVE          0x04
#define SOCK_NOTIFY_TRIGGER_ONESHOT    0x01
#define SOCK_NOTIFY_TRIGGER_PERSISTENT 0x02
#define SOCK_NOTIFY_TRIGGER_LEVEL      0x04
#define SOCK_NOTIFY_TRIGGER_EDGE       0x08
#define SOCK_NOTIFY_TRIGGER_ALL                                                                    \
    (SOCK_NOTIFY_TRIGGER_ONESHOT | SOCK_NOTIFY_TRIGGER_PERSISTENT | SOCK_NOTIFY_TRIGGER_LEVEL |    \
     SOCK_NOTIFY_TRIGGER_EDGE)

typedef struct SOCK_NOTIFY_REGISTRATION {
    SOCKET socket;
    PVOID completionKey;
    UINT16 eventFilter;
    UINT8 operation;
    UINT8 triggerFlags;
    DWORD registrationResult;
} SOCK_NOTIFY_REGISTRATION;

DWORD WSAAPI ProcessSocketNotifications(HANDLE completionPort, UINT32 registrationCount,
                                        SOCK_NOTIFY_REGISTRATION *registrationInfos,
                                        UINT32 timeoutMs, ULONG completionCount,
                                        OVERLAPPED_ENTRY *completionPortEntries,
                                        UINT32 *receivedEntryCount);
#endif

/* src/api/wpu.c: complete an overlapped operation of socket S through its OVERLAPPED (status
   and byte count, the event, the socket's completion port). Returns 0 or a Winsock error. */
int wpu_complete_overlapped(SOCKET s, LPWSAOVERLAPPED ov, DWORD error, DWORD transferred);

#endif
