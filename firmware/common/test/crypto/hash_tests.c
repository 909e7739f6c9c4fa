/*
 * MD5 and SHA-256 (the OTA receiver's hashes) on every platform: the published vectors, a
 * million "a" in uneven pieces, every split of a message, and the digests OpenSSL and
 * libsodium gave on the host for hash_cases.h, fed with random split points.
 */
#include <string.h>

#include "harness.h"
#include "hash_cases.h"
#include "hash_digests.h"
#include "md5.h"
#include "sha256.h"

static uint8_t msg[MQTTVPN_HASH_CASE_MAX];

/* Whether the n bytes of digest are the lower-case hex text. */
static int digest_is(const uint8_t *digest, const char *hex, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    if (strlen(hex) != 2 * n) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (hex[2 * i] != digits[digest[i] >> 4] || hex[2 * i + 1] != digits[digest[i] & 15u]) {
            return 0;
        }
    }
    return 1;
}

static int md5_of_text_is(const char *text, const char *hex)
{
    uint8_t d[MQTTVPN_MD5_BYTES];
    mqttvpn_md5(d, (const uint8_t *)text, strlen(text));
    return digest_is(d, hex, sizeof d);
}

static int sha256_of_text_is(const char *text, const char *hex)
{
    uint8_t d[MQTTVPN_SHA256_BYTES];
    mqttvpn_sha256(d, (const uint8_t *)text, strlen(text));
    return digest_is(d, hex, sizeof d);
}

static void md5_gives_the_rfc1321_test_suite_digests(void)
{
    CHECK(md5_of_text_is("", "d41d8cd98f00b204e9800998ecf8427e"));
    CHECK(md5_of_text_is("a", "0cc175b9c0f1b6a831c399e269772661"));
    CHECK(md5_of_text_is("abc", "900150983cd24fb0d6963f7d28e17f72"));
    CHECK(md5_of_text_is("message digest", "f96b697d7cb7938d525a2f31aaf161d0"));
    CHECK(md5_of_text_is("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"));
    CHECK(md5_of_text_is("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                         "d174ab98d277d9f5a5611c2c9f419d9f"));
    CHECK(md5_of_text_is("1234567890123456789012345678901234567890123456789012345678901234567890"
                         "1234567890",
                         "57edf4a22be3c955ac49da2e2107b67a"));
}

static void sha256_gives_the_fips_180_example_digests(void)
{
    CHECK(sha256_of_text_is("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK(sha256_of_text_is("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK(sha256_of_text_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    CHECK(sha256_of_text_is("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                            "klmnopqrlmnopqrsmnopqrstnopqrstu",
                            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));
}

/* The long-message vectors, fed in pieces of 1 to 97 bytes so most updates straddle blocks. */
static void a_million_a_in_uneven_pieces_gives_the_published_digests(void)
{
    mqttvpn_md5_t md5;
    mqttvpn_sha256_t sha;
    uint8_t d5[MQTTVPN_MD5_BYTES], d256[MQTTVPN_SHA256_BYTES];
    size_t done = 0, piece = 1;

    memset(msg, 'a', 97);
    mqttvpn_md5_init(&md5);
    mqttvpn_sha256_init(&sha);
    while (done < 1000000u) {
        size_t n = 1000000u - done < piece ? 1000000u - done : piece;
        mqttvpn_md5_update(&md5, msg, n);
        mqttvpn_sha256_update(&sha, msg, n);
        done += n;
        piece = piece == 97 ? 1 : piece + 1;
    }
    mqttvpn_md5_final(&md5, d5);
    mqttvpn_sha256_final(&sha, d256);
    CHECK(digest_is(d5, "7707d6ae4e027c70eea2a935c2296f21", sizeof d5));
    CHECK(digest_is(d256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", sizeof d256));
}

static void any_split_of_a_message_gives_its_one_call_digest(void)
{
    mqttvpn_test_rng_t rng = {0x51a7u};
    uint8_t one5[MQTTVPN_MD5_BYTES], one256[MQTTVPN_SHA256_BYTES];
    uint8_t d5[MQTTVPN_MD5_BYTES], d256[MQTTVPN_SHA256_BYTES];
    const size_t len = 200;
    size_t a, b;

    mqttvpn_test_rng_fill(&rng, msg, len);
    mqttvpn_md5(one5, msg, len);
    mqttvpn_sha256(one256, msg, len);
    for (a = 0; a <= len; a++) {
        for (b = a; b <= len; b += 7) {
            mqttvpn_md5_t md5;
            mqttvpn_sha256_t sha;
            mqttvpn_md5_init(&md5);
            mqttvpn_sha256_init(&sha);
            mqttvpn_md5_update(&md5, msg, a);
            mqttvpn_sha256_update(&sha, msg, a);
            mqttvpn_md5_update(&md5, NULL, 0);
            mqttvpn_sha256_update(&sha, NULL, 0);
            mqttvpn_md5_update(&md5, msg + a, b - a);
            mqttvpn_sha256_update(&sha, msg + a, b - a);
            mqttvpn_md5_update(&md5, msg + b, len - b);
            mqttvpn_sha256_update(&sha, msg + b, len - b);
            mqttvpn_md5_final(&md5, d5);
            mqttvpn_sha256_final(&sha, d256);
            CHECK_MEM(d5, one5, sizeof d5);
            CHECK_MEM(d256, one256, sizeof d256);
        }
    }
}

static void digests_match_openssl_and_libsodium_with_random_split_points(void)
{
    mqttvpn_test_rng_t rng = {0xd1ce5u};
    unsigned i;

    for (i = 0; i < MQTTVPN_HASH_CASES; i++) {
        size_t len = mqttvpn_hash_case(i, msg), done = 0;
        uint8_t d5[MQTTVPN_MD5_BYTES], d256[MQTTVPN_SHA256_BYTES];
        mqttvpn_md5_t md5;
        mqttvpn_sha256_t sha;

        mqttvpn_md5_init(&md5);
        mqttvpn_sha256_init(&sha);
        while (done < len) {
            /* Pieces up to 255 bytes, or (one in eight) the whole rest. */
            uint32_t r = mqttvpn_test_rng_next(&rng);
            size_t n = (r & 7u) == 0 ? len - done : (size_t)(r >> 24);
            if (n > len - done) {
                n = len - done;
            }
            mqttvpn_md5_update(&md5, msg + done, n);
            mqttvpn_sha256_update(&sha, msg + done, n);
            done += n;
        }
        mqttvpn_md5_final(&md5, d5);
        mqttvpn_sha256_final(&sha, d256);
        CHECK_MEM(d5, hash_digests[i].md5, sizeof d5);
        CHECK_MEM(d256, hash_digests[i].sha256, sizeof d256);
    }
}

void mqttvpn_hash_tests(void)
{
    RUN(md5_gives_the_rfc1321_test_suite_digests);
    RUN(sha256_gives_the_fips_180_example_digests);
    RUN(a_million_a_in_uneven_pieces_gives_the_published_digests);
    RUN(any_split_of_a_message_gives_its_one_call_digest);
    RUN(digests_match_openssl_and_libsodium_with_random_split_points);
}
