/* Compile check: NO_SYS=1, IPv4 only, like the ESP8266 Arduino core's default lwIP build. */
#define NO_SYS 1
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define MEM_LIBC_MALLOC 1
