/*
 * A deterministic set of messages that the target tests hash and that hash_oracle.c hashes
 * with OpenSSL (MD5) and libsodium (SHA-256) on the host, so a target can compare its digests
 * with theirs without linking them: every length from 0 to 130 (all the padding cases of a
 * 64-byte block), then longer ones around block and page sizes.
 */
#ifndef MQTTVPN_HASH_CASES_H
#define MQTTVPN_HASH_CASES_H

#include <stddef.h>
#include <stdint.h>

#define MQTTVPN_HASH_CASES 144u
#define MQTTVPN_HASH_CASE_MAX 65549u

/* Case i's length and message (written to msg, at least MQTTVPN_HASH_CASE_MAX bytes). */
size_t mqttvpn_hash_case(unsigned i, uint8_t *msg);

#endif /* MQTTVPN_HASH_CASES_H */
