/*
 * The espota protocol's text (src/ota/ota_lines.c) and challenge (src/ota/ota_auth.c) on every
 * platform: the lines espota.py and mqttvpn's uploader send, lines that must be refused, and
 * responses computed by Python's hashlib (independent of our MD5).
 */
#include <string.h>

#include "harness.h"
#include "ota_auth.h"
#include "ota_lines.h"

/* md5hex("secret"), a nonce, a cnonce, and hashlib's md5hex(hash ":" nonce ":" cnonce). */
#define PASSWORD_HASH "5ebe2294ecd0e0f08eab7690d2a6ee69"
#define NONCE "0123456789abcdef0123456789abcdef"
#define CNONCE "fedcba9876543210fedcba9876543210"
#define RESPONSE "97a3111e1a27299c210fc49a94a97011"
/* sha256("mqttvpn image"), md5hex("mqttvpn-sha256:" + it), and the response with that cnonce. */
#define SHA256 "40de60e8bf954acf0dff69d499894de8e23eb39e6817595fc25c51435b2f2f0d"
#define BOUND_CNONCE "28ef752dede57b5c342ac279f366ea61"
#define BOUND_RESPONSE "d934d3ee9a2243a95b699424c75f2548"

static enum mqttvpn_ota_request parse(const char *text, struct mqttvpn_ota_invitation *inv,
                                      struct mqttvpn_ota_auth *auth)
{
    return mqttvpn_ota_parse((const uint8_t *)text, strlen(text), inv, auth);
}

static void espota_invitation_is_parsed(void)
{
    static const uint8_t md5[16] = {0x0c, 0xc1, 0x75, 0xb9, 0xc0, 0xf1, 0xb6, 0xa8,
                                    0x31, 0xc3, 0x99, 0xe2, 0x69, 0x77, 0x26, 0x61};
    struct mqttvpn_ota_invitation inv;

    memset(&inv, 0xee, sizeof inv);
    CHECK(parse("0 43117 1048576 0cc175b9c0f1b6a831c399e269772661\n", &inv, NULL) == MQTTVPN_OTA_REQ_INVITATION);
    CHECK(inv.command == MQTTVPN_OTA_CMD_FLASH);
    CHECK(inv.port == 43117);
    CHECK(inv.size == 1048576u);
    CHECK_MEM(inv.md5, md5, 16);
    CHECK(parse("100 1 4294967295 0cc175b9c0f1b6a831c399e269772661", &inv, NULL) == MQTTVPN_OTA_REQ_INVITATION);
    CHECK(inv.command == MQTTVPN_OTA_CMD_FS && inv.port == 1 && inv.size == 4294967295u);
    CHECK(parse("0  65535   7 0cc175b9c0f1b6a831c399e269772661\r\n", &inv, NULL) == MQTTVPN_OTA_REQ_INVITATION);
    CHECK(inv.port == 65535 && inv.size == 7);
}

static void malformed_invitations_are_other(void)
{
    static const char *const bad[] = {
        "",
        "0",
        "0 43117 1048576",
        "0 43117 1048576 0cc175b9c0f1b6a831c399e26977266\n",      /* 31 digits */
        "0 43117 1048576 0cc175b9c0f1b6a831c399e2697726612\n",    /* 33 digits */
        "0 43117 1048576 0CC175B9C0F1B6A831C399E269772661\n",     /* upper case */
        "0 43117 1048576 0cc175b9c0f1b6a831c399e269772661 x\n",   /* trailing field */
        "0 43117 1048576 0cc175b9c0f1b6a831c399e269772661\n\n",   /* two line ends */
        "0 0 1048576 0cc175b9c0f1b6a831c399e269772661\n",         /* port 0 */
        "0 65536 1048576 0cc175b9c0f1b6a831c399e269772661\n",     /* port too large */
        "0 43117 4294967296 0cc175b9c0f1b6a831c399e269772661\n",  /* size too large */
        "0 43117 99999999999 0cc175b9c0f1b6a831c399e269772661\n", /* size overflows */
        "0 -1 1048576 0cc175b9c0f1b6a831c399e269772661\n",
        "0 43117 +5 0cc175b9c0f1b6a831c399e269772661\n",
        "0 43117x 5 0cc175b9c0f1b6a831c399e269772661\n",
        "0\t43117 5 0cc175b9c0f1b6a831c399e269772661\n",
        "1 43117 1048576 0cc175b9c0f1b6a831c399e269772661\n",     /* unknown command */
        " 0 43117 1048576 0cc175b9c0f1b6a831c399e269772661\n",
    };
    struct mqttvpn_ota_invitation inv;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(parse(bad[i], &inv, NULL) == MQTTVPN_OTA_REQ_OTHER);
    }
    /* A datagram with a NUL inside is not a line. */
    CHECK(mqttvpn_ota_parse((const uint8_t *)"0 43117 5 0cc175b9c0f1b6a831c399e269772661\0", 43, &inv, NULL) ==
          MQTTVPN_OTA_REQ_OTHER);
}

static void auth_lines_with_and_without_sha256_are_parsed(void)
{
    struct mqttvpn_ota_auth auth;

    CHECK(parse("200 " CNONCE " " RESPONSE "\n", NULL, &auth) == MQTTVPN_OTA_REQ_AUTH);
    CHECK(memcmp(auth.cnonce, CNONCE, 32) == 0);
    CHECK(auth.response[0] == 0x97 && auth.response[15] == 0x11);
    CHECK(!auth.has_sha256);
    CHECK(parse("200 " BOUND_CNONCE " " BOUND_RESPONSE " " SHA256 "\n", NULL, &auth) == MQTTVPN_OTA_REQ_AUTH);
    CHECK(auth.has_sha256);
    CHECK(auth.sha256[0] == 0x40 && auth.sha256[31] == 0x0d);
    CHECK(parse("200 " CNONCE " " RESPONSE " " SHA256 "00\n", NULL, &auth) == MQTTVPN_OTA_REQ_OTHER);
    CHECK(parse("200 " CNONCE " " RESPONSE " \n", NULL, &auth) == MQTTVPN_OTA_REQ_OTHER);
    CHECK(parse("200 " CNONCE "\n", NULL, &auth) == MQTTVPN_OTA_REQ_OTHER);
    CHECK(parse("200 " CNONCE "0 " RESPONSE "\n", NULL, &auth) == MQTTVPN_OTA_REQ_OTHER);
    CHECK(parse("200 " CNONCE " " RESPONSE " " SHA256 " x\n", NULL, &auth) == MQTTVPN_OTA_REQ_OTHER);
}

static void version_query_is_300_alone(void)
{
    CHECK(parse("300\n", NULL, NULL) == MQTTVPN_OTA_REQ_VERSION);
    CHECK(parse("300", NULL, NULL) == MQTTVPN_OTA_REQ_VERSION);
    CHECK(parse("300\r\n", NULL, NULL) == MQTTVPN_OTA_REQ_VERSION);
    CHECK(parse("300 1\n", NULL, NULL) == MQTTVPN_OTA_REQ_OTHER);
    CHECK(parse("3000\n", NULL, NULL) == MQTTVPN_OTA_REQ_OTHER);
    CHECK(parse("30\n", NULL, NULL) == MQTTVPN_OTA_REQ_OTHER);
}

static void password_hash_is_md5hex_of_the_password(void)
{
    char hash[MQTTVPN_OTA_HEX_MD5];

    mqttvpn_ota_password_hash(hash, "secret");
    CHECK(memcmp(hash, PASSWORD_HASH, 32) == 0);
}

static void password_hash_given_as_hex_is_taken_in_lower_case_and_nothing_else(void)
{
    char hash[MQTTVPN_OTA_HEX_MD5];

    memset(hash, 'x', sizeof hash);
    CHECK(mqttvpn_ota_password_hash_from_hex(hash, "5EBE2294ECD0E0F08EAB7690D2A6EE69"));
    CHECK(memcmp(hash, PASSWORD_HASH, 32) == 0);
    memset(hash, 'x', sizeof hash);
    CHECK(mqttvpn_ota_password_hash_from_hex(hash, PASSWORD_HASH));
    CHECK(memcmp(hash, PASSWORD_HASH, 32) == 0);
    memset(hash, 'x', sizeof hash);
    CHECK(!mqttvpn_ota_password_hash_from_hex(hash, "5ebe2294ecd0e0f08eab7690d2a6ee6"));   /* 31 */
    CHECK(!mqttvpn_ota_password_hash_from_hex(hash, "5ebe2294ecd0e0f08eab7690d2a6ee690")); /* 33 */
    CHECK(!mqttvpn_ota_password_hash_from_hex(hash, "5ebe2294ecd0e0f08eab7690d2a6ee6g"));
    CHECK(!mqttvpn_ota_password_hash_from_hex(hash, "secret"));
    CHECK(!mqttvpn_ota_password_hash_from_hex(hash, ""));
    CHECK(hash[0] == 'x' && hash[31] == 'x');
}

static void response_for_the_password_is_accepted_and_others_are_not(void)
{
    struct mqttvpn_ota_auth auth;
    char wrong_hash[MQTTVPN_OTA_HEX_MD5];

    CHECK(parse("200 " CNONCE " " RESPONSE "\n", NULL, &auth) == MQTTVPN_OTA_REQ_AUTH);
    CHECK(mqttvpn_ota_auth_valid(PASSWORD_HASH, NONCE, &auth));
    mqttvpn_ota_password_hash(wrong_hash, "Secret");
    CHECK(!mqttvpn_ota_auth_valid(wrong_hash, NONCE, &auth));
    CHECK(!mqttvpn_ota_auth_valid(PASSWORD_HASH, "1123456789abcdef0123456789abcdef", &auth));
    auth.response[15] ^= 1;
    CHECK(!mqttvpn_ota_auth_valid(PASSWORD_HASH, NONCE, &auth));
    auth.response[15] ^= 1;
    auth.cnonce[0] = 'e'; /* the response covers the cnonce */
    CHECK(!mqttvpn_ota_auth_valid(PASSWORD_HASH, NONCE, &auth));
}

static void sha256_counts_only_with_the_cnonce_bound_to_it(void)
{
    struct mqttvpn_ota_auth auth;
    char cnonce[MQTTVPN_OTA_HEX_MD5];

    CHECK(parse("200 " BOUND_CNONCE " " BOUND_RESPONSE " " SHA256 "\n", NULL, &auth) == MQTTVPN_OTA_REQ_AUTH);
    mqttvpn_ota_sha256_cnonce(cnonce, auth.sha256);
    CHECK(memcmp(cnonce, BOUND_CNONCE, 32) == 0);
    CHECK(mqttvpn_ota_auth_valid(PASSWORD_HASH, NONCE, &auth));
    /* The right password with an unbound cnonce: the SHA-256 is not the uploader's. */
    CHECK(parse("200 " CNONCE " " RESPONSE " " SHA256 "\n", NULL, &auth) == MQTTVPN_OTA_REQ_AUTH);
    CHECK(!mqttvpn_ota_auth_valid(PASSWORD_HASH, NONCE, &auth));
    /* Another SHA-256 under the bound cnonce and response. */
    CHECK(parse("200 " BOUND_CNONCE " " BOUND_RESPONSE " " SHA256 "\n", NULL, &auth) == MQTTVPN_OTA_REQ_AUTH);
    auth.sha256[31] ^= 1;
    CHECK(!mqttvpn_ota_auth_valid(PASSWORD_HASH, NONCE, &auth));
}

static void equal_compares_every_byte(void)
{
    uint8_t a[16], b[16];
    size_t i;

    memset(a, 0x5a, sizeof a);
    memcpy(b, a, sizeof b);
    CHECK(mqttvpn_ota_equal(a, b, sizeof a));
    for (i = 0; i < sizeof a; i++) {
        b[i] ^= 0x80;
        CHECK(!mqttvpn_ota_equal(a, b, sizeof a));
        b[i] ^= 0x80;
    }
    CHECK(mqttvpn_ota_equal(a, b, 0));
}

static void decimal_and_hex_are_written_without_division(void)
{
    static const uint8_t bytes[4] = {0x00, 0x9f, 0xa0, 0xff};
    char out[MQTTVPN_OTA_DECIMAL_MAX + 1];
    size_t n;

    n = mqttvpn_ota_decimal(out, 0);
    CHECK(n == 1 && out[0] == '0');
    n = mqttvpn_ota_decimal(out, 1460);
    CHECK(n == 4 && memcmp(out, "1460", 4) == 0);
    n = mqttvpn_ota_decimal(out, 1000000000u);
    CHECK(n == 10 && memcmp(out, "1000000000", 10) == 0);
    n = mqttvpn_ota_decimal(out, 4294967295u);
    CHECK(n == 10 && memcmp(out, "4294967295", 10) == 0);
    mqttvpn_ota_hex(out, bytes, sizeof bytes);
    CHECK(memcmp(out, "009fa0ff", 8) == 0);
}

void mqttvpn_ota_text_tests(void)
{
    RUN(espota_invitation_is_parsed);
    RUN(malformed_invitations_are_other);
    RUN(auth_lines_with_and_without_sha256_are_parsed);
    RUN(version_query_is_300_alone);
    RUN(password_hash_is_md5hex_of_the_password);
    RUN(password_hash_given_as_hex_is_taken_in_lower_case_and_nothing_else);
    RUN(response_for_the_password_is_accepted_and_others_are_not);
    RUN(sha256_counts_only_with_the_cnonce_bound_to_it);
    RUN(equal_compares_every_byte);
    RUN(decimal_and_hex_are_written_without_division);
}
