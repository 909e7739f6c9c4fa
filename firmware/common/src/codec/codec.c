/*
 * Classic frames (PROTOCOL.md): nonce(24) || zeros(16) || tag(16) || ciphertext, or the bare
 * packet without a key. The secretbox layer does the cryptography; this file does the
 * layout, the length rules and the order of the checks.
 */
#include "mqttvpn/codec.h"

#include <string.h>

#include "secretbox.h"
#include "sha512.h"
#include "wipe.h"

#define TAG_OFFSET (MQTTVPN_NONCE_BYTES + MQTTVPN_ZERO_BYTES)

static const char *const drop_names[MQTTVPN_DROP_COUNT] = {
    [MQTTVPN_DROP_TOO_SHORT] = "too_short",
    [MQTTVPN_DROP_AUTH_FAILED] = "auth_failed",
    [MQTTVPN_DROP_NOT_IP] = "not_ip",
    [MQTTVPN_DROP_TOO_LONG] = "too_long",
};

const char *mqttvpn_drop_name(mqttvpn_drop_t reason)
{
    return (unsigned)reason < MQTTVPN_DROP_COUNT ? drop_names[reason] : "unknown";
}

void mqttvpn_key_from_password(mqttvpn_key_t *key, const char *password)
{
    uint8_t digest[64];
    memset(key->bytes, 0, sizeof key->bytes);
    key->encrypted = password != NULL && password[0] != '\0';
    if (!key->encrypted) {
        return;
    }
    mqttvpn_sha512(digest, (const uint8_t *)password, strlen(password));
    memcpy(key->bytes, digest, MQTTVPN_KEY_BYTES);
    mqttvpn_wipe(digest, sizeof digest);
}

size_t mqttvpn_frame_len(const mqttvpn_key_t *key, size_t len)
{
    return key->encrypted ? len + MQTTVPN_OVERHEAD : len;
}

size_t mqttvpn_seal(const mqttvpn_key_t *key, const uint8_t nonce[MQTTVPN_NONCE_BYTES],
                    const uint8_t *packet, size_t len, uint8_t *frame)
{
    if (!key->encrypted) {
        memmove(frame, packet, len);
        return len;
    }
    /* memmove: a caller may have drawn the nonce straight into the frame's first bytes. */
    memmove(frame, nonce, MQTTVPN_NONCE_BYTES);
    memset(frame + MQTTVPN_NONCE_BYTES, 0, MQTTVPN_ZERO_BYTES);
    mqttvpn_secretbox_seal(frame + MQTTVPN_OVERHEAD, frame + TAG_OFFSET, packet, len, frame,
                           key->bytes);
    return len + MQTTVPN_OVERHEAD;
}

static int dropped(mqttvpn_drop_t reason)
{
    return -1 - (int)reason;
}

int mqttvpn_open(const mqttvpn_key_t *key, const uint8_t *frame, size_t len, uint8_t *packet, size_t mtu)
{
    size_t packet_len = len;
    int verdict;

    if (key->encrypted) {
        if (len < MQTTVPN_OVERHEAD + MQTTVPN_MIN_PACKET) {
            return dropped(MQTTVPN_DROP_TOO_SHORT);
        }
        packet_len = len - MQTTVPN_OVERHEAD;
        /* Before decrypting: the packet buffer only has room for mtu bytes. */
        if (packet_len > mtu) {
            return dropped(MQTTVPN_DROP_TOO_LONG);
        }
        /* Bytes 24..39 are not checked, as libsodium and TweetNaCl do not check them. */
        if (mqttvpn_secretbox_open(packet, frame + MQTTVPN_OVERHEAD, packet_len, frame + TAG_OFFSET,
                                   frame, key->bytes) != 0) {
            return dropped(MQTTVPN_DROP_AUTH_FAILED);
        }
    } else {
        if (len < MQTTVPN_MIN_PACKET) {
            return dropped(MQTTVPN_DROP_TOO_SHORT);
        }
        if (len > mtu) {
            return dropped(MQTTVPN_DROP_TOO_LONG);
        }
        /* Checked where it lies, so a refused plain frame is not copied either. */
        verdict = mqttvpn_packet_check(frame, len, mtu);
        if (verdict >= 0) {
            return dropped((mqttvpn_drop_t)verdict);
        }
        memmove(packet, frame, len);
        return (int)len;
    }

    verdict = mqttvpn_packet_check(packet, packet_len, mtu);
    return verdict >= 0 ? dropped((mqttvpn_drop_t)verdict) : (int)packet_len;
}
