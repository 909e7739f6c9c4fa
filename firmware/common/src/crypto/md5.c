/*
 * MD5 (RFC 1321), written for clarity: one loop over the 64 steps with the step's function,
 * message word and rotation chosen by its round. It hashes an OTA image once, as it streams.
 */
#include "md5.h"

#include "le_bytes.h"
#include "md_blocks.h"
#include "wipe.h"

/* T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321, 3.4). Indexed by step only, never by data. */
static const uint32_t T[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au, 0xa8304613u, 0xfd469501u,
    0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu, 0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u,
    0xf61e2562u, 0xc040b340u, 0x265e5a51u, 0xe9b6c7aau, 0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu, 0xa9e3e905u, 0xfcefa3f8u, 0x676f02d9u, 0x8d2a4c8au,
    0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu, 0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u,
    0x289b7ec6u, 0xeaa127fau, 0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u, 0xffeff47du, 0x85845dd1u,
    0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u, 0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};

/* The rotation of each step: four per round, repeated four times in it. */
static const uint8_t S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

static void compress(uint32_t *h, const uint8_t block[MQTTVPN_MD_BLOCK])
{
    uint32_t x[16];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    unsigned i;

    for (i = 0; i < 16; i++) {
        x[i] = mqttvpn_load32_le(block + 4 * i);
    }
    for (i = 0; i < 64; i++) {
        unsigned round = i >> 4;
        uint32_t f, next;
        unsigned k;

        if (round == 0) {
            f = (b & c) | (~b & d);
            k = i;
        } else if (round == 1) {
            f = (b & d) | (c & ~d);
            k = (5u * i + 1u) & 15u;
        } else if (round == 2) {
            f = b ^ c ^ d;
            k = (3u * i + 5u) & 15u;
        } else {
            f = c ^ (b | ~d);
            k = (7u * i) & 15u;
        }
        next = b + rotl(a + f + x[k] + T[i], S[round][i & 3u]);
        a = d;
        d = c;
        c = b;
        b = next;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    mqttvpn_wipe(x, sizeof x);
}

void mqttvpn_md5_init(mqttvpn_md5_t *ctx)
{
    ctx->h[0] = 0x67452301u;
    ctx->h[1] = 0xefcdab89u;
    ctx->h[2] = 0x98badcfeu;
    ctx->h[3] = 0x10325476u;
    ctx->bytes_lo = 0;
    ctx->bytes_hi = 0;
}

void mqttvpn_md5_update(mqttvpn_md5_t *ctx, const uint8_t *data, size_t len)
{
    mqttvpn_md_absorb(ctx->h, ctx->block, &ctx->bytes_lo, &ctx->bytes_hi, data, len, compress);
}

void mqttvpn_md5_final(mqttvpn_md5_t *ctx, uint8_t digest[MQTTVPN_MD5_BYTES])
{
    unsigned i;

    mqttvpn_md_finish(ctx->h, ctx->block, ctx->bytes_lo, ctx->bytes_hi, 0, compress);
    for (i = 0; i < 4; i++) {
        mqttvpn_store32_le(digest + 4 * i, ctx->h[i]);
    }
    mqttvpn_wipe(ctx, sizeof *ctx);
}

void mqttvpn_md5(uint8_t digest[MQTTVPN_MD5_BYTES], const uint8_t *data, size_t len)
{
    mqttvpn_md5_t ctx;
    mqttvpn_md5_init(&ctx);
    mqttvpn_md5_update(&ctx, data, len);
    mqttvpn_md5_final(&ctx, digest);
}
