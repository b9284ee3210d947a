/*
 * The other process of test_duplicate. Its command line names a file mapping holding a
 * WSAPROTOCOL_INFOW from WSADuplicateSocketW and a mode. It opens the socket with WSASocketW,
 * receives "ping", answers "pong", then either closes the socket and calls WSACleanup
 * ("close") or leaves the socket to the final WSACleanup ("cleanup"). The exit code is 0 on
 * success, otherwise the number of the step that failed.
 */
#include "ws_test.h"

int main(int argc, char **argv)
{
    WSADATA data;
    WSAPROTOCOL_INFOW info;
    HANDLE mapping;
    const void *view;
    SOCKET s;
    char buf[4];
    int got = 0, n;

    if (argc != 3) return 1;
    if (!ws_test_is_openws2()) return 2;
    if (!(mapping = OpenFileMappingA(FILE_MAP_READ, FALSE, argv[1]))) return 3;
    if (!(view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, sizeof(info)))) return 4;
    memcpy(&info, view, sizeof(info));
    UnmapViewOfFile(view);
    CloseHandle(mapping);

    if (WSAStartup(MAKEWORD(2, 2), &data)) return 5;
    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    if (s == INVALID_SOCKET) return 6;
    while (got < 4) {
        if ((n = recv(s, buf + got, 4 - got, 0)) <= 0) return 7;
        got += n;
    }
    if (memcmp(buf, "ping", 4)) return 8;
    if (send(s, "pong", 4, 0) != 4) return 9;
    if (!strcmp(argv[2], "close") && closesocket(s)) return 10;
    if (WSACleanup()) return 11;
    return 0;
}
