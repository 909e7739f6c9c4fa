/*
 * MD5 (RFC 1321), incremental. Not for secrecy: the espota protocol (OTA-PROTOCOL.md) names an
 * image by its MD5 and builds its password challenge from MD5 digests, so the OTA receiver
 * needs it to speak that protocol; the image's integrity against an attacker comes from the
 * SHA-256 the uploader may add.
 */
#ifndef MQTTVPN_MD5_H
#define MQTTVPN_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_MD5_BYTES 16u
#define MQTTVPN_MD5_BLOCK_BYTES 64u

/* The running state: a constant size whatever the message length. */
typedef struct {
    uint32_t h[4];
    uint32_t bytes_lo, bytes_hi;              /* message length so far, 64 bits in two words */
    uint8_t block[MQTTVPN_MD5_BLOCK_BYTES];   /* bytes_lo % 64 of them buffered */
} mqttvpn_md5_t;

void mqttvpn_md5_init(mqttvpn_md5_t *ctx);

/* Adds len bytes; data may be NULL when len is 0. Any split of a message gives its digest. */
void mqttvpn_md5_update(mqttvpn_md5_t *ctx, const uint8_t *data, size_t len);

/* Writes the digest and wipes ctx (init again to reuse it). */
void mqttvpn_md5_final(mqttvpn_md5_t *ctx, uint8_t digest[MQTTVPN_MD5_BYTES]);

/* digest = MD5(data[0..len)) in one call. */
void mqttvpn_md5(uint8_t digest[MQTTVPN_MD5_BYTES], const uint8_t *data, size_t len);

#endif /* MQTTVPN_MD5_H */
