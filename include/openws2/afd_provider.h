/*
 * The built-in transport provider over Wine's socket device. Each function has the shape of its
 * WSPPROC_TABLE slot (ws2spi.h): failures return SOCKET_ERROR / INVALID_SOCKET with *err set.
 */
#ifndef OPENWS2_AFD_PROVIDER_H
#define OPENWS2_AFD_PROVIDER_H

#include "openws2/core.h"
#include "openws2/afd.h"

/* Windows' control codes for the ideal send backlog, which the SDK headers here may lack. */
#ifndef SIO_IDEAL_SEND_BACKLOG_QUERY
#define SIO_IDEAL_SEND_BACKLOG_CHANGE _IO('t', 122)
#define SIO_IDEAL_SEND_BACKLOG_QUERY  _IOR('t', 123, ULONG)
#endif

/* Issue a request and, if it pends, wait for it on the thread's sync event (alertably when
   asked, as Windows does for recv, send and select). A blocking call cancelled by another
   thread's closesocket or WSACleanup reports WSAEINTR. *info gets the bytes transferred. */
NTSTATUS afd_sync_request(SOCKET s, ULONG code, const void *in, ULONG in_len, void *out,
                          ULONG out_len, ULONG_PTR *info, bool alertable);
/* The Winsock error for a request's final status (STATUS_CANCELLED of a blocking call ->
   WSAEINTR). */
int afd_error(NTSTATUS status);

/* An address the caller passes in: 0, WSAEFAULT (unreadable or shorter than its family's
   sockaddr) or WSAEAFNOSUPPORT (a family we do not carry). */
int afd_check_sockaddr(const struct sockaddr *addr, int len);

/* afd.c: sockets and connections */
SOCKET WSPAPI afd_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                         DWORD flags, LPINT err);
int WSPAPI afd_closesocket(SOCKET s, LPINT err);
int WSPAPI afd_bind(SOCKET s, const struct sockaddr *addr, int len, LPINT err);
int WSPAPI afd_listen(SOCKET s, int backlog, LPINT err);
SOCKET WSPAPI afd_accept(SOCKET s, struct sockaddr *addr, LPINT len, LPCONDITIONPROC condition,
                         DWORD_PTR data, LPINT err);
int WSPAPI afd_connect(SOCKET s, const struct sockaddr *addr, int len, LPWSABUF caller_data,
                       LPWSABUF callee_data, LPQOS sqos, LPQOS gqos, LPINT err);
int WSPAPI afd_shutdown(SOCKET s, int how, LPINT err);
int WSPAPI afd_getsockname(SOCKET s, struct sockaddr *addr, LPINT len, LPINT err);
int WSPAPI afd_getpeername(SOCKET s, struct sockaddr *addr, LPINT len, LPINT err);
/* 0 if the socket has a peer (or a stream had one), else getpeername's error: unlike
   getpeername, a connect still under way counts as no peer (WSAENOTCONN). */
int afd_peer_error(SOCKET s);
/* A UDP socket of the device for our own use (never in the socket table, not inheritable), on
   which the notification threads keep their polls pending; NULL if none can be made. */
HANDLE afd_private_socket(void);
int WSPAPI afd_cleanup(LPINT err);

/* io.c: data transfer */
/* Issue one request whose completion the program may watch: synchronous on the thread's event
   (an alertable wait) without an OVERLAPPED, else through the OVERLAPPED's event, the completion
   routine (run through our APC, skipped for operations aborted by a later final WSACleanup) or
   the socket's completion port. A pending event-based operation is recorded for the final
   WSACleanup. Returns 0, or SOCKET_ERROR with *err set (WSA_IO_PENDING when it pends).
   *transferred gets the byte count of an immediate completion. Every operation a program can
   overlap goes through here. */
int afd_transfer(SOCKET s, ULONG code, void *params, ULONG params_len, void *out, ULONG out_len,
                 LPDWORD transferred, LPWSAOVERLAPPED ov,
                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err);
/* A buffer array of more than AFD_BUFS_UNCHECKED entries is checked before the device sees it:
   0, WSAEFAULT or WSAENOBUFS. */
#define AFD_BUFS_UNCHECKED 1024
int afd_check_bufs(const WSABUF *bufs, DWORD count);
/* One socket's state now, by a poll that does not wait: the bits of EVENTS (AFD_POLL_*) that
   hold, 0 if none; *STATUS is the request's failure, 0 when it answered. The poll also makes the
   device look at the socket, so that its record holds what is true now. */
int afd_poll_now(SOCKET s, int events, NTSTATUS *status);
int WSPAPI afd_recv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                    LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                    LPWSATHREADID thread, LPINT err);
int WSPAPI afd_recvfrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                        struct sockaddr *from, LPINT from_len, LPWSAOVERLAPPED ov,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                        LPINT err);
int WSPAPI afd_send(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                    LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                    LPWSATHREADID thread, LPINT err);
int WSPAPI afd_sendto(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                      const struct sockaddr *to, int to_len, LPWSAOVERLAPPED ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                      LPINT err);
BOOL WSPAPI afd_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD transferred,
                                      BOOL wait, LPDWORD flags, LPINT err);

/* sockopt.c: options and ioctls */
int WSPAPI afd_getsockopt(SOCKET s, int level, int name, char *value, LPINT len, LPINT err);
int WSPAPI afd_setsockopt(SOCKET s, int level, int name, const char *value, int len, LPINT err);
int WSPAPI afd_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                     LPDWORD returned, LPWSAOVERLAPPED ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                     LPINT err);

/* multipoint.c: IP multicast as the multipoint scheme of UDP sockets; no QoS templates */
SOCKET WSPAPI afd_join_leaf(SOCKET s, const struct sockaddr *name, int namelen,
                            LPWSABUF caller_data, LPWSABUF callee_data, LPQOS sqos, LPQOS gqos,
                            DWORD flags, LPINT err);
BOOL WSPAPI afd_get_qos_by_name(SOCKET s, LPWSABUF name, LPQOS qos, LPINT err);

/* psn.c: socket state notifications (ProcessSocketNotifications, no WSPPROC_TABLE slot). A
   registration's result (a Win32 or Winsock error, 0 on success); the packets the program took
   off PORT, so that held conditions report again; closesocket's end of a registration; whether
   PORT is a completion port. */
struct SOCK_NOTIFY_REGISTRATION;
DWORD afd_psn_register(HANDLE port, struct SOCK_NOTIFY_REGISTRATION *info);
void afd_psn_dequeued(HANDLE port, const OVERLAPPED_ENTRY *entries, ULONG count);
void afd_psn_closing(SOCKET s);
bool afd_psn_port_valid(HANDLE port);

/* sockopt.c: the provider's protocol catalog entries, as WSAEnumProtocols lists them; fills up
   to MAX and returns how many there are. */
int afd_catalog(WSAPROTOCOL_INFOW *entries, int max);

/* sio.c: the control codes answered in user mode. AFD_NOT_LOCAL if CODE is not one of them;
   otherwise 0 or SOCKET_ERROR with *err set, an OVERLAPPED completed as Windows does. */
#define AFD_NOT_LOCAL 1
int afd_local_ioctl(SOCKET s, struct ws_socket *sock, DWORD code, LPVOID in, DWORD in_len,
                    LPVOID out, DWORD out_len, LPDWORD returned, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err);
/* The local address the machine sends from to reach DEST (port 0): 0, or the Winsock error. */
int afd_route_source(const struct sockaddr *dest, int len, SOCKADDR_STORAGE *source);
/* A code nobody serves: WSAEOPNOTSUPP, or overlapped, pending and failed through the OVERLAPPED
   with STATUS_NOT_SUPPORTED, as Windows does. */
int afd_unsupported_ioctl(SOCKET s, LPDWORD returned, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err);

/* ext.c: the Microsoft extension functions (AcceptEx, ConnectEx, DisconnectEx, TransmitFile,
   GetAcceptExSockaddrs, WSARecvMsg, WSASendMsg) handed out by SIO_GET_EXTENSION_FUNCTION_POINTER.
   Answers that control code of WSAIoctl: the function for the GUID in `in`. */
int afd_get_extension_function(SOCKET s, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                               LPDWORD returned, LPWSAOVERLAPPED ov,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err);

/* event.c: select-style notification (WSAEventSelect, WSAEnumNetworkEvents, WSAAsyncSelect) */
int WSPAPI afd_event_select(SOCKET s, WSAEVENT event, long events, LPINT err);
int WSPAPI afd_enum_network_events(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS result, LPINT err);
int WSPAPI afd_async_select(SOCKET s, HWND window, unsigned int message, long events, LPINT err);
/* The FD_* events of a record read with AFD_GET_EVENTS, with errors[bit] set for each of them
   (the other slots are left alone): what WSAEnumNetworkEvents reports and WSAAsyncSelect posts. */
long afd_record_events(const struct afd_get_events_out *out, int errors[FD_MAX_EVENTS]);
/* After accept: an accepted socket inherits its listener's WSAAsyncSelect. */
void afd_async_select_accepted(SOCKET listener, SOCKET accepted);
/* After a datagram socket was given a peer: Windows records FD_CONNECT and FD_WRITE for an
   event selection and posts FD_WRITE for messages. */
void afd_select_datagram_connected(SOCKET s);
/* After shutdown(SD_BOTH), which ends the device's selection: select the socket again, since
   Windows keeps the selection (the peer's close still reports FD_CLOSE). */
void afd_select_after_shutdown(SOCKET s);
/* Keep a duplicate of EVENT (NULL: none) as the socket's event selection, closing the one kept
   before; closesocket passes NULL. */
void afd_keep_select_event(struct ws_socket *sock, HANDLE event);

/* notify.c: the threads that post WSAAsyncSelect's messages */
/* Select S for the window message through the device's event selection and have a thread post
   what it records (AFD_MASK: the device's bits for EVENTS); replaces an earlier registration of
   S. Returns 0 or a Winsock error. */
int afd_notify_register(SOCKET s, HWND window, UINT message, long events, int afd_mask);
/* Register an event selection of S that includes FD_ADDRESS_LIST_CHANGE (the device serves the
   rest); EVENT is the program's. Returns 0 or a Winsock error. */
int afd_notify_register_event(SOCKET s, HANDLE event, long events);
/* Forget S (sockets flagged WS_SOCK_NOTIFY); once this returns, nothing more is posted or
   signaled for it. */
void afd_notify_unregister(SOCKET s);
/* The window, message and events S is registered with for messages; false if it is not. */
bool afd_notify_selection(SOCKET s, HWND *window, UINT *message, long *events);
/* SIO_ADDRESS_LIST_CHANGE without an OVERLAPPED: if S is selected for FD_ADDRESS_LIST_CHANGE,
   have its thread wait for the next change and return true (the call fails with
   WSAEWOULDBLOCK); false if S is not selected for it. */
bool afd_notify_arm_address_change(SOCKET s);
/* SIO_ROUTING_INTERFACE_CHANGE without an OVERLAPPED: if S is selected for
   FD_ROUTING_INTERFACE_CHANGE, remember the route to DEST and have its thread report when it
   changes; true then (the call fails with WSAEWOULDBLOCK), false if S is not selected for it. */
bool afd_notify_arm_routing_change(SOCKET s, const struct sockaddr *dest, int len);
/* FD_ADDRESS_LIST_CHANGE and FD_ROUTING_INTERFACE_CHANGE recorded for S's event selection since
   the last call, taken. */
long afd_notify_take_events(SOCKET s);
/* A datagram socket of S was given a peer: post FD_WRITE if S is selected for it with
   messages, as Windows does. */
void afd_notify_datagram_connected(SOCKET s);
/* Select S's notification event in the device again (with messages); false if S has none. */
bool afd_notify_reselect(SOCKET s);
/* A receive on S was refused for its buffers (WSAEFAULT): it re-enables FD_READ all the same,
   so post FD_READ if S is selected for it with messages and data waits, as Windows does. */
void afd_notify_read_refused(SOCKET s);
/* The socket table is giving the slot of S (table generation GENERATION), which still holds a
   socket registered with the threads, to a new socket: the old one was closed behind our back
   and its handle value given out again. Its entry ends as that close (FD_CLOSE if due). */
void afd_notify_closed_behind(SOCKET s, LONG generation);
/* The final WSACleanup (its sockets are closed): the threads end. */
void afd_notify_cleanup(void);

/* select.c: readiness */
/* The timeout is not const because the WSPSelect slot of ws2spi.h is declared that way. */
int WSPAPI afd_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                      struct timeval *timeout, LPINT err);
/* WSAPoll, which has no WSPPROC_TABLE slot: the API edge has checked that count is not 0 and
   that fds is writable. Returns the number of entries with revents set, or SOCKET_ERROR with
   *err set. */
int afd_poll(WSAPOLLFD *fds, ULONG count, int timeout, LPINT err);

#endif
