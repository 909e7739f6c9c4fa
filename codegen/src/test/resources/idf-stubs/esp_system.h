/* Test-only: esp_system.h's esp_get_free_heap_size (ESP-IDF v5). See README.md. */
#ifndef TEST_ESP_SYSTEM_H
#define TEST_ESP_SYSTEM_H
#include <stdint.h>
uint32_t esp_get_free_heap_size(void);
#endif
