/*
 * Host model of the ESP8266 Arduino core's Arduino.h (3.1.2, cores/esp8266/Arduino.h), only
 * what the library uses: the C headers it pulls in, the core's version (core_version.h),
 * boolean, millis() from a clock the test sets, yield(), and Serial, whose printf (Print.h)
 * appends to a buffer the test reads.
 * Not the SDK: same names and signatures, behaviour reduced to what the tests observe.
 */
#ifndef MQTTVPN_MODEL_ARDUINO_H
#define MQTTVPN_MODEL_ARDUINO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include <core_version.h> /* the real Arduino.h: through core_esp8266_version.h */

#include "WString.h"

typedef bool boolean;

unsigned long millis(void);
void yield(void);
void delay(unsigned long ms);

/* Print.h: printf formats into the port's output (the real one writes the UART). */
class Print {
public:
    virtual ~Print() = default;
    size_t printf(const char *format, ...) __attribute__((format(printf, 2, 3)));
    std::string output; /* model only: everything printed so far */
};

class HardwareSerial : public Print {};
extern HardwareSerial Serial;

/* Model only: the clock millis() returns (starts at 0; the tests advance it). */
extern unsigned long model_millis;

#endif
