/*
 * Our MD5 against OpenSSL's and our SHA-256 against libsodium's, on random messages fed in
 * random pieces, and on messages long enough for the length's high word to matter.
 * Usage: hash_differential [cases [seed]] (defaults: 20000, fixed seed).
 */
/* MD5_CTX's fields are set below; its functions are deprecated in OpenSSL 3, not gone. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "md5.h"
#include "sha256.h"

#define MAX_LEN 20000u

void mqttvpn_test_write(const char *text, size_t len)
{
    fwrite(text, 1, len, stdout);
}

static mqttvpn_test_rng_t rng = {0x2545f491u};
static uint8_t msg[MAX_LEN];

/* Mostly short messages (the padding cases), some up to MAX_LEN. */
static size_t random_length(void)
{
    uint32_t r = mqttvpn_test_rng_next(&rng);
    return (r & 3u) != 0 ? (r >> 8) % 300u : (r >> 8) % (MAX_LEN + 1u);
}

static int openssl_md5(uint8_t out[16], const uint8_t *m, size_t len)
{
    unsigned n = 0;
    return EVP_Digest(m, len, out, &n, EVP_md5(), NULL) && n == 16;
}

static void random_messages_in_random_pieces_match_openssl_and_libsodium(unsigned long cases)
{
    unsigned long i, md5_bad = 0, sha_bad = 0;

    for (i = 0; i < cases; i++) {
        size_t len = random_length(), done = 0;
        unsigned pieces = 1u + mqttvpn_test_rng_next(&rng) % 8u;
        uint8_t ours5[16], theirs5[16], ours256[32], theirs256[32];
        mqttvpn_md5_t md5;
        mqttvpn_sha256_t sha;

        mqttvpn_test_rng_fill(&rng, msg, len);
        mqttvpn_md5_init(&md5);
        mqttvpn_sha256_init(&sha);
        for (unsigned k = 0; k < pieces; k++) {
            size_t n = k + 1 == pieces ? len - done : mqttvpn_test_rng_next(&rng) % (len - done + 1u);
            mqttvpn_md5_update(&md5, msg + done, n);
            mqttvpn_sha256_update(&sha, msg + done, n);
            done += n;
        }
        mqttvpn_md5_final(&md5, ours5);
        mqttvpn_sha256_final(&sha, ours256);
        if (!openssl_md5(theirs5, msg, len)) {
            CHECK(0 /* OpenSSL's MD5 failed */);
            return;
        }
        crypto_hash_sha256(theirs256, msg, len);
        md5_bad += memcmp(ours5, theirs5, 16) != 0;
        sha_bad += memcmp(ours256, theirs256, 32) != 0;
    }
    CHECK(md5_bad == 0);
    CHECK(sha_bad == 0);
}

/*
 * Messages past 512 MiB and 4 GiB, where the high word of the length counts, without hashing
 * gigabytes: both sides hash the same three blocks, then their length counters are set to the
 * same large value (the compression never reads them, only the final padding does) and both
 * hash the same tail in pieces. OpenSSL's MD5_CTX and libsodium's state are public structs.
 */
static void messages_past_512_mib_and_4_gib_match(void)
{
    static const uint64_t starts[] = {
        0x1fffff80u,            /* the bit count reaches 2^32 */
        0xffffff80u,            /* the byte count reaches 2^32 */
        0x1ffffffc0u,           /* 8 GiB */
        0x1fffffffffffff00u,    /* just below the largest length either can count, 2^61 bytes */
    };
    unsigned long md5_bad = 0, sha_bad = 0;
    unsigned i, t;

    for (i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        for (t = 0; t < 200; t++) {
            size_t tail = t < 130 ? t : mqttvpn_test_rng_next(&rng) % 2000u, done = 0;
            uint64_t bytes = starts[i];
            uint8_t ours5[16], theirs5[16], ours256[32], theirs256[32];
            mqttvpn_md5_t md5;
            mqttvpn_sha256_t sha;
            MD5_CTX their_md5;
            crypto_hash_sha256_state their_sha;

            mqttvpn_test_rng_fill(&rng, msg, 192 + tail);
            mqttvpn_md5_init(&md5);
            mqttvpn_sha256_init(&sha);
            MD5_Init(&their_md5);
            crypto_hash_sha256_init(&their_sha);
            mqttvpn_md5_update(&md5, msg, 192);
            mqttvpn_sha256_update(&sha, msg, 192);
            MD5_Update(&their_md5, msg, 192);
            crypto_hash_sha256_update(&their_sha, msg, 192);

            md5.bytes_lo = sha.bytes_lo = (uint32_t)bytes;
            md5.bytes_hi = sha.bytes_hi = (uint32_t)(bytes >> 32);
            their_md5.Nl = (MD5_LONG)(bytes << 3);
            their_md5.Nh = (MD5_LONG)(bytes >> 29);
            their_sha.count = bytes << 3;

            while (done < tail) {
                size_t n = 1u + mqttvpn_test_rng_next(&rng) % (tail - done);
                mqttvpn_md5_update(&md5, msg + 192 + done, n);
                mqttvpn_sha256_update(&sha, msg + 192 + done, n);
                MD5_Update(&their_md5, msg + 192 + done, n);
                crypto_hash_sha256_update(&their_sha, msg + 192 + done, n);
                done += n;
            }
            mqttvpn_md5_final(&md5, ours5);
            mqttvpn_sha256_final(&sha, ours256);
            MD5_Final(theirs5, &their_md5);
            crypto_hash_sha256_final(&their_sha, theirs256);
            md5_bad += memcmp(ours5, theirs5, 16) != 0;
            sha_bad += memcmp(ours256, theirs256, 32) != 0;
        }
    }
    CHECK(md5_bad == 0);
    CHECK(sha_bad == 0);
}

static unsigned long cases = 20000;

static void random_cases(void)
{
    random_messages_in_random_pieces_match_openssl_and_libsodium(cases);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        cases = strtoul(argv[1], NULL, 10);
    }
    if (argc > 2) {
        rng.state = (uint32_t)strtoul(argv[2], NULL, 0);
    }
    if (sodium_init() < 0 || rng.state == 0) {
        fprintf(stderr, "hash_differential: sodium_init failed or seed 0\n");
        return 1;
    }
    RUN(random_cases);
    RUN(messages_past_512_mib_and_4_gib_match);
    return mqttvpn_test_summary("hash differential (OpenSSL MD5, libsodium SHA-256)") == 0 ? 0 : 1;
}
