/*
 * Topic names "<prefix>/<address>": dotted decimal for IPv4, RFC 5952 text for IPv6. Every
 * node must produce the very same string for an address, or publishers and subscribers miss
 * each other; hence one canonical form and no locale or printf involved. No division: the
 * lx106 has no divide instruction.
 */
#include "mqttvpn/codec.h"

#include <string.h>

#define IPV4_TEXT_MAX 15u /* 255.255.255.255 */
#define IPV6_TEXT_MAX 39u /* eight groups of four hex digits and seven colons */

static size_t put_decimal(char *out, unsigned v)
{
    size_t n = 0;
    unsigned hundreds = 0, tens = 0;
    while (v >= 100) {
        v -= 100;
        hundreds++;
    }
    while (v >= 10) {
        v -= 10;
        tens++;
    }
    if (hundreds > 0) {
        out[n++] = (char)('0' + hundreds);
    }
    if (hundreds > 0 || tens > 0) {
        out[n++] = (char)('0' + tens);
    }
    out[n++] = (char)('0' + v);
    return n;
}

static size_t ipv4_text(char out[IPV4_TEXT_MAX], const uint8_t addr[4])
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i > 0) {
            out[n++] = '.';
        }
        n += put_decimal(out + n, addr[i]);
    }
    return n;
}

/* A group of up to four hex digits, lower case, without leading zeros (RFC 5952 4.1, 4.3). */
static size_t put_group(char *out, unsigned group)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned digit = (group >> shift) & 0xf;
        if (n > 0 || digit != 0 || shift == 0) {
            out[n++] = hex[digit];
        }
    }
    return n;
}

static size_t ipv6_text(char out[IPV6_TEXT_MAX], const uint8_t addr[16])
{
    unsigned groups[8];
    int best_start = -1, best_len = 1; /* a lone zero group is not compressed (RFC 5952 4.2.2) */
    size_t n = 0;

    for (int i = 0; i < 8; i++) {
        groups[i] = (unsigned)addr[2 * i] << 8 | addr[2 * i + 1];
    }
    /* The longest run of zero groups; on a tie the first (RFC 5952 4.2.3). */
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && groups[j] == 0) {
            j++;
        }
        if (j - i > best_len) {
            best_start = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }

    for (int i = 0; i < 8; i++) {
        if (i == best_start) {
            out[n++] = ':';
            out[n++] = ':';
            i += best_len - 1;
            continue;
        }
        if (n > 0 && out[n - 1] != ':') {
            out[n++] = ':';
        }
        n += put_group(out + n, groups[i]);
    }
    return n;
}

static size_t join(char *out, size_t cap, const char *prefix, const char *text, size_t text_len)
{
    size_t prefix_len = prefix != NULL ? strlen(prefix) : 0;
    size_t len = prefix_len + 1 + text_len;
    if (out == NULL || len + 1 > cap) {
        return 0;
    }
    if (prefix_len > 0) {
        memcpy(out, prefix, prefix_len);
    }
    out[prefix_len] = '/';
    memcpy(out + prefix_len + 1, text, text_len);
    out[len] = '\0';
    return len;
}

const char *mqttvpn_topic_prefix_problem(const char *prefix)
{
    size_t n;
    if (prefix == NULL || prefix[0] == '\0') {
        return "is empty";
    }
    /* Bounded: a prefix that is too long is refused without reading all of it. */
    for (n = 0; prefix[n] != '\0'; n++) {
        unsigned char c = (unsigned char)prefix[n];
        if (n == MQTTVPN_TOPIC_PREFIX_MAX) {
            return "is too long";
        }
        if (c == '+' || c == '#') {
            return "contains an MQTT wildcard ('+' or '#')";
        }
        if (c <= ' ' || c > '~') {
            return "contains a space, a control or a non-ASCII character (use printable ASCII)";
        }
    }
    if (prefix[0] == '$') {
        return "starts with '$' (topics the broker reserves, like $SYS)";
    }
    if (prefix[n - 1] == '/') {
        return "ends with '/' (leave the slash out)";
    }
    return NULL;
}

int mqttvpn_topic_prefix_valid(const char *prefix)
{
    return mqttvpn_topic_prefix_problem(prefix) == NULL;
}

size_t mqttvpn_topic_v4(char *out, size_t cap, const char *prefix, const uint8_t addr[4])
{
    char text[IPV4_TEXT_MAX];
    return join(out, cap, prefix, text, ipv4_text(text, addr));
}

size_t mqttvpn_topic_v6(char *out, size_t cap, const char *prefix, const uint8_t addr[16])
{
    char text[IPV6_TEXT_MAX];
    return join(out, cap, prefix, text, ipv6_text(text, addr));
}

size_t mqttvpn_topic_for_packet(char *out, size_t cap, const char *prefix, const uint8_t *packet, size_t len)
{
    if (packet == NULL || len < MQTTVPN_MIN_PACKET) {
        return 0;
    }
    switch (packet[0] >> 4) {
    case 4:
        return mqttvpn_topic_v4(out, cap, prefix, packet + 16);
    case 6:
        /* ff00::/8: the classic protocol has no topic for multicast groups. */
        if (len < 40 || packet[24] == 0xff) {
            return 0;
        }
        return mqttvpn_topic_v6(out, cap, prefix, packet + 24);
    default:
        return 0;
    }
}
