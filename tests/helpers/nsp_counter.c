/*
 * A namespace provider for test_nsprovider: NSPStartup hands out its routines, and every call it
 * receives (startup, begin, next, end, ioctl, cleanup, and its DLL detach) is appended as a line
 * to the file the environment variable OPENWS2_NSP_LOG names, so that the test sees what
 * ws2_32 did without any hook inside ws2_32.
 *
 * Its lookups answer any query with one set: the instance name asked for with "nsp:" in front,
 * the class asked for, an IPv4 address 192.0.2.1 and a four-byte blob; then WSA_E_NO_MORE. It
 * keeps one service class (its id and name) between WSAInstallServiceClass and
 * WSARemoveServiceClass, and accepts every WSASetService.
 */
#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static void log_call(const char *what)
{
    char path[MAX_PATH];
    HANDLE file;
    DWORD written;
    if (!GetEnvironmentVariableA("OPENWS2_NSP_LOG", path, sizeof(path))) return;
    file = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       OPEN_ALWAYS, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return;
    WriteFile(file, what, (DWORD)strlen(what), &written, NULL);
    WriteFile(file, "\n", 1, &written, NULL);
    CloseHandle(file);
}

struct query {
    WCHAR name[128];
    GUID class_id;
    int sets_left;
};

static INT WSAAPI nsp_cleanup(LPGUID id)
{
    (void)id;
    log_call("cleanup");
    return 0;
}

static INT WSAAPI nsp_begin(LPGUID id, LPWSAQUERYSETW q, LPWSASERVICECLASSINFOW info, DWORD flags,
                            LPHANDLE handle)
{
    struct query *query;
    (void)id, (void)info, (void)flags;
    log_call("begin");
    if (!q->lpServiceClassId) {
        SetLastError(WSAEINVAL);
        return SOCKET_ERROR;
    }
    query = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*query));
    lstrcpynW(query->name, L"nsp:", 128);
    if (q->lpszServiceInstanceName) lstrcpynW(query->name + 4, q->lpszServiceInstanceName, 120);
    query->class_id = *q->lpServiceClassId;
    query->sets_left = 1;
    *handle = query;
    return 0;
}

static INT WSAAPI nsp_next(HANDLE handle, DWORD flags, LPDWORD len, LPWSAQUERYSETW out)
{
    struct query *query = handle;
    size_t name_size = (wcslen(query->name) + 1) * sizeof(WCHAR);
    size_t need = sizeof(*out) + sizeof(GUID) + sizeof(CSADDR_INFO) + 2 * sizeof(SOCKADDR_IN) +
                  sizeof(BLOB) + 8 + name_size;
    char *p;
    SOCKADDR_IN *local, *remote;
    CSADDR_INFO *info;
    BLOB *blob;
    (void)flags;
    log_call("next");
    if (!query->sets_left) {
        SetLastError(WSA_E_NO_MORE);
        return SOCKET_ERROR;
    }
    if (*len < need) {
        *len = (DWORD)need;
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    memset(out, 0, sizeof(*out));
    p = (char *)(out + 1);
    out->dwSize = sizeof(*out);
    out->dwNameSpace = NS_NDS;
    out->lpServiceClassId = memcpy(p, &query->class_id, sizeof(GUID));
    p += sizeof(GUID);
    info = (CSADDR_INFO *)p;
    p += sizeof(*info);
    local = (SOCKADDR_IN *)p;
    p += sizeof(*local);
    remote = (SOCKADDR_IN *)p;
    p += sizeof(*remote);
    memset(local, 0, sizeof(*local));
    memset(remote, 0, sizeof(*remote));
    local->sin_family = remote->sin_family = AF_INET;
    remote->sin_addr.S_un.S_un_b.s_b1 = 192; /* 192.0.2.1, without importing ws2_32 */
    remote->sin_addr.S_un.S_un_b.s_b3 = 2;
    remote->sin_addr.S_un.S_un_b.s_b4 = 1;
    info->LocalAddr.lpSockaddr = (SOCKADDR *)local;
    info->LocalAddr.iSockaddrLength = sizeof(*local);
    info->RemoteAddr.lpSockaddr = (SOCKADDR *)remote;
    info->RemoteAddr.iSockaddrLength = sizeof(*remote);
    info->iSocketType = SOCK_STREAM;
    info->iProtocol = IPPROTO_TCP;
    out->lpcsaBuffer = info;
    out->dwNumberOfCsAddrs = 1;
    blob = (BLOB *)p;
    p += sizeof(*blob);
    memcpy(p, "blob", 4);
    blob->cbSize = 4;
    blob->pBlobData = (BYTE *)p;
    p += 8;
    out->lpBlob = blob;
    out->lpszServiceInstanceName = memcpy(p, query->name, name_size);
    query->sets_left--;
    return 0;
}

static INT WSAAPI nsp_end(HANDLE handle)
{
    log_call("end");
    HeapFree(GetProcessHeap(), 0, handle);
    return 0;
}

static INT WSAAPI nsp_ioctl(HANDLE handle, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                            DWORD out_size, LPDWORD returned, LPWSACOMPLETION completion,
                            LPWSATHREADID thread)
{
    (void)handle, (void)in, (void)in_size, (void)out, (void)out_size, (void)returned;
    (void)completion, (void)thread;
    log_call("ioctl");
    if (code != SIO_NSP_NOTIFY_CHANGE) {
        SetLastError(WSAEOPNOTSUPP);
        return SOCKET_ERROR;
    }
    return 0;
}

static GUID class_id;
static WCHAR class_name[64];
static BOOL class_kept;

static INT WSAAPI nsp_set_service(LPGUID id, LPWSASERVICECLASSINFOW info, LPWSAQUERYSETW q,
                                  WSAESETSERVICEOP op, DWORD flags)
{
    (void)id, (void)info, (void)op, (void)flags;
    log_call(q->lpszServiceInstanceName && !wcscmp(q->lpszServiceInstanceName, L"ansi")
                 ? "setservice ansi"
                 : "setservice");
    return 0;
}

static INT WSAAPI nsp_install_class(LPGUID id, LPWSASERVICECLASSINFOW info)
{
    (void)id;
    log_call("installclass");
    if (class_kept) {
        SetLastError(WSAEALREADY);
        return SOCKET_ERROR;
    }
    class_id = *info->lpServiceClassId;
    lstrcpynW(class_name, info->lpszServiceClassName ? info->lpszServiceClassName : L"", 64);
    class_kept = TRUE;
    return 0;
}

static INT WSAAPI nsp_remove_class(LPGUID id, LPGUID class)
{
    (void)id;
    log_call("removeclass");
    if (!class_kept || memcmp(class, &class_id, sizeof(GUID))) {
        SetLastError(WSATYPE_NOT_FOUND);
        return SOCKET_ERROR;
    }
    class_kept = FALSE;
    return 0;
}

static INT WSAAPI nsp_class_info(LPGUID id, LPDWORD size, LPWSASERVICECLASSINFOW info)
{
    size_t name_size = (wcslen(class_name) + 1) * sizeof(WCHAR);
    DWORD need = (DWORD)(sizeof(*info) + name_size);
    (void)id;
    log_call("classinfo");
    if (!class_kept || memcmp(info->lpServiceClassId, &class_id, sizeof(GUID))) {
        SetLastError(WSATYPE_NOT_FOUND);
        return SOCKET_ERROR;
    }
    if (*size < need) {
        *size = need;
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    /* The class id stays where the caller put it. */
    info->lpszServiceClassName = memcpy(info + 1, class_name, name_size);
    info->dwCount = 0;
    info->lpClassInfos = NULL;
    return 0;
}

INT WSAAPI NSPStartup(LPGUID id, LPNSP_ROUTINE routines)
{
    (void)id;
    log_call("startup");
    if (routines->cbSize < sizeof(*routines)) {
        SetLastError(WSAEINVALIDPROCTABLE);
        return SOCKET_ERROR;
    }
    memset(routines, 0, sizeof(*routines));
    routines->cbSize = sizeof(*routines);
    routines->dwMajorVersion = 1;
    routines->NSPCleanup = nsp_cleanup;
    routines->NSPLookupServiceBegin = nsp_begin;
    routines->NSPLookupServiceNext = nsp_next;
    routines->NSPLookupServiceEnd = nsp_end;
    routines->NSPIoctl = nsp_ioctl;
    routines->NSPSetService = nsp_set_service;
    routines->NSPInstallServiceClass = nsp_install_class;
    routines->NSPRemoveServiceClass = nsp_remove_class;
    routines->NSPGetServiceClassInfo = nsp_class_info;
    return 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance, (void)reserved;
    if (reason == DLL_PROCESS_DETACH) log_call("detach");
    return TRUE;
}
