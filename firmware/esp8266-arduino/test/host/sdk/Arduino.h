/*
 * Host model of the ESP8266 Arduino core's Arduino.h (3.1.2, cores/esp8266/Arduino.h), only
 * what the library uses: the C headers it pulls in, the core's version (core_version.h),
 * boolean, LOW, millis() from a clock the test sets, yield(), Serial, whose printf (Print.h)
 * appends to a buffer the test reads, and, as the real one includes them, Esp.h and Updater.h.
 * Not the SDK: same names and signatures, behaviour reduced to what the tests observe.
 *
 * The two contexts: CONT (the sketch, the library's service) and SYS (lwIP's timers, Wi-Fi
 * frames), which runs only while CONT yields. yield() runs the test's SYS work (model_sys), as
 * the core lets SYS run there; yield() in SYS, which the core answers with panic(), is counted
 * in model_sys_violations.
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

#define LOW 0x0

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

/* Model only: SYS. model_sys (nullptr: none) is what SYS does when CONT yields; it must set
 * model_in_sys while it runs. model_sys_violations counts what SYS must never do: yield, or
 * call the Updater (which yields). */
extern void (*model_sys)(void);
extern bool model_in_sys;
extern unsigned model_sys_violations;

#include "Esp.h"
#include "Updater.h"

#endif
