/*
 * Name-resolution contexts: the handles GetAddrInfoEx gives in ADDRINFOEX4's ai_resolutionhandle
 * when asked with AI_RESOLUTION_HANDLE. A handle stands for the fully qualified name an answer
 * was found for; a program hands it to SIO_APPLY_TRANSPORT_SETTING (ASSOCIATE_NAMERES_CONTEXT)
 * to tie a socket to that name (for name-based policy, which nothing under Wine enforces: the
 * association is checked and accepted, and has no further effect). A handle stays valid while a
 * node of its list does: every node holds one reference, and FreeAddrInfoEx drops it.
 */
#ifndef OPENWS2_RESOLVE_NAMERES_H
#define OPENWS2_RESOLVE_NAMERES_H

#include "openws2/core.h"

/* A new context holding REFS references; NULL if out of memory. */
HANDLE ws_nameres_open(LONG refs);

/* Drop one reference of HANDLE; the last one ends the context. Unknown values are ignored. */
void ws_nameres_release(HANDLE handle);

/* Whether VALUE is a live context (ASSOCIATE_NAMERES_CONTEXT_INPUT carries it as a UINT64). */
bool ws_nameres_known(UINT64 value);

#endif
