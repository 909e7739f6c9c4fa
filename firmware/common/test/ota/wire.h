/*
 * Two lwIP netifs wired back to back in one process: "dev" (10.0.9.1, fd09::1) carries the
 * receiver under test, "up" (10.0.9.2, fd09::2) the test uploader. What one sends, the other
 * receives, but only when the test pumps the wire, so no lwIP callback ever runs inside
 * another; the wire can be cut. Time is virtual: wire_run advances the test platform's clock,
 * lwIP's TCP timers and the receiver's poll together.
 */
#ifndef MQTTVPN_TEST_OTA_WIRE_H
#define MQTTVPN_TEST_OTA_WIRE_H

#include <stdint.h>

#include "lwip/ip_addr.h"
#include "lwip/netif.h"

struct mqttvpn_ota;

extern struct netif wire_dev, wire_up;

/* Adds both netifs (dev last, so routes from the stack go out through dev). */
void wire_add(void);
void wire_remove(void);

/* Drops (1) or carries (0) every packet from now on. */
void wire_set_cut(int cut);

/* Packets that crossed the wire so far. */
uint32_t wire_packets(void);

/* Delivers queued packets until the wire is quiet. */
void wire_pump(void);

/*
 * Runs the world in 10 ms steps for up to max_ms of virtual time: the wire, then step() (the
 * uploader's turn; may be NULL), then the clock; lwIP's TCP timer every 250 ms, and
 * mqttvpn_ota_poll(ota) every 100 ms when ota is not NULL. Stops early when done() (may be
 * NULL) returns nonzero; returns 1 then, 0 when the time ran out.
 */
int wire_run(struct mqttvpn_ota *ota, void (*step)(void), int (*done)(void), uint32_t max_ms);

/* The address of dev or up, v4 or v6. */
void wire_addr(ip_addr_t *out, const struct netif *which, int v6);

#endif
