/*
 * TEMPORARY stand-in for the codec (firmware/common/src/{crypto,codec}) until branch core
 * lands it. Uses libsodium and inet_ntop. DELETE before finishing; never ship.
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "mqttvpn/codec.h"

const char *mqttvpn_drop_name(mqttvpn_drop_t reason)
{
    static const char *const names[] = {"too_short", "auth_failed", "not_ip", "too_long"};
    return (unsigned)reason < MQTTVPN_DROP_COUNT ? names[reason] : "unknown";
}

void mqttvpn_key_from_password(mqttvpn_key_t *key, const char *password)
{
    uint8_t h[64];
    memset(key, 0, sizeof(*key));
    if (password == NULL || password[0] == 0) return;
    crypto_hash_sha512(h, (const uint8_t *)password, strlen(password));
    memcpy(key->bytes, h, 32);
    key->encrypted = 1;
}

size_t mqttvpn_frame_len(const mqttvpn_key_t *key, size_t len)
{
    return key->encrypted ? len + MQTTVPN_OVERHEAD : len;
}

size_t mqttvpn_seal(const mqttvpn_key_t *key, const uint8_t nonce[MQTTVPN_NONCE_BYTES],
                    const uint8_t *packet, size_t len, uint8_t *frame)
{
    if (!key->encrypted) { memmove(frame, packet, len); return len; }
    crypto_secretbox_easy(frame + 40, packet, len, nonce, key->bytes);
    memcpy(frame, nonce, 24);
    memset(frame + 24, 0, 16);
    return len + MQTTVPN_OVERHEAD;
}

int mqttvpn_packet_check(const uint8_t *p, size_t len, size_t mtu)
{
    if (len > mtu) return MQTTVPN_DROP_TOO_LONG;
    if (len < 20) return MQTTVPN_DROP_TOO_SHORT;
    if ((p[0] >> 4) == 4 && (p[0] & 15) >= 5 && (size_t)((p[2] << 8) | p[3]) == len) return -1;
    if ((p[0] >> 4) == 6 && len >= 40 && (size_t)((p[4] << 8) | p[5]) + 40 == len) return -1;
    return MQTTVPN_DROP_NOT_IP;
}

int mqttvpn_open(const mqttvpn_key_t *key, const uint8_t *frame, size_t len, uint8_t *packet, size_t mtu)
{
    size_t n; int c;
    if (len < mqttvpn_frame_len(key, 20)) return -1 - MQTTVPN_DROP_TOO_SHORT;
    n = len - mqttvpn_frame_len(key, 0);
    if (n > mtu) return -1 - MQTTVPN_DROP_TOO_LONG;
    if (key->encrypted) {
        if (crypto_secretbox_open_easy(packet, frame + 40, len - 40, frame, key->bytes) != 0)
            return -1 - MQTTVPN_DROP_AUTH_FAILED;
    } else {
        memmove(packet, frame, n);
    }
    c = mqttvpn_packet_check(packet, n, mtu);
    return c >= 0 ? -1 - c : (int)n;
}

size_t mqttvpn_topic_v4(char *out, size_t cap, const char *prefix, const uint8_t a[4])
{
    int n = snprintf(out, cap, "%s/%u.%u.%u.%u", prefix, a[0], a[1], a[2], a[3]);
    return (n < 0 || (size_t)n >= cap) ? 0 : (size_t)n;
}

size_t mqttvpn_topic_v6(char *out, size_t cap, const char *prefix, const uint8_t a[16])
{
    char t[INET6_ADDRSTRLEN];
    int n;
    inet_ntop(AF_INET6, a, t, sizeof t);
    n = snprintf(out, cap, "%s/%s", prefix, t);
    return (n < 0 || (size_t)n >= cap) ? 0 : (size_t)n;
}

size_t mqttvpn_topic_for_packet(char *out, size_t cap, const char *prefix, const uint8_t *p, size_t len)
{
    if (len >= 20 && (p[0] >> 4) == 4) return mqttvpn_topic_v4(out, cap, prefix, p + 16);
    if (len >= 40 && (p[0] >> 4) == 6 && p[24] != 0xff) return mqttvpn_topic_v6(out, cap, prefix, p + 24);
    return 0;
}
