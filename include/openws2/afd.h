/*
 * The socket device as Wine 8.0 exposes it: request codes and parameter blocks.
 * Values are interface facts (see docs/AFD.md of the project's design notes); the
 * declarations are our own.
 */
#ifndef OPENWS2_AFD_H
#define OPENWS2_AFD_H

#include <winsock2.h>
#include <windows.h>
#include <winioctl.h>

/* Requests whose numbers match Windows' afd.sys (device 1 = FILE_DEVICE_BEEP, neither-io). */
#define AFD_REQ(fn, method) CTL_CODE(FILE_DEVICE_BEEP, (fn), (method), FILE_ANY_ACCESS)
#define AFD_BIND        AFD_REQ(0x800, METHOD_NEITHER)
#define AFD_LISTEN      AFD_REQ(0x802, METHOD_NEITHER)
#define AFD_POLL        AFD_REQ(0x809, METHOD_BUFFERED)
#define AFD_GETSOCKNAME AFD_REQ(0x80b, METHOD_NEITHER)
#define AFD_EVENT_SELECT AFD_REQ(0x821, METHOD_NEITHER)
#define AFD_GET_EVENTS  AFD_REQ(0x822, METHOD_NEITHER)

/* Wine's own requests: FILE_DEVICE_NETWORK, buffered, function numbers from 200. */
#define AFD_WINE(n) CTL_CODE(FILE_DEVICE_NETWORK, (n), METHOD_BUFFERED, FILE_ANY_ACCESS)
enum afd_wine_request {
    AFD_W_CREATE = 200, AFD_W_ACCEPT, AFD_W_ACCEPT_INTO, AFD_W_CONNECT, AFD_W_SHUTDOWN,
    AFD_W_RECVMSG, AFD_W_SENDMSG, AFD_W_TRANSMIT, AFD_W_ADDRESS_LIST_CHANGE, AFD_W_FIONBIO,
    AFD_W_COMPLETE_ASYNC, AFD_W_FIONREAD, AFD_W_SIOCATMARK, AFD_W_GET_INTERFACE_LIST,
    AFD_W_KEEPALIVE_VALS, AFD_W_MESSAGE_SELECT, AFD_W_GETPEERNAME, AFD_W_DEFER, AFD_W_GET_INFO,
    /* socket options: one number per get or set, see src/provider/afd/sockopt.c */
    AFD_W_FIRST_OPTION = 219,
};

/* Poll event bits, shared by AFD_POLL, AFD_EVENT_SELECT and AFD_GET_EVENTS. */
#define AFD_POLL_READ        0x0001
#define AFD_POLL_OOB         0x0002
#define AFD_POLL_WRITE       0x0004
#define AFD_POLL_HUP         0x0008
#define AFD_POLL_RESET       0x0010
#define AFD_POLL_CLOSE       0x0020
#define AFD_POLL_CONNECT     0x0040
#define AFD_POLL_ACCEPT      0x0080
#define AFD_POLL_CONNECT_ERR 0x0100

struct afd_create_in { int family, type, protocol; unsigned int wsa_flags; };
struct afd_info_out { int family, type, protocol; };
/* The address follows the int directly (offset 4), so it is bytes here, not a SOCKADDR_STORAGE,
   whose 8-byte alignment would insert padding. Only the address's own length is sent. */
struct afd_bind_in { int reserved; char addr[sizeof(SOCKADDR_STORAGE)]; };
struct afd_listen_in { int reserved1; int backlog; int reserved2; };
struct afd_connect_in { int addr_len; int synchronous; /* then the address, then data to send */ };

/* Pointers travel as 64-bit integers so that one layout serves both bitnesses. */
struct afd_recvmsg_in {
    ULONGLONG control, addr, addr_len, flags; /* WSABUF *, sockaddr *, int *, DWORD * */
    int force_async;
    unsigned int count;
    ULONGLONG buffers; /* WSABUF[] */
};
struct afd_sendmsg_in {
    ULONGLONG addr;
    unsigned int addr_len;
    unsigned int flags;
    int force_async;
    unsigned int count;
    ULONGLONG buffers;
};

/* AFD_EVENT_SELECT: the event (NULL with mask 0 cancels) and the AFD_POLL_* bits to watch. */
struct afd_event_select_in {
    HANDLE event;
    int mask;
};
/* AFD_GET_EVENTS: the pending AFD_POLL_* bits (then cleared) and one NTSTATUS per bit, indexed by
   the bit's position (AFD_POLL_READ is 0, AFD_POLL_CONNECT_ERR is 8). */
#define AFD_POLL_BIT_COUNT 13
struct afd_get_events_out {
    int flags;
    int status[AFD_POLL_BIT_COUNT];
};
/* AFD_W_MESSAGE_SELECT: the device posts `message` to `window` itself, with the socket handle as
   wParam and WSAMAKESELECTREPLY(event, error) as lParam. Handles travel as 32-bit values. */
struct afd_message_select_in {
    ULONG handle;
    ULONG window;
    unsigned int message;
    int mask;
};

#include <pshpack4.h>
struct afd_poll_entry { ULONGLONG socket; int events; int status; };
struct afd_poll_in {
    LONGLONG timeout; /* 100 ns units; negative = relative, INT64_MAX = forever */
    unsigned int count;
    BOOLEAN exclusive;
    BOOLEAN pad[3];
    struct afd_poll_entry entries[];
};
#include <poppack.h>

#endif
