/* Test-only: the esp_err.h declarations main.c uses (ESP-IDF v5). See README.md. */
#ifndef TEST_ESP_ERR_H
#define TEST_ESP_ERR_H
#include <stdint.h>
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_ERR_NO_MEM 0x101
#define ESP_ERR_INVALID_ARG 0x102
#define ESP_ERR_INVALID_STATE 0x103
#define ESP_ERR_NOT_SUPPORTED 0x106
const char *esp_err_to_name(esp_err_t code);
void _esp_error_check_failed(esp_err_t rc, const char *file, int line, const char *function, const char *expression)
        __attribute__((__noreturn__));
void _esp_error_check_failed_without_abort(esp_err_t rc, const char *file, int line, const char *function,
                                           const char *expression);
#define ESP_ERROR_CHECK(x) do { \
        esp_err_t err_rc_ = (x); \
        if (err_rc_ != ESP_OK) { \
            _esp_error_check_failed(err_rc_, __FILE__, __LINE__, __func__, #x); \
        } \
    } while (0)
#define ESP_ERROR_CHECK_WITHOUT_ABORT(x) ({ \
        esp_err_t err_rc_ = (x); \
        if (err_rc_ != ESP_OK) { \
            _esp_error_check_failed_without_abort(err_rc_, __FILE__, __LINE__, __func__, #x); \
        } \
        err_rc_; \
    })
#endif
