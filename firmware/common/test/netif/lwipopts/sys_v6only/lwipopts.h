/* Compile check: an OS port without IPv4 and without core locking (tcpip thread only). */
#define NO_SYS 0
#define LWIP_IPV4 0
#define LWIP_IPV6 1
#define LWIP_TCPIP_CORE_LOCKING 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define MEM_LIBC_MALLOC 1
