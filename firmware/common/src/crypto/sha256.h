/*
 * SHA-256 (FIPS 180-4), incremental: the OTA receiver checks an image with it as the image
 * streams in, when the uploader sent one (OTA-PROTOCOL.md, what mqttvpn adds).
 */
#ifndef MQTTVPN_SHA256_H
#define MQTTVPN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_SHA256_BYTES 32u
#define MQTTVPN_SHA256_BLOCK_BYTES 64u

/* The running state: a constant size whatever the message length. */
typedef struct {
    uint32_t h[8];
    uint32_t bytes_lo, bytes_hi;                 /* message length so far, 64 bits in two words */
    uint8_t block[MQTTVPN_SHA256_BLOCK_BYTES];   /* bytes_lo % 64 of them buffered */
} mqttvpn_sha256_t;

void mqttvpn_sha256_init(mqttvpn_sha256_t *ctx);

/* Adds len bytes; data may be NULL when len is 0. Any split of a message gives its digest. */
void mqttvpn_sha256_update(mqttvpn_sha256_t *ctx, const uint8_t *data, size_t len);

/* Writes the digest and wipes ctx (init again to reuse it). */
void mqttvpn_sha256_final(mqttvpn_sha256_t *ctx, uint8_t digest[MQTTVPN_SHA256_BYTES]);

/* digest = SHA-256(data[0..len)) in one call. */
void mqttvpn_sha256(uint8_t digest[MQTTVPN_SHA256_BYTES], const uint8_t *data, size_t len);

#endif /* MQTTVPN_SHA256_H */
