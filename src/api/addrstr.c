/*
 * Address strings: inet_pton and InetPtonW, inet_ntop and InetNtopW, WSAStringToAddressA/W and
 * WSAAddressToStringA/W. One IPv4 reader, one IPv6 reader and one writer per family serve all
 * eight; the ANSI and Unicode forms differ only in how characters are read and stored.
 *
 * The readers follow Windows in what they accept and also in what they leave behind when they
 * fail: they store each part of an address as soon as it is read, so a rejected string can leave
 * part of an address in the caller's buffer (programs and Wine's conformance tests see it).
 * inet_pton and inet_ntop need no WSAStartup; the WSA forms do.
 */
#include "openws2/core.h"

/* "[" + the longest IPv6 text (45) + "%4294967295" + "]:65535", and the terminator. */
#define ADDRSTR_MAX 72

/* ---- reading: one cursor over an ANSI or a UTF-16 string ---- */

struct text {
    const char *a; /* exactly one of a and w is set */
    const WCHAR *w;
    size_t pos;
};

/* The character `ahead` places on; callers never look past a terminator they have seen. */
static unsigned int peek_at(const struct text *t, size_t ahead)
{
    size_t i = t->pos + ahead;
    return t->a ? (unsigned char)t->a[i] : t->w[i];
}

static unsigned int peek(const struct text *t)
{
    return peek_at(t, 0);
}

static bool text_readable(const struct text *t)
{
    return t->a ? !IsBadStringPtrA(t->a, (UINT_PTR)-1) : !IsBadStringPtrW(t->w, (UINT_PTR)-1);
}

/* The value of a hexadecimal digit, or -1. */
static int digit_value(unsigned int c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}

static bool is_x(unsigned int c)
{
    return c == 'x' || c == 'X';
}

/* ---- IPv4 ---- */

/*
 * One part of an IPv4 address (also a scope id or a port). Strict (inet_pton, scope ids):
 * decimal, with no 0 before another digit and no 0x. Otherwise 0x or 0X starts hexadecimal and a
 * 0 before a digit starts octal. Digits accumulate in 32 bits, and a part fails only when a digit
 * makes the value smaller: Windows' overflow test, under which "0x123456789" reads as 0x23456789.
 */
static bool v4_part(struct text *t, bool strict, ULONG *value)
{
    unsigned int base = 10;
    ULONG v = 0;
    bool any = false;
    int d;

    if (peek(t) == '0' && is_x(peek_at(t, 1))) {
        if (strict) return false;
        base = 16;
        t->pos += 2;
    } else if (peek(t) == '0' && peek_at(t, 1) >= '0' && peek_at(t, 1) <= '9') {
        if (strict) return false;
        base = 8;
        t->pos++;
    }
    while ((d = digit_value(peek(t))) >= 0 && d < (int)base) {
        ULONG next = v * base + (ULONG)d;
        if (next < v) return false;
        v = next;
        any = true;
        t->pos++;
    }
    if (any) *value = v;
    return any;
}

/* A port after ':': any base, 1 to 65535, and the end of the text. */
static bool read_port(struct text *t, USHORT *port)
{
    ULONG value;
    if (!v4_part(t, false, &value) || !value || value > 0xffff || peek(t)) return false;
    *port = htons((USHORT)value);
    return true;
}

/*
 * The IPv4 forms: a.b.c.d, and unless strict also a.b.c (c fills 16 bits), a.b (b fills 24 bits)
 * and a (32 bits), then ":port" when port is given. The address is stored once its parts are read
 * and in range, before what follows is looked at. True when the whole text was read.
 */
static bool v4_read(struct text *t, bool strict, void *addr, USHORT *port)
{
    ULONG part[4], value = 0;
    unsigned int n = 0, i, last_bits;

    for (;;) {
        if (!v4_part(t, strict, &part[n])) return false;
        n++;
        if (peek(t) != '.') break;
        if (n == 4) return false;
        t->pos++;
    }
    if (strict && n < 4) return false;

    last_bits = 8 * (5 - n);
    for (i = 0; i + 1 < n; i++) {
        if (part[i] > 0xff) return false;
        value = value << 8 | part[i];
    }
    if (last_bits < 32) {
        if (part[n - 1] >> last_bits) return false;
        value = value << last_bits | part[n - 1];
    } else {
        value = part[0];
    }
    value = htonl(value);
    memcpy(addr, &value, sizeof(value));

    if (port && peek(t) == ':') {
        t->pos++;
        return read_port(t, port);
    }
    return !peek(t);
}

/* Appends a number in decimal; returns the position after it. */
static char *put_decimal(char *out, ULONG v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *out++ = digits[--n];
    return out;
}

static char *put_v4(char *out, const BYTE *b)
{
    for (int i = 0; i < 4; i++) {
        if (i) *out++ = '.';
        out = put_decimal(out, b[i]);
    }
    return out;
}

/* "a.b.c.d", then ":port" when the port (network order) is not 0. Returns the length. */
static size_t v4_write(const void *addr, USHORT port, char *out)
{
    char *p = put_v4(out, addr);
    if (port) {
        *p++ = ':';
        p = put_decimal(p, ntohs(port));
    }
    *p = '\0';
    return (size_t)(p - out);
}

/* ---- IPv6 ---- */

/*
 * A number as the IPv6 reader takes it: it must start with a hexadecimal digit; base 16 also
 * takes a 0x prefix ("0x" with no digit after it reads as 0 and stops at the x). The value
 * saturates at 0x7fffffff; *length counts the characters read.
 */
static bool v6_number(struct text *t, unsigned int base, ULONG *value, size_t *length)
{
    size_t start = t->pos;
    ULONGLONG v = 0;
    int d;

    if (digit_value(peek(t)) < 0) return false;
    if (base == 16 && peek(t) == '0' && is_x(peek_at(t, 1))) {
        if (digit_value(peek_at(t, 2)) < 0) {
            t->pos++;
            *value = 0;
            *length = 1;
            return true;
        }
        t->pos += 2;
    }
    while ((d = digit_value(peek(t))) >= 0 && d < (int)base) {
        if (v < 0x80000000u) v = v * base + (ULONG)d;
        t->pos++;
    }
    if (t->pos == start) return false; /* base 10 and a letter */
    *value = v < 0x7fffffff ? (ULONG)v : 0x7fffffff;
    *length = t->pos - start;
    return true;
}

/* Does a dotted IPv4 part start here: decimal digits, then a dot? */
static bool v4_part_follows(const struct text *t)
{
    struct text probe = *t;
    ULONG value;
    size_t length;
    return v6_number(&probe, 10, &value, &length) && peek(&probe) == '.';
}

static void put_group(BYTE *out, unsigned int at, ULONG value)
{
    out[at] = (BYTE)(value >> 8);
    out[at + 1] = (BYTE)value;
}

/* Moves the groups read after "::" to the end and zeroes the bytes it stands for. */
static void expand_gap(BYTE *out, unsigned int filled, int gap)
{
    unsigned int tail = filled - (unsigned int)gap;
    memmove(out + 16 - tail, out + gap, tail);
    memset(out + gap, 0, 16 - filled);
}

/*
 * The IPv6 forms: eight groups of up to four hexadecimal digits, one "::" for a run of zero
 * groups, and the last 32 bits optionally as a dotted IPv4 address (each part decimal, at most
 * three digits). With ex (WSAStringToAddress) also "%scope" and "[address%scope]:port"; without
 * it (inet_pton) only the address. Windows also reads a last group written 0x..., fills the
 * address with it, and then rejects the text; so do we. True when the whole text was read.
 */
static bool v6_read(struct text *t, bool ex, BYTE *out, ULONG *scope, USHORT *port)
{
    unsigned int filled = 0, dotted = 0; /* bytes stored; parts of a dotted tail read */
    int gap = -1;                        /* byte offset of "::" */
    bool bracket = false;
    ULONG value, scope_id = 0;
    USHORT port_value = 0;
    size_t length;

    if (peek(t) == '[') {
        if (!ex) return false;
        bracket = true;
        t->pos++;
    }
    if (peek(t) == ':') {
        if (peek_at(t, 1) != ':') return false;
        t->pos++; /* the second colon is read below as the "::" */
        put_group(out, 0, 0);
    }

    for (;;) {
        if (!dotted && peek(t) == ':') {
            if (gap >= 0) return false;
            t->pos++;
            gap = (int)filled;
            if (filled == 14 || digit_value(peek(t)) < 0) break;
        }
        if (!dotted && filled <= (gap >= 0 ? 10u : 12u) && v4_part_follows(t)) dotted = 1;

        if (dotted) {
            if (!v6_number(t, 10, &value, &length) || length > 3 || value > 255) return false;
            /* The fourth part may end the text only where it completes the address. */
            if (peek(t) != '.' && (dotted < 4 || (gap < 0 && filled < 15))) return false;
            out[filled++] = (BYTE)value;
            if (dotted++ == 4) break;
        } else {
            bool prefixed = peek(t) == '0' && is_x(peek_at(t, 1));
            if (!v6_number(t, 16, &value, &length)) return false;
            if (prefixed) {
                if (gap < 0 && filled < 14) return false;
                put_group(out, filled, value);
                filled += 2;
                if (gap >= 0) expand_gap(out, filled, gap);
                return false;
            }
            if (peek(t) != ':' && gap < 0 && filled < 14) return false;
            if (length > 4) return false;
            put_group(out, filled, value);
            filled += 2;
            if (peek(t) != ':' || (gap >= 0 && peek_at(t, 1) == ':')) break;
        }
        if (filled == (gap >= 0 ? 14u : 16u)) break;
        t->pos++; /* the ':' or '.' after the part */
    }

    if (gap < 0 && filled < 16) return false;
    if (gap >= 0) expand_gap(out, filled, gap);
    if (!ex) return !peek(t);

    if (peek(t) == '%') {
        t->pos++;
        if (!v4_part(t, true, &scope_id)) return false;
    }
    if (bracket) {
        if (peek(t) != ']') return false;
        t->pos++;
        if (peek(t) == ':') {
            t->pos++;
            if (!read_port(t, &port_value)) return false;
        }
    }
    if (peek(t)) return false;
    *scope = scope_id;
    *port = port_value;
    return true;
}

/*
 * Windows writes the last 32 bits in dotted form for an IPv4-compatible (::a.b.c.d), IPv4-mapped
 * (::ffff:a.b.c.d) or IPv4-translated (::ffff:0:a.b.c.d) address whose seventh group is not 0
 * (so ::1 and ::ffff:0:1 stay hexadecimal), and for any ISATAP identifier (x:x:x:x:0:5efe:a.b.c.d
 * or x:x:x:x:200:5efe:a.b.c.d).
 */
static bool v6_has_dotted_tail(const USHORT *g)
{
    if (g[5] == 0x5efe && (g[4] == 0 || g[4] == 0x200)) return true;
    if (g[0] || g[1] || g[2] || g[3] || !g[6]) return false;
    return (g[4] == 0 && (g[5] == 0 || g[5] == 0xffff)) || (g[4] == 0xffff && g[5] == 0);
}

/*
 * Lowercase hexadecimal groups without leading zeros; the first longest run of two or more zero
 * groups becomes "::"; then "%scope" when the scope is not 0; the whole in brackets with ":port"
 * when the port (network order) is not 0. Returns the length.
 */
static size_t v6_write(const BYTE *addr, ULONG scope, USHORT port, char *out)
{
    static const char hex[] = "0123456789abcdef";
    USHORT g[8];
    unsigned int groups, i, run_at = 0, run_len = 1;
    char *p = out;

    for (i = 0; i < 8; i++) g[i] = (USHORT)(addr[2 * i] << 8 | addr[2 * i + 1]);
    groups = v6_has_dotted_tail(g) ? 6 : 8;
    for (i = 0; i < groups;) {
        unsigned int j = i;
        while (j < groups && !g[j]) j++;
        if (j - i > run_len) {
            run_at = i;
            run_len = j - i;
        }
        i = j > i ? j : i + 1;
    }

    if (port) *p++ = '[';
    for (i = 0; i < groups;) {
        if (run_len > 1 && i == run_at) {
            *p++ = ':';
            i += run_len;
            if (i == groups) *p++ = ':';
            continue;
        }
        if (i) *p++ = ':';
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned int nibble = g[i] >> shift & 0xf;
            if (nibble || started || !shift) {
                *p++ = hex[nibble];
                started = true;
            }
        }
        i++;
    }
    if (groups == 6) {
        if (p[-1] != ':') *p++ = ':';
        p = put_v4(p, addr + 12);
    }
    if (scope) {
        *p++ = '%';
        p = put_decimal(p, scope);
    }
    if (port) {
        *p++ = ']';
        *p++ = ':';
        p = put_decimal(p, ntohs(port));
    }
    *p = '\0';
    return (size_t)(p - out);
}

/* ---- storing a result as ANSI or UTF-16 ---- */

static void store_text(void *out, bool wide, const char *text, size_t count)
{
    if (!wide) {
        memcpy(out, text, count);
        return;
    }
    for (size_t i = 0; i < count; i++) ((WCHAR *)out)[i] = (unsigned char)text[i];
}

/* ---- inet_pton, InetPtonW ---- */

/* 1 for an address, 0 for text that is none, -1 with the error for bad arguments. */
static INT pton(INT family, struct text *t, PVOID addr)
{
    size_t size = family == AF_INET ? sizeof(IN_ADDR) : sizeof(IN6_ADDR);

    if (!(t->a || t->w) || !text_readable(t) || !addr) {
        SetLastError(WSAEFAULT);
        return -1;
    }
    if (family != AF_INET && family != AF_INET6) {
        SetLastError(WSAEAFNOSUPPORT);
        return -1;
    }
    if (!ws_writable(addr, size)) {
        SetLastError(WSAEFAULT);
        return -1;
    }
    if (family == AF_INET) return v4_read(t, true, addr, NULL);
    return v6_read(t, false, addr, NULL, NULL);
}

/* A string that is no address returns 0 and leaves the last error alone. */
INT WSAAPI inet_pton(INT Family, LPCSTR pszAddrString, PVOID pAddrBuf)
{
    struct text t = {.a = pszAddrString};
    return pton(Family, &t, pAddrBuf);
}

/* Unlike inet_pton, Windows' InetPtonW also sets WSAEINVAL when it returns 0. */
INT WSAAPI InetPtonW(INT Family, LPCWSTR pszAddrString, PVOID pAddrBuf)
{
    struct text t = {.w = pszAddrString};
    INT ret = pton(Family, &t, pAddrBuf);
    if (!ret) SetLastError(WSAEINVAL);
    return ret;
}

/* ---- inet_ntop, InetNtopW ---- */

/*
 * The reference page names ERROR_INVALID_PARAMETER for a NULL or short buffer; Windows in fact
 * sets STATUS_INVALID_PARAMETER (its ntdll formatter's status, passed through), and programs and
 * tests check for that value.
 */
static const void *ntop_fail(DWORD error)
{
    SetLastError(error);
    return NULL;
}

static const void *ntop(INT family, const void *addr, void *buf, size_t size, bool wide)
{
    char text[ADDRSTR_MAX];
    size_t len, unit = wide ? sizeof(WCHAR) : 1;

    if (family != AF_INET && family != AF_INET6) return ntop_fail(WSAEAFNOSUPPORT);
    if (!addr || !buf) return ntop_fail((DWORD)STATUS_INVALID_PARAMETER_);
    if (!ws_readable(addr, family == AF_INET ? sizeof(IN_ADDR) : sizeof(IN6_ADDR)))
        return ntop_fail(WSAEFAULT);
    len = family == AF_INET ? v4_write(addr, 0, text) : v6_write(addr, 0, 0, text);
    if (size <= len) return ntop_fail((DWORD)STATUS_INVALID_PARAMETER_);
    if (!ws_writable(buf, (len + 1) * unit)) return ntop_fail(WSAEFAULT);
    store_text(buf, wide, text, len + 1);
    return buf;
}

LPCSTR WSAAPI inet_ntop(INT Family, LPCVOID pAddr, LPSTR pStringBuf, size_t StringBufSize)
{
    return ntop(Family, pAddr, pStringBuf, StringBufSize, false);
}

LPCWSTR WSAAPI InetNtopW(INT Family, LPCVOID pAddr, LPWSTR pStringBuf, size_t StringBufSize)
{
    return ntop(Family, pAddr, pStringBuf, StringBufSize, true);
}

/* ---- WSAStringToAddressA/W ---- */

/*
 * In the reference page's order: startup, a readable lpProtocolInfo if one is given, a family
 * we carry (WSAEINVAL: no provider supports it), the length (too small: WSAEFAULT with the size
 * needed stored), the output buffer, then the text. A NULL text cannot be translated (WSAEINVAL);
 * an unreadable one is WSAEFAULT. The sockaddr is zeroed before the text is read, and parts of
 * a rejected address can remain in it, as on Windows; its length is only updated on success.
 */
static int string_to_address(struct text *t, INT family, const void *info, size_t info_size,
                             LPSOCKADDR addr, LPINT addr_len)
{
    int need;
    bool ok;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (info && !ws_readable(info, info_size)) return ws_fail(WSAEFAULT);
    if (!(need = ws_sockaddr_len(family))) return ws_fail(WSAEINVAL);
    if (!ws_writable(addr_len, sizeof(*addr_len))) return ws_fail(WSAEFAULT);
    if (*addr_len < need) {
        *addr_len = need;
        return ws_fail(WSAEFAULT);
    }
    if (!ws_writable(addr, (size_t)need)) return ws_fail(WSAEFAULT);
    if (!(t->a || t->w)) return ws_fail(WSAEINVAL);
    if (!text_readable(t)) return ws_fail(WSAEFAULT);

    memset(addr, 0, (size_t)need);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)addr;
        ok = v4_read(t, false, &sin->sin_addr, &sin->sin_port);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;
        ok = v6_read(t, true, sin6->sin6_addr.s6_addr, &sin6->sin6_scope_id, &sin6->sin6_port);
    }
    if (!ok) return ws_fail(WSAEINVAL);
    addr->sa_family = (ADDRESS_FAMILY)family;
    *addr_len = need;
    return 0;
}

INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                               LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSOCKADDR lpAddress,
                               LPINT lpAddressLength)
{
    struct text t = {.a = AddressString};
    return string_to_address(&t, AddressFamily, lpProtocolInfo, sizeof(*lpProtocolInfo), lpAddress,
                             lpAddressLength);
}

INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
                               LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                               LPINT lpAddressLength)
{
    struct text t = {.w = AddressString};
    return string_to_address(&t, AddressFamily, lpProtocolInfo, sizeof(*lpProtocolInfo), lpAddress,
                             lpAddressLength);
}

/* ---- WSAAddressToStringA/W ---- */

/*
 * In the reference page's order: startup; a NULL address, address length or string length is
 * WSAEINVAL; memory we read or write outside the process is WSAEFAULT; a family we do not carry
 * or an address shorter than its family's sockaddr is WSAEINVAL. A buffer shorter than the text
 * and its terminator (counted in characters) gives WSAEFAULT with the length needed stored.
 */
static int address_to_string(const struct sockaddr *addr, DWORD addr_len, const void *info,
                             size_t info_size, void *out, bool wide, LPDWORD out_len)
{
    char text[ADDRSTR_MAX];
    size_t len, unit = wide ? sizeof(WCHAR) : 1;
    int need;

    if (!ws_started()) return ws_fail(WSANOTINITIALISED);
    if (!addr || !addr_len || !out_len) return ws_fail(WSAEINVAL);
    if (!ws_readable(addr, sizeof(addr->sa_family)) || !ws_writable(out_len, sizeof(*out_len)) ||
        (info && !ws_readable(info, info_size)))
        return ws_fail(WSAEFAULT);
    if (!(need = ws_sockaddr_len(addr->sa_family)) || addr_len < (DWORD)need)
        return ws_fail(WSAEINVAL);
    if (!ws_readable(addr, (size_t)need)) return ws_fail(WSAEFAULT);

    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
        len = v4_write(&sin->sin_addr, sin->sin_port, text);
    } else {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;
        len = v6_write(sin6->sin6_addr.s6_addr, sin6->sin6_scope_id, sin6->sin6_port, text);
    }
    if (*out_len < len + 1) {
        *out_len = (DWORD)(len + 1);
        return ws_fail(WSAEFAULT);
    }
    if (!ws_writable(out, (len + 1) * unit)) return ws_fail(WSAEFAULT);
    store_text(out, wide, text, len + 1);
    *out_len = (DWORD)(len + 1);
    return 0;
}

INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                               LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSTR lpszAddressString,
                               LPDWORD lpdwAddressStringLength)
{
    return address_to_string(lpsaAddress, dwAddressLength, lpProtocolInfo, sizeof(*lpProtocolInfo),
                             lpszAddressString, false, lpdwAddressStringLength);
}

INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                               LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                               LPDWORD lpdwAddressStringLength)
{
    return address_to_string(lpsaAddress, dwAddressLength, lpProtocolInfo, sizeof(*lpProtocolInfo),
                             lpszAddressString, true, lpdwAddressStringLength);
}
