/*
 * Salsa20/20 and XSalsa20 (Bernstein, "Extending the Salsa20 nonce"): the stream cipher of
 * NaCl's crypto_secretbox.
 */
#ifndef MQTTVPN_SALSA20_H
#define MQTTVPN_SALSA20_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_SALSA20_BLOCK_BYTES 64u

/* The 16-word Salsa20 input: constants, key, nonce and the 64-bit block counter (words 8, 9). */
typedef struct {
    uint32_t input[16];
} mqttvpn_salsa20_t;

/* HSalsa20: derives XSalsa20's 32-byte subkey from the key and the first 16 nonce bytes. */
void mqttvpn_hsalsa20(uint32_t subkey[8], const uint8_t key[32], const uint8_t nonce16[16]);

/* Prepares XSalsa20 for a 24-byte nonce, block counter 0. Wipe s when done with it. */
void mqttvpn_xsalsa20_init(mqttvpn_salsa20_t *s, const uint8_t key[32], const uint8_t nonce[24]);

/* The keystream block at the current counter, as 16 words (byte 4i + j of the block is
 * byte j of word i, little-endian); then advances the counter. */
void mqttvpn_salsa20_block(mqttvpn_salsa20_t *s, uint32_t block[16]);

/*
 * out = in XOR the keystream from the current counter on, advancing the counter by one per
 * 64 bytes (a trailing partial block uses a whole counter value and discards the rest).
 * out may equal in; other overlaps are not allowed.
 */
void mqttvpn_salsa20_xor(mqttvpn_salsa20_t *s, uint8_t *out, const uint8_t *in, size_t len);

/* out = in XOR the first len (<= 64) bytes of a keystream block produced by salsa20_block. */
void mqttvpn_salsa20_xor_words(uint8_t *out, const uint8_t *in, const uint32_t *block, size_t len);

#endif /* MQTTVPN_SALSA20_H */
