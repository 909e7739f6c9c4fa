/*
 * Topic names (codec.h) against independent references: the prefix rule as written,
 * printf for dotted decimal, glibc's inet_ntop/inet_pton for RFC 5952 text, and the
 * destination fields for a packet's topic. Every output buffer is exactly as large as the
 * input says, so ASan sees a write past it. Input: an operation byte, a capacity byte,
 * a prefix (length byte, then its characters), then the address or the packet.
 */
#include <arpa/inet.h>
#include <ctype.h>

#include "mqttvpn/codec.h"
#include "fuzz_check.h"

/* The rule as README and --help write it: 1..64 bytes of printable ASCII without a space,
 * no MQTT wildcard, not starting with '$', not ending with '/'. */
static int prefix_model(const char *prefix)
{
    size_t n = strlen(prefix), i;

    if (n < 1 || n > MQTTVPN_TOPIC_PREFIX_MAX || strpbrk(prefix, "+#") != NULL || prefix[0] == '$' ||
        prefix[n - 1] == '/') {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!isgraph((unsigned char)prefix[i])) {
            return 0;
        }
    }
    return 1;
}

/* What the topic must be, given the address text after the '/'. */
static void check_topic(const char *got, size_t got_len, size_t cap, const char *prefix, const char *text)
{
    size_t want_len = strlen(prefix) + 1 + strlen(text);
    if (want_len + 1 > cap) {
        FUZZ_CHECK(got_len == 0);
        return;
    }
    FUZZ_CHECK(got_len == want_len && strlen(got) == want_len);
    FUZZ_CHECK(memcmp(got, prefix, strlen(prefix)) == 0 && got[strlen(prefix)] == '/');
    FUZZ_CHECK(strcmp(got + strlen(prefix) + 1, text) == 0);
}

/* RFC 5952 text of addr as glibc writes it, or "" when glibc would write an embedded IPv4
 * (::ffff:a.b.c.d, ::a.b.c.d), which the classic topics do not use. */
static void ipv6_reference(char out[INET6_ADDRSTRLEN], const uint8_t addr[16])
{
    FUZZ_CHECK(inet_ntop(AF_INET6, addr, out, INET6_ADDRSTRLEN) != NULL);
    if (strchr(out, '.') != NULL) {
        out[0] = '\0';
    }
}

/* Our text reads back as the address and is lower case hex without leading zeros. */
static void check_ipv6_text(const char *text, const uint8_t addr[16])
{
    uint8_t back[16];
    const char *g;
    FUZZ_CHECK(inet_pton(AF_INET6, text, back) == 1 && memcmp(back, addr, 16) == 0);
    FUZZ_CHECK(strspn(text, "0123456789abcdef:") == strlen(text));
    for (g = text; *g != '\0'; g++) {
        FUZZ_CHECK(!(*g == '0' && (g == text || g[-1] == ':') && g[1] != ':' && g[1] != '\0'));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    uint8_t op = fuzz_u8(&in);
    size_t cap = fuzz_u8(&in), plen, alen, i;
    const uint8_t *praw = fuzz_bytes(&in, fuzz_u8(&in) % (MQTTVPN_TOPIC_PREFIX_MAX + 8u), &plen);
    char prefix[MQTTVPN_TOPIC_PREFIX_MAX + 8u];
    char *out = malloc(cap > 0 ? cap : 1);
    char ref[INET6_ADDRSTRLEN + 32];
    const uint8_t *addr;
    size_t got;

    FUZZ_CHECK(out != NULL);
    for (i = 0; i < plen; i++) {
        prefix[i] = praw[i] != 0 ? (char)praw[i] : 'x'; /* a C string: no NUL inside */
    }
    prefix[plen] = '\0';
    FUZZ_CHECK(mqttvpn_topic_prefix_valid(prefix) == prefix_model(prefix));

    switch (op % 3) {
    case 0: {
        uint8_t a[4] = {0};
        addr = fuzz_bytes(&in, 4, &alen);
        memcpy(a, addr, alen);
        got = mqttvpn_topic_v4(cap > 0 ? out : NULL, cap, prefix, a);
        snprintf(ref, sizeof ref, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        check_topic(out, got, cap, prefix, ref);
        break;
    }
    case 1: {
        uint8_t a[16] = {0};
        addr = fuzz_bytes(&in, 16, &alen);
        memcpy(a, addr, alen);
        got = mqttvpn_topic_v6(cap > 0 ? out : NULL, cap, prefix, a);
        if (got > 0) {
            check_ipv6_text(out + plen + 1, a);
        }
        ipv6_reference(ref, a);
        if (ref[0] != '\0') {
            check_topic(out, got, cap, prefix, ref);
        }
        break;
    }
    default: {
        /* The packet is the rest of the input, in an exact-size copy. */
        const uint8_t *pkt = fuzz_bytes(&in, in.left, &alen);
        uint8_t *copy = malloc(alen > 0 ? alen : 1);
        char want[MQTTVPN_TOPIC_MAX + 16];
        size_t want_len = 0;
        FUZZ_CHECK(copy != NULL);
        memcpy(copy, pkt, alen);
        got = mqttvpn_topic_for_packet(cap > 0 ? out : NULL, cap, prefix, copy, alen);
        if (alen >= 20 && copy[0] >> 4 == 4) {
            want_len = mqttvpn_topic_v4(want, sizeof want, prefix, copy + 16);
        } else if (alen >= 40 && copy[0] >> 4 == 6 && copy[24] != 0xff) {
            want_len = mqttvpn_topic_v6(want, sizeof want, prefix, copy + 24);
        }
        if (want_len == 0 || want_len + 1 > cap) {
            FUZZ_CHECK(got == 0);
        } else {
            FUZZ_CHECK(got == want_len && strcmp(out, want) == 0);
        }
        free(copy);
        break;
    }
    }
    free(out);
    return 0;
}
