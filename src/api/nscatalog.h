/*
 * The namespace catalog (src/api/nscatalog.c) as the rest of the DLL sees it: the registry's
 * NameSpace_Catalog5 entries, read fresh on each use, with Windows' default DNS entry created
 * when the catalog is absent.
 */
#ifndef OPENWS2_NSCATALOG_H
#define OPENWS2_NSCATALOG_H

#include "openws2/core.h"

/* The DNS namespace provider the DLL answers itself ("Tcpip", NS_DNS). */
extern const GUID ns_dns_provider_id;

/* Provider-specific data an entry may carry (WSCInstallNameSpaceEx); larger blobs are refused. */
#define NS_INFO_MAX 1024

struct ns_entry {
    WCHAR path[MAX_PATH];
    WCHAR display[256];
    GUID id;
    DWORD family, name_space, enabled, version, stores_class_info;
    DWORD info_size;
    BYTE info[NS_INFO_MAX];
};

/* The entries of the 64-bit catalog (WOW32 false) or of the 32-bit one, in catalog order, into a
   heap array the caller frees with HeapFree; returns the count, or -1 if the catalog cannot be
   read or made. */
int ns_catalog_read(bool wow32, struct ns_entry **entries);

/* Whether a lookup in NAME_SPACE (NS_ALL for any), restricted to PROVIDER when not NULL, reaches
   the built-in DNS provider through an enabled catalog entry. Returns 0 if it does, else the
   error WSALookupServiceBegin reports: WSAEINVAL for a provider the catalog lacks,
   WSASERVICE_NOT_FOUND when no enabled entry serves the namespace. */
int ns_catalog_dns_route(DWORD name_space, const GUID *provider);

#endif
