/*
 * select over the socket device: one multi-socket poll request for all three sets, issued on the
 * first socket and waited for alertably on the thread's sync event.
 */
#include <stdint.h>
#include "openws2/afd_provider.h"

#define SELECT_TIMED_OUT NT_STATUS(0x00000102) /* STATUS_TIMEOUT: a success status */

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

/*
 * Entries that fit on the stack: every socket of three fd_sets of the SDK's default FD_SETSIZE
 * (64), about 3 KB. Programs that define a larger FD_SETSIZE (or fill fd_count past 64 through a
 * bigger struct of their own) get a heap block for that call only. Such a call already does
 * per-socket work in the device proportional to the set sizes, so one allocation is small
 * beside it, and it keeps the per-thread block free of a buffer that would otherwise stay at its
 * largest size for the thread's lifetime.
 */
#define SELECT_STACK_ENTRIES (3 * 64)

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
    if (!timeout) return INT64_MAX;
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

static void select_fill(struct afd_poll_in *poll, LONGLONG wait, const fd_set *readfds,
                        const fd_set *writefds, const fd_set *exceptfds)
{
    poll->timeout = wait;
    poll->exclusive = FALSE;
    poll->pad[0] = poll->pad[1] = poll->pad[2] = 0;
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
    struct {
        struct afd_poll_in head;
        struct afd_poll_entry entries[SELECT_STACK_ENTRIES];
    } stack_poll;
    struct afd_poll_in *poll = &stack_poll.head;
    size_t n = (size_t)set_count(readfds) + set_count(writefds) + set_count(exceptfds);
    size_t size = offsetof(struct afd_poll_in, entries) + n * sizeof(struct afd_poll_entry);
    const LONGLONG full_wait = select_timeout(timeout);
    LONGLONG wait = full_wait;
    ULONGLONG start = 0;
    int ret;

    (void)nfds;
    if (!n || size > ULONG_MAX) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (n > SELECT_STACK_ENTRIES && !(poll = HeapAlloc(GetProcessHeap(), 0, size))) {
        /* The reference page files a failure to get resources under WSAEFAULT. */
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* Only a bounded wait that has to be resumed (see below) needs to know when it started. */
    if (full_wait != 0 && full_wait != INT64_MAX) start = GetTickCount64();

    for (;;) {
        ULONG_PTR info = 0;
        NTSTATUS status;
        int left;

        select_fill(poll, wait, readfds, writefds, exceptfds);
        /* In and out share the buffer: the device writes back the header and the signalled
           entries only, in the order they were asked for. */
        status = afd_sync_request((SOCKET)poll->entries[0].socket, AFD_POLL, poll, (ULONG)size,
                                  poll, (ULONG)size, &info, true);
        if (status == SELECT_TIMED_OUT) {
            /* Nothing became ready: every set comes back empty. */
            select_clear(readfds, writefds, exceptfds);
            ret = 0;
            break;
        }
        if (status) {
            *err = afd_error(status);
            ret = SOCKET_ERROR;
            break;
        }

        unsigned int count = poll->count;
        size_t answered =
            info > offsetof(struct afd_poll_in, entries)
                ? (info - offsetof(struct afd_poll_in, entries)) / sizeof(poll->entries[0])
                : 0;
        if (count > n) count = (unsigned int)n;
        if (count > answered) count = (unsigned int)answered;

        if ((left = select_filter(poll, count, readfds)) < 0) {
            select_clear(readfds, writefds, exceptfds);
            *err = WSAENOTSOCK;
            ret = SOCKET_ERROR;
            break;
        }
        if (!left && count && full_wait != 0) {
            /* Only dropped reports woke us: wait again for the rest of the interval. Each such
               socket is no longer connecting, so the device will not report it again. */
            if (full_wait != INT64_MAX) {
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
        ret = select_report(poll, count, readfds, writefds, exceptfds);
        break;
    }

    if (poll != &stack_poll.head) HeapFree(GetProcessHeap(), 0, poll);
    return ret;
}
