/* Host model of the core's Client.h: the connection PubSubClient is given, with the virtual
 * methods the PubSubClient model calls (the real class has more, for byte streams). */
#ifndef MQTTVPN_MODEL_CLIENT_H
#define MQTTVPN_MODEL_CLIENT_H

#include <stdint.h>

#include "IPAddress.h"

class Client {
public:
    virtual ~Client() = default;
    virtual int connect(IPAddress ip, uint16_t port) = 0;
    virtual int connect(const char *host, uint16_t port) = 0;
    virtual int available() = 0;
    virtual void flush() = 0;
    virtual void stop() = 0;
    virtual uint8_t connected() = 0;
};

#endif
