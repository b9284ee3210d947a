/*
 * The notification threads behind WSAAsyncSelect and FD_ADDRESS_LIST_CHANGE.
 *
 * A socket selected for window messages is selected in the socket device for an event object of
 * ours (the same event selection WSAEventSelect uses, so the device keeps the record and
 * re-enables each network event exactly as it does there); a thread of ours waits on that
 * event, reads the record as WSAEnumNetworkEvents does and posts one message per event.
 * Windows' own provider works the same way, and it lets the messages carry the errors
 * WSAEnumNetworkEvents reports (a reset's FD_CLOSE says WSAECONNABORTED).
 *
 * FD_ADDRESS_LIST_CHANGE and FD_ROUTING_INTERFACE_CHANGE have no source in the device's record.
 * For a socket selected for them (messages or an event), SIO_ADDRESS_LIST_CHANGE or
 * SIO_ROUTING_INTERFACE_CHANGE without an OVERLAPPED asks the socket's thread to issue the
 * device's address-list-change request, completing on our event; when it completes, the thread
 * posts the message or records the event for WSAEnumNetworkEvents and sets the program's event.
 * A routing change is one where the route to the destination given leaves from another address
 * (or becomes or stops being reachable) after the addresses changed; otherwise the thread waits
 * for the next change.
 *
 * A handle closed without closesocket (CloseHandle, NtClose) ends the socket as closesocket does,
 * and Windows then posts FD_CLOSE to a socket selected for it. Nothing of ours runs then, but the
 * device completes a pending poll request with AFD_POLL_CLOSE when a socket's last handle closes:
 * each thread keeps one such request pending for its sockets, issued on a private socket of the
 * device, and posts FD_CLOSE (error 0) for a socket it reports, unless FD_CLOSE was posted for it
 * already. The entry then ends, as closesocket would have ended it.
 *
 * One thread serves up to 62 sockets (its own wake-up event and its close poll take the other
 * two wait slots); more threads start as more sockets are registered. The registry is touched
 * only by the selection calls, SIO_ADDRESS_LIST_CHANGE, WSAEnumNetworkEvents and closesocket of
 * a registered socket, and the threads, under one lock. A thread holds the lock from reading a
 * record until its messages are posted, and unregistering takes the lock, so once closesocket or
 * a replacing selection has returned, nothing more is posted for that selection. Nothing is
 * posted while the final WSACleanup runs or after it. A thread with no sockets left after the
 * final WSACleanup ends; each thread holds a reference on the DLL until it has ended.
 *
 * Every message goes through ws_post_message (src/api/post.c): the routine a program installed
 * with WSApSetPostRoutine, else PostMessageW. It is called with the lock held, for the guarantee
 * above; such a routine must post, not call back into Winsock.
 */
#include <stddef.h>
#include <stdint.h>
#include "openws2/afd_provider.h"

/* Two wait slots are the thread's wake-up event and its close poll. */
#define NOTIFY_SOCKETS (MAXIMUM_WAIT_OBJECTS - 2)
#define WAKE_SLOT      0
#define POLL_SLOT      1
#define FIRST_SLOT     2
/* How long a thread waits for a cancelled address-list-change request to finish. */
#define CANCEL_WAIT_MS 1000

struct notify_entry {
    SOCKET s;     /* INVALID_SOCKET when the entry serves no socket */
    HANDLE event; /* ours, auto-reset; NULL when the entry is free */
    bool retired; /* unregistered: the thread closes the event before the entry is reused */
    HWND window;  /* messages: the window; NULL for an event selection */
    UINT message;
    long events;
    int afd_mask;            /* messages: the device's bits for EVENTS */
    HANDLE user_event;       /* event selection: our duplicate of the program's event */
    bool address_wanted;     /* the thread is to issue an address-list-change request */
    bool address_pending;    /* the request is in the device */
    bool address_armed;      /* SIO_ADDRESS_LIST_CHANGE waits for the next change */
    bool routing_armed;      /* SIO_ROUTING_INTERFACE_CHANGE waits for the route to change */
    long recorded;           /* event selection: FD_ADDRESS_LIST_CHANGE and
                                FD_ROUTING_INTERFACE_CHANGE not yet enumerated */
    bool close_posted;       /* FD_CLOSE was posted for the socket */
    unsigned int generation; /* bumped each time the entry starts serving a socket */
    LONG slot_generation;    /* the socket table's generation of the socket it serves */
    IO_STATUS_BLOCK address_io;
    /* SIO_ROUTING_INTERFACE_CHANGE: the destination, and the source address (or the error) the
       route to it had when armed */
    SOCKADDR_STORAGE route_dest, route_source;
    int route_dest_len, route_error;
};

/* The poll request a thread keeps pending for its sockets (struct afd_poll_in with room). */
#include <pshpack4.h>
struct close_poll {
    LONGLONG timeout;
    unsigned int count;
    BOOLEAN exclusive;
    BOOLEAN pad[3];
    struct afd_poll_entry entries[NOTIFY_SOCKETS];
};
#include <poppack.h>
_Static_assert(offsetof(struct close_poll, entries) == offsetof(struct afd_poll_in, entries),
               "the close poll has the layout of the device's poll request");

struct notifier {
    struct notifier *next;
    HANDLE wake;    /* auto-reset: the set of sockets or requests changed */
    bool running;   /* a thread serves this block */
    HMODULE module; /* the DLL reference the thread holds */
    int live;       /* entries with a socket */
    /* The close poll: issued on ANCHOR (made once, kept for the life of the process),
       completing on POLL_DONE. POLLED holds the entry and generation of each socket issued. */
    HANDLE anchor, poll_done;
    bool poll_pending;    /* in the device */
    bool poll_stale;      /* the set of sockets changed since it was issued */
    bool poll_cancelling; /* cancelled, its completion not seen yet */
    IO_STATUS_BLOCK poll_io;
    unsigned int polled_count;
    struct {
        ULONGLONG socket;
        int slot;
        unsigned int generation;
    } polled[NOTIFY_SOCKETS];
    struct close_poll poll;
    struct notify_entry entries[NOTIFY_SOCKETS];
};

static SRWLOCK notify_lock = SRWLOCK_INIT;
static struct notifier *volatile notifiers; /* never freed; a stopped block is restarted */

/* The order in which what one reading finds is posted. */
static const int post_order[] = {
    FD_CONNECT_BIT,
    FD_ACCEPT_BIT,
    FD_OOB_BIT,
    FD_READ_BIT,
    FD_WRITE_BIT,
    FD_CLOSE_BIT,
    FD_QOS_BIT,
    FD_GROUP_QOS_BIT,
    FD_ROUTING_INTERFACE_CHANGE_BIT,
    FD_ADDRESS_LIST_CHANGE_BIT,
};

static NTSTATUS io_status(const IO_STATUS_BLOCK *io)
{
    return *(const volatile NTSTATUS *)&io->Status;
}

/* The socket table's object of the socket an entry serves; NULL once that socket is gone from
   the table or its handle value names another socket of ours (closed behind our back and the
   value given out again). */
static struct ws_socket *entry_socket(const struct notify_entry *e)
{
    struct ws_socket *sock = sock_table_known(e->s);
    return sock && sock->generation == e->slot_generation ? sock : NULL;
}

static struct notify_entry *find_entry(SOCKET s, struct notifier **owner)
{
    if (s == INVALID_SOCKET) return NULL;
    for (struct notifier *n = notifiers; n; n = n->next) {
        for (int i = 0; i < NOTIFY_SOCKETS; i++) {
            if (n->entries[i].s == s) {
                if (owner) *owner = n;
                return &n->entries[i];
            }
        }
    }
    return NULL;
}

/* Report a notification-only event: with messages, add it to *events; with an event
   selection, record it (and set the program's event if SIGNAL). */
static void report(struct notify_entry *e, int bit, long *events, int *errors, bool signal)
{
    if (e->window) {
        *events |= 1L << bit;
        errors[bit] = 0;
    } else {
        e->recorded |= 1L << bit;
        if (signal) SetEvent(e->user_event);
    }
}

/* Whether the route to the armed destination leaves from elsewhere than when it was armed. */
static bool route_changed(struct notify_entry *e)
{
    SOCKADDR_STORAGE source;
    int error = afd_route_source((struct sockaddr *)&e->route_dest, e->route_dest_len, &source);
    if (error != e->route_error) return true;
    return !error && memcmp(&source, &e->route_source, sizeof(source));
}

/*
 * Handle a completed address-list-change request: the addresses changed. SIO_ADDRESS_LIST_CHANGE
 * is answered; SIO_ROUTING_INTERFACE_CHANGE is answered if the route changed with them, else the
 * thread waits for the next change (the entry's event wakes it to issue the request). Called
 * with the lock held.
 */
static void address_done(struct notify_entry *e, long *events, int *errors, bool signal)
{
    if (!e->address_pending || io_status(&e->address_io) == STATUS_PENDING) return;
    e->address_pending = false;
    if (io_status(&e->address_io)) return;
    if (e->address_armed) {
        e->address_armed = false;
        if (e->events & FD_ADDRESS_LIST_CHANGE)
            report(e, FD_ADDRESS_LIST_CHANGE_BIT, events, errors, signal);
    }
    if (e->routing_armed) {
        if (route_changed(e)) {
            e->routing_armed = false;
            if (e->events & FD_ROUTING_INTERFACE_CHANGE)
                report(e, FD_ROUTING_INTERFACE_CHANGE_BIT, events, errors, signal);
        } else {
            e->address_wanted = true;
            SetEvent(e->event);
        }
    }
}

/* Read the socket's record and post what it holds. Called with the lock held. */
static void serve(struct notify_entry *e)
{
    struct afd_get_events_out out;
    int errors[FD_MAX_EVENTS];
    IO_STATUS_BLOCK io;
    long events = 0;

    address_done(e, &events, errors, true);
    if (!e->window) return;
    if (!NtDeviceIoControlFile((HANDLE)e->s, NULL, NULL, NULL, &io, AFD_GET_EVENTS, NULL, 0, &out,
                               sizeof(out)))
        events |= afd_record_events(&out, errors) & e->events;
    /* The final WSACleanup is closing the sockets: what they record now is not reported. */
    if (!events || !ws_started()) return;
    for (size_t i = 0; i < ARRAY_COUNT(post_order); i++) {
        int bit = post_order[i];
        if (!(events & (1L << bit))) continue;
        ws_post_message(e->window, e->message, (WPARAM)e->s,
                        WSAMAKESELECTREPLY(1L << bit, (WORD)errors[bit]));
        if (bit == FD_CLOSE_BIT) e->close_posted = true;
    }
}

static void serve_slot(struct notifier *n, int slot)
{
    AcquireSRWLockExclusive(&notify_lock);
    /* An entry unregistered since the wait began is retired and skipped. */
    if (n->entries[slot].s != INVALID_SOCKET) serve(&n->entries[slot]);
    ReleaseSRWLockExclusive(&notify_lock);
}

/* Issue the address-list-change request an entry asked for. Called with the lock held. */
static void issue_address_request(struct notify_entry *e)
{
    int force_pending = 1; /* pend even though the socket is non-blocking */
    NTSTATUS status;

    e->address_wanted = false;
    if (e->address_pending) return; /* one is already waiting */
    e->address_io.Status = STATUS_PENDING;
    e->address_io.Information = 0;
    status = NtDeviceIoControlFile((HANDLE)e->s, e->event, NULL, NULL, &e->address_io,
                                   AFD_WINE(AFD_W_ADDRESS_LIST_CHANGE), &force_pending,
                                   sizeof(force_pending), NULL, 0);
    if (status == STATUS_PENDING || !status) e->address_pending = true;
    /* Issuing a request resets its event, which the device also sets for the socket's events:
       read the record now, so that nothing it signaled before is left unposted. */
    serve(e);
}

/* End an entry's service: nothing more is posted or signaled for its socket. Called with the
   lock held. */
static void retire(struct notifier *n, struct notify_entry *e)
{
    IO_STATUS_BLOCK io;

    if (e->address_pending) NtCancelIoFileEx((HANDLE)e->s, &e->address_io, &io);
    if (e->user_event) CloseHandle(e->user_event);
    e->user_event = NULL;
    struct ws_socket *sock = entry_socket(e);
    if (sock) InterlockedAnd(&sock->flags, ~WS_SOCK_NOTIFY);
    e->s = INVALID_SOCKET;
    e->retired = true;
    n->live--;
    n->poll_stale = true;
    SetEvent(n->wake);
}

/* ---- the close poll ---- */

static bool still_a_socket(SOCKET s)
{
    struct afd_info_out info;
    IO_STATUS_BLOCK io;
    return !NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_GET_INFO), NULL,
                                  0, &info, sizeof(info));
}

/*
 * The socket of an entry was closed without closesocket (the close poll said so, or its handle
 * value now names something else): post FD_CLOSE if the socket is selected for it and has not
 * had it, and end the entry. Called with the lock held.
 */
static void closed_elsewhere(struct notifier *n, struct notify_entry *e)
{
    SOCKET s = e->s;
    struct ws_socket *sock = entry_socket(e);
    LONG generation = e->slot_generation;

    if (e->window && (e->events & FD_CLOSE) && !e->close_posted && ws_started())
        ws_post_message(e->window, e->message, (WPARAM)s, WSAMAKESELECTREPLY(FD_CLOSE, 0));
    retire(n, e);
    /* The socket table still holds the closed handle: free its slot, so that nothing (the final
       WSACleanup's close pass) closes whatever the value names next. A slot claimed again
       meanwhile is another socket's and stays. */
    if (sock) sock_table_remove_stale(sock, generation);
}

/* The request could not be made: a handle it names is closed. End the entries of the handles
   that no longer name a socket. Called with the lock held. */
static void probe_closed(struct notifier *n)
{
    for (int i = 0; i < NOTIFY_SOCKETS; i++) {
        struct notify_entry *e = &n->entries[i];
        if (e->s != INVALID_SOCKET && !e->retired && (!entry_socket(e) || !still_a_socket(e->s)))
            closed_elsewhere(n, e);
    }
}

/* The poll answered: end the entries of the sockets it reports closed. Called with the lock
   held. */
static void close_poll_answered(struct notifier *n)
{
    const size_t head = offsetof(struct close_poll, entries);
    ULONG_PTR written = n->poll_io.Information;
    unsigned int answered =
        written > head ? (unsigned int)((written - head) / sizeof(struct afd_poll_entry)) : 0;
    unsigned int i = 0;

    if (answered > n->poll.count) answered = n->poll.count;
    /* The device writes the signaled sockets back in the order they were issued. */
    for (unsigned int k = 0; k < answered; k++) {
        const struct afd_poll_entry *answer = &n->poll.entries[k];
        struct notify_entry *e;
        unsigned int generation;

        while (i < n->polled_count && n->polled[i].socket != answer->socket) i++;
        if (i == n->polled_count) break;
        e = &n->entries[n->polled[i].slot];
        generation = n->polled[i++].generation;
        /* An entry unregistered or reused since the poll was issued is not this socket's. */
        if (!(answer->events & AFD_POLL_CLOSE) || e->retired || e->generation != generation ||
            (ULONGLONG)e->s != answer->socket)
            continue;
        closed_elsewhere(n, e);
    }
}

/* Keep the close poll in step with the sockets: cancel one that names another set of sockets,
   issue one for the current set when none is pending. Called by the thread with the lock held. */
static void refresh_close_poll(struct notifier *n)
{
    IO_STATUS_BLOCK cancel_io;
    unsigned int count = 0;
    ULONG size;
    NTSTATUS status;

    if (!n->anchor || !n->poll_stale) return;
    if (n->poll_pending) {
        if (!n->poll_cancelling) {
            n->poll_cancelling = true;
            NtCancelIoFileEx(n->anchor, &n->poll_io, &cancel_io);
        }
        return;
    }
    n->poll_stale = false;
    for (int i = 0; i < NOTIFY_SOCKETS; i++) {
        struct notify_entry *e = &n->entries[i];
        /* Only a selection that posts FD_CLOSE needs to hear of a close behind our back: every
           entry in the poll costs the wineserver a look on each event of any socket. */
        if (e->s == INVALID_SOCKET || e->retired || !e->window || !(e->events & FD_CLOSE)) continue;
        /* Closed behind our back while no poll was pending, and the value already given to
           another socket of ours: a poll now would watch that one. */
        if (!entry_socket(e)) {
            closed_elsewhere(n, e);
            continue;
        }
        n->poll.entries[count].socket = (ULONGLONG)e->s;
        n->poll.entries[count].events = AFD_POLL_CLOSE;
        n->poll.entries[count].status = 0;
        n->polled[count].socket = (ULONGLONG)e->s;
        n->polled[count].slot = i;
        n->polled[count].generation = e->generation;
        count++;
    }
    n->polled_count = count;
    if (!count) return;
    n->poll.timeout = INT64_MAX; /* no timeout */
    n->poll.count = count;
    n->poll.exclusive = FALSE;
    n->poll.pad[0] = n->poll.pad[1] = n->poll.pad[2] = 0;
    n->poll_io.Status = STATUS_PENDING;
    n->poll_io.Information = 0;
    size = (ULONG)(offsetof(struct close_poll, entries) + count * sizeof(struct afd_poll_entry));
    status = NtDeviceIoControlFile(n->anchor, n->poll_done, NULL, NULL, &n->poll_io, AFD_POLL,
                                   &n->poll, size, &n->poll, size);
    if (status == STATUS_PENDING)
        n->poll_pending = true;
    else if (!status)
        close_poll_answered(n);
    else
        probe_closed(n);
}

/* The poll's event was signaled. Called by the thread with the lock held. */
static void close_poll_done(struct notifier *n)
{
    NTSTATUS status = io_status(&n->poll_io);

    if (!n->poll_pending || status == STATUS_PENDING) return;
    n->poll_pending = n->poll_cancelling = false;
    n->poll_stale = true;
    if (!status) close_poll_answered(n);
}

/* Take back a pending close poll and see it end (the thread is about to stop). Called by the
   thread with the lock held. */
static void end_close_poll(struct notifier *n)
{
    IO_STATUS_BLOCK cancel_io;
    DWORD start = GetTickCount();

    if (!n->poll_pending) return;
    NtCancelIoFileEx(n->anchor, &n->poll_io, &cancel_io);
    while (io_status(&n->poll_io) == STATUS_PENDING && GetTickCount() - start < CANCEL_WAIT_MS)
        WaitForSingleObject(n->poll_done, 10);
    n->poll_pending = n->poll_cancelling = false;
    n->poll_stale = true;
}

/* Free a retired entry. The request of the entry's socket (cancelled when it was retired)
   reports to this thread, which must see it finish before the status block is reused. Called
   with the lock held. */
static void free_entry(struct notify_entry *e)
{
    DWORD start = GetTickCount();
    while (e->address_pending && io_status(&e->address_io) == STATUS_PENDING &&
           GetTickCount() - start < CANCEL_WAIT_MS)
        WaitForSingleObject(e->event, 10);
    CloseHandle(e->event);
    e->event = NULL;
    e->retired = false;
    e->address_wanted = e->address_pending = e->address_armed = e->routing_armed = false;
    e->recorded = 0;
    e->close_posted = false;
}

static DWORD WINAPI notifier_thread(void *arg)
{
    struct notifier *n = arg;
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    int slot_of[MAXIMUM_WAIT_OBJECTS];

    for (;;) {
        DWORD count = FIRST_SLOT, ret, first;

        AcquireSRWLockExclusive(&notify_lock);
        for (int i = 0; i < NOTIFY_SOCKETS; i++) {
            struct notify_entry *e = &n->entries[i];
            if (e->retired) {
                free_entry(e);
            } else if (e->s != INVALID_SOCKET) {
                if (e->address_wanted) issue_address_request(e);
                handles[count] = e->event;
                slot_of[count++] = i;
            }
        }
        if (!n->live && !ws_started()) {
            HMODULE module = n->module;
            end_close_poll(n);
            CloseHandle(n->wake);
            n->wake = NULL;
            n->running = false;
            ReleaseSRWLockExclusive(&notify_lock);
            FreeLibraryAndExitThread(module, 0);
        }
        refresh_close_poll(n);
        handles[WAKE_SLOT] = n->wake;
        handles[POLL_SLOT] = n->poll_done;
        ReleaseSRWLockExclusive(&notify_lock);

        ret = WaitForMultipleObjects(count, handles, FALSE, INFINITE);
        if (ret == WAIT_FAILED) {
            Sleep(10); /* not expected with handles only this thread closes; do not spin */
            continue;
        }
        if (ret == WAIT_OBJECT_0 + POLL_SLOT) {
            AcquireSRWLockExclusive(&notify_lock);
            close_poll_done(n);
            ReleaseSRWLockExclusive(&notify_lock);
            continue;
        }
        if (ret == WAIT_OBJECT_0 + WAKE_SLOT || ret >= WAIT_OBJECT_0 + count) continue;
        /* Serve the signaled socket and every later one already signaled, so that a busy socket
           early in the list cannot starve the others. */
        first = ret - WAIT_OBJECT_0;
        for (;;) {
            serve_slot(n, slot_of[first]);
            if (++first >= count) break;
            ret = WaitForMultipleObjects(count - first, handles + first, FALSE, 0);
            if (ret >= WAIT_OBJECT_0 + count - first) break;
            first += ret - WAIT_OBJECT_0;
        }
    }
}

/* Start the thread of a block. Called with the lock held. */
static bool start_notifier(struct notifier *n)
{
    HANDLE thread;

    /* The poll's event and socket are made once and kept when the thread stops. */
    if (!n->poll_done && !(n->poll_done = CreateEventW(NULL, FALSE, FALSE, NULL))) return false;
    /* Without a private socket for the close poll, handles closed without closesocket go
       unnoticed. */
    if (!n->anchor) n->anchor = afd_private_socket();
    n->poll_stale = true;
    if (!(n->wake = CreateEventW(NULL, FALSE, FALSE, NULL))) return false;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                            (LPCWSTR)(void *)notifier_thread, &n->module)) {
        CloseHandle(n->wake);
        n->wake = NULL;
        return false;
    }
    if (!(thread = CreateThread(NULL, 0, notifier_thread, n, 0, NULL))) {
        FreeLibrary(n->module);
        CloseHandle(n->wake);
        n->wake = NULL;
        return false;
    }
    CloseHandle(thread);
    n->running = true;
    return true;
}

/* A free entry in a running block, starting or adding a block when none has one. Called with
   the lock held. */
static struct notify_entry *free_slot(struct notifier **owner)
{
    struct notifier *n, *stopped = NULL;

    for (n = notifiers; n; n = n->next) {
        if (!n->running) {
            if (!stopped) stopped = n;
            continue;
        }
        if (n->live == NOTIFY_SOCKETS) continue;
        for (int i = 0; i < NOTIFY_SOCKETS; i++) {
            if (n->entries[i].s == INVALID_SOCKET && !n->entries[i].event) {
                *owner = n;
                return &n->entries[i];
            }
        }
    }
    if (!(n = stopped)) {
        if (!(n = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*n)))) return NULL;
        for (int i = 0; i < NOTIFY_SOCKETS; i++) n->entries[i].s = INVALID_SOCKET;
        if (!start_notifier(n)) {
            if (n->anchor) NtClose(n->anchor);
            if (n->poll_done) CloseHandle(n->poll_done);
            HeapFree(GetProcessHeap(), 0, n);
            return NULL;
        }
        n->next = notifiers;
        notifiers = n;
        ws_note_cleanup_work();
    } else if (!start_notifier(n)) {
        return NULL;
    }
    *owner = n;
    return &n->entries[0];
}

/* The entry of S, or a new one with its event (*added). Called with the lock held. */
static struct notify_entry *claim_entry(SOCKET s, struct notifier **owner, bool *added)
{
    struct notify_entry *e;

    *added = false;
    if ((e = find_entry(s, owner))) {
        /* The entry of an earlier socket with this handle value, closed behind our back before
           the close poll told us: end it as that close, and serve the new socket afresh. */
        if (entry_socket(e)) return e;
        closed_elsewhere(*owner, e);
    }
    if (!(e = free_slot(owner))) return NULL;
    if (!(e->event = CreateEventW(NULL, FALSE, FALSE, NULL))) return NULL;
    *added = true;
    return e;
}

/* Put a claimed entry in service. Called with the lock held. */
static void activate(struct notifier *n, struct notify_entry *e, SOCKET s, bool added)
{
    struct ws_socket *sock = sock_table_known(s);

    if (sock) InterlockedOr(&sock->flags, WS_SOCK_NOTIFY);
    /* A changed selection of the socket the entry serves changes what the close poll needs. */
    n->poll_stale = true;
    SetEvent(n->wake);
    if (!added) return;
    e->s = s;
    e->slot_generation = sock ? sock->generation : 0;
    e->generation++;
    e->close_posted = false;
    n->live++;
}

/* Give back an entry claimed for nothing: its thread never waited on it. */
static void unclaim(struct notify_entry *e, bool added)
{
    if (!added) return;
    CloseHandle(e->event);
    e->event = NULL;
}

/* Kernel and window handles keep their whole value in 32 bits, which is how the request carries
   them. */
static NTSTATUS select_messages(SOCKET s, HWND window, UINT message, int mask)
{
    struct afd_message_select_in in = {
        .handle = (ULONG)(ULONG_PTR)s,
        .window = (ULONG)(ULONG_PTR)window,
        .message = message,
        .mask = mask,
    };
    IO_STATUS_BLOCK io;
    return NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_MESSAGE_SELECT),
                                 &in, sizeof(in), NULL, 0);
}

static NTSTATUS select_event(SOCKET s, HANDLE event, int mask)
{
    struct afd_event_select_in in = {.event = event, .mask = mask};
    IO_STATUS_BLOCK io;
    return NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_EVENT_SELECT, &in,
                                 sizeof(in), NULL, 0);
}

/*
 * Have the device look at the socket now (a poll that does not wait), so that it records what
 * holds. It watches a connection that was reset or aborted no more, so a new selection would
 * otherwise never hear of that end again; Windows posts FD_CLOSE for it to each new selection.
 */
static void refresh_record(SOCKET s)
{
    NTSTATUS status;
    afd_poll_now(s, AFD_POLL_HUP | AFD_POLL_RESET, &status);
}

int afd_notify_register(SOCKET s, HWND window, UINT message, long events, int afd_mask)
{
    struct notifier *n = NULL;
    struct notify_entry *e;
    bool added;
    NTSTATUS status;

    AcquireSRWLockExclusive(&notify_lock);
    if (!(e = claim_entry(s, &n, &added))) {
        ReleaseSRWLockExclusive(&notify_lock);
        return WSAENOBUFS;
    }
    /*
     * A new selection starts a new record, which only the message selection request does: make
     * it first, then move the socket to our event. An occurrence between the two is posted by
     * the device itself, so none is lost.
     */
    status = select_messages(s, window, message, afd_mask);
    if (!status) status = select_event(s, e->event, afd_mask);
    if (status) {
        unclaim(e, added);
        ReleaseSRWLockExclusive(&notify_lock);
        return afd_error(status);
    }
    if (events & FD_CLOSE) refresh_record(s);
    if (e->user_event) CloseHandle(e->user_event);
    e->user_event = NULL;
    e->recorded = 0;
    e->window = window;
    e->message = message;
    e->events = events;
    e->afd_mask = afd_mask;
    activate(n, e, s, added);
    ReleaseSRWLockExclusive(&notify_lock);
    return 0;
}

int afd_notify_register_event(SOCKET s, HANDLE event, long events)
{
    struct notifier *n = NULL;
    struct notify_entry *e;
    HANDLE copy;
    bool added;

    if (!DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return WSAEINVAL;
    AcquireSRWLockExclusive(&notify_lock);
    if (!(e = claim_entry(s, &n, &added))) {
        ReleaseSRWLockExclusive(&notify_lock);
        CloseHandle(copy);
        return WSAENOBUFS;
    }
    if (e->user_event) CloseHandle(e->user_event);
    e->user_event = copy;
    e->recorded = 0;
    e->window = NULL;
    e->message = 0;
    e->events = events;
    activate(n, e, s, added);
    ReleaseSRWLockExclusive(&notify_lock);
    return 0;
}

void afd_notify_closed_behind(SOCKET s, LONG generation)
{
    struct notifier *n;
    struct notify_entry *e;

    if (!notifiers) return;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, &n)) && e->slot_generation == generation) closed_elsewhere(n, e);
    ReleaseSRWLockExclusive(&notify_lock);
}

void afd_notify_unregister(SOCKET s)
{
    struct notifier *n;
    struct notify_entry *e;

    if (!notifiers) return;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, &n))) retire(n, e);
    ReleaseSRWLockExclusive(&notify_lock);
}

bool afd_notify_selection(SOCKET s, HWND *window, UINT *message, long *events)
{
    struct notify_entry *e;
    bool found = false;

    if (!notifiers) return false;
    AcquireSRWLockShared(&notify_lock);
    if ((e = find_entry(s, NULL)) && e->window) {
        *window = e->window;
        *message = e->message;
        *events = e->events;
        found = true;
    }
    ReleaseSRWLockShared(&notify_lock);
    return found;
}

bool afd_notify_arm_address_change(SOCKET s)
{
    struct notifier *n;
    struct notify_entry *e;
    bool armed = false;

    if (!notifiers) return false;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, &n)) && (e->events & FD_ADDRESS_LIST_CHANGE)) {
        e->address_wanted = e->address_armed = true;
        SetEvent(n->wake);
        armed = true;
    }
    ReleaseSRWLockExclusive(&notify_lock);
    return armed;
}

bool afd_notify_arm_routing_change(SOCKET s, const struct sockaddr *dest, int len)
{
    struct notifier *n;
    struct notify_entry *e;
    bool armed = false;

    if (!notifiers) return false;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, &n)) && (e->events & FD_ROUTING_INTERFACE_CHANGE)) {
        memset(&e->route_dest, 0, sizeof(e->route_dest));
        memcpy(&e->route_dest, dest, len);
        e->route_dest_len = len;
        memset(&e->route_source, 0, sizeof(e->route_source));
        e->route_error = afd_route_source(dest, len, &e->route_source);
        e->address_wanted = e->routing_armed = true;
        SetEvent(n->wake);
        armed = true;
    }
    ReleaseSRWLockExclusive(&notify_lock);
    return armed;
}

long afd_notify_take_events(SOCKET s)
{
    struct notify_entry *e;
    long recorded = 0;

    if (!notifiers) return 0;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, NULL))) {
        /* A request that finished but whose wake-up the thread has not served yet counts. */
        long unused = 0;
        int errors[FD_MAX_EVENTS];
        if (!e->window) address_done(e, &unused, errors, false);
        recorded = e->recorded;
        e->recorded = 0;
    }
    ReleaseSRWLockExclusive(&notify_lock);
    return recorded;
}

void afd_notify_datagram_connected(SOCKET s)
{
    struct notify_entry *e;

    if (!notifiers) return;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, NULL)) && e->window && (e->events & FD_WRITE) && ws_started())
        ws_post_message(e->window, e->message, (WPARAM)s, WSAMAKESELECTREPLY(FD_WRITE, 0));
    ReleaseSRWLockExclusive(&notify_lock);
}

bool afd_notify_reselect(SOCKET s)
{
    struct notify_entry *e;
    bool done = false;

    if (!notifiers) return false;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, NULL)) && e->window) done = !select_event(s, e->event, e->afd_mask);
    ReleaseSRWLockExclusive(&notify_lock);
    return done;
}

void afd_notify_read_refused(SOCKET s)
{
    struct notify_entry *e;
    u_long waiting = 0;
    IO_STATUS_BLOCK io;

    if (!notifiers) return;
    AcquireSRWLockExclusive(&notify_lock);
    if ((e = find_entry(s, NULL)) && e->window && (e->events & FD_READ) && ws_started() &&
        !NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_FIONREAD), NULL, 0,
                               &waiting, sizeof(waiting)) &&
        waiting)
        ws_post_message(e->window, e->message, (WPARAM)s, WSAMAKESELECTREPLY(FD_READ, 0));
    ReleaseSRWLockExclusive(&notify_lock);
}

void afd_notify_cleanup(void)
{
    if (!notifiers) return;
    AcquireSRWLockShared(&notify_lock);
    for (struct notifier *n = notifiers; n; n = n->next) {
        if (n->running) SetEvent(n->wake);
    }
    ReleaseSRWLockShared(&notify_lock);
}
