/*
 * The check macro and the runner of the single-file C test programs (netif, glue): a failed
 * CHECK prints where and what, marks the running test failed and returns from it. Include
 * once, in the test program's only translation unit.
 */
#ifndef MQTTVPN_TEST_CHECK_H
#define MQTTVPN_TEST_CHECK_H

#include <stddef.h>
#include <stdio.h>

static int current_failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            current_failed = 1;                                                       \
            return;                                                                   \
        }                                                                             \
    } while (0)

struct test_case {
    const char *name;
    void (*fn)(void);
};
#define TEST(fn) { #fn, fn }

/*
 * Runs each test between before() and after() (either may be NULL; after() also runs when a
 * CHECK ended the test early), prints "ok - name" or "not ok - name" for each and then
 * "<suite>: N passed, M failed". Returns the exit status: 0 only when every test passed.
 */
static int run_tests(const char *suite, const struct test_case *tests, size_t n, void (*before)(void),
                     void (*after)(void))
{
    size_t i, failed = 0;

    for (i = 0; i < n; i++) {
        if (before != NULL) {
            before();
        }
        current_failed = 0;
        tests[i].fn();
        if (after != NULL) {
            after();
        }
        printf("%s - %s\n", current_failed ? "not ok" : "ok", tests[i].name);
        failed += (size_t)current_failed;
    }
    printf("%s: %zu passed, %zu failed\n", suite, n - failed, failed);
    return failed == 0 && n > 0 ? 0 : 1;
}

#endif /* MQTTVPN_TEST_CHECK_H */
