/*
 * The core tests on a target core under QEMU: the portable suites, then instruction counts of
 * key derivation, seal and open. Fails (non-zero exit) when a test fails or, where a budget
 * is set, when seal + open of a 1400-byte packet costs more than the budget.
 */
#include <string.h>

#include "harness.h"
#include "mqttvpn/codec.h"
#include "poly1305.h"
#include "salsa20.h"
#include "target.h"

#ifndef MQTTVPN_TARGET_NAME
#define MQTTVPN_TARGET_NAME "target" /* set by the Makefile: -DMQTTVPN_TARGET_NAME=\"lx106\" */
#endif

/* MQTTVPN_TARGET_BUDGET_1400: instructions allowed for seal + open of 1400 bytes; 0 = no limit.
 * Set per target in the Makefile (-DMQTTVPN_TARGET_BUDGET_1400=250000 for the lx106). */
#ifndef MQTTVPN_TARGET_BUDGET_1400
#define MQTTVPN_TARGET_BUDGET_1400 0
#endif

static uint32_t frame_words[(MQTTVPN_MAX_FRAME + 3) / 4];
static uint32_t packet_words[(MQTTVPN_MAX_FRAME + 3) / 4];
#define FRAME ((uint8_t *)frame_words)
#define PACKET ((uint8_t *)packet_words)

static void print_count(const char *what, uint32_t instructions)
{
    mqttvpn_test_print("  ");
    mqttvpn_test_print(what);
    mqttvpn_test_print(": ");
    mqttvpn_test_print_uint(instructions);
    mqttvpn_test_print(" instructions\n");
}

/* Where the time goes: one Salsa20 block (64 bytes of keystream) and Poly1305 over 1024
 * bytes, per 16-byte block. */
static void measure_primitives(void)
{
    mqttvpn_salsa20_t stream;
    uint32_t block[16];
    uint32_t poly_key[8] = {0x01234567u, 0x89abcdefu, 0xfedcba98u, 0x76543210u, 1, 2, 3, 4};
    uint8_t tag[MQTTVPN_POLY1305_TAG_BYTES];

    memset(&stream, 0x42, sizeof stream);
    uint32_t t0 = mqttvpn_target_instructions();
    mqttvpn_salsa20_block(&stream, block);
    uint32_t t1 = mqttvpn_target_instructions();
    mqttvpn_poly1305(tag, FRAME, 1024, poly_key);
    uint32_t t2 = mqttvpn_target_instructions();
    print_count("Salsa20 block (64 bytes)", t1 - t0);
    print_count("Poly1305 per 16 bytes (1024-byte message)", (t2 - t1) >> 6);
}

static uint32_t measure_key_derivation(void)
{
    mqttvpn_key_t key;
    uint32_t start = mqttvpn_target_instructions();
    mqttvpn_key_from_password(&key, "secret");
    return mqttvpn_target_instructions() - start;
}

/* Seals and opens one IPv4 packet of len bytes, as a node sends and receives it: the packet
 * in a buffer with 56 bytes of headroom, the frame opened into a separate buffer. Returns
 * seal + open, and 0 when the round trip did not give the packet back. */
static uint32_t measure_packet(size_t len)
{
    mqttvpn_key_t key;
    uint8_t nonce[MQTTVPN_NONCE_BYTES];
    mqttvpn_test_rng_t rng = {0x1234567u + (uint32_t)len};
    mqttvpn_key_from_password(&key, "secret");
    mqttvpn_test_rng_fill(&rng, nonce, sizeof nonce);
    mqttvpn_test_rng_fill(&rng, FRAME + MQTTVPN_OVERHEAD, len);
    FRAME[MQTTVPN_OVERHEAD] = 0x45;
    FRAME[MQTTVPN_OVERHEAD + 2] = (uint8_t)(len >> 8);
    FRAME[MQTTVPN_OVERHEAD + 3] = (uint8_t)len;
    memcpy(PACKET, FRAME + MQTTVPN_OVERHEAD, len);

    uint32_t t0 = mqttvpn_target_instructions();
    size_t frame_len = mqttvpn_seal(&key, nonce, FRAME + MQTTVPN_OVERHEAD, len, FRAME);
    uint32_t t1 = mqttvpn_target_instructions();
    int opened = mqttvpn_open(&key, FRAME, frame_len, FRAME + MQTTVPN_OVERHEAD, MQTTVPN_MTU);
    uint32_t t2 = mqttvpn_target_instructions();

    mqttvpn_test_print("  ");
    mqttvpn_test_print_uint((uint32_t)len);
    mqttvpn_test_print(" bytes: seal ");
    mqttvpn_test_print_uint(t1 - t0);
    mqttvpn_test_print(", open ");
    mqttvpn_test_print_uint(t2 - t1);
    mqttvpn_test_print(", together ");
    mqttvpn_test_print_uint(t2 - t0);
    mqttvpn_test_print(" instructions\n");
    if (opened != (int)len || memcmp(FRAME + MQTTVPN_OVERHEAD, PACKET, len) != 0) {
        mqttvpn_test_print("  round trip of the measured packet FAILED\n");
        return 0;
    }
    return t2 - t0;
}

int main(void)
{
    mqttvpn_test_print("core tests on " MQTTVPN_TARGET_NAME "\n");
    mqttvpn_vector_tests();
    mqttvpn_roundtrip_tests();
    mqttvpn_packet_check_tests();
    mqttvpn_topic_tests();
    mqttvpn_hash_tests();
    mqttvpn_ota_text_tests();
    unsigned failed = mqttvpn_test_summary(MQTTVPN_TARGET_NAME " core tests");

    mqttvpn_test_print(MQTTVPN_TARGET_NAME " instruction counts (QEMU -icount shift=0):\n");
    print_count("key from 6-byte password (SHA-512)", measure_key_derivation());
    measure_primitives();
    uint32_t small = measure_packet(64);
    uint32_t medium = measure_packet(512);
    uint32_t large = measure_packet(1400);
    if (small == 0 || medium == 0 || large == 0) {
        failed++;
    }
    if (MQTTVPN_TARGET_BUDGET_1400 > 0) {
        mqttvpn_test_print("  budget for seal + open of 1400 bytes: ");
        mqttvpn_test_print_uint(MQTTVPN_TARGET_BUDGET_1400);
        if (large > MQTTVPN_TARGET_BUDGET_1400) {
            mqttvpn_test_print(" EXCEEDED\n");
            failed++;
        } else {
            mqttvpn_test_print(" kept\n");
        }
    }

    mqttvpn_test_print(failed == 0 ? MQTTVPN_TARGET_NAME " PASSED\n" : MQTTVPN_TARGET_NAME " FAILED\n");
    mqttvpn_target_exit(failed == 0 ? 0 : 1);
    return failed == 0 ? 0 : 1;
}
