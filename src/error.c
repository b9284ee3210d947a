/* The one NTSTATUS -> Winsock error table, and the pointer checks of the API edge. */
#include "openws2/core.h"

#define ST(x) ((NTSTATUS)(x))

static const struct {
    NTSTATUS status;
    int error;
} status_errors[] = {
    {ST(0x00000103), WSA_IO_PENDING},       /* STATUS_PENDING */
    {ST(0x80000005), WSAEMSGSIZE},          /* STATUS_BUFFER_OVERFLOW: datagram truncated */
    {ST(0xC0000002), WSAEOPNOTSUPP},        /* STATUS_NOT_IMPLEMENTED */
    {ST(0xC0000005), WSAEFAULT},            /* STATUS_ACCESS_VIOLATION */
    {ST(0xC0000008), WSAENOTSOCK},          /* STATUS_INVALID_HANDLE */
    {ST(0xC000000D), WSAEINVAL},            /* STATUS_INVALID_PARAMETER */
    {ST(0xC0000007), WSAENOBUFS},           /* STATUS_PAGEFILE_QUOTA */
    {ST(0xC000000F), WSAENETDOWN},          /* STATUS_NO_SUCH_FILE */
    {ST(0xC0000018), WSAENOBUFS},           /* STATUS_CONFLICTING_ADDRESSES */
    {ST(0xC0000017), WSAENOBUFS},           /* STATUS_NO_MEMORY */
    {ST(0xC0000022), WSAEACCES},            /* STATUS_ACCESS_DENIED */
    {ST(0xC0000023), WSAEFAULT},            /* STATUS_BUFFER_TOO_SMALL */
    {ST(0xC0000024), WSAENOTSOCK},          /* STATUS_OBJECT_TYPE_MISMATCH */
    {ST(0xC0000043), WSAEADDRINUSE},        /* STATUS_SHARING_VIOLATION */
    {ST(0xC0000044), WSAENOBUFS},           /* STATUS_QUOTA_EXCEEDED */
    {ST(0xC000009A), WSAENOBUFS},           /* STATUS_INSUFFICIENT_RESOURCES */
    {ST(0xC00000A3), WSAEWOULDBLOCK},       /* STATUS_DEVICE_NOT_READY */
    {ST(0xC00000B0), WSAESHUTDOWN},         /* STATUS_PIPE_DISCONNECTED */
    {ST(0xC00000B5), WSAETIMEDOUT},         /* STATUS_IO_TIMEOUT */
    {ST(0xC00000BB), WSAEOPNOTSUPP},        /* STATUS_NOT_SUPPORTED */
    {ST(0xC00000BE), WSAENETUNREACH},       /* STATUS_BAD_NETWORK_PATH */
    {ST(0xC00000C4), WSAENETDOWN},          /* STATUS_UNEXPECTED_NETWORK_ERROR */
    {ST(0xC00000D0), WSAEWOULDBLOCK},       /* STATUS_REQUEST_NOT_ACCEPTED */
    {ST(0xC0000120), WSA_OPERATION_ABORTED},/* STATUS_CANCELLED */
    {ST(0xC000013B), WSAECONNABORTED},      /* STATUS_LOCAL_DISCONNECT */
    {ST(0xC000013C), WSAECONNRESET},        /* STATUS_REMOTE_DISCONNECT */
    {ST(0xC000013D), WSAENOBUFS},           /* STATUS_REMOTE_RESOURCES */
    {ST(0xC000013E), WSAECONNRESET},        /* STATUS_LINK_FAILED */
    {ST(0xC000013F), WSAETIMEDOUT},         /* STATUS_LINK_TIMEOUT */
    {ST(0xC0000140), WSAENOTCONN},          /* STATUS_INVALID_CONNECTION */
    {ST(0xC0000141), WSAEADDRNOTAVAIL},     /* STATUS_INVALID_ADDRESS */
    {ST(0xC0000206), WSAEMSGSIZE},          /* STATUS_INVALID_BUFFER_SIZE */
    {ST(0xC0000207), WSAEADDRNOTAVAIL},     /* STATUS_INVALID_ADDRESS_COMPONENT */
    {ST(0xC0000209), WSAENOBUFS},           /* STATUS_TOO_MANY_ADDRESSES */
    {ST(0xC000020A), WSAEADDRINUSE},        /* STATUS_ADDRESS_ALREADY_EXISTS */
    {ST(0xC000020C), WSAECONNRESET},        /* STATUS_CONNECTION_DISCONNECTED */
    {ST(0xC000020D), WSAECONNRESET},        /* STATUS_CONNECTION_RESET */
    {ST(0xC000020F), WSAECONNABORTED},      /* STATUS_TRANSACTION_ABORTED */
    {ST(0xC0000236), WSAECONNREFUSED},      /* STATUS_CONNECTION_REFUSED */
    {ST(0xC0000237), WSAEDISCON},           /* STATUS_GRACEFUL_DISCONNECT */
    {ST(0xC0000238), WSAEINVAL},            /* STATUS_ADDRESS_ALREADY_ASSOCIATED: bound twice */
    {ST(0xC000023B), WSAEISCONN},           /* STATUS_CONNECTION_ACTIVE */
    {ST(0xC000023C), WSAENETUNREACH},       /* STATUS_NETWORK_UNREACHABLE */
    {ST(0xC000023D), WSAEHOSTUNREACH},      /* STATUS_HOST_UNREACHABLE */
    {ST(0xC000023E), WSAENETUNREACH},       /* STATUS_PROTOCOL_UNREACHABLE */
    {ST(0xC000023F), WSAECONNRESET},        /* STATUS_PORT_UNREACHABLE */
    {ST(0xC0000240), WSAEINTR},             /* STATUS_REQUEST_ABORTED */
    {ST(0xC0000241), WSAECONNABORTED},      /* STATUS_CONNECTION_ABORTED */
    {ST(0xC0000350), WSAEHOSTDOWN},         /* STATUS_HOST_DOWN */
    /* STATUS_HANDLES_CLOSED: Wine's device ends the operations pending on a socket that is
       closed with it; Windows ends them with STATUS_CONNECTION_ABORTED. */
    {ST(0x8000000A), WSAECONNABORTED},
    {ST(0xC00000A1), WSAENOBUFS},           /* STATUS_WORKING_SET_QUOTA */
    {ST(0xC000012D), WSAENOBUFS},           /* STATUS_COMMITMENT_LIMIT */
    {ST(0xC0000097), WSAENOBUFS},           /* STATUS_TOO_MANY_PAGING_FILES */
    {ST(0xC00000BC), WSAECONNREFUSED},      /* STATUS_REMOTE_NOT_LISTENING */
    {ST(0xC00002C5), WSAEFAULT},            /* STATUS_DATATYPE_MISALIGNMENT_ERROR */
    /* ERROR_IO_INCOMPLETE wrapped as a warning or an error status */
    {ST(0x800703E4), WSA_IO_INCOMPLETE},
    {ST(0xC00703E4), WSA_IO_INCOMPLETE},
    {ST(0xC0000034), WSAENETDOWN},          /* STATUS_OBJECT_NAME_NOT_FOUND */
    {ST(0xC000003A), WSAENETDOWN},          /* STATUS_OBJECT_PATH_NOT_FOUND */
    {ST(0xC000000E), WSAENETDOWN},          /* STATUS_NO_SUCH_DEVICE */
    {ST(0xC00000C3), WSAENETDOWN},          /* STATUS_INVALID_NETWORK_RESPONSE */
    {ST(0xC00000BF), WSAENETDOWN},          /* STATUS_NETWORK_BUSY */
};

int ws_error_from_status(NTSTATUS status)
{
    if (status == 0) return 0;
    for (size_t i = 0; i < ARRAY_COUNT(status_errors); i++) {
        if (status_errors[i].status == status) return status_errors[i].error;
    }
    /* The socket device reports many failures as a Win32 error wrapped in a status. */
    if (((ULONG)status & 0xFFFF0000) == 0xC0010000) return (int)(status & 0xFFFF);
    if (NT_SUCCESS(status)) return (int)RtlNtStatusToDosError(status);
    return WSAEINVAL;
}

/* The probes behind ws_readable and ws_writable (include/openws2/core.h), for memory outside
   the calling thread's stack. */
bool ws_probe_readable(const void *p, size_t len)
{
    return !IsBadReadPtr(p, len ? len : 1);
}

bool ws_probe_writable(void *p, size_t len)
{
    return !IsBadWritePtr(p, len ? len : 1);
}
