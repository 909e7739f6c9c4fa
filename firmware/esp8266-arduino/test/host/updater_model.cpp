/* The Updater.h model (sdk/Updater.h); the MD5 is OpenSSL's, none of the library's code. */
#include "Arduino.h"

#include <openssl/evp.h>
#include <strings.h>

UpdaterClass Update;

static const size_t SECTOR = 4096; /* FLASH_SECTOR_SIZE */

void UpdaterClass::model_reset()
{
    *this = UpdaterClass();
}

void UpdaterClass::note_call()
{
    calls++;
    if (model_in_sys) {
        model_sys_violations++; /* it yields: never from SYS */
    }
}

void UpdaterClass::reset()
{
    _buffer.clear();
    _flash.clear();
    _size = 0;
}

void UpdaterClass::setError(int error)
{
    _error = (uint8_t)error;
    reset(); /* Updater.cpp, _setError: "Any error condition invalidates the entire update" */
}

bool UpdaterClass::begin(size_t size, int command, int ledPin, uint8_t ledOn)
{
    (void)ledPin;
    (void)ledOn;
    note_call();
    if (_size > 0) {
        return false; /* "[begin] already running" */
    }
    if (size == 0) {
        setError(UPDATE_ERROR_SIZE);
        return false;
    }
    if (command != U_FLASH) {
        return false;
    }
    if (((size + SECTOR - 1) & ~(SECTOR - 1)) > ESP.getFreeSketchSpace()) {
        setError(UPDATE_ERROR_SPACE);
        return false;
    }
    reset();
    clearError();
    _target_md5.clear();
    _size = size;
    begins++;
    return true;
}

bool UpdaterClass::setMD5(const char *expected_md5)
{
    note_call();
    if (strlen(expected_md5) != 32) {
        return false;
    }
    _target_md5 = expected_md5;
    return true;
}

/* Updater.cpp, _writeBuffer: erase at a sector's start, program, yielding before each. */
bool UpdaterClass::writeBuffer()
{
    if (_flash.size() % SECTOR == 0) {
        yield();
        model_millis += erase_ms;
    }
    yield();
    _flash.insert(_flash.end(), _buffer.begin(), _buffer.end());
    _buffer.clear();
    return true;
}

size_t UpdaterClass::write(uint8_t *data, size_t len)
{
    note_call();
    if (len > largest_write) {
        largest_write = len;
    }
    if (hasError() || !isRunning()) {
        return 0;
    }
    if (progress() + _buffer.size() + len > _size) {
        setError(UPDATE_ERROR_SPACE);
        return 0;
    }
    in_write = true;
    size_t left = len;
    while (_buffer.size() + left > SECTOR) {
        size_t to_buffer = SECTOR - _buffer.size();
        _buffer.insert(_buffer.end(), data + (len - left), data + (len - left) + to_buffer);
        writeBuffer();
        left -= to_buffer;
        yield();
    }
    _buffer.insert(_buffer.end(), data + (len - left), data + len);
    if (_buffer.size() == remaining()) {
        writing_last = true;
        writeBuffer(); /* the end of the update: what is left goes to flash */
        writing_last = false;
    }
    in_write = false;
    return len;
}

static std::string md5_hex(const std::vector<uint8_t> &d)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];

    EVP_Digest(d.data(), d.size(), md, &n, EVP_md5(), nullptr);
    for (unsigned int i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    return std::string(hex, 2 * n);
}

bool UpdaterClass::end(bool evenIfRemaining)
{
    note_call();
    if (_size == 0) {
        reset();
        return false; /* "no update" */
    }
    if (progress() == 0) {
        setError(UPDATE_ERROR_NO_DATA);
    }
    if (hasError() || (!isFinished() && !evenIfRemaining)) {
        ends_forgotten++; /* an update was open when end() came */
        reset();
        return false;
    }
    if (evenIfRemaining) {
        if (!_buffer.empty()) {
            writeBuffer();
        }
        _size = progress();
    }
    _calculated_md5 = md5_hex(_flash);
    if (!_target_md5.empty() && strcasecmp(_target_md5.c_str(), _calculated_md5.c_str()) != 0) {
        setError(UPDATE_ERROR_MD5);
        return false;
    }
    if (!(_flash[0] == 0xE9 || (_flash.size() > 1 && _flash[0] == 0x1f && _flash[1] == 0x8b))) {
        setError(UPDATE_ERROR_MAGIC_BYTE);
        return false;
    }
    staged = _flash; /* eboot_command_write: the boot loader copies it at the next restart */
    staged_md5 = _target_md5;
    stages++;
    reset();
    return true;
}

String UpdaterClass::getErrorString() const
{
    switch (_error) {
    case UPDATE_ERROR_OK:
        return String("No Error");
    case UPDATE_ERROR_SPACE:
        return String("Not Enough Space");
    case UPDATE_ERROR_SIZE:
        return String("Bad Size Given");
    case UPDATE_ERROR_MD5:
        return String(("MD5 verification failed: expected: " + _target_md5 + ", calculated: " + _calculated_md5).c_str());
    case UPDATE_ERROR_MAGIC_BYTE:
        return String("Magic byte is not 0xE9");
    case UPDATE_ERROR_NO_DATA:
        return String("No data supplied");
    default:
        return String("UNKNOWN");
    }
}
