/*
 * Select-style notification over the socket device: an event object (WSAEventSelect with
 * WSAEnumNetworkEvents) or a window message (WSAAsyncSelect). The device keeps the record of
 * network events, re-enables each one when the call that consumes it runs (recv for FD_READ,
 * accept for FD_ACCEPT, a send that would block for FD_WRITE), signals the event or posts the
 * message itself, and gives an accepted socket the listener's selection. What is left here is
 * translating between FD_* and the device's AFD_POLL_* bits and keeping the socket's
 * user-mode flags in step.
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
   FD_ADDRESS_LIST_CHANGE: those bits are accepted and never reported. */
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

/* A selection makes the socket non-blocking for good; while one is active, FIONBIO cannot make it
   blocking again (src/provider/afd/sockopt.c checks WS_SOCK_EVENTSELECT). */
static void note_selection(SOCKET s, long events)
{
    struct ws_socket *sock = sock_table_find(s);
    if (!sock) return;
    if (events)
        InterlockedOr(&sock->flags, WS_SOCK_EVENTSELECT | WS_SOCK_NONBLOCKING);
    else
        InterlockedAnd(&sock->flags, ~WS_SOCK_EVENTSELECT);
}

int WSPAPI afd_event_select(SOCKET s, WSAEVENT event, long events, LPINT err)
{
    /* Cancelling needs no event: the device would reject a stale one. */
    struct afd_event_select_in in = {.event = events ? event : NULL, .mask = afd_mask_of(events)};
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_EVENT_SELECT, &in,
                                            sizeof(in), NULL, 0);
    if (status) {
        /* The device answers a handle that is not an event with STATUS_INVALID_PARAMETER. */
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    note_selection(s, events);
    return 0;
}

/* One read of the device's record, merged into *out: flags accumulate, statuses are the latest. */
static NTSTATUS read_record(SOCKET s, struct afd_get_events_out *out)
{
    struct afd_get_events_out now;
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_GET_EVENTS, NULL,
                                            0, &now, sizeof(now));
    if (status) return status;
    now.flags |= out->flags;
    *out = now;
    return 0;
}

int WSPAPI afd_enum_network_events(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS result, LPINT err)
{
    struct afd_get_events_out out = {0};
    NTSTATUS status;
    long events = 0;

    /*
     * The reference page promises that reading the record, clearing it and resetting the event
     * are one atomic step. The device offers no such request, so: reset first (an occurrence
     * recorded after the read sets the event again, and none is lost), read, and if the event
     * was set meanwhile by an occurrence the read already took, read once more and merge, so
     * that the event is left set only for something still unread.
     */
    if (event && !ResetEvent(event)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    status = read_record(s, &out);
    for (int again = 0; !status && event && again < 2; again++) {
        if (WaitForSingleObject(event, 0) != WAIT_OBJECT_0) break;
        ResetEvent(event);
        status = read_record(s, &out);
    }
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    /* Only the iErrorCode slots of reported events are written; the others keep what the
       program had there, as the reference page requires. */
    for (size_t bit = 0; bit < ARRAY_COUNT(afd_bits_of_fd); bit++) {
        int afd_bits = afd_bits_of_fd[bit] & out.flags;
        if (!afd_bits) continue;
        events |= 1L << bit;
        if (bit == FD_CLOSE_BIT)
            result->iErrorCode[bit] = close_error(&out);
        else if (bit == FD_CONNECT_BIT)
            result->iErrorCode[bit] = status_at(&out, AFD_POLL_CONNECT_ERR);
        else
            result->iErrorCode[bit] = status_at(&out, afd_bits);
    }
    result->lNetworkEvents = events;
    return 0;
}

int WSPAPI afd_async_select(SOCKET s, HWND window, unsigned int message, long events, LPINT err)
{
    /* The device posts WSAMAKESELECTREPLY(event, error) with the socket as wParam. Kernel and
       window handles keep their whole value in 32 bits, which is how the request carries them. */
    struct afd_message_select_in in = {
        .handle = (ULONG)(ULONG_PTR)s,
        .window = events ? (ULONG)(ULONG_PTR)window : 0,
        .message = events ? message : 0,
        .mask = afd_mask_of(events),
    };
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtDeviceIoControlFile(
        (HANDLE)s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_MESSAGE_SELECT), &in, sizeof(in), NULL, 0);
    if (status) {
        *err = afd_error(status);
        return SOCKET_ERROR;
    }
    note_selection(s, events);
    return 0;
}
