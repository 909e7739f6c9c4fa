/*
 * A test uploader on lwIP's raw API, written from OTA-PROTOCOL.md and sharing no code with the
 * receiver (its MD5 and SHA-256 are OpenSSL's): it invites from netif "up" of wire.h, answers
 * the challenge, accepts the connection back and sends the image, either in espota.py's lock
 * step (1460 bytes, then wait for a reply) or streaming as fast as TCP allows. It records every
 * reply, and can misbehave on request.
 */
#ifndef MQTTVPN_TEST_OTA_UPLOADER_H
#define MQTTVPN_TEST_OTA_UPLOADER_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/tcp.h"
#include "lwip/udp.h"

enum uploader_sha256 {
    UPLOADER_NO_SHA256 = 0,
    UPLOADER_SHA256,           /* the image's SHA-256 with the cnonce bound to it */
    UPLOADER_SHA256_UNBOUND,   /* the image's SHA-256 with espota.py's cnonce */
    UPLOADER_SHA256_OF_OTHER   /* another image's SHA-256, correctly bound */
};

struct uploader_options {
    const uint8_t *image;
    uint32_t size;             /* bytes sent */
    uint32_t announce_size;    /* the invitation's size; 0: size */
    unsigned command;          /* 0: firmware, 100: file system image */
    const char *password;
    enum uploader_sha256 sha256;
    int wrong_md5;             /* the invitation carries another MD5 */
    int lockstep;              /* espota.py's pace */
    uint32_t stop_after;       /* stop sending after this many bytes, keep the connection; 0: never */
    int keep_open;             /* do not close after the result */
    int ipv6;
    u16_t tcp_port;            /* 0: 40000 */
    u16_t udp_port;            /* 0: 40001 */
};

#define UPLOADER_REPLIES 8
#define UPLOADER_RX_MAX 65536
#define UPLOADER_READS_MAX 4096

struct uploader {
    struct uploader_options o;
    struct udp_pcb *udp;
    struct tcp_pcb *listener, *conn;
    char replies[UPLOADER_REPLIES][200]; /* every datagram received, as text */
    size_t n_replies;
    int accepted;                        /* connections accepted */
    uint32_t sent;                       /* image bytes queued on the connection */
    int chunk_out;                       /* lock step: a chunk waits for its reply */
    char rx[UPLOADER_RX_MAX + 1];        /* everything received over TCP */
    size_t rx_len;
    size_t read_start[UPLOADER_READS_MAX]; /* where each receive callback's data began */
    size_t n_reads;
    int closed;                          /* it closed the connection after the result */
    int peer_closed;                     /* FIN from the device */
    int reset;                           /* the connection died (err callback) */
};

/* Listens, then sends the invitation to dev's OTA port (3232). 0 on failure. */
int uploader_start(struct uploader *u, const struct uploader_options *o);

/* Sends what the pace allows; call between wire pumps (wire_run's step). */
void uploader_step(struct uploader *u);

/* Answers an "AUTH <nonce>..." line from the uploader's UDP socket, with its options. */
void uploader_answer_challenge(struct uploader *u, const char *auth_line);

/* Sends text as one datagram from the uploader's UDP socket to dev's OTA port. */
void uploader_send_datagram(struct uploader *u, const char *text);

/* Cuts the connection with a RST, as a killed uploader's kernel would. */
void uploader_abort(struct uploader *u);

/* Closes everything it opened. */
void uploader_stop(struct uploader *u);

/* Whether the last datagram received is text exactly. */
int uploader_last_reply_is(const struct uploader *u, const char *text);

/* Whether rx ends with text (the result after the progress numbers). */
int uploader_rx_ends_with(const struct uploader *u, const char *text);

/* Whether everything before the result (rx without its last len_of_result bytes) is digits. */
int uploader_rx_progress_is_digits(const struct uploader *u, size_t len_of_result);

#endif
