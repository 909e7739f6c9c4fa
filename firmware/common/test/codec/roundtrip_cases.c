#include "roundtrip_cases.h"

#include "harness.h"

static const uint16_t fixed_lengths[] = {
    0,   1,   15,  16,  17,  19,  20,  21,  31,  32,  33,   39,   40,   41,   47,   48,   63,
    64,  65,  95,  96,  97,  127, 128, 129, 191, 192, 255,  256,  511,  512,  513,  1023, 1024,
    1399, 1400, 1401, 1499, 1500,
};

void mqttvpn_roundtrip_case(unsigned i, mqttvpn_roundtrip_case_t *c, uint8_t packet[MQTTVPN_MTU])
{
    const unsigned fixed = sizeof fixed_lengths / sizeof fixed_lengths[0];
    mqttvpn_test_rng_t rng = {0x9e3779b9u ^ (i * 0x85ebca6bu)};
    mqttvpn_test_rng_next(&rng);

    mqttvpn_test_rng_fill(&rng, c->key, sizeof c->key);
    mqttvpn_test_rng_fill(&rng, c->nonce, sizeof c->nonce);
    if (i < fixed) {
        c->len = fixed_lengths[i];
    } else {
        /* Rejection sampling keeps the lengths uniform without a division. */
        uint32_t len;
        do {
            len = mqttvpn_test_rng_next(&rng) >> 21; /* 0..2047 */
        } while (len > MQTTVPN_MTU);
        c->len = len;
    }
    mqttvpn_test_rng_fill(&rng, packet, c->len);

    if (c->len >= 40 && (mqttvpn_test_rng_next(&rng) & 1)) {
        packet[0] = 0x60;
        packet[4] = (uint8_t)((c->len - 40) >> 8);
        packet[5] = (uint8_t)(c->len - 40);
    } else if (c->len >= 20) {
        packet[0] = 0x45;
        packet[2] = (uint8_t)(c->len >> 8);
        packet[3] = (uint8_t)c->len;
    }
}
