/*
 * No export crashes or hangs on hostile arguments. Every name of def/ws2_32.def is called with a
 * set of argument patterns (all zero, all 1, all ones; a socket, unbound, bound, listening or
 * connected, or a handle that is no socket, followed by bad pointers, zeros, or pointers to a
 * too-small buffer at the end of a readable page mixed with small lengths). A crash in a call is
 * caught and recorded, and the call is abandoned; a call that does not return within a few
 * seconds is recorded as a hang. The test fails listing every export and pattern that did either.
 * OPENWS2_BAD_ARGS_VERBOSE=1 in the environment lists every call's result as well.
 *
 * Three narrower sweeps follow through the same catcher: the option and control-code calls with
 * every code and too-small buffers, a list of calls with valid arguments but one pointer, and
 * calls whose arguments are valid structures with one pointer, length or count inside them bad.
 *
 * On x64 every export shares one calling convention, so each is called through one function
 * pointer type with twelve arguments, of which it reads the ones it has.
 *
 * The last part asserts the documented error of the calls these sweeps first found crashing.
 */
#include "ws_test.h"
#include <stdbool.h>
#include <stdlib.h>
#include <ws2spi.h>
#include <mswsock.h>
#include <svcguid.h>
#include "../include/openws2/wah.h"

typedef ULONG_PTR(WINAPI *any_proc)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                    ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                    ULONG_PTR, ULONG_PTR);

#define NARGS   12
#define HANG_MS 5000

/* ---- argument patterns ---- */

enum pattern {
    ALL_ZERO,
    ALL_ONE,     /* a bad pointer that is also a small integer */
    ALL_ONES,    /* 0xFFFFFFFFFFFFFFFF */
    TCP_ONE,     /* a fresh unbound TCP socket, then 1 */
    UDP_ONE,     /* a fresh unbound UDP socket, then 1 */
    TCP_TINY,    /* a TCP socket, then pointers to one byte before an inaccessible page */
    UDP_TINY,    /* the same with a UDP socket */
    TCP_TINY_1,  /* a TCP socket, then pointer, 1, pointer, 1, ... (buffer, small length) */
    UDP_1_TINY,  /* a UDP socket, then 1, pointer, 1, pointer, ... */
    BOUND_UDP,   /* a non-blocking UDP socket bound to loopback, then pointer, 1, ... */
    LISTENING,   /* a non-blocking listening TCP socket, then 1, pointer, ... */
    ALL_TINY,    /* every argument the pointer to the tiny buffer */
    ZERO_TINY,   /* 0, then the pointer */
    TINY_1,      /* pointer, 1, pointer, 1, ... */
    ZERO_1_TINY, /* 0, then pointer, 1, pointer, ... */
    EVENT_TINY,  /* a handle that is not a socket (an event), then pointer, 1, ... */
    TCP_ZERO,    /* a fresh TCP socket, then 0 */
    BOUND_ZERO,  /* a non-blocking bound UDP socket, then 0 */
    CONN_TINY_1, /* a non-blocking connected TCP socket with data waiting, then pointer, 1, ... */
    CONN_1_TINY, /* the same, then 1, pointer, ... */
    PATTERNS
};

static const char *const pattern_names[PATTERNS] = {
    "all 0",
    "all 1",
    "all 0xFF..FF",
    "TCP socket + 1",
    "UDP socket + 1",
    "TCP socket + tiny buffer",
    "UDP socket + tiny buffer",
    "TCP socket + tiny buffer/1",
    "UDP socket + 1/tiny buffer",
    "bound UDP socket + tiny buffer/1",
    "listening TCP socket + 1/tiny buffer",
    "all tiny buffer",
    "0 + tiny buffer",
    "tiny buffer/1",
    "0 + tiny buffer/1",
    "event handle + tiny buffer/1",
    "TCP socket + 0",
    "bound UDP socket + 0",
    "connected TCP socket + tiny buffer/1",
    "connected TCP socket + 1/tiny buffer",
};

/* The last byte of a read-write page whose next page is PAGE_NOACCESS. */
static unsigned char *tiny;

static void make_tiny_buffer(void)
{
    DWORD old;
    unsigned char *pages;
    if (tiny) return;
    pages = VirtualAlloc(NULL, 2 * 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_non_null(pages);
    assert_true(VirtualProtect(pages + 4096, 4096, PAGE_NOACCESS, &old));
    tiny = pages + 4095;
}

/* The peer of the connected socket of the last pattern that had one. */
static SOCKET peer = INVALID_SOCKET;

static SOCKET connected_socket(void)
{
    SOCKET s;
    u_long one = 1;
    ws_test_tcp_pair(AF_INET, &s, &peer);
    assert_int_equal(send(peer, "data", 4, 0), 4);
    assert_int_equal(ioctlsocket(s, FIONBIO, &one), 0);
    return s;
}

static SOCKET pattern_socket(enum pattern p)
{
    switch (p) {
    case TCP_ONE:
    case TCP_TINY:
    case TCP_TINY_1: return socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    case UDP_ONE:
    case UDP_TINY:
    case UDP_1_TINY: return socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    case TCP_ZERO: return socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    case EVENT_TINY: return (SOCKET)CreateEventW(NULL, TRUE, FALSE, NULL);
    case BOUND_UDP:
    case BOUND_ZERO:
    case LISTENING: break;
    case CONN_TINY_1:
    case CONN_1_TINY: return connected_socket();
    default: return INVALID_SOCKET;
    }
    /* Bound or listening, and non-blocking so that a valid receive or accept returns. */
    struct sockaddr_storage addr;
    int len = ws_test_loopback(AF_INET, 0, &addr);
    u_long one = 1;
    SOCKET s = socket(AF_INET, p == LISTENING ? SOCK_STREAM : SOCK_DGRAM, 0);
    assert_int_not_equal(s, INVALID_SOCKET);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
    if (p == LISTENING) assert_int_equal(listen(s, 1), 0);
    assert_int_equal(ioctlsocket(s, FIONBIO, &one), 0);
    return s;
}

static void fill_args(enum pattern p, SOCKET s, ULONG_PTR *args)
{
    *tiny = 1; /* a length of 1, an unterminated string, an incomplete structure */
    for (int i = 0; i < NARGS; i++) {
        switch (p) {
        case ALL_ZERO: args[i] = 0; break;
        case ALL_ONE: args[i] = 1; break;
        case ALL_ONES: args[i] = ~(ULONG_PTR)0; break;
        case TCP_ONE:
        case UDP_ONE: args[i] = i ? 1 : (ULONG_PTR)s; break;
        case TCP_TINY:
        case UDP_TINY: args[i] = i ? (ULONG_PTR)tiny : (ULONG_PTR)s; break;
        case TCP_TINY_1:
        case EVENT_TINY:
        case BOUND_UDP:
        case CONN_TINY_1: args[i] = !i ? (ULONG_PTR)s : (i % 2) ? (ULONG_PTR)tiny : 1; break;
        case UDP_1_TINY:
        case LISTENING:
        case CONN_1_TINY: args[i] = !i ? (ULONG_PTR)s : (i % 2) ? 1 : (ULONG_PTR)tiny; break;
        case ALL_TINY: args[i] = (ULONG_PTR)tiny; break;
        case TCP_ZERO:
        case BOUND_ZERO: args[i] = i ? 0 : (ULONG_PTR)s; break;
        case ZERO_TINY: args[i] = i ? (ULONG_PTR)tiny : 0; break;
        case TINY_1: args[i] = (i % 2) ? 1 : (ULONG_PTR)tiny; break;
        case ZERO_1_TINY: args[i] = !i ? 0 : (i % 2) ? (ULONG_PTR)tiny : 1; break;
        default: break;
        }
    }
}

/* ---- exclusions ---- */

struct exclusion {
    const char *name;
    bool garbage_only; /* the all-zero pattern still runs */
    const char *reason;
};

/* WSAStartup runs (it fails for every pattern); WSACancelBlockingCall runs too (a WinSock 2
   session makes it fail with WSAEOPNOTSUPP, and it only touches the calling thread). */
static const struct exclusion exclusions[] = {
    {"WSACleanup", false, "ends the Winsock session the rest of the run needs"},
    {"WSASetBlockingHook", true, "installs the garbage as this thread's blocking hook"},
    {"WSApSetPostRoutine", true,
     "installs the garbage as the process's message poster (a NULL routine restores PostMessage)"},
};

static const struct exclusion *excluded(const char *name, enum pattern p)
{
    for (size_t i = 0; i < ARRAYSIZE(exclusions); i++)
        if (!strcmp(exclusions[i].name, name) && (!exclusions[i].garbage_only || p != ALL_ZERO))
            return &exclusions[i];
    return NULL;
}

/* ---- running one call: a worker thread, a crash catcher, a watchdog ---- */

struct worker {
    HANDLE thread, go, done;
    DWORD tid;
    volatile LONG in_call;
    volatile LONG crashed;
    volatile DWORD code;
    volatile ULONG_PTR address;
    any_proc proc;
    ULONG_PTR args[NARGS];
    ULONG_PTR ret;
    DWORD error;
    void *jump[5]; /* __builtin_setjmp buffer */
    unsigned char *landing_stack;
};

#define LANDING_STACK 65536

static struct worker *volatile active;
static volatile LONG background_crashes;
static unsigned char background_stack[LANDING_STACK] __attribute__((aligned(16)));

static bool fatal(DWORD code)
{
    switch (code) {
    case EXCEPTION_ACCESS_VIOLATION:
    case EXCEPTION_ILLEGAL_INSTRUCTION:
    case EXCEPTION_PRIV_INSTRUCTION:
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
    case EXCEPTION_INT_OVERFLOW:
    case EXCEPTION_DATATYPE_MISALIGNMENT:
    case EXCEPTION_ARRAY_BOUNDS_EXCEEDED:
    case EXCEPTION_IN_PAGE_ERROR:
    case EXCEPTION_STACK_OVERFLOW:
    case EXCEPTION_NONCONTINUABLE_EXCEPTION:
    case STATUS_HEAP_CORRUPTION:
    case STATUS_STACK_BUFFER_OVERRUN: return true;
    default: return false;
    }
}

static bool inside(HMODULE module, ULONG_PTR address)
{
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)module;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)((const char *)module + dos->e_lfanew);
    return address >= (ULONG_PTR)module &&
           address < (ULONG_PTR)module + nt->OptionalHeader.SizeOfImage;
}

__attribute__((noinline, noreturn)) static void land_in_worker(struct worker *w)
{
    __builtin_longjmp(w->jump, 1);
}

__attribute__((noinline, noreturn)) static void land_and_exit_thread(void)
{
    ExitThread(0);
}

/* Resumes the faulting thread on a fresh, aligned stack in `target(arg)`. */
static LONG redirect(CONTEXT *context, unsigned char *stack, void *target, void *arg)
{
    ULONG_PTR top = ((ULONG_PTR)stack + LANDING_STACK - 64) & ~(ULONG_PTR)15;
    context->Rsp = top - 8; /* as right after a call */
    context->Rip = (ULONG_PTR)target;
    context->Rcx = (ULONG_PTR)arg;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static LONG catch_in_worker(EXCEPTION_POINTERS *ep)
{
    struct worker *w = active;
    if (!w || GetCurrentThreadId() != w->tid || !w->in_call) return EXCEPTION_CONTINUE_SEARCH;
    w->in_call = 0;
    w->crashed = 1;
    w->code = ep->ExceptionRecord->ExceptionCode;
    w->address = (ULONG_PTR)ep->ExceptionRecord->ExceptionAddress;
    return redirect(ep->ContextRecord, w->landing_stack, (void *)land_in_worker, w);
}

/*
 * First chance: a fault whose instruction is in our DLL or in this program is a crash (neither
 * handles exceptions). Faults elsewhere may be a probe under an exception handler
 * (IsBadReadPtr); they are left to their handlers, and reach the top-level filter below only
 * if nothing handles them.
 */
static LONG CALLBACK first_chance(EXCEPTION_POINTERS *ep)
{
    ULONG_PTR at = (ULONG_PTR)ep->ExceptionRecord->ExceptionAddress;
    if (!fatal(ep->ExceptionRecord->ExceptionCode)) return EXCEPTION_CONTINUE_SEARCH;
    if (!inside(GetModuleHandleA("ws2_32.dll"), at) && !inside(GetModuleHandleA(NULL), at))
        return EXCEPTION_CONTINUE_SEARCH;
    return catch_in_worker(ep);
}

/* Unhandled: a crash in a call, or in a thread the DLL started (that thread is ended). */
static LONG WINAPI unhandled(EXCEPTION_POINTERS *ep)
{
    if (!fatal(ep->ExceptionRecord->ExceptionCode)) return EXCEPTION_CONTINUE_SEARCH;
    if (catch_in_worker(ep) == EXCEPTION_CONTINUE_EXECUTION) return EXCEPTION_CONTINUE_EXECUTION;
    if (InterlockedIncrement(&background_crashes) > 1) return EXCEPTION_CONTINUE_SEARCH;
    return redirect(ep->ContextRecord, background_stack, (void *)land_and_exit_thread, NULL);
}

static DWORD WINAPI worker_main(void *param)
{
    struct worker *volatile w = param;
    for (;;) {
        WaitForSingleObject(w->go, INFINITE);
        if (!w->proc) break;
        if (!__builtin_setjmp(w->jump)) {
            ULONG_PTR *a = w->args;
            w->in_call = 1;
            w->ret =
                w->proc(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
            w->in_call = 0;
            w->error = GetLastError();
        }
        SetEvent(w->done);
    }
    return 0;
}

static struct worker *new_worker(void)
{
    struct worker *w = calloc(1, sizeof(*w));
    assert_non_null(w);
    w->landing_stack = malloc(LANDING_STACK);
    w->go = CreateEventW(NULL, FALSE, FALSE, NULL);
    w->done = CreateEventW(NULL, FALSE, FALSE, NULL);
    assert_non_null(w->landing_stack);
    w->thread = CreateThread(NULL, 1 << 20, worker_main, w, 0, &w->tid);
    assert_non_null(w->thread);
    return w;
}

enum outcome { RETURNED, CRASHED, HUNG };

/* Runs proc(args) on the worker; a hung worker is abandoned and a new one takes its place. */
static enum outcome run_call(struct worker **wp, any_proc proc, const ULONG_PTR *args,
                             DWORD timeout_ms, DWORD *code, ULONG_PTR *address)
{
    struct worker *w = *wp;
    w->proc = proc;
    w->crashed = 0;
    memcpy(w->args, args, sizeof(w->args));
    active = w;
    SetEvent(w->go);
    if (WaitForSingleObject(w->done, timeout_ms) != WAIT_OBJECT_0) {
        active = NULL;
        *wp = new_worker(); /* the old one stays blocked; its memory is never freed */
        return HUNG;
    }
    active = NULL;
    *code = w->code;
    *address = w->address;
    return w->crashed ? CRASHED : RETURNED;
}

static void *veh;
static LPTOP_LEVEL_EXCEPTION_FILTER previous_filter;

static void catch_start(void)
{
    veh = AddVectoredExceptionHandler(1, first_chance);
    assert_non_null(veh);
    previous_filter = SetUnhandledExceptionFilter(unhandled);
}

static void catch_stop(struct worker *w)
{
    w->proc = NULL;
    SetEvent(w->go);
    WaitForSingleObject(w->thread, 1000);
    SetUnhandledExceptionFilter(previous_filter);
    RemoveVectoredExceptionHandler(veh);
}

/* ---- the catcher itself works ---- */

static ULONG_PTR WINAPI crash_here(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c, ULONG_PTR d, ULONG_PTR e,
                                   ULONG_PTR f, ULONG_PTR g, ULONG_PTR h, ULONG_PTR i, ULONG_PTR j,
                                   ULONG_PTR k, ULONG_PTR l)
{
    (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h, (void)i, (void)j, (void)k;
    (void)l;
    return *(volatile ULONG_PTR *)a;
}

static ULONG_PTR WINAPI crash_in_the_runtime(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c, ULONG_PTR d,
                                             ULONG_PTR e, ULONG_PTR f, ULONG_PTR g, ULONG_PTR h,
                                             ULONG_PTR i, ULONG_PTR j, ULONG_PTR k, ULONG_PTR l)
{
    (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h, (void)i, (void)j, (void)k;
    (void)l;
    return strlen((const char *)a);
}

static ULONG_PTR WINAPI probe_then_return(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c, ULONG_PTR d,
                                          ULONG_PTR e, ULONG_PTR f, ULONG_PTR g, ULONG_PTR h,
                                          ULONG_PTR i, ULONG_PTR j, ULONG_PTR k, ULONG_PTR l)
{
    (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h, (void)i, (void)j, (void)k;
    (void)l;
    return IsBadReadPtr((const void *)a, 4);
}

static ULONG_PTR WINAPI sleep_long(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c, ULONG_PTR d, ULONG_PTR e,
                                   ULONG_PTR f, ULONG_PTR g, ULONG_PTR h, ULONG_PTR i, ULONG_PTR j,
                                   ULONG_PTR k, ULONG_PTR l)
{
    (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h, (void)i, (void)j, (void)k;
    (void)l;
    Sleep((DWORD)a);
    return 0;
}

static void test_the_catcher_sees_crashes_and_hangs_and_lets_probes_be(void **state)
{
    ULONG_PTR args[NARGS] = {1}, address;
    DWORD code;
    struct worker *w;
    (void)state;

    catch_start();
    w = new_worker();
    /* A fault in this program, one in the C runtime, a jump to address 1. */
    assert_int_equal(run_call(&w, crash_here, args, HANG_MS, &code, &address), CRASHED);
    assert_int_equal(code, EXCEPTION_ACCESS_VIOLATION);
    assert_int_equal(run_call(&w, crash_in_the_runtime, args, HANG_MS, &code, &address), CRASHED);
    assert_int_equal(run_call(&w, (any_proc)1, args, HANG_MS, &code, &address), CRASHED);
    /* A fault its own handler catches is no crash; the worker still runs after crashes. */
    assert_int_equal(run_call(&w, probe_then_return, args, HANG_MS, &code, &address), RETURNED);
    /* A call that does not return in time is a hang. */
    args[0] = 2000;
    assert_int_equal(run_call(&w, sleep_long, args, 100, &code, &address), HUNG);
    args[0] = 0;
    assert_int_equal(run_call(&w, sleep_long, args, HANG_MS, &code, &address), RETURNED);
    catch_stop(w);
}

/* ---- the export names, from def/ws2_32.def ---- */

/* Fills names[] with the EXPORTS of the .def file; returns the count. */
static int export_names(char *def, const char **names, int max)
{
    bool in_exports = false;
    int n = 0;
    for (char *line = strtok(def, "\n"); line; line = strtok(NULL, "\n")) {
        char *comment = strchr(line, ';'), *word, *end;
        if (comment) *comment = 0;
        word = line + strspn(line, " \t\r");
        end = word + strcspn(word, " \t\r");
        if (word == end) continue;
        *end = 0;
        if (!strcmp(word, "EXPORTS")) {
            in_exports = true;
            continue;
        }
        if (in_exports && n < max) names[n++] = word;
    }
    return n;
}

/* ---- the sweeps ---- */

/* Runs one call and reports it if it crashed or hung; `what` names the arguments. */
static enum outcome checked_call(struct worker **w, const char *name, const char *what,
                                 any_proc proc, const ULONG_PTR *args, int *failures)
{
    ULONG_PTR address = 0;
    DWORD code = 0;
    enum outcome outcome = run_call(w, proc, args, HANG_MS, &code, &address);

    /* OPENWS2_BAD_ARGS_VERBOSE=1 lists every call's result. */
    if (outcome == RETURNED && getenv("OPENWS2_BAD_ARGS_VERBOSE"))
        print_message("%s (%s): %#llx, last error %lu\n", name, what, (unsigned long long)(*w)->ret,
                      (unsigned long)(*w)->error);
    if (outcome == CRASHED) {
        print_error("CRASH: %s (%s): exception %#lx at %p\n", name, what, (unsigned long)code,
                    (void *)address);
        ++*failures;
    } else if (outcome == HUNG) {
        print_error("HANG: %s (%s): no return within %d ms\n", name, what, HANG_MS);
        ++*failures;
    }
    if (background_crashes) {
        print_error("CRASH in a thread of the DLL after %s (%s)\n", name, what);
        ++*failures;
        background_crashes = 0;
    }
    return outcome;
}

static void test_no_export_crashes_or_hangs_on_hostile_arguments(void **state)
{
    char *def = ws_test_read_source_file("def/ws2_32.def");
    const char *names[256];
    int count = export_names(def, names, ARRAYSIZE(names));
    HMODULE dll = GetModuleHandleA("ws2_32.dll");
    struct worker *w;
    int failures = 0, calls = 0, skipped = 0;
    (void)state;

    assert_int_equal(count, 196);
    make_tiny_buffer();
    catch_start();
    w = new_worker();

    for (int i = 0; i < count; i++) {
        any_proc proc = (any_proc)(void *)GetProcAddress(dll, names[i]);
        if (!proc) fail_msg("%s does not resolve", names[i]);
        for (int p = 0; p < PATTERNS; p++) {
            ULONG_PTR args[NARGS];
            SOCKET s;
            enum outcome outcome;

            if (excluded(names[i], p)) {
                skipped++;
                continue;
            }
            s = pattern_socket(p);
            fill_args(p, s, args);
            outcome = checked_call(&w, names[i], pattern_names[p], proc, args, &failures);
            calls++;
            /* (An event is left open: WSACloseEvent may have closed it already.) */
            if (p != EVENT_TINY && s != INVALID_SOCKET && outcome != HUNG) closesocket(s);
            if (peer != INVALID_SOCKET) closesocket(peer);
            peer = INVALID_SOCKET;
        }
    }

    catch_stop(w);
    print_message("%d calls, %d excluded, %d crashed or hung\n", calls, skipped, failures);
    free(def);
    if (failures) fail_msg("%d export calls crashed or hung (listed above)", failures);
}

/*
 * The calls whose meaning hangs on a code (option levels and names, control codes), with each
 * code a socket of each kind answers: the uniform patterns above never pass a valid code, so
 * they stop at the first check. Every code is given a buffer too small for it (the tiny buffer
 * with a length claiming 64 bytes, or a length of 1), and an unreadable one. Sockets are
 * non-blocking, so that a code that waits for an event (an address change) returns instead.
 */
static void nonblocking(SOCKET s)
{
    u_long one = 1;
    assert_int_not_equal(s, INVALID_SOCKET);
    assert_int_equal(ioctlsocket(s, FIONBIO, &one), 0);
}

static const int option_levels[] = {SOL_SOCKET, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6};

/* Option names to try at a level: 0..0x50, and at SOL_SOCKET the 0x1000-0x7000 series. */
static int option_names(int level, int *names)
{
    int n = 0;
    for (int i = 0; i <= 0x50; i++) names[n++] = i;
    if (level == SOL_SOCKET) {
        static const int series[] = {0x1000, 0x2000, 0x3000, 0x7000};
        for (size_t k = 0; k < ARRAYSIZE(series); k++)
            for (int i = 0; i <= 0x10; i++) names[n++] = series[k] + i;
        names[n++] = (int)SO_DONTLINGER;
        names[n++] = (int)SO_EXCLUSIVEADDRUSE;
    }
    return n;
}

/* Control codes: every direction and family of the WSAIoctl code space up to 48, and the
   Unix-style codes ioctlsocket takes. */
static int control_codes(DWORD *codes)
{
    static const DWORD dirs[] = {IOC_VOID, IOC_OUT, IOC_IN, IOC_INOUT};
    static const DWORD families[] = {IOC_UNIX, IOC_WS2, IOC_PROTOCOL, IOC_VENDOR};
    int n = 0;
    for (size_t d = 0; d < ARRAYSIZE(dirs); d++)
        for (size_t f = 0; f < ARRAYSIZE(families); f++)
            for (DWORD i = 0; i <= 48; i++) codes[n++] = dirs[d] | families[f] | i;
    codes[n++] = (DWORD)FIONBIO;
    codes[n++] = (DWORD)FIONREAD;
    codes[n++] = (DWORD)SIOCATMARK;
    codes[n++] = (DWORD)SIO_GET_INTERFACE_LIST;
    return n;
}

static void test_option_and_control_codes_do_not_crash_or_hang_on_bad_buffers(void **state)
{
    HMODULE dll = GetModuleHandleA("ws2_32.dll");
    any_proc get = (any_proc)(void *)GetProcAddress(dll, "getsockopt");
    any_proc set = (any_proc)(void *)GetProcAddress(dll, "setsockopt");
    any_proc ioctl = (any_proc)(void *)GetProcAddress(dll, "ioctlsocket");
    any_proc wsaioctl = (any_proc)(void *)GetProcAddress(dll, "WSAIoctl");
    static int names[0x51 + 4 * 0x11 + 2];
    static DWORD codes[4 * 4 * 49 + 4];
    int ncodes = control_codes(codes), failures = 0, calls = 0;
    SOCKET sockets[3], server;
    char what[96];
    struct worker *w;
    (void)state;

    make_tiny_buffer();
    catch_start();
    w = new_worker();
    ws_test_tcp_pair(AF_INET, &sockets[2], &server);
    nonblocking(sockets[2]);

    for (size_t l = 0; l < ARRAYSIZE(option_levels); l++) {
        int level = option_levels[l], count = option_names(level, names);
        for (int o = 0; o < count; o++) {
            sockets[0] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            sockets[1] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
            nonblocking(sockets[0]);
            nonblocking(sockets[1]);
            for (int k = 0; k < 3; k++) {
                static const int lengths[] = {64, 1};
                ULONG_PTR s = sockets[k];
                for (size_t n = 0; n < ARRAYSIZE(lengths); n++) {
                    int len = lengths[n];
                    ULONG_PTR args[NARGS] = {s, (ULONG_PTR)level, (ULONG_PTR)names[o],
                                             (ULONG_PTR)tiny, (ULONG_PTR)&len};
                    snprintf(what, sizeof(what), "socket %d, level %#x, option %#x, length %d", k,
                             level, names[o], lengths[n]);
                    *tiny = 1;
                    checked_call(&w, "getsockopt", what, get, args, &failures);
                    len = lengths[n];
                    args[4] = (ULONG_PTR)len;
                    *tiny = 1;
                    checked_call(&w, "setsockopt", what, set, args, &failures);
                    calls += 2;
                }
                ULONG_PTR tiny_len[NARGS] = {s, (ULONG_PTR)level, (ULONG_PTR)names[o],
                                             (ULONG_PTR)tiny, (ULONG_PTR)tiny};
                snprintf(what, sizeof(what), "socket %d, level %#x, option %#x, tiny length", k,
                         level, names[o]);
                checked_call(&w, "getsockopt", what, get, tiny_len, &failures);
                tiny_len[3] = 1;
                tiny_len[4] = 4;
                snprintf(what, sizeof(what), "socket %d, level %#x, option %#x, value at 1", k,
                         level, names[o]);
                checked_call(&w, "setsockopt", what, set, tiny_len, &failures);
                calls += 2;
            }
            closesocket(sockets[0]);
            closesocket(sockets[1]);
        }
    }

    for (int c = 0; c < ncodes; c++) {
        sockets[0] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        sockets[1] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        nonblocking(sockets[0]);
        nonblocking(sockets[1]);
        nonblocking(sockets[2]); /* in case a code made it blocking */
        for (int k = 0; k < 3; k++) {
            DWORD bytes;
            ULONG_PTR s = sockets[k], t = (ULONG_PTR)tiny;
            ULONG_PTR variants[4][NARGS] = {
                {s, codes[c], t, 64, t, 64, (ULONG_PTR)&bytes},
                {s, codes[c], t, 1, t, 1, (ULONG_PTR)&bytes},
                {s, codes[c], 1, 8, 1, 8, (ULONG_PTR)&bytes},
                {s, codes[c], 0, 0, 0, 0, (ULONG_PTR)&bytes, t},
            };
            for (int v = 0; v < 4; v++) {
                snprintf(what, sizeof(what), "socket %d, code %#lx, variant %d", k,
                         (unsigned long)codes[c], v);
                *tiny = 1;
                checked_call(&w, "WSAIoctl", what, wsaioctl, variants[v], &failures);
                calls++;
            }
            for (int v = 0; v < 2; v++) {
                ULONG_PTR args[NARGS] = {s, codes[c], v ? 1 : t};
                snprintf(what, sizeof(what), "socket %d, command %#lx, argument %s", k,
                         (unsigned long)codes[c], v ? "1" : "tiny");
                *tiny = 1;
                checked_call(&w, "ioctlsocket", what, ioctl, args, &failures);
                calls++;
            }
        }
        closesocket(sockets[0]);
        closesocket(sockets[1]);
    }

    closesocket(sockets[2]);
    closesocket(server);
    catch_stop(w);
    print_message("%d calls, %d crashed or hung\n", calls, failures);
    if (failures) fail_msg("%d option or control calls crashed or hung (listed above)", failures);
}

/*
 * Calls with valid arguments but one pointer: each template below is first run as it is, then
 * once for each of its pointer arguments with that one replaced by the tiny buffer and once by 1.
 * The uniform patterns stop at the first bad argument; these reach the checks behind it.
 */
#define TOKEN(k)    (0xB0B0000000000000ull | (k))
#define IS_TOKEN(v) (((v)&0xFFFF000000000000ull) == 0xB0B0000000000000ull)
enum kind {
    K_TCP = 1, /* a fresh non-blocking TCP socket */
    K_UDP,     /* a non-blocking UDP socket bound to loopback */
    K_CONN,    /* a non-blocking connected TCP socket with 4 bytes waiting */
    K_LISTEN,  /* a non-blocking listening socket with a connection waiting */
    K_EVENT,   /* an event */
    K_PID,     /* this process's id */
    P_BUF,     /* pointers from here on: 4096 zero bytes */
    P_LEN,     /* an int (or DWORD) of 64 */
    P_DW,      /* a DWORD of 0 */
    P_ADDR,    /* a sockaddr_in of a loopback UDP port */
    P_WSABUF,  /* one WSABUF of 64 bytes */
    P_STR,     /* "127.0.0.1" */
    P_WSTR,    /* L"127.0.0.1" */
    P_OV,      /* a zeroed WSAOVERLAPPED */
    P_TV,      /* a zero timeval */
    P_POLL,    /* one WSAPOLLFD of a UDP socket */
    P_EVENTS,  /* an array of one event */
    P_PP,      /* a pointer variable */
    P_IN4,     /* an IN_ADDR of 127.0.0.1 */
    P_FDSET,   /* an fd_set of a UDP socket */
    P_MSG,     /* a WSAMSG of the one WSABUF to the sockaddr_in */
    P_ADDRS,   /* a SOCKET_ADDRESS_LIST of the sockaddr_in */
};
#define TCP_    TOKEN(K_TCP)
#define UDP_    TOKEN(K_UDP)
#define CONN_   TOKEN(K_CONN)
#define LISTEN_ TOKEN(K_LISTEN)
#define EVENT_  TOKEN(K_EVENT)
#define PID_    TOKEN(K_PID)
#define BUF_    TOKEN(P_BUF)
#define LEN_    TOKEN(P_LEN)
#define DW_     TOKEN(P_DW)
#define ADDR_   TOKEN(P_ADDR)
#define WSABUF_ TOKEN(P_WSABUF)
#define STR_    TOKEN(P_STR)
#define WSTR_   TOKEN(P_WSTR)
#define OV_     TOKEN(P_OV)
#define TV_     TOKEN(P_TV)
#define POLL_   TOKEN(P_POLL)
#define EVENTS_ TOKEN(P_EVENTS)
#define PP_     TOKEN(P_PP)
#define IN4_    TOKEN(P_IN4)
#define FDSET_  TOKEN(P_FDSET)
#define MSG_    TOKEN(P_MSG)
#define ADDRS_  TOKEN(P_ADDRS)

struct call_template {
    const char *name;
    ULONG_PTR args[NARGS];
};

static const struct call_template templates[] = {
    {"getsockname", {CONN_, BUF_, LEN_}},
    {"getpeername", {CONN_, BUF_, LEN_}},
    {"accept", {LISTEN_, BUF_, LEN_}},
    {"WSAAccept", {LISTEN_, BUF_, LEN_, 0, 0}},
    {"bind", {TCP_, ADDR_, sizeof(struct sockaddr_in)}},
    {"connect", {TCP_, ADDR_, sizeof(struct sockaddr_in)}},
    {"WSAConnect", {TCP_, ADDR_, sizeof(struct sockaddr_in), 0, 0, 0, 0}},
    {"send", {CONN_, BUF_, 4, 0}},
    {"recv", {CONN_, BUF_, 64, 0}},
    {"sendto", {UDP_, BUF_, 4, 0, ADDR_, sizeof(struct sockaddr_in)}},
    {"recvfrom", {UDP_, BUF_, 64, 0, BUF_, LEN_}},
    {"WSASend", {CONN_, WSABUF_, 1, DW_, 0, 0, 0}},
    {"WSARecv", {CONN_, WSABUF_, 1, DW_, DW_, 0, 0}},
    {"WSARecv", {CONN_, WSABUF_, 1, 0, DW_, OV_, 0}},
    {"WSASendTo", {UDP_, WSABUF_, 1, DW_, 0, ADDR_, sizeof(struct sockaddr_in), 0, 0}},
    {"WSARecvFrom", {UDP_, WSABUF_, 1, DW_, DW_, BUF_, LEN_, 0, 0}},
    {"WSAGetOverlappedResult", {CONN_, OV_, DW_, 0, DW_}},
    {"WSAEnumNetworkEvents", {TCP_, EVENT_, BUF_}},
    {"select", {0, FDSET_, FDSET_, FDSET_, TV_}},
    {"WSAPoll", {POLL_, 1, 0}},
    {"WSAWaitForMultipleEvents", {1, EVENTS_, 0, 0, 0}},
    {"__WSAFDIsSet", {TCP_, FDSET_}},
    {"WSADuplicateSocketA", {TCP_, PID_, BUF_}},
    {"WSADuplicateSocketW", {TCP_, PID_, BUF_}},
    {"WSASocketA", {AF_INET, SOCK_STREAM, 0, BUF_, 0, 0}},
    {"WSASocketW", {AF_INET, SOCK_STREAM, 0, BUF_, 0, 0}},
    {"WSAAddressToStringA", {ADDR_, sizeof(struct sockaddr_in), 0, BUF_, LEN_}},
    {"WSAAddressToStringW", {ADDR_, sizeof(struct sockaddr_in), 0, BUF_, LEN_}},
    {"WSAStringToAddressA", {STR_, AF_INET, 0, BUF_, LEN_}},
    {"WSAStringToAddressW", {WSTR_, AF_INET, 0, BUF_, LEN_}},
    {"inet_addr", {STR_}},
    {"inet_pton", {AF_INET, STR_, BUF_}},
    {"InetPtonW", {AF_INET, WSTR_, BUF_}},
    {"inet_ntop", {AF_INET, IN4_, BUF_, 64}},
    {"InetNtopW", {AF_INET, IN4_, BUF_, 32}},
    {"getaddrinfo", {STR_, 0, BUF_, PP_}},
    {"GetAddrInfoW", {WSTR_, 0, BUF_, PP_}},
    {"getnameinfo",
     {ADDR_, sizeof(struct sockaddr_in), BUF_, 64, BUF_, 64, NI_NUMERICHOST | NI_NUMERICSERV}},
    {"GetNameInfoW",
     {ADDR_, sizeof(struct sockaddr_in), BUF_, 32, BUF_, 32, NI_NUMERICHOST | NI_NUMERICSERV}},
    {"gethostbyname", {STR_}},
    {"getservbyname", {STR_, STR_}},
    {"getprotobyname", {STR_}},
    {"WSAHtonl", {TCP_, 1, DW_}},
    {"WSANtohl", {TCP_, 1, DW_}},
    {"WSAHtons", {TCP_, 1, DW_}},
    {"WSANtohs", {TCP_, 1, DW_}},
    {"WSAEnumProtocolsA", {0, BUF_, LEN_}},
    {"WSAEnumProtocolsW", {0, BUF_, LEN_}},
    {"WSCEnumProtocols", {0, BUF_, LEN_, DW_}},
    {"WSAEnumNameSpaceProvidersA", {LEN_, BUF_}},
    {"WSAEnumNameSpaceProvidersW", {LEN_, BUF_}},
    {"WSAGetServiceClassNameByClassIdA", {BUF_, BUF_, LEN_}},
    {"ioctlsocket", {CONN_, FIONREAD, DW_}},
    {"WSAIoctl", {CONN_, FIONREAD, 0, 0, BUF_, 4, DW_, 0, 0}},
    {"WSAIoctl", {TCP_, SIO_GET_EXTENSION_FUNCTION_POINTER, BUF_, 16, BUF_, 8, DW_, 0, 0}},
    {"getsockopt", {TCP_, SOL_SOCKET, SO_RCVBUF, BUF_, LEN_}},
    {"setsockopt", {TCP_, SOL_SOCKET, SO_RCVBUF, BUF_, 4}},
    {"WSAGetQOSByName", {TCP_, WSABUF_, BUF_}},
    {"WSASendDisconnect", {CONN_, WSABUF_}},
    {"WSAConnectByNameA", {TCP_, STR_, STR_, LEN_, BUF_, LEN_, BUF_, TV_, 0}},
    {"WSAConnectByList", {TCP_, ADDRS_, LEN_, BUF_, LEN_, BUF_, TV_, 0}},
    {"WSASendMsg", {UDP_, MSG_, 0, DW_, 0, 0}},
    {"gethostname", {BUF_, 64}},
    {"GetHostNameW", {BUF_, 64}},
    {"WSAEnumNameSpaceProvidersExA", {LEN_, BUF_}},
    {"WSAEnumNameSpaceProvidersExW", {LEN_, BUF_}},
    {"WSCEnumNameSpaceProviders32", {LEN_, BUF_}},
    {"WSAGetServiceClassInfoA", {BUF_, BUF_, LEN_, BUF_}},
    {"WSALookupServiceBeginA", {BUF_, LUP_RETURN_NAME, PP_}},
    {"WSAProviderConfigChange", {PP_, 0, 0}},
    {"WSCGetProviderPath", {BUF_, BUF_, LEN_, DW_}},
    {"WSCGetProviderInfo", {BUF_, 0, BUF_, PP_, 0, DW_}},
    {"WSCGetApplicationCategory", {WSTR_, 9, 0, 0, DW_, DW_}},
};

/* What the valid pointers point to, refilled before each call. */
static struct arena {
    char buf[4096];
    int len;
    DWORD dw;
    struct sockaddr_in addr;
    WSABUF wsabuf;
    char str[16];
    WCHAR wstr[16];
    WSAOVERLAPPED ov;
    struct timeval tv;
    WSAPOLLFD poll;
    HANDLE events[1];
    void *pp;
    IN_ADDR in4;
    fd_set fdset;
    WSAMSG msg;
    SOCKET_ADDRESS_LIST addrs;
} arena;

/* Sockets and handles one call made, closed after it. */
struct made {
    SOCKET sockets[8];
    int count;
    HANDLE event;
};

static SOCKET made_socket(struct made *m, SOCKET s)
{
    assert_int_not_equal(s, INVALID_SOCKET);
    m->sockets[m->count++] = s;
    return s;
}

static ULONG_PTR resolve(enum kind k, struct made *m, USHORT sink_port)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET s, other;
    switch (k) {
    case K_TCP:
        s = made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
        nonblocking(s);
        return s;
    case K_UDP:
        s = made_socket(m, socket(AF_INET, SOCK_DGRAM, 0));
        len = ws_test_loopback(AF_INET, 0, &addr);
        assert_int_equal(bind(s, (struct sockaddr *)&addr, len), 0);
        nonblocking(s);
        return s;
    case K_CONN:
        ws_test_tcp_pair(AF_INET, &s, &other);
        made_socket(m, s);
        made_socket(m, other);
        assert_int_equal(send(other, "data", 4, 0), 4);
        nonblocking(s);
        return s;
    case K_LISTEN:
        s = made_socket(m, ws_test_listener(AF_INET, &addr, &len));
        other = made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
        assert_int_equal(connect(other, (struct sockaddr *)&addr, len), 0);
        nonblocking(s);
        return s;
    case K_EVENT:
        if (!m->event) m->event = CreateEventW(NULL, TRUE, FALSE, NULL);
        return (ULONG_PTR)m->event;
    case K_PID: return GetCurrentProcessId();
    case P_BUF: return (ULONG_PTR)arena.buf;
    case P_LEN: return (ULONG_PTR)&arena.len;
    case P_DW: return (ULONG_PTR)&arena.dw;
    case P_ADDR:
        arena.addr.sin_family = AF_INET;
        arena.addr.sin_port = sink_port;
        arena.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return (ULONG_PTR)&arena.addr;
    case P_WSABUF:
        arena.wsabuf.len = 64;
        arena.wsabuf.buf = arena.buf;
        return (ULONG_PTR)&arena.wsabuf;
    case P_STR: strcpy(arena.str, "127.0.0.1"); return (ULONG_PTR)arena.str;
    case P_WSTR: wcscpy(arena.wstr, L"127.0.0.1"); return (ULONG_PTR)arena.wstr;
    case P_OV: return (ULONG_PTR)&arena.ov;
    case P_TV: return (ULONG_PTR)&arena.tv;
    case P_POLL:
        arena.poll.fd = resolve(K_UDP, m, sink_port);
        arena.poll.events = POLLRDNORM;
        return (ULONG_PTR)&arena.poll;
    case P_EVENTS:
        arena.events[0] = (HANDLE)resolve(K_EVENT, m, sink_port);
        return (ULONG_PTR)arena.events;
    case P_PP: return (ULONG_PTR)&arena.pp;
    case P_IN4: arena.in4.s_addr = htonl(INADDR_LOOPBACK); return (ULONG_PTR)&arena.in4;
    case P_MSG:
        arena.msg.lpBuffers = (LPWSABUF)resolve(P_WSABUF, m, sink_port);
        arena.msg.dwBufferCount = 1;
        arena.msg.name = (LPSOCKADDR)resolve(P_ADDR, m, sink_port);
        arena.msg.namelen = sizeof(struct sockaddr_in);
        return (ULONG_PTR)&arena.msg;
    case P_ADDRS:
        arena.addrs.iAddressCount = 1;
        arena.addrs.Address[0].lpSockaddr = (LPSOCKADDR)resolve(P_ADDR, m, sink_port);
        arena.addrs.Address[0].iSockaddrLength = sizeof(struct sockaddr_in);
        return (ULONG_PTR)&arena.addrs;
    case P_FDSET:
        if (!arena.fdset.fd_count) {
            arena.fdset.fd_array[0] = resolve(K_UDP, m, sink_port);
            arena.fdset.fd_count = 1;
        }
        return (ULONG_PTR)&arena.fdset;
    }
    return 0;
}

static void test_one_bad_pointer_among_valid_arguments_crashes_or_hangs_nothing(void **state)
{
    HMODULE dll = GetModuleHandleA("ws2_32.dll");
    struct sockaddr_storage sink_addr;
    int sink_len, failures = 0, calls = 0;
    SOCKET sink, sink_peer;
    USHORT sink_port;
    struct worker *w;
    char what[96];
    (void)state;

    make_tiny_buffer();
    /* Datagrams the calls send go to this loopback socket. */
    ws_test_udp_pair(AF_INET, &sink_peer, &sink, &sink_addr, &sink_len);
    sink_port = ((struct sockaddr_in *)&sink_addr)->sin_port;
    catch_start();
    w = new_worker();

    for (size_t t = 0; t < ARRAYSIZE(templates); t++) {
        const struct call_template *tp = &templates[t];
        any_proc proc = (any_proc)(void *)GetProcAddress(dll, tp->name);
        if (!proc) fail_msg("%s does not resolve", tp->name);
        /* Variant 0 as written; then position i (a pointer) tiny, then 1. */
        for (int v = 0; v <= 2 * NARGS; v++) {
            int bad_at = v ? (v - 1) / 2 : -1;
            ULONG_PTR bad = v % 2 ? (ULONG_PTR)tiny : 1, args[NARGS];
            struct made m = {0};

            if (bad_at >= 0 &&
                !(IS_TOKEN(tp->args[bad_at]) && (tp->args[bad_at] & 0xFFFF) >= P_BUF))
                continue;
            memset(&arena, 0, sizeof(arena));
            arena.len = 64;
            *tiny = 1;
            for (int i = 0; i < NARGS; i++) {
                ULONG_PTR a = tp->args[i];
                args[i] = i == bad_at   ? bad
                          : IS_TOKEN(a) ? resolve((enum kind)(a & 0xFFFF), &m, sink_port)
                                        : a;
            }
            if (bad_at < 0)
                snprintf(what, sizeof(what), "template %u, valid arguments", (unsigned)t);
            else
                snprintf(what, sizeof(what), "template %u, argument %d %s", (unsigned)t, bad_at + 1,
                         bad == 1 ? "1" : "tiny buffer");
            if (checked_call(&w, tp->name, what, proc, args, &failures) == HUNG) continue;
            calls++;
            for (int i = 0; i < m.count; i++) closesocket(m.sockets[i]);
            if (m.event) CloseHandle(m.event);
        }
    }

    catch_stop(w);
    closesocket(sink);
    closesocket(sink_peer);
    print_message("%d calls, %d crashed or hung\n", calls, failures);
    if (failures) fail_msg("%d calls crashed or hung (listed above)", failures);
}

/*
 * Valid outer structures with one inner pointer or length made bad: each case below fills its
 * call's arguments validly, then, for each of its fields in turn, spoils that one field three
 * ways (a pointer NULL, 1 or the tiny buffer; a length or count 0x7FFFFFFF, 0xFFFFFFFF or
 * 0x10001). Field -1 is the call as filled, except for calls that would change the catalog or a
 * namespace when they succeed: those run only with a bad field, and must fail.
 */

/* The last n bytes of the readable page before the inaccessible one. */
static void *edge(size_t n)
{
    return tiny + 1 - n;
}

static struct nest {
    char data[3][64];
    WSABUF bufs[3];
    char control[64];
    WSAMSG msg;
    struct sockaddr_in addr, addr2, from;
    int from_len, local_len, remote_len;
    DWORD bytes, flags, len;
    WSAOVERLAPPED ov;
    TRANSMIT_PACKETS_ELEMENT packets[2];
    TRANSMIT_FILE_BUFFERS tfb;
    char accept_buf[256];
    struct sockaddr *local, *remote;
    struct sockaddr_in local_addr, remote_addr;
    fd_set fds;
    WSAPOLLFD poll[2];
    WSANETWORKEVENTS net;
    HANDLE events[2];
    ADDRINFOA ai;
    ADDRINFOW aiw;
    struct ws_test_addrinfoex aix;
    void *res;
    char host[64], serv[64];
    WCHAR whost[64], wserv[64];
    WSAPROTOCOL_INFOA pia;
    WSAPROTOCOL_INFOW piw;
    WSAQUERYSETW q; /* the A form has the same layout */
    GUID guid;
    AFPROTOCOLS afp[1];
    CSADDR_INFO csa;
    BLOB blob;
    char blob_data[16];
    WSASERVICECLASSINFOW sc;
    WSANSCLASSINFOW ns;
    DWORD value;
    HANDLE lookup;
    struct {
        SOCKET_ADDRESS_LIST list;
        SOCKET_ADDRESS more;
    } addrs;
    struct timeval tv;
    struct ip_mreq mreq;
    struct ip_mreq_source mreq_source;
    struct ipv6_mreq mreq6;
    GROUP_REQ group;
    int protocols[2];
    char big[16384];
    unsigned char in6[16];
} nest;

static USHORT nest_sink_port;
static WSAPROTOCOL_INFOA tcp_info_a;
static WSAPROTOCOL_INFOW tcp_info_w;

enum nest_after {
    AFTER_NOTHING,
    AFTER_SOCKET,
    AFTER_ADDRINFO,
    AFTER_ADDRINFOW,
    AFTER_ADDRINFOEX,
    AFTER_LOOKUP,
    AFTER_CLASS,
    AFTER_PROVIDER
};

struct nest_case {
    const char *name;
    bool extension; /* a pointer from SIO_GET_EXTENSION_FUNCTION_POINTER */
    bool bad_only;  /* a call that must not succeed: no run with valid arguments */
    enum nest_after after;
    /* Fills args with field `field` spoiled by `bad` (pointers) or `huge` (lengths);
       false when the case has no such field. */
    bool (*fill)(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *args, struct made *m);
};

/* A bound non-blocking UDP socket with a datagram of 4 bytes waiting. */
static SOCKET udp_with_data(struct made *m)
{
    SOCKET s = resolve(K_UDP, m, 0), from = made_socket(m, socket(AF_INET, SOCK_DGRAM, 0));
    struct sockaddr_in to;
    int len = sizeof(to);
    assert_int_equal(getsockname(s, (struct sockaddr *)&to, &len), 0);
    assert_int_equal(sendto(from, "data", 4, 0, (struct sockaddr *)&to, len), 4);
    Sleep(1);
    return s;
}

/* A loopback listener of m's; its address in nest.addr. */
static SOCKET nest_listener(struct made *m)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = made_socket(m, ws_test_listener(AF_INET, &addr, &len));
    memcpy(&nest.addr, &addr, sizeof(nest.addr));
    return l;
}

static void sink_address(struct sockaddr_in *a)
{
    a->sin_family = AF_INET;
    a->sin_port = nest_sink_port;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* Three WSABUFs of `each` bytes; fields 0 and 1 spoil the middle one. */
static void fill_bufs(DWORD each, int field, ULONG_PTR bad, DWORD huge)
{
    for (int i = 0; i < 3; i++) {
        nest.bufs[i].buf = nest.data[i];
        nest.bufs[i].len = each;
        memcpy(nest.data[i], "abcd", 4);
    }
    if (field == 0) nest.bufs[1].buf = (char *)bad;
    if (field == 1) nest.bufs[1].len = huge;
}

static bool fill_msg(bool receive, int field, ULONG_PTR bad, DWORD huge)
{
    fill_bufs(receive ? 2 : 4, field, bad, huge);
    if (receive)
        nest.msg.name = (struct sockaddr *)&nest.from;
    else
        sink_address(&nest.addr), nest.msg.name = (struct sockaddr *)&nest.addr;
    nest.msg.namelen = sizeof(struct sockaddr_in);
    nest.msg.lpBuffers = nest.bufs;
    nest.msg.dwBufferCount = 3;
    switch (field) {
    case -1:
    case 0:
    case 1: break;
    case 2: nest.msg.name = (struct sockaddr *)bad; break;
    case 3: nest.msg.namelen = (int)huge; break;
    case 4: nest.msg.lpBuffers = (WSABUF *)bad; break;
    case 5: nest.msg.dwBufferCount = huge; break;
    case 6: nest.msg.Control.buf = (char *)bad, nest.msg.Control.len = 16; break;
    case 7: nest.msg.Control.buf = nest.control, nest.msg.Control.len = huge; break;
    case 8:
        nest.msg.lpBuffers = edge(sizeof(WSABUF));
        *(WSABUF *)edge(sizeof(WSABUF)) = nest.bufs[0];
        break;
    case 9: nest.msg.namelen = 1; break;
    default: return false;
    }
    return true;
}

static bool nest_WSASendMsg(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    a[0] = resolve(K_UDP, m, 0);
    a[1] = (ULONG_PTR)&nest.msg;
    a[3] = (ULONG_PTR)&nest.bytes;
    return fill_msg(false, field, bad, huge);
}

static bool nest_WSARecvMsg(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    a[0] = udp_with_data(m);
    a[1] = (ULONG_PTR)&nest.msg;
    a[2] = (ULONG_PTR)&nest.bytes;
    return fill_msg(true, field, bad, huge);
}

/* WSASend and WSARecv: the buffer array, its count. */
static bool nest_WSASend(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    fill_bufs(4, field, bad, huge);
    a[0] = resolve(K_CONN, m, 0);
    a[1] = (ULONG_PTR)nest.bufs;
    a[2] = field == 2 ? huge : 3;
    a[3] = (ULONG_PTR)&nest.bytes;
    return field < 3;
}

static bool nest_WSARecv(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    fill_bufs(2, field, bad, huge);
    a[0] = resolve(K_CONN, m, 0);
    Sleep(1);
    a[1] = (ULONG_PTR)nest.bufs;
    a[2] = field == 2 ? huge : 3;
    a[3] = (ULONG_PTR)&nest.bytes;
    a[4] = (ULONG_PTR)&nest.flags;
    return field < 3;
}

static bool nest_WSASendTo(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    fill_bufs(4, field, bad, huge);
    sink_address(&nest.addr);
    a[0] = resolve(K_UDP, m, 0);
    a[1] = (ULONG_PTR)nest.bufs;
    a[2] = field == 2 ? huge : 3;
    a[3] = (ULONG_PTR)&nest.bytes;
    a[5] = (ULONG_PTR)&nest.addr;
    a[6] = field == 3 ? huge : sizeof(nest.addr);
    if (field == 4) nest.addr.sin_family = (USHORT)huge;
    return field < 5;
}

static bool nest_WSARecvFrom(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    fill_bufs(2, field, bad, huge);
    nest.from_len = sizeof(nest.from);
    a[0] = udp_with_data(m);
    a[1] = (ULONG_PTR)nest.bufs;
    a[2] = field == 2 ? huge : 3;
    a[3] = (ULONG_PTR)&nest.bytes;
    a[4] = (ULONG_PTR)&nest.flags;
    a[5] = field == 3 ? bad : (ULONG_PTR)&nest.from;
    a[6] = field == 4 ? bad : (ULONG_PTR)&nest.from_len;
    if (field == 5) nest.from_len = (int)huge, a[5] = (ULONG_PTR)edge(sizeof(nest.from) / 2);
    if (field == 6) nest.from_len = 1;
    return field < 7;
}

static bool nest_TransmitPackets(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    for (int i = 0; i < 2; i++) {
        nest.packets[i].dwElFlags = TP_ELEMENT_MEMORY;
        nest.packets[i].cLength = 4;
        nest.packets[i].pBuffer = nest.data[i];
    }
    a[0] = resolve(K_CONN, m, 0);
    a[1] = (ULONG_PTR)nest.packets;
    a[2] = 2;
    switch (field) {
    case -1: break;
    case 0: nest.packets[1].pBuffer = (void *)bad; break;
    case 1: nest.packets[1].cLength = huge; break;
    case 2:
        nest.packets[1].dwElFlags = TP_ELEMENT_FILE;
        nest.packets[1].hFile = (HANDLE)bad;
        nest.packets[1].nFileOffset.QuadPart = 0;
        break;
    case 3:
        nest.packets[1].dwElFlags = TP_ELEMENT_FILE;
        nest.packets[1].hFile = INVALID_HANDLE_VALUE;
        nest.packets[1].cLength = huge;
        break;
    case 4: nest.packets[1].dwElFlags = huge; break;
    case 5: a[2] = huge; break;
    case 6: a[1] = bad; break;
    case 7:
        a[1] = (ULONG_PTR)edge(sizeof(nest.packets[0]));
        memcpy(edge(sizeof(nest.packets[0])), &nest.packets[0], sizeof(nest.packets[0]));
        break;
    default: return false;
    }
    return true;
}

static bool nest_TransmitFile(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    nest.tfb.Head = nest.data[0];
    nest.tfb.HeadLength = 4;
    nest.tfb.Tail = nest.data[1];
    nest.tfb.TailLength = 4;
    a[0] = resolve(K_CONN, m, 0);
    a[5] = (ULONG_PTR)&nest.tfb;
    switch (field) {
    case -1: break;
    case 0: nest.tfb.Head = (void *)bad; break;
    case 1: nest.tfb.HeadLength = huge; break;
    case 2: nest.tfb.Tail = (void *)bad; break;
    case 3: nest.tfb.TailLength = huge; break;
    case 4: a[5] = (ULONG_PTR)edge(sizeof(void *)); break;
    case 5: a[1] = bad == 0 ? (ULONG_PTR)INVALID_HANDLE_VALUE : bad; break;
    default: return false;
    }
    return true;
}

static bool nest_AcceptEx(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    DWORD each = sizeof(struct sockaddr_in) + 16;
    a[0] = nest_listener(m);
    a[1] = made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
    made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
    assert_int_equal(
        connect(m->sockets[m->count - 1], (struct sockaddr *)&nest.addr, sizeof(nest.addr)), 0);
    nest.ov.hEvent = (HANDLE)resolve(K_EVENT, m, 0);
    a[2] = (ULONG_PTR)nest.accept_buf;
    a[3] = 0;
    a[4] = each;
    a[5] = each;
    a[6] = (ULONG_PTR)&nest.bytes;
    a[7] = (ULONG_PTR)&nest.ov;
    switch (field) {
    case -1: break;
    case 0: a[2] = bad; break;
    case 1: a[3] = huge; break;
    case 2: a[4] = huge; break;
    case 3: a[5] = huge; break;
    case 4: a[2] = (ULONG_PTR)edge(each); break;
    case 5: a[4] = 1; break;
    case 6: a[3] = 64, a[2] = (ULONG_PTR)edge(2 * each); break;
    default: return false;
    }
    return true;
}

static bool nest_ConnectEx(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    struct sockaddr_in any = {.sin_family = AF_INET};
    nest_listener(m);
    a[0] = made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
    assert_int_equal(bind(a[0], (struct sockaddr *)&any, sizeof(any)), 0);
    nest.ov.hEvent = (HANDLE)resolve(K_EVENT, m, 0);
    a[1] = (ULONG_PTR)&nest.addr;
    a[2] = sizeof(nest.addr);
    a[3] = (ULONG_PTR)nest.data[0];
    a[4] = 4;
    a[5] = (ULONG_PTR)&nest.bytes;
    a[6] = (ULONG_PTR)&nest.ov;
    switch (field) {
    case -1: break;
    case 0: a[1] = bad; break;
    case 1: a[2] = huge; break;
    case 2: a[3] = bad; break;
    case 3: a[4] = huge; break;
    case 4: a[1] = (ULONG_PTR)edge(4); break;
    case 5: nest.addr.sin_family = (USHORT)huge; break;
    default: return false;
    }
    return true;
}

static bool nest_GetAcceptExSockaddrs(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                      struct made *m)
{
    DWORD each = sizeof(struct sockaddr_in) + 16;
    (void)m;
    a[0] = (ULONG_PTR)nest.accept_buf;
    a[1] = 0;
    a[2] = each;
    a[3] = each;
    a[4] = (ULONG_PTR)&nest.local;
    a[5] = (ULONG_PTR)&nest.local_len;
    a[6] = (ULONG_PTR)&nest.remote;
    a[7] = (ULONG_PTR)&nest.remote_len;
    switch (field) {
    case -1: break;
    case 0: a[0] = bad; break;
    case 1: a[1] = huge; break;
    case 2: a[2] = huge; break;
    case 3: a[3] = huge; break;
    case 4: a[4] = bad; break;
    case 5: a[5] = bad; break;
    case 6: a[6] = bad; break;
    case 7: a[7] = bad; break;
    case 8: a[0] = (ULONG_PTR)edge(each); break;
    case 9: memset(nest.accept_buf, 0xFF, sizeof(nest.accept_buf)); break;
    default: return false;
    }
    return true;
}

static bool nest_select(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    fd_set *at_edge = edge(sizeof(u_int) + 4 + sizeof(SOCKET)); /* fd_count, padding, one */
    (void)bad;
    nest.fds.fd_count = 1;
    nest.fds.fd_array[0] = resolve(K_UDP, m, 0);
    a[1] = (ULONG_PTR)&nest.fds;
    a[4] = (ULONG_PTR)&nest.tv;
    switch (field) {
    case -1: break;
    case 0: nest.fds.fd_count = huge; break;
    case 1: nest.fds.fd_count = FD_SETSIZE + 1; break;
    case 2: nest.fds.fd_array[0] = huge; break;
    case 3:
        at_edge->fd_count = 2;
        at_edge->fd_array[0] = nest.fds.fd_array[0];
        a[1] = (ULONG_PTR)at_edge;
        break;
    case 4: a[3] = a[1], a[1] = 0, nest.fds.fd_count = huge; break;
    default: return false;
    }
    return true;
}

static bool nest_WSAPoll(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    WSAPOLLFD *at_edge = edge(sizeof(WSAPOLLFD));
    (void)bad;
    nest.poll[0].fd = resolve(K_UDP, m, 0);
    nest.poll[0].events = POLLRDNORM;
    a[0] = (ULONG_PTR)nest.poll;
    a[1] = 1;
    switch (field) {
    case -1: break;
    case 0: a[1] = huge; break;
    case 1: *at_edge = nest.poll[0], a[0] = (ULONG_PTR)at_edge, a[1] = 2; break;
    case 2: *at_edge = nest.poll[0], a[0] = (ULONG_PTR)at_edge, a[1] = huge; break;
    case 3: nest.poll[0].fd = huge; break;
    case 4: nest.poll[0].events = (SHORT)huge; break;
    default: return false;
    }
    return true;
}

static bool nest_WSAEnumNetworkEvents(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                      struct made *m)
{
    (void)bad, (void)huge;
    a[0] = resolve(K_CONN, m, 0);
    a[1] = resolve(K_EVENT, m, 0);
    assert_int_equal(WSAEventSelect(a[0], (HANDLE)a[1], FD_READ), 0);
    a[2] = (ULONG_PTR)&nest.net;
    if (field == 0) a[2] = (ULONG_PTR)edge(sizeof(nest.net) - 8);
    return field < 1;
}

static bool nest_WSAWaitForMultipleEvents(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                          struct made *m)
{
    HANDLE *at_edge = edge(sizeof(HANDLE));
    nest.events[0] = (HANDLE)resolve(K_EVENT, m, 0);
    nest.events[1] = nest.events[0];
    a[0] = 2;
    a[1] = (ULONG_PTR)nest.events;
    switch (field) {
    case -1: break;
    case 0: a[0] = huge; break;
    case 1: *at_edge = nest.events[0], a[1] = (ULONG_PTR)at_edge; break;
    case 2: nest.events[1] = (HANDLE)bad; break;
    case 3: nest.events[0] = (HANDLE)(ULONG_PTR)huge; break;
    default: return false;
    }
    return true;
}

/* The ANSI and UTF-16 cases of a call whose arguments FILL lays out for either form. */
#define NEST_BOTH_FORMS(name, fill)                                                                \
    static bool nest_##name##A(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m) \
    {                                                                                              \
        (void)m;                                                                                   \
        return fill(false, field, bad, huge, a);                                                   \
    }                                                                                              \
    static bool nest_##name##W(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m) \
    {                                                                                              \
        (void)m;                                                                                   \
        return fill(true, field, bad, huge, a);                                                    \
    }

/* getaddrinfo and GetAddrInfoW share the hints' layout. */
static bool fill_hints(ADDRINFOA *h, int field, ULONG_PTR bad, DWORD huge)
{
    h->ai_flags = AI_NUMERICHOST;
    h->ai_family = AF_INET;
    switch (field) {
    case -1: break;
    case 0: h->ai_addr = (struct sockaddr *)bad; break;
    case 1: h->ai_canonname = (char *)bad; break;
    case 2: h->ai_next = (ADDRINFOA *)bad; break;
    case 3: h->ai_addrlen = huge; break;
    case 4: h->ai_flags = (int)huge; break;
    case 5: h->ai_family = (int)huge; break;
    case 6: h->ai_socktype = (int)huge; break;
    case 7: h->ai_protocol = (int)huge; break;
    case 8: h->ai_flags = (int)(huge | AI_EXTENDED_); break;
    default: return false;
    }
    return true;
}

static bool nest_getaddrinfo(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    strcpy(nest.host, "127.0.0.1");
    strcpy(nest.serv, "80");
    a[0] = (ULONG_PTR)nest.host;
    a[1] = (ULONG_PTR)nest.serv;
    a[2] = (ULONG_PTR)&nest.ai;
    a[3] = (ULONG_PTR)&nest.res;
    return fill_hints(&nest.ai, field, bad, huge);
}

static bool nest_GetAddrInfoW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    wcscpy(nest.whost, L"127.0.0.1");
    wcscpy(nest.wserv, L"80");
    a[0] = (ULONG_PTR)nest.whost;
    a[1] = (ULONG_PTR)nest.wserv;
    a[2] = (ULONG_PTR)&nest.aiw;
    a[3] = (ULONG_PTR)&nest.res;
    return fill_hints((ADDRINFOA *)&nest.aiw, field, bad, huge);
}

static bool fill_hints_ex(int field, ULONG_PTR bad, DWORD huge)
{
    ADDRINFOEXW *h = &nest.aix.base;
    /* The members up to ai_protocol lie as in addrinfo, and ai_next does not (ai_blob, ai_bloblen
       and ai_provider come before it): each documented member is spoiled in its own place. */
    if (field >= 4 && field < 9) return fill_hints((ADDRINFOA *)h, field, bad, huge);
    h->ai_flags = AI_NUMERICHOST;
    h->ai_family = AF_INET;
    switch (field) {
    case -1: break;
    case 0: h->ai_addr = (struct sockaddr *)bad; break;
    case 1: h->ai_canonname = (PWSTR)bad; break;
    case 2: h->ai_next = (void *)bad; break;
    case 3: h->ai_addrlen = huge; break;
    case 9: h->ai_blob = (void *)bad, h->ai_bloblen = 16; break;
    case 10: h->ai_blob = nest.blob_data, h->ai_bloblen = huge; break;
    case 11: h->ai_provider = (GUID *)bad; break;
    case 12: h->ai_flags |= AI_EXTENDED_, nest.aix.ai_version = (int)huge; break;
    case 13:
        h->ai_flags |= AI_EXTENDED_, nest.aix.ai_version = 2, nest.aix.ai_fqdn = (PWSTR)bad;
        break;
    case 14: h->ai_flags |= AI_EXTENDED_, nest.aix.ai_version = 4; break;
    case 15:
        h->ai_flags |= AI_EXTENDED_, nest.aix.ai_version = 6;
        nest.aix.ai_numservers = 1, nest.aix.ai_servers = (void *)bad;
        break;
    case 16:
        h->ai_flags |= AI_EXTENDED_, nest.aix.ai_version = 6, nest.aix.ai_numservers = huge;
        break;
    default: return false;
    }
    return true;
}

static bool nest_GetAddrInfoExA(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    strcpy(nest.host, "127.0.0.1");
    strcpy(nest.serv, "80");
    a[0] = (ULONG_PTR)nest.host;
    a[1] = (ULONG_PTR)nest.serv;
    a[2] = NS_ALL;
    a[4] = (ULONG_PTR)&nest.aix;
    a[5] = (ULONG_PTR)&nest.res;
    if (field == 17) {
        fill_hints_ex(-1, bad, huge);
        a[3] = bad ? bad : 1;
        return true;
    }
    return fill_hints_ex(field, bad, huge);
}

static bool nest_GetAddrInfoExW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    bool more = nest_GetAddrInfoExA(field, bad, huge, a, m);
    wcscpy(nest.whost, L"127.0.0.1");
    wcscpy(nest.wserv, L"80");
    a[0] = (ULONG_PTR)nest.whost;
    a[1] = (ULONG_PTR)nest.wserv;
    return more;
}

static bool fill_nameinfo(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    DWORD chars = wide ? ARRAYSIZE(nest.whost) : sizeof(nest.host);
    struct sockaddr_in *at_edge = edge(2);
    nest.addr.sin_family = AF_INET;
    nest.addr.sin_port = htons(80);
    nest.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a[0] = (ULONG_PTR)&nest.addr;
    a[1] = sizeof(nest.addr);
    a[2] = wide ? (ULONG_PTR)nest.whost : (ULONG_PTR)nest.host;
    a[3] = chars;
    a[4] = wide ? (ULONG_PTR)nest.wserv : (ULONG_PTR)nest.serv;
    a[5] = chars;
    a[6] = NI_NUMERICHOST | NI_NUMERICSERV;
    switch (field) {
    case -1: break;
    case 0: a[1] = 2; break;
    case 1: at_edge->sin_family = AF_INET, a[0] = (ULONG_PTR)at_edge; break;
    case 2: nest.addr.sin_family = (USHORT)huge; break;
    case 3: a[1] = huge; break;
    case 4: a[2] = bad; break;
    case 5: a[4] = bad; break;
    case 6: a[2] = (ULONG_PTR)edge(4), a[3] = huge; break;
    case 7: a[4] = (ULONG_PTR)edge(2), a[5] = huge; break;
    default: return false;
    }
    return true;
}

static bool nest_getnameinfo(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    return fill_nameinfo(false, field, bad, huge, a);
}

static bool nest_GetNameInfoW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    return fill_nameinfo(true, field, bad, huge, a);
}

static bool nest_inet_pton(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)bad, (void)m;
    strcpy(nest.host, "127.0.0.1");
    a[0] = AF_INET;
    a[1] = (ULONG_PTR)nest.host;
    a[2] = (ULONG_PTR)nest.in6;
    switch (field) {
    case -1: break;
    case 0: memcpy(edge(4), "1.2.", 4), a[1] = (ULONG_PTR)edge(4); break;
    case 1: a[0] = huge; break;
    case 2: strcpy(nest.host, "::1"), a[0] = AF_INET6, a[2] = (ULONG_PTR)edge(4); break;
    default: return false;
    }
    return true;
}

static bool nest_InetPtonW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)bad, (void)m;
    wcscpy(nest.whost, L"127.0.0.1");
    a[0] = AF_INET;
    a[1] = (ULONG_PTR)nest.whost;
    a[2] = (ULONG_PTR)nest.in6;
    switch (field) {
    case -1: break;
    case 0: memcpy(edge(8), L"1.2.", 8), a[1] = (ULONG_PTR)edge(8); break;
    case 1: a[0] = huge; break;
    case 2: wcscpy(nest.whost, L"::1"), a[0] = AF_INET6, a[2] = (ULONG_PTR)edge(4); break;
    default: return false;
    }
    return true;
}

static bool fill_ntop(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    (void)bad;
    memset(nest.in6, 0, sizeof(nest.in6));
    nest.in6[15] = 1;
    a[0] = AF_INET6;
    a[1] = (ULONG_PTR)nest.in6;
    a[2] = wide ? (ULONG_PTR)nest.whost : (ULONG_PTR)nest.host;
    a[3] = 46;
    switch (field) {
    case -1: break;
    case 0: a[1] = (ULONG_PTR)edge(4); break;
    case 1: a[2] = (ULONG_PTR)edge(2), a[3] = huge; break;
    case 2: a[0] = huge; break;
    default: return false;
    }
    return true;
}

static bool nest_inet_ntop(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    return fill_ntop(false, field, bad, huge, a);
}

static bool nest_InetNtopW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    return fill_ntop(true, field, bad, huge, a);
}

/* A protocol entry full of garbage, or the TCP one with its chain length spoiled. */
static void *spoiled_info(bool wide, int which, DWORD huge)
{
    if (wide) {
        nest.piw = tcp_info_w;
        if (which == 0) nest.piw.ProtocolChain.ChainLen = (int)huge;
        if (which == 1) memset(&nest.piw, 0xFF, sizeof(nest.piw));
        return &nest.piw;
    }
    nest.pia = tcp_info_a;
    if (which == 0) nest.pia.ProtocolChain.ChainLen = (int)huge;
    if (which == 1) memset(&nest.pia, 0xFF, sizeof(nest.pia));
    return &nest.pia;
}

static bool fill_string_to_address(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    strcpy(nest.host, "127.0.0.1");
    wcscpy(nest.whost, L"127.0.0.1");
    nest.from_len = sizeof(nest.from);
    a[0] = wide ? (ULONG_PTR)nest.whost : (ULONG_PTR)nest.host;
    a[1] = AF_INET;
    a[3] = (ULONG_PTR)&nest.from;
    a[4] = (ULONG_PTR)&nest.from_len;
    switch (field) {
    case -1: break;
    case 0: a[2] = bad; break;
    case 1: a[2] = (ULONG_PTR)spoiled_info(wide, 0, huge); break;
    case 2: a[2] = (ULONG_PTR)spoiled_info(wide, 1, huge); break;
    case 3: a[2] = (ULONG_PTR)edge(16); break;
    case 4: nest.from_len = (int)huge, a[3] = (ULONG_PTR)edge(4); break;
    case 5: nest.from_len = 1; break;
    default: return false;
    }
    return true;
}

NEST_BOTH_FORMS(WSAStringToAddress, fill_string_to_address)

static bool fill_address_to_string(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    nest.addr.sin_family = AF_INET;
    nest.addr.sin_port = htons(80);
    nest.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    nest.len = 64;
    a[0] = (ULONG_PTR)&nest.addr;
    a[1] = sizeof(nest.addr);
    a[3] = wide ? (ULONG_PTR)nest.whost : (ULONG_PTR)nest.host;
    a[4] = (ULONG_PTR)&nest.len;
    switch (field) {
    case -1: break;
    case 0: a[2] = bad; break;
    case 1: a[2] = (ULONG_PTR)spoiled_info(wide, 0, huge); break;
    case 2: a[2] = (ULONG_PTR)spoiled_info(wide, 1, huge); break;
    case 3: a[2] = (ULONG_PTR)edge(16); break;
    case 4: a[1] = huge, a[0] = (ULONG_PTR)memcpy(edge(16), &nest.addr, 16); break;
    case 5: nest.len = huge, a[3] = (ULONG_PTR)edge(4); break;
    case 6: nest.addr.sin_family = (USHORT)huge; break;
    default: return false;
    }
    return true;
}

NEST_BOTH_FORMS(WSAAddressToString, fill_address_to_string)

/* A query set for the local host's name (no lookup leaves the machine), one field spoiled.
   The A and W forms share the layout; strings are narrow or wide as asked. */
static bool fill_query(bool wide, int field, ULONG_PTR bad, DWORD huge)
{
    static const GUID hostname = SVCID_HOSTNAME;
    WSAQUERYSETW *q = &nest.q;
    nest.guid = hostname;
    q->dwSize = sizeof(*q);
    q->lpServiceClassId = &nest.guid;
    q->dwNameSpace = NS_ALL;
    nest.afp[0].iAddressFamily = AF_INET;
    nest.afp[0].iProtocol = IPPROTO_TCP;
    sink_address(&nest.addr);
    nest.csa.LocalAddr.lpSockaddr = (struct sockaddr *)&nest.addr;
    nest.csa.LocalAddr.iSockaddrLength = sizeof(nest.addr);
    nest.blob.cbSize = sizeof(nest.blob_data);
    nest.blob.pBlobData = (BYTE *)nest.blob_data;
    switch (field) {
    case -1: break;
    case 0: q->lpServiceClassId = (GUID *)bad; break;
    case 1: q->lpszServiceInstanceName = (WCHAR *)bad; break;
    case 2: q->lpafpProtocols = (AFPROTOCOLS *)bad, q->dwNumberOfProtocols = 1; break;
    case 3: q->lpafpProtocols = nest.afp, q->dwNumberOfProtocols = huge; break;
    case 4: q->lpcsaBuffer = (CSADDR_INFO *)bad, q->dwNumberOfCsAddrs = 1; break;
    case 5: q->lpcsaBuffer = &nest.csa, q->dwNumberOfCsAddrs = huge; break;
    case 6: q->lpBlob = (BLOB *)bad; break;
    case 7: q->lpBlob = &nest.blob, nest.blob.pBlobData = (BYTE *)bad; break;
    case 8: q->lpBlob = &nest.blob, nest.blob.cbSize = huge; break;
    case 9: q->lpNSProviderId = (GUID *)bad; break;
    case 10: q->lpVersion = (WSAVERSION *)bad; break;
    case 11: q->lpszContext = (WCHAR *)bad; break;
    case 12: q->lpszQueryString = (WCHAR *)bad; break;
    case 13: q->dwSize = huge; break;
    case 14: q->lpszComment = (WCHAR *)bad; break;
    case 15:
        q->lpcsaBuffer = &nest.csa, q->dwNumberOfCsAddrs = 1,
        nest.csa.LocalAddr.lpSockaddr = (struct sockaddr *)bad;
        break;
    case 16:
        q->lpszServiceInstanceName =
            wide ? (WCHAR *)memcpy(edge(4), L"ab", 4) : (WCHAR *)memcpy(edge(2), "ab", 2);
        break;
    default: return false;
    }
    return true;
}

static bool nest_WSALookupServiceBeginA(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                        struct made *m)
{
    (void)m;
    a[0] = (ULONG_PTR)&nest.q;
    a[1] = LUP_RETURN_NAME;
    a[2] = (ULONG_PTR)&nest.lookup;
    if (field == 17) return fill_query(false, -1, bad, huge), a[0] = (ULONG_PTR)edge(8), true;
    return fill_query(false, field, bad, huge);
}

static bool nest_WSALookupServiceBeginW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                        struct made *m)
{
    (void)m;
    a[0] = (ULONG_PTR)&nest.q;
    a[1] = LUP_RETURN_NAME;
    a[2] = (ULONG_PTR)&nest.lookup;
    if (field == 17) return fill_query(true, -1, bad, huge), a[0] = (ULONG_PTR)edge(8), true;
    return fill_query(true, field, bad, huge);
}

static bool fill_lookup_next(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    fill_query(wide, -1, 0, 0);
    nest.lookup = NULL;
    if ((wide ? WSALookupServiceBeginW(&nest.q, LUP_RETURN_NAME, &nest.lookup)
              : WSALookupServiceBeginA((WSAQUERYSETA *)&nest.q, LUP_RETURN_NAME, &nest.lookup)))
        fail_msg("a lookup of the host name does not begin: %d", WSAGetLastError());
    nest.len = sizeof(nest.big);
    a[0] = (ULONG_PTR)nest.lookup;
    a[1] = LUP_RETURN_NAME;
    a[2] = (ULONG_PTR)&nest.len;
    a[3] = (ULONG_PTR)nest.big;
    switch (field) {
    case -1: break;
    case 0: nest.len = 4; break;
    case 1: a[3] = bad; break;
    case 2: a[2] = bad; break;
    case 3: nest.len = huge, a[3] = (ULONG_PTR)edge(64); break;
    case 4: a[3] = (ULONG_PTR)edge(8); break;
    default: WSALookupServiceEnd(nest.lookup); return false;
    }
    return true;
}

NEST_BOTH_FORMS(WSALookupServiceNext, fill_lookup_next)

static bool nest_WSASetServiceA(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    a[0] = (ULONG_PTR)&nest.q;
    a[1] = RNRSERVICE_REGISTER;
    if (field == 17) return fill_query(false, -1, bad, huge), a[0] = (ULONG_PTR)edge(8), true;
    return fill_query(false, field, bad, huge);
}

static bool nest_WSASetServiceW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    (void)m;
    a[0] = (ULONG_PTR)&nest.q;
    a[1] = RNRSERVICE_REGISTER;
    if (field == 17) return fill_query(true, -1, bad, huge), a[0] = (ULONG_PTR)edge(8), true;
    return fill_query(true, field, bad, huge);
}

static bool fill_class(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    static const GUID made_up = {0x6f0d1b52, 0x2c1e, 0x4f0b, {1, 2, 3, 4, 5, 6, 7, 8}};
    nest.guid = made_up;
    nest.value = 1;
    nest.sc.lpServiceClassId = &nest.guid;
    nest.sc.lpszServiceClassName = wide ? (WCHAR *)L"x" : (WCHAR *)"x";
    nest.sc.dwCount = 1;
    nest.sc.lpClassInfos = &nest.ns;
    nest.ns.lpszName = wide ? (WCHAR *)L"y" : (WCHAR *)"y";
    nest.ns.dwNameSpace = NS_DNS;
    nest.ns.dwValueType = REG_DWORD;
    nest.ns.dwValueSize = sizeof(nest.value);
    nest.ns.lpValue = &nest.value;
    a[0] = (ULONG_PTR)&nest.sc;
    switch (field) {
    case 0: nest.sc.lpServiceClassId = (GUID *)bad; break;
    case 1: nest.sc.lpszServiceClassName = (WCHAR *)bad; break;
    case 2: nest.sc.dwCount = huge; break;
    case 3: nest.sc.lpClassInfos = (WSANSCLASSINFOW *)bad; break;
    case 4: nest.ns.lpszName = (WCHAR *)bad; break;
    case 5: nest.ns.lpValue = (void *)bad; break;
    case 6: nest.ns.dwValueSize = huge; break;
    case 7: a[0] = (ULONG_PTR)edge(8); break;
    case 8:
        nest.sc.dwCount = 2,
        nest.sc.lpClassInfos = memcpy(edge(sizeof(nest.ns)), &nest.ns, sizeof(nest.ns));
        break;
    default: return false;
    }
    return true;
}

NEST_BOTH_FORMS(WSAInstallServiceClass, fill_class)

static bool fill_socket(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    (void)bad;
    a[0] = a[1] = a[2] = (ULONG_PTR)FROM_PROTOCOL_INFO;
    a[3] = (ULONG_PTR)spoiled_info(wide, -1, huge);
    switch (field) {
    case -1: break;
    case 0: spoiled_info(wide, 0, huge); break;
    case 1: spoiled_info(wide, 1, huge); break;
    case 2: nest.pia.dwCatalogEntryId = nest.piw.dwCatalogEntryId = huge; break;
    case 3: nest.pia.iAddressFamily = nest.piw.iAddressFamily = (int)huge; break;
    case 4: nest.pia.iSocketType = nest.piw.iSocketType = (int)huge; break;
    case 5: nest.pia.iProtocol = nest.piw.iProtocol = (int)huge; break;
    case 6:
        nest.pia.ProtocolChain.ChainLen = nest.piw.ProtocolChain.ChainLen = 2;
        nest.pia.ProtocolChain.ChainEntries[0] = nest.piw.ProtocolChain.ChainEntries[0] = huge;
        nest.pia.ProtocolChain.ChainEntries[1] = nest.piw.ProtocolChain.ChainEntries[1] = huge;
        break;
    case 7: a[3] = (ULONG_PTR)edge(64); break;
    case 8: a[0] = AF_INET, a[1] = SOCK_STREAM, a[2] = 0, spoiled_info(wide, 1, huge); break;
    default: return false;
    }
    return true;
}

NEST_BOTH_FORMS(WSASocket, fill_socket)

static bool nest_WSADuplicateSocketA(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                     struct made *m)
{
    (void)bad, (void)huge;
    a[0] = resolve(K_TCP, m, 0);
    a[1] = GetCurrentProcessId();
    a[2] = (ULONG_PTR)(field == 0 ? edge(sizeof(WSAPROTOCOL_INFOA) / 2) : &nest.pia);
    return field < 1;
}

static bool nest_WSADuplicateSocketW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                     struct made *m)
{
    (void)bad, (void)huge;
    a[0] = resolve(K_TCP, m, 0);
    a[1] = GetCurrentProcessId();
    a[2] = (ULONG_PTR)(field == 0 ? edge(sizeof(WSAPROTOCOL_INFOW) / 2) : &nest.piw);
    return field < 1;
}

static bool fill_enum(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a)
{
    (void)bad;
    nest.protocols[0] = IPPROTO_TCP;
    nest.protocols[1] = 0;
    nest.len = sizeof(nest.big);
    a[0] = (ULONG_PTR)nest.protocols;
    a[1] = (ULONG_PTR)nest.big;
    a[2] = (ULONG_PTR)&nest.len;
    a[3] = (ULONG_PTR)&nest.value;
    switch (field) {
    case -1: break;
    case 0: *(int *)edge(4) = IPPROTO_TCP, a[0] = (ULONG_PTR)edge(4); break;
    case 1: nest.len = huge, a[1] = (ULONG_PTR)edge(64); break;
    case 2: nest.len = huge; break;
    case 3: nest.protocols[0] = (int)huge; break;
    default: return false;
    }
    return true;
}

static bool nest_WSAEnumProtocols(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                  struct made *m)
{
    (void)m;
    return fill_enum(field, bad, huge, a);
}

static bool nest_WSCInstallProvider(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                    struct made *m)
{
    static const GUID made_up = {0x6f0d1b53, 0x2c1e, 0x4f0b, {1, 2, 3, 4, 5, 6, 7, 8}};
    (void)m;
    nest.guid = made_up;
    wcscpy(nest.wserv, L"%SystemRoot%\\system32\\mswsock.dll");
    a[0] = (ULONG_PTR)&nest.guid;
    a[1] = (ULONG_PTR)nest.wserv;
    a[2] = (ULONG_PTR)spoiled_info(true, -1, huge);
    nest.piw.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    a[3] = 1;
    a[4] = (ULONG_PTR)&nest.value;
    switch (field) {
    case 0: nest.piw.ProtocolChain.ChainLen = (int)huge; break;
    case 1:
        nest.piw.ProtocolChain.ChainLen = 2;
        nest.piw.ProtocolChain.ChainEntries[0] = nest.piw.ProtocolChain.ChainEntries[1] = huge;
        break;
    case 2: a[2] = (ULONG_PTR)edge(64); break;
    case 3: a[3] = huge; break;
    case 4: a[1] = bad; break;
    case 5: a[0] = bad; break;
    case 6:
        a[3] = 2, a[2] = (ULONG_PTR)memcpy(edge(sizeof(nest.piw)), &nest.piw, sizeof(nest.piw));
        break;
    default: return false;
    }
    return true;
}

static bool nest_WSAConnectByList(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                  struct made *m)
{
    SOCKET_ADDRESS_LIST *at_edge = edge(sizeof(INT) + 4 + sizeof(SOCKET_ADDRESS));
    nest_listener(m);
    nest.addr2 = nest.addr;
    nest.addrs.list.iAddressCount = 2;
    nest.addrs.list.Address[0].lpSockaddr = (struct sockaddr *)&nest.addr;
    nest.addrs.list.Address[0].iSockaddrLength = sizeof(nest.addr);
    nest.addrs.more.lpSockaddr = (struct sockaddr *)&nest.addr2;
    nest.addrs.more.iSockaddrLength = sizeof(nest.addr2);
    nest.local_len = nest.remote_len = sizeof(nest.local_addr);
    nest.tv.tv_sec = 2;
    a[0] = made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
    a[1] = (ULONG_PTR)&nest.addrs;
    a[2] = (ULONG_PTR)&nest.local_len;
    a[3] = (ULONG_PTR)&nest.local_addr;
    a[4] = (ULONG_PTR)&nest.remote_len;
    a[5] = (ULONG_PTR)&nest.remote_addr;
    a[6] = (ULONG_PTR)&nest.tv;
    switch (field) {
    case -1: break;
    case 0: nest.addrs.list.iAddressCount = (INT)huge; break;
    case 1: nest.addrs.more.lpSockaddr = (struct sockaddr *)bad; break;
    case 2: nest.addrs.more.iSockaddrLength = (INT)huge; break;
    case 3: nest.addrs.list.Address[0].lpSockaddr = (struct sockaddr *)bad; break;
    case 4: *at_edge = nest.addrs.list, a[1] = (ULONG_PTR)at_edge; break;
    case 5: nest.addrs.list.Address[0].lpSockaddr = edge(4); break;
    case 6: nest.local_len = (int)huge, a[3] = (ULONG_PTR)edge(4); break;
    case 7: nest.remote_len = 1; break;
    case 8: nest.addrs.list.Address[0].iSockaddrLength = 1; break;
    default: return false;
    }
    return true;
}

static bool fill_connect_by_name(bool wide, int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                 struct made *m)
{
    nest_listener(m);
    snprintf(nest.serv, sizeof(nest.serv), "%u", ntohs(nest.addr.sin_port));
    strcpy(nest.host, "127.0.0.1");
    MultiByteToWideChar(CP_ACP, 0, nest.serv, -1, nest.wserv, ARRAYSIZE(nest.wserv));
    wcscpy(nest.whost, L"127.0.0.1");
    nest.local_len = nest.remote_len = sizeof(nest.local_addr);
    nest.tv.tv_sec = 2;
    a[0] = made_socket(m, socket(AF_INET, SOCK_STREAM, 0));
    a[1] = wide ? (ULONG_PTR)nest.whost : (ULONG_PTR)nest.host;
    a[2] = wide ? (ULONG_PTR)nest.wserv : (ULONG_PTR)nest.serv;
    a[3] = (ULONG_PTR)&nest.local_len;
    a[4] = (ULONG_PTR)&nest.local_addr;
    a[5] = (ULONG_PTR)&nest.remote_len;
    a[6] = (ULONG_PTR)&nest.remote_addr;
    a[7] = (ULONG_PTR)&nest.tv;
    switch (field) {
    case -1: break;
    case 0: a[1] = bad; break;
    case 1: a[2] = bad; break;
    case 2: a[3] = bad; break;
    case 3: a[4] = bad; break;
    case 4: nest.local_len = (int)huge, a[4] = (ULONG_PTR)edge(4); break;
    case 5: nest.remote_len = 1; break;
    case 6: a[6] = bad; break;
    case 7: a[7] = bad; break;
    case 8: a[1] = (ULONG_PTR)memcpy(edge(2), "12", 2); break;
    default: return false;
    }
    return true;
}

static bool nest_WSAConnectByNameA(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                   struct made *m)
{
    return fill_connect_by_name(false, field, bad, huge, a, m);
}

static bool nest_WSAConnectByNameW(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a,
                                   struct made *m)
{
    return fill_connect_by_name(true, field, bad, huge, a, m);
}

/* Multicast joins with garbage in them; none may succeed, so no join is made on any link. */
static bool nest_setsockopt(int field, ULONG_PTR bad, DWORD huge, ULONG_PTR *a, struct made *m)
{
    struct sockaddr_in *group = (struct sockaddr_in *)&nest.group.gr_group;
    (void)bad;
    a[0] = resolve(K_UDP, m, 0);
    a[1] = IPPROTO_IP;
    nest.mreq.imr_multiaddr.s_addr = htonl(0xEFFF0001); /* 239.255.0.1 */
    nest.mreq.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
    nest.group.gr_interface = 1;
    group->sin_family = AF_INET;
    group->sin_addr.s_addr = htonl(0xEFFF0001);
    switch (field) {
    case 0:
        nest.mreq.imr_multiaddr.s_addr = huge;
        a[2] = IP_ADD_MEMBERSHIP, a[3] = (ULONG_PTR)&nest.mreq, a[4] = sizeof(nest.mreq);
        break;
    case 1:
        nest.mreq.imr_interface.s_addr = huge | 0xFF;
        a[2] = IP_ADD_MEMBERSHIP, a[3] = (ULONG_PTR)&nest.mreq, a[4] = sizeof(nest.mreq);
        break;
    case 2:
        nest.group.gr_interface = huge;
        a[2] = MCAST_JOIN_GROUP, a[3] = (ULONG_PTR)&nest.group, a[4] = sizeof(nest.group);
        break;
    case 3:
        group->sin_family = (USHORT)huge;
        a[2] = MCAST_JOIN_GROUP, a[3] = (ULONG_PTR)&nest.group, a[4] = sizeof(nest.group);
        break;
    case 4:
        nest.mreq_source.imr_multiaddr.s_addr = huge;
        nest.mreq_source.imr_sourceaddr.s_addr = huge;
        nest.mreq_source.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
        a[2] = IP_ADD_SOURCE_MEMBERSHIP, a[3] = (ULONG_PTR)&nest.mreq_source;
        a[4] = sizeof(nest.mreq_source);
        break;
    case 5:
        nest.mreq6.ipv6mr_interface = huge;
        memset(&nest.mreq6.ipv6mr_multiaddr, 0xFF, sizeof(nest.mreq6.ipv6mr_multiaddr));
        a[1] = IPPROTO_IPV6, a[2] = IPV6_ADD_MEMBERSHIP, a[3] = (ULONG_PTR)&nest.mreq6;
        a[4] = sizeof(nest.mreq6);
        break;
    case 6:
        nest.mreq.imr_multiaddr.s_addr = huge;
        a[2] = IP_ADD_MEMBERSHIP, a[3] = (ULONG_PTR)edge(4), a[4] = sizeof(nest.mreq);
        break;
    case 7:
        group->sin_family = (USHORT)huge;
        a[2] = MCAST_JOIN_GROUP, a[3] = (ULONG_PTR)memcpy(edge(8), &nest.group, 8), a[4] = huge;
        break;
    default: return false;
    }
    return true;
}

static const struct nest_case nest_cases[] = {
    {"WSASendMsg", false, false, AFTER_NOTHING, nest_WSASendMsg},
    {"WSARecvMsg", true, false, AFTER_NOTHING, nest_WSARecvMsg},
    {"WSASend", false, false, AFTER_NOTHING, nest_WSASend},
    {"WSARecv", false, false, AFTER_NOTHING, nest_WSARecv},
    {"WSASendTo", false, false, AFTER_NOTHING, nest_WSASendTo},
    {"WSARecvFrom", false, false, AFTER_NOTHING, nest_WSARecvFrom},
    {"TransmitPackets", true, false, AFTER_NOTHING, nest_TransmitPackets},
    {"TransmitFile", true, false, AFTER_NOTHING, nest_TransmitFile},
    {"AcceptEx", true, false, AFTER_NOTHING, nest_AcceptEx},
    {"ConnectEx", true, false, AFTER_NOTHING, nest_ConnectEx},
    {"GetAcceptExSockaddrs", true, false, AFTER_NOTHING, nest_GetAcceptExSockaddrs},
    {"select", false, false, AFTER_NOTHING, nest_select},
    {"WSAPoll", false, false, AFTER_NOTHING, nest_WSAPoll},
    {"WSAEnumNetworkEvents", false, false, AFTER_NOTHING, nest_WSAEnumNetworkEvents},
    {"WSAWaitForMultipleEvents", false, false, AFTER_NOTHING, nest_WSAWaitForMultipleEvents},
    {"getaddrinfo", false, false, AFTER_ADDRINFO, nest_getaddrinfo},
    {"GetAddrInfoW", false, false, AFTER_ADDRINFOW, nest_GetAddrInfoW},
    {"GetAddrInfoExA", false, false, AFTER_ADDRINFOEX, nest_GetAddrInfoExA},
    {"GetAddrInfoExW", false, false, AFTER_ADDRINFOEX, nest_GetAddrInfoExW},
    {"getnameinfo", false, false, AFTER_NOTHING, nest_getnameinfo},
    {"GetNameInfoW", false, false, AFTER_NOTHING, nest_GetNameInfoW},
    {"inet_pton", false, false, AFTER_NOTHING, nest_inet_pton},
    {"InetPtonW", false, false, AFTER_NOTHING, nest_InetPtonW},
    {"inet_ntop", false, false, AFTER_NOTHING, nest_inet_ntop},
    {"InetNtopW", false, false, AFTER_NOTHING, nest_InetNtopW},
    {"WSAStringToAddressA", false, false, AFTER_NOTHING, nest_WSAStringToAddressA},
    {"WSAStringToAddressW", false, false, AFTER_NOTHING, nest_WSAStringToAddressW},
    {"WSAAddressToStringA", false, false, AFTER_NOTHING, nest_WSAAddressToStringA},
    {"WSAAddressToStringW", false, false, AFTER_NOTHING, nest_WSAAddressToStringW},
    {"WSALookupServiceBeginA", false, false, AFTER_LOOKUP, nest_WSALookupServiceBeginA},
    {"WSALookupServiceBeginW", false, false, AFTER_LOOKUP, nest_WSALookupServiceBeginW},
    {"WSALookupServiceNextA", false, false, AFTER_LOOKUP, nest_WSALookupServiceNextA},
    {"WSALookupServiceNextW", false, false, AFTER_LOOKUP, nest_WSALookupServiceNextW},
    {"WSASetServiceA", false, true, AFTER_NOTHING, nest_WSASetServiceA},
    {"WSASetServiceW", false, true, AFTER_NOTHING, nest_WSASetServiceW},
    {"WSAInstallServiceClassA", false, true, AFTER_CLASS, nest_WSAInstallServiceClassA},
    {"WSAInstallServiceClassW", false, true, AFTER_CLASS, nest_WSAInstallServiceClassW},
    {"WSASocketA", false, false, AFTER_SOCKET, nest_WSASocketA},
    {"WSASocketW", false, false, AFTER_SOCKET, nest_WSASocketW},
    {"WSADuplicateSocketA", false, false, AFTER_NOTHING, nest_WSADuplicateSocketA},
    {"WSADuplicateSocketW", false, false, AFTER_NOTHING, nest_WSADuplicateSocketW},
    {"WSAEnumProtocolsA", false, false, AFTER_NOTHING, nest_WSAEnumProtocols},
    {"WSAEnumProtocolsW", false, false, AFTER_NOTHING, nest_WSAEnumProtocols},
    {"WSCEnumProtocols", false, false, AFTER_NOTHING, nest_WSAEnumProtocols},
    {"WSCInstallProvider", false, true, AFTER_PROVIDER, nest_WSCInstallProvider},
    {"WSAConnectByList", false, false, AFTER_NOTHING, nest_WSAConnectByList},
    {"WSAConnectByNameA", false, false, AFTER_NOTHING, nest_WSAConnectByNameA},
    {"WSAConnectByNameW", false, false, AFTER_NOTHING, nest_WSAConnectByNameW},
    {"setsockopt", false, true, AFTER_NOTHING, nest_setsockopt},
};

static any_proc extension(const char *name)
{
    static const struct {
        const char *name;
        GUID id;
    } ids[] = {
        {"WSARecvMsg", WSAID_WSARECVMSG},     {"TransmitPackets", WSAID_TRANSMITPACKETS},
        {"TransmitFile", WSAID_TRANSMITFILE}, {"AcceptEx", WSAID_ACCEPTEX},
        {"ConnectEx", WSAID_CONNECTEX},       {"GetAcceptExSockaddrs", WSAID_GETACCEPTEXSOCKADDRS},
    };
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    void *proc = NULL;
    DWORD bytes;
    for (size_t i = 0; i < ARRAYSIZE(ids); i++)
        if (!strcmp(ids[i].name, name))
            assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&ids[i].id,
                                      sizeof(GUID), &proc, sizeof(proc), &bytes, NULL, NULL),
                             0);
    closesocket(s);
    return (any_proc)proc;
}

/* Undoes what a call that returned did; false if it did what it must not. */
static bool nest_after(const struct nest_case *c, ULONG_PTR ret)
{
    int err;
    switch (c->after) {
    case AFTER_NOTHING: break;
    case AFTER_SOCKET:
        if ((SOCKET)ret != INVALID_SOCKET) closesocket((SOCKET)ret);
        break;
    case AFTER_ADDRINFO:
        if (!ret) freeaddrinfo(nest.res);
        break;
    case AFTER_ADDRINFOW:
        if (!ret) FreeAddrInfoW(nest.res);
        break;
    case AFTER_ADDRINFOEX:
        if (!ret) FreeAddrInfoExW(nest.res);
        break;
    case AFTER_LOOKUP:
        if (nest.lookup) WSALookupServiceEnd(nest.lookup);
        break;
    case AFTER_CLASS:
        if (ret) break;
        WSARemoveServiceClass(&nest.guid);
        return false;
    case AFTER_PROVIDER:
        if (ret) break;
        WSCDeinstallProvider(&nest.guid, &err);
        return false;
    }
    if (c->bad_only && !ret) return false;
    return true;
}

static void test_bad_fields_inside_valid_arguments_crash_or_hang_nothing(void **state)
{
    HMODULE dll = GetModuleHandleA("ws2_32.dll");
    struct sockaddr_storage sink_addr;
    int sink_len, failures = 0, calls = 0;
    SOCKET sink, sink_peer;
    DWORD size = sizeof(nest.big);
    struct worker *w;
    char what[96];
    (void)state;

    make_tiny_buffer();
    ws_test_udp_pair(AF_INET, &sink_peer, &sink, &sink_addr, &sink_len);
    nest_sink_port = ((struct sockaddr_in *)&sink_addr)->sin_port;
    /* The TCP entry of the catalog, the basis of the spoiled protocol entries. */
    {
        int tcp[] = {IPPROTO_TCP, 0};
        assert_true(WSAEnumProtocolsA(tcp, (WSAPROTOCOL_INFOA *)nest.big, &size) > 0);
        tcp_info_a = *(WSAPROTOCOL_INFOA *)nest.big;
        size = sizeof(nest.big);
        assert_true(WSAEnumProtocolsW(tcp, (WSAPROTOCOL_INFOW *)nest.big, &size) > 0);
        tcp_info_w = *(WSAPROTOCOL_INFOW *)nest.big;
    }
    catch_start();
    w = new_worker();

    for (size_t c = 0; c < ARRAYSIZE(nest_cases); c++) {
        const struct nest_case *nc = &nest_cases[c];
        any_proc proc =
            nc->extension ? extension(nc->name) : (any_proc)(void *)GetProcAddress(dll, nc->name);
        if (!proc) fail_msg("%s does not resolve", nc->name);
        for (int field = nc->bad_only ? 0 : -1;; field++) {
            bool more = true;
            for (int j = 0; j < (field < 0 ? 1 : 3) && more; j++) {
                static const DWORD huges[] = {0x7FFFFFFF, 0xFFFFFFFF, 0x10001};
                ULONG_PTR bads[] = {0, 1, (ULONG_PTR)tiny}, args[NARGS] = {0};
                struct made m = {0};
                memset(&nest, 0, sizeof(nest));
                *tiny = 1;
                more = nc->fill(field, bads[j], huges[j], args, &m);
                if (more) {
                    snprintf(what, sizeof(what), "field %d, value %d", field, j);
                    if (checked_call(&w, nc->name, what, proc, args, &failures) == HUNG) continue;
                    calls++;
                    if (!nest_after(nc, w->ret)) {
                        print_error("SUCCEEDED: %s (%s) must fail\n", nc->name, what);
                        failures++;
                    }
                }
                for (int i = 0; i < m.count; i++) closesocket(m.sockets[i]);
                if (m.event) CloseHandle(m.event);
            }
            if (!more) break;
        }
    }

    catch_stop(w);
    closesocket(sink);
    closesocket(sink_peer);
    print_message("%d calls, %d crashed, hung or succeeded wrongly\n", calls, failures);
    if (failures) fail_msg("%d calls crashed, hung or succeeded wrongly (listed above)", failures);
}

/* ---- what the sweeps found: each call now fails as its page documents ---- */

#define BAD_PTR  ((void *)(ULONG_PTR)1)
#define SENTINEL 0x5eed

static void test_WSARecv_with_unreadable_buffers_or_unwritable_results_fails_with_WSAEFAULT(
    void **state)
{
    SOCKET client, server;
    char b[8];
    WSABUF in = {sizeof(b), b};
    DWORD got, flags = 0;
    (void)state;
    make_tiny_buffer();
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_int_equal(send(client, "abcd", 4, 0), 4);
    assert_socket_error(WSARecv(server, BAD_PTR, 1, &got, &flags, NULL, NULL), WSAEFAULT);
    /* One readable byte is not a WSABUF. */
    assert_socket_error(WSARecv(server, (LPWSABUF)tiny, 1, &got, &flags, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSARecv(server, &in, 1, BAD_PTR, &flags, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSARecv(server, &in, 1, &got, BAD_PTR, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSARecv(server, &in, 1, &got, &flags, BAD_PTR, NULL), WSAEFAULT);
    assert_socket_error(WSARecvFrom(server, BAD_PTR, 1, &got, &flags, NULL, NULL, NULL, NULL),
                        WSAEFAULT);
    /* None of them consumed the data. */
    flags = 0;
    assert_int_equal(WSARecv(server, &in, 1, &got, &flags, NULL, NULL), 0);
    assert_int_equal(got, 4);
    closesocket(client);
    closesocket(server);
}

static void test_WSASend_with_unreadable_buffers_or_unwritable_count_fails_with_WSAEFAULT(
    void **state)
{
    SOCKET client, server;
    char b[8] = "abcd";
    WSABUF out = {4, b};
    DWORD sent;
    (void)state;
    make_tiny_buffer();
    ws_test_tcp_pair(AF_INET, &client, &server);
    assert_socket_error(WSASend(client, BAD_PTR, 1, &sent, 0, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSASend(client, (LPWSABUF)tiny, 1, &sent, 0, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSASend(client, &out, 1, BAD_PTR, 0, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSASend(client, &out, 1, &sent, 0, BAD_PTR, NULL), WSAEFAULT);
    /* Nothing was sent; a good call still works. */
    assert_int_equal(WSASend(client, &out, 1, &sent, 0, NULL, NULL), 0);
    assert_int_equal(sent, 4);
    assert_int_equal(recv(server, b, sizeof(b), 0), 4);
    closesocket(client);
    closesocket(server);
}

static void test_WSASendTo_with_an_unreadable_buffer_array_or_address_fails_with_WSAEFAULT(
    void **state)
{
    SOCKET a, b;
    struct sockaddr_storage to;
    int to_len;
    char data[4] = "abc";
    WSABUF out = {3, data};
    DWORD sent;
    (void)state;
    make_tiny_buffer();
    ws_test_udp_pair(AF_INET, &a, &b, &to, &to_len);
    assert_socket_error(
        WSASendTo(a, BAD_PTR, 1, &sent, 0, (struct sockaddr *)&to, to_len, NULL, NULL), WSAEFAULT);
    assert_socket_error(
        WSASendTo(a, &out, 1, BAD_PTR, 0, (struct sockaddr *)&to, to_len, NULL, NULL), WSAEFAULT);
    assert_socket_error(WSASendTo(a, &out, 1, &sent, 0, BAD_PTR, to_len, NULL, NULL), WSAEFAULT);
    assert_socket_error(
        WSASendTo(a, &out, 1, &sent, 0, (struct sockaddr *)tiny, to_len, NULL, NULL), WSAEFAULT);
    assert_int_equal(WSASendTo(a, &out, 1, &sent, 0, (struct sockaddr *)&to, to_len, NULL, NULL),
                     0);
    assert_int_equal(sent, 3);
    closesocket(a);
    closesocket(b);
}

/* The free functions report nothing: what is not a list they built is left alone. */
static void test_the_addrinfo_free_functions_ignore_what_is_not_a_list_of_theirs(void **state)
{
    ADDRINFOA hints = {0}, *res = NULL, not_heap = {0};
    (void)state;
    make_tiny_buffer();
    WSASetLastError(SENTINEL);
    freeaddrinfo(BAD_PTR);
    freeaddrinfo((ADDRINFOA *)tiny);
    freeaddrinfo(&not_heap);
    FreeAddrInfoW(BAD_PTR);
    FreeAddrInfoW((ADDRINFOW *)tiny);
    FreeAddrInfoEx(BAD_PTR);
    FreeAddrInfoExW(BAD_PTR);
    FreeAddrInfoExW((ADDRINFOEXW *)tiny);
    assert_int_equal(WSAGetLastError(), SENTINEL);
    /* A real list is still freed. */
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_INET;
    assert_int_equal(getaddrinfo("127.0.0.1", "80", &hints, &res), 0);
    assert_non_null(res);
    freeaddrinfo(res);
}

static void test_WSAIoctl_with_an_unwritable_overlapped_fails_with_WSAEFAULT(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    char list[1024];
    DWORD bytes;
    (void)state;
    make_tiny_buffer();
    assert_int_not_equal(s, INVALID_SOCKET);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, BAD_PTR, NULL), WSAEFAULT);
    assert_socket_error(
        WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, (WSAOVERLAPPED *)tiny, NULL),
        WSAEFAULT);
    assert_socket_error(
        WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, list, sizeof(list), &bytes, BAD_PTR, NULL),
        WSAEFAULT);
    closesocket(s);
}

static void test_WSAGetOverlappedResult_of_an_unreadable_overlapped_fails_with_WSAEFAULT(
    void **state)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    DWORD transferred, flags;
    (void)state;
    make_tiny_buffer();
    assert_int_not_equal(s, INVALID_SOCKET);
    WSASetLastError(0);
    assert_int_equal(WSAGetOverlappedResult(s, BAD_PTR, &transferred, FALSE, &flags), FALSE);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_int_equal(WSAGetOverlappedResult(s, (WSAOVERLAPPED *)tiny, &transferred, FALSE, &flags),
                     FALSE);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

static void test_WahReferenceContextByHandle_of_a_pointer_that_is_no_table_returns_NULL(
    void **state)
{
    PWAH_HANDLE_TABLE table;
    char not_a_table[64] = {0};
    (void)state;
    make_tiny_buffer();
    assert_null(WahReferenceContextByHandle(BAD_PTR, (HANDLE)4));
    assert_null(WahReferenceContextByHandle((PWAH_HANDLE_TABLE)tiny, (HANDLE)4));
    assert_null(WahReferenceContextByHandle((PWAH_HANDLE_TABLE)not_a_table, (HANDLE)4));
    /* A real table after bad ones, and a bad one after a real one. */
    assert_int_equal(WahCreateHandleContextTable(&table), 0);
    assert_null(WahReferenceContextByHandle(table, (HANDLE)4));
    assert_null(WahReferenceContextByHandle(BAD_PTR, (HANDLE)4));
    assert_null(WahReferenceContextByHandle(table, (HANDLE)4));
    assert_int_equal(WahDestroyHandleContextTable(table), 0);
}

/* Wine's device wraps the size of its copy of a huge buffer array and overruns its heap; the
   array is held against the count first. The datagram waiting is not consumed. */
static void test_WSASendMsg_and_WSARecvMsg_with_a_huge_buffer_count_fail_with_WSAEFAULT(
    void **state)
{
    static const GUID recvmsg_id = WSAID_WSARECVMSG;
    static const DWORD counts[] = {0xFFFFFFFF, 0x7FFFFFFF, 0x10000000, 0x01000000};
    LPFN_WSARECVMSG recv_msg = NULL;
    struct sockaddr_storage to, from;
    char data[3][8] = {"abc", "def", "ghi"};
    WSABUF bufs[3] = {{3, data[0]}, {3, data[1]}, {3, data[2]}};
    WSAMSG msg;
    DWORD bytes;
    int to_len;
    SOCKET a, b;
    (void)state;
    ws_test_udp_pair(AF_INET, &a, &b, &to, &to_len);
    assert_int_equal(WSAIoctl(b, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&recvmsg_id,
                              sizeof(recvmsg_id), &recv_msg, sizeof(recv_msg), &bytes, NULL, NULL),
                     0);
    for (size_t i = 0; i < ARRAYSIZE(counts); i++) {
        memset(&msg, 0, sizeof(msg));
        msg.name = (struct sockaddr *)&to;
        msg.namelen = to_len;
        msg.lpBuffers = bufs;
        msg.dwBufferCount = counts[i];
        assert_socket_error(WSASendMsg(a, &msg, 0, &bytes, NULL, NULL), WSAEFAULT);
    }
    /* A good message still goes out; a huge count does not take it in. */
    msg.dwBufferCount = 3;
    assert_int_equal(WSASendMsg(a, &msg, 0, &bytes, NULL, NULL), 0);
    assert_int_equal(bytes, 9);
    for (size_t i = 0; i < ARRAYSIZE(counts); i++) {
        memset(&msg, 0, sizeof(msg));
        msg.name = (struct sockaddr *)&from;
        msg.namelen = sizeof(from);
        msg.lpBuffers = bufs;
        msg.dwBufferCount = counts[i];
        assert_socket_error(recv_msg(b, &msg, &bytes, NULL, NULL), WSAEFAULT);
    }
    memset(data, 0, sizeof(data));
    msg.dwBufferCount = 3;
    msg.namelen = sizeof(from);
    assert_int_equal(recv_msg(b, &msg, &bytes, NULL, NULL), 0);
    assert_int_equal(bytes, 9);
    assert_memory_equal(data[2], "ghi", 3);
    closesocket(a);
    closesocket(b);
}

/* The protocol list is read up to its 0; a list that runs into unreadable memory is refused. */
static void test_WSAEnumProtocols_with_an_unterminated_protocol_list_fails_with_WSAEFAULT(
    void **state)
{
    static char buffer[16384];
    int *unterminated, err = 0;
    DWORD len;
    (void)state;
    make_tiny_buffer();
    unterminated = (int *)(tiny + 1 - sizeof(int));
    *unterminated = IPPROTO_TCP;
    len = sizeof(buffer);
    assert_socket_error(WSAEnumProtocolsA(unterminated, (WSAPROTOCOL_INFOA *)buffer, &len),
                        WSAEFAULT);
    len = sizeof(buffer);
    assert_socket_error(WSAEnumProtocolsW(unterminated, (WSAPROTOCOL_INFOW *)buffer, &len),
                        WSAEFAULT);
    len = sizeof(buffer);
    assert_int_equal(WSCEnumProtocols(unterminated, (WSAPROTOCOL_INFOW *)buffer, &len, &err),
                     SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    /* Terminated one element later, the same list is fine. */
    {
        int list[] = {IPPROTO_TCP, 0};
        len = sizeof(buffer);
        assert_true(WSAEnumProtocolsA(list, (WSAPROTOCOL_INFOA *)buffer, &len) > 0);
    }
}

/* The function returns nothing: a block it cannot read, or outputs it cannot write, leave the
   outputs as they were (and the last error too). */
static void test_GetAcceptExSockaddrs_with_unusable_buffers_leaves_the_outputs_alone(void **state)
{
    static const GUID id = WSAID_GETACCEPTEXSOCKADDRS;
    LPFN_GETACCEPTEXSOCKADDRS get = NULL;
    DWORD each = sizeof(struct sockaddr_in) + 16, bytes;
    struct sockaddr *local = (struct sockaddr *)BAD_PTR, *remote = (struct sockaddr *)BAD_PTR;
    int local_len = SENTINEL, remote_len = SENTINEL;
    char buffer[128] = {0};
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    (void)state;
    make_tiny_buffer();
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&id, sizeof(id), &get,
                              sizeof(get), &bytes, NULL, NULL),
                     0);
    closesocket(s);
    WSASetLastError(SENTINEL);
    get(BAD_PTR, 0, each, each, &local, &local_len, &remote, &remote_len);
    get(tiny, 0, each, each, &local, &local_len, &remote, &remote_len);
    get(buffer, 0x7FFFFFFF, each, each, &local, &local_len, &remote, &remote_len);
    assert_ptr_equal(local, BAD_PTR);
    assert_int_equal(local_len, SENTINEL);
    assert_ptr_equal(remote, BAD_PTR);
    assert_int_equal(remote_len, SENTINEL);
    get(buffer, 0, each, each, BAD_PTR, &local_len, BAD_PTR, &remote_len);
    get(buffer, 0, each, each, &local, BAD_PTR, &remote, (LPINT)tiny);
    assert_int_equal(local_len, SENTINEL);
    assert_int_equal(remote_len, SENTINEL);
    /* A local block that claims the rest of the address space: the remote one is not there. */
    get(buffer, 0, 0xFFFFFFFF, each, &local, &local_len, &remote, &remote_len);
    assert_ptr_equal(local, buffer + sizeof(int));
    assert_int_equal(local_len, 0);
    assert_ptr_equal(remote, BAD_PTR);
    assert_int_equal(remote_len, SENTINEL);
    /* The local block in the last bytes of a page, the remote one past it. */
    memset(tiny + 1 - each, 0, each);
    get(tiny + 1 - each, 0, each, each, &local, &local_len, &remote, &remote_len);
    assert_ptr_equal(local, tiny + 1 - each + sizeof(int));
    assert_int_equal(local_len, 0);
    assert_ptr_equal(remote, BAD_PTR);
    assert_int_equal(remote_len, SENTINEL);
    assert_int_equal(WSAGetLastError(), SENTINEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_catcher_sees_crashes_and_hangs_and_lets_probes_be),
        cmocka_unit_test(test_no_export_crashes_or_hangs_on_hostile_arguments),
        cmocka_unit_test(test_option_and_control_codes_do_not_crash_or_hang_on_bad_buffers),
        cmocka_unit_test(test_one_bad_pointer_among_valid_arguments_crashes_or_hangs_nothing),
        cmocka_unit_test(test_bad_fields_inside_valid_arguments_crash_or_hang_nothing),
        cmocka_unit_test(
            test_WSARecv_with_unreadable_buffers_or_unwritable_results_fails_with_WSAEFAULT),
        cmocka_unit_test(
            test_WSASend_with_unreadable_buffers_or_unwritable_count_fails_with_WSAEFAULT),
        cmocka_unit_test(
            test_WSASendTo_with_an_unreadable_buffer_array_or_address_fails_with_WSAEFAULT),
        cmocka_unit_test(test_the_addrinfo_free_functions_ignore_what_is_not_a_list_of_theirs),
        cmocka_unit_test(test_WSAIoctl_with_an_unwritable_overlapped_fails_with_WSAEFAULT),
        cmocka_unit_test(
            test_WSAGetOverlappedResult_of_an_unreadable_overlapped_fails_with_WSAEFAULT),
        cmocka_unit_test(
            test_WahReferenceContextByHandle_of_a_pointer_that_is_no_table_returns_NULL),
        cmocka_unit_test(
            test_WSASendMsg_and_WSARecvMsg_with_a_huge_buffer_count_fail_with_WSAEFAULT),
        cmocka_unit_test(
            test_WSAEnumProtocols_with_an_unterminated_protocol_list_fails_with_WSAEFAULT),
        cmocka_unit_test(test_GetAcceptExSockaddrs_with_unusable_buffers_leaves_the_outputs_alone),
    };
    ws_test_require_openws2();
    return cmocka_run_group_tests(tests, ws_test_startup, ws_test_cleanup);
}
