/* Poly1305 (Bernstein; RFC 8439 section 2.5), the one-time authenticator of crypto_secretbox. */
#ifndef MQTTVPN_POLY1305_H
#define MQTTVPN_POLY1305_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_POLY1305_TAG_BYTES 16u

/*
 * tag = Poly1305(msg[0..len)) under the one-time key given as eight little-endian words
 * (r = words 0..3, s = words 4..7), the form in which secretbox takes it from the keystream.
 */
void mqttvpn_poly1305(uint8_t tag[MQTTVPN_POLY1305_TAG_BYTES], const uint8_t *msg, size_t len,
                      const uint32_t key[8]);

#endif /* MQTTVPN_POLY1305_H */
