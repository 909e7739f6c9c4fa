/*
 * Firmware updates through the VPN on the ESP8266 (src/MqttVpnOta.*, the receiver's hooks): the
 * library's own sources with the real receiver, core and glue on Debian's lwIP, over the SDK
 * models (sdk/: Updater, ESP, SYS inside yield()). A host written in the test (host_uploader.h)
 * uploads whole images: through the VPN, as frames at the model broker that the service reads
 * after loop() returns, or on the Wi-Fi station's LAN, where its packets reach lwIP in SYS (a
 * slice per world step, and more inside every yield of the Updater, as Wi-Fi frames do).
 * Time is the model clock: a world step is 10 ms (SYS, the host's turn, a return of loop()).
 */
#include <stdio.h>
#include <string.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <sodium.h>

#include "lwip/init.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h" /* tcp_tmr: the test is lwIP's SYS timer */

#include "Arduino.h"
#include "MqttVpnLink.h"
#include "Schedule.h"
#include "host_uploader.h"
#include "model_net.h"
#include "../../../common/test/support/test_check.h"
#include "../../../common/test/support/test_frames.h"
#include "../../../common/test/support/test_ip.h"
#include "../../../common/test/support/test_station.h"

static const char KEY[] = "a long random secret";
static const char PASSWORD[] = "the ota password";
static const char HOST_IP[] = "10.0.1.1";      /* the uploading host, through the VPN */
static const char DEVICE_IP[] = "10.0.1.2";
static const char LAN_HOST_IP[] = "192.168.1.77"; /* a host on the station's Wi-Fi */
static const char LAN_DEVICE_IP[] = "192.168.1.50";
static const unsigned long STEP_MS = 10;
static const int LAN_PACKETS_PER_SLICE = 2;
static const uint32_t IMAGE_SIZE = 150000;

/* ---- the world ------------------------------------------------------------------------ */

static mqtt_if_data *link_;                      /* the device's VPN link, OTA on */
static std::vector<uint8_t> image;
static std::unique_ptr<host_uploader> up;
static uint16_t next_port = 41000;               /* fresh per uploader: old ones may linger */
static size_t published_seen;
static std::deque<std::vector<uint8_t>> lan_to_device, lan_from_device;
static unsigned long last_tcp_timer;
static unsigned lan_packets_inside_update_write; /* delivered while the service was in Update.write */
static bool restart_before_ok;
static unsigned long uploader_closed_ms;
static bool kill_while_the_last_bytes_are_written; /* the uploader dies inside that Update.write */

/* SYS: lwIP's TCP timer, and a slice of the Wi-Fi frames waiting. Also inside every yield() of
 * CONT (the Updater's), as on the ESP8266. */
static void sys_work(void)
{
    int slice = LAN_PACKETS_PER_SLICE;

    model_in_sys = true;
    if (model_millis - last_tcp_timer >= TCP_TMR_INTERVAL) {
        last_tcp_timer = model_millis;
        tcp_tmr();
    }
    if (kill_while_the_last_bytes_are_written && Update.writing_last && up) {
        kill_while_the_last_bytes_are_written = false;
        up->kill();
        slice = (int)lan_to_device.size(); /* its RST arrives now */
    }
    for (int i = 0; i < slice && !lan_to_device.empty(); i++) {
        const std::vector<uint8_t> &pkt = lan_to_device.front();
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)pkt.size(), PBUF_RAM);
        if (p != nullptr) {
            (void)pbuf_take(p, pkt.data(), (u16_t)pkt.size());
            if (sta.input(p, &sta) != ERR_OK) {
                pbuf_free(p);
            }
        }
        lan_to_device.pop_front();
        lan_packets_inside_update_write += Update.in_write ? 1u : 0u;
    }
    model_in_sys = false;
}

static void send_through_vpn(const std::vector<uint8_t> &pkt)
{
    uint8_t frame[2048];
    size_t n = seal_frame(frame, KEY, pkt.data(), pkt.size());
    model_broker_send(std::string("mqttip/") + DEVICE_IP, frame, n);
}

static void send_on_lan(const std::vector<uint8_t> &pkt)
{
    lan_to_device.push_back(pkt);
}

/* What the device sends a host on its Wi-Fi: copied out of lwIP's pbuf. */
static void lan_tap(struct pbuf *p, const ip4_addr_t *dest)
{
    ip4_addr_t host;
    (void)ip4addr_aton(LAN_HOST_IP, &host);
    if (ip4_addr_cmp(dest, &host)) {
        std::vector<uint8_t> pkt(p->tot_len);
        (void)pbuf_copy_partial(p, pkt.data(), p->tot_len, 0);
        lan_from_device.push_back(pkt);
    }
}

/* The host's turn: what the device sent it (the frames the broker got, the LAN's packets),
 * then what it sends. */
static void host_turn(void)
{
    for (; published_seen < broker.published.size(); published_seen++) {
        const model_packet &m = broker.published[published_seen];
        uint8_t pkt[2048];
        long n = open_frame(pkt, KEY, m.payload.data(), m.payload.size());
        if (up && m.topic == std::string("mqttip/") + HOST_IP && n > 0) {
            up->receive(pkt, (size_t)n, model_millis);
        }
    }
    while (!lan_from_device.empty()) {
        if (up) {
            up->receive(lan_from_device.front().data(), lan_from_device.front().size(), model_millis);
        }
        lan_from_device.pop_front();
    }
    if (up) {
        bool closed = up->fin_sent;
        up->step(model_millis);
        if (!closed && up->fin_sent) {
            uploader_closed_ms = model_millis;
        }
    }
}

static void world_step(void)
{
    model_millis += STEP_MS;
    sys_work();
    host_turn();
    run_scheduled_functions(); /* loop() returned: the library's service (CONT) */
    run_scheduled_recurrent_functions();
    restart_before_ok = restart_before_ok || (model_restarts > 0 && !(up && up->got_ok()));
}

static bool run_until(bool (*done)(void), unsigned long max_ms)
{
    for (unsigned long t = 0; t < max_ms; t += STEP_MS) {
        world_step();
        if (done != nullptr && done()) {
            return true;
        }
    }
    return false;
}

/* ---- fixture -------------------------------------------------------------------------- */

static void before_each(void)
{
    model_net_reset();
    model_esp_reset();
    Update.model_reset();
    model_millis = 1000;
    model_sys = sys_work;
    model_sys_violations = 0;
    Serial.output.clear();
    sta_add();
    sta_tap = lan_tap;
    image.resize(IMAGE_SIZE);
    randombytes_buf(image.data(), image.size());
    image[0] = 0xE9; /* an ESP8266 image's magic byte, which Update.end checks */
    up.reset();
    published_seen = 0;
    lan_to_device.clear();
    lan_from_device.clear();
    last_tcp_timer = model_millis;
    lan_packets_inside_update_write = 0;
    restart_before_ok = false;
    uploader_closed_ms = 0;
    kill_while_the_last_bytes_are_written = false;
}

static void after_each(void)
{
    up.reset();
    mqttvpn_link_destroy(link_);
    link_ = nullptr;
    /* Two MSL of TCP timers: what the device's stack still holds (TIME-WAIT) ends. */
    model_in_sys = true;
    for (int i = 0; i < 600; i++) {
        model_millis += TCP_TMR_INTERVAL;
        tcp_tmr();
    }
    model_in_sys = false;
    run_scheduled_functions(); /* the pending copy of the service finds no link */
    sta_tap = nullptr;
    netif_remove(&sta);
    netif_set_default(nullptr);
    model_sys = nullptr;
}

static std::string md5_hex(const void *data, size_t len)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    EVP_Digest(data, len, d, &n, EVP_md5(), nullptr);
    for (unsigned int i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    }
    return std::string(hex, 2 * n);
}

/* As a sketch configures it; the first return of loop() connects. */
static bool start_vpn(const char *password, const char *password_md5, const char *version)
{
    MqttVpnConfig cfg;
    cfg.broker = "broker.test";
    cfg.key = KEY;
    cfg.address = IPAddress(10, 0, 1, 2);
    cfg.otaPassword = password;
    cfg.otaPasswordMd5 = password_md5;
    cfg.firmwareVersion = version;
    link_ = mqttvpn_link_create(cfg);
    if (link_ == nullptr) {
        return false;
    }
    world_step();
    return link_->mqtt.connected();
}

static uploader_options upload_of(const std::vector<uint8_t> &img, bool through_vpn)
{
    uploader_options o;
    o.image = img.data();
    o.size = (uint32_t)img.size();
    o.password = PASSWORD;
    o.host = through_vpn ? HOST_IP : LAN_HOST_IP;
    o.device = through_vpn ? DEVICE_IP : LAN_DEVICE_IP;
    o.udp_port = next_port++;
    o.tcp_port = next_port++;
    o.send = through_vpn ? send_through_vpn : send_on_lan;
    return o;
}

static void start_upload(const uploader_options &o)
{
    up.reset(new host_uploader(o));
    up->invite();
}

/* An uploader that only asks the version. */
static void start_query(void)
{
    up.reset(new host_uploader(upload_of(image, true)));
    up->query_version();
}

static bool restarted(void)
{
    return model_restarts > 0;
}

static bool two_replies(void)
{
    return up->replies.size() >= 2;
}

static bool one_reply(void)
{
    return !up->replies.empty();
}

static bool uploader_reset(void)
{
    return up->reset;
}

static bool uploader_got_error(void)
{
    return up->got_error();
}

static bool a_third_acked(void)
{
    return up->acked() >= IMAGE_SIZE / 3;
}

static bool logged(const char *text)
{
    return Serial.output.find(text) != std::string::npos;
}

/* ---- whole updates -------------------------------------------------------------------- */

static void an_upload_through_the_vpn_reaches_the_updater_whole_and_the_restart_follows_ok(void)
{
    std::string md5 = md5_hex(PASSWORD, strlen(PASSWORD));

    CHECK(start_vpn(nullptr, md5.c_str(), "1.4.2")); /* as toolkit gen renders it: the MD5 only */
    start_upload(upload_of(image, true));
    CHECK(run_until(restarted, 60000));

    CHECK(up->replies.size() == 2);
    CHECK(up->replies[0].compare(0, 5, "AUTH ") == 0 && up->replies[0].size() == 5 + 32 + 10);
    CHECK(up->replies[0].compare(37, 10, " mqttvpn/1") == 0);
    CHECK(up->replies[1] == "OK");
    CHECK(up->connections == 1 && up->got_ok() && !up->got_error() && up->peer_fin && up->fin_sent);
    /* The image as sent, checked by the Updater as well (the invitation's MD5). */
    CHECK(Update.begins == 1 && Update.stages == 1);
    CHECK(Update.staged == image);
    CHECK(Update.staged_md5 == md5_hex(image.data(), image.size()));
    CHECK(!Update.isRunning());
    /* The restart: after "OK" and the uploader's close, and after the delay for the last frames. */
    CHECK(!restart_before_ok);
    CHECK(model_restart_ms >= uploader_closed_ms + MQTTVPN_ARDUINO_OTA_RESTART_DELAY_MS);
    CHECK(logged("OTA: no rollback on the ESP8266: a new sketch that cannot rejoin the VPN stays"));
    run_until(nullptr, 3000);
    CHECK(model_restarts == 1);
    /* Every Updater call from CONT, a ring's worth at most per write. */
    CHECK(model_sys_violations == 0);
    CHECK(Update.largest_write <= MQTTVPN_ARDUINO_OTA_BUFFER);
}

static void an_espota_paced_upload_arrives_whole(void)
{
    uploader_options o = upload_of(image, true);

    o.lockstep = true; /* a piece, then a progress number: the ring is drained before it is full */
    o.sha256 = false;  /* as espota.py */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(o);
    CHECK(run_until(restarted, 120000));
    CHECK(up->got_ok() && Update.staged == image && !restart_before_ok);
}

static void an_image_in_small_odd_pieces_wraps_the_ring_and_arrives_whole(void)
{
    uploader_options o = upload_of(image, true);

    o.segment_max = 97; /* divides no ring size: the ring is drained part-full and wraps mid-piece */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(o);
    CHECK(run_until(restarted, 120000));
    CHECK(up->got_ok() && Update.staged == image);
}

static void the_vpn_answers_a_ping_in_the_middle_of_an_upload(void)
{
    uint8_t echo[128], frame[256], pkt[2048];

    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(upload_of(image, true));
    CHECK(run_until(a_third_acked, 30000));
    size_t len = icmp4_echo(echo, 8, HOST_IP, DEVICE_IP, 77, 40);
    size_t flen = seal_frame(frame, KEY, echo, len);
    model_broker_send(std::string("mqttip/") + DEVICE_IP, frame, flen);
    size_t from = broker.published.size();
    bool answered = false;
    /* Behind the image's frames already at the broker: a second at most, a budget of them a round. */
    for (int steps = 0; steps < 100 && !answered; steps++) {
        world_step();
        for (size_t i = from; i < broker.published.size() && !answered; i++) {
            long n = open_frame(pkt, KEY, broker.published[i].payload.data(), broker.published[i].payload.size());
            answered = n > 0 && is_icmp4_echo_reply(pkt, (size_t)n, DEVICE_IP, HOST_IP, 77, 40);
        }
    }
    CHECK(answered);
    CHECK(up->acked() < IMAGE_SIZE); /* still under way */
    CHECK(run_until(restarted, 60000));
    CHECK(Update.staged == image && up->got_ok());
}

static void a_slow_updater_holds_an_uploader_on_the_wifi_back_and_loses_no_byte(void)
{
    Update.erase_ms = 45; /* a sector erase; SYS gets the LAN's frames meanwhile */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(upload_of(image, false));
    CHECK(run_until(restarted, 120000));
    CHECK(up->got_ok());
    CHECK(Update.staged == image);
    /* The receiver's hooks ran in SYS inside Update.write, the ring filled and refused, the
     * device's window shut: and no byte was lost, nothing of the Updater ran in SYS. */
    CHECK(lan_packets_inside_update_write > 0);
    CHECK(link_->ota->ring_full > 0);
    CHECK(up->zero_window_seen);
    CHECK(model_sys_violations == 0);
    CHECK(!restart_before_ok);
}

/* ---- updates that must not happen ----------------------------------------------------- */

static void a_wrong_password_leaves_the_updater_untouched(void)
{
    uploader_options o = upload_of(image, true);

    o.password = "The ota password";
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(o);
    CHECK(run_until(two_replies, 3000));
    CHECK(up->replies[1] == "Authentication Failed");
    run_until(nullptr, 5000);
    CHECK(up->connections == 0);
    CHECK(Update.calls == 0);
    CHECK(model_restarts == 0);
}

static void a_cut_transfer_abandons_the_update_and_the_next_one_succeeds(void)
{
    uploader_options o = upload_of(image, true);

    o.reset_after = IMAGE_SIZE / 2; /* the uploader is killed: its kernel resets the connection */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(o);
    CHECK(run_until(uploader_reset, 30000));
    run_until(nullptr, 1000);
    CHECK(Update.begins == 1 && Update.ends_forgotten == 1 && !Update.isRunning());
    CHECK(Update.stages == 0 && model_restarts == 0);
    CHECK(logged("update abandoned"));

    start_upload(upload_of(image, true));
    CHECK(run_until(restarted, 60000));
    CHECK(up->got_ok() && Update.begins == 2 && Update.stages == 1 && Update.staged == image);
}

static void an_image_whose_sha256_does_not_match_is_never_staged(void)
{
    uploader_options o = upload_of(image, true);

    o.sha256_of_another_image = true; /* bound to the password, so only the hash can refuse it */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(o);
    CHECK(run_until(uploader_got_error, 30000));
    run_until(nullptr, 3000);
    CHECK(up->rx.find("ERROR: SHA-256 mismatch") != std::string::npos);
    /* Its MD5 matched: an Updater given every byte would stage it, even at end(false). */
    CHECK(Update.begins == 1 && Update.ends_forgotten == 1 && !Update.isRunning());
    CHECK(Update.stages == 0 && model_restarts == 0);
}

static void an_upload_lost_while_its_last_bytes_are_written_stages_nothing(void)
{
    Update.erase_ms = 45;
    kill_while_the_last_bytes_are_written = true; /* both hashes matched; no "OK" reached the host */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(upload_of(image, false));
    CHECK(run_until(uploader_reset, 60000));
    run_until(nullptr, 3000);
    CHECK(!kill_while_the_last_bytes_are_written); /* it happened */
    CHECK(!up->got_ok());
    CHECK(Update.begins == 1 && !Update.isRunning());
    CHECK(Update.stages == 0 && model_restarts == 0);
    CHECK(logged("update abandoned after 150000 of 150000 bytes"));
}

static void an_image_the_updater_refuses_gets_its_error_and_no_restart(void)
{
    image[0] = 0x00; /* not an ESP8266 image: Update.end() refuses the magic byte */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(upload_of(image, true));
    CHECK(run_until(uploader_got_error, 30000));
    run_until(nullptr, 5000);
    CHECK(up->rx.find("ERROR: Update.end: Magic byte is not 0xE9") != std::string::npos);
    CHECK(!up->got_ok() && Update.stages == 0 && model_restarts == 0);
}

static void an_image_larger_than_the_free_sketch_space_is_refused_at_once(void)
{
    model_free_sketch_space = 128u * 1024u; /* the image needs 37 sectors, 32 are free */
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(upload_of(image, true));
    CHECK(run_until(one_reply, 3000));
    CHECK(up->replies[0] == "ERR: image too large: 150000 bytes, at most 131072");
    CHECK(Update.calls == 0);
}

static void end_during_an_upload_abandons_it(void)
{
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_upload(upload_of(image, true));
    CHECK(run_until(a_third_acked, 30000));
    CHECK(Update.isRunning());
    mqttvpn_link_destroy(link_);
    link_ = nullptr;
    CHECK(!Update.isRunning() && Update.ends_forgotten == 1 && Update.stages == 0);
    run_until(nullptr, 3000);
    CHECK(model_restarts == 0);
}

/* ---- configuration -------------------------------------------------------------------- */

static void the_version_query_answers_the_sketch_md5_or_the_configured_version(void)
{
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    start_query();
    CHECK(run_until(one_reply, 1000));
    CHECK(up->replies[0] == "VERSION sketch-3f2a9c01d4e7 -\n");
    up.reset();
    mqttvpn_link_destroy(link_);

    CHECK(start_vpn(PASSWORD, nullptr, "1.4.2"));
    start_query();
    CHECK(run_until(one_reply, 1000));
    CHECK(up->replies[0] == "VERSION 1.4.2 -\n");
    up.reset();
    mqttvpn_link_destroy(link_);

    CHECK(start_vpn(nullptr, nullptr, "1.4.2")); /* no password: no receiver */
    start_query();
    CHECK(!run_until(one_reply, 1000));
    CHECK(link_->ota == nullptr);
}

static void begin_refuses_bad_ota_settings_and_a_taken_port(void)
{
    std::string md5 = md5_hex(PASSWORD, strlen(PASSWORD));

    CHECK(!start_vpn(PASSWORD, md5.c_str(), nullptr));
    CHECK(logged("give otaPassword or otaPasswordMd5, not both"));
    CHECK(!start_vpn(nullptr, "5ebe2294ecd0e0f08eab7690d2a6ee6", nullptr)); /* 31 digits */
    CHECK(!start_vpn(PASSWORD, nullptr, "1.0 beta"));
    CHECK(logged("otaPasswordMd5 must be 32 hex digits, firmwareVersion at most 48 characters without spaces"));
    CHECK(start_vpn(PASSWORD, nullptr, nullptr));
    MqttVpnConfig second;
    second.broker = "broker.test";
    second.address = IPAddress(10, 0, 2, 2);
    second.otaPassword = PASSWORD;
    CHECK(mqttvpn_link_create(second) == nullptr);
    CHECK(logged("UDP port 8266 is taken"));
    second.otaPort = 8267;
    mqtt_if_data *other = mqttvpn_link_create(second);
    CHECK(other != nullptr);
    mqttvpn_link_destroy(other);
    CHECK(Update.calls == 0);
}

static const struct test_case tests[] = {
    TEST(an_upload_through_the_vpn_reaches_the_updater_whole_and_the_restart_follows_ok),
    TEST(an_espota_paced_upload_arrives_whole),
    TEST(an_image_in_small_odd_pieces_wraps_the_ring_and_arrives_whole),
    TEST(the_vpn_answers_a_ping_in_the_middle_of_an_upload),
    TEST(a_slow_updater_holds_an_uploader_on_the_wifi_back_and_loses_no_byte),
    TEST(a_wrong_password_leaves_the_updater_untouched),
    TEST(a_cut_transfer_abandons_the_update_and_the_next_one_succeeds),
    TEST(an_image_whose_sha256_does_not_match_is_never_staged),
    TEST(an_upload_lost_while_its_last_bytes_are_written_stages_nothing),
    TEST(an_image_the_updater_refuses_gets_its_error_and_no_restart),
    TEST(an_image_larger_than_the_free_sketch_space_is_refused_at_once),
    TEST(end_during_an_upload_abandons_it),
    TEST(the_version_query_answers_the_sketch_md5_or_the_configured_version),
    TEST(begin_refuses_bad_ota_settings_and_a_taken_port),
};

int main(void)
{
    char suite[80];

    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    lwip_init();
    snprintf(suite, sizeof(suite), "esp8266-arduino OTA (budget %d, tx depth %d, ring %d)", MQTTVPN_ARDUINO_BUDGET,
             MQTTVPN_ARDUINO_TX_DEPTH, MQTTVPN_ARDUINO_OTA_BUFFER);
    return run_tests(suite, tests, sizeof(tests) / sizeof(tests[0]), before_each, after_each);
}
