/*
 * A test harness small enough to run on the host and on bare-metal targets alike: no printf,
 * no allocation. Each platform provides mqttvpn_test_write(); the rest is harness.c.
 */
#ifndef MQTTVPN_TEST_HARNESS_H
#define MQTTVPN_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Provided by the platform: writes len bytes of text to the test log. */
void mqttvpn_test_write(const char *text, size_t len);

void mqttvpn_test_print(const char *text);
void mqttvpn_test_print_uint(uint32_t value);

/* Runs one test; it passes unless a CHECK inside it fails. */
void mqttvpn_test_run(const char *name, void (*test)(void));
void mqttvpn_test_check(int ok, const char *file, int line, const char *expr);
/* Prints the totals; returns the number of failed tests (0: all passed). */
unsigned mqttvpn_test_summary(const char *suite);

#define CHECK(expr) mqttvpn_test_check((expr) ? 1 : 0, __FILE__, __LINE__, #expr)
#define CHECK_MEM(a, b, n) mqttvpn_test_check(memcmp((a), (b), (n)) == 0, __FILE__, __LINE__, \
                                              "memcmp(" #a ", " #b ", " #n ") == 0")
#define RUN(test) mqttvpn_test_run(#test, test)

/* A deterministic generator (xorshift32) for test data: the same bytes on every platform. */
typedef struct {
    uint32_t state;
} mqttvpn_test_rng_t;

uint32_t mqttvpn_test_rng_next(mqttvpn_test_rng_t *rng);
void mqttvpn_test_rng_fill(mqttvpn_test_rng_t *rng, uint8_t *buf, size_t len);

/* The suites shared by host and target runners. */
void mqttvpn_vector_tests(void);
void mqttvpn_roundtrip_tests(void);
void mqttvpn_packet_check_tests(void);
void mqttvpn_topic_tests(void);
void mqttvpn_hash_tests(void);      /* test/crypto: MD5 and SHA-256 */
void mqttvpn_ota_text_tests(void);  /* test/ota: the espota protocol's lines and challenge */

#endif /* MQTTVPN_TEST_HARNESS_H */
