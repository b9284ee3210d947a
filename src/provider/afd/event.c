/*
 * Select-style notification over the socket device: an event object (WSAEventSelect with
 * WSAEnumNetworkEvents) or a window message (WSAAsyncSelect). The device keeps the record of
 * network events, re-enables each one when the call that consumes it runs (recv for FD_READ,
 * accept for FD_ACCEPT, a send that would block for FD_WRITE), signals the event and gives an
 * accepted socket the listener's selection. Window messages are posted by our notification
 * threads (notify.c) from the same record, read here. What is left here is translating between
 * FD_* and the device's AFD_POLL_* bits, keeping the socket's user-mode flags in step, and the
 * two places where the device parts from Windows: it records nothing when a datagram socket is
 * given a peer (Windows records FD_CONNECT and FD_WRITE; we record them in user mode), and it
 * drops the selection of a socket shut down both ways (Windows keeps it; we select again).
 */
#include "openws2/afd_provider.h"

/* The device's bits for each FD_* event, indexed by the FD_*_BIT number. A connection reports
   FD_CONNECT whether it succeeded or failed, and FD_CLOSE for a graceful close or a reset. */
static const int afd_bits_of_fd[] = {
    [FD_READ_BIT] = AFD_POLL_READ,
    [FD_WRITE_BIT] = AFD_POLL_WRITE,
    [FD_OOB_BIT] = AFD_POLL_OOB,
    [FD_ACCEPT_BIT] = AFD_POLL_ACCEPT,
    [FD_CONNECT_BIT] = AFD_POLL_CONNECT | AFD_POLL_CONNECT_ERR,
    [FD_CLOSE_BIT] = AFD_POLL_HUP | AFD_POLL_RESET,
};

/* The device has no source for FD_QOS, FD_GROUP_QOS, FD_ROUTING_INTERFACE_CHANGE and
   FD_ADDRESS_LIST_CHANGE: the first two are accepted and never reported (there is no QoS); the
   last two our notification threads record (notify.c). */
static int afd_mask_of(long events)
{
    int mask = 0;
    for (size_t bit = 0; bit < ARRAY_COUNT(afd_bits_of_fd); bit++) {
        if (events & (1L << bit)) mask |= afd_bits_of_fd[bit];
    }
    return mask;
}

static int status_at(const struct afd_get_events_out *out, int afd_bit)
{
    int index = 0;
    while (!(afd_bit & (1 << index))) index++;
    return ws_error_from_status((NTSTATUS)out->status[index]);
}

/* FD_CLOSE's error: a graceful close reports 0. A reset carries no error of its own in Wine's
   device; Windows reports WSAECONNABORTED for it. */
static int close_error(const struct afd_get_events_out *out)
{
    int error;
    if (out->flags & AFD_POLL_RESET) {
        if ((error = status_at(out, AFD_POLL_RESET))) return error;
        if ((error = status_at(out, AFD_POLL_HUP))) return error;
        return WSAECONNABORTED;
    }
    return status_at(out, AFD_POLL_HUP);
}

long afd_record_events(const struct afd_get_events_out *out, int errors[FD_MAX_EVENTS])
{
    long events = 0;
    for (size_t bit = 0; bit < ARRAY_COUNT(afd_bits_of_fd); bit++) {
        int afd_bits = afd_bits_of_fd[bit] & out->flags;
        if (!afd_bits) continue;
        events |= 1L << bit;
        if (bit == FD_CLOSE_BIT)
            errors[bit] = close_error(out);
        else if (bit == FD_CONNECT_BIT)
            errors[bit] = status_at(out, AFD_POLL_CONNECT_ERR);
        else
            errors[bit] = status_at(out, afd_bits);
    }
    return events;
}

/* Keep our own duplicate of the program's event (NULL: none), as Windows' AFD keeps a reference
   to the event object: the program may close its handle and the value be given out again. A
   selection again with the same handle value keeps the duplicate it has (no request). */
void afd_keep_select_event(struct ws_socket *sock, HANDLE event)
{
    HANDLE copy = NULL, old;
    if (event && event == sock->select_event_of && sock->select_event) return;
    if (event && !DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &copy, 0, FALSE,
                                  DUPLICATE_SAME_ACCESS))
        copy = NULL;
    sock->select_event_of = copy ? event : NULL;
    old = InterlockedExchangePointer(&sock->select_event, copy);
    if (old) CloseHandle(old);
}

/* A selection makes the socket non-blocking for good; while one is active, FIONBIO cannot make it
   blocking again (src/provider/afd/sockopt.c checks WS_SOCK_EVENTSELECT). EVENT is the program's
   event of an event selection (NULL for messages), kept for the few cases where the device ends
   or misses what Windows records (afd_select_datagram_connected, afd_select_after_shutdown). */
static void note_selection(SOCKET s, long events, HANDLE event)
{
    struct ws_socket *sock = sock_table_find(s);
    if (!sock) return;
    afd_keep_select_event(sock, events ? event : NULL);
    sock->select_events = events;
    InterlockedExchange(&sock->user_events, 0);
    if (events)
        InterlockedOr(&sock->flags, WS_SOCK_EVENTSELECT | WS_SOCK_NONBLOCKING);
    else
        InterlockedAnd(&sock->flags, ~WS_SOCK_EVENTSELECT);
}

/* Stop what our notification threads do for an earlier selection (WSAAsyncSelect's messages,
   FD_ADDRESS_LIST_CHANGE); a no-op for other sockets. */
static void forget_selection(SOCKET s)
{
    struct ws_socket *sock = sock_table_find(s);
    if (sock && (sock->flags & WS_SOCK_NOTIFY)) afd_notify_unregister(s);
}

int WSPAPI afd_event_select(SOCKET s, WSAEVENT event, long events, LPINT err)
{
    /* Cancelling needs no event: the device would reject a stale one. */
    struct afd_event_select_in in = {.event = events ? event : NULL, .mask = afd_mask_of(events)};
    IO_STATUS_BLOCK io;
    NTSTATUS status;

    /* Messages stop before the event takes over, so that no thread of ours reads (and so
       clears) the record the program's event now announces. */
    forget_selection(s);
    status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_EVENT_SELECT, &in,
                                   sizeof(in), NULL, 0);
    if (status) {
        /* The device answers a handle that is not an event with STATUS_INVALID_PARAMETER. */
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    /* FD_ADDRESS_LIST_CHANGE and FD_ROUTING_INTERFACE_CHANGE have no source in the device: our
       thread records them. */
    if ((events & (FD_ADDRESS_LIST_CHANGE | FD_ROUTING_INTERFACE_CHANGE)) &&
        (*err = afd_notify_register_event(s, event, events)))
        return SOCKET_ERROR;
    note_selection(s, events, event);
    return 0;
}

/* The events recorded in user mode for the socket's event selection (by our thread, or by us
   where the device records nothing), taken; each reports error 0. */
static long user_events_recorded(SOCKET s)
{
    struct ws_socket *sock = sock_table_find(s);
    long events = 0;
    if (!sock) return 0;
    /* The fields are current only while the flag is set: a slot is reused as it was left. */
    if ((sock->flags & WS_SOCK_EVENTSELECT) && sock->user_events)
        events = InterlockedExchange(&sock->user_events, 0);
    if (sock->flags & WS_SOCK_NOTIFY) events |= afd_notify_take_events(s);
    return events;
}

/* One read of the device's record, merged into *out: flags accumulate, statuses are the latest. */
/* Read the device's record into OUT, merged with what OUT holds; *TOOK says whether this read
   found anything. */
static NTSTATUS read_record(SOCKET s, struct afd_get_events_out *out, bool *took)
{
    struct afd_get_events_out now;
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_GET_EVENTS, NULL,
                                            0, &now, sizeof(now));
    if (status) return status;
    *took = now.flags != 0;
    now.flags |= out->flags;
    *out = now;
    return 0;
}

int WSPAPI afd_enum_network_events(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS result, LPINT err)
{
    struct afd_get_events_out out = {0};
    int errors[FD_MAX_EVENTS];
    NTSTATUS status;
    long events;

    /*
     * The reference page promises that reading the record, clearing it and resetting the event
     * are one atomic step. The device offers no such request, so: reset first (an occurrence
     * recorded after the read sets the event again, and none is lost), read, and if the event
     * was set meanwhile by an occurrence the read already took, read once more and merge, so
     * that the event is left set only for something still unread. The device sets the event
     * only when it records an occurrence, which the next read then finds: a read that found
     * nothing means nothing set the event since the reset, and there is nothing to check,
     * unless we record events for the socket ourselves and set the event: our notification
     * thread does for a socket it serves, and a datagram socket's connect does.
     */
    struct ws_socket *sock = sock_table_find(s);
    bool took = false,
         notified = !sock || (sock->flags & WS_SOCK_NOTIFY) || sock->type != SOCK_STREAM;
    if (event && !ResetEvent(event)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    status = read_record(s, &out, &took);
    for (int again = 0; !status && event && (took || notified) && again < 2; again++) {
        if (WaitForSingleObject(event, 0) != WAIT_OBJECT_0) break;
        ResetEvent(event);
        status = read_record(s, &out, &took);
    }
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    /* Only the iErrorCode slots of reported events are written; the others keep what the
       program had there, as the reference page requires. */
    events = afd_record_events(&out, errors);
    long recorded = user_events_recorded(s);
    for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
        if (recorded & (1L << bit)) errors[bit] = 0;
    }
    events |= recorded;
    for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
        if (events & (1L << bit)) result->iErrorCode[bit] = errors[bit];
    }
    result->lNetworkEvents = events;
    return 0;
}

int WSPAPI afd_async_select(SOCKET s, HWND window, unsigned int message, long events, LPINT err)
{
    if (!events) {
        /* Cancelling: stop our thread, then clear the device's selection (and with it any
           event selection). */
        struct afd_message_select_in in = {.handle = (ULONG)(ULONG_PTR)s};
        IO_STATUS_BLOCK io;
        NTSTATUS status;

        forget_selection(s);
        status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io,
                                       AFD_WINE(AFD_W_MESSAGE_SELECT), &in, sizeof(in), NULL, 0);
        if (status) {
            *err = afd_error(status);
            return SOCKET_ERROR;
        }
        note_selection(s, 0, NULL);
        return 0;
    }
    if ((*err = afd_notify_register(s, window, message, events, afd_mask_of(events))))
        return SOCKET_ERROR;
    note_selection(s, events, NULL);
    return 0;
}

void afd_async_select_accepted(SOCKET listener, SOCKET accepted)
{
    struct ws_socket *sock = sock_table_find(listener);
    struct ws_socket *child;
    HWND window;
    UINT message;
    long events;
    int err;

    /* The device gave the accepted socket the listener's event selection (and we its flags):
       keep its fields in step. */
    if ((child = sock_table_find(accepted))) {
        afd_keep_select_event(child, sock ? sock->select_event : NULL);
        child->select_events = sock ? sock->select_events : 0;
        InterlockedExchange(&child->user_events, 0);
    }

    /* The device gave the accepted socket the listener's event, which our thread reads for the
       listener only: give it an event and an entry of its own. */
    if (!sock || !(sock->flags & WS_SOCK_NOTIFY)) return;
    if (afd_notify_selection(listener, &window, &message, &events))
        afd_async_select(accepted, window, message, events, &err);
}

/* Select the socket in the device again for its event selection (with our duplicate of the
   program's event); false if it has none. */
static bool reselect_event(SOCKET s, struct ws_socket *sock)
{
    struct afd_event_select_in in = {.event = sock->select_event,
                                     .mask = afd_mask_of(sock->select_events)};
    IO_STATUS_BLOCK io;
    if (!in.event) return false;
    return !NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_EVENT_SELECT, &in,
                                  sizeof(in), NULL, 0);
}

/* The device records nothing when a datagram socket is given a peer. Called for a socket flagged
   WS_SOCK_EVENTSELECT, whose selection fields are then current. */
void afd_select_datagram_connected(SOCKET s)
{
    struct ws_socket *sock = sock_table_find(s);
    long events;

    if (!sock) return;
    if (sock->flags & WS_SOCK_NOTIFY) afd_notify_datagram_connected(s);
    events = sock->select_events & (FD_CONNECT | FD_WRITE);
    if (!events || !sock->select_event) return;
    InterlockedOr(&sock->user_events, events);
    SetEvent(sock->select_event);
}

/* The device drops the selection of a socket shut down both ways. Called for a socket flagged
   WS_SOCK_EVENTSELECT. */
void afd_select_after_shutdown(SOCKET s)
{
    struct ws_socket *sock = sock_table_find(s);
    if (!sock || reselect_event(s, sock)) return;
    if (sock->flags & WS_SOCK_NOTIFY) afd_notify_reselect(s);
}
