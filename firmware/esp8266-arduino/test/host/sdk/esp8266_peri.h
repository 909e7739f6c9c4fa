/*
 * Host model of the core's esp8266_peri.h: RANDOM_REG32, the hardware random number
 * generator's register (ESP8266_DREG(0x20E44)), reads a fresh random word each time.
 */
#ifndef MQTTVPN_MODEL_ESP8266_PERI_H
#define MQTTVPN_MODEL_ESP8266_PERI_H

#include <stdint.h>

uint32_t model_random_reg32(void);
#define RANDOM_REG32 (model_random_reg32())

#endif
