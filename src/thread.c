/*
 * The per-thread block: the synchronous-wait event and the result buffers that Winsock hands
 * out per thread (inet_ntoa, hostent, servent, protoent). Made on first use, freed when the
 * thread detaches; the final WSACleanup releases the buffers of every thread.
 */
#include "openws2/core.h"

static DWORD tls_index = TLS_OUT_OF_INDEXES;
static SRWLOCK blocks_lock = SRWLOCK_INIT;
static struct ws_thread *blocks; /* every thread's block, for the final cleanup */

bool ws_thread_init(void)
{
    tls_index = TlsAlloc();
    return tls_index != TLS_OUT_OF_INDEXES;
}

struct ws_thread *ws_thread_get(void)
{
    DWORD saved = GetLastError(); /* TlsGetValue clears it; callers may be reporting an error */
    struct ws_thread *t = TlsGetValue(tls_index);
    if (!t) {
        t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*t));
        if (t) {
            TlsSetValue(tls_index, t);
            AcquireSRWLockExclusive(&blocks_lock);
            t->next = blocks;
            if (blocks) blocks->prev = t;
            blocks = t;
            ReleaseSRWLockExclusive(&blocks_lock);
        }
    }
    SetLastError(saved);
    return t;
}

HANDLE ws_thread_sync_event(void)
{
    struct ws_thread *t = ws_thread_get();
    if (!t) return NULL;
    if (!t->sync_event) t->sync_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return t->sync_event;
}

/* Set when a result buffer is handed out, so that a final cleanup with none to free walks no
   thread blocks. */
static volatile LONG buffers_out;

void *ws_thread_buffer(void **buffer, size_t *size, size_t need)
{
    if (*size < need) {
        void *grown = HeapAlloc(GetProcessHeap(), 0, need);
        if (!grown) return NULL;
        HeapFree(GetProcessHeap(), 0, *buffer);
        *buffer = grown;
        *size = need;
        if (!buffers_out) InterlockedExchange(&buffers_out, 1);
        ws_note_cleanup_work();
    }
    return *buffer;
}

static void free_buffers(struct ws_thread *t)
{
    HeapFree(GetProcessHeap(), 0, t->hostent_buffer);
    HeapFree(GetProcessHeap(), 0, t->servent_buffer);
    HeapFree(GetProcessHeap(), 0, t->protoent_buffer);
    t->hostent_buffer = t->servent_buffer = t->protoent_buffer = NULL;
    t->hostent_size = t->servent_size = t->protoent_size = 0;
}

void ws_thread_detach(void)
{
    struct ws_thread *t;
    if (tls_index == TLS_OUT_OF_INDEXES || !(t = TlsGetValue(tls_index))) return;
    AcquireSRWLockExclusive(&blocks_lock);
    if (t->prev) t->prev->next = t->next;
    else blocks = t->next;
    if (t->next) t->next->prev = t->prev;
    ReleaseSRWLockExclusive(&blocks_lock);
    free_buffers(t);
    if (t->sync_event) CloseHandle(t->sync_event);
    HeapFree(GetProcessHeap(), 0, t);
    TlsSetValue(tls_index, NULL);
}

/*
 * Final WSACleanup: every thread's result buffers go. A thread's sync event stays with its
 * thread (another thread may be returning from a wait on it right now) and goes at detach.
 */
void ws_thread_release_all(void)
{
    if (!buffers_out || !InterlockedExchange(&buffers_out, 0)) return;
    AcquireSRWLockExclusive(&blocks_lock);
    for (struct ws_thread *t = blocks; t; t = t->next) free_buffers(t);
    ReleaseSRWLockExclusive(&blocks_lock);
}
