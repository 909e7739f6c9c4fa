/*
 * Frame open (codec.h: mqttvpn_open) and seal, with libsodium as the reference for the
 * cryptography and the documented drop rules for the rest. The first input byte picks:
 *   0 open an arbitrary frame under the key of the vectors' password "secret";
 *   1 open an arbitrary frame without a key;
 *   2 seal nonce(24) || packet (the rest of the input), compare with crypto_secretbox_easy,
 *     open it again: random frames never authenticate, sealed ones reach the packet check;
 *   3 as 2, with one bit of the frame flipped (position from the next two bytes).
 * Bit 2 of that byte: open in place (packet = frame + 56) instead of into a fresh buffer.
 */
#include <sodium.h>

#include "mqttvpn/codec.h"
#include "fuzz_check.h"

#define PASSWORD "secret"

static mqttvpn_key_t key, plain;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FUZZ_CHECK(sodium_init() >= 0);
    mqttvpn_key_from_password(&key, PASSWORD);
    mqttvpn_key_from_password(&plain, "");
    FUZZ_CHECK(key.encrypted && !plain.encrypted);
    return 0;
}

/* What mqttvpn_open must return for this frame, computed with libsodium. */
static int expected_open(const mqttvpn_key_t *k, const uint8_t *frame, size_t len, uint8_t *plain_out)
{
    size_t plen = len;
    if (k->encrypted) {
        if (len < MQTTVPN_OVERHEAD + MQTTVPN_MIN_PACKET) {
            return -1 - MQTTVPN_DROP_TOO_SHORT;
        }
        plen = len - MQTTVPN_OVERHEAD;
        if (plen > MQTTVPN_MTU) {
            return -1 - MQTTVPN_DROP_TOO_LONG;
        }
        if (crypto_secretbox_open_detached(plain_out, frame + MQTTVPN_OVERHEAD, frame + 40, plen, frame,
                                           k->bytes) != 0) {
            return -1 - MQTTVPN_DROP_AUTH_FAILED;
        }
    } else {
        if (len < MQTTVPN_MIN_PACKET) {
            return -1 - MQTTVPN_DROP_TOO_SHORT;
        }
        if (len > MQTTVPN_MTU) {
            return -1 - MQTTVPN_DROP_TOO_LONG;
        }
        memcpy(plain_out, frame, len);
    }
    {
        int verdict = mqttvpn_packet_check(plain_out, plen, MQTTVPN_MTU);
        return verdict >= 0 ? -1 - verdict : (int)plen;
    }
}

/* Opens frame (len bytes, in a buffer with room for it) and checks the result. */
static void check_open(const mqttvpn_key_t *k, uint8_t *frame, size_t len, int in_place)
{
    static uint8_t want[MQTTVPN_MAX_FRAME + 512];
    static uint8_t out[MQTTVPN_MTU];
    int expect = expected_open(k, frame, len, want);
    uint8_t *dst = out;
    int got;

    if (in_place && k->encrypted && len >= MQTTVPN_OVERHEAD) {
        dst = frame + MQTTVPN_OVERHEAD;
    } else {
        memset(out, 0xa5, sizeof out);
    }
    got = mqttvpn_open(k, frame, len, dst, MQTTVPN_MTU);
    FUZZ_CHECK(got == expect);
    if (got >= 0) {
        FUZZ_CHECK(got >= (int)MQTTVPN_MIN_PACKET && memcmp(dst, want, (size_t)got) == 0);
    } else if (dst == out && mqttvpn_drop_reason(got) != MQTTVPN_DROP_NOT_IP) {
        /* Nothing written for a frame that is too short, too long or fails authentication. */
        size_t i;
        for (i = 0; i < sizeof out; i++) {
            FUZZ_CHECK(out[i] == 0xa5);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t frame[MQTTVPN_MAX_FRAME + 512];
    static uint8_t ref[MQTTVPN_MAX_FRAME + 512];
    struct fuzz_in in = {data, size};
    uint8_t op = fuzz_u8(&in);
    int in_place = (op & 4) != 0;
    size_t len;
    const uint8_t *bytes;

    switch (op & 3) {
    case 0:
    case 1:
        bytes = fuzz_bytes(&in, sizeof frame, &len);
        memcpy(frame, bytes, len);
        check_open((op & 3) == 0 ? &key : &plain, frame, len, in_place);
        break;
    default: {
        uint8_t nonce[MQTTVPN_NONCE_BYTES] = {0};
        uint16_t flip = fuzz_u16(&in);
        size_t nlen, flen;
        bytes = fuzz_bytes(&in, sizeof nonce, &nlen);
        memcpy(nonce, bytes, nlen);
        bytes = fuzz_bytes(&in, MQTTVPN_MTU, &len);
        /* Sealed in place from the packet's spot, as the netif does. */
        memcpy(frame + MQTTVPN_OVERHEAD, bytes, len);
        flen = mqttvpn_seal(&key, nonce, frame + MQTTVPN_OVERHEAD, len, frame);
        FUZZ_CHECK(flen == len + MQTTVPN_OVERHEAD && flen == mqttvpn_frame_len(&key, len));
        /* libsodium's frame: nonce || 16 zeros || crypto_secretbox_easy (tag, ciphertext). */
        memcpy(ref, nonce, sizeof nonce);
        memset(ref + 24, 0, 16);
        FUZZ_CHECK(crypto_secretbox_easy(ref + 40, bytes, len, nonce, key.bytes) == 0);
        FUZZ_CHECK(memcmp(frame, ref, flen) == 0);
        if ((op & 3) == 3) {
            size_t bit = flip % (flen * 8);
            frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            /* Bytes 24..39 are ignored; any other flipped bit fails authentication. */
            if (bit / 8 < 24 || bit / 8 >= 40) {
                uint8_t tmp[MQTTVPN_MTU];
                FUZZ_CHECK(expected_open(&key, frame, flen, tmp) < 0);
            }
        }
        check_open(&key, frame, flen, in_place);
        break;
    }
    }
    return 0;
}
