/*
 * Host model of the core's Esp.h (3.1.2, cores/esp8266/Esp.h): the calls the library makes on ESP,
 * same signatures (static members, as the real EspClass has them).
 *   - restart(): the real one never returns (system_restart, then CONT is suspended); the model
 *     counts the call and returns;
 *   - getFreeSketchSpace(): the flash between the running sketch (rounded up to a sector) and
 *     the file system, model_free_sketch_space here;
 *   - getSketchMD5(): the MD5 of the running sketch in flash as 32 lower-case hex digits, ""
 *     when its read buffer cannot be had; model_sketch_md5 here.
 */
#ifndef MQTTVPN_MODEL_ESP_H
#define MQTTVPN_MODEL_ESP_H

#include <stdint.h>

#include "WString.h"

class EspClass {
public:
    static void restart();
    static uint32_t getFreeSketchSpace();
    static String getSketchMD5();
};
extern EspClass ESP;

/* Model only: restart() calls and the clock when the last one came; what the other two return. */
extern unsigned model_restarts;
extern unsigned long model_restart_ms;
extern uint32_t model_free_sketch_space;
extern const char *model_sketch_md5;

/* Back to no restarts, 1 MB of free sketch space, a fixed sketch MD5. */
void model_esp_reset();

#endif
