/*
 * mqtt_vpn webserver example: an HTTP server reachable through the MQTT VPN.
 *
 * Configure (idf.py menuconfig > Example configuration): Wi-Fi, broker URI, VPN key, the
 * device's VPN address (10.0.1.3) and, for updates over the network, an OTA password. Then, on
 * the Linux host:
 *   sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://BROKER:1883 -k "VPN key"
 *   ping 10.0.1.3
 *   curl http://10.0.1.3/          # the VPN's counters, the firmware and its updates
 *   toolkit ota ...                # a new build/mqtt_vpn_webserver.bin (README.md of the component)
 */
#include <stdio.h>
#include <string.h>

#include "esp_event.h"
#include "esp_http_server.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "lwip/ip4_addr.h"
#include "nvs_flash.h"

#include "mqtt_vpn.h"

static const char *TAG = "vpn_webserver";
static EventGroupHandle_t s_events;
static mqtt_vpn_handle_t s_vpn;
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
    wifi_config_t sta = { 0 };

    esp_netif_create_default_wifi_sta();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_wifi, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_wifi, NULL));
    strlcpy((char *)sta.sta.ssid, CONFIG_EXAMPLE_WIFI_SSID, sizeof(sta.sta.ssid));
    strlcpy((char *)sta.sta.password, CONFIG_EXAMPLE_WIFI_PASSWORD, sizeof(sta.sta.password));
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &sta));
    ESP_ERROR_CHECK(esp_wifi_start());
}

/* The OTA line: "receiving 12000 of 900000 bytes", "new image on probation, 87 s left...", "ready"... */
static void ota_state(const mqtt_vpn_ota_status_t *ota, char *out, size_t cap)
{
    if (ota->busy) {
        snprintf(out, cap, "receiving %u of %u bytes", (unsigned)ota->last_received, (unsigned)ota->last_size);
    } else if (ota->on_probation) {
        snprintf(out, cap, "new image on probation, %u s left to rejoin", (unsigned)(ota->probation_left_ms / 1000));
    } else if (ota->receiver) {
        snprintf(out, cap, "ready");
    } else {
        snprintf(out, cap, "off (no OTA password)");
    }
}

static esp_err_t root_get(httpd_req_t *req)
{
    mqtt_vpn_stats_t st;
    mqtt_vpn_ota_status_t ota;
    char state[64];
    char body[768];

    mqtt_vpn_get_stats(s_vpn, &st);
    mqtt_vpn_get_ota_status(s_vpn, &ota);
    ota_state(&ota, state, sizeof(state));
    snprintf(body, sizeof(body),
             "mqtt_vpn on ESP-IDF\nfirmware: %s on %s\nOTA: %s; rollback %s\n"
             "updates: %u invitations, %u completed, %u failed, %u wrong password, %u refused\n"
             "connected: %s\nsent: %u packets, %u bytes\nreceived: %u packets, %u bytes\n"
             "dropped: short %u, auth %u, not-ip %u, long %u, queue %u, topic %u, not-for-us %u\nreconnects: %u\n",
             ota.version, ota.partition, state, ota.rollback ? "on" : "off", (unsigned)ota.invitations,
             (unsigned)ota.completed, (unsigned)ota.failed, (unsigned)ota.auth_failed, (unsigned)ota.refused,
             mqtt_vpn_is_connected(s_vpn) ? "yes" : "no", (unsigned)st.tx_packets, (unsigned)st.tx_bytes,
             (unsigned)st.rx_packets, (unsigned)st.rx_bytes, (unsigned)st.drop_too_short,
             (unsigned)st.drop_auth_failed, (unsigned)st.drop_not_ip, (unsigned)st.drop_too_long,
             (unsigned)st.drop_queue_full, (unsigned)st.drop_unexpected_topic, (unsigned)st.drop_not_for_us,
             (unsigned)st.reconnects);
    httpd_resp_set_type(req, "text/plain");
    return httpd_resp_send(req, body, HTTPD_RESP_USE_STRLEN);
}

void app_main(void)
{
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
    ESP_ERROR_CHECK(mqtt_vpn_start(&cfg, &s_vpn));

    httpd_handle_t server = NULL;
    httpd_config_t http = HTTPD_DEFAULT_CONFIG();
    const httpd_uri_t root = { .uri = "/", .method = HTTP_GET, .handler = root_get, .user_ctx = NULL };
    ESP_ERROR_CHECK(httpd_start(&server, &http)); /* listens on every interface, the VPN included */
    ESP_ERROR_CHECK(httpd_register_uri_handler(server, &root));
    ESP_LOGI(TAG, "curl http://%s/ through the VPN", CONFIG_EXAMPLE_VPN_ADDRESS);
}
