/* Test-only lwIP arch header (replaces Debian's): see README.md. */
#ifndef TEST_ARCH_CC_H
#define TEST_ARCH_CC_H
#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0
#define LWIP_RAND() ((u32_t)rand())
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) abort()
typedef int sys_prot_t;
#endif
