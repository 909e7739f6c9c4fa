/* The Arduino.h model (sdk/Arduino.h): the test's clock, SYS inside yield(), Serial into a
 * buffer, RANDOM_REG32. */
#include "Arduino.h"

#include <sodium.h>

#include "esp8266_peri.h"

unsigned long model_millis;
HardwareSerial Serial;
void (*model_sys)(void);
bool model_in_sys;
unsigned model_sys_violations;

unsigned long millis(void)
{
    return model_millis;
}

void yield(void)
{
    if (model_in_sys) {
        model_sys_violations++; /* core_esp8266_main.cpp, __yield: panic() outside CONT */
        return;
    }
    if (model_sys != nullptr) {
        model_sys();
    }
}

void delay(unsigned long ms)
{
    model_millis += ms;
}

size_t Print::printf(const char *format, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, format);
    int n = vsnprintf(line, sizeof(line), format, ap);
    va_end(ap);
    if (n < 0) {
        return 0;
    }
    output += line;
    return (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
}

uint32_t model_random_reg32(void)
{
    return randombytes_random();
}
