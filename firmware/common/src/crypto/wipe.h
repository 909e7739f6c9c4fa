/* Erasing secrets (keystream, one-time keys) from buffers that are about to go out of scope. */
#ifndef MQTTVPN_WIPE_H
#define MQTTVPN_WIPE_H

#include <stddef.h>

/* Zeroes n bytes in a way the compiler may not drop as a dead store. */
void mqttvpn_wipe(void *p, size_t n);

#endif /* MQTTVPN_WIPE_H */
