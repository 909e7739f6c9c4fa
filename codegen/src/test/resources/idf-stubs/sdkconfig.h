/* Test-only: the sdkconfig.h an ESP-IDF build generates, with the component's options that its
 * public header (mqtt_vpn.h) reads, at their Kconfig defaults. See README.md. */
#ifndef TEST_SDKCONFIG_H
#define TEST_SDKCONFIG_H
#define CONFIG_MQTT_VPN_MAX_BROKERS 4
#endif
