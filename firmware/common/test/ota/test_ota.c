/*
 * The OTA receiver (src/ota/ota.c) with real lwIP (Debian's, lwip_init() and everything on this
 * thread, as with NO_SYS=1): the receiver on one netif, a test uploader written from
 * OTA-PROTOCOL.md on another, the two wired back to back (wire.h); virtual time. The platform's
 * hooks record what the receiver asks for (ota_recorder.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <openssl/evp.h>

#include "lwip/init.h"
#include "lwip/tcp.h"

#include "mqttvpn/ota.h"
#include "../support/test_check.h"
#include "../support/test_platform.h"
#include "ota_recorder.h"
#include "test_uploader.h"
#include "wire.h"

#define PASSWORD "correct horse battery staple"
#define IMAGE_MAX 700000u
#define WINDOW 0xffffu /* Debian's TCP_WND and TCP_SND_BUF */

static struct {
    struct mqttvpn_ota *ota;
    struct uploader up, other;
    uint8_t image[IMAGE_MAX];
    u16_t port;              /* the uploader's ports for this test: port and port + 1 */
    int restart_saw_ok_and_close;
    char begin_md5[33];      /* mqttvpn_ota_get_image_md5 inside the begin hook */
} fx;

/* ---- fixture ------------------------------------------------------------------------------ */

static void before(void)
{
    u16_t port = fx.port;

    tp_reset();
    rec_reset();
    memset(&fx, 0, sizeof(fx));
    fx.port = (u16_t)(port + 10u); /* fresh ports: earlier connections may sit in TIME-WAIT */
    randombytes_buf(fx.image, sizeof fx.image);
    wire_add();
}

static void after(void)
{
    uploader_stop(&fx.up);
    uploader_stop(&fx.other);
    if (fx.ota != NULL) {
        mqttvpn_ota_stop(fx.ota);
        fx.ota = NULL;
    }
    wire_run(NULL, NULL, NULL, 130000); /* lets closing connections end (TIME-WAIT: 2 MSL) */
    wire_remove();
}

static int start_receiver_with(const char *version, const char *slot, uint32_t max_size)
{
    struct mqttvpn_ota_config cfg;
    err_t err = ERR_VAL;

    memset(&cfg, 0, sizeof(cfg));
    cfg.password = PASSWORD;
    cfg.version = version;
    cfg.slot = slot;
    cfg.max_size = max_size;
    cfg.platform = &rec;
    fx.ota = mqttvpn_ota_start(&cfg, &err);
    return fx.ota != NULL && err == ERR_OK;
}

static int start_receiver(void)
{
    return start_receiver_with("1.2.3", "b", 0);
}

static struct uploader_options upload_of(uint32_t size)
{
    struct uploader_options o;

    memset(&o, 0, sizeof(o));
    o.image = fx.image;
    o.size = size;
    o.password = PASSWORD;
    o.tcp_port = fx.port;
    o.udp_port = (u16_t)(fx.port + 1u);
    return o;
}

/* A second socket on the uploader's side, for invitations and queries by hand. */
static int start_probe(struct uploader *u, u16_t port_offset)
{
    struct uploader_options o;

    memset(&o, 0, sizeof(o));
    o.tcp_port = (u16_t)(fx.port + port_offset);
    o.udp_port = (u16_t)(fx.port + port_offset + 1u);
    return uploader_start(u, &o);
}

static struct mqttvpn_ota_stats stats(void)
{
    struct mqttvpn_ota_stats s;
    mqttvpn_ota_get_stats(fx.ota, &s);
    return s;
}

static void step(void)
{
    uploader_step(&fx.up);
    uploader_step(&fx.other);
}

static int restarted(void)
{
    return rec.restarts > 0;
}

static int up_has_reply(void)
{
    return fx.up.n_replies >= 2 || (fx.up.n_replies == 1 && strncmp(fx.up.replies[0], "AUTH ", 5) != 0);
}

static int other_has_reply(void)
{
    return fx.other.n_replies > 0;
}

static int up_ended(void)
{
    return fx.up.closed || fx.up.reset;
}

static int not_busy(void)
{
    return !stats().busy;
}

static uint32_t written_goal;
static int written_reached(void)
{
    return rec.written >= written_goal;
}

/* What the restart hook sees: the uploader has "OK" and has closed. */
static void note_restart(void)
{
    fx.restart_saw_ok_and_close = uploader_rx_ends_with(&fx.up, "OK") && fx.up.closed;
}

/* md5hex with OpenSSL's MD5, not the receiver's. */
static void md5_hex(char out[33], const void *data, size_t len)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;

    EVP_Digest(data, len, d, &n, EVP_md5(), NULL);
    for (i = 0; i < n && i < 16; i++) {
        sprintf(out + 2 * i, "%02x", d[i]);
    }
}

static int image_arrived_whole(uint32_t size)
{
    return rec.written == size && memcmp(rec.image, fx.image, size) == 0;
}

/* The read that carried the result held nothing else: espota.py would have missed it else. */
static int result_came_in_its_own_read(const struct uploader *u, const char *result)
{
    size_t last;
    if (u->n_reads == 0) {
        return 0;
    }
    last = u->read_start[u->n_reads - 1];
    return strcmp(u->rx + last, result) == 0;
}

/* ---- whole transfers ---------------------------------------------------------------------- */

static void espota_paced_image_arrives_whole_and_restart_follows_ok_and_close(void)
{
    struct uploader_options o = upload_of(300000);
    struct mqttvpn_ota_stats s;
    char expected[2048];
    size_t n = 0, i;

    o.lockstep = 1;
    rec.on_restart = note_restart;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 60000));

    CHECK(fx.up.n_replies == 2);
    CHECK(strncmp(fx.up.replies[0], "AUTH ", 5) == 0);
    CHECK(strlen(fx.up.replies[0]) == 5 + 32 + strlen(" mqttvpn/1"));
    CHECK(strcmp(fx.up.replies[0] + 37, " mqttvpn/1") == 0);
    CHECK(strcmp(fx.up.replies[1], "OK") == 0);
    CHECK(fx.up.accepted == 1);
    /* One progress number per piece taken: espota.py's 1460-byte pieces, then "OK". */
    for (i = 0; i < 300000 / 1460; i++) {
        n += (size_t)sprintf(expected + n, "1460");
    }
    sprintf(expected + n, "%uOK", 300000u % 1460u);
    CHECK(strcmp(fx.up.rx, expected) == 0);
    CHECK(result_came_in_its_own_read(&fx.up, "OK"));
    CHECK(fx.restart_saw_ok_and_close);
    CHECK(rec.begins == 1 && rec.begin_size == 300000);
    CHECK(image_arrived_whole(300000));
    CHECK(rec.finishes == 1 && rec.aborts == 0 && rec.restarts == 1);
    s = stats();
    CHECK(s.invitations == 1 && s.completed == 1 && s.failed == 0 && s.auth_failed == 0 && s.refused == 0);
    CHECK(s.last_size == 300000 && s.last_received == 300000);
}

/* When the uploader first had "OK" (virtual time), for the test below. */
static uint32_t ok_seen_ms;
static void step_noting_ok(void)
{
    step();
    if (ok_seen_ms == 0 && uploader_rx_ends_with(&fx.up, "OK")) {
        ok_seen_ms = tp.now_ms;
    }
}

static void streamed_image_with_sha256_arrives_whole_checked_by_both_hashes(void)
{
    struct uploader_options o = upload_of(600000);

    o.sha256 = UPLOADER_SHA256;
    rec.on_restart = note_restart;
    ok_seen_ms = 0;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step_noting_ok, restarted, 60000));
    /* mqttvpn's uploader reads the stream as it comes: the result needs no quiet gap first. */
    CHECK(ok_seen_ms != 0 && ok_seen_ms - rec.finished_ms < 250u); /* ota.c: MQTTVPN_OTA_RESULT_GAP_MS */
    CHECK(uploader_last_reply_is(&fx.up, "OK"));
    CHECK(uploader_rx_ends_with(&fx.up, "OK"));
    CHECK(uploader_rx_progress_is_digits(&fx.up, 2));
    /* ...and a number per 64 KiB, not per piece: through the VPN each is a broker message. */
    CHECK(fx.up.n_reads <= 600000u / 65536u + 3u);
    CHECK(fx.restart_saw_ok_and_close);
    CHECK(image_arrived_whole(600000));
    CHECK(rec.finishes == 1 && rec.aborts == 0 && rec.restarts == 1);
    CHECK(stats().completed == 1);
    /* Hundreds of segments, a handful of log lines: nothing is logged per packet. */
    CHECK(rec.writes > 400);
    CHECK(tp.n_logs <= 8);
}

static void image_over_ipv6_connects_back_to_the_ipv6_uploader(void)
{
    struct uploader_options o = upload_of(50000);

    o.ipv6 = 1;
    o.sha256 = UPLOADER_SHA256;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 30000));
    CHECK(fx.up.accepted == 1);
    CHECK(uploader_rx_ends_with(&fx.up, "OK"));
    CHECK(image_arrived_whole(50000));
}

/* ---- flow control ------------------------------------------------------------------------- */

static void platform_taking_part_of_each_piece_still_gets_the_whole_image(void)
{
    struct uploader_options o = upload_of(30000);

    rec.take_at_most = 333; /* "no room for more now": the rest waits for the next segment or poll */
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    CHECK(image_arrived_whole(30000));
    CHECK(rec.writes >= 30000 / 333);
    CHECK(uploader_rx_ends_with(&fx.up, "OK"));
    CHECK(uploader_rx_progress_is_digits(&fx.up, 2));
}

static void stalled_platform_holds_the_uploader_to_a_window_and_poll_offers_the_rest(void)
{
    struct uploader_options o = upload_of(500000);
    uint32_t held;

    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 50000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    rec.stalled = 1;
    held = rec.written;
    CHECK(!wire_run(fx.ota, step, NULL, 5000));
    /* Nothing taken, so nothing given back to the window: the uploader stays within its own
     * send buffer plus our window of what was taken. */
    CHECK(rec.written == held);
    CHECK(fx.up.sent <= held + 2u * WINDOW);
    CHECK(fx.up.sent < 500000);
    CHECK(stats().busy && rec.aborts == 0);
    /* Room again: no segment arrives while the window is shut, so only poll can go on. */
    rec.stalled = 0;
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    CHECK(image_arrived_whole(500000));
    CHECK(rec.aborts == 0);
}

static void note_begin_md5(void)
{
    mqttvpn_ota_get_image_md5(fx.ota, fx.begin_md5);
}

static void image_md5_is_the_invitations_from_begin_to_the_last_byte(void)
{
    struct uploader_options o = upload_of(100000);
    char md5[33], want[33];

    md5_hex(want, fx.image, 100000);
    rec.on_begin = note_begin_md5;
    CHECK(start_receiver());
    mqttvpn_ota_get_image_md5(fx.ota, md5);
    CHECK(md5[0] == '\0');
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 10000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    CHECK(strcmp(fx.begin_md5, want) == 0);
    mqttvpn_ota_get_image_md5(fx.ota, md5);
    CHECK(strcmp(md5, want) == 0);
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    mqttvpn_ota_get_image_md5(fx.ota, md5);
    CHECK(md5[0] == '\0');
}

/* ---- authentication ----------------------------------------------------------------------- */

static void wrong_password_gets_authentication_failed_and_nothing_begins(void)
{
    struct uploader_options o = upload_of(10000);

    o.password = "Correct horse battery staple";
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_reply, 2000));
    CHECK(uploader_last_reply_is(&fx.up, "Authentication Failed"));
    CHECK(!wire_run(fx.ota, step, NULL, 3000));
    CHECK(fx.up.accepted == 0);
    CHECK(rec.begins == 0 && rec.writes == 0 && rec.aborts == 0);
    CHECK(stats().auth_failed == 1 && !stats().busy);
}

static void password_given_as_its_md5_is_accepted_in_either_case(void)
{
    struct mqttvpn_ota_config cfg;
    struct uploader_options o = upload_of(20000);
    char hash[33];
    err_t err = ERR_VAL;
    size_t i;

    md5_hex(hash, PASSWORD, strlen(PASSWORD));
    for (i = 0; i < 32; i++) {
        hash[i] = (char)(hash[i] >= 'a' ? hash[i] - 'a' + 'A' : hash[i]); /* as some tools print it */
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.password_md5 = hash;
    cfg.platform = &rec;
    fx.ota = mqttvpn_ota_start(&cfg, &err);
    CHECK(fx.ota != NULL && err == ERR_OK);
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 30000));
    CHECK(fx.up.n_replies == 2 && strcmp(fx.up.replies[1], "OK") == 0);
    CHECK(image_arrived_whole(20000));
}

static void password_md5_of_another_password_fails_authentication(void)
{
    struct mqttvpn_ota_config cfg;
    struct uploader_options o = upload_of(10000);
    char hash[33];
    err_t err = ERR_VAL;

    md5_hex(hash, "another password", 16);
    memset(&cfg, 0, sizeof(cfg));
    cfg.password_md5 = hash;
    cfg.platform = &rec;
    fx.ota = mqttvpn_ota_start(&cfg, &err);
    CHECK(fx.ota != NULL);
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_reply, 2000));
    CHECK(uploader_last_reply_is(&fx.up, "Authentication Failed"));
    CHECK(rec.begins == 0);
}

static void sha256_without_its_bound_cnonce_is_refused(void)
{
    struct uploader_options o = upload_of(10000);

    o.sha256 = UPLOADER_SHA256_UNBOUND;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_reply, 2000));
    CHECK(uploader_last_reply_is(&fx.up, "Authentication Failed"));
    CHECK(!wire_run(fx.ota, step, NULL, 3000));
    CHECK(fx.up.accepted == 0 && rec.begins == 0);
    CHECK(stats().auth_failed == 1);
}

static void only_the_inviting_socket_may_answer_the_challenge(void)
{
    struct uploader thief;
    char auth[200];

    CHECK(start_receiver());
    CHECK(start_probe(&fx.up, 0));
    uploader_send_datagram(&fx.up, "0 40999 1000 0cc175b9c0f1b6a831c399e269772661\n");
    CHECK(wire_run(fx.ota, NULL, up_has_reply, 1000) || fx.up.n_replies == 1);
    CHECK(fx.up.n_replies == 1 && strncmp(fx.up.replies[0], "AUTH ", 5) == 0);
    strcpy(auth, fx.up.replies[0]);

    /* The right answer, from another port: ignored. */
    CHECK(start_probe(&thief, 4));
    thief.o.image = fx.image;
    thief.o.size = 1000;
    thief.o.password = PASSWORD;
    uploader_answer_challenge(&thief, auth);
    wire_run(fx.ota, NULL, NULL, 500);
    CHECK(thief.n_replies == 0);
    CHECK(rec.begins == 0);
    /* The inviter may still answer. */
    fx.up.o.image = fx.image;
    fx.up.o.size = 1000;
    fx.up.o.password = PASSWORD;
    uploader_answer_challenge(&fx.up, auth);
    wire_run(fx.ota, NULL, NULL, 500);
    uploader_stop(&thief);
    CHECK(uploader_last_reply_is(&fx.up, "OK"));
    CHECK(rec.begins == 1);
}

static void nonce_is_16_bytes_of_the_platforms_random_source_fresh_per_invitation(void)
{
    CHECK(start_receiver());
    CHECK(start_probe(&fx.up, 0));
    tp.random[0] = 0x03020100u;
    tp.random[1] = 0x07060504u;
    tp.random[2] = 0x0b0a0908u;
    tp.random[3] = 0x0f0e0d0cu;
    tp.n_random = 4;
    uploader_send_datagram(&fx.up, "0 40999 1000 0cc175b9c0f1b6a831c399e269772661\n");
    wire_run(fx.ota, NULL, NULL, 100);
    CHECK(uploader_last_reply_is(&fx.up, "AUTH 000102030405060708090a0b0c0d0e0f mqttvpn/1"));
    wire_run(fx.ota, NULL, NULL, 10500); /* the invitation expires */
    tp.n_random = 0; /* libsodium's bytes: two invitations, two nonces */
    uploader_send_datagram(&fx.up, "0 40999 1000 0cc175b9c0f1b6a831c399e269772661\n");
    wire_run(fx.ota, NULL, NULL, 10500);
    uploader_send_datagram(&fx.up, "0 40999 1000 0cc175b9c0f1b6a831c399e269772661\n");
    wire_run(fx.ota, NULL, NULL, 10500);
    CHECK(fx.up.n_replies == 3);
    CHECK(strncmp(fx.up.replies[1], "AUTH ", 5) == 0 && strncmp(fx.up.replies[2], "AUTH ", 5) == 0);
    CHECK(strcmp(fx.up.replies[1], fx.up.replies[2]) != 0);
    /* Without random numbers there is no nonce, and no update. */
    tp.random_fails = 1;
    uploader_send_datagram(&fx.up, "0 40999 1000 0cc175b9c0f1b6a831c399e269772661\n");
    wire_run(fx.ota, NULL, NULL, 100);
    CHECK(uploader_last_reply_is(&fx.up, "ERR: no random numbers for a nonce"));
}

static void unanswered_invitation_keeps_others_busy_then_expires_after_10_s(void)
{
    CHECK(start_receiver());
    CHECK(start_probe(&fx.up, 0));
    CHECK(start_probe(&fx.other, 4));
    uploader_send_datagram(&fx.up, "0 40999 1000 0cc175b9c0f1b6a831c399e269772661\n");
    wire_run(fx.ota, NULL, NULL, 100);
    CHECK(fx.up.n_replies == 1 && strncmp(fx.up.replies[0], "AUTH ", 5) == 0);
    wire_run(fx.ota, NULL, NULL, 9000);
    uploader_send_datagram(&fx.other, "0 40998 1000 0cc175b9c0f1b6a831c399e269772661\n");
    CHECK(wire_run(fx.ota, NULL, other_has_reply, 200));
    CHECK(uploader_last_reply_is(&fx.other, "ERR: busy"));
    wire_run(fx.ota, NULL, NULL, 1500);
    uploader_send_datagram(&fx.other, "0 40998 1000 0cc175b9c0f1b6a831c399e269772661\n");
    wire_run(fx.ota, NULL, NULL, 200);
    CHECK(fx.other.n_replies == 2 && strncmp(fx.other.replies[1], "AUTH ", 5) == 0);
    CHECK(rec.begins == 0);
    CHECK(stats().invitations == 3 && stats().refused == 1);
}

/* ---- refusals ----------------------------------------------------------------------------- */

static void second_invitation_during_a_transfer_is_told_busy(void)
{
    struct uploader_options o = upload_of(300000), o2 = upload_of(1000);

    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 10000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    o2.tcp_port = (u16_t)(fx.port + 4u);
    o2.udp_port = (u16_t)(fx.port + 5u);
    CHECK(uploader_start(&fx.other, &o2));
    CHECK(wire_run(fx.ota, step, other_has_reply, 1000));
    CHECK(uploader_last_reply_is(&fx.other, "ERR: busy"));
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    CHECK(fx.other.accepted == 0);
    CHECK(image_arrived_whole(300000));
    CHECK(rec.begins == 1 && stats().refused == 1 && stats().invitations == 2);
}

static void image_larger_than_max_size_is_refused_and_max_size_is_taken(void)
{
    struct uploader_options o = upload_of(1001);

    CHECK(start_receiver_with("1", "a", 1000));
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_reply, 1000));
    CHECK(uploader_last_reply_is(&fx.up, "ERR: image too large: 1001 bytes, at most 1000"));
    CHECK(rec.begins == 0 && stats().refused == 1);
    uploader_stop(&fx.up);
    fx.port = (u16_t)(fx.port + 4u);
    o = upload_of(1000);
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 10000));
    CHECK(image_arrived_whole(1000));
}

static void file_system_image_is_refused(void)
{
    struct uploader_options o = upload_of(1000);

    o.command = 100;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_reply, 1000));
    CHECK(uploader_last_reply_is(&fx.up, "ERR: file system images are not supported"));
    CHECK(!wire_run(fx.ota, step, NULL, 1000));
    CHECK(rec.begins == 0 && fx.up.accepted == 0 && stats().refused == 1);
}

static void platform_refusing_to_begin_is_reported_and_nothing_connects(void)
{
    struct uploader_options o = upload_of(1000);

    rec.begin_refuses = "no free slot";
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_reply, 1000));
    CHECK(uploader_last_reply_is(&fx.up, "ERR: no free slot"));
    CHECK(!wire_run(fx.ota, step, NULL, 1000));
    CHECK(fx.up.accepted == 0 && rec.begins == 1 && rec.aborts == 0 && rec.writes == 0);
}

/* ---- the version query -------------------------------------------------------------------- */

static void version_query_is_answered_with_version_and_slot(void)
{
    CHECK(start_receiver());
    CHECK(start_probe(&fx.up, 0));
    uploader_send_datagram(&fx.up, "300\n");
    CHECK(wire_run(fx.ota, NULL, up_has_reply, 1000));
    CHECK(uploader_last_reply_is(&fx.up, "VERSION 1.2.3 b\n"));
    mqttvpn_ota_stop(fx.ota);
    CHECK(start_receiver_with(NULL, "", 0));
    uploader_send_datagram(&fx.up, "300");
    wire_run(fx.ota, NULL, NULL, 100);
    CHECK(fx.up.n_replies == 2 && uploader_last_reply_is(&fx.up, "VERSION - -\n"));
    CHECK(stats().invitations == 0);
}

/* ---- failed transfers --------------------------------------------------------------------- */

static void wrong_md5_ends_in_error_and_abort_without_finish(void)
{
    struct uploader_options o = upload_of(100000);

    o.wrong_md5 = 1;
    o.lockstep = 1;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_ended, 30000));
    CHECK(uploader_rx_ends_with(&fx.up, "ERROR: MD5 mismatch"));
    CHECK(uploader_rx_progress_is_digits(&fx.up, strlen("ERROR: MD5 mismatch")));
    CHECK(result_came_in_its_own_read(&fx.up, "ERROR: MD5 mismatch"));
    CHECK(!wire_run(fx.ota, step, NULL, 5000));
    CHECK(rec.aborts == 1 && rec.finishes == 0 && rec.restarts == 0);
    CHECK(stats().failed == 1 && stats().completed == 0 && !stats().busy);
}

static void wrong_sha256_ends_in_error_and_abort_without_finish(void)
{
    struct uploader_options o = upload_of(100000);

    o.sha256 = UPLOADER_SHA256_OF_OTHER;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_ended, 30000));
    CHECK(uploader_rx_ends_with(&fx.up, "ERROR: SHA-256 mismatch"));
    CHECK(!wire_run(fx.ota, step, NULL, 5000));
    CHECK(rec.written == 100000);
    CHECK(rec.aborts == 1 && rec.finishes == 0 && rec.restarts == 0);
}

static void failing_write_ends_in_error_and_abort(void)
{
    struct uploader_options o = upload_of(100000);

    rec.write_fails = 1;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, not_busy, 10000) || stats().failed == 1);
    wire_run(fx.ota, step, NULL, 1000);
    CHECK(strstr(fx.up.rx, "ERROR: the image could not be written") != NULL);
    CHECK(rec.aborts == 1 && rec.finishes == 0 && stats().failed == 1);
}

static void finish_not_ready_is_asked_again_from_poll(void)
{
    struct uploader_options o = upload_of(20000);

    rec.finish_not_yet = 3;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 10000));
    CHECK(rec.finishes == 4 && rec.aborts == 0);
    CHECK(uploader_rx_ends_with(&fx.up, "OK"));
}

static void finish_refused_ends_in_error_and_abort(void)
{
    struct uploader_options o = upload_of(20000);

    rec.finish_refuses = "flash check failed";
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_ended, 10000));
    CHECK(uploader_rx_ends_with(&fx.up, "ERROR: flash check failed"));
    CHECK(!wire_run(fx.ota, step, NULL, 3000));
    CHECK(rec.finishes == 1 && rec.aborts == 1 && rec.restarts == 0);
}

static void more_data_than_announced_is_an_error(void)
{
    struct uploader_options o = upload_of(14600);

    o.announce_size = 14500; /* the last of ten 1460-byte pieces runs past it */
    o.lockstep = 1;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_ended, 10000));
    CHECK(uploader_rx_ends_with(&fx.up, "ERROR: more data than the invitation's size"));
    CHECK(rec.aborts == 1 && rec.finishes == 0);
}

static void uploader_cut_midway_aborts_and_a_later_transfer_succeeds(void)
{
    struct uploader_options o = upload_of(300000);

    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 100000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    uploader_abort(&fx.up);
    CHECK(wire_run(fx.ota, step, not_busy, 1000));
    CHECK(rec.aborts == 1 && rec.finishes == 0 && stats().failed == 1);
    CHECK(stats().last_received < 300000);

    uploader_stop(&fx.up);
    fx.port = (u16_t)(fx.port + 4u);
    o = upload_of(300000);
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    CHECK(image_arrived_whole(300000));
    CHECK(rec.begins == 2 && rec.aborts == 1 && stats().completed == 1);
}

static void uploader_falling_silent_times_out_and_a_later_transfer_succeeds(void)
{
    struct uploader_options o = upload_of(300000);

    o.stop_after = 100000;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 100000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    CHECK(!wire_run(fx.ota, step, NULL, 9000));
    CHECK(rec.aborts == 0 && stats().busy);
    CHECK(wire_run(fx.ota, step, not_busy, 2000));
    CHECK(rec.aborts == 1 && rec.finishes == 0 && stats().failed == 1);
    wire_run(fx.ota, step, NULL, 1000);
    CHECK(strstr(fx.up.rx, "ERROR: timed out waiting for data") != NULL);

    uploader_stop(&fx.up);
    fx.port = (u16_t)(fx.port + 4u);
    o = upload_of(300000);
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    CHECK(image_arrived_whole(300000));
}

static void uploader_unreachable_on_the_wire_times_out_and_aborts(void)
{
    struct uploader_options o = upload_of(300000);

    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 50000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    wire_set_cut(1);
    CHECK(!wire_run(fx.ota, step, NULL, 9000));
    CHECK(rec.aborts == 0 && stats().busy);
    /* The idle time-out aborts; the "ERROR" that cannot arrive is given up 2 s later. */
    CHECK(wire_run(fx.ota, step, not_busy, 4000));
    CHECK(rec.aborts == 1 && rec.finishes == 0 && rec.restarts == 0 && stats().failed == 1);
}

/* ---- the end of a transfer ---------------------------------------------------------------- */

static int up_has_ok(void)
{
    return uploader_rx_ends_with(&fx.up, "OK");
}

static void restart_waits_for_the_uploader_to_close_or_a_short_time(void)
{
    struct uploader_options o = upload_of(20000);

    o.keep_open = 1;
    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, up_has_ok, 5000));
    CHECK(!wire_run(fx.ota, step, restarted, 1700));
    CHECK(fx.up.peer_closed); /* "OK", then the device's FIN */
    CHECK(rec.restarts == 0);
    CHECK(wire_run(fx.ota, step, restarted, 600));
    wire_run(fx.ota, step, NULL, 3000);
    CHECK(rec.restarts == 1);
    CHECK(stats().invitations == 1 && stats().completed == 1);
}

static void invitation_after_the_restart_hook_is_told_busy(void)
{
    struct uploader_options o = upload_of(20000);

    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 10000));
    CHECK(start_probe(&fx.other, 4));
    uploader_send_datagram(&fx.other, "0 40998 1000 0cc175b9c0f1b6a831c399e269772661\n");
    CHECK(wire_run(fx.ota, NULL, other_has_reply, 500));
    CHECK(uploader_last_reply_is(&fx.other, "ERR: busy"));
    CHECK(rec.begins == 1);
}

static void stop_during_a_transfer_aborts_and_the_port_can_be_used_again(void)
{
    struct uploader_options o = upload_of(300000);

    CHECK(start_receiver());
    CHECK(uploader_start(&fx.up, &o));
    written_goal = 50000;
    CHECK(wire_run(fx.ota, step, written_reached, 30000));
    mqttvpn_ota_stop(fx.ota);
    fx.ota = NULL;
    CHECK(rec.aborts == 1 && rec.finishes == 0);
    wire_run(NULL, step, NULL, 1000);
    CHECK(fx.up.reset);

    uploader_stop(&fx.up);
    fx.port = (u16_t)(fx.port + 4u);
    CHECK(start_receiver());
    o = upload_of(300000);
    CHECK(uploader_start(&fx.up, &o));
    CHECK(wire_run(fx.ota, step, restarted, 60000));
    CHECK(image_arrived_whole(300000));
    mqttvpn_ota_stop(fx.ota);
    fx.ota = NULL;
    CHECK(rec.aborts == 1); /* a finished image is not the platform's to forget */
}

/* ---- start and probation ------------------------------------------------------------------ */

static void start_refuses_a_missing_password_bad_texts_and_a_taken_port(void)
{
    static const char long_text[] = "0123456789012345678901234567890123456789012345678"; /* 49 */
    struct mqttvpn_ota_config cfg;
    struct mqttvpn_ota *second;
    err_t err = ERR_OK;

    memset(&cfg, 0, sizeof(cfg));
    cfg.platform = &rec;
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.password = "";
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.password_md5 = "";
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.password_md5 = "5ebe2294ecd0e0f08eab7690d2a6ee6"; /* 31 digits */
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.password_md5 = "5ebe2294ecd0e0f08eab7690d2a6ee69";
    cfg.password = PASSWORD; /* both: which one counts? neither */
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.password_md5 = NULL;
    cfg.version = "1.2 beta";
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.version = long_text;
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.version = long_text + 1; /* 48: the most there is room for */
    cfg.slot = "a\n";
    CHECK(mqttvpn_ota_start(&cfg, &err) == NULL && err == ERR_ARG);
    cfg.slot = "ota_0";
    fx.ota = mqttvpn_ota_start(&cfg, &err);
    CHECK(fx.ota != NULL && err == ERR_OK);
    second = mqttvpn_ota_start(&cfg, &err);
    CHECK(second == NULL && err == ERR_USE);
}

static void probation_ends_good_once_connected_with_a_frame_or_rolls_back_at_the_deadline(void)
{
    struct mqttvpn_ota_probation p;

    memset(&p, 0, sizeof(p));
    CHECK(mqttvpn_ota_probation_poll(&p, 5, 0, 0) == MQTTVPN_OTA_GOOD); /* never started */

    mqttvpn_ota_probation_start(&p, 1000, 0); /* default: 120 s */
    CHECK(mqttvpn_ota_probation_poll(&p, 1000, 0, 0) == MQTTVPN_OTA_ON_PROBATION);
    CHECK(mqttvpn_ota_probation_poll(&p, 60000, 1, 0) == MQTTVPN_OTA_ON_PROBATION); /* no frame yet */
    CHECK(mqttvpn_ota_probation_poll(&p, 60000, 0, 3) == MQTTVPN_OTA_ON_PROBATION); /* not connected */
    CHECK(mqttvpn_ota_probation_poll(&p, 120999, 0, 0) == MQTTVPN_OTA_ON_PROBATION);
    CHECK(mqttvpn_ota_probation_poll(&p, 121000, 0, 0) == MQTTVPN_OTA_ROLL_BACK);
    CHECK(!p.active);
    CHECK(mqttvpn_ota_probation_poll(&p, 121100, 0, 0) == MQTTVPN_OTA_GOOD); /* over */

    mqttvpn_ota_probation_start(&p, 0xfffff000u, 10000); /* the deadline wraps past 2^32 */
    CHECK(mqttvpn_ota_probation_poll(&p, 0xffffff00u, 0, 0) == MQTTVPN_OTA_ON_PROBATION);
    CHECK(mqttvpn_ota_probation_poll(&p, 0x00001000u, 0, 0) == MQTTVPN_OTA_ON_PROBATION);
    CHECK(mqttvpn_ota_probation_poll(&p, 0x00001100u, 1, 1) == MQTTVPN_OTA_GOOD);
    CHECK(!p.active);
    CHECK(mqttvpn_ota_probation_poll(&p, 0x00009000u, 0, 0) == MQTTVPN_OTA_GOOD);

    mqttvpn_ota_probation_start(&p, 0xfffff000u, 10000);
    CHECK(mqttvpn_ota_probation_poll(&p, 0x00001800u, 0, 0) == MQTTVPN_OTA_ROLL_BACK);
}

/* ---- runner ------------------------------------------------------------------------------- */

static const struct test_case tests[] = {
    TEST(espota_paced_image_arrives_whole_and_restart_follows_ok_and_close),
    TEST(streamed_image_with_sha256_arrives_whole_checked_by_both_hashes),
    TEST(image_over_ipv6_connects_back_to_the_ipv6_uploader),
    TEST(platform_taking_part_of_each_piece_still_gets_the_whole_image),
    TEST(stalled_platform_holds_the_uploader_to_a_window_and_poll_offers_the_rest),
    TEST(image_md5_is_the_invitations_from_begin_to_the_last_byte),
    TEST(wrong_password_gets_authentication_failed_and_nothing_begins),
    TEST(password_given_as_its_md5_is_accepted_in_either_case),
    TEST(password_md5_of_another_password_fails_authentication),
    TEST(sha256_without_its_bound_cnonce_is_refused),
    TEST(only_the_inviting_socket_may_answer_the_challenge),
    TEST(nonce_is_16_bytes_of_the_platforms_random_source_fresh_per_invitation),
    TEST(unanswered_invitation_keeps_others_busy_then_expires_after_10_s),
    TEST(second_invitation_during_a_transfer_is_told_busy),
    TEST(image_larger_than_max_size_is_refused_and_max_size_is_taken),
    TEST(file_system_image_is_refused),
    TEST(platform_refusing_to_begin_is_reported_and_nothing_connects),
    TEST(version_query_is_answered_with_version_and_slot),
    TEST(wrong_md5_ends_in_error_and_abort_without_finish),
    TEST(wrong_sha256_ends_in_error_and_abort_without_finish),
    TEST(failing_write_ends_in_error_and_abort),
    TEST(finish_not_ready_is_asked_again_from_poll),
    TEST(finish_refused_ends_in_error_and_abort),
    TEST(more_data_than_announced_is_an_error),
    TEST(uploader_cut_midway_aborts_and_a_later_transfer_succeeds),
    TEST(uploader_falling_silent_times_out_and_a_later_transfer_succeeds),
    TEST(uploader_unreachable_on_the_wire_times_out_and_aborts),
    TEST(restart_waits_for_the_uploader_to_close_or_a_short_time),
    TEST(invitation_after_the_restart_hook_is_told_busy),
    TEST(stop_during_a_transfer_aborts_and_the_port_can_be_used_again),
    TEST(start_refuses_a_missing_password_bad_texts_and_a_taken_port),
    TEST(probation_ends_good_once_connected_with_a_frame_or_rolls_back_at_the_deadline),
};

int main(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    lwip_init();
    fx.port = 40000;
    return run_tests("ota", tests, sizeof(tests) / sizeof(tests[0]), before, after);
}
