/*
 * The Merkle-Damgard framing MD5 and SHA-256 share: 64-byte blocks, a buffer for a partial
 * block between updates, and the final padding (0x80, zeros, the message length in bits as 64
 * bits; little-endian for MD5, big-endian for SHA-256). Each hash supplies its compression.
 */
#ifndef MQTTVPN_MD_BLOCKS_H
#define MQTTVPN_MD_BLOCKS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MQTTVPN_MD_BLOCK 64u

typedef void (*mqttvpn_md_compress_t)(uint32_t *h, const uint8_t block[MQTTVPN_MD_BLOCK]);

/* Adds len bytes to the 64-bit byte count lo/hi and runs compress over every whole block. */
static inline void mqttvpn_md_absorb(uint32_t *h, uint8_t block[MQTTVPN_MD_BLOCK], uint32_t *lo,
                                     uint32_t *hi, const uint8_t *data, size_t len,
                                     mqttvpn_md_compress_t compress)
{
    size_t used = *lo & (MQTTVPN_MD_BLOCK - 1u);
    uint32_t old_lo = *lo;

    if (len == 0) {
        return;
    }
#if SIZE_MAX > 0xFFFFFFFFu
    *hi += (uint32_t)((uint64_t)len >> 32);
#endif
    *lo += (uint32_t)len;
    *hi += *lo < old_lo;
    if (used > 0) {
        size_t take = MQTTVPN_MD_BLOCK - used < len ? MQTTVPN_MD_BLOCK - used : len;
        memcpy(block + used, data, take);
        data += take;
        len -= take;
        if (used + take < MQTTVPN_MD_BLOCK) {
            return;
        }
        compress(h, block);
    }
    for (; len >= MQTTVPN_MD_BLOCK; data += MQTTVPN_MD_BLOCK, len -= MQTTVPN_MD_BLOCK) {
        compress(h, data);
    }
    if (len > 0) {
        memcpy(block, data, len);
    }
}

/* Pads the buffered tail with the length in bits (big_endian: SHA-2's order, else MD5's)
 * and runs the last one or two compressions. */
static inline void mqttvpn_md_finish(uint32_t *h, uint8_t block[MQTTVPN_MD_BLOCK], uint32_t lo,
                                     uint32_t hi, int big_endian, mqttvpn_md_compress_t compress)
{
    size_t used = lo & (MQTTVPN_MD_BLOCK - 1u);
    uint32_t bits_lo = lo << 3, bits_hi = hi << 3 | lo >> 29;
    unsigned i;

    block[used++] = 0x80;
    if (used > MQTTVPN_MD_BLOCK - 8u) {
        memset(block + used, 0, MQTTVPN_MD_BLOCK - used);
        compress(h, block);
        used = 0;
    }
    memset(block + used, 0, MQTTVPN_MD_BLOCK - 8u - used);
    for (i = 0; i < 4; i++) {
        if (big_endian) {
            block[56 + i] = (uint8_t)(bits_hi >> (24 - 8 * i));
            block[60 + i] = (uint8_t)(bits_lo >> (24 - 8 * i));
        } else {
            block[56 + i] = (uint8_t)(bits_lo >> (8 * i));
            block[60 + i] = (uint8_t)(bits_hi >> (8 * i));
        }
    }
    compress(h, block);
}

#endif /* MQTTVPN_MD_BLOCKS_H */
