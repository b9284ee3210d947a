/*
 * Readiness over the socket device: select and WSAPoll each turn their arguments into one
 * multi-socket poll request, issued on one of the sockets and waited for alertably on the thread's
 * sync event (afd_poll_wait), then read the answer back in their own terms.
 */
#include <stdint.h>
#include "openws2/afd_provider.h"

#define POLL_TIMED_OUT NT_STATUS(0x00000102) /* STATUS_TIMEOUT: a success status */
#define POLL_FOREVER   INT64_MAX

/*
 * Entries that fit on the stack: every socket of three fd_sets of the SDK's default FD_SETSIZE
 * (64), about 3 KB. Larger calls (a program that defines a bigger FD_SETSIZE, a long WSAPOLLFD
 * array) get a heap block for that call only. Such a call already does per-socket work in the
 * device proportional to its size, so one allocation is small beside it, and it keeps the
 * per-thread block free of a buffer that would otherwise stay at its largest size for the
 * thread's lifetime.
 */
#define POLL_STACK_ENTRIES (3 * 64)

struct poll_buffer {
    struct afd_poll_in *poll;
    size_t size;
    struct {
        struct afd_poll_in head;
        struct afd_poll_entry entries[POLL_STACK_ENTRIES];
    } stack;
};

/* Room for n entries; false if n needs a heap block that cannot be had, or more than one
   request can carry. */
static bool poll_buffer_init(struct poll_buffer *b, size_t n)
{
    b->size = offsetof(struct afd_poll_in, entries) + n * sizeof(struct afd_poll_entry);
    b->poll = &b->stack.head;
    if (b->size > ULONG_MAX) return false;
    if (n > POLL_STACK_ENTRIES && !(b->poll = HeapAlloc(GetProcessHeap(), 0, b->size)))
        return false;
    return true;
}

static void poll_buffer_free(struct poll_buffer *b)
{
    if (b->poll != &b->stack.head) HeapFree(GetProcessHeap(), 0, b->poll);
    b->poll = NULL;
}

/*
 * The one request path of both callers. Entries [0, n) are filled in; the request goes to the
 * socket `on` (one of them) with `timeout` in the device's units (negative: relative, 0: answer
 * at once, POLL_FOREVER). A pending request is a blocking call: another thread's closesocket of
 * one of the sockets answers it with AFD_POLL_CLOSE for that socket's entries, and the final
 * WSACleanup cancels it (WSAEINTR from afd_error).
 *
 * Returns the final status, 0 for both an answer and a timeout; *answered gets the number of
 * signalled entries the device wrote back over the front of the array, in the order they were
 * asked for (0 after a timeout).
 */
static NTSTATUS afd_poll_wait(SOCKET on, struct afd_poll_in *poll, size_t size, unsigned int n,
                              LONGLONG timeout, unsigned int *answered)
{
    ULONG_PTR info = 0;
    NTSTATUS status;

    poll->timeout = timeout;
    poll->count = n;
    poll->exclusive = FALSE;
    poll->pad[0] = poll->pad[1] = poll->pad[2] = 0;
    *answered = 0;
    /* In and out share the buffer. */
    status = afd_sync_request(on, AFD_POLL, poll, (ULONG)size, poll, (ULONG)size, &info, true);
    if (status == POLL_TIMED_OUT) return 0;
    if (status) return status;

    size_t written = info > offsetof(struct afd_poll_in, entries)
                         ? (info - offsetof(struct afd_poll_in, entries)) / sizeof(poll->entries[0])
                         : 0;
    unsigned int count = poll->count;
    if (count > n) count = n;
    if (count > written) count = (unsigned int)written;
    *answered = count;
    /* A reset connection fails its later receives (io.c): the context remembers it. */
    for (unsigned int i = 0; i < count; i++) {
        struct ws_socket *sock;
        if ((poll->entries[i].events & AFD_POLL_RESET) &&
            (sock = sock_table_find((SOCKET)poll->entries[i].socket)) && sock->type == SOCK_STREAM)
            InterlockedOr(&sock->flags, WS_SOCK_RESET);
    }
    return 0;
}

/*
 * What each set asks the device for. The three masks are disjoint, and the device answers each
 * entry with (its mask & what happened), so the bits of a signalled entry say which set it came
 * from. Readable covers a pending connection, data, a graceful close and a reset; an OOB byte is
 * exceptional (with SO_OOBINLINE the device reports it as READ instead); a failed connection
 * attempt is exceptional and not writable. AFD_POLL_CONNECT is left out of the write mask on
 * purpose: Wine's device reports it for every connected socket whatever its buffer state, so a
 * socket with a full send buffer would look writable; the completed connect arrives as WRITE.
 */
#define SELECT_READ   (AFD_POLL_READ | AFD_POLL_ACCEPT | AFD_POLL_HUP | AFD_POLL_RESET)
#define SELECT_WRITE  AFD_POLL_WRITE
#define SELECT_EXCEPT (AFD_POLL_OOB | AFD_POLL_CONNECT_ERR)

static u_int set_count(const fd_set *set)
{
    return set ? set->fd_count : 0;
}

static bool set_contains(const fd_set *set, SOCKET s)
{
    for (u_int i = 0; i < set_count(set); i++) {
        if (set->fd_array[i] == s) return true;
    }
    return false;
}

/* Appends s unless it is there already (a socket listed twice, or two arguments naming the same
   fd_set, is reported once). Returns 1 if added. The scan is over the sockets found ready so
   far, which is the whole cost of reporting duplicates as Windows does. */
static int set_add(fd_set *set, u_int capacity, SOCKET s)
{
    if (set_contains(set, s) || set->fd_count >= capacity) return 0;
    set->fd_array[set->fd_count++] = s;
    return 1;
}

static unsigned int add_entries(struct afd_poll_in *poll, const fd_set *set, int mask)
{
    unsigned int n = poll->count;
    for (u_int i = 0; i < set_count(set); i++) {
        poll->entries[n].socket = (ULONGLONG)set->fd_array[i];
        poll->entries[n].events = mask;
        poll->entries[n].status = 0;
        n++;
    }
    return n;
}

/* 100 ns units for the device: negative is relative, INT64_MAX waits forever. The API edge has
   refused negative intervals; a tv_usec of a second or more simply adds up, as it does on
   Windows. */
static LONGLONG select_timeout(const struct timeval *timeout)
{
    if (!timeout) return POLL_FOREVER;
    return -((LONGLONG)timeout->tv_sec * 10000000 + (LONGLONG)timeout->tv_usec * 10);
}

/*
 * Reads the device's answer before any set is touched (the caller's read set is still the input)
 * and returns how many entries are left to report, or -1 for WSAENOTSOCK.
 *
 * A socket closed by another thread while we waited comes back as AFD_POLL_CLOSE on each of its
 * entries: Windows reports it readable when it was in the read set (a following recv then
 * fails), and otherwise fails the call with WSAENOTSOCK.
 *
 * A connection attempt refused while the poll was pending makes Wine's device answer the read
 * entry with READ too (the host socket polls readable once the attempt has failed), carrying the
 * failure in its status. Windows never reports such a socket readable (only in exceptfds), so
 * that report is dropped. It is told from an established stream that failed, which is readable
 * on Windows, by its bits: the device adds HUP or RESET for those.
 */
static int select_filter(struct afd_poll_in *out, unsigned int count, const fd_set *readfds)
{
    int left = 0;

    for (unsigned int i = 0; i < count; i++) {
        struct afd_poll_entry *e = &out->entries[i];
        struct ws_socket *sock;

        if (e->events & AFD_POLL_CLOSE) {
            if (!set_contains(readfds, (SOCKET)e->socket)) return -1;
            e->events = AFD_POLL_READ;
        } else if ((e->events & SELECT_READ) == AFD_POLL_READ && e->status &&
                   (sock = sock_table_find((SOCKET)e->socket)) && sock->type == SOCK_STREAM) {
            e->events &= ~SELECT_READ;
        }
        if (e->events & (SELECT_READ | SELECT_WRITE | SELECT_EXCEPT)) left++;
    }
    return left;
}

static void select_clear(fd_set *readfds, fd_set *writefds, fd_set *exceptfds)
{
    if (readfds) readfds->fd_count = 0;
    if (writefds) writefds->fd_count = 0;
    if (exceptfds) exceptfds->fd_count = 0;
}

/* Rewrites the sets from the filtered answer; returns the number of sockets reported. */
static int select_report(const struct afd_poll_in *out, unsigned int count, fd_set *readfds,
                         fd_set *writefds, fd_set *exceptfds)
{
    u_int read_cap = set_count(readfds), write_cap = set_count(writefds);
    u_int except_cap = set_count(exceptfds);
    int total = 0;

    /* The arguments may name the same fd_set: empty all of them before adding to any. */
    select_clear(readfds, writefds, exceptfds);
    for (unsigned int i = 0; i < count; i++) {
        const struct afd_poll_entry *e = &out->entries[i];
        SOCKET s = (SOCKET)e->socket;
        if ((e->events & SELECT_READ) && readfds) total += set_add(readfds, read_cap, s);
        if ((e->events & SELECT_WRITE) && writefds) total += set_add(writefds, write_cap, s);
        if ((e->events & SELECT_EXCEPT) && exceptfds) total += set_add(exceptfds, except_cap, s);
    }
    return total;
}

static void select_fill(struct afd_poll_in *poll, const fd_set *readfds, const fd_set *writefds,
                        const fd_set *exceptfds)
{
    poll->count = 0;
    poll->count = add_entries(poll, readfds, SELECT_READ);
    poll->count = add_entries(poll, writefds, SELECT_WRITE);
    poll->count = add_entries(poll, exceptfds, SELECT_EXCEPT);
}

/* The API edge has checked the pointers, that the sets are not all empty, the timeout and that
   the first socket is ours; the device checks every other handle (WSAENOTSOCK). */
int WSPAPI afd_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                      struct timeval *timeout, LPINT err)
{
    struct poll_buffer buffer;
    size_t n = (size_t)set_count(readfds) + set_count(writefds) + set_count(exceptfds);
    const LONGLONG full_wait = select_timeout(timeout);
    LONGLONG wait = full_wait;
    ULONGLONG start = 0;
    int ret;

    (void)nfds;
    if (!n) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (!poll_buffer_init(&buffer, n)) {
        /* The reference page files a failure to get resources under WSAEFAULT. */
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    struct afd_poll_in *poll = buffer.poll;
    /* Only a bounded wait that has to be resumed (see below) needs to know when it started. */
    if (full_wait != 0 && full_wait != POLL_FOREVER) start = GetTickCount64();

    for (;;) {
        unsigned int count;
        NTSTATUS status;
        int left;

        select_fill(poll, readfds, writefds, exceptfds);
        status = afd_poll_wait((SOCKET)poll->entries[0].socket, poll, buffer.size, (unsigned int)n,
                               wait, &count);
        if (status) {
            *err = afd_error(status);
            ret = SOCKET_ERROR;
            break;
        }
        if ((left = select_filter(poll, count, readfds)) < 0) {
            select_clear(readfds, writefds, exceptfds);
            *err = WSAENOTSOCK;
            ret = SOCKET_ERROR;
            break;
        }
        if (!left && count && full_wait != 0) {
            /* Only dropped reports woke us: wait again for the rest of the interval. Each such
               socket is no longer connecting, so the device will not report it again. */
            if (full_wait != POLL_FOREVER) {
                LONGLONG elapsed = (LONGLONG)(GetTickCount64() - start) * 10000;
                if (full_wait + elapsed >= 0) {
                    select_clear(readfds, writefds, exceptfds);
                    ret = 0;
                    break;
                }
                wait = full_wait + elapsed;
            }
            continue;
        }
        /* After a timeout count is 0 and every set comes back empty. */
        ret = select_report(poll, count, readfds, writefds, exceptfds);
        break;
    }

    poll_buffer_free(&buffer);
    return ret;
}

/* ---- WSAPoll ---- */

/* What a WSAPOLLFD may ask for; anything else fails the call (the reference page: POLLPRI among
   them; Windows also refuses POLLWRBAND and the result-only bits). */
#define POLL_REQUESTS (POLLRDNORM | POLLRDBAND | POLLWRNORM)

/* Every entry asks for the error conditions, which the reference page says are always
   returned, whatever the events. */
static int poll_mask(SHORT events)
{
    int mask = AFD_POLL_HUP | AFD_POLL_RESET | AFD_POLL_CONNECT_ERR;
    if (events & POLLRDNORM) mask |= AFD_POLL_READ | AFD_POLL_ACCEPT;
    if (events & POLLRDBAND) mask |= AFD_POLL_OOB;
    if (events & POLLWRNORM) mask |= AFD_POLL_WRITE;
    return mask;
}

/*
 * One signalled entry in WSAPoll's terms. A socket closed while the call waited is POLLNVAL
 * alone. A failed connection attempt is POLLHUP | POLLERR, and writable when that was asked
 * (what Windows reports), never readable: Wine's device adds READ for it because the host socket
 * polls readable once the attempt has failed. A reset connection is hung up with an error.
 */
static SHORT poll_revents(int flags, SHORT events)
{
    SHORT revents = 0;

    if (flags & AFD_POLL_CLOSE) return POLLNVAL;
    if (flags & AFD_POLL_CONNECT_ERR) {
        revents |= POLLHUP | POLLERR | POLLWRNORM;
        flags &= ~AFD_POLL_READ;
    }
    if (flags & (AFD_POLL_READ | AFD_POLL_ACCEPT)) revents |= POLLRDNORM;
    if (flags & AFD_POLL_OOB) revents |= POLLRDBAND;
    if (flags & AFD_POLL_WRITE) revents |= POLLWRNORM;
    if (flags & AFD_POLL_HUP) revents |= POLLHUP;
    if (flags & AFD_POLL_RESET) revents |= POLLHUP | POLLERR;
    return revents & (events | POLLHUP | POLLERR);
}

/* A negative fd (INVALID_SOCKET among them) or a handle that is not a socket. */
static bool poll_invalid(SOCKET s)
{
    return (INT_PTR)s < 0 || !sock_table_find(s);
}

/*
 * Marks each entry: revents POLLNVAL for an invalid one, 0 for a socket. Returns the number of
 * sockets and sets *on to the first. The marks tell the later passes which entries the request
 * carries.
 */
static ULONG poll_mark(WSAPOLLFD *fds, ULONG count, SOCKET *on)
{
    ULONG sockets = 0;
    for (ULONG i = 0; i < count; i++) {
        if (poll_invalid(fds[i].fd)) {
            fds[i].revents = POLLNVAL;
            continue;
        }
        fds[i].revents = 0;
        if (!sockets++) *on = fds[i].fd;
    }
    return sockets;
}

/* Events outside POLL_REQUESTS on any entry whose fd is not negative (a non-socket handle too,
   as on Windows; a negative fd's events are never looked at). */
static bool poll_events_valid(const WSAPOLLFD *fds, ULONG count)
{
    for (ULONG i = 0; i < count; i++) {
        if ((INT_PTR)fds[i].fd >= 0 && (fds[i].events & ~POLL_REQUESTS)) return false;
    }
    return true;
}

/*
 * Walks the marked entries in order beside the device's answer (the signalled entries, in the
 * order they were asked for) and sets revents. An answer belongs to the next marked entry of its
 * socket whose mask covers its bits, so a socket listed twice with different events is told
 * apart. Returns the number of entries with revents set; an entry that was invalid from the
 * start keeps its POLLNVAL but is not counted, as on Windows.
 */
static int poll_report(WSAPOLLFD *fds, ULONG count, const struct afd_poll_in *out,
                       unsigned int answered)
{
    unsigned int k = 0;
    int ready = 0;

    for (ULONG i = 0; i < count; i++) {
        if (fds[i].revents) continue; /* POLLNVAL: not in the request */
        if (k < answered) {
            const struct afd_poll_entry *e = &out->entries[k];
            int mask = poll_mask(fds[i].events);
            if (e->socket == (ULONGLONG)fds[i].fd &&
                (!(e->events & ~mask) || (e->events & AFD_POLL_CLOSE))) {
                fds[i].revents = poll_revents(e->events, fds[i].events);
                k++;
            }
        }
        if (fds[i].revents) ready++;
    }
    return ready;
}

int afd_poll(WSAPOLLFD *fds, ULONG count, int timeout, LPINT err)
{
    /* Past this many passes a handle keeps vanishing between our check and the device's. */
    enum { ATTEMPTS = 4 };
    const LONGLONG wait = timeout < 0 ? POLL_FOREVER : (LONGLONG)timeout * -10000;
    NTSTATUS status = 0;

    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        struct poll_buffer buffer;
        SOCKET on = INVALID_SOCKET;
        unsigned int answered, n = 0;
        ULONG sockets = poll_mark(fds, count, &on);

        if (!sockets) {
            *err = WSAENOTSOCK;
            return SOCKET_ERROR;
        }
        if (!poll_events_valid(fds, count)) {
            for (ULONG i = 0; i < count; i++) fds[i].revents = 0;
            *err = WSAEINVAL;
            return SOCKET_ERROR;
        }
        if (!poll_buffer_init(&buffer, sockets)) {
            *err = WSAENOBUFS;
            return SOCKET_ERROR;
        }
        for (ULONG i = 0; i < count && n < sockets; i++) {
            if (fds[i].revents) continue;
            buffer.poll->entries[n].socket = (ULONGLONG)fds[i].fd;
            buffer.poll->entries[n].events = poll_mask(fds[i].events);
            buffer.poll->entries[n].status = 0;
            n++;
        }
        status = afd_poll_wait(on, buffer.poll, buffer.size, n, wait, &answered);
        if (!status) {
            int ready = poll_report(fds, count, buffer.poll, answered);
            poll_buffer_free(&buffer);
            return ready;
        }
        poll_buffer_free(&buffer);
        /* A socket closed by another thread after we looked: look again, and it is POLLNVAL. */
        if (status != NT_STATUS(0xC0000008)) break; /* STATUS_INVALID_HANDLE */
    }
    *err = afd_error(status);
    return SOCKET_ERROR;
}

int afd_poll_now(SOCKET s, int events, NTSTATUS *status)
{
    struct {
        struct afd_poll_in head;
        struct afd_poll_entry entry;
    } poll;
    ULONG_PTR info = 0;

    memset(&poll, 0, sizeof(poll));
    poll.head.count = 1; /* a timeout of 0: the answer now */
    poll.entry.socket = (ULONG_PTR)s;
    poll.entry.events = events;
    *status = afd_sync_request(s, AFD_POLL, &poll, sizeof(poll), &poll, sizeof(poll), &info, false);
    /* Only the sockets that signal are written back. */
    if (*status || info < sizeof(poll) || !poll.head.count) return 0;
    return poll.entry.events & events;
}
