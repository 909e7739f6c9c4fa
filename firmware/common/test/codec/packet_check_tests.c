/* mqttvpn_packet_check: what may be written to the interface. */
#include <string.h>

#include "harness.h"
#include "mqttvpn/codec.h"

static uint8_t p[1600];

static const uint8_t *ipv4(size_t total_len)
{
    memset(p, 0, sizeof p);
    p[0] = 0x45;
    p[2] = (uint8_t)(total_len >> 8);
    p[3] = (uint8_t)total_len;
    return p;
}

static const uint8_t *ipv6(size_t payload_len)
{
    memset(p, 0, sizeof p);
    p[0] = 0x60;
    p[4] = (uint8_t)(payload_len >> 8);
    p[5] = (uint8_t)payload_len;
    return p;
}

static void accepts_ipv4_whose_total_length_matches(void)
{
    CHECK(mqttvpn_packet_check(ipv4(20), 20, 1500) == -1);
    CHECK(mqttvpn_packet_check(ipv4(60), 60, 1500) == -1);
    CHECK(mqttvpn_packet_check(ipv4(1500), 1500, 1500) == -1);
}

static void refuses_ipv4_whose_total_length_disagrees(void)
{
    CHECK(mqttvpn_packet_check(ipv4(61), 60, 1500) == MQTTVPN_DROP_NOT_IP);
    CHECK(mqttvpn_packet_check(ipv4(40), 60, 1500) == MQTTVPN_DROP_NOT_IP);
    CHECK(mqttvpn_packet_check(ipv4(0), 60, 1500) == MQTTVPN_DROP_NOT_IP);
    CHECK(mqttvpn_packet_check(ipv4(60 + 256), 60, 1500) == MQTTVPN_DROP_NOT_IP);
}

static void refuses_ipv4_header_length_below_twenty_bytes(void)
{
    ipv4(60);
    p[0] = 0x44;
    CHECK(mqttvpn_packet_check(p, 60, 1500) == MQTTVPN_DROP_NOT_IP);
    p[0] = 0x40;
    CHECK(mqttvpn_packet_check(p, 60, 1500) == MQTTVPN_DROP_NOT_IP);
}

static void refuses_ipv4_header_longer_than_the_packet(void)
{
    ipv4(40);
    p[0] = 0x4f; /* 60-byte header in a 40-byte packet */
    CHECK(mqttvpn_packet_check(p, 40, 1500) == MQTTVPN_DROP_NOT_IP);
    ipv4(60);
    p[0] = 0x4f; /* exactly the header, no payload */
    CHECK(mqttvpn_packet_check(p, 60, 1500) == -1);
}

static void accepts_ipv6_whose_payload_length_matches(void)
{
    CHECK(mqttvpn_packet_check(ipv6(0), 40, 1500) == -1);
    CHECK(mqttvpn_packet_check(ipv6(24), 64, 1500) == -1);
    CHECK(mqttvpn_packet_check(ipv6(1460), 1500, 1500) == -1);
}

static void refuses_ipv6_whose_payload_length_disagrees(void)
{
    CHECK(mqttvpn_packet_check(ipv6(25), 64, 1500) == MQTTVPN_DROP_NOT_IP);
    CHECK(mqttvpn_packet_check(ipv6(23), 64, 1500) == MQTTVPN_DROP_NOT_IP);
    CHECK(mqttvpn_packet_check(ipv6(64), 64, 1500) == MQTTVPN_DROP_NOT_IP);
}

static void refuses_ipv6_shorter_than_its_header(void)
{
    ipv6(0);
    CHECK(mqttvpn_packet_check(p, 39, 1500) == MQTTVPN_DROP_NOT_IP);
    CHECK(mqttvpn_packet_check(p, 20, 1500) == MQTTVPN_DROP_NOT_IP);
}

static void refuses_other_versions_and_runts(void)
{
    for (unsigned version = 0; version < 16; version++) {
        if (version == 4 || version == 6) {
            continue;
        }
        ipv4(60);
        p[0] = (uint8_t)(version << 4 | 5);
        CHECK(mqttvpn_packet_check(p, 60, 1500) == MQTTVPN_DROP_NOT_IP);
    }
    for (size_t len = 0; len < 20; len++) {
        CHECK(mqttvpn_packet_check(ipv4(len), len, 1500) == MQTTVPN_DROP_NOT_IP);
    }
}

static void refuses_packets_longer_than_the_mtu(void)
{
    CHECK(mqttvpn_packet_check(ipv4(1501), 1501, 1500) == MQTTVPN_DROP_TOO_LONG);
    CHECK(mqttvpn_packet_check(ipv6(1461), 1501, 1500) == MQTTVPN_DROP_TOO_LONG);
    CHECK(mqttvpn_packet_check(ipv4(100), 100, 99) == MQTTVPN_DROP_TOO_LONG);
    CHECK(mqttvpn_packet_check(ipv4(100), 100, 100) == -1);
    /* The length rule comes first: an oversized frame is too long whatever it holds. */
    memset(p, 0xff, sizeof p);
    CHECK(mqttvpn_packet_check(p, 1600, 1500) == MQTTVPN_DROP_TOO_LONG);
}

void mqttvpn_packet_check_tests(void)
{
    RUN(accepts_ipv4_whose_total_length_matches);
    RUN(refuses_ipv4_whose_total_length_disagrees);
    RUN(refuses_ipv4_header_length_below_twenty_bytes);
    RUN(refuses_ipv4_header_longer_than_the_packet);
    RUN(accepts_ipv6_whose_payload_length_matches);
    RUN(refuses_ipv6_whose_payload_length_disagrees);
    RUN(refuses_ipv6_shorter_than_its_header);
    RUN(refuses_other_versions_and_runts);
    RUN(refuses_packets_longer_than_the_mtu);
}
