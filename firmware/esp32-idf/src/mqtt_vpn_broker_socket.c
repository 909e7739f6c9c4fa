/*
 * The broker connection's socket, after each MQTT connect (esp-mqtt task):
 *   - TCP_NODELAY: esp-mqtt never sets it, and with Nagle a small frame that follows another
 *     waits for the broker's (delayed) ACK, tens of ms per round trip;
 *   - the broker's address, for the driver's bypass (mqttvpn/glue/iface.h): packets for it
 *     never enter the tunnel even when the VPN is the default route.
 * esp-mqtt hands out the transport of a scheme (esp_mqtt_client_get_transport) only since
 * its July 2024 API: the esp-mqtt of IDF 5.5, and espressif/mqtt 1.x on IDF 6. On older IDF
 * there is no way to the socket: the connection keeps Nagle (README.md), and the broker's
 * session is still kept off the tunnel by IDF's source routing (lwip_default_hooks.c,
 * ip4_route_src_hook: a connection bound to the station's address leaves through it).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "esp_idf_version.h"
#include "esp_log.h"
#include "lwip/ip_addr.h"
#include "lwip/sockets.h"
#include "mqtt_client.h"

#include "mqtt_vpn_priv.h"

#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 5, 0)
#include "esp_transport.h"

static const char *TAG = "mqtt_vpn";

/* The broker's address as lwIP's ip_addr_t, from the socket's peer. */
static bool peer_address(int fd, ip_addr_t *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) {
        return false;
    }
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
        ip_addr_set_ip4_u32_val(*out, in->sin_addr.s_addr);
        return true;
    }
#if LWIP_IPV6
    if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
        IP_SET_TYPE_VAL(*out, IPADDR_TYPE_V6);
        memcpy(ip_2_ip6(out)->addr, in6->sin6_addr.s6_addr, 16);
        ip6_addr_clear_zone(ip_2_ip6(out));
        return true;
    }
#endif
    return false;
}

bool mqtt_vpn_broker_socket_tune(struct mqtt_vpn *vpn, ip_addr_t *broker)
{
    esp_transport_handle_t t = esp_mqtt_client_get_transport(vpn->client, vpn->scheme);
    int fd = t != NULL ? esp_transport_get_socket(t) : -1;
    int one = 1;

    if (fd < 0) {
        ESP_LOGW(TAG, "no socket for %s://: Nagle stays on for the broker connection", vpn->scheme);
        return false;
    }
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
        ESP_LOGW(TAG, "TCP_NODELAY refused on the broker connection (errno %d)", errno);
    }
    return peer_address(fd, broker);
}

#else

bool mqtt_vpn_broker_socket_tune(struct mqtt_vpn *vpn, ip_addr_t *broker)
{
    (void)vpn;
    (void)broker;
    return false;
}

#endif
