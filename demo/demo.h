/* What the demo programs share: the check that the ws2_32.dll in the process is OpenWS2's,
   loopback addresses of either family, printing addresses, waiting with select, test data. */
#ifndef DEMO_H
#define DEMO_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long any single wait of a demo may take before it counts as a failure. */
#define DEMO_TIMEOUT_SECONDS 10

/* The families a run covers, from the command line: "4", "6", or nothing for both. */
struct demo_families {
    int count;
    int af[2];
};

/* Print which ws2_32.dll the process runs on, refuse anything but OpenWS2's, parse the command
   line and call WSAStartup(2.2). Returns 0, or prints why not and returns non-zero. */
int demo_start(const char *program, int argc, char **argv, struct demo_families *families);

/* "IPv4" or "IPv6". */
const char *demo_family_name(int af);

/* The loopback address of a family (127.0.0.1 or ::1) with port 0; returns its length. */
int demo_loopback(int af, struct sockaddr_storage *addr);

/* "127.0.0.1:5000" or "[::1]:5000" into buf. */
const char *demo_format(const struct sockaddr *addr, char *buf, size_t size);

/* True when two addresses have the same family, address and port. */
int demo_same_address(const struct sockaddr *a, const struct sockaddr *b);

/* Wait with select until s is readable (or writable, with for_write): 1 ready, 0 timed out,
   SOCKET_ERROR on error. */
int demo_wait(SOCKET s, int for_write, int seconds);

/* Bytes of a reproducible pattern, different for every seed and offset. */
unsigned char demo_pattern(unsigned seed, size_t offset);
void demo_fill(unsigned char *buf, size_t len, unsigned seed, size_t offset);

/* Compare received bytes with the pattern; returns the first differing index, or len. */
size_t demo_check(const unsigned char *buf, size_t len, unsigned seed, size_t offset);

/* Print "<program> <family>: FAIL: <what> (WSA error n)" and return 1. */
int demo_fail(const char *program, int af, const char *what, int error);

#endif
