/*
 * Host model of core_version.h, which the ESP8266 Arduino core's tools/makecorever.py writes into
 * the build's core/ folder: the lines of the 3.1.2 release (--release) build, as the real file
 * has them. Arduino.h includes it (the real one through core_esp8266_version.h).
 */
#define ARDUINO_ESP8266_GIT_VER   0x00000000
#define ARDUINO_ESP8266_GIT_DESC  3.1.2
#define ARDUINO_ESP8266_VERSION   3.1.2

#define ARDUINO_ESP8266_MAJOR     3
#define ARDUINO_ESP8266_MINOR     1
#define ARDUINO_ESP8266_REVISION  2

#define ARDUINO_ESP8266_RELEASE   "3.1.2"
#define ARDUINO_ESP8266_RELEASE_3_1_2
