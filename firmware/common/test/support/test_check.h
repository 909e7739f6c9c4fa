/*
 * The check macro of the single-file C test programs (netif, glue): a failed CHECK prints
 * where and what, marks the running test failed and returns from it. Include once, in the
 * test program's only translation unit.
 */
#ifndef MQTTVPN_TEST_CHECK_H
#define MQTTVPN_TEST_CHECK_H

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

#endif /* MQTTVPN_TEST_CHECK_H */
