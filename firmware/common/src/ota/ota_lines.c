/*
 * Parsing and writing the espota protocol's text. Everything is bounded by the datagram's
 * length; nothing is written outside the caller's structs.
 */
#include "ota_lines.h"

#include <string.h>

/* A read position in a datagram. */
struct cursor {
    const uint8_t *p;
    const uint8_t *end;
};

static int at_end_of_line(const struct cursor *c)
{
    const uint8_t *p = c->p;
    if (p < c->end && *p == '\r') {
        p++;
    }
    if (p < c->end && *p == '\n') {
        p++;
    }
    return p == c->end;
}

/* One or more spaces, then something other than the end of the line. */
static int skip_separator(struct cursor *c)
{
    const uint8_t *start = c->p;
    while (c->p < c->end && *c->p == ' ') {
        c->p++;
    }
    return c->p > start && !at_end_of_line(c);
}

/* A decimal number up to max, at least one digit, ending at a space or the end of the line. */
static int read_number(struct cursor *c, uint32_t max, uint32_t *out)
{
    uint32_t v = 0;
    const uint8_t *start = c->p;

    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        uint32_t digit = (uint32_t)(*c->p - '0');
        /* v * 10 + digit <= max, tested without dividing: 429496729 * 10 + 5 = 2^32 - 1. */
        if (v > 429496729u || (v == 429496729u && digit > 5u)) {
            return 0;
        }
        v = (v << 3) + (v << 1) + digit;
        if (v > max) {
            return 0;
        }
        c->p++;
    }
    if (c->p == start || c->p - start > (long)MQTTVPN_OTA_DECIMAL_MAX) {
        return 0;
    }
    *out = v;
    return c->p == c->end || *c->p == ' ' || at_end_of_line(c);
}

static int hex_value(uint8_t ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    return -1;
}

/* Exactly 2n lower-case hex digits into n bytes (out may be NULL: only checked). */
static int read_hex(struct cursor *c, uint8_t *out, size_t n)
{
    size_t i;

    if ((size_t)(c->end - c->p) < 2 * n) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        int hi = hex_value(c->p[2 * i]), lo = hex_value(c->p[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return 0;
        }
        if (out != NULL) {
            out[i] = (uint8_t)(hi << 4 | lo);
        }
    }
    c->p += 2 * n;
    return c->p == c->end || *c->p == ' ' || at_end_of_line(c);
}

static enum mqttvpn_ota_request parse_invitation(struct cursor *c, uint32_t command,
                                                 struct mqttvpn_ota_invitation *inv)
{
    struct mqttvpn_ota_invitation v;
    uint32_t port;

    v.command = command;
    if (!skip_separator(c) || !read_number(c, 65535u, &port) || port == 0 ||
        !skip_separator(c) || !read_number(c, 0xffffffffu, &v.size) ||
        !skip_separator(c) || !read_hex(c, v.md5, sizeof v.md5) || !at_end_of_line(c)) {
        return MQTTVPN_OTA_REQ_OTHER;
    }
    v.port = (uint16_t)port;
    if (inv != NULL) {
        *inv = v;
    }
    return MQTTVPN_OTA_REQ_INVITATION;
}

static enum mqttvpn_ota_request parse_auth(struct cursor *c, struct mqttvpn_ota_auth *auth)
{
    struct mqttvpn_ota_auth v;
    const uint8_t *cnonce;

    memset(&v, 0, sizeof v);
    if (!skip_separator(c)) {
        return MQTTVPN_OTA_REQ_OTHER;
    }
    cnonce = c->p;
    if (!read_hex(c, NULL, MQTTVPN_OTA_HEX_MD5 / 2) || !skip_separator(c) ||
        !read_hex(c, v.response, sizeof v.response)) {
        return MQTTVPN_OTA_REQ_OTHER;
    }
    memcpy(v.cnonce, cnonce, sizeof v.cnonce);
    if (!at_end_of_line(c)) {
        if (!skip_separator(c) || !read_hex(c, v.sha256, sizeof v.sha256) || !at_end_of_line(c)) {
            return MQTTVPN_OTA_REQ_OTHER;
        }
        v.has_sha256 = 1;
    }
    if (auth != NULL) {
        *auth = v;
    }
    return MQTTVPN_OTA_REQ_AUTH;
}

enum mqttvpn_ota_request mqttvpn_ota_parse(const uint8_t *msg, size_t len, struct mqttvpn_ota_invitation *inv,
                                           struct mqttvpn_ota_auth *auth)
{
    struct cursor c = {msg, msg + len};
    uint32_t command;

    if (len == 0 || !read_number(&c, 0xffffffffu, &command)) {
        return MQTTVPN_OTA_REQ_OTHER;
    }
    switch (command) {
    case MQTTVPN_OTA_CMD_FLASH:
    case MQTTVPN_OTA_CMD_FS:
        return parse_invitation(&c, command, inv);
    case MQTTVPN_OTA_CMD_AUTH:
        return parse_auth(&c, auth);
    case MQTTVPN_OTA_CMD_VERSION:
        return at_end_of_line(&c) ? MQTTVPN_OTA_REQ_VERSION : MQTTVPN_OTA_REQ_OTHER;
    default:
        return MQTTVPN_OTA_REQ_OTHER;
    }
}

void mqttvpn_ota_hex(char *out, const uint8_t *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15u];
    }
}

size_t mqttvpn_ota_decimal(char out[MQTTVPN_OTA_DECIMAL_MAX], uint32_t value)
{
    static const uint32_t powers[MQTTVPN_OTA_DECIMAL_MAX] = {1000000000u, 100000000u, 10000000u, 1000000u,
                                                             100000u, 10000u, 1000u, 100u, 10u, 1u};
    size_t i, n = 0;

    for (i = 0; i < MQTTVPN_OTA_DECIMAL_MAX; i++) {
        char digit = '0';
        while (value >= powers[i]) {
            value -= powers[i];
            digit++;
        }
        if (n > 0 || digit != '0' || i + 1 == MQTTVPN_OTA_DECIMAL_MAX) {
            out[n++] = digit;
        }
    }
    return n;
}
