/*
 * The text of the espota protocol (OTA-PROTOCOL.md): what a datagram to the OTA port asks for,
 * and the numbers and hex the receiver writes back. Pure functions, no lwIP: tested directly on
 * the host and the target cores.
 */
#ifndef MQTTVPN_OTA_LINES_H
#define MQTTVPN_OTA_LINES_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_OTA_CMD_FLASH   0u    /* invitation: a firmware image */
#define MQTTVPN_OTA_CMD_FS      100u  /* invitation: a file system image (refused) */
#define MQTTVPN_OTA_CMD_AUTH    200u
#define MQTTVPN_OTA_CMD_VERSION 300u  /* (mqttvpn) the version query */

#define MQTTVPN_OTA_HEX_MD5    32u    /* hex digits of an MD5, a nonce, a cnonce, a response */
#define MQTTVPN_OTA_HEX_SHA256 64u
#define MQTTVPN_OTA_DECIMAL_MAX 10u   /* digits of the largest uint32_t */

enum mqttvpn_ota_request {
    MQTTVPN_OTA_REQ_OTHER = 0,  /* not a line of the protocol: ignored */
    MQTTVPN_OTA_REQ_INVITATION, /* "<0|100> <port> <size> <md5>" */
    MQTTVPN_OTA_REQ_AUTH,       /* "200 <cnonce> <response>[ <sha256>]" */
    MQTTVPN_OTA_REQ_VERSION     /* "300" */
};

struct mqttvpn_ota_invitation {
    uint32_t command;           /* MQTTVPN_OTA_CMD_FLASH or MQTTVPN_OTA_CMD_FS */
    uint16_t port;              /* the uploader's TCP port, 1..65535 */
    uint32_t size;
    uint8_t md5[16];
};

struct mqttvpn_ota_auth {
    char cnonce[MQTTVPN_OTA_HEX_MD5];   /* as sent: the response is computed over this text */
    uint8_t response[16];
    uint8_t has_sha256;
    uint8_t sha256[32];
};

/*
 * Parses one datagram (len bytes, not NUL-terminated). Fields are separated by one or more
 * spaces, the line may end in "\n" or "\r\n" and nothing may follow; numbers are decimal
 * without sign; hashes are lower-case hex, as OTA-PROTOCOL.md says. A datagram with a bad
 * field is OTHER, whatever it starts with (the receiver ignores it, or counts it as a failed
 * authentication when it comes from the uploader it waits for).
 * The parts the request carries go to inv or auth (either may be NULL when not wanted).
 */
enum mqttvpn_ota_request mqttvpn_ota_parse(const uint8_t *msg, size_t len, struct mqttvpn_ota_invitation *inv,
                                           struct mqttvpn_ota_auth *auth);

/* Lower-case hex of n bytes into out (2n characters, no NUL). */
void mqttvpn_ota_hex(char *out, const uint8_t *bytes, size_t n);

/* value in decimal into out (no NUL); returns the number of digits (1..10). No division: the
 * lx106 has no divide instruction. */
size_t mqttvpn_ota_decimal(char out[MQTTVPN_OTA_DECIMAL_MAX], uint32_t value);

#endif /* MQTTVPN_OTA_LINES_H */
