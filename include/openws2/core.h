/*
 * The core shared by every entry point: the process state (startup count), the global socket
 * table, the per-thread block and the one error path. See src/init.c for the lifecycle.
 */
#ifndef OPENWS2_CORE_H
#define OPENWS2_CORE_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <windows.h>
#include <stdbool.h>
#include "openws2/nt.h"

#define ARRAY_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- process (src/init.c) ---- */

/* Number of successful WSAStartup calls not yet matched by WSACleanup. */
extern volatile LONG ws_startup_count;
/* Bumped by every final WSACleanup; operations remember it to tell a cleanup abort. */
extern volatile LONG ws_cleanup_epoch;

static inline bool ws_started(void) { return ws_startup_count > 0; }
/* The version the last successful WSAStartup negotiated (the blocking hooks need 1.x). */
WORD ws_negotiated_version(void);

/* ---- providers (src/provider/) ---- */

struct ws_provider {
    const char *name;
    WSPPROC_TABLE procs;
};
extern const struct ws_provider afd_provider;

/* ---- the socket table (src/socktable.c) ---- */

enum ws_socket_state { WS_SLOT_FREE = 0, WS_SLOT_LIVE = 1, WS_SLOT_BUSY = 2 };

/* Flags of the user-mode socket context. */
#define WS_SOCK_NONBLOCKING 0x1
#define WS_SOCK_OVERLAPPED  0x2
#define WS_SOCK_LISTENING   0x4
#define WS_SOCK_EVENTSELECT 0x8 /* WSAEventSelect/WSAAsyncSelect forced it non-blocking */
#define WS_SOCK_CONNECTING  0x10 /* a connect was attempted, or the socket was accepted */
#define WS_SOCK_NOTIFY      0x20 /* registered with the notification threads (afd notify.c) */
#define WS_SOCK_CONNECTED   0x40 /* a stream socket known connected: its local name is final */
#define WS_SOCK_MODE_KNOWN  0x80 /* WS_SOCK_NONBLOCKING is the device's mode (not adopted) */
#define WS_SOCK_BOUND       0x100 /* a datagram socket known to have a local address */
#define WS_SOCK_CONNECTEX   0x200 /* ConnectEx was called on it */
#define WS_SOCK_RESET       0x400 /* the device reported the connection reset (afd io.c) */
/* Options that exist only in the user-mode context (src/provider/afd/sockopt.c). */
#define WS_SOCK_OPT_DEBUG         0x01000000
#define WS_SOCK_OPT_DONTROUTE     0x02000000
#define WS_SOCK_OPT_PORT_SCALABLE 0x04000000
#define WS_SOCK_OPT_REUSE_UNICAST 0x08000000
#define WS_SOCK_OPT_V6ONLY_OFF    0x10000000 /* IPV6_V6ONLY cleared on an AF_INET socket */

/* Pending event-based overlapped operations remembered for the final WSACleanup. */
#define WS_PENDING_SLOTS 32
struct ws_pending {
    IO_STATUS_BLOCK *volatile iosb;
    HANDLE event;
};

/*
 * One socket. Objects live in table pages that are never freed, so a pointer returned by
 * sock_table_find stays valid memory even if another thread closes the socket meanwhile; the
 * handle itself then fails in the kernel, as on Windows.
 */
struct ws_socket {
    volatile LONG state;
    volatile LONG flags;
    SOCKET handle;
    const struct ws_provider *provider;
    int family, type, protocol;
    volatile LONG so_error; /* a value the program stored with setsockopt(SO_ERROR) */
    /* TCP keep-alive idle time and probe interval set through us, in ms; 0: Windows' default */
    ULONG keepalive_time, keepalive_interval;
    struct ws_pending *volatile pending; /* allocated once, on the first overlapped operation */
    /* The user-mode context's copies (src/provider/afd/sockopt.c and afd.c): option values
       known without asking the device (bit i of opt_known: opt_value[i] is current), and the
       local name of a stream socket once it can no longer change, under a sequence count. */
    volatile LONG opt_known;
    DWORD opt_value[4];
    volatile LONG name_seq;
    int local_len; /* 0: not known */
    SOCKADDR_INET local;
    /* The peer of a stream socket, kept once known (afd.c) under its own sequence count: the
       host forgets it when the connection is shut down in both directions, Windows does not. */
    volatile LONG peer_seq;
    int peer_len; /* 0: not known */
    SOCKADDR_INET peer;
    /* WSAEventSelect (src/provider/afd/event.c): the program's event (NULL: none) and FD_* mask,
       and the events recorded by us rather than the device, taken by WSAEnumNetworkEvents.
       Current only while WS_SOCK_EVENTSELECT is set (cleared when a slot is claimed). */
    HANDLE select_event;    /* our duplicate of the program's event, closed when replaced */
    HANDLE select_event_of; /* the program's handle value it duplicates */
    volatile LONG select_events;
    volatile LONG user_events;
    /* Bumped each time the slot is claimed: tells a socket from an earlier one that had the same
       handle value (closed with CloseHandle behind our back, the value then reused). */
    volatile LONG generation;
};

/* The socket object for a handle, adopting AFD handles made elsewhere; NULL if not a socket. */
struct ws_socket *sock_table_find(SOCKET s);
/* The socket object only if this process already knows the handle as a socket (made, accepted,
   duplicated in, or used here before); NULL otherwise, without adopting it. */
struct ws_socket *sock_table_known(SOCKET s);
/* Register a socket created or accepted through us. */
struct ws_socket *sock_table_insert(SOCKET s, const struct ws_provider *provider, int family,
                                    int type, int protocol, LONG flags);
void sock_table_remove(struct ws_socket *sock);
/* Free the slot only if it still holds the socket of that generation (a socket closed behind
   our back); false if the slot was claimed again meanwhile. */
bool sock_table_remove_stale(struct ws_socket *sock, LONG generation);
/* Visit every live socket (final WSACleanup). */
void sock_table_for_each(void (*fn)(struct ws_socket *sock, void *ctx), void *ctx);
/* Set (a plain store) by whatever leaves something for the final WSACleanup to end or free:
   a socket registered, a per-thread result buffer or blocking hook, a notification thread
   started, a namespace lookup or provider DLL, an asynchronous name lookup. A final cleanup that
   finds it clear has nothing to do. */
extern volatile LONG ws_cleanup_work;
static inline void ws_note_cleanup_work(void)
{
    if (!ws_cleanup_work) ws_cleanup_work = 1;
}

/* Remember / forget an event-based overlapped operation (lock-free, allocation-free). */
void sock_pending_add(struct ws_socket *sock, IO_STATUS_BLOCK *iosb, HANDLE event);

/* The socket a WSAPROTOCOL_INFO from WSADuplicateSocket names, adopted into this process's
   table (src/api/dup.c); INVALID_SOCKET with *err set if it names none. */
SOCKET ws_socket_from_duplicate(const WSAPROTOCOL_INFOW *info, int *err);

/* The size of a family's socket address; 0 for families we do not carry. */
static inline int ws_sockaddr_len(int family)
{
    switch (family) {
    case AF_INET: return sizeof(struct sockaddr_in);
    case AF_INET6: return sizeof(struct sockaddr_in6);
    default: return 0;
    }
}

/* ---- per-thread block (src/thread.c) ---- */

struct ws_thread {
    HANDLE sync_event;      /* manual-reset event for synchronous waits, made once */
    char ntoa_buffer[16];   /* inet_ntoa's result */
    void *hostent_buffer;   /* gethostby* results (name-resolution issue) */
    size_t hostent_size;
    void *servent_buffer;
    size_t servent_size;
    void *protoent_buffer;
    size_t protoent_size;
    BOOL open_nonoverlapped; /* SO_OPENTYPE set to SO_SYNCHRONOUS_(NON)ALERT */
    /* WinSock 1.1 blocking hook (src/api/blocking.c): the hook a 1.x caller installed, valid
       while hook_epoch is the current cleanup epoch, and the blocking call it runs under. */
    FARPROC blocking_hook;
    LONG hook_epoch;
    SOCKET blocking_socket;
    IO_STATUS_BLOCK *blocking_io;
    struct ws_thread *next, *prev; /* all blocks, for the final cleanup */
};

struct ws_thread *ws_thread_get(void); /* creates on first use; NULL only if out of memory */
HANDLE ws_thread_sync_event(void);
/* One of the block's result buffers (BUFFER/SIZE: e.g. &t->hostent_buffer, &t->hostent_size),
   grown to at least NEED bytes; NULL if out of memory. The final WSACleanup frees them. */
void *ws_thread_buffer(void **buffer, size_t *size, size_t need);
void ws_thread_detach(void);
void ws_thread_release_all(void);
bool ws_thread_init(void);

/* The calling thread's block if it has a WinSock 1.1 blocking hook installed, else NULL (the
   default hook: a plain wait). */
struct ws_thread *ws_blocking_hooked(void);
/* Wait for a pending synchronous request on S with the thread's blocking hook running, as a
   WinSock 1.1 blocking call does; WSACancelBlockingCall from the hook cancels it. */
void ws_blocking_wait(struct ws_thread *t, SOCKET s, HANDLE event, IO_STATUS_BLOCK *io);

/* ---- user32, loaded only by programs that make windows (src/api/event.c) ---- */

/* A procedure of user32.dll if the process has loaded it, else NULL. The DLL does not import
   user32: a process that has not loaded it has no window to post to or test. */
FARPROC ws_user32_proc(const char *name);
/* Post a window message of the asynchronous calls: through the routine WSApSetPostRoutine
   installed, else PostMessageW (src/api/post.c). FALSE if it could not be posted. */
BOOL ws_post_message(HWND window, UINT message, WPARAM wparam, LPARAM lparam);

/* ---- what the final WSACleanup ends besides sockets ---- */

/* Namespace lookups and provider DLLs (src/api/rnr.c): ended, NSPCleanup, unloaded. */
void ns_cleanup(void);
/* WSAAsyncGet* requests still running (src/api/asyncdb.c): cancelled, no message. */
void ws_asyncdb_cleanup(void);
/* GetAddrInfoEx queries still pending (src/api/addrinfo.c): cancelled, no event, no routine. */
void ws_addrinfo_cleanup(void);

/* ---- errors (src/error.c) ---- */

/* NTSTATUS -> Winsock error: the one table. */
int ws_error_from_status(NTSTATUS status);

/* The thread's last-error value, in the TEB where SetLastError and GetLastError keep it. */
static inline void ws_set_last_error(DWORD error)
{
#ifdef __x86_64__
    __asm__ volatile("movl %0, %%gs:0x68" : : "r"(error) : "memory");
#else
    __asm__ volatile("movl %0, %%fs:0x34" : : "r"(error) : "memory");
#endif
}

static inline DWORD ws_get_last_error(void)
{
    DWORD error;
#ifdef __x86_64__
    __asm__ volatile("movl %%gs:0x68, %0" : "=r"(error) : : "memory");
#else
    __asm__ volatile("movl %%fs:0x34, %0" : "=r"(error) : : "memory");
#endif
    return error;
}

/* The API edge: set the thread's last error and return the failure value. */
static inline int ws_fail(int error)
{
    ws_set_last_error((DWORD)error);
    return SOCKET_ERROR;
}

/* Pointer checks for what we read or write ourselves; the kernel checks the rest. */
/*
 * IsBadReadPtr/IsBadWritePtr probe under an exception handler: the only portable way for
 * mingw-built code to turn a wild pointer into WSAEFAULT instead of a crash. The probe is not
 * cheap, and most buffers a program hands us (lengths, WSADATA, option values) live on the
 * calling thread's stack: a range inside the stack's committed part, between the TEB's
 * StackLimit and StackBase, is readable and writable without a probe (and without a call).
 */
bool ws_probe_readable(const void *p, size_t len);
bool ws_probe_writable(void *p, size_t len);

static inline bool ws_on_own_stack(const void *p, size_t len)
{
    const NT_TIB *tib; /* the TEB's self pointer; NtCurrentTeb() trips -Warray-bounds in gcc 12 */
#ifdef __x86_64__
    __asm__("movq %%gs:0x30, %0" : "=r"(tib));
#else
    __asm__("movl %%fs:0x18, %0" : "=r"(tib));
#endif
    ULONG_PTR start = (ULONG_PTR)p;
    return start >= (ULONG_PTR)tib->StackLimit && start < (ULONG_PTR)tib->StackBase &&
           len <= (ULONG_PTR)tib->StackBase - start;
}

static inline bool ws_readable(const void *p, size_t len)
{
    return p && (ws_on_own_stack(p, len) || ws_probe_readable(p, len));
}

static inline bool ws_writable(void *p, size_t len)
{
    return p && (ws_on_own_stack(p, len) || ws_probe_writable(p, len));
}

/*
 * Entry-point prologue: started, a socket. Returns the socket or NULL with *err set to
 * WSANOTINITIALISED or WSAENOTSOCK.
 */
static inline struct ws_socket *ws_enter(SOCKET s, int *err)
{
    struct ws_socket *sock;
    if (!ws_started()) {
        *err = WSANOTINITIALISED;
        return NULL;
    }
    if (!(sock = sock_table_find(s))) *err = WSAENOTSOCK;
    return sock;
}

#endif
