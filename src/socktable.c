/*
 * The global socket table: handle -> socket object in O(1), without a lock on the lookup path.
 *
 * A SOCKET is an NT handle, and handle values are multiples of 4 from a small dense range, so
 * the table is a two-level array indexed by (handle >> 2). Pages are allocated on first use with
 * a compare-and-swap and never freed; a socket object is a slot in a page, so a pointer to it
 * never dangles. A handle we did not create (inherited, duplicated, made by another module) is
 * adopted on first use if the socket device recognises it.
 */
#include "openws2/core.h"
#include "openws2/afd.h"
#include "openws2/afd_provider.h"

#define PAGE_BITS 10
#define PAGE_SIZE (1u << PAGE_BITS)
#define PAGE_COUNT (1u << 14) /* handles up to 2^26: far above the wineserver's handle limit */

static struct ws_socket *volatile pages[PAGE_COUNT];
static volatile LONG pages_end; /* one past the highest page ever allocated: bounds the walk */

static struct ws_socket *slot_of(SOCKET s, bool create)
{
    ULONG_PTR index = (ULONG_PTR)s >> 2;
    struct ws_socket *page;

    if ((ULONG_PTR)s & 3 || index >= (ULONG_PTR)PAGE_COUNT * PAGE_SIZE || !s) return NULL;
    page = pages[index >> PAGE_BITS];
    if (!page) {
        if (!create) return NULL;
        page = VirtualAlloc(NULL, PAGE_SIZE * sizeof(*page), MEM_COMMIT | MEM_RESERVE,
                            PAGE_READWRITE);
        if (!page) return NULL;
        struct ws_socket *prev =
            InterlockedCompareExchangePointer((void *volatile *)&pages[index >> PAGE_BITS], page,
                                              NULL);
        if (prev) {
            VirtualFree(page, 0, MEM_RELEASE);
            page = prev;
        } else {
            LONG end = (LONG)(index >> PAGE_BITS) + 1, seen;
            while ((seen = pages_end) < end &&
                   InterlockedCompareExchange(&pages_end, end, seen) != seen)
                ;
        }
    }
    return &page[index & (PAGE_SIZE - 1)];
}

/* Claim a slot for a handle and fill it; the slot is LIVE once the fields are written. */
static struct ws_socket *claim(struct ws_socket *sock, SOCKET s, const struct ws_provider *provider,
                               int family, int type, int protocol, LONG flags)
{
    LONG prev = InterlockedCompareExchange(&sock->state, WS_SLOT_BUSY, WS_SLOT_FREE);
    ws_note_cleanup_work();
    if (prev == WS_SLOT_BUSY) {
        /* another thread is adopting the same handle right now */
        while (sock->state == WS_SLOT_BUSY) YieldProcessor();
        return sock->state == WS_SLOT_LIVE ? sock : NULL;
    }
    /* FREE, or LIVE left over from a handle that was closed behind our back and reused: what
       the notification threads still do for the old socket ends here, before the new one can
       be selected (the close poll cannot tell a handle value given out again). */
    if (prev == WS_SLOT_LIVE && (sock->flags & WS_SOCK_NOTIFY))
        afd_notify_closed_behind(s, sock->generation);
    InterlockedExchange(&sock->state, WS_SLOT_BUSY);
    sock->handle = s;
    sock->provider = provider;
    sock->family = family;
    sock->type = type;
    sock->protocol = protocol;
    sock->flags = flags;
    sock->so_error = 0;
    sock->keepalive_time = sock->keepalive_interval = 0;
    sock->opt_known = 0;
    sock->local_len = 0;
    sock->peer_len = 0;
    InterlockedIncrement(&sock->generation);
    /* The event duplicate of a socket closed behind our back. */
    if (sock->select_event) CloseHandle(sock->select_event);
    sock->select_event = sock->select_event_of = NULL;
    sock->select_events = 0;
    sock->user_events = 0;
    if (sock->pending) {
        for (unsigned int i = 0; i < WS_PENDING_SLOTS; i++) sock->pending[i].iosb = NULL;
    }
    InterlockedExchange(&sock->state, WS_SLOT_LIVE);
    return sock;
}

struct ws_socket *sock_table_insert(SOCKET s, const struct ws_provider *provider, int family,
                                    int type, int protocol, LONG flags)
{
    struct ws_socket *sock = slot_of(s, true);
    return sock ? claim(sock, s, provider, family, type, protocol, flags) : NULL;
}

/* Ask the socket device whether this handle is one of its sockets. */
static struct ws_socket *adopt(struct ws_socket *sock, SOCKET s)
{
    struct afd_info_out info;
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtDeviceIoControlFile((HANDLE)s, NULL, NULL, NULL, &io,
                                            AFD_WINE(AFD_W_GET_INFO), NULL, 0, &info, sizeof(info));
    if (status) return NULL;
    /* Whether it was ever connected is unknown: assume it was (see WS_SOCK_CONNECTING). */
    return claim(sock, s, &afd_provider, info.family, info.type, info.protocol,
                 WS_SOCK_CONNECTING);
}

struct ws_socket *sock_table_find(SOCKET s)
{
    struct ws_socket *sock = slot_of(s, false);
    if (sock && sock->state == WS_SLOT_LIVE) return sock;
    if (!(sock = slot_of(s, true))) return NULL;
    return adopt(sock, s);
}

struct ws_socket *sock_table_known(SOCKET s)
{
    struct ws_socket *sock = slot_of(s, false);
    return sock && sock->state == WS_SLOT_LIVE ? sock : NULL;
}

void sock_table_remove(struct ws_socket *sock)
{
    InterlockedExchange(&sock->state, WS_SLOT_FREE);
}

bool sock_table_remove_stale(struct ws_socket *sock, LONG generation)
{
    if (sock->generation != generation) return false;
    if (InterlockedCompareExchange(&sock->state, WS_SLOT_FREE, WS_SLOT_LIVE) != WS_SLOT_LIVE)
        return false;
    if (sock->generation == generation) return true;
    /* A whole claim came in between the two looks: the slot is the new socket's again. */
    InterlockedCompareExchange(&sock->state, WS_SLOT_LIVE, WS_SLOT_FREE);
    return false;
}

void sock_table_for_each(void (*fn)(struct ws_socket *sock, void *ctx), void *ctx)
{
    for (LONG p = 0; p < pages_end; p++) {
        struct ws_socket *page = pages[p];
        if (!page) continue;
        for (unsigned int i = 0; i < PAGE_SIZE; i++) {
            if (page[i].state == WS_SLOT_LIVE) fn(&page[i], ctx);
        }
    }
}

void sock_pending_add(struct ws_socket *sock, IO_STATUS_BLOCK *iosb, HANDLE event)
{
    struct ws_pending *pending = sock->pending;
    unsigned int i, free_slot = WS_PENDING_SLOTS;

    if (!pending) {
        pending = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                            WS_PENDING_SLOTS * sizeof(*pending));
        if (!pending) return;
        struct ws_pending *prev =
            InterlockedCompareExchangePointer((void *volatile *)&sock->pending, pending, NULL);
        if (prev) {
            HeapFree(GetProcessHeap(), 0, pending);
            pending = prev;
        }
    }
    /* The same OVERLAPPED reused: update its entry. Otherwise take a free or a stale slot. */
    for (i = 0; i < WS_PENDING_SLOTS; i++) {
        IO_STATUS_BLOCK *cur = pending[i].iosb;
        if (cur == iosb) {
            pending[i].event = event;
            return;
        }
        if (!cur && free_slot == WS_PENDING_SLOTS) free_slot = i;
    }
    if (free_slot == WS_PENDING_SLOTS) {
        /* Full: entries are only hints (the cleanup verifies each with the kernel), so
           recycle one in round-robin order. */
        static volatile LONG next;
        free_slot = (unsigned int)InterlockedIncrement(&next) % WS_PENDING_SLOTS;
    }
    pending[free_slot].event = event;
    pending[free_slot].iosb = iosb;
}
