/*
 * mqtt_vpn NAT example: the ESP32 as a gateway from the VPN to the hosts on its access point.
 *
 *   Linux host 10.0.1.1 --- MQTT VPN --- ESP32 10.0.1.3 [AP 192.168.4.1] --- host 192.168.4.2
 *
 * The ESP also reads the topics of 192.168.4.2..5 (the Linux side publishes every packet to
 * <prefix>/<destination>) and forwards those packets to its access point; NAPT on the VPN
 * interface (ip_napt_enable, CONFIG_LWIP_IPV4_NAPT) rewrites their source, so the hosts
 * behind it need no route back to the VPN.
 *
 * Configure (idf.py menuconfig > Example configuration, Access point; an OTA password there
 * lets toolkit ota update it through the VPN). On the Linux host:
 *   sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://BROKER:1883 -k "VPN key"
 *   sudo ip route add 192.168.4.0/24 via 10.0.1.3
 *   ping 192.168.4.2               # a phone or laptop joined to the access point
 */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "freertos/semphr.h"
#include "lwip/ip4_addr.h"
#include "lwip/lwip_napt.h"
#include "lwip/tcpip.h"
#include "nvs_flash.h"

#include "mqtt_vpn.h"

#if !CONFIG_LWIP_IPV4_NAPT
#error "enable CONFIG_LWIP_IPV4_NAPT and CONFIG_LWIP_IP_FORWARD (sdkconfig.defaults of this example)"
#endif

#define AP_HOSTS 4 /* reading topics for 192.168.4.2 .. 192.168.4.5 (the AP's first DHCP leases) */

static const char *TAG = "vpn_nat";
static EventGroupHandle_t s_events;
#define GOT_IP BIT0

static void on_wifi(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    if (base == WIFI_EVENT && (id == WIFI_EVENT_STA_START || id == WIFI_EVENT_STA_DISCONNECTED)) {
        esp_wifi_connect();
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        xEventGroupSetBits(s_events, GOT_IP);
    }
}

static void wifi_start(void)
{
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    wifi_config_t sta = { 0 }, ap = { 0 };

    esp_netif_create_default_wifi_sta();
    esp_netif_create_default_wifi_ap(); /* 192.168.4.1/24 with a DHCP server */
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_wifi, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_wifi, NULL));
    strlcpy((char *)sta.sta.ssid, CONFIG_EXAMPLE_WIFI_SSID, sizeof(sta.sta.ssid));
    strlcpy((char *)sta.sta.password, CONFIG_EXAMPLE_WIFI_PASSWORD, sizeof(sta.sta.password));
    strlcpy((char *)ap.ap.ssid, CONFIG_EXAMPLE_AP_SSID, sizeof(ap.ap.ssid));
    strlcpy((char *)ap.ap.password, CONFIG_EXAMPLE_AP_PASSWORD, sizeof(ap.ap.password));
    ap.ap.max_connection = 4;
    ap.ap.authmode = WIFI_AUTH_WPA2_PSK;
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_APSTA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &sta));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_AP, &ap));
    ESP_ERROR_CHECK(esp_wifi_start());
}

struct napt_call {
    uint32_t addr;
    SemaphoreHandle_t done;
};

/* lwIP's NAPT table is the core's: switch it on from the tcpip thread. */
static void napt_on(void *arg)
{
    struct napt_call *c = arg;
    ip_napt_enable(c->addr, 1);
    xSemaphoreGive(c->done);
}

void app_main(void)
{
    mqtt_vpn_handle_t vpn;
    struct napt_call napt;
    esp_err_t err = nvs_flash_init();

    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    s_events = xEventGroupCreate();
    wifi_start();
    xEventGroupWaitBits(s_events, GOT_IP, pdFALSE, pdTRUE, portMAX_DELAY);

    mqtt_vpn_config_t cfg = MQTT_VPN_CONFIG_DEFAULT();
    cfg.broker_uri = CONFIG_EXAMPLE_BROKER_URI;
    cfg.key = CONFIG_EXAMPLE_VPN_KEY;
    cfg.ota_password = CONFIG_EXAMPLE_OTA_PASSWORD; /* "": no updates over the network */
    ip4addr_aton(CONFIG_EXAMPLE_VPN_ADDRESS, &cfg.ipaddr);
    ESP_ERROR_CHECK(mqtt_vpn_start(&cfg, &vpn));
    for (int i = 0; i < AP_HOSTS; i++) {
        ip4_addr_t host;
        IP4_ADDR(&host, 192, 168, 4, 2 + i);
        if (mqtt_vpn_add_reading_topic(vpn, host) != ESP_OK) {
            ESP_LOGW(TAG, "no reading topic for 192.168.4.%d (CONFIG_MQTT_VPN_MAX_TOPICS)", 2 + i);
        }
    }

    napt.addr = cfg.ipaddr.addr;
    napt.done = xSemaphoreCreateBinary();
    if (napt.done != NULL && tcpip_callback(napt_on, &napt) == ERR_OK) {
        xSemaphoreTake(napt.done, portMAX_DELAY);
        ESP_LOGI(TAG, "NAPT on the VPN interface: ip route add 192.168.4.0/24 via %s", CONFIG_EXAMPLE_VPN_ADDRESS);
    } else {
        ESP_LOGE(TAG, "could not enable NAPT");
    }
}
