#include "wipe.h"

#include <stdint.h>

void mqttvpn_wipe(void *p, size_t n)
{
    /* Stores through a volatile pointer cannot be removed, unlike a memset on a buffer
     * that is never read again. Word stores when possible: the buffers wiped here are
     * mostly uint32_t arrays, and a byte loop would cost four times as much. */
    uint8_t *b = (uint8_t *)p;
    if (((uintptr_t)b & 3u) == 0) {
        volatile uint32_t *w = (volatile uint32_t *)p;
        for (; n >= 4; n -= 4, b += 4) {
            *w++ = 0;
        }
    }
    volatile uint8_t *v = b;
    while (n-- > 0) {
        *v++ = 0;
    }
}
