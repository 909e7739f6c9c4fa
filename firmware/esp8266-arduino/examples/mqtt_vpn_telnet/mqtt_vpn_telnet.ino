/*
 * mqtt_vpn_telnet: a serial console reachable by telnet through the MQTT VPN.
 *
 * Edit: WIFI_SSID / WIFI_PASSWORD, BROKER (host name or address of your MQTT broker), VPN_KEY
 * (the same key on every node; a long random string), and the device's VPN address.
 * Board: any ESP8266; lwIP variant "v2 Higher Bandwidth" (arduino-cli: ip=hb2f), see README.
 *
 * On the Linux host (the toolkit from this project, or the original mqtt_vpn daemon):
 *   sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://BROKER:1883 -k "VPN_KEY"
 *   ping 10.0.1.2
 *   telnet 10.0.1.2          # what you type appears on the ESP's serial port, and back
 */
#include <ESP8266WiFi.h>
#include <MqttVpn.h>

#define WIFI_SSID "..."
#define WIFI_PASSWORD "..."
#define BROKER "..."
#define VPN_KEY "a long random secret shared by every node"

MqttVpn vpn;
WiFiServer server(23);
WiFiClient session;

void setup() {
  Serial.begin(115200);
  WiFi.mode(WIFI_STA);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) {
    delay(500);
    Serial.print('.');
  }
  Serial.printf("\nWi-Fi up: %s\n", WiFi.localIP().toString().c_str());

  MqttVpnConfig cfg;
  cfg.broker = BROKER;
  cfg.key = VPN_KEY;
  cfg.address = IPAddress(10, 0, 1, 2);
  if (!vpn.begin(cfg)) {
    Serial.println("VPN: bad configuration or out of memory");
    return;
  }
  server.begin();
  server.setNoDelay(true);
  Serial.println("VPN ready: telnet 10.0.1.2 from the other end");
}

void loop() {
  vpn.loop();  // optional: the library also runs after every loop(); this adds a round

  if (server.hasClient()) {
    if (session && session.connected()) {
      server.accept().stop();  // one session at a time
    } else {
      session = server.accept();
      session.println("ESP8266 serial console over MQTT VPN");
    }
  }
  while (session && session.available()) {
    Serial.write(session.read());
  }
  size_t n = Serial.available();
  if (n > 0 && session && session.connected()) {
    uint8_t buf[64];
    n = Serial.readBytes(buf, n < sizeof(buf) ? n : sizeof(buf));
    session.write(buf, n);
  }
}
