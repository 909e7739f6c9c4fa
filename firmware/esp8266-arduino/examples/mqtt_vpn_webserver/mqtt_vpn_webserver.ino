/*
 * mqtt_vpn_webserver: an HTTP server reachable through the MQTT VPN, showing the VPN's counters.
 *
 * Edit: WIFI_SSID / WIFI_PASSWORD, BROKER, VPN_KEY, and the device's VPN address (10.0.1.2).
 * Board: any ESP8266; lwIP variant "v2 Higher Bandwidth" (arduino-cli: ip=hb2f) so a TCP segment
 * fills the 1500-byte tunnel MTU (see README).
 *
 * On the Linux host:
 *   sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://BROKER:1883 -k "VPN_KEY"
 *   curl http://10.0.1.2/          # counters as text
 *   curl http://10.0.1.2/led/on    # the built-in LED (active low on most boards)
 */
#include <ESP8266WebServer.h>
#include <ESP8266WiFi.h>
#include <MqttVpn.h>

#define WIFI_SSID "..."
#define WIFI_PASSWORD "..."
#define BROKER "..."
#define VPN_KEY "a long random secret shared by every node"

MqttVpn vpn;
ESP8266WebServer server(80);

void handleRoot() {
  String body = "mqtt_vpn_arduino on ESP8266\n";
  body += "connected: " + String(vpn.connected() ? "yes" : "no") + "\n";
  body += "packets sent: " + String(vpn.txPackets()) + "\n";
  body += "packets received: " + String(vpn.rxPackets()) + "\n";
  body += "dropped: " + String(vpn.drops()) + "\n";
  body += "reconnects: " + String(vpn.reconnects()) + "\n";
  body += "free heap: " + String(ESP.getFreeHeap()) + "\n";
  server.send(200, "text/plain", body);
}

void setup() {
  Serial.begin(115200);
  pinMode(LED_BUILTIN, OUTPUT);
  digitalWrite(LED_BUILTIN, HIGH);
  WiFi.mode(WIFI_STA);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) {
    delay(500);
  }

  MqttVpnConfig cfg;
  cfg.broker = BROKER;
  cfg.key = VPN_KEY;
  cfg.address = IPAddress(10, 0, 1, 2);
  if (!vpn.begin(cfg)) {
    Serial.println("VPN: bad configuration or out of memory");
  }

  server.on("/", handleRoot);
  server.on("/led/on", []() {
    digitalWrite(LED_BUILTIN, LOW);
    server.send(200, "text/plain", "led on\n");
  });
  server.on("/led/off", []() {
    digitalWrite(LED_BUILTIN, HIGH);
    server.send(200, "text/plain", "led off\n");
  });
  server.onNotFound([]() {
    server.send(404, "text/plain", "not found: " + server.uri() + "\n");
  });
  server.begin();  // listens on every interface, the VPN included
}

void loop() {
  server.handleClient();
}
