/* SHA-512 (FIPS 180-4). The classic protocol uses it once: to turn a password into a key. */
#ifndef MQTTVPN_SHA512_H
#define MQTTVPN_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_SHA512_BYTES 64u

/* digest = SHA-512(msg[0..len)). msg may be NULL when len is 0. */
void mqttvpn_sha512(uint8_t digest[MQTTVPN_SHA512_BYTES], const uint8_t *msg, size_t len);

#endif /* MQTTVPN_SHA512_H */
