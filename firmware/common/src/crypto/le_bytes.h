/*
 * Little-endian loads and stores for the crypto code. NaCl's primitives are defined on
 * little-endian 32/64-bit words; these helpers make that independent of the host's byte
 * order. The *_aligned variants compile to one word access on little-endian GCC targets:
 * the ESP8266 faults on unaligned word loads, so callers use them only on pointers they
 * have checked with mqttvpn_aligned4().
 */
#ifndef MQTTVPN_LE_BYTES_H
#define MQTTVPN_LE_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t mqttvpn_load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void mqttvpn_store32_le(uint8_t *p, uint32_t w)
{
    p[0] = (uint8_t)w;
    p[1] = (uint8_t)(w >> 8);
    p[2] = (uint8_t)(w >> 16);
    p[3] = (uint8_t)(w >> 24);
}

static inline int mqttvpn_aligned4(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & 3u) == 0;
}

/*
 * __builtin_memcpy, not memcpy: firmware builds use -ffreestanding, which turns plain memcpy
 * into a library call instead of a single load.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint32_t mqttvpn_load32_le_aligned(const uint8_t *p)
{
    uint32_t w;
    __builtin_memcpy(&w, __builtin_assume_aligned(p, 4), 4);
    return w;
}

static inline void mqttvpn_store32_le_aligned(uint8_t *p, uint32_t w)
{
    __builtin_memcpy(__builtin_assume_aligned(p, 4), &w, 4);
}
#else
#define mqttvpn_load32_le_aligned mqttvpn_load32_le
#define mqttvpn_store32_le_aligned mqttvpn_store32_le
#endif

#endif /* MQTTVPN_LE_BYTES_H */
