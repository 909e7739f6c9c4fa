/*
 * Test only: lwIP options for compiling the packaged core and glue with xtensa-lx106-elf-gcc
 * against Debian's lwIP 2.1.3 headers, shaped like the ESP8266 Arduino core's lwIP2 build
 * ("v2 Higher Bandwidth": NO_SYS, IPv4, TCP_MSS 1460, IP forwarding). Never shipped.
 */
#ifndef MQTTVPN_TEST_LX106_LWIPOPTS_H
#define MQTTVPN_TEST_LX106_LWIPOPTS_H
#define NO_SYS 1
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_DNS 1
#define IP_FORWARD 1
#define TCP_MSS 1460
#define MEM_ALIGNMENT 4
#define LWIP_NETIF_EXT_STATUS_CALLBACK 1
#endif
