/* Test-only: esp_timer.h's esp_timer_get_time (ESP-IDF v5). See README.md. */
#ifndef TEST_ESP_TIMER_H
#define TEST_ESP_TIMER_H
#include <stdint.h>
int64_t esp_timer_get_time(void);
#endif
