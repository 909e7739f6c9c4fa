/*
 * mqtt_vpn_nat: the ESP8266 as a gateway from the VPN to the hosts on its own Wi-Fi access point.
 *
 *   Linux host 10.0.1.1 --- MQTT VPN --- ESP 10.0.1.2 [soft-AP 192.168.4.1] --- host 192.168.4.2
 *
 * Packets for 192.168.4.x reach the ESP because it also reads their topics (the Linux side
 * publishes every packet to <prefix>/<destination>); the ESP forwards them to its access point.
 * NAPT on the VPN interface rewrites their source to the ESP's address, so the hosts behind it
 * (and hosts on the upstream Wi-Fi) need no route back to 10.0.1.0/24.
 *
 * Edit: WIFI_SSID / WIFI_PASSWORD (the upstream network with the broker), AP_SSID / AP_PASSWORD
 * (the access point the ESP opens), BROKER, VPN_KEY, and AP_HOSTS: the access point's DHCP
 * leases start at 192.168.4.2; each host you want to reach needs a reading topic, and
 * own address + broadcast + AP_HOSTS must stay within MQTTVPN_MAX_TOPICS (10).
 * Board: an lwIP variant with features and without IPv6 (NAPT needs both), e.g.
 * "v2 Higher Bandwidth" (arduino-cli: ip=hb2f) or "v2 Lower Memory" (ip=lm2f); see README.
 *
 * On the Linux host:
 *   sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://BROKER:1883 -k "VPN_KEY"
 *   sudo ip route add 192.168.4.0/24 via 10.0.1.2
 *   ping 192.168.4.2               # a phone or laptop joined to AP_SSID
 *   curl http://192.168.4.2:8080/  # whatever it serves
 */
#include <ESP8266WiFi.h>
#include <MqttVpn.h>
#include <lwip/napt.h>

#if !LWIP_FEATURES || LWIP_IPV6
#error "NAPT needs an lwIP variant with features and without IPv6: Tools > lwIP Variant > v2 Higher Bandwidth"
#endif

#define WIFI_SSID "..."
#define WIFI_PASSWORD "..."
#define AP_SSID "mqttvpn-gateway"
#define AP_PASSWORD "at least 8 characters"
#define BROKER "..."
#define VPN_KEY "a long random secret shared by every node"
#define AP_HOSTS 4        // reading topics for 192.168.4.2 .. 192.168.4.(1 + AP_HOSTS)
#define NAPT_ENTRIES 256  // translation table size (RAM: ~32 bytes each)
#define NAPT_PORTMAP 16

MqttVpn vpn;

void setup() {
  Serial.begin(115200);
  WiFi.mode(WIFI_AP_STA);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) {
    delay(500);
    Serial.print('.');
  }
  WiFi.softAPConfig(IPAddress(192, 168, 4, 1), IPAddress(192, 168, 4, 1), IPAddress(255, 255, 255, 0));
  WiFi.softAP(AP_SSID, AP_PASSWORD);
  Serial.printf("\nupstream %s, access point %s\n", WiFi.localIP().toString().c_str(),
                WiFi.softAPIP().toString().c_str());

  MqttVpnConfig cfg;
  cfg.broker = BROKER;
  cfg.key = VPN_KEY;
  cfg.address = IPAddress(10, 0, 1, 2);
  if (!vpn.begin(cfg)) {
    Serial.println("VPN: bad configuration or out of memory");
    return;
  }
  for (int i = 0; i < AP_HOSTS; i++) {
    if (!vpn.addReadingTopic(IPAddress(192, 168, 4, 2 + i))) {
      Serial.printf("no reading topic for 192.168.4.%d: MQTTVPN_MAX_TOPICS reached\n", 2 + i);
    }
  }

  err_t ret = ip_napt_init(NAPT_ENTRIES, NAPT_PORTMAP);
  if (ret == ERR_OK) {
    // Translate what arrives from the VPN (lwIP's NAPT works on the incoming interface).
    ret = ip_napt_enable_no(vpn.netif()->num, 1);
  }
  Serial.printf("NAPT on the VPN interface: %s\n", ret == ERR_OK ? "on" : "failed");
}

void loop() {
}
