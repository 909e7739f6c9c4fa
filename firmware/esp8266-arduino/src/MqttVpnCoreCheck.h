/*
 * The ESP8266 Arduino core 3.1 or later: the oldest the library is compiled and tested against,
 * and its examples call APIs new in 3.1 (WiFiServer::accept). core_version.h, through Arduino.h,
 * says which core this is; cores before 3.0.2 define no ARDUINO_ESP8266_MAJOR at all.
 * Included by MqttVpn.h and mqttif.h, so a sketch on an older core stops at one clear error.
 */
#ifndef MQTTVPN_CORE_CHECK_H
#define MQTTVPN_CORE_CHECK_H

#include <Arduino.h>

#if !defined(ARDUINO_ESP8266_MAJOR) || ARDUINO_ESP8266_MAJOR < 3 || (ARDUINO_ESP8266_MAJOR == 3 && ARDUINO_ESP8266_MINOR < 1)
#error "mqtt_vpn_arduino needs the ESP8266 Arduino core 3.1 or later, and this one is older: update it in the Arduino IDE (Tools > Board > Boards Manager..., esp8266 by ESP8266 Community, version 3.1.2) or with: arduino-cli core install esp8266:esp8266@3.1.2"
#endif

#endif /* MQTTVPN_CORE_CHECK_H */
