#include "hash_cases.h"

#include "harness.h"

static const uint32_t LONGER[] = {183, 255, 256, 447, 448, 511, 512, 1000, 4095, 4096, 4097, 10007, 65549};

size_t mqttvpn_hash_case(unsigned i, uint8_t *msg)
{
    mqttvpn_test_rng_t rng = {0x9e3779b9u + i};
    size_t len = i <= 130u ? i : LONGER[i - 131u]; /* MQTTVPN_HASH_CASES = 131 + 13 */

    mqttvpn_test_rng_fill(&rng, msg, len);
    return len;
}
