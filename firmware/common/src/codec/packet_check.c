/*
 * Whether a decrypted payload may be written to the interface. The length fields must agree
 * with the bytes received exactly: lwIP and the Linux tun driver trust them, and a frame that
 * authenticates but carries garbage (a peer with a bug) must not reach either.
 */
#include "mqttvpn/codec.h"

#define IPV4_HEADER 20u
#define IPV6_HEADER 40u

static size_t be16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

static int is_ipv4(const uint8_t *p, size_t len)
{
    size_t header_len = (size_t)(p[0] & 0x0f) * 4;
    size_t total_len = be16(p + 2);
    return header_len >= IPV4_HEADER && header_len <= total_len && total_len == len;
}

static int is_ipv6(const uint8_t *p, size_t len)
{
    return len >= IPV6_HEADER && be16(p + 4) + IPV6_HEADER == len;
}

int mqttvpn_packet_check(const uint8_t *packet, size_t len, size_t mtu)
{
    if (len > mtu) {
        return MQTTVPN_DROP_TOO_LONG;
    }
    /* Shorter than an IPv4 header is not IP at all, whatever its first nibble says. */
    if (len < IPV4_HEADER) {
        return MQTTVPN_DROP_NOT_IP;
    }
    switch (packet[0] >> 4) {
    case 4:
        return is_ipv4(packet, len) ? -1 : MQTTVPN_DROP_NOT_IP;
    case 6:
        return is_ipv6(packet, len) ? -1 : MQTTVPN_DROP_NOT_IP;
    default:
        return MQTTVPN_DROP_NOT_IP;
    }
}
