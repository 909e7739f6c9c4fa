/*
 * Classic frames (PROTOCOL.md) sealed and opened with libsodium, not with our codec: the
 * oracle the tests that run the driver on real lwIP (netif, glue) check its wire format
 * against. Header-only; link with -lsodium.
 */
#ifndef MQTTVPN_TEST_FRAMES_H
#define MQTTVPN_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

/* key = first 32 bytes of SHA-512(password) */
static inline void frame_key(uint8_t key[32], const char *password)
{
    uint8_t h[crypto_hash_sha512_BYTES];
    crypto_hash_sha512(h, (const uint8_t *)password, strlen(password));
    memcpy(key, h, 32);
}

/* nonce || 16 zero bytes || crypto_secretbox_easy(pkt); returns the frame length. */
static inline size_t seal_frame(uint8_t *frame, const char *password, const uint8_t *pkt, size_t len)
{
    uint8_t key[32];
    frame_key(key, password);
    randombytes_buf(frame, 24);
    memset(frame + 24, 0, 16);
    crypto_secretbox_easy(frame + 40, pkt, len, frame, key);
    return len + 56;
}

/* The packet length, or -1 if the frame does not open or its bytes 24..39 are not the zeros
 * every sender must write. */
static inline long open_frame(uint8_t *pkt, const char *password, const uint8_t *frame, size_t len)
{
    static const uint8_t zeros[16] = {0};
    uint8_t key[32];
    frame_key(key, password);
    if (len < 56 || memcmp(frame + 24, zeros, 16) != 0 ||
        crypto_secretbox_open_easy(pkt, frame + 40, len - 40, frame, key) != 0) {
        return -1;
    }
    return (long)(len - 56);
}

#endif /* MQTTVPN_TEST_FRAMES_H */
