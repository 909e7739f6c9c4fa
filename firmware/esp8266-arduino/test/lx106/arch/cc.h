/* Test only: the lwIP port header for the lx106 compile check (freestanding, picolibc). */
#ifndef MQTTVPN_TEST_LX106_ARCH_CC_H
#define MQTTVPN_TEST_LX106_ARCH_CC_H
#include <stdint.h>
#include <stddef.h>
#define LWIP_NO_INTTYPES_H 0
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
void mqttvpn_test_lx106_abort(const char *msg);
#define LWIP_PLATFORM_ASSERT(x) mqttvpn_test_lx106_abort(x)
#define BYTE_ORDER LITTLE_ENDIAN
#endif
