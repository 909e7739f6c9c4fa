/*
 * The host at the far end of an upload, written by hand from OTA-PROTOCOL.md (espota and what
 * mqttvpn adds) and RFC 793 (TCP, only as much as an uploader needs), sharing no code with the
 * receiver: it speaks IPv4 packets, not lwIP (the device's lwIP is the only one in the test
 * program), and its MD5 and SHA-256 are OpenSSL's. The test carries its packets: through the
 * VPN (sealed frames at the model broker) or on the Wi-Fi station's LAN.
 *
 * It invites, answers the challenge (with the image's SHA-256 bound to the password when the
 * device says mqttvpn/1), accepts the device's connection back and streams the image as fast as
 * the device's window and a cap on bytes in flight allow (as toolkit ota: no waiting for the
 * progress numbers; or in espota.py's lock step), retransmits from the first unacknowledged byte after a second without
 * progress, probes a shut window, and closes once the result has come. It can also be killed
 * midway (a RST, as its kernel would send).
 */
#ifndef MQTTVPN_TEST_HOST_UPLOADER_H
#define MQTTVPN_TEST_HOST_UPLOADER_H

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

struct uploader_options {
    const uint8_t *image = nullptr;
    uint32_t size = 0;
    const char *password = nullptr;
    bool sha256 = true;                   /* send the SHA-256 when the device says mqttvpn/1 */
    bool sha256_of_another_image = false; /* ...of other bytes, correctly bound: the image must fail */
    const char *host = nullptr;           /* the uploader's address */
    const char *device = nullptr;         /* the device's address */
    uint16_t device_port = 8266;
    uint16_t udp_port = 0;                /* the uploader's sockets */
    uint16_t tcp_port = 0;
    uint32_t reset_after = 0;             /* RST once this many image bytes are acknowledged; 0: never */
    bool lockstep = false;                /* espota.py's pace: 1460 bytes, then wait for the device's
                                             reply (its progress number) before the next */
    uint32_t segment_max = 1460;          /* bytes per segment, at most the device's MSS */
    void (*send)(const std::vector<uint8_t> &packet) = nullptr; /* an IPv4 packet to the device */
};

class host_uploader {
public:
    explicit host_uploader(const uploader_options &o);

    /* Sends the invitation ("0 <port> <size> <md5>"). */
    void invite();
    /* Sends "300" (the version query) from the UDP socket. */
    void query_version();
    /* A packet from the device (anything else is ignored). now: the test's clock. */
    void receive(const uint8_t *packet, size_t len, unsigned long now);
    /* Sends what TCP allows now: data, a retransmission, a window probe, the FIN, the RST. */
    void step(unsigned long now);
    /* Killed now: a RST for the connection. */
    void kill();

    bool got_ok() const;                  /* the result "OK" came over TCP */
    bool got_error() const;               /* a result starting with "E" came */
    uint32_t acked() const;               /* image bytes the device acknowledged */

    std::vector<std::string> replies;     /* every datagram the device sent, as text */
    std::string rx;                       /* everything the device sent over TCP */
    unsigned connections = 0;             /* connections the device opened to tcp_port */
    bool fin_sent = false, peer_fin = false, reset = false;
    bool zero_window_seen = false;        /* the device's window was shut at least once */

private:
    void answer_challenge(const std::string &auth);
    void send_udp(const std::string &text);
    void send_tcp(uint8_t flags, uint32_t seq, const uint8_t *data, size_t len);
    uint32_t offset_of(uint32_t seq) const { return seq - iss_ - 1; }

    uploader_options o_;
    enum { LISTEN, SYN_RECEIVED, ESTABLISHED, DONE } state_ = LISTEN;
    uint16_t device_tcp_port_ = 0;
    uint16_t ip_id_ = 1;
    uint32_t iss_ = 1000;                 /* our initial sequence number */
    uint32_t snd_una_ = 0, snd_nxt_ = 0;  /* sequence numbers */
    uint32_t snd_wnd_ = 0;                /* the device's window */
    uint32_t mss_ = 536;                  /* what the device's SYN allows, at most segment_max */
    uint32_t rcv_nxt_ = 0;
    unsigned long last_progress_ = 0;     /* when snd_una last moved */
    size_t rx_at_chunk_ = 0;              /* lock step: rx's length when the last chunk went out */
    bool chunk_out_ = false;              /* lock step: a chunk waits for its reply */
};

#endif
