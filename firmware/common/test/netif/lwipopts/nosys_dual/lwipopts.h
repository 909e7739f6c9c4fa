/* Compile check: NO_SYS=1, IPv4 and IPv6 (the ESP8266 core's IPv6 variant). */
#define NO_SYS 1
#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define MEM_LIBC_MALLOC 1
#define MQTTVPN_MAX_TOPICS 4
