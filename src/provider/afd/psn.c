/*
 * Socket state notifications (ProcessSocketNotifications) over the socket device's poll request.
 *
 * Each registered socket has one registration: the program's completion port (our duplicate of
 * the handle), its key, the events it asked for and how they trigger. A thread of ours keeps one
 * poll request pending for every registered socket, issued on a private socket of the device so
 * that no program socket carries it. When the request answers, the thread posts one completion
 * packet per registration that has something to report (the events in the byte count, the key,
 * no OVERLAPPED), then issues the next request. A registration change wakes the thread, which
 * cancels the pending request and issues a new one.
 *
 * - A registration whose condition holds is reported, then left out of the poll until its
 *   packet is taken off the port (seen when ProcessSocketNotifications dequeues a packet with
 *   its key, when the port is found empty, or at the latest after PSN_REARM_MS), so that a held
 *   condition gives one packet at a time rather than a flood; if it still holds then, it is
 *   reported again.
 * - Edge-triggered registrations are delivered the same way. The device's poll says what holds,
 *   not what changed: a condition that became false and true again between two looks (a
 *   program that drains a socket and receives more at once) shows no edge, and waiting for one
 *   would leave the program waiting forever. Reporting a held condition again costs a program
 *   written for edges one extra wake-up, never a lost one.
 * - Oneshot registrations are disabled (not removed) by the notification they deliver.
 * - Errors (a failed connection, a reset) are reported whatever the filter.
 * - closesocket of a registered socket removes its registration (SOCK_NOTIFY_EVENT_REMOVE is
 *   posted) before the handle is closed. The thread issues each request under the lock that
 *   closesocket takes, so a request never names a handle closed through us (the handle value
 *   could already name another socket). A handle closed otherwise is seen by the device's close
 *   event while a request is pending, or makes the next request fail; the thread then probes
 *   each socket.
 */
#include <stdint.h>
#include <stdlib.h>
#include "openws2/afd_provider.h"
#include "openws2/wah.h"

NTSTATUS NTAPI NtQueryIoCompletion(HANDLE port, int info_class, void *info, ULONG len,
                                   ULONG *ret_len);

#define POLL_TIMED_OUT         NT_STATUS(0x00000102)
#define STATUS_INVALID_HANDLE_ NT_STATUS(0xC0000008)
#define POLL_FOREVER           INT64_MAX
/* How often registrations waiting for their packet to be taken are looked at again, and how
   long one waits at most. */
#define PSN_TICK_MS  20
#define PSN_REARM_MS 100

#define PSN_IN_BITS  (AFD_POLL_READ | AFD_POLL_ACCEPT | AFD_POLL_HUP)
#define PSN_OUT_BITS (AFD_POLL_WRITE | AFD_POLL_CONNECT)
#define PSN_HUP_BITS (AFD_POLL_HUP | AFD_POLL_RESET)
#define PSN_ERR_BITS (AFD_POLL_CONNECT_ERR | AFD_POLL_RESET)

struct psn_reg {
    struct psn_reg *next;
    SOCKET s;
    HANDLE port;      /* our duplicate of the program's port */
    HANDLE user_port; /* the program's handle value, to recognise its dequeues */
    void *key;
    UINT16 filter;
    UINT8 trigger;
    bool enabled;
    bool in_flight;        /* a packet posted and not known to be taken */
    DWORD in_flight_since; /* GetTickCount() when it was posted */
};

static SRWLOCK psn_lock = SRWLOCK_INIT;
static struct psn_reg *psn_regs;
/* Removed registrations, freed by the thread once no request it issued can name them. */
static struct psn_reg *psn_dead;
static HANDLE psn_wake;   /* auto-reset: the registrations changed */
static HANDLE psn_anchor; /* a private socket the poll requests are issued on */
static bool psn_running;

/* The device bits a registration watches. */
static int psn_afd_mask(UINT16 filter)
{
    int mask = PSN_ERR_BITS;
    if (filter & SOCK_NOTIFY_REGISTER_EVENT_IN) mask |= PSN_IN_BITS;
    if (filter & SOCK_NOTIFY_REGISTER_EVENT_OUT) mask |= PSN_OUT_BITS;
    if (filter & SOCK_NOTIFY_REGISTER_EVENT_HANGUP) mask |= PSN_HUP_BITS;
    return mask;
}

static UINT32 psn_events(int bits, UINT16 filter)
{
    UINT32 events = 0;
    if ((filter & SOCK_NOTIFY_REGISTER_EVENT_IN) && (bits & PSN_IN_BITS))
        events |= SOCK_NOTIFY_EVENT_IN;
    if ((filter & SOCK_NOTIFY_REGISTER_EVENT_OUT) && (bits & PSN_OUT_BITS))
        events |= SOCK_NOTIFY_EVENT_OUT;
    if ((filter & SOCK_NOTIFY_REGISTER_EVENT_HANGUP) && (bits & PSN_HUP_BITS))
        events |= SOCK_NOTIFY_EVENT_HANGUP;
    if (bits & PSN_ERR_BITS) events |= SOCK_NOTIFY_EVENT_ERR;
    return events;
}

static struct psn_reg *psn_find_socket(SOCKET s)
{
    for (struct psn_reg *reg = psn_regs; reg; reg = reg->next)
        if (reg->s == s) return reg;
    return NULL;
}

static void psn_post(struct psn_reg *reg, UINT32 events)
{
    PostQueuedCompletionStatus(reg->port, events, (ULONG_PTR)reg->key, NULL);
}

/* Unlink a registration, posting SOCK_NOTIFY_EVENT_REMOVE as its last notification. */
static void psn_remove(struct psn_reg *reg)
{
    struct psn_reg **link = &psn_regs;
    while (*link != reg) link = &(*link)->next;
    *link = reg->next;
    psn_post(reg, SOCK_NOTIFY_EVENT_REMOVE);
    CloseHandle(reg->port);
    reg->port = NULL;
    reg->next = psn_dead;
    psn_dead = reg;
}

/* The thread, under the lock, with no request outstanding. */
static void psn_free_dead(void)
{
    while (psn_dead) {
        struct psn_reg *reg = psn_dead;
        psn_dead = reg->next;
        free(reg);
    }
}

/* ---- poll requests ---- */

struct psn_poll {
    struct afd_poll_in *in;
    struct psn_reg **regs; /* the registration of each entry, as issued */
    unsigned int capacity;
};

static size_t psn_poll_size(unsigned int n)
{
    return offsetof(struct afd_poll_in, entries) + n * sizeof(struct afd_poll_entry);
}

static bool psn_poll_reserve(struct psn_poll *p, unsigned int n)
{
    struct afd_poll_in *in;
    struct psn_reg **regs;

    if (n <= p->capacity) return true;
    n = n < 64 ? 64 : n * 2;
    if (!(in = realloc(p->in, psn_poll_size(n)))) return false;
    p->in = in;
    if (!(regs = realloc(p->regs, n * sizeof(*regs)))) return false;
    p->regs = regs;
    p->capacity = n;
    return true;
}

/* Issue a poll of the first N entries on our socket; returns the status (STATUS_PENDING with
   the request in the device) and fills *io when it finished at once. */
static NTSTATUS psn_poll_issue(struct afd_poll_in *in, unsigned int n, LONGLONG timeout,
                               HANDLE event, IO_STATUS_BLOCK *io)
{
    size_t size = psn_poll_size(n);
    in->timeout = timeout;
    in->count = n;
    in->exclusive = FALSE;
    in->pad[0] = in->pad[1] = in->pad[2] = 0;
    io->Status = STATUS_PENDING;
    io->Information = 0;
    return NtDeviceIoControlFile(psn_anchor, event, NULL, NULL, io, AFD_POLL, in, (ULONG)size, in,
                                 (ULONG)size);
}

/* ---- the thread ---- */

/* Registrations whose packet may have been taken: any on a port found empty, and any waiting
   longer than PSN_REARM_MS (the port may never be empty while other I/O uses it). */
static void psn_rearm_idle(void)
{
    DWORD now = GetTickCount();
    for (struct psn_reg *reg = psn_regs; reg; reg = reg->next) {
        LONG depth = 1;
        if (!reg->in_flight) continue;
        if (now - reg->in_flight_since >= PSN_REARM_MS ||
            (!NtQueryIoCompletion(reg->port, 0, &depth, sizeof(depth), NULL) && !depth))
            reg->in_flight = false;
    }
}

/* Fill the poll with every registration; returns the entry count and whether a tick is due. */
static unsigned int psn_fill(struct psn_poll *p, bool *tick)
{
    unsigned int n = 0;

    *tick = false;
    for (struct psn_reg *reg = psn_regs; reg; reg = reg->next) {
        int mask = AFD_POLL_CLOSE;
        if (!psn_poll_reserve(p, n + 1)) break;
        if (reg->enabled && !reg->in_flight) mask |= psn_afd_mask(reg->filter);
        if (reg->in_flight) *tick = true;
        p->in->entries[n].socket = (ULONGLONG)reg->s;
        p->in->entries[n].events = mask;
        p->in->entries[n].status = 0;
        p->regs[n++] = reg;
    }
    return n;
}

/* Report what the answered entries say. Under the lock. */
static void psn_report(struct psn_poll *p, unsigned int issued, unsigned int answered)
{
    unsigned int i = 0;

    /* The device writes the signalled entries back in the order they were issued. */
    for (unsigned int k = 0; k < answered; k++) {
        const struct afd_poll_entry *e = &p->in->entries[k];
        struct psn_reg *reg;
        int bits = e->events;
        UINT32 events;

        while (i < issued && (ULONGLONG)p->regs[i]->s != e->socket) i++;
        if (i == issued) break;
        reg = p->regs[i++];
        if (!reg->port) continue; /* removed meanwhile */
        if (bits & AFD_POLL_CLOSE) {
            psn_remove(reg);
            continue;
        }
        if (!reg->enabled || reg->in_flight) continue;
        if (!(events = psn_events(bits & psn_afd_mask(reg->filter), reg->filter))) continue;
        psn_post(reg, events);
        reg->in_flight = true;
        reg->in_flight_since = GetTickCount();
        if (reg->trigger & SOCK_NOTIFY_TRIGGER_ONESHOT) reg->enabled = false;
    }
}

/* A request failed on a handle that is no longer a socket: find the closed ones (asking each
   socket what it is, which any open socket of the device answers). Under the lock. */
static void psn_probe_closed(void)
{
    struct psn_reg *reg = psn_regs, *next;

    for (; reg; reg = next) {
        struct afd_info_out info;
        IO_STATUS_BLOCK io;
        next = reg->next;
        if (NtDeviceIoControlFile((HANDLE)reg->s, NULL, NULL, NULL, &io, AFD_WINE(AFD_W_GET_INFO),
                                  NULL, 0, &info, sizeof(info)))
            psn_remove(reg);
    }
}

static DWORD WINAPI psn_main(void *arg)
{
    struct psn_poll p = {0};
    HANDLE done = CreateEventW(NULL, FALSE, FALSE, NULL);

    (void)arg;
    for (;;) {
        IO_STATUS_BLOCK io, cancel_io;
        unsigned int n;
        bool tick;
        NTSTATUS status;

        /* Issued under the lock: see closesocket (afd_psn_closing). */
        AcquireSRWLockExclusive(&psn_lock);
        psn_free_dead();
        n = psn_fill(&p, &tick);
        status =
            n ? psn_poll_issue(p.in, n, tick ? -PSN_TICK_MS * 10000LL : POLL_FOREVER, done, &io)
              : 0;
        ReleaseSRWLockExclusive(&psn_lock);
        if (!n) {
            WaitForSingleObject(psn_wake, INFINITE);
            continue;
        }
        if (status == STATUS_PENDING) {
            HANDLE waits[2] = {done, psn_wake};
            if (WaitForMultipleObjects(2, waits, FALSE, INFINITE) != WAIT_OBJECT_0) {
                /* The registrations changed: take the request back (it may have answered). */
                NtCancelIoFileEx(psn_anchor, &io, &cancel_io);
                WaitForSingleObject(done, INFINITE);
            }
            status = io.Status;
        }
        AcquireSRWLockExclusive(&psn_lock);
        if (!status) {
            size_t written = io.Information > offsetof(struct afd_poll_in, entries)
                                 ? (io.Information - offsetof(struct afd_poll_in, entries)) /
                                       sizeof(struct afd_poll_entry)
                                 : 0;
            psn_report(&p, n, p.in->count < written ? p.in->count : (unsigned int)written);
        } else if (status == STATUS_INVALID_HANDLE_) {
            psn_probe_closed();
        }
        if (tick) psn_rearm_idle();
        ReleaseSRWLockExclusive(&psn_lock);
    }
    return 0;
}

/* Under the lock: the thread, its wake-up event and our socket, made once. */
static int psn_start(void)
{
    HMODULE self;
    HANDLE thread;

    if (psn_running) return 0;
    if (!psn_wake && !(psn_wake = CreateEventW(NULL, FALSE, FALSE, NULL))) return WSAENOBUFS;
    if (!psn_anchor && !(psn_anchor = afd_private_socket())) return WSAENOBUFS;
    /* The thread runs for the life of the process: the DLL stays loaded under it. */
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       (LPCWSTR)(void *)psn_start, &self);
    if (!(thread = CreateThread(NULL, 0, psn_main, NULL, 0, NULL))) return WSAENOBUFS;
    CloseHandle(thread);
    psn_running = true;
    return 0;
}

/* ---- registrations ---- */

static bool psn_trigger_valid(UINT8 trigger)
{
    UINT8 level = trigger & (SOCK_NOTIFY_TRIGGER_LEVEL | SOCK_NOTIFY_TRIGGER_EDGE);
    UINT8 life = trigger & (SOCK_NOTIFY_TRIGGER_ONESHOT | SOCK_NOTIFY_TRIGGER_PERSISTENT);
    return !(trigger & ~SOCK_NOTIFY_TRIGGER_ALL) &&
           (level == SOCK_NOTIFY_TRIGGER_LEVEL || level == SOCK_NOTIFY_TRIGGER_EDGE) &&
           (life == SOCK_NOTIFY_TRIGGER_ONESHOT || life == SOCK_NOTIFY_TRIGGER_PERSISTENT);
}

static DWORD psn_enable(HANDLE port, const SOCK_NOTIFY_REGISTRATION *info)
{
    struct psn_reg *reg, *created = NULL;
    HANDLE dup = NULL;
    int err;

    if ((info->eventFilter & ~SOCK_NOTIFY_REGISTER_EVENTS_ALL) ||
        !psn_trigger_valid(info->triggerFlags))
        return ERROR_INVALID_PARAMETER;
    AcquireSRWLockExclusive(&psn_lock);
    if ((err = psn_start())) {
        ReleaseSRWLockExclusive(&psn_lock);
        return err;
    }
    reg = psn_find_socket(info->socket);
    if (!reg || reg->user_port != port) {
        if (!DuplicateHandle(GetCurrentProcess(), port, GetCurrentProcess(), &dup, 0, FALSE,
                             DUPLICATE_SAME_ACCESS)) {
            ReleaseSRWLockExclusive(&psn_lock);
            return ERROR_INVALID_HANDLE;
        }
    }
    if (!reg) {
        if (!(created = calloc(1, sizeof(*created)))) {
            ReleaseSRWLockExclusive(&psn_lock);
            CloseHandle(dup);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        reg = created;
        reg->s = info->socket;
        reg->next = psn_regs;
        psn_regs = reg;
    }
    if (dup) {
        /* A new registration, or one moved to another port: it takes this port and key. */
        if (reg->port) CloseHandle(reg->port);
        reg->port = dup;
        reg->user_port = port;
        reg->key = info->completionKey;
    }
    reg->filter = info->eventFilter;
    reg->trigger = info->triggerFlags;
    reg->enabled = true;
    reg->in_flight = false;
    ReleaseSRWLockExclusive(&psn_lock);
    SetEvent(psn_wake);
    return NO_ERROR;
}

static DWORD psn_change(const SOCK_NOTIFY_REGISTRATION *info)
{
    struct psn_reg *reg;
    DWORD ret = NO_ERROR;

    AcquireSRWLockExclusive(&psn_lock);
    if (!(reg = psn_find_socket(info->socket)))
        ret = ERROR_NOT_FOUND;
    else if (info->operation == SOCK_NOTIFY_OP_DISABLE)
        reg->enabled = false;
    else
        psn_remove(reg);
    ReleaseSRWLockExclusive(&psn_lock);
    if (!ret && psn_wake) SetEvent(psn_wake);
    return ret;
}

DWORD afd_psn_register(HANDLE port, SOCK_NOTIFY_REGISTRATION *info)
{
    switch (info->operation) {
    case SOCK_NOTIFY_OP_NONE: return NO_ERROR;
    case SOCK_NOTIFY_OP_ENABLE:
        if (!sock_table_find(info->socket)) return WSAENOTSOCK;
        return psn_enable(port, info);
    case SOCK_NOTIFY_OP_DISABLE:
    case SOCK_NOTIFY_OP_REMOVE:
        if (!sock_table_find(info->socket)) return WSAENOTSOCK;
        return psn_change(info);
    default: return ERROR_INVALID_PARAMETER;
    }
}

/* The program took ENTRIES off PORT: level registrations with those keys may report again. */
void afd_psn_dequeued(HANDLE port, const OVERLAPPED_ENTRY *entries, ULONG count)
{
    bool rearmed = false;

    if (!psn_running) return;
    AcquireSRWLockExclusive(&psn_lock);
    for (ULONG i = 0; i < count; i++) {
        if (entries[i].lpOverlapped) continue;
        for (struct psn_reg *reg = psn_regs; reg; reg = reg->next) {
            if (reg->in_flight && reg->user_port == port &&
                (ULONG_PTR)reg->key == entries[i].lpCompletionKey) {
                reg->in_flight = false;
                rearmed = true;
            }
        }
    }
    ReleaseSRWLockExclusive(&psn_lock);
    if (rearmed) SetEvent(psn_wake);
}

/* closesocket: the registration of S ends before its handle is closed. */
void afd_psn_closing(SOCKET s)
{
    struct psn_reg *reg;

    if (!psn_running) return;
    AcquireSRWLockExclusive(&psn_lock);
    if ((reg = psn_find_socket(s))) psn_remove(reg);
    ReleaseSRWLockExclusive(&psn_lock);
}

/* Whether PORT is a completion port handle. */
bool afd_psn_port_valid(HANDLE port)
{
    LONG depth;
    return !NtQueryIoCompletion(port, 0, &depth, sizeof(depth), NULL);
}
