/*
 * Our crypto against libsodium on random inputs: seal at every length 0..1500 byte for byte,
 * open, rejection of flipped bits, in-place operation, Poly1305 at its arithmetic extremes
 * and SHA-512. Usage: differential_test [cases [seed]] (defaults: 100000, fixed seed).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "mqttvpn/codec.h"
#include "poly1305.h"
#include "secretbox.h"
#include "sha512.h"

#define MAX_LEN 1500u
#define TAG_OFFSET (MQTTVPN_NONCE_BYTES + MQTTVPN_ZERO_BYTES)

void mqttvpn_test_write(const char *text, size_t len)
{
    fwrite(text, 1, len, stdout);
}

static unsigned long cases = 100000;
static mqttvpn_test_rng_t rng = {0x6d2b79f5u};

static uint8_t packet[MAX_LEN], frame[MAX_LEN + MQTTVPN_OVERHEAD], expected[MAX_LEN + MQTTVPN_OVERHEAD];
static uint8_t out[MAX_LEN + 1], inplace[MAX_LEN + MQTTVPN_OVERHEAD];

/* libsodium's classic frame: nonce || 16 zeros || crypto_secretbox_easy (tag || ciphertext). */
static void sodium_frame(uint8_t *f, const uint8_t *m, size_t len, const uint8_t *nonce, const uint8_t *key)
{
    memcpy(f, nonce, MQTTVPN_NONCE_BYTES);
    memset(f + MQTTVPN_NONCE_BYTES, 0, MQTTVPN_ZERO_BYTES);
    crypto_secretbox_easy(f + TAG_OFFSET, m, len, nonce, key);
}

/* Gives packets of 20 bytes or more a consistent IPv4 or IPv6 header, so the codec opens them. */
static void make_ip(uint8_t *p, size_t len)
{
    if (len >= 40 && (mqttvpn_test_rng_next(&rng) & 1)) {
        p[0] = 0x60;
        p[4] = (uint8_t)((len - 40) >> 8);
        p[5] = (uint8_t)(len - 40);
    } else if (len >= 20) {
        p[0] = 0x45;
        p[2] = (uint8_t)(len >> 8);
        p[3] = (uint8_t)len;
    }
}

static void seal_and_open_match_libsodium_at_every_length(void)
{
    unsigned long failures = 0;
    for (unsigned long i = 0; i < cases; i++) {
        size_t len = i % (MAX_LEN + 1);
        size_t frame_len = len + MQTTVPN_OVERHEAD;
        mqttvpn_key_t key = {.encrypted = 1};
        uint8_t nonce[MQTTVPN_NONCE_BYTES];
        mqttvpn_test_rng_fill(&rng, key.bytes, sizeof key.bytes);
        mqttvpn_test_rng_fill(&rng, nonce, sizeof nonce);
        mqttvpn_test_rng_fill(&rng, packet, len);
        make_ip(packet, len);

        sodium_frame(expected, packet, len, nonce, key.bytes);
        int ok = mqttvpn_seal(&key, nonce, packet, len, frame) == frame_len &&
                 memcmp(frame, expected, frame_len) == 0;

        /* The raw secretbox layer opens at every length; the codec from 20 bytes on. */
        memset(out, 0, sizeof out);
        ok &= mqttvpn_secretbox_open(out, frame + MQTTVPN_OVERHEAD, len, frame + TAG_OFFSET, nonce, key.bytes) == 0 &&
              memcmp(out, packet, len) == 0;
        if (len >= 20) {
            ok &= mqttvpn_open(&key, frame, frame_len, out, MAX_LEN) == (int)len && memcmp(out, packet, len) == 0;
        }

        /* In place: the packet sits in the frame buffer's payload slot. */
        memcpy(inplace + MQTTVPN_OVERHEAD, packet, len);
        ok &= mqttvpn_seal(&key, nonce, inplace + MQTTVPN_OVERHEAD, len, inplace) == frame_len &&
              memcmp(inplace, expected, frame_len) == 0;
        ok &= mqttvpn_secretbox_open(inplace + MQTTVPN_OVERHEAD, inplace + MQTTVPN_OVERHEAD, len,
                                     inplace + TAG_OFFSET, inplace, key.bytes) == 0 &&
              memcmp(inplace + MQTTVPN_OVERHEAD, packet, len) == 0;

        /* One flipped bit anywhere the receiver reads: both we and libsodium refuse. */
        size_t at = mqttvpn_test_rng_next(&rng) % (frame_len - MQTTVPN_ZERO_BYTES);
        if (at >= MQTTVPN_NONCE_BYTES) {
            at += MQTTVPN_ZERO_BYTES;
        }
        frame[at] ^= (uint8_t)(1u << (mqttvpn_test_rng_next(&rng) & 7));
        memset(out, 0xa5, sizeof out);
        ok &= mqttvpn_secretbox_open(out, frame + MQTTVPN_OVERHEAD, len, frame + TAG_OFFSET, frame, key.bytes) == -1;
        ok &= crypto_secretbox_open_easy(out, frame + TAG_OFFSET, len + MQTTVPN_TAG_BYTES, frame, key.bytes) == -1;
        if (len >= 20) {
            int r = mqttvpn_open(&key, frame, frame_len, out, MAX_LEN);
            ok &= r < 0 && mqttvpn_drop_reason(r) == MQTTVPN_DROP_AUTH_FAILED;
        }
        for (size_t j = 0; j < sizeof out; j++) {
            ok &= out[j] == 0xa5;
        }

        if (!ok && ++failures <= 5) {
            printf("  case %lu (length %zu) differs from libsodium\n", i, len);
        }
        CHECK(ok);
    }
}

/* Keys and messages at the limits of the limb arithmetic, which random data rarely reaches. */
static void poly1305_matches_libsodium_at_extremes(void)
{
    static const uint8_t fill[] = {0x00, 0xff, 0xfe, 0x01, 0x80, 0x7f};
    uint8_t key[32], msg[MAX_LEN], ours[16], theirs[16];
    uint32_t key_words[8];

    for (size_t k = 0; k < sizeof fill; k++) {
        for (size_t f = 0; f < sizeof fill; f++) {
            for (size_t len = 0; len <= 300; len += 1 + len / 8) {
                memset(key, fill[k], sizeof key);
                memset(msg, fill[f], len);
                for (int i = 0; i < 8; i++) {
                    key_words[i] = (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 |
                                   (uint32_t)key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24;
                }
                mqttvpn_poly1305(ours, msg, len, key_words);
                crypto_onetimeauth_poly1305(theirs, msg, len, key);
                CHECK_MEM(ours, theirs, 16);
            }
        }
    }
    /* The final reduction around p: with r = 1, two blocks give h = (2^128 + m1) + (2^128 + m2).
     * m1 = 2^128 - 1 and m2 = 2^128 - 4 + delta make h = 2^130 - 5 + delta = p + delta
     * (for delta up to 3; above that the low word wraps, still near p). */
    memset(key, 0, sizeof key);
    key[0] = 1;
    memset(key_words, 0, sizeof key_words);
    key_words[0] = 1;
    for (int delta = -6; delta <= 6; delta++) {
        uint8_t two[32];
        uint32_t low = 0xfffffffcu + (uint32_t)delta;
        memset(two, 0xff, sizeof two);
        two[16] = (uint8_t)low;
        two[17] = (uint8_t)(low >> 8);
        two[18] = (uint8_t)(low >> 16);
        two[19] = (uint8_t)(low >> 24);
        mqttvpn_poly1305(ours, two, sizeof two, key_words);
        crypto_onetimeauth_poly1305(theirs, two, sizeof two, key);
        CHECK_MEM(ours, theirs, 16);
    }
    /* Random keys with long runs of 0xff messages. */
    for (int i = 0; i < 2000; i++) {
        size_t len = mqttvpn_test_rng_next(&rng) % (MAX_LEN + 1);
        mqttvpn_test_rng_fill(&rng, key, sizeof key);
        memset(msg, (i & 1) ? 0xff : 0x00, len);
        for (int w = 0; w < 8; w++) {
            key_words[w] = (uint32_t)key[4 * w] | (uint32_t)key[4 * w + 1] << 8 | (uint32_t)key[4 * w + 2] << 16 |
                           (uint32_t)key[4 * w + 3] << 24;
        }
        mqttvpn_poly1305(ours, msg, len, key_words);
        crypto_onetimeauth_poly1305(theirs, msg, len, key);
        CHECK_MEM(ours, theirs, 16);
    }
}

static void sha512_matches_libsodium_for_lengths_up_to_300(void)
{
    uint8_t msg[301], ours[64], theirs[64];
    for (unsigned i = 0; i < 20000; i++) {
        size_t len = i % 301;
        mqttvpn_test_rng_fill(&rng, msg, len);
        mqttvpn_sha512(ours, len ? msg : NULL, len);
        crypto_hash_sha512(theirs, msg, len);
        CHECK_MEM(ours, theirs, 64);
    }
}

static void key_derivation_matches_libsodium_for_random_passwords(void)
{
    char password[200];
    uint8_t digest[64];
    for (unsigned i = 0; i < 2000; i++) {
        size_t len = 1 + i % (sizeof password - 1);
        for (size_t j = 0; j < len; j++) {
            password[j] = (char)(1 + mqttvpn_test_rng_next(&rng) % 255); /* any byte but NUL */
        }
        password[len] = '\0';
        mqttvpn_key_t key;
        mqttvpn_key_from_password(&key, password);
        crypto_hash_sha512(digest, (const uint8_t *)password, len);
        CHECK(key.encrypted);
        CHECK_MEM(key.bytes, digest, MQTTVPN_KEY_BYTES);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        cases = strtoul(argv[1], NULL, 10);
    }
    if (argc > 2) {
        rng.state = (uint32_t)strtoul(argv[2], NULL, 0);
        if (rng.state == 0) {
            rng.state = 1; /* xorshift's one fixed point */
        }
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "differential_test: sodium_init failed\n");
        return 1;
    }
    printf("differential test: %lu cases, seed 0x%08x, libsodium %s\n", cases, (unsigned)rng.state,
           sodium_version_string());
    clock_t start = clock();
    RUN(seal_and_open_match_libsodium_at_every_length);
    RUN(poly1305_matches_libsodium_at_extremes);
    RUN(sha512_matches_libsodium_for_lengths_up_to_300);
    RUN(key_derivation_matches_libsodium_for_random_passwords);
    unsigned failed = mqttvpn_test_summary("differential tests");
    printf("differential tests took %.1f s of CPU\n", (double)(clock() - start) / CLOCKS_PER_SEC);
    return failed == 0 ? 0 : 1;
}
