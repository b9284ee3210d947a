/*
 * Data that programs built with mingw-w64 expect from the ws2_32 import library rather than
 * from the DLL (Windows' ws2_32.dll does not export them): the IPv6 any and loopback
 * addresses. Added to libws2_32.a after the link, so -lws2_32 with our import library works as
 * a drop-in for the toolchain's.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

const struct in6_addr in6addr_any = {{{0}}};
const struct in6_addr in6addr_loopback = {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};
