/*
 * Namespace provider DLLs installed in the catalog (WSCInstallNameSpace): loaded and started
 * with NSPStartup on the first lookup that reaches them after WSAStartup (never at DllMain, so
 * never under the loader lock), and given NSPCleanup and unloaded by the final WSACleanup.
 * The built-in DNS namespace is answered by the DLL itself and is never loaded.
 */
#include "nsprovider.h"
#include <string.h>

static SRWLOCK providers_lock = SRWLOCK_INIT;
static struct ns_provider *providers; /* loaded since the last final WSACleanup */

/* A provider loaded already, or loaded now from its catalog entry; NULL if it cannot start. */
static struct ns_provider *provider_get(const struct ns_entry *e)
{
    struct ns_provider *p;
    WCHAR path[MAX_PATH];
    LPNSPSTARTUP startup;

    for (p = providers; p; p = p->next)
        if (IsEqualGUID(&p->id, &e->id)) return p->started ? p : NULL;
    if (!(p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*p)))) return NULL;
    p->id = e->id;
    p->name_space = e->name_space;
    /* A provider that fails to start stays on the list, so that it is not tried again. */
    p->next = providers;
    providers = p;
    ws_note_cleanup_work();
    if (!ExpandEnvironmentStringsW(e->path, path, ARRAY_COUNT(path))) return NULL;
    if (!(p->module = LoadLibraryW(path))) return NULL;
    if (!(startup = (LPNSPSTARTUP)(void *)GetProcAddress(p->module, "NSPStartup"))) return NULL;
    p->routine.cbSize = sizeof(p->routine);
    if (startup(&p->id, &p->routine) || !p->routine.NSPLookupServiceBegin ||
        !p->routine.NSPLookupServiceNext || !p->routine.NSPLookupServiceEnd)
        return NULL;
    p->started = true;
    return p;
}

int ns_providers_for(DWORD name_space, const GUID *provider_id, struct ns_provider **out, int max,
                     bool *dns)
{
    struct ns_entry *list;
    int count = ns_catalog_read(false, &list), n = 0;

    *dns = false;
    if (count < 0) return 0;
    AcquireSRWLockExclusive(&providers_lock);
    for (int i = 0; i < count && n < max; i++) {
        const struct ns_entry *e = &list[i];
        struct ns_provider *p;
        if (!e->enabled || (provider_id && !IsEqualGUID(provider_id, &e->id))) continue;
        if (name_space != NS_ALL && name_space != e->name_space) continue;
        if (IsEqualGUID(&e->id, &ns_dns_provider_id)) {
            *dns = true;
            out[n++] = NULL; /* the built-in one, in its catalog place */
        } else if ((p = provider_get(e))) {
            out[n++] = p;
        }
    }
    ReleaseSRWLockExclusive(&providers_lock);
    HeapFree(GetProcessHeap(), 0, list);
    return n;
}

bool ns_providers_loaded(void)
{
    return providers != NULL;
}

void ns_providers_unload(void)
{
    struct ns_provider *p, *next;
    AcquireSRWLockExclusive(&providers_lock);
    p = providers;
    providers = NULL;
    ReleaseSRWLockExclusive(&providers_lock);
    for (; p; p = next) {
        next = p->next;
        if (p->started && p->routine.NSPCleanup) p->routine.NSPCleanup(&p->id);
        if (p->module) FreeLibrary(p->module);
        HeapFree(GetProcessHeap(), 0, p);
    }
}
