/*
 * IP packets built and checked by hand for the tests that run the driver on real lwIP (netif,
 * glue): byte order, the Internet checksum, and ICMP/ICMPv6 echo requests with the replies
 * lwIP must give them. Header-only: each test program includes what it uses.
 */
#ifndef MQTTVPN_TEST_IP_H
#define MQTTVPN_TEST_IP_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One's-complement sum of n bytes as big-endian 16-bit words, added to sum (RFC 1071). */
static inline uint32_t sum16(const uint8_t *d, size_t n, uint32_t sum)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t)((d[i] << 8) | d[i + 1]);
    }
    if (n & 1) {
        sum += (uint32_t)(d[n - 1] << 8);
    }
    return sum;
}

/* The checksum field for a running sum; 0 when verifying a packet that carries its checksum. */
static inline uint16_t fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffffu) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

static inline void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

/* The identifier of every echo request the tests send. */
#define TEST_ECHO_ID 0x4d51u

/* The echo payload: payload_len bytes of a pattern that differs per sequence number. */
static inline void echo_payload(uint8_t *p, uint16_t seq, size_t payload_len)
{
    size_t i;
    for (i = 0; i < payload_len; i++) {
        p[i] = (uint8_t)(i * 7u + 3u + seq);
    }
}

/* An IPv4 ICMP echo request (type 8) or reply (0) from src to dst; returns its length. */
static inline size_t icmp4_echo(uint8_t *out, int type, const char *src, const char *dst, uint16_t seq,
                                size_t payload_len)
{
    size_t len = 20 + 8 + payload_len;
    memset(out, 0, 28);
    out[0] = 0x45;
    put16(out + 2, (uint16_t)len);
    out[8] = 64;
    out[9] = 1;
    inet_pton(AF_INET, src, out + 12);
    inet_pton(AF_INET, dst, out + 16);
    put16(out + 10, fold(sum16(out, 20, 0)));
    out[20] = (uint8_t)type;
    put16(out + 24, TEST_ECHO_ID);
    put16(out + 26, seq);
    echo_payload(out + 28, seq, payload_len);
    put16(out + 22, fold(sum16(out + 20, 8 + payload_len, 0)));
    return len;
}

static inline uint32_t ip6_pseudo_sum(const uint8_t *ip6, size_t upper_len, uint8_t next)
{
    uint8_t tail[8] = {0};
    tail[2] = (uint8_t)(upper_len >> 8);
    tail[3] = (uint8_t)upper_len;
    tail[7] = next;
    return sum16(tail, 8, sum16(ip6 + 8, 32, 0));
}

/* An IPv6 ICMPv6 echo request (type 128) or reply (129) from src to dst; returns its length. */
static inline size_t icmp6_echo(uint8_t *out, int type, const char *src, const char *dst, uint16_t seq,
                                size_t payload_len)
{
    size_t upper = 8 + payload_len;
    memset(out, 0, 48);
    out[0] = 0x60;
    put16(out + 4, (uint16_t)upper);
    out[6] = 58;
    out[7] = 64;
    inet_pton(AF_INET6, src, out + 8);
    inet_pton(AF_INET6, dst, out + 24);
    out[40] = (uint8_t)type;
    put16(out + 44, TEST_ECHO_ID);
    put16(out + 46, seq);
    echo_payload(out + 48, seq, payload_len);
    put16(out + 42, fold(sum16(out + 40, upper, ip6_pseudo_sum(out, upper, 58))));
    return 40 + upper;
}

/* Whether pkt is a well-formed echo reply from src to dst to our request seq: valid header
 * and ICMP checksums, addresses, type, id, seq and payload (TTL and IP id are lwIP's). */
static inline int is_icmp4_echo_reply(const uint8_t *pkt, size_t len, const char *src, const char *dst,
                                      uint16_t seq, size_t payload_len)
{
    uint8_t want[2048];
    size_t want_len = icmp4_echo(want, 0, src, dst, seq, payload_len);
    return len == want_len && pkt[0] == 0x45 && get16(pkt + 2) == len && pkt[9] == 1 &&
           fold(sum16(pkt, 20, 0)) == 0 && memcmp(pkt + 12, want + 12, 8) == 0 &&
           fold(sum16(pkt + 20, len - 20, 0)) == 0 && memcmp(pkt + 20, want + 20, 2) == 0 &&
           memcmp(pkt + 24, want + 24, len - 24) == 0;
}

static inline int is_icmp6_echo_reply(const uint8_t *pkt, size_t len, const char *src, const char *dst,
                                      uint16_t seq, size_t payload_len)
{
    uint8_t want[2048];
    size_t want_len = icmp6_echo(want, 129, src, dst, seq, payload_len);
    return len == want_len && (pkt[0] >> 4) == 6 && get16(pkt + 4) + 40u == len && pkt[6] == 58 &&
           memcmp(pkt + 8, want + 8, 32) == 0 && pkt[40] == 129 &&
           fold(sum16(pkt + 40, len - 40, ip6_pseudo_sum(pkt, len - 40, 58))) == 0 &&
           memcmp(pkt + 44, want + 44, len - 44) == 0;
}

#endif /* MQTTVPN_TEST_IP_H */
