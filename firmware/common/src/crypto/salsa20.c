/*
 * Salsa20/20 for 32-bit cores. Everything is 32-bit add, xor and rotate by a constant; GCC
 * turns the rotate into ssai+src on the lx106 (it has no rotate instruction) and into two
 * shifts and an or on rv32imc. The state is held in sixteen named locals so the compiler
 * can keep as many as it has registers for, and a scheduling fence after each quarter-round
 * (sched_fence.h) stops it from interleaving the four independent quarter-rounds of a round,
 * which would need all sixteen words and four temporaries live at once. Keystream words are
 * xored into aligned data a word at a time; the bytewise path only serves unaligned buffers
 * and the final partial block.
 */
#include "salsa20.h"

#include "le_bytes.h"
#include "sched_fence.h"
#include "wipe.h"

/* "expand 32-byte k" as four little-endian words. */
#define SIGMA0 0x61707865u
#define SIGMA1 0x3320646eu
#define SIGMA2 0x79622d32u
#define SIGMA3 0x6b206574u

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

#define QUARTER(a, b, c, d)          \
    do {                             \
        b ^= ROTL(a + d, 7);         \
        c ^= ROTL(b + a, 9);         \
        d ^= ROTL(c + b, 13);        \
        a ^= ROTL(d + c, 18);        \
        MQTTVPN_SCHED_FENCE();       \
    } while (0)

/*
 * The 20 rounds on in[0..15]; out = the result plus in (Salsa20's feed-forward) or the bare
 * result (HSalsa20). out may equal in.
 */
static void salsa20_core(uint32_t out[16], const uint32_t in[16], int feed_forward)
{
    uint32_t x0 = in[0], x1 = in[1], x2 = in[2], x3 = in[3];
    uint32_t x4 = in[4], x5 = in[5], x6 = in[6], x7 = in[7];
    uint32_t x8 = in[8], x9 = in[9], x10 = in[10], x11 = in[11];
    uint32_t x12 = in[12], x13 = in[13], x14 = in[14], x15 = in[15];

    for (int i = 0; i < 10; i++) {
        QUARTER(x0, x4, x8, x12);  /* columns */
        QUARTER(x5, x9, x13, x1);
        QUARTER(x10, x14, x2, x6);
        QUARTER(x15, x3, x7, x11);
        QUARTER(x0, x1, x2, x3);   /* rows */
        QUARTER(x5, x6, x7, x4);
        QUARTER(x10, x11, x8, x9);
        QUARTER(x15, x12, x13, x14);
    }

    if (feed_forward) {
        x0 += in[0], x1 += in[1], x2 += in[2], x3 += in[3];
        x4 += in[4], x5 += in[5], x6 += in[6], x7 += in[7];
        x8 += in[8], x9 += in[9], x10 += in[10], x11 += in[11];
        x12 += in[12], x13 += in[13], x14 += in[14], x15 += in[15];
    }
    out[0] = x0, out[1] = x1, out[2] = x2, out[3] = x3;
    out[4] = x4, out[5] = x5, out[6] = x6, out[7] = x7;
    out[8] = x8, out[9] = x9, out[10] = x10, out[11] = x11;
    out[12] = x12, out[13] = x13, out[14] = x14, out[15] = x15;
}

static void load_key(uint32_t input[16], const uint8_t key[32])
{
    input[0] = SIGMA0;
    input[5] = SIGMA1;
    input[10] = SIGMA2;
    input[15] = SIGMA3;
    for (int i = 0; i < 4; i++) {
        input[1 + i] = mqttvpn_load32_le(key + 4 * i);
        input[11 + i] = mqttvpn_load32_le(key + 16 + 4 * i);
    }
}

void mqttvpn_hsalsa20(uint32_t subkey[8], const uint8_t key[32], const uint8_t nonce16[16])
{
    uint32_t x[16];
    load_key(x, key);
    for (int i = 0; i < 4; i++) {
        x[6 + i] = mqttvpn_load32_le(nonce16 + 4 * i);
    }
    salsa20_core(x, x, 0);
    /* HSalsa20 skips the feed-forward and outputs the diagonal and the nonce words: these
     * are the words an attacker could otherwise subtract the known input from. */
    subkey[0] = x[0];
    subkey[1] = x[5];
    subkey[2] = x[10];
    subkey[3] = x[15];
    subkey[4] = x[6];
    subkey[5] = x[7];
    subkey[6] = x[8];
    subkey[7] = x[9];
    mqttvpn_wipe(x, sizeof x);
}

void mqttvpn_xsalsa20_init(mqttvpn_salsa20_t *s, const uint8_t key[32], const uint8_t nonce[24])
{
    uint32_t subkey[8];
    mqttvpn_hsalsa20(subkey, key, nonce);
    s->input[0] = SIGMA0;
    s->input[5] = SIGMA1;
    s->input[10] = SIGMA2;
    s->input[15] = SIGMA3;
    for (int i = 0; i < 4; i++) {
        s->input[1 + i] = subkey[i];
        s->input[11 + i] = subkey[4 + i];
    }
    s->input[6] = mqttvpn_load32_le(nonce + 16);
    s->input[7] = mqttvpn_load32_le(nonce + 20);
    s->input[8] = 0;
    s->input[9] = 0;
    mqttvpn_wipe(subkey, sizeof subkey);
}

static void next_counter(mqttvpn_salsa20_t *s)
{
    if (++s->input[8] == 0) {
        ++s->input[9];
    }
}

void mqttvpn_salsa20_block(mqttvpn_salsa20_t *s, uint32_t block[16])
{
    salsa20_core(block, s->input, 1);
    next_counter(s);
}

void mqttvpn_salsa20_xor_words(uint8_t *out, const uint8_t *in, const uint32_t *block, size_t len)
{
    size_t i = 0;
    if (mqttvpn_aligned4(out, in)) {
        /* Pointer steps rather than indexing: this loop runs for every word of every packet. */
        const uint32_t *ks = block;
        for (; i + 4 <= len; i += 4, in += 4, out += 4) {
            mqttvpn_store32_le_aligned(out, mqttvpn_load32_le_aligned(in) ^ *ks++);
        }
        block = ks;
        len -= i;
        i = 0;
    }
    for (; i < len; i++) {
        out[i] = in[i] ^ (uint8_t)(block[i / 4] >> (8 * (i % 4)));
    }
}

void mqttvpn_salsa20_xor(mqttvpn_salsa20_t *s, uint8_t *out, const uint8_t *in, size_t len)
{
    uint32_t block[16];
    while (len > 0) {
        size_t n = len < MQTTVPN_SALSA20_BLOCK_BYTES ? len : MQTTVPN_SALSA20_BLOCK_BYTES;
        mqttvpn_salsa20_block(s, block);
        mqttvpn_salsa20_xor_words(out, in, block, n);
        out += n;
        in += n;
        len -= n;
    }
    mqttvpn_wipe(block, sizeof block);
}
