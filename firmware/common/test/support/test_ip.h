/*
 * Byte-order and Internet-checksum helpers for tests that build and check IP packets by hand
 * (the netif and glue tests). Header-only: each test program includes what it uses.
 */
#ifndef MQTTVPN_TEST_IP_H
#define MQTTVPN_TEST_IP_H

#include <stddef.h>
#include <stdint.h>

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

#endif /* MQTTVPN_TEST_IP_H */
