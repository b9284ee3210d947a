#include "demo.h"
#include "openws2/identity.h"

static int parse_families(int argc, char **argv, struct demo_families *families)
{
    families->count = 0;
    if (argc < 2 || !strcmp(argv[1], "all")) {
        families->af[families->count++] = AF_INET;
        families->af[families->count++] = AF_INET6;
    } else if (argc == 2 && !strcmp(argv[1], "4")) {
        families->af[families->count++] = AF_INET;
    } else if (argc == 2 && !strcmp(argv[1], "6")) {
        families->af[families->count++] = AF_INET6;
    } else {
        return 1;
    }
    return 0;
}

int demo_start(const char *program, int argc, char **argv, struct demo_families *families)
{
    /* The import of ws2_32 was resolved before main ran: ask the loader which file it took. */
    HMODULE module = GetModuleHandleA("ws2_32.dll");
    char path[MAX_PATH];
    WSADATA data;
    int err;

    if (parse_families(argc, argv, families)) {
        fprintf(stderr, "usage: %s [4|6|all]\n", program);
        return 1;
    }
    if (!module || !GetModuleFileNameA(module, path, sizeof(path)))
        strcpy(path, "(no ws2_32.dll loaded)");
    if (!module || !openws2_is_module(module)) {
        printf("%s: ws2_32.dll: %s -- NOT OpenWS2\n", program, path);
        printf("%s: FAIL: this demo must run on OpenWS2's ws2_32.dll "
               "(put it beside the program and set WINEDLLOVERRIDES=ws2_32=n)\n",
               program);
        return 1;
    }
    printf("%s: ws2_32.dll: %s (OpenWS2)\n", program, path);

    if ((err = WSAStartup(MAKEWORD(2, 2), &data))) {
        printf("%s: FAIL: WSAStartup returned %d\n", program, err);
        return 1;
    }
    printf("%s: WSAStartup: version %d.%d, \"%s\"\n", program, LOBYTE(data.wVersion),
           HIBYTE(data.wVersion), data.szDescription);
    fflush(stdout);
    return 0;
}

const char *demo_family_name(int af)
{
    return af == AF_INET6 ? "IPv6" : "IPv4";
}

int demo_loopback(int af, struct sockaddr_storage *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (af == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(0);
        in6->sin6_addr.s6_addr[15] = 1; /* ::1 */
        return sizeof(*in6);
    }
    struct sockaddr_in *in = (struct sockaddr_in *)addr;
    in->sin_family = AF_INET;
    in->sin_port = htons(0);
    in->sin_addr.s_addr = inet_addr("127.0.0.1");
    return sizeof(*in);
}

/* RFC 5952 text of an IPv6 address: lowercase hex groups, the longest run of two or more zero
   groups shortened to "::". (inet_ntop is not among the classic calls the demo sticks to.) */
static void format_in6(const struct in6_addr *addr, char *buf, size_t size)
{
    unsigned groups[8];
    int best = -1, best_len = 0, pos = 0;

    for (int i = 0; i < 8; i++) groups[i] = addr->s6_addr[2 * i] << 8 | addr->s6_addr[2 * i + 1];
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && !groups[j]) j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    buf[0] = 0;
    for (int i = 0; i < 8 && pos < (int)size; i++) {
        if (i == best) {
            pos += snprintf(buf + pos, size - pos, "::");
            i += best_len - 1;
            continue;
        }
        pos += snprintf(buf + pos, size - pos, "%s%x", pos && buf[pos - 1] != ':' ? ":" : "",
                        groups[i]);
    }
}

const char *demo_format(const struct sockaddr *addr, char *buf, size_t size)
{
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        char text[48];
        format_in6(&in6->sin6_addr, text, sizeof(text));
        snprintf(buf, size, "[%s]:%u", text, ntohs(in6->sin6_port));
    } else if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        snprintf(buf, size, "%s:%u", inet_ntoa(in->sin_addr), ntohs(in->sin_port));
    } else {
        snprintf(buf, size, "(family %d)", addr->sa_family);
    }
    return buf;
}

int demo_same_address(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family) return 0;
    if (a->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
        const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;
        return a6->sin6_port == b6->sin6_port &&
               !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
    }
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;
    const struct sockaddr_in *b4 = (const struct sockaddr_in *)b;
    return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
}

int demo_wait(SOCKET s, int for_write, int seconds)
{
    fd_set set;
    struct timeval timeout = {seconds, 0};

    FD_ZERO(&set);
    FD_SET(s, &set);
    return select(0, for_write ? NULL : &set, for_write ? &set : NULL, NULL, &timeout);
}

unsigned char demo_pattern(unsigned seed, size_t offset)
{
    unsigned x = (unsigned)offset * 0x9e3779b1u ^ (seed + 1) * 0x85ebca6bu;
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return (unsigned char)x;
}

void demo_fill(unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++) buf[i] = demo_pattern(seed, offset + i);
}

size_t demo_check(const unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != demo_pattern(seed, offset + i)) return i;
    }
    return len;
}

int demo_fail(const char *program, int af, const char *what, int error)
{
    if (error)
        printf("%s %s: FAIL: %s (WSA error %d)\n", program, demo_family_name(af), what, error);
    else
        printf("%s %s: FAIL: %s\n", program, demo_family_name(af), what);
    fflush(stdout);
    return 1;
}
