/*
 * The classic MQTT-VPN codec (PROTOCOL.md): key derivation, frame seal/open, the packet
 * sanity check and topic names. Portable C99: no platform header, no allocation, no
 * global state. Every function is safe to call from any context that may run C code.
 */
#ifndef MQTTVPN_CODEC_H
#define MQTTVPN_CODEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MQTTVPN_NONCE_BYTES 24u
#define MQTTVPN_ZERO_BYTES  16u  /* written as zeros, ignored on receipt */
#define MQTTVPN_TAG_BYTES   16u
#define MQTTVPN_KEY_BYTES   32u
/* Bytes a frame adds to the packet it carries when a key is set. */
#define MQTTVPN_OVERHEAD    (MQTTVPN_NONCE_BYTES + MQTTVPN_ZERO_BYTES + MQTTVPN_TAG_BYTES)

#ifndef MQTTVPN_MTU
#define MQTTVPN_MTU 1500u  /* the classic interface MTU; override with -DMQTTVPN_MTU=... */
#endif
#define MQTTVPN_MAX_FRAME (MQTTVPN_MTU + MQTTVPN_OVERHEAD)
/* The smallest packet a receiver delivers (an IPv4 header); shorter ones are too_short. */
#define MQTTVPN_MIN_PACKET 20u

/* Longest topic: prefix + '/' + the longest IPv6 text (45 with an embedded IPv4) + NUL. */
#ifndef MQTTVPN_TOPIC_PREFIX_MAX
#define MQTTVPN_TOPIC_PREFIX_MAX 64u
#endif
#define MQTTVPN_TOPIC_MAX (MQTTVPN_TOPIC_PREFIX_MAX + 1u + 45u + 1u)

typedef struct {
    uint8_t bytes[MQTTVPN_KEY_BYTES];
    int encrypted; /* 0: no key, frames are the plain packets */
} mqttvpn_key_t;

/* Why a received frame was not delivered. Counters are indexed by these values. */
typedef enum {
    MQTTVPN_DROP_TOO_SHORT = 0, /* below 56 + 20 bytes (20 without a key) */
    MQTTVPN_DROP_AUTH_FAILED,   /* Poly1305 tag mismatch: wrong key or damaged frame */
    MQTTVPN_DROP_NOT_IP,        /* plaintext is not IPv4/IPv6 with a consistent length */
    MQTTVPN_DROP_TOO_LONG,      /* packet longer than the MTU */
    MQTTVPN_DROP_COUNT
} mqttvpn_drop_t;

/* Short names for logs and status pages: "too_short", "auth_failed", "not_ip", "too_long". */
const char *mqttvpn_drop_name(mqttvpn_drop_t reason);

/* key = first 32 bytes of SHA-512(password); an empty or NULL password means no encryption. */
void mqttvpn_key_from_password(mqttvpn_key_t *key, const char *password);

/* Frame length for a packet of len bytes under this key. */
size_t mqttvpn_frame_len(const mqttvpn_key_t *key, size_t len);

/*
 * Seals len bytes of packet into frame (room for mqttvpn_frame_len bytes) with the given
 * 24-byte nonce, which the caller draws from a cryptographic random source for every
 * packet. In place is allowed: packet may equal frame + MQTTVPN_OVERHEAD (a buffer with
 * 56 bytes of headroom). Without a key the frame is the packet (memmove). Returns the frame
 * length.
 */
size_t mqttvpn_seal(const mqttvpn_key_t *key, const uint8_t nonce[MQTTVPN_NONCE_BYTES],
                    const uint8_t *packet, size_t len, uint8_t *frame);

/*
 * Opens a frame of len bytes into packet (room for mtu bytes). In place is allowed: packet
 * may equal frame + MQTTVPN_OVERHEAD. Returns the packet length (>= 20), or
 * -(1 + mqttvpn_drop_t) when the frame must be dropped; nothing is written to packet that
 * failed authentication. The packet passed the sanity check when the result is >= 0.
 */
int mqttvpn_open(const mqttvpn_key_t *key, const uint8_t *frame, size_t len, uint8_t *packet, size_t mtu);

/* The reason behind a negative mqttvpn_open result. */
static inline mqttvpn_drop_t mqttvpn_drop_reason(int open_result) {
    return (mqttvpn_drop_t)(-1 - open_result);
}

/*
 * Sanity check: version 4 with IHL >= 5 and total length == len, or version 6 with
 * payload length + 40 == len; len <= mtu. Returns -1 when acceptable, else the drop reason.
 */
int mqttvpn_packet_check(const uint8_t *packet, size_t len, size_t mtu);

/*
 * Whether prefix may start every topic of a network, by the rule every node applies (the
 * Java host's --topic-prefix and toolkit gen check the same): 1..MQTTVPN_TOPIC_PREFIX_MAX
 * bytes of printable ASCII ('!'..'~': no space, control or non-ASCII byte), no MQTT wildcard
 * ('+', '#'), not starting with '$' (the broker's own topics), not ending with '/'. NULL is not
 * a prefix (callers substitute "mqttip" first).
 */
int mqttvpn_topic_prefix_valid(const char *prefix);
/* Why prefix is refused, as a phrase to follow "topic prefix ... " (static text); NULL when valid. */
const char *mqttvpn_topic_prefix_problem(const char *prefix);

/* "<prefix>/<dotted decimal>" for a 4-byte network-order address; returns strlen, 0 if cap is too small. */
size_t mqttvpn_topic_v4(char *out, size_t cap, const char *prefix, const uint8_t addr[4]);
/* "<prefix>/<RFC 5952 text>" for a 16-byte address; returns strlen, 0 if cap is too small. */
size_t mqttvpn_topic_v6(char *out, size_t cap, const char *prefix, const uint8_t addr[16]);
/*
 * The topic for a packet's destination (IPv4 bytes 16..19, IPv6 bytes 24..39). Returns 0
 * for IPv6 multicast (ff00::/8), which the classic protocol does not carry, and for
 * anything that is not IP.
 */
size_t mqttvpn_topic_for_packet(char *out, size_t cap, const char *prefix, const uint8_t *packet, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* MQTTVPN_CODEC_H */
