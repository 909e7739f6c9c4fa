/*
 * Poly1305 for 32-bit cores whose multiplier returns only the low 32 bits of a product
 * (the ESP8266's lx106: a 32x32->64 product there is a software __muldi3 call).
 *
 * Numbers mod p = 2^130 - 5 are held as ten 13-bit limbs (130 = 10 x 13, so 2^130 folds
 * back as a factor 5 with no extra shift). h * r is a schoolbook product whose columns
 * d_i = sum_j h_j * r_(i-j), where a wrapped index uses 5 * r_(i-j+10), all fit in 32 bits:
 *
 *   - r limbs are below 2^13, 5 * r limbs below 2^15.33;
 *   - before each multiplication the limbs of h + m are carried so that every limb is below
 *     2^13 except h1, which stays below 2^13 + 180 (the carry out of the top limb comes
 *     back times 5 into h0, which is carried once more into h1);
 *   - the largest column is d_0 = h0 r0 + 5 (h1 r9 + h2 r8 + ... + h9 r1). With clamped r
 *     (r4 < 2^8, r9 < 2^7) it stays below 2.42e9 = 0.57 x 2^32, and even for any 128-bit r
 *     below 2.84e9. test/codec/poly1305_bounds.py computes these limb by limb, and
 *     `make test` runs it.
 *
 * So every product is one 32-bit multiply (mull), 100 per 16-byte block, with no 64-bit
 * arithmetic and no division anywhere. Adding the next message block to the uncarried
 * columns and carrying once (instead of carrying, adding and carrying again) saves a carry
 * chain per block; the bound leaves room for the 13-bit message limb.
 *
 * Registers decide the rest. The ten h limbs stay in registers during the product and the
 * r limbs are loaded; two columns are summed at a time so that each load feeds two
 * multiplies. Scheduling fences (sched_fence.h) keep GCC from hoisting all the products of
 * a column at once, which would need more registers than the lx106 has.
 */
#include "poly1305.h"

#include <string.h>

#include "le_bytes.h"
#include "sched_fence.h"
#include "wipe.h"

#define LIMB_MASK 0x1fffu
/* The 2^128 bit every full 16-byte block carries: bit 11 of limb 9 (bits 117..129). */
#define FULL_BLOCK_BIT (1u << 11)
#define BLOCK_BYTES 16u

/*
 * R holds r so that every column reads it the same way: R[10 + k] = r_k and R[k] = 5 r_k
 * (k = 1..9), and column i is d_i = sum_j h_j R[10 + i - j].
 *
 * COLUMN_PAIR computes columns i and i + 1 from q = R + 1 + i: q[k] meets h_(9-k) in column
 * i and h_(10-k) in column i + 1, so each load of q[k] feeds two products (11 loads for
 * two columns instead of 20). Expects h0..h9 in scope.
 */
#define PAIR(acc_a, acc_b, h_a, h_b, r) \
    do {                                \
        const uint32_t r_ = (r);        \
        acc_a += (h_a) * r_;            \
        acc_b += (h_b) * r_;            \
        MQTTVPN_SCHED_FENCE_ON(acc_a);  \
        MQTTVPN_SCHED_FENCE_ON(acc_b);  \
    } while (0)

#define COLUMN_PAIR(out, R, i)                   \
    do {                                         \
        const uint32_t *q_ = (R) + 1 + (i);      \
        uint32_t a_ = h9 * q_[0], b_ = 0;        \
        MQTTVPN_SCHED_FENCE_ON(a_);              \
        PAIR(a_, b_, h8, h9, q_[1]);             \
        PAIR(a_, b_, h7, h8, q_[2]);             \
        PAIR(a_, b_, h6, h7, q_[3]);             \
        PAIR(a_, b_, h5, h6, q_[4]);             \
        PAIR(a_, b_, h4, h5, q_[5]);             \
        PAIR(a_, b_, h3, h4, q_[6]);             \
        PAIR(a_, b_, h2, h3, q_[7]);             \
        PAIR(a_, b_, h1, h2, q_[8]);             \
        PAIR(a_, b_, h0, h1, q_[9]);             \
        b_ += h0 * q_[10];                       \
        (out)[i] = a_;                           \
        (out)[(i) + 1] = b_;                     \
    } while (0)

/* Splits 128 bits (four little-endian words) into the low 128 bits of ten 13-bit limbs. */
#define SPLIT(l, w0, w1, w2, w3)                          \
    do {                                                  \
        l##0 = (w0) & LIMB_MASK;                          \
        l##1 = ((w0) >> 13) & LIMB_MASK;                  \
        l##2 = (((w0) >> 26) | ((w1) << 6)) & LIMB_MASK;  \
        l##3 = ((w1) >> 7) & LIMB_MASK;                   \
        l##4 = (((w1) >> 20) | ((w2) << 12)) & LIMB_MASK; \
        l##5 = ((w2) >> 1) & LIMB_MASK;                   \
        l##6 = ((w2) >> 14) & LIMB_MASK;                  \
        l##7 = (((w2) >> 27) | ((w3) << 5)) & LIMB_MASK;  \
        l##8 = ((w3) >> 8) & LIMB_MASK;                   \
        l##9 = (w3) >> 21;                                \
    } while (0)

/* Limbs below 2^13 except h1 (see the bound above); the top carry re-enters as 5x. */
#define CARRY(d, h)                                 \
    do {                                            \
        h##0 = d##0 & LIMB_MASK, d##1 += d##0 >> 13; \
        h##1 = d##1 & LIMB_MASK, d##2 += d##1 >> 13; \
        h##2 = d##2 & LIMB_MASK, d##3 += d##2 >> 13; \
        h##3 = d##3 & LIMB_MASK, d##4 += d##3 >> 13; \
        h##4 = d##4 & LIMB_MASK, d##5 += d##4 >> 13; \
        h##5 = d##5 & LIMB_MASK, d##6 += d##5 >> 13; \
        h##6 = d##6 & LIMB_MASK, d##7 += d##6 >> 13; \
        h##7 = d##7 & LIMB_MASK, d##8 += d##7 >> 13; \
        h##8 = d##8 & LIMB_MASK, d##9 += d##8 >> 13; \
        h##9 = d##9 & LIMB_MASK;                    \
        h##0 += 5 * (d##9 >> 13);                   \
        h##1 += h##0 >> 13, h##0 &= LIMB_MASK;      \
    } while (0)

/* d = (d + m) * r for each 16-byte block of m; d holds the uncarried columns between calls. */
static void blocks(uint32_t d[10], const uint32_t R[20], const uint8_t *m, size_t n, uint32_t top_bit)
{
    const int aligned = mqttvpn_aligned4(m, m);

    for (; n > 0; n--, m += BLOCK_BYTES) {
        uint32_t w0, w1, w2, w3;
        uint32_t m0, m1, m2, m3, m4, m5, m6, m7, m8, m9;
        uint32_t d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3], d4 = d[4];
        uint32_t d5 = d[5], d6 = d[6], d7 = d[7], d8 = d[8], d9 = d[9];
        uint32_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;
        if (aligned) {
            w0 = mqttvpn_load32_le_aligned(m);
            w1 = mqttvpn_load32_le_aligned(m + 4);
            w2 = mqttvpn_load32_le_aligned(m + 8);
            w3 = mqttvpn_load32_le_aligned(m + 12);
        } else {
            w0 = mqttvpn_load32_le(m);
            w1 = mqttvpn_load32_le(m + 4);
            w2 = mqttvpn_load32_le(m + 8);
            w3 = mqttvpn_load32_le(m + 12);
        }
        SPLIT(m, w0, w1, w2, w3);
        d0 += m0, d1 += m1, d2 += m2, d3 += m3, d4 += m4;
        d5 += m5, d6 += m6, d7 += m7, d8 += m8, d9 += m9 | top_bit;
        CARRY(d, h);
        COLUMN_PAIR(d, R, 0);
        COLUMN_PAIR(d, R, 2);
        COLUMN_PAIR(d, R, 4);
        COLUMN_PAIR(d, R, 6);
        COLUMN_PAIR(d, R, 8);
    }
}

/* tag = (h mod p) + s mod 2^128, with h given as uncarried columns. Constant time. */
static void finish(uint8_t tag[16], uint32_t d[10], const uint32_t s[4])
{
    uint32_t d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3], d4 = d[4];
    uint32_t d5 = d[5], d6 = d[6], d7 = d[7], d8 = d[8], d9 = d[9];
    uint32_t h0, h1, h2, h3, h4, h5, h6, h7, h8, h9;
    uint32_t g0, g1, g2, g3, g4, g5, g6, g7, g8, g9;
    uint32_t c;

    CARRY(d, h);
    /* Second pass: h1 may still exceed 13 bits. Afterwards h < 2^130 (a carry out of limb 9
     * leaves limb 9 at zero), so the last chain needs no fold. */
    c = h1 >> 13, h1 &= LIMB_MASK;
    h2 += c, c = h2 >> 13, h2 &= LIMB_MASK;
    h3 += c, c = h3 >> 13, h3 &= LIMB_MASK;
    h4 += c, c = h4 >> 13, h4 &= LIMB_MASK;
    h5 += c, c = h5 >> 13, h5 &= LIMB_MASK;
    h6 += c, c = h6 >> 13, h6 &= LIMB_MASK;
    h7 += c, c = h7 >> 13, h7 &= LIMB_MASK;
    h8 += c, c = h8 >> 13, h8 &= LIMB_MASK;
    h9 += c, c = h9 >> 13, h9 &= LIMB_MASK;
    h0 += 5 * c;
    c = h0 >> 13, h0 &= LIMB_MASK;
    h1 += c, c = h1 >> 13, h1 &= LIMB_MASK;
    h2 += c, c = h2 >> 13, h2 &= LIMB_MASK;
    h3 += c, c = h3 >> 13, h3 &= LIMB_MASK;
    h4 += c, c = h4 >> 13, h4 &= LIMB_MASK;
    h5 += c, c = h5 >> 13, h5 &= LIMB_MASK;
    h6 += c, c = h6 >> 13, h6 &= LIMB_MASK;
    h7 += c, c = h7 >> 13, h7 &= LIMB_MASK;
    h8 += c, c = h8 >> 13, h8 &= LIMB_MASK;
    h9 += c;

    /* g = h + 5 - 2^130; h >= p exactly when g does not go negative, i.e. bit 130 of h + 5. */
    g0 = h0 + 5, c = g0 >> 13, g0 &= LIMB_MASK;
    g1 = h1 + c, c = g1 >> 13, g1 &= LIMB_MASK;
    g2 = h2 + c, c = g2 >> 13, g2 &= LIMB_MASK;
    g3 = h3 + c, c = g3 >> 13, g3 &= LIMB_MASK;
    g4 = h4 + c, c = g4 >> 13, g4 &= LIMB_MASK;
    g5 = h5 + c, c = g5 >> 13, g5 &= LIMB_MASK;
    g6 = h6 + c, c = g6 >> 13, g6 &= LIMB_MASK;
    g7 = h7 + c, c = g7 >> 13, g7 &= LIMB_MASK;
    g8 = h8 + c, c = g8 >> 13, g8 &= LIMB_MASK;
    g9 = h9 + c, c = g9 >> 13, g9 &= LIMB_MASK;

    /* Select without a branch on secret data: keep = all ones when h < p. */
    const uint32_t take = 0u - c, keep = ~take;
    h0 = (h0 & keep) | (g0 & take);
    h1 = (h1 & keep) | (g1 & take);
    h2 = (h2 & keep) | (g2 & take);
    h3 = (h3 & keep) | (g3 & take);
    h4 = (h4 & keep) | (g4 & take);
    h5 = (h5 & keep) | (g5 & take);
    h6 = (h6 & keep) | (g6 & take);
    h7 = (h7 & keep) | (g7 & take);
    h8 = (h8 & keep) | (g8 & take);
    h9 = (h9 & keep) | (g9 & take);

    /* Back to four words (bits 128 and 129 drop out: the tag is mod 2^128), plus s. */
    uint32_t w0 = h0 | h1 << 13 | h2 << 26;
    uint32_t w1 = h2 >> 6 | h3 << 7 | h4 << 20;
    uint32_t w2 = h4 >> 12 | h5 << 1 | h6 << 14 | h7 << 27;
    uint32_t w3 = h7 >> 5 | h8 << 8 | h9 << 21;
    uint32_t t;
    t = w0 + s[0], c = t < w0, w0 = t;
    t = w1 + s[1], w1 = t + c, c = (t < s[1]) | (w1 < t);
    t = w2 + s[2], w2 = t + c, c = (t < s[2]) | (w2 < t);
    w3 = w3 + s[3] + c;
    mqttvpn_store32_le(tag, w0);
    mqttvpn_store32_le(tag + 4, w1);
    mqttvpn_store32_le(tag + 8, w2);
    mqttvpn_store32_le(tag + 12, w3);
}

void mqttvpn_poly1305(uint8_t tag[MQTTVPN_POLY1305_TAG_BYTES], const uint8_t *msg, size_t len,
                      const uint32_t key[8])
{
    uint32_t R[20];
    uint32_t d[10] = {0};
    uint8_t last[BLOCK_BYTES];
    size_t full = len / BLOCK_BYTES;
    size_t rest = len % BLOCK_BYTES;

    /* Clamping is part of the Poly1305 definition; it also keeps r4 < 2^8 and r9 < 2^7. */
    uint32_t r0, r1, r2, r3, r4, r5, r6, r7, r8, r9;
    SPLIT(r, key[0] & 0x0fffffffu, key[1] & 0x0ffffffcu, key[2] & 0x0ffffffcu, key[3] & 0x0ffffffcu);
    R[10] = r0, R[11] = r1, R[12] = r2, R[13] = r3, R[14] = r4;
    R[15] = r5, R[16] = r6, R[17] = r7, R[18] = r8, R[19] = r9;
    R[0] = 0; /* never read: it keeps the 5 r_k at R[k] */
    for (int k = 1; k < 10; k++) {
        R[k] = 5 * R[10 + k];
    }

    blocks(d, R, msg, full, FULL_BLOCK_BIT);
    if (rest > 0) {
        /* A short final block is padded with a 1 byte and zeros, and has no 2^128 bit. */
        memset(last, 0, sizeof last);
        memcpy(last, msg + full * BLOCK_BYTES, rest);
        last[rest] = 1;
        blocks(d, R, last, 1, 0);
        mqttvpn_wipe(last, sizeof last);
    }
    finish(tag, d, key + 4);
    mqttvpn_wipe(R, sizeof R);
    mqttvpn_wipe(d, sizeof d);
}
