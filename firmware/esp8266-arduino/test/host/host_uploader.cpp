/* The host at the far end of an upload (host_uploader.h). */
#include "host_uploader.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <string.h>

#include "../../../common/test/support/test_ip.h"

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10 };

static const uint32_t IN_FLIGHT_MAX = 8 * 1460; /* bytes sent and not acknowledged: a send buffer */
static const unsigned long RETRANSMIT_MS = 1000;
static const unsigned long PROBE_MS = 500;
static const uint16_t OUR_WINDOW = 65535;

static std::string digest_hex(const EVP_MD *md, const void *data, size_t len)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];

    EVP_Digest(data, len, d, &n, md, nullptr);
    for (unsigned int i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    }
    return std::string(hex, 2 * n);
}

static std::string md5_hex(const std::string &s)
{
    return digest_hex(EVP_md5(), s.data(), s.size());
}

host_uploader::host_uploader(const uploader_options &o) : o_(o) {}

bool host_uploader::got_ok() const
{
    return rx.size() >= 2 && rx.compare(rx.size() - 2, 2, "OK") == 0;
}

bool host_uploader::got_error() const
{
    return rx.find('E') != std::string::npos; /* progress digits never contain it */
}

uint32_t host_uploader::acked() const
{
    if (state_ == LISTEN || state_ == SYN_RECEIVED) {
        return 0;
    }
    uint32_t n = offset_of(snd_una_);
    return n > o_.size ? o_.size : n;
}

/* An IPv4 header for a payload of len bytes of protocol proto, from us to the device. */
static void ip4_header(uint8_t *p, uint8_t proto, size_t len, uint16_t id, const char *src, const char *dst)
{
    memset(p, 0, 20);
    p[0] = 0x45;
    put16(p + 2, (uint16_t)(20 + len));
    put16(p + 4, id);
    p[8] = 64;
    p[9] = proto;
    inet_pton(AF_INET, src, p + 12);
    inet_pton(AF_INET, dst, p + 16);
    put16(p + 10, fold(sum16(p, 20, 0)));
}

/* The TCP/UDP checksum over the pseudo header (RFC 793, 768) and the segment at p + 20. */
static uint16_t transport_checksum(const uint8_t *p, uint8_t proto, size_t len)
{
    uint8_t pseudo[12];
    memcpy(pseudo, p + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = proto;
    put16(pseudo + 10, (uint16_t)len);
    return fold(sum16(p + 20, len, sum16(pseudo, 12, 0)));
}

void host_uploader::send_udp(const std::string &text)
{
    std::vector<uint8_t> p(20 + 8 + text.size());
    ip4_header(p.data(), 17, 8 + text.size(), ip_id_++, o_.host, o_.device);
    put16(&p[20], o_.udp_port);
    put16(&p[22], o_.device_port);
    put16(&p[24], (uint16_t)(8 + text.size()));
    memcpy(&p[28], text.data(), text.size());
    uint16_t c = transport_checksum(p.data(), 17, 8 + text.size());
    put16(&p[26], c == 0 ? 0xffff : c);
    o_.send(p);
}

void host_uploader::send_tcp(uint8_t flags, uint32_t seq, const uint8_t *data, size_t len)
{
    size_t opt = (flags & TCP_SYN) ? 4 : 0;
    std::vector<uint8_t> p(20 + 20 + opt + len);
    uint8_t *t = &p[20];

    ip4_header(p.data(), 6, 20 + opt + len, ip_id_++, o_.host, o_.device);
    put16(t, o_.tcp_port);
    put16(t + 2, device_tcp_port_);
    put16(t + 4, (uint16_t)(seq >> 16));
    put16(t + 6, (uint16_t)seq);
    uint32_t ack = (flags & TCP_ACK) ? rcv_nxt_ : 0;
    put16(t + 8, (uint16_t)(ack >> 16));
    put16(t + 10, (uint16_t)ack);
    t[12] = (uint8_t)((20 + opt) / 4 << 4);
    t[13] = flags;
    put16(t + 14, OUR_WINDOW);
    if (opt) {
        t[20] = 2; /* MSS */
        t[21] = 4;
        put16(t + 22, 1460);
    }
    if (len > 0) {
        memcpy(t + 20 + opt, data, len);
    }
    put16(t + 16, transport_checksum(p.data(), 6, 20 + opt + len));
    o_.send(p);
}

void host_uploader::invite()
{
    char line[96];
    std::string md5 = digest_hex(EVP_md5(), o_.image, o_.size);
    snprintf(line, sizeof(line), "0 %u %u %s\n", (unsigned)o_.tcp_port, (unsigned)o_.size, md5.c_str());
    send_udp(line);
}

void host_uploader::query_version()
{
    send_udp("300\n");
}

/* "AUTH <nonce>[ mqttvpn/1]": response = md5hex(md5hex(password) ":" nonce ":" cnonce); with the
 * SHA-256, cnonce = md5hex("mqttvpn-sha256:" sha256hex), which binds it to the password too. */
void host_uploader::answer_challenge(const std::string &auth)
{
    std::string nonce = auth.substr(5, 32);
    bool mqttvpn = auth.find(" mqttvpn/1") != std::string::npos;
    std::string sha, cnonce;

    if (mqttvpn && o_.sha256) {
        static const char other[] = "another image";
        sha = o_.sha256_of_another_image ? digest_hex(EVP_sha256(), other, sizeof other - 1)
                                         : digest_hex(EVP_sha256(), o_.image, o_.size);
        cnonce = md5_hex("mqttvpn-sha256:" + sha);
    } else {
        cnonce = md5_hex("an espota.py-like cnonce");
    }
    std::string response = md5_hex(md5_hex(o_.password) + ":" + nonce + ":" + cnonce);
    send_udp("200 " + cnonce + " " + response + (sha.empty() ? "" : " " + sha) + "\n");
}

void host_uploader::receive(const uint8_t *pkt, size_t len, unsigned long now)
{
    uint8_t src[4], dst[4];

    inet_pton(AF_INET, o_.device, src);
    inet_pton(AF_INET, o_.host, dst);
    if (len < 20 || (pkt[0] >> 4) != 4 || memcmp(pkt + 12, src, 4) != 0 || memcmp(pkt + 16, dst, 4) != 0) {
        return;
    }
    size_t ihl = (size_t)(pkt[0] & 0x0f) * 4, total = get16(pkt + 2);
    if (total > len || total < ihl + 8) {
        return;
    }
    const uint8_t *l4 = pkt + ihl;
    size_t l4_len = total - ihl;

    if (pkt[9] == 17) {
        if (get16(l4 + 2) == o_.udp_port && get16(l4) == o_.device_port) {
            replies.emplace_back(reinterpret_cast<const char *>(l4 + 8), l4_len - 8);
            if (replies.back().compare(0, 5, "AUTH ") == 0 && replies.back().size() >= 37) {
                answer_challenge(replies.back());
            }
        }
        return;
    }
    if (pkt[9] != 6 || l4_len < 20 || get16(l4 + 2) != o_.tcp_port) {
        return;
    }
    uint32_t seq = (uint32_t)get16(l4 + 4) << 16 | get16(l4 + 6);
    uint32_t ack = (uint32_t)get16(l4 + 8) << 16 | get16(l4 + 10);
    size_t off = (size_t)(l4[12] >> 4) * 4;
    uint8_t flags = l4[13];
    uint32_t wnd = get16(l4 + 14);
    const uint8_t *data = l4 + off;
    size_t dlen = l4_len - off;

    if (flags & TCP_RST) {
        reset = true;
        state_ = DONE;
        return;
    }
    if ((flags & TCP_SYN) && !(flags & TCP_ACK)) {
        if (state_ == LISTEN) {
            connections++;
            device_tcp_port_ = get16(l4);
            rcv_nxt_ = seq + 1;
            snd_una_ = iss_;
            snd_nxt_ = iss_ + 1;
            snd_wnd_ = wnd;
            for (size_t i = 20; i + 3 < off && l4[i] != 0;) { /* options: the MSS */
                if (l4[i] == 1) {
                    i++;
                    continue;
                }
                if (l4[i + 1] < 2) {
                    break;
                }
                if (l4[i] == 2 && l4[i + 1] == 4) {
                    mss_ = get16(l4 + i + 2) < o_.segment_max ? get16(l4 + i + 2) : o_.segment_max;
                }
                i += l4[i + 1];
            }
            state_ = SYN_RECEIVED;
        }
        if (state_ == SYN_RECEIVED) {
            send_tcp(TCP_SYN | TCP_ACK, iss_, nullptr, 0); /* again for a repeated SYN */
        }
        return;
    }
    if (state_ == LISTEN || state_ == DONE) {
        return;
    }
    if (flags & TCP_ACK) {
        if ((int32_t)(ack - snd_una_) > 0 && (int32_t)(ack - snd_nxt_) <= 0) {
            snd_una_ = ack;
            last_progress_ = now;
            if (state_ == SYN_RECEIVED) {
                state_ = ESTABLISHED;
            }
        }
        if ((int32_t)(ack - snd_una_) >= 0) {
            snd_wnd_ = wnd;
            zero_window_seen = zero_window_seen || (wnd == 0 && state_ == ESTABLISHED);
        }
    }
    if (dlen > 0 || (flags & TCP_FIN)) {
        int32_t ahead = (int32_t)(seq - rcv_nxt_);
        if (ahead <= 0 && (size_t)(-ahead) <= dlen) { /* in order, or a retransmission reaching past it */
            rx.append(reinterpret_cast<const char *>(data) + (-ahead), dlen - (size_t)(-ahead));
            rcv_nxt_ += (uint32_t)(dlen - (size_t)(-ahead));
            if (flags & TCP_FIN) {
                rcv_nxt_++;
                peer_fin = true;
            }
        }
        send_tcp(TCP_ACK, snd_nxt_, nullptr, 0); /* out of order: a duplicate ACK */
    }
}

void host_uploader::kill()
{
    if (state_ == ESTABLISHED) {
        send_tcp(TCP_RST | TCP_ACK, snd_nxt_, nullptr, 0);
        reset = true;
        state_ = DONE;
    }
}

void host_uploader::step(unsigned long now)
{
    if (state_ != ESTABLISHED) {
        return;
    }
    if (o_.reset_after != 0 && acked() >= o_.reset_after) {
        kill();
        return;
    }
    if (!fin_sent && ((got_ok() && acked() == o_.size) || got_error())) {
        send_tcp(TCP_FIN | TCP_ACK, snd_nxt_, nullptr, 0);
        snd_nxt_++;
        fin_sent = true;
        return;
    }
    if (fin_sent) {
        return;
    }
    if (snd_nxt_ != snd_una_ && now - last_progress_ >= RETRANSMIT_MS) {
        snd_nxt_ = snd_una_; /* go back: the device, or a full queue on the way, lost something */
        last_progress_ = now;
    }
    uint32_t end = iss_ + 1 + o_.size;
    if (o_.lockstep) {
        if (chunk_out_ && rx.size() == rx_at_chunk_) {
            return; /* espota.py: sock.recv() after each chunk */
        }
        if (snd_nxt_ != end) {
            uint32_t n = end - snd_nxt_ < 1460 ? end - snd_nxt_ : 1460;
            send_tcp(TCP_ACK | TCP_PSH, snd_nxt_, o_.image + offset_of(snd_nxt_), n);
            snd_nxt_ += n;
            chunk_out_ = true;
            rx_at_chunk_ = rx.size();
        }
        return;
    }
    while (snd_nxt_ != end) {
        uint32_t in_flight = snd_nxt_ - snd_una_;
        uint32_t room = snd_wnd_ < IN_FLIGHT_MAX ? snd_wnd_ : IN_FLIGHT_MAX;
        if (in_flight >= room) {
            break;
        }
        uint32_t n = room - in_flight;
        n = n < mss_ ? n : mss_;
        n = n < end - snd_nxt_ ? n : end - snd_nxt_;
        send_tcp(TCP_ACK | TCP_PSH, snd_nxt_, o_.image + offset_of(snd_nxt_), n);
        snd_nxt_ += n;
    }
    if (snd_wnd_ == 0 && snd_nxt_ == snd_una_ && snd_nxt_ != end && now - last_progress_ >= PROBE_MS) {
        /* A shut window opens with an ACK the device may not resend: ask with one byte. */
        send_tcp(TCP_ACK | TCP_PSH, snd_nxt_, o_.image + offset_of(snd_nxt_), 1);
        snd_nxt_++;
        last_progress_ = now;
    }
}
