/*
 * A model of esp_netif's lwIP callback (ESP-IDF 6.0, esp_netif_lwip.c, netif_callback_fn): on
 * every status, link and address change of any netif, it takes netif->state for the
 * esp_netif_t that esp_netif handed netif_add and writes a field of it (last_status_up, when
 * the up state flipped). The glue test links with -Wl,--wrap=<each lwIP call below> and runs
 * the model after each real call, as lwIP would run the callback. If the driver kept its own
 * state in netif->state, the model would write into it (on the ESP32-C3 that was byte 8 of
 * the key); the counters say whether it ever saw anything but the platform's object.
 */
#ifndef MQTTVPN_TEST_LWIP_CALLS_H
#define MQTTVPN_TEST_LWIP_CALLS_H

#include <stdint.h>

/* The platform's object behind netif->state: a stand-in for esp_netif_t. */
struct fake_esp_netif {
    uint32_t magic;            /* FAKE_ESP_NETIF_MAGIC while it is one */
    uint32_t pad;
    uint8_t last_status_up;    /* written by the model, at byte 8 as on riscv32 */
    uint32_t status_events;    /* IP_EVENT_NETIF_UP/DOWN the model would have posted */
};
#define FAKE_ESP_NETIF_MAGIC 0x65737066u

struct lwip_calls {
    unsigned netif_add_calls;
    unsigned callbacks;            /* times the model ran */
    unsigned state_not_platform;   /* ...and found netif->state not the platform's object */
    unsigned state_changed_by_init; /* netif_add returned with another netif->state than it got */
};

extern struct lwip_calls lwip_calls;

#endif
