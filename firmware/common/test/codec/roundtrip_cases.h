/*
 * A deterministic set of seal/open cases (key, nonce, length, packet) that the target tests
 * run and that roundtrip_oracle.c seals with libsodium on the host, so a target can compare
 * its tags with libsodium's without linking it.
 */
#ifndef MQTTVPN_ROUNDTRIP_CASES_H
#define MQTTVPN_ROUNDTRIP_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "mqttvpn/codec.h"

#define MQTTVPN_ROUNDTRIP_CASES 96u

typedef struct {
    uint8_t key[MQTTVPN_KEY_BYTES];
    uint8_t nonce[MQTTVPN_NONCE_BYTES];
    size_t len;
} mqttvpn_roundtrip_case_t;

/*
 * Case i: every block-boundary length near 0, 16, 32, 64 and the MTU first, then lengths
 * drawn from 0..MTU. Packets of 20 bytes or more get a valid IPv4 or IPv6 header, so the
 * codec's packet check passes them; shorter ones exercise the raw secretbox layer.
 */
void mqttvpn_roundtrip_case(unsigned i, mqttvpn_roundtrip_case_t *c, uint8_t packet[MQTTVPN_MTU]);

#endif /* MQTTVPN_ROUNDTRIP_CASES_H */
