/*
 * mqtt_vpn_original_api: a sketch written against the original MQTT_VPN library's C API, the
 * way its examples use it (char* settings, mqtt_if_init, an empty loop). It builds and runs
 * unchanged against this library: the VPN is serviced after every loop() without a call.
 * Here it is a telnet console like the original telnet example, for a NAT target it also
 * reads 172.16.0.100, and it swaps the DNS servers to the one behind the VPN.
 *
 * Edit: ssid / password, broker, vpn_password, the addresses.
 *
 * On the Linux host:
 *   sudo toolkit vpn -i mq0 -a 10.0.1.1 -b tcp://BROKER:1883 -k secret
 *   telnet 10.0.1.2 23
 */
#include <ESP8266WiFi.h>
#include <mqttif.h>

const char* ssid = "...";
const char* password = "...";

char* broker = (char*)"...";
char* vpn_password = (char*)"secret";
IPAddress mqtt_vpn_addr(10, 0, 1, 2);
IPAddress mqtt_vpn_target_addr(172, 16, 0, 100);

struct mqtt_if_data *my_if;

WiFiServer server(23);
WiFiClient client;

void setup() {
  Serial.begin(115200);
  WiFi.mode(WIFI_STA);
  WiFi.begin(ssid, password);
  while (WiFi.status() != WL_CONNECTED) {
    delay(500);
    Serial.print(".");
  }

  /* The magic is here: a new IP interface connected to the central MQTT broker. */
  my_if = mqtt_if_init(broker, mqtt_vpn_addr, vpn_password);
  mqtt_if_add_reading_topic(my_if, mqtt_vpn_target_addr);
  mqtt_if_set_mtu(my_if, 1500);
  mqtt_if_clear_dns();
  mqtt_if_add_dns(IPAddress(10, 0, 1, 1));

  server.begin();
  server.setNoDelay(true);
  Serial.print("MQTT VPN ready! Use 'telnet ");
  Serial.print(mqtt_vpn_addr);
  Serial.println(" 23' to connect");
}

void loop() {
  if (server.hasClient()) {
    if (client && client.connected()) {
      server.accept().stop();
    } else {
      client = server.accept();
    }
  }
  while (client && client.available()) {
    Serial.write(client.read());
  }
  if (Serial.available() && client && client.connected()) {
    uint8_t buf[64];
    size_t n = Serial.readBytes(buf, min((size_t)Serial.available(), sizeof(buf)));
    client.write(buf, n);
  }
}
