#include "harness.h"

#include <string.h>

static unsigned tests_run, tests_failed, checks_failed_in_test;
static uint32_t checks_run;

void mqttvpn_test_print(const char *text)
{
    mqttvpn_test_write(text, strlen(text));
}

void mqttvpn_test_print_uint(uint32_t value)
{
    /* Subtracting powers of ten instead of dividing: the lx106 has no divide instruction and
     * its libgcc no __udivsi3, and the target link proves nothing here needs one. */
    static const uint32_t powers[] = {1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
                                      10000u, 1000u, 100u, 10u, 1u};
    char digits[sizeof powers / sizeof powers[0]];
    size_t n = 0;
    for (size_t i = 0; i < sizeof powers / sizeof powers[0]; i++) {
        char digit = '0';
        while (value >= powers[i]) {
            value -= powers[i];
            digit++;
        }
        if (n > 0 || digit != '0' || powers[i] == 1) {
            digits[n++] = digit;
        }
    }
    mqttvpn_test_write(digits, n);
}

void mqttvpn_test_check(int ok, const char *file, int line, const char *expr)
{
    checks_run++;
    if (ok) {
        return;
    }
    checks_failed_in_test++;
    /* Cap the noise from a loop that fails the same check thousands of times. */
    if (checks_failed_in_test <= 5) {
        mqttvpn_test_print("  ");
        mqttvpn_test_print(file);
        mqttvpn_test_print(":");
        mqttvpn_test_print_uint((uint32_t)line);
        mqttvpn_test_print(": CHECK(");
        mqttvpn_test_print(expr);
        mqttvpn_test_print(") failed\n");
    }
}

void mqttvpn_test_run(const char *name, void (*test)(void))
{
    checks_failed_in_test = 0;
    tests_run++;
    test();
    if (checks_failed_in_test > 0) {
        tests_failed++;
        mqttvpn_test_print("FAIL ");
    } else {
        mqttvpn_test_print("ok   ");
    }
    mqttvpn_test_print(name);
    mqttvpn_test_print("\n");
}

unsigned mqttvpn_test_summary(const char *suite)
{
    mqttvpn_test_print(suite);
    mqttvpn_test_print(": ");
    mqttvpn_test_print_uint(tests_run - tests_failed);
    mqttvpn_test_print(" passed, ");
    mqttvpn_test_print_uint(tests_failed);
    mqttvpn_test_print(" failed (");
    mqttvpn_test_print_uint(checks_run);
    mqttvpn_test_print(" checks)\n");
    return tests_failed;
}

uint32_t mqttvpn_test_rng_next(mqttvpn_test_rng_t *rng)
{
    uint32_t x = rng->state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng->state = x;
    return x;
}

void mqttvpn_test_rng_fill(mqttvpn_test_rng_t *rng, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(mqttvpn_test_rng_next(rng) >> 24);
    }
}
