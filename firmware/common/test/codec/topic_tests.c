/* Topic names: dotted decimal IPv4, RFC 5952 IPv6, and which packets get a topic at all. */
#include <string.h>

#include "harness.h"
#include "mqttvpn/codec.h"

static char topic[MQTTVPN_TOPIC_MAX];

static int v4_is(const char *prefix, uint8_t a, uint8_t b, uint8_t c, uint8_t d, const char *expected)
{
    const uint8_t addr[4] = {a, b, c, d};
    memset(topic, 0, sizeof topic);
    size_t n = mqttvpn_topic_v4(topic, sizeof topic, prefix, addr);
    return n == strlen(expected) && strcmp(topic, expected) == 0;
}

/* Eight 16-bit groups in, topic text compared with the expected form. */
static int v6_is(const uint16_t g[8], const char *expected)
{
    uint8_t addr[16];
    for (int i = 0; i < 8; i++) {
        addr[2 * i] = (uint8_t)(g[i] >> 8);
        addr[2 * i + 1] = (uint8_t)g[i];
    }
    memset(topic, 0, sizeof topic);
    size_t n = mqttvpn_topic_v6(topic, sizeof topic, "mqttip", addr);
    return n == strlen(expected) && strcmp(topic, expected) == 0;
}

static void ipv4_is_dotted_decimal_without_leading_zeros(void)
{
    CHECK(v4_is("mqttip", 10, 0, 1, 2, "mqttip/10.0.1.2"));
    CHECK(v4_is("mqttip", 0, 0, 0, 0, "mqttip/0.0.0.0"));
    CHECK(v4_is("mqttip", 255, 255, 255, 255, "mqttip/255.255.255.255"));
    CHECK(v4_is("mqttip", 1, 10, 100, 199, "mqttip/1.10.100.199"));
    CHECK(v4_is("mqttip", 109, 90, 209, 250, "mqttip/109.90.209.250"));
}

static void prefix_is_taken_as_given(void)
{
    CHECK(v4_is("site/vpn", 10, 0, 0, 1, "site/vpn/10.0.0.1"));
    CHECK(v4_is("", 10, 0, 0, 1, "/10.0.0.1"));
    CHECK(v4_is(NULL, 10, 0, 0, 1, "/10.0.0.1"));
}

static void ipv6_compresses_the_longest_zero_run(void)
{
    const uint16_t all_zero[8] = {0};
    const uint16_t loopback[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    const uint16_t doc[8] = {0x2001, 0xdb8, 0, 0, 0, 0, 0, 1};
    const uint16_t longer_later[8] = {0x2001, 0, 0, 1, 0, 0, 0, 1};
    const uint16_t trailing[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    const uint16_t two_then_four[8] = {0, 0, 1, 0, 0, 0, 0, 0};
    CHECK(v6_is(all_zero, "mqttip/::"));
    CHECK(v6_is(loopback, "mqttip/::1"));
    CHECK(v6_is(doc, "mqttip/2001:db8::1"));
    CHECK(v6_is(longer_later, "mqttip/2001:0:0:1::1"));
    CHECK(v6_is(trailing, "mqttip/1::"));
    CHECK(v6_is(two_then_four, "mqttip/0:0:1::"));
}

static void ipv6_compresses_the_first_of_equal_runs(void)
{
    const uint16_t tie[8] = {0x2001, 0xdb8, 0, 0, 1, 0, 0, 1};
    const uint16_t tie_at_ends[8] = {0, 0, 0, 1, 2, 0, 0, 0};
    CHECK(v6_is(tie, "mqttip/2001:db8::1:0:0:1"));
    CHECK(v6_is(tie_at_ends, "mqttip/::1:2:0:0:0"));
}

static void ipv6_never_compresses_a_single_zero_group(void)
{
    const uint16_t single[8] = {0x2001, 0xdb8, 0, 1, 1, 1, 1, 1};
    const uint16_t alternating[8] = {1, 0, 2, 0, 3, 0, 4, 0};
    CHECK(v6_is(single, "mqttip/2001:db8:0:1:1:1:1:1"));
    CHECK(v6_is(alternating, "mqttip/1:0:2:0:3:0:4:0"));
}

static void ipv6_is_lower_case_without_leading_zeros(void)
{
    const uint16_t mixed[8] = {0xABCD, 0xEF01, 0x0023, 0x0004, 0x0560, 0x7000, 0x000f, 0xFfFf};
    const uint16_t full[8] = {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff};
    const uint16_t link_local[8] = {0xfe80, 0, 0, 0, 0x0211, 0x22ff, 0xfe33, 0x4455};
    const uint16_t mapped[8] = {0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001};
    CHECK(v6_is(mixed, "mqttip/abcd:ef01:23:4:560:7000:f:ffff"));
    CHECK(v6_is(full, "mqttip/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    CHECK(v6_is(link_local, "mqttip/fe80::211:22ff:fe33:4455"));
    /* Hex throughout, as the host side writes it: no mixed dotted notation for ::ffff:0:0/96. */
    CHECK(v6_is(mapped, "mqttip/::ffff:a00:1"));
}

static void too_small_a_buffer_gives_zero_and_writes_nothing_past_it(void)
{
    const uint8_t addr[4] = {10, 0, 1, 2};
    char small[16];
    memset(small, '#', sizeof small);
    CHECK(mqttvpn_topic_v4(small, 15, "mqttip", addr) == 0); /* "mqttip/10.0.1.2" needs 16 */
    CHECK(small[15] == '#');
    CHECK(mqttvpn_topic_v4(small, 16, "mqttip", addr) == 15);
    CHECK(strcmp(small, "mqttip/10.0.1.2") == 0);
    CHECK(mqttvpn_topic_v4(small, 0, "mqttip", addr) == 0);
}

static void longest_prefix_fits_the_topic_buffer(void)
{
    char prefix[MQTTVPN_TOPIC_PREFIX_MAX + 1];
    uint8_t addr[16];
    memset(prefix, 'p', MQTTVPN_TOPIC_PREFIX_MAX);
    prefix[MQTTVPN_TOPIC_PREFIX_MAX] = '\0';
    memset(addr, 0xff, sizeof addr);
    CHECK(mqttvpn_topic_v6(topic, sizeof topic, prefix, addr) == MQTTVPN_TOPIC_PREFIX_MAX + 1 + 39);
}

static void prefix_is_one_to_max_characters_without_wildcards(void)
{
    char longest[MQTTVPN_TOPIC_PREFIX_MAX + 2];
    memset(longest, 'p', sizeof longest);
    longest[MQTTVPN_TOPIC_PREFIX_MAX] = '\0';
    CHECK(mqttvpn_topic_prefix_valid("mqttip"));
    CHECK(mqttvpn_topic_prefix_valid("site/vpn"));
    CHECK(mqttvpn_topic_prefix_valid(longest));
    longest[MQTTVPN_TOPIC_PREFIX_MAX] = 'p';
    longest[MQTTVPN_TOPIC_PREFIX_MAX + 1] = '\0';
    CHECK(!mqttvpn_topic_prefix_valid(longest));
    CHECK(!mqttvpn_topic_prefix_valid(""));
    CHECK(!mqttvpn_topic_prefix_valid(NULL));
    CHECK(!mqttvpn_topic_prefix_valid("mqttip/#"));
    CHECK(!mqttvpn_topic_prefix_valid("+/mqttip"));
    CHECK(!mqttvpn_topic_prefix_valid("site/+/vpn"));
}

/* The rule of the Java host's Topics.validPrefix and of toolkit gen, byte for byte. */
static void prefix_is_printable_ascii_without_a_leading_dollar_or_a_final_slash(void)
{
    static const char *const good[] = {"mqttip", "/mqttip", "home/vpn-1_x.y", "a!\"%&'()*,.:;<=>?@[\\]^`{|}~",
                                       "x$", "a/b/c"};
    static const char *const bad[] = {"$SYS/vpn", "$", "vpn/", "/", "a b", "a\tb", "a\x07" "b", "a\x7f" "b",
                                      "caf\xc3\xa9", "\x80", "a\nb"};
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK(mqttvpn_topic_prefix_valid(good[i]));
        CHECK(mqttvpn_topic_prefix_problem(good[i]) == NULL);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(!mqttvpn_topic_prefix_valid(bad[i]));
    }
    CHECK(strstr(mqttvpn_topic_prefix_problem("$SYS"), "'$'") != NULL);
    CHECK(strstr(mqttvpn_topic_prefix_problem("vpn/"), "'/'") != NULL);
    CHECK(strstr(mqttvpn_topic_prefix_problem("a\x01"), "control") != NULL);
    CHECK(strstr(mqttvpn_topic_prefix_problem("a#"), "wildcard") != NULL);
    CHECK(strstr(mqttvpn_topic_prefix_problem(""), "empty") != NULL);
}

static void packet_topic_is_the_destination(void)
{
    uint8_t p[60] = {0x45, 0, 0, 60};
    p[12] = 10, p[13] = 0, p[14] = 1, p[15] = 1; /* source */
    p[16] = 10, p[17] = 0, p[18] = 1, p[19] = 2; /* destination */
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, sizeof p) == 15);
    CHECK(strcmp(topic, "mqttip/10.0.1.2") == 0);

    memset(p, 0, sizeof p);
    p[0] = 0x60;
    p[8] = 0xfd, p[23] = 1;  /* source fd00::1 */
    p[24] = 0xfd, p[39] = 2; /* destination fd00::2 */
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, 40) == 14);
    CHECK(strcmp(topic, "mqttip/fd00::2") == 0);
}

static void multicast_and_non_ip_packets_have_no_topic(void)
{
    uint8_t p[60] = {0x60};
    p[24] = 0xff, p[25] = 0x02, p[39] = 1; /* ff02::1, all nodes */
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, 40) == 0);
    p[24] = 0xfe, p[25] = 0x80; /* fe80::1 is unicast */
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, 40) > 0);
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, 39) == 0); /* too short for IPv6 */
    p[0] = 0x50;
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, 40) == 0);
    p[0] = 0x45;
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", p, 19) == 0);
    CHECK(mqttvpn_topic_for_packet(topic, sizeof topic, "mqttip", NULL, 40) == 0);
}

void mqttvpn_topic_tests(void)
{
    RUN(ipv4_is_dotted_decimal_without_leading_zeros);
    RUN(prefix_is_taken_as_given);
    RUN(ipv6_compresses_the_longest_zero_run);
    RUN(ipv6_compresses_the_first_of_equal_runs);
    RUN(ipv6_never_compresses_a_single_zero_group);
    RUN(ipv6_is_lower_case_without_leading_zeros);
    RUN(too_small_a_buffer_gives_zero_and_writes_nothing_past_it);
    RUN(longest_prefix_fits_the_topic_buffer);
    RUN(prefix_is_one_to_max_characters_without_wildcards);
    RUN(prefix_is_printable_ascii_without_a_leading_dollar_or_a_final_slash);
    RUN(packet_topic_is_the_destination);
    RUN(multicast_and_non_ip_packets_have_no_topic);
}
