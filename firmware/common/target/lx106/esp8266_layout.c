/*
 * The core linked where an ESP8266 sketch's code lives (flash-mapped at 0x40201000), not where
 * the QEMU test ELF runs. Never executed: it gives tools (the serial monitor's crash decoder
 * and its test) an lx106 ELF whose code addresses look like a real board's.
 */
#include "mqttvpn/codec.h"

void mqttvpn_esp8266_layout_entry(void);

void mqttvpn_esp8266_layout_entry(void)
{
    static uint8_t frame[MQTTVPN_MAX_FRAME];
    static uint8_t packet[MQTTVPN_MTU];
    static const uint8_t nonce[MQTTVPN_NONCE_BYTES];
    mqttvpn_key_t key;
    size_t n;

    mqttvpn_key_from_password(&key, "layout");
    n = mqttvpn_seal(&key, nonce, packet, 20, frame);
    (void)mqttvpn_open(&key, frame, n, packet, sizeof(packet));
    for (;;) {
    }
}
