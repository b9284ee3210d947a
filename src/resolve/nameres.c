/*
 * Name-resolution contexts (nameres.h). A process holds few of them at a time, one per
 * unreleased answer that asked for one, so a list under one lock serves. The handle is a
 * counter, never an address: a stale or forged value is simply not found, and a freed context
 * is never mistaken for a new one.
 */
#include "nameres.h"

struct nameres {
    struct nameres *next;
    ULONG_PTR id;
    LONG refs;
};

static SRWLOCK nameres_lock = SRWLOCK_INIT;
static struct nameres *nameres_list;
static ULONG_PTR nameres_last;

/* Handle values step by 4, as kernel handles do, from a base that no small integer reaches. */
#define NAMERES_BASE 0x4e520000u

HANDLE ws_nameres_open(LONG refs)
{
    struct nameres *c = HeapAlloc(GetProcessHeap(), 0, sizeof(*c));

    if (!c) return NULL;
    c->refs = refs;
    AcquireSRWLockExclusive(&nameres_lock);
    nameres_last += 4;
    c->id = NAMERES_BASE + nameres_last;
    c->next = nameres_list;
    nameres_list = c;
    ReleaseSRWLockExclusive(&nameres_lock);
    return (HANDLE)c->id;
}

void ws_nameres_release(HANDLE handle)
{
    struct nameres **p, *gone = NULL;

    AcquireSRWLockExclusive(&nameres_lock);
    for (p = &nameres_list; *p; p = &(*p)->next) {
        if ((*p)->id != (ULONG_PTR)handle) continue;
        if (!--(*p)->refs) {
            gone = *p;
            *p = gone->next;
        }
        break;
    }
    ReleaseSRWLockExclusive(&nameres_lock);
    if (gone) HeapFree(GetProcessHeap(), 0, gone);
}

bool ws_nameres_known(UINT64 value)
{
    bool found = false;

    AcquireSRWLockShared(&nameres_lock);
    for (const struct nameres *c = nameres_list; c && !found; c = c->next) found = c->id == value;
    ReleaseSRWLockShared(&nameres_lock);
    return found;
}
