/* The DNS server table of the ESP8266 core's lwIP (lwip/dns.c: dns_setserver/dns_getserver). */
#include "lwip/dns.h"

#if !LWIP_DNS
static ip_addr_t servers[DNS_MAX_SERVERS];

extern "C" void dns_setserver(u8_t numdns, const ip_addr_t *dnsserver)
{
    if (numdns < DNS_MAX_SERVERS) {
        if (dnsserver != nullptr) {
            servers[numdns] = *dnsserver;
        } else {
            servers[numdns] = *IP_ADDR_ANY;
        }
    }
}

extern "C" const ip_addr_t *dns_getserver(u8_t numdns)
{
    return numdns < DNS_MAX_SERVERS ? &servers[numdns] : IP_ADDR_ANY;
}
#endif
