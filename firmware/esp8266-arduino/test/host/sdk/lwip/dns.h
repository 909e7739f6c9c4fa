/*
 * The ESP8266 core's lwIP has DNS (LWIP_DNS 1); Debian's liblwip is built without it. This
 * wrapper keeps Debian's header and, when it declares nothing, declares the two server
 * functions mqttif.cpp calls; lwip_dns_model.cpp keeps the servers they set.
 */
#ifndef MQTTVPN_MODEL_LWIP_DNS_H
#define MQTTVPN_MODEL_LWIP_DNS_H

#include_next <lwip/dns.h>

#if !LWIP_DNS
#include "lwip/ip_addr.h"
#ifdef __cplusplus
extern "C" {
#endif
void dns_setserver(u8_t numdns, const ip_addr_t *dnsserver);
const ip_addr_t *dns_getserver(u8_t numdns);
#ifdef __cplusplus
}
#endif
#endif

#endif
