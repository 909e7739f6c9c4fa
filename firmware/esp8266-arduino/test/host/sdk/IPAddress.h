/*
 * Host model of the core's IPAddress.h (3.1.2): like the real one a decorator of lwIP's
 * ip_addr_t, with the constructors, conversions and methods the library and the tests use,
 * same signatures (operator uint32_t for the IPv4 value in network order, operator const
 * ip_addr_t* for lwIP calls).
 */
#ifndef MQTTVPN_MODEL_IPADDRESS_H
#define MQTTVPN_MODEL_IPADDRESS_H

#include <stdint.h>

#include "WString.h"
#include "lwip/ip_addr.h"

class IPAddress {
public:
    IPAddress() { ip_addr_set_zero_ip4(&_ip); }
    IPAddress(uint8_t first_octet, uint8_t second_octet, uint8_t third_octet, uint8_t fourth_octet)
    {
        IP_ADDR4(&_ip, first_octet, second_octet, third_octet, fourth_octet);
    }
    IPAddress(uint32_t address) { ip_addr_set_ip4_u32_val(_ip, address); }
    IPAddress(const ip_addr_t *lwip_addr) { ip_addr_copy(_ip, *lwip_addr); }

    bool fromString(const char *address) { return ipaddr_aton(address, &_ip) != 0; }

    operator uint32_t() const { return isV4() ? ip4_addr_get_u32(ip_2_ip4(&_ip)) : (uint32_t)0; }
    bool isV4() const { return IP_IS_V4_VAL(_ip); }
    bool isSet() const { return !ip_addr_isany_val(_ip); }

    operator const ip_addr_t *() const { return &_ip; }
    operator ip_addr_t *() { return &_ip; }

    String toString() const
    {
        char buf[IPADDR_STRLEN_MAX];
        return String(ipaddr_ntoa_r(&_ip, buf, sizeof(buf)));
    }

private:
    ip_addr_t _ip;
};

#endif
