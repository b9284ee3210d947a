/*
 * Namespace provider DLLs of the catalog, as the RnR calls (src/api/rnr.c) reach them.
 */
#ifndef OPENWS2_NSPROVIDER_H
#define OPENWS2_NSPROVIDER_H

#include "nscatalog.h"

struct ns_provider {
    struct ns_provider *next;
    GUID id;
    DWORD name_space;
    HMODULE module;
    bool started;
    NSP_ROUTINE routine;
};

/* The enabled providers a lookup in NAME_SPACE (NS_ALL: any), restricted to PROVIDER_ID when
   not NULL, reaches, in catalog order, into OUT (at most MAX); the built-in DNS provider is a
   NULL entry and sets *DNS. Providers are loaded and started as needed; one that cannot start
   is left out. Returns the count. The pointers stay valid until ns_providers_unload. */
int ns_providers_for(DWORD name_space, const GUID *provider_id, struct ns_provider **out, int max,
                     bool *dns);

/* The final WSACleanup: NSPCleanup and unload every provider loaded. */
void ns_providers_unload(void);
/* Whether a provider DLL is loaded (a plain read: for the final cleanup's quick check). */
bool ns_providers_loaded(void);

/* The final WSACleanup's namespace work: end every lookup, then unload the providers. */
void ns_cleanup(void);

#endif
