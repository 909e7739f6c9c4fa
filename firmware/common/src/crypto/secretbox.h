/*
 * NaCl crypto_secretbox (XSalsa20 + Poly1305) with the tag detached from the ciphertext, so
 * the codec can place both in a classic frame without copying.
 */
#ifndef MQTTVPN_SECRETBOX_H
#define MQTTVPN_SECRETBOX_H

#include <stddef.h>
#include <stdint.h>

/*
 * c = XSalsa20(m) from keystream byte 32 on; tag = Poly1305(c) keyed by keystream bytes 0..31.
 * Byte for byte what libsodium's crypto_secretbox_detached computes. c may equal m; other
 * overlaps are not allowed.
 */
void mqttvpn_secretbox_seal(uint8_t *c, uint8_t tag[16], const uint8_t *m, size_t len,
                            const uint8_t nonce[24], const uint8_t key[32]);

/*
 * Verifies tag over c in constant time, then decrypts c into m. Returns 0, or -1 when the tag
 * does not match, in which case m is left untouched. m may equal c; other overlaps are not
 * allowed.
 */
int mqttvpn_secretbox_open(uint8_t *m, const uint8_t *c, size_t len, const uint8_t tag[16],
                           const uint8_t nonce[24], const uint8_t key[32]);

#endif /* MQTTVPN_SECRETBOX_H */
