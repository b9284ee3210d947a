/*
 * inet_addr and inet_ntoa: IPv4 dotted notation. Neither needs WSAStartup, as on Windows; both
 * leave the last error alone except for inet_addr's NULL or unreadable argument (WSAEFAULT).
 */
#include "openws2/core.h"

/* The C locale's white space: what may end an address, with anything after it ignored. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

/*
 * One part of an address: decimal, octal after a leading 0, hexadecimal after 0x or 0X. It must
 * start with a decimal digit and hold at least one digit of its base; it may be as large as a
 * whole address (32 bits). Returns the position after it, or NULL.
 */
static const char *parse_part(const char *p, ULONG *value)
{
    unsigned int base = 10;
    ULONGLONG v = 0;
    const char *digits;

    if (*p < '0' || *p > '9') return NULL;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0') {
        base = 8;
    }
    for (digits = p; digit_value(*p) < (int)base; p++) {
        v = v * base + digit_value(*p);
        if (v > 0xffffffffu) return NULL;
    }
    if (p == digits) return NULL; /* "0x" with no digit after it */
    *value = (ULONG)v;
    return p;
}

/*
 * The reference page's forms: a.b.c.d (four bytes), a.b.c (c fills the last 16 bits), a.b (b
 * fills the last 24 bits) and a (one 32-bit number), each part in C notation. The address ends
 * at the end of the string or at white space; any other character, a part out of range, more
 * than four parts, or leading white space gives INADDR_NONE. The page singles out " " (a single
 * space), which gives 0, and "" and NULL, which give INADDR_NONE.
 */
unsigned long WSAAPI inet_addr(const char *cp)
{
    static const ULONG part_max[4][4] = {
        {0xffffffffu},
        {0xff, 0xffffff},
        {0xff, 0xff, 0xffff},
        {0xff, 0xff, 0xff, 0xff},
    };
    ULONG parts[4], result = 0;
    unsigned int count = 0, i;
    const char *p = cp;

    if (!cp || IsBadStringPtrA(cp, (UINT_PTR)-1)) {
        SetLastError(WSAEFAULT);
        return INADDR_NONE;
    }
    if (cp[0] == ' ' && cp[1] == '\0') return 0;

    for (;;) {
        if (!(p = parse_part(p, &parts[count]))) return INADDR_NONE;
        count++;
        if (*p == '\0' || is_space(*p)) break;
        if (*p != '.' || count == 4) return INADDR_NONE;
        p++;
    }

    for (i = 0; i < count; i++) {
        if (parts[i] > part_max[count - 1][i]) return INADDR_NONE;
        /* The last part fills whatever bytes the earlier ones left. */
        result |= i + 1 < count ? parts[i] << (24 - 8 * i) : parts[i];
    }
    return htonl(result);
}

/* Appends the decimal form of a byte; returns the position after it. */
static char *put_byte(char *out, unsigned int b)
{
    if (b >= 100) *out++ = (char)('0' + b / 100);
    if (b >= 10) *out++ = (char)('0' + b / 10 % 10);
    *out++ = (char)('0' + b % 10);
    return out;
}

/*
 * The result lives in the calling thread's block, valid until the thread's next Winsock call
 * (the reference page's rule); each thread has its own, so threads do not overwrite each other.
 */
char *WSAAPI inet_ntoa(struct in_addr in)
{
    struct ws_thread *t = ws_thread_get();
    const unsigned char *b = &in.S_un.S_un_b.s_b1;
    char *out;

    if (!t) return NULL;
    out = t->ntoa_buffer;
    for (int i = 0; i < 4; i++) {
        if (i) *out++ = '.';
        out = put_byte(out, b[i]);
    }
    *out = '\0';
    return t->ntoa_buffer;
}
