/*
 * How a program tells OpenWS2's ws2_32.dll from any other: the product name in its version
 * resource (src/version.rc). Shared by the tests, the demo and the benchmark, which refuse to
 * report on a DLL that is not ours.
 */
#ifndef OPENWS2_IDENTITY_H
#define OPENWS2_IDENTITY_H

#include <windows.h>
#include <string.h>

static inline int openws2_is_module(HMODULE module)
{
    static const WCHAR name[] = L"OpenWS2";
    HRSRC res;
    HGLOBAL data;
    const WCHAR *text;
    DWORD count;

    if (!module) return 0;
    if (!(res = FindResourceW(module, MAKEINTRESOURCEW(VS_VERSION_INFO), (LPCWSTR)RT_VERSION)))
        return 0;
    if (!(data = LoadResource(module, res)) || !(text = LockResource(data))) return 0;
    count = SizeofResource(module, res) / sizeof(WCHAR);
    for (DWORD i = 0; i + ARRAYSIZE(name) - 1 <= count; i++) {
        if (!memcmp(text + i, name, sizeof(name) - sizeof(WCHAR))) return 1;
    }
    return 0;
}

#endif
