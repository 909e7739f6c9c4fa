/*
 * The espota challenge (OTA-PROTOCOL.md, step 2): the device keeps md5hex(password), sends a
 * nonce, and accepts response = md5hex(md5hex(password) ":" nonce ":" cnonce); what mqttvpn
 * adds is that a SHA-256 counts only with cnonce = md5hex("mqttvpn-sha256:" sha256hex), so the
 * response covers the SHA-256 as well. Pure functions, no lwIP.
 */
#ifndef MQTTVPN_OTA_AUTH_H
#define MQTTVPN_OTA_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "ota_lines.h"

/* md5hex(password): what the receiver keeps instead of the password (ArduinoOTA's
 * setPasswordHash). */
void mqttvpn_ota_password_hash(char out[MQTTVPN_OTA_HEX_MD5], const char *password);

/* The same, given already made (a firmware that should not hold the password): 1 when hex is
 * exactly 32 hex digits, either case, copied to out in lower case (the uploader's md5hex is);
 * 0 otherwise, out untouched. */
int mqttvpn_ota_password_hash_from_hex(char out[MQTTVPN_OTA_HEX_MD5], const char *hex);

/*
 * Whether auth answers nonce for the password whose md5hex is password_hash, and, when it
 * carries a SHA-256, whether its cnonce is the one bound to that SHA-256. The response is
 * compared in constant time; both checks always run, so the time taken does not say which
 * one failed.
 */
int mqttvpn_ota_auth_valid(const char password_hash[MQTTVPN_OTA_HEX_MD5], const char nonce[MQTTVPN_OTA_HEX_MD5],
                           const struct mqttvpn_ota_auth *auth);

/* The cnonce an uploader must choose to send sha256 (md5hex("mqttvpn-sha256:" sha256hex)). */
void mqttvpn_ota_sha256_cnonce(char out[MQTTVPN_OTA_HEX_MD5], const uint8_t sha256[32]);

/* 1 when the n bytes of a and b are equal; the time depends on n only. */
int mqttvpn_ota_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif /* MQTTVPN_OTA_AUTH_H */
