#!/usr/bin/env python3
"""Checks the bound that lets src/crypto/poly1305.c use 32-bit products only.

poly1305.c holds h and r as ten 13-bit limbs. Before each multiplication h + m is carried so
that every limb is below 2^13 except h1, which takes the carry out of h0 after the top limb's
carry came back times 5. A column of the product is d_i = sum_j h_j * R[10 + i - j], where the
wrapped terms use 5 * r_k. This script finds the worst case of every column for limbs at
their maxima (a fixed point: h1's excess depends on the largest column, and the other way
round) and fails if any column, or any column plus the next message limb and the carry from
below, could reach 2^32. It checks clamped keys (as Poly1305 defines them) and, for margin,
any 128-bit r. Run by `make test`.
"""
import sys

LIMB = 13
MASK = (1 << LIMB) - 1
CLAMP = 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF


def r_limbs(r):
    return [(r >> (LIMB * i)) & MASK for i in range(10)]


def worst_case(r):
    """Largest column value and h1's largest excess over 2^13 - 1, at the fixed point."""
    limbs = r_limbs(r)
    h1_max = MASK
    for _ in range(64):
        column_max = 0
        for i in range(10):
            column = 0
            for j in range(10):
                k = i - j
                coefficient = limbs[k] if k >= 0 else 5 * limbs[k + 10]
                column += (h1_max if j == 1 else MASK) * coefficient
            column_max = max(column_max, column)
        # Next block: + message limb (13 bits; limb 9 holds 11 bits + the 2^128 bit) + carry.
        top = column_max + (1 << 12) + ((column_max + MASK) >> LIMB)
        h0 = MASK + 5 * (top >> LIMB)
        new_h1 = MASK + (h0 >> LIMB)
        if new_h1 == h1_max:
            return column_max, top, h1_max - MASK
        h1_max = new_h1
    sys.exit("poly1305_bounds: no fixed point")


def main():
    ok = True
    for name, r in (("clamped r", (1 << 128) - 1 & CLAMP), ("any 128-bit r", (1 << 128) - 1)):
        column, top, excess = worst_case(r)
        fits = top < (1 << 32)
        ok &= fits
        print("poly1305 bounds, %s: largest column %d (%.2f x 2^32), with message and carry %d, "
              "h1 < 2^13 + %d: %s" % (name, column, column / 2.0 ** 32, top, excess,
                                      "fits in 32 bits" if fits else "OVERFLOWS"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
