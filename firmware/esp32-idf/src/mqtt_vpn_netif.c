/*
 * The VPN interface as an esp_netif, on the model of esp-protocols' eppp_link
 * (eppp_netif_tun.c): esp_netif_new() with a netstack configuration whose lwIP init function
 * is the portable driver's. esp_netif allocates the lwIP netif, adds it in esp_netif_start()
 * (netif_add with the esp_netif_t as netif->state, which esp_netif's lwIP callbacks read and
 * write) and removes it in esp_netif_destroy(). The driver keeps its state elsewhere
 * (mqttvpn/netif.h) and is attached to the netif between the two.
 *
 * So the interface is an ordinary esp_netif: esp_netif_get_ip_info(), esp_netif_next(),
 * esp_netif_napt_enable(), IP_EVENT_NETIF_UP/DOWN (IDF 6) see it.
 */
#include <stdio.h>
#include <string.h>

#include "esp_err.h"
#include "esp_idf_version.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_net_stack.h"
#include "lwip/esp_netif_net_stack.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "mqtt_vpn_priv.h"
#include "mqttvpn/netif.h"

static const char *TAG = "mqtt_vpn";

/*
 * The input function's return type: esp_err_t on IDF 6; on 5.x esp_netif_recv_ret_t, which
 * is esp_err_t only with CONFIG_ESP_NETIF_RECEIVE_REPORT_ERRORS: the 5.x header makes that
 * choice, with ESP_NETIF_OPTIONAL_RETURN_CODE (lwip/esp_netif_net_stack.h).
 */
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 0)
typedef esp_err_t packet_in_ret_t;
#define PACKET_IN_RETURN(err) return (err)
#else
typedef esp_netif_recv_ret_t packet_in_ret_t;
#define PACKET_IN_RETURN(err) return ESP_NETIF_OPTIONAL_RETURN_CODE(err)
#endif

/*
 * esp_netif_receive(vpn netif, packet, len, NULL): hands lwIP one IP packet as if it had come
 * through the tunnel (what esp_netif_receive means for a TUN-like netif; eppp's tun_input).
 * Frames from the broker do not come this way: they carry a topic, and the component feeds
 * them to the driver in the tcpip thread (mqtt_vpn.c). netif->input is esp_netif's
 * tcpip_input, which any task may call.
 */
static packet_in_ret_t packet_in(void *handle, void *buffer, size_t len, void *eb)
{
    struct netif *netif = handle;
    struct pbuf *p;

    (void)eb; /* no driver_free_rx_buffer: the caller keeps its buffer */
    if (netif == NULL || netif->input == NULL) {
        PACKET_IN_RETURN(ESP_ERR_INVALID_STATE); /* before mqtt_vpn_start added it */
    }
    if (len == 0 || len > MQTTVPN_MTU) {
        PACKET_IN_RETURN(ESP_ERR_INVALID_SIZE);
    }
    p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
    if (p == NULL) {
        PACKET_IN_RETURN(ESP_ERR_NO_MEM);
    }
    (void)pbuf_take(p, buffer, (u16_t)len);
    if (netif->input(p, netif) != ERR_OK) {
        pbuf_free(p);
        PACKET_IN_RETURN(ESP_FAIL);
    }
    PACKET_IN_RETURN(ESP_OK);
}

/*
 * esp_netif requires a transmit function (esp_netif_config_sanity_check), which netstacks
 * that send through esp_netif_transmit() call. This one never does: the driver's lwIP output
 * knows the next hop and publishes the frame itself. A raw packet handed here has no next
 * hop to go to, so it is refused rather than guessed.
 */
static esp_err_t transmit_refused(void *handle, void *buffer, size_t len)
{
    (void)handle;
    (void)buffer;
    (void)len;
    return ESP_ERR_NOT_SUPPORTED;
}

static const struct esp_netif_netstack_config netstack = {
    .lwip = {
        .init_fn = mqttvpn_netif_init,
        .input_fn = packet_in,
    },
};

/* Below every interface IDF creates (Wi-Fi station 100, Ethernet 50, soft-AP 10): esp_netif's
 * automatic choice of the default route never picks the VPN. default_route does, only while
 * the tunnel is up (mqttvpn/glue/iface.h). */
#define MQTT_VPN_ROUTE_PRIO 1

/* "MQTT_VPN", or "MQTT_VPN_2"... when another VPN interface has it: esp_netif refuses a
 * key in use. */
static void free_if_key(char *out, size_t cap)
{
    unsigned n;

    snprintf(out, cap, "MQTT_VPN");
    for (n = 2; esp_netif_get_handle_from_ifkey(out) != NULL && n < 100; n++) {
        snprintf(out, cap, "MQTT_VPN_%u", n);
    }
}

esp_err_t mqtt_vpn_netif_create(struct mqtt_vpn *vpn, const mqtt_vpn_config_t *c)
{
    char if_key[16];
    esp_netif_ip_info_t ip_info;
    esp_netif_inherent_config_t base;
    esp_netif_driver_ifconfig_t driver;
    esp_netif_config_t cfg;

    memset(&ip_info, 0, sizeof(ip_info));
    ip_info.ip.addr = c->ipaddr.addr;
    ip_info.netmask.addr = c->netmask.addr;
    ip_info.gw.addr = c->gw.addr;
    free_if_key(if_key, sizeof(if_key));
    memset(&base, 0, sizeof(base));
    base.flags = 0; /* static addresses, no DHCP, up when the component says so */
    base.ip_info = &ip_info;
    base.if_key = if_key; /* esp_netif copies both strings */
    base.if_desc = "mqttvpn";
    base.route_prio = MQTT_VPN_ROUTE_PRIO;
    memset(&driver, 0, sizeof(driver));
    driver.handle = vpn;
    driver.transmit = transmit_refused;
    cfg.base = &base;
    cfg.driver = &driver;
    cfg.stack = &netstack;
    vpn->netif = esp_netif_new(&cfg);
    if (vpn->netif == NULL) {
        ESP_LOGE(TAG, "esp_netif_new failed for the VPN interface (no memory, or esp_netif_init not called)");
        return ESP_FAIL;
    }
    return ESP_OK;
}

struct netif *mqtt_vpn_netif_lwip(struct mqtt_vpn *vpn)
{
    return esp_netif_get_netif_impl(vpn->netif);
}

void mqtt_vpn_netif_start(struct mqtt_vpn *vpn)
{
    /* esp_netif_start (private to esp_netif) through its public event-handler face, as
     * eppp_link does: netif_add in the tcpip thread, whose init function is the driver's,
     * attached before. It reports nothing; the caller checks that the netif was added. */
    esp_netif_action_start(vpn->netif, NULL, 0, NULL);
}

void mqtt_vpn_netif_destroy(struct mqtt_vpn *vpn)
{
    if (vpn->netif != NULL) {
        esp_netif_destroy(vpn->netif); /* netif_remove in the tcpip thread, then frees it */
        vpn->netif = NULL;
    }
}
