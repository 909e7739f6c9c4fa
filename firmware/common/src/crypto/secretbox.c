/*
 * The secretbox composition: keystream block 0 supplies the Poly1305 key in its first 32
 * bytes and encrypts the first 32 message bytes with the rest; the message continues with
 * block 1. Messages that start 4-byte aligned stay aligned at block boundaries, so the
 * word-wise xor path applies throughout.
 */
#include "secretbox.h"

#include "poly1305.h"
#include "salsa20.h"
#include "wipe.h"

/* Words 8..15 of block 0: the keystream for message bytes 0..31. */
#define FIRST_BYTES 32u

static int tags_equal(const uint8_t a[16], const uint8_t b[16])
{
    /* Accumulate every difference instead of returning at the first one, so the time taken
     * does not tell a forger how many leading tag bytes were right. */
    uint32_t diff = 0;
    for (int i = 0; i < 16; i++) {
        diff |= (uint32_t)(a[i] ^ b[i]);
    }
    return diff == 0;
}

void mqttvpn_secretbox_seal(uint8_t *c, uint8_t tag[16], const uint8_t *m, size_t len,
                            const uint8_t nonce[24], const uint8_t key[32])
{
    mqttvpn_salsa20_t stream;
    uint32_t block0[16];
    size_t first = len < FIRST_BYTES ? len : FIRST_BYTES;

    mqttvpn_xsalsa20_init(&stream, key, nonce);
    mqttvpn_salsa20_block(&stream, block0);
    mqttvpn_salsa20_xor_words(c, m, block0 + 8, first);
    mqttvpn_salsa20_xor(&stream, c + first, m + first, len - first);
    mqttvpn_poly1305(tag, c, len, block0);

    mqttvpn_wipe(block0, sizeof block0);
    mqttvpn_wipe(&stream, sizeof stream);
}

int mqttvpn_secretbox_open(uint8_t *m, const uint8_t *c, size_t len, const uint8_t tag[16],
                           const uint8_t nonce[24], const uint8_t key[32])
{
    mqttvpn_salsa20_t stream;
    uint32_t block0[16];
    uint8_t expected[16];
    size_t first = len < FIRST_BYTES ? len : FIRST_BYTES;
    int result = -1;

    mqttvpn_xsalsa20_init(&stream, key, nonce);
    mqttvpn_salsa20_block(&stream, block0);
    mqttvpn_poly1305(expected, c, len, block0);
    if (tags_equal(expected, tag)) {
        mqttvpn_salsa20_xor_words(m, c, block0 + 8, first);
        mqttvpn_salsa20_xor(&stream, m + first, c + first, len - first);
        result = 0;
    }

    mqttvpn_wipe(block0, sizeof block0);
    mqttvpn_wipe(&stream, sizeof stream);
    mqttvpn_wipe(expected, sizeof expected);
    return result;
}
