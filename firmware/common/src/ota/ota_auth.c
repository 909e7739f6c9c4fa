#include "ota_auth.h"

#include <string.h>

#include "md5.h"
#include "wipe.h"

static const char SHA256_CNONCE_PREFIX[] = "mqttvpn-sha256:";

void mqttvpn_ota_password_hash(char out[MQTTVPN_OTA_HEX_MD5], const char *password)
{
    uint8_t digest[MQTTVPN_MD5_BYTES];

    mqttvpn_md5(digest, (const uint8_t *)password, strlen(password));
    mqttvpn_ota_hex(out, digest, sizeof digest);
    mqttvpn_wipe(digest, sizeof digest);
}

int mqttvpn_ota_password_hash_from_hex(char out[MQTTVPN_OTA_HEX_MD5], const char *hex)
{
    char lower[MQTTVPN_OTA_HEX_MD5];
    size_t i;

    for (i = 0; i < MQTTVPN_OTA_HEX_MD5; i++) {
        char c = hex[i];
        if (c >= 'A' && c <= 'F') {
            c = (char)(c - 'A' + 'a');
        }
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0; /* also the NUL of a shorter text: nothing past it is read */
        }
        lower[i] = c;
    }
    if (hex[MQTTVPN_OTA_HEX_MD5] != '\0') {
        return 0;
    }
    memcpy(out, lower, sizeof lower);
    return 1;
}

void mqttvpn_ota_sha256_cnonce(char out[MQTTVPN_OTA_HEX_MD5], const uint8_t sha256[32])
{
    char hex[MQTTVPN_OTA_HEX_SHA256];
    uint8_t digest[MQTTVPN_MD5_BYTES];
    mqttvpn_md5_t md5;

    mqttvpn_ota_hex(hex, sha256, 32);
    mqttvpn_md5_init(&md5);
    mqttvpn_md5_update(&md5, (const uint8_t *)SHA256_CNONCE_PREFIX, sizeof SHA256_CNONCE_PREFIX - 1);
    mqttvpn_md5_update(&md5, (const uint8_t *)hex, sizeof hex);
    mqttvpn_md5_final(&md5, digest);
    mqttvpn_ota_hex(out, digest, sizeof digest);
}

int mqttvpn_ota_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t diff = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        diff |= (uint8_t)(a[i] ^ b[i]);
    }
    return diff == 0;
}

int mqttvpn_ota_auth_valid(const char password_hash[MQTTVPN_OTA_HEX_MD5], const char nonce[MQTTVPN_OTA_HEX_MD5],
                           const struct mqttvpn_ota_auth *auth)
{
    uint8_t expected[MQTTVPN_MD5_BYTES];
    char bound[MQTTVPN_OTA_HEX_MD5];
    mqttvpn_md5_t md5;
    int response_ok, binding_ok = 1;

    mqttvpn_md5_init(&md5);
    mqttvpn_md5_update(&md5, (const uint8_t *)password_hash, MQTTVPN_OTA_HEX_MD5);
    mqttvpn_md5_update(&md5, (const uint8_t *)":", 1);
    mqttvpn_md5_update(&md5, (const uint8_t *)nonce, MQTTVPN_OTA_HEX_MD5);
    mqttvpn_md5_update(&md5, (const uint8_t *)":", 1);
    mqttvpn_md5_update(&md5, (const uint8_t *)auth->cnonce, MQTTVPN_OTA_HEX_MD5);
    mqttvpn_md5_final(&md5, expected);
    response_ok = mqttvpn_ota_equal(expected, auth->response, sizeof expected);
    mqttvpn_wipe(expected, sizeof expected);

    if (auth->has_sha256) {
        mqttvpn_ota_sha256_cnonce(bound, auth->sha256);
        binding_ok = mqttvpn_ota_equal((const uint8_t *)bound, (const uint8_t *)auth->cnonce, sizeof bound);
    }
    return response_ok & binding_ok;
}
