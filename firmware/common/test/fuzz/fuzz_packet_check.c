/*
 * The packet sanity check (codec.h: mqttvpn_packet_check) against the rule as PROTOCOL.md
 * and codec.h state it, and the plain-frame open that relies on it. Input: two bytes of MTU,
 * then the packet.
 */
#include "mqttvpn/codec.h"
#include "fuzz_check.h"

static size_t be16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

/* version 4, IHL >= 5, a header inside the packet, total length == len; or version 6 with
 * payload length + 40 == len; never longer than the MTU, never shorter than an IPv4 header. */
static int model(const uint8_t *p, size_t len, size_t mtu)
{
    if (len > mtu) {
        return MQTTVPN_DROP_TOO_LONG;
    }
    if (len < 20) {
        return MQTTVPN_DROP_NOT_IP;
    }
    if (p[0] >> 4 == 4) {
        size_t ihl = p[0] & 0x0fu;
        return ihl >= 5 && ihl * 4 <= len && be16(p + 2) == len ? -1 : MQTTVPN_DROP_NOT_IP;
    }
    if (p[0] >> 4 == 6) {
        return len >= 40 && be16(p + 4) + 40 == len ? -1 : MQTTVPN_DROP_NOT_IP;
    }
    return MQTTVPN_DROP_NOT_IP;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    size_t mtu = fuzz_u16(&in) % (MQTTVPN_MTU + 100u);
    size_t len;
    const uint8_t *pkt = fuzz_bytes(&in, in.left, &len);
    uint8_t *copy = malloc(len > 0 ? len : 1);
    mqttvpn_key_t plain;
    int verdict, opened;

    FUZZ_CHECK(copy != NULL);
    /* An exact-size heap copy: ASan sees any read past the packet. */
    memcpy(copy, pkt, len);
    verdict = mqttvpn_packet_check(copy, len, mtu);
    FUZZ_CHECK(verdict == model(copy, len, mtu));

    /* Without a key, open delivers exactly what the check accepts. */
    mqttvpn_key_from_password(&plain, NULL);
    {
        static uint8_t out[MQTTVPN_MTU + 100u];
        opened = mqttvpn_open(&plain, copy, len, out, mtu);
        if (len < MQTTVPN_MIN_PACKET) {
            FUZZ_CHECK(mqttvpn_drop_reason(opened) == MQTTVPN_DROP_TOO_SHORT);
        } else if (verdict < 0) {
            FUZZ_CHECK(opened == (int)len && memcmp(out, copy, len) == 0);
        } else {
            FUZZ_CHECK(opened < 0 && (int)mqttvpn_drop_reason(opened) == verdict);
        }
    }
    /* An accepted IPv4 packet always has a topic. */
    if (verdict < 0 && copy[0] >> 4 == 4) {
        char topic[MQTTVPN_TOPIC_MAX];
        FUZZ_CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", copy, len) > 0);
    }
    free(copy);
    return 0;
}
