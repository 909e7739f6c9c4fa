/*
 * Host model of the core's Updater.h / Updater.cpp (3.1.2): the global Update the library writes
 * firmware images with, same signatures and error codes, and the behaviour it depends on:
 *   - begin(size) fails while an update runs (no error set), for size 0 (UPDATE_ERROR_SIZE) and
 *     when size rounded up to a sector exceeds the free sketch space (ESP.getFreeSketchSpace(),
 *     UPDATE_ERROR_SPACE); it clears the last error and the expected MD5;
 *   - write(data, len) returns the bytes taken: 0 with an error or without an update, 0 and
 *     UPDATE_ERROR_SPACE past the announced size; it gathers a sector's worth (4096 bytes) and
 *     then erases and programs it, yielding before the erase, before the write and after each
 *     sector (runAsync(false), the default) — the model lets SYS run there (Arduino.h) and takes
 *     erase_ms of the clock per erase;
 *   - end(evenIfRemaining = false) fails and forgets the update when it is not finished or has
 *     an error (UPDATE_ERROR_NO_DATA when nothing was written), when the MD5 given to setMD5
 *     does not match what was written (UPDATE_ERROR_MD5) or the image does not start with the
 *     magic byte 0xE9 or gzip's 1f 8b (UPDATE_ERROR_MAGIC_BYTE); else it stages the image for the
 *     boot loader (the eboot command) and returns true;
 *   - any error forgets the update at once (_setError calls _reset); the error stays readable.
 * Not modelled: signing, U_FS, the boot-mode and flash-size checks, the LED, the callbacks.
 */
#ifndef MQTTVPN_MODEL_UPDATER_H
#define MQTTVPN_MODEL_UPDATER_H

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "WString.h"

#define UPDATE_ERROR_OK                 (0)
#define UPDATE_ERROR_WRITE              (1)
#define UPDATE_ERROR_ERASE              (2)
#define UPDATE_ERROR_READ               (3)
#define UPDATE_ERROR_SPACE              (4)
#define UPDATE_ERROR_SIZE               (5)
#define UPDATE_ERROR_STREAM             (6)
#define UPDATE_ERROR_MD5                (7)
#define UPDATE_ERROR_FLASH_CONFIG       (8)
#define UPDATE_ERROR_NEW_FLASH_CONFIG   (9)
#define UPDATE_ERROR_MAGIC_BYTE         (10)
#define UPDATE_ERROR_BOOTSTRAP          (11)
#define UPDATE_ERROR_SIGN               (12)
#define UPDATE_ERROR_NO_DATA            (13)
#define UPDATE_ERROR_OOM                (14)

#define U_FLASH   0
#define U_FS      100
#define U_AUTH    200

class UpdaterClass {
public:
    bool begin(size_t size, int command = U_FLASH, int ledPin = -1, uint8_t ledOn = 0);
    size_t write(uint8_t *data, size_t len);
    bool end(bool evenIfRemaining = false);
    String getErrorString() const;
    bool setMD5(const char *expected_md5);

    uint8_t getError() { return _error; }
    void clearError() { _error = UPDATE_ERROR_OK; }
    bool hasError() { return _error != UPDATE_ERROR_OK; }
    bool isRunning() { return _size > 0; }
    bool isFinished() { return _flash.size() == _size; }
    size_t size() { return _size; }
    size_t progress() { return _flash.size(); }
    size_t remaining() { return _size - _flash.size(); }

    /* Model only. */
    unsigned erase_ms = 0;          /* clock time one sector erase takes */
    unsigned calls = 0;             /* every call of the methods above but the helpers */
    unsigned begins = 0;            /* begin() calls that opened an update */
    unsigned ends_forgotten = 0;    /* end() calls that forgot an open update */
    unsigned stages = 0;            /* images staged for the boot loader */
    std::vector<uint8_t> staged;    /* the last one */
    std::string staged_md5;         /* the MD5 setMD5 gave for it ("" without) */
    size_t largest_write = 0;       /* the largest len given to write() */
    bool in_write = false;          /* inside write(): SYS running now runs inside it */
    bool writing_last = false;      /* ...flushing the update's last bytes: it is finished after */
    void model_reset();

private:
    void reset();
    void setError(int error);
    bool writeBuffer();
    void note_call();

    uint8_t _error = 0;
    size_t _size = 0;
    std::vector<uint8_t> _buffer;   /* what waits for a sector's worth */
    std::vector<uint8_t> _flash;    /* written to flash so far, from the update's start */
    std::string _target_md5;
    std::string _calculated_md5;    /* kept after an error, as the real _md5 is, for the message */
};

extern UpdaterClass Update;

#endif
