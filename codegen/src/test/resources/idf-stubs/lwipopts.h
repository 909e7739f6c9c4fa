/* Test-only lwIP options, close to ESP-IDF's port: see README.md. */
#ifndef TEST_LWIPOPTS_H
#define TEST_LWIPOPTS_H
#define NO_SYS 0
#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_SOCKET 1
#define LWIP_NETCONN 1
#define LWIP_COMPAT_SOCKETS 1
#define LWIP_POSIX_SOCKETS_IO_NAMES 1
#define LWIP_TCPIP_CORE_LOCKING 1
#define IP_FORWARD 1
#define MEM_ALIGNMENT 4
#endif
