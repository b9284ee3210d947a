/* A DLL that uses Winsock from its DllMain, under the loader lock, as some real DLLs do. */
#include <winsock2.h>
#include <windows.h>

static int attach_result = -1;

__declspec(dllexport) int dllmain_startup_result(void)
{
    return attach_result;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    WSADATA data;
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        attach_result = WSAStartup(MAKEWORD(2, 2), &data);
        if (!attach_result) {
            SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
            if (s == INVALID_SOCKET) attach_result = WSAGetLastError();
            else if (closesocket(s)) attach_result = WSAGetLastError();
        }
    } else if (reason == DLL_PROCESS_DETACH && reserved == NULL) {
        WSACleanup();
    }
    return TRUE;
}
