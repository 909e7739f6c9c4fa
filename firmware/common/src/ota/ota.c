/*
 * The OTA receiver (include/mqttvpn/ota.h): the espota protocol of OTA-PROTOCOL.md on lwIP's
 * raw API. Every entry point runs in the core context.
 *
 *   IDLE --invitation--> WAIT_AUTH --auth, begin--> CONNECTING --connected--> RECEIVING
 *   RECEIVING --all bytes, hashes match--> FINISHING --finish--> REPORTING "OK" --> CLOSING
 *   CLOSING --uploader closed--> RESTART_DUE --poll--> RESTARTING
 *   any failure --> abort hook, then REPORTING "ERROR: ..." when the uploader can still read
 *   it, else straight to IDLE.
 *
 * Flow control: received pbufs are kept until the write hook has taken their bytes, and only
 * what it took is given back to the TCP window (tcp_recved), so a slow platform holds the
 * uploader back and the receiver never holds more than one window.
 */
#include "mqttvpn/ota.h"

#include <string.h>

#include "lwip/ip_addr.h"
#include "lwip/mem.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "md5.h"
#include "mqttvpn/hooks.h"
#include "ota_auth.h"
#include "ota_lines.h"
#include "sha256.h"
#include "wipe.h"

#if !LWIP_TCP || !LWIP_UDP
#error "the OTA receiver needs LWIP_TCP and LWIP_UDP"
#endif

#ifndef MQTTVPN_OTA_AUTH_TIMEOUT_MS
#define MQTTVPN_OTA_AUTH_TIMEOUT_MS 10000u /* time for the authentication message (OTA-PROTOCOL.md); -D */
#endif
#ifndef MQTTVPN_OTA_IDLE_TIMEOUT_MS
#define MQTTVPN_OTA_IDLE_TIMEOUT_MS 10000u /* cfg->idle_timeout_ms when 0; override with -D */
#endif
#ifndef MQTTVPN_OTA_STREAM_REPORT
#define MQTTVPN_OTA_STREAM_REPORT 65536u /* bytes per progress number to mqttvpn's uploader; -D */
#endif
#ifndef MQTTVPN_OTA_RESULT_GAP_MS
#define MQTTVPN_OTA_RESULT_GAP_MS 250u /* quiet time between the last progress number and the result; -D */
#endif
#ifndef MQTTVPN_OTA_CLOSE_WAIT_MS
#define MQTTVPN_OTA_CLOSE_WAIT_MS 2000u /* after "OK": restart even if the uploader keeps the connection;
                                          * an "ERROR" nobody acknowledges is given up after it too; -D */
#endif

/* The longest request is an authentication with a SHA-256: 136 bytes with "\r\n". */
#define OTA_REQUEST_MAX 160u
/* Replies and results; a platform's reason is cut to fit. */
#define OTA_LINE_MAX 160u
#define OTA_NONCE_BYTES 16u
#define OTA_CAPABILITY " mqttvpn/1"

const char MQTTVPN_OTA_NOT_YET[] = "not yet";

enum ota_state {
    OTA_IDLE,
    OTA_WAIT_AUTH,   /* "AUTH <nonce>" sent to the inviter */
    OTA_CONNECTING,  /* authenticated, begin hook done: connecting back to the uploader */
    OTA_RECEIVING,
    OTA_FINISHING,   /* every byte written, hashes match: the finish hook said not yet */
    OTA_REPORTING,   /* the result ("OK" or "ERROR: ...") waits for the gap */
    OTA_CLOSING,     /* "OK" sent: waiting for the uploader to close */
    OTA_RESTART_DUE, /* closed: the next poll restarts */
    OTA_RESTARTING   /* the restart hook ran */
};

/* A line of text being built for a reply or result. */
struct ota_line {
    char text[OTA_LINE_MAX];
    size_t len;
};

struct mqttvpn_ota {
    struct udp_pcb *udp;
    struct tcp_pcb *tcp;
    enum ota_state state;
    uint32_t wait_start_ms;   /* when the state's time-out started: invitation, last progress, "OK" */

    /* configuration */
    char password_hash[MQTTVPN_OTA_HEX_MD5];
    char version[MQTTVPN_OTA_TEXT_MAX + 1];
    char slot[MQTTVPN_OTA_TEXT_MAX + 1];
    uint32_t max_size;
    uint32_t idle_timeout_ms;
    void *platform;

    /* the invitation being served */
    ip_addr_t peer;
    u16_t peer_udp_port;
    char peer_text[IPADDR_STRLEN_MAX];
    struct mqttvpn_ota_invitation inv;
    char nonce[MQTTVPN_OTA_HEX_MD5];
    uint8_t has_sha256;
    uint8_t sha256[MQTTVPN_SHA256_BYTES];

    /* the transfer */
    uint8_t begun;            /* the begin hook said yes and no finish yet: abort is owed */
    uint8_t succeeded;        /* the finish hook said yes: the result is "OK", a restart follows */
    uint32_t received;        /* bytes that came over TCP */
    uint32_t written;         /* bytes the write hook took */
    struct pbuf *pending;     /* received, not yet taken; see ota_pending_append */
    struct pbuf *pending_tail;
    uint32_t pending_len;
    uint32_t unreported;      /* bytes taken whose progress number is not queued yet */
    uint32_t last_report_ms;  /* when the last progress number was queued */
    struct ota_line result;
    mqttvpn_md5_t md5;
    mqttvpn_sha256_t sha;

    struct mqttvpn_ota_stats stats;
};

static err_t ota_feed(struct mqttvpn_ota *ota);

/* Time since an event, 0 when the event looks later than now: callbacks read the platform's
 * clock themselves, mqttvpn_ota_poll gets now_ms from its caller, which may lag behind. */
static uint32_t ota_elapsed(uint32_t now_ms, uint32_t since_ms)
{
    uint32_t d = now_ms - since_ms;
    return (int32_t)d < 0 ? 0u : d;
}

/* ---- text ------------------------------------------------------------------------------- */

static void line_put_n(struct ota_line *l, const char *s, size_t n)
{
    while (n-- > 0 && *s != '\0' && l->len < sizeof l->text) {
        l->text[l->len++] = *s++;
    }
}

static void line_put(struct ota_line *l, const char *s)
{
    line_put_n(l, s, sizeof l->text);
}

static void line_put_u32(struct ota_line *l, uint32_t v)
{
    char digits[MQTTVPN_OTA_DECIMAL_MAX];
    size_t n = mqttvpn_ota_decimal(digits, v);
    line_put_n(l, digits, n);
}

/* Version and slot travel as words of the query's answer. */
static int text_is_word(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++, n++) {
        if ((unsigned char)*s <= ' ' || (unsigned char)*s == 0x7f || n == MQTTVPN_OTA_TEXT_MAX) {
            return 0;
        }
    }
    return 1;
}

/* ---- UDP: invitation, authentication, version query --------------------------------------- */

static void ota_send_line(struct mqttvpn_ota *ota, const struct ota_line *l, const ip_addr_t *addr, u16_t port)
{
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)l->len, PBUF_RAM);
    if (p == NULL) {
        return; /* the uploader times out and may try again */
    }
    (void)pbuf_take(p, l->text, (u16_t)l->len);
    (void)udp_sendto(ota->udp, p, addr, port);
    pbuf_free(p);
}

static void ota_answer_version(struct mqttvpn_ota *ota, const ip_addr_t *addr, u16_t port)
{
    struct ota_line l = {{0}, 0};

    line_put(&l, "VERSION ");
    line_put(&l, ota->version[0] != '\0' ? ota->version : "-");
    line_put(&l, " ");
    line_put(&l, ota->slot[0] != '\0' ? ota->slot : "-");
    line_put(&l, "\n");
    ota_send_line(ota, &l, addr, port);
}

/* "ERR: <why>[<number>...]": the device cannot take this image (OTA-PROTOCOL.md, step 2). */
static void ota_refuse(struct mqttvpn_ota *ota, const ip_addr_t *addr, u16_t port, const char *why)
{
    struct ota_line l = {{0}, 0};

    line_put(&l, "ERR: ");
    line_put(&l, why);
    ota_send_line(ota, &l, addr, port);
    ota->stats.refused++;
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "ota: invitation refused: %.*s", (int)l.len, l.text);
}

static void ota_invitation(struct mqttvpn_ota *ota, const struct mqttvpn_ota_invitation *inv,
                           const ip_addr_t *addr, u16_t port)
{
    uint8_t nonce[OTA_NONCE_BYTES];
    struct ota_line l = {{0}, 0};

    ota->stats.invitations++;
    if (ota->state != OTA_IDLE) {
        ota_refuse(ota, addr, port, "busy");
        return;
    }
    if (inv->command == MQTTVPN_OTA_CMD_FS) {
        ota_refuse(ota, addr, port, "file system images are not supported");
        return;
    }
    if (inv->size == 0) {
        ota_refuse(ota, addr, port, "the image is empty");
        return;
    }
    if (inv->size > ota->max_size) {
        struct ota_line why = {{0}, 0};
        line_put(&why, "image too large: ");
        line_put_u32(&why, inv->size);
        line_put(&why, " bytes, at most ");
        line_put_u32(&why, ota->max_size);
        why.text[why.len < sizeof why.text ? why.len : sizeof why.text - 1] = '\0';
        ota_refuse(ota, addr, port, why.text);
        return;
    }
    if (!mqttvpn_hook_random(nonce, sizeof nonce)) {
        ota_refuse(ota, addr, port, "no random numbers for a nonce");
        return;
    }
    mqttvpn_ota_hex(ota->nonce, nonce, sizeof nonce);
    ota->inv = *inv;
    ip_addr_copy(ota->peer, *addr);
    ota->peer_udp_port = port;
    (void)ipaddr_ntoa_r(addr, ota->peer_text, sizeof ota->peer_text);
    ota->state = OTA_WAIT_AUTH;
    ota->wait_start_ms = mqttvpn_hook_now_ms();

    line_put(&l, "AUTH ");
    line_put_n(&l, ota->nonce, sizeof ota->nonce);
    line_put(&l, OTA_CAPABILITY);
    ota_send_line(ota, &l, addr, port);
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "ota: invitation from %s for %lu bytes; waiting for authentication",
                ota->peer_text, (unsigned long)inv->size);
}

static void ota_auth_failed(struct mqttvpn_ota *ota, const char *why)
{
    struct ota_line l = {{0}, 0};

    line_put(&l, "Authentication Failed");
    ota_send_line(ota, &l, &ota->peer, ota->peer_udp_port);
    ota->stats.auth_failed++;
    ota->state = OTA_IDLE;
    MQTTVPN_LOG(MQTTVPN_LOG_WARN, "ota: authentication from %s failed: %s", ota->peer_text, why);
}

/* ---- TCP: the connection back to the uploader ---------------------------------------------- */

static void ota_tcp_detach(struct mqttvpn_ota *ota)
{
    struct tcp_pcb *pcb = ota->tcp;
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    ota->tcp = NULL;
}

/*
 * Received pbufs wait in one chain. Its head's u16_t tot_len would overflow with a window
 * larger than 64 KiB, so the chain's length is kept in pending_len and only each pbuf's own
 * len is read; the tail is kept so that appending costs nothing.
 */
static void ota_pending_append(struct mqttvpn_ota *ota, struct pbuf *p)
{
    struct pbuf *last = p;

    while (last->next != NULL) {
        last = last->next;
    }
    if (ota->pending == NULL) {
        ota->pending = p;
    } else {
        pbuf_cat(ota->pending_tail, p); /* the chain takes over our reference to p */
    }
    ota->pending_tail = last;
    ota->pending_len += p->tot_len;
}

/* Drops n bytes (at most the head pbuf's len) from the front of the chain. */
static void ota_pending_consume(struct mqttvpn_ota *ota, u16_t n)
{
    struct pbuf *head = ota->pending;

    ota->pending_len -= n;
    if (n < head->len) {
        (void)pbuf_remove_header(head, n);
        return;
    }
    ota->pending = head->next;
    head->next = NULL; /* else pbuf_free would walk on into the rest, which is still ours */
    pbuf_free(head);
    if (ota->pending == NULL) {
        ota->pending_tail = NULL;
    }
}

/* Frees what is waiting and opens the window for it, so that a close is a FIN, not a RST
 * (lwIP resets a connection closed with data the application has not taken). */
static void ota_pending_release(struct mqttvpn_ota *ota)
{
    if (ota->tcp != NULL) {
        uint32_t left = ota->pending_len;
        while (left > 0) {
            u16_t n = left > 0xffffu ? 0xffffu : (u16_t)left;
            tcp_recved(ota->tcp, n);
            left -= n;
        }
    }
    if (ota->pending != NULL) {
        pbuf_free(ota->pending);
    }
    ota->pending = NULL;
    ota->pending_tail = NULL;
    ota->pending_len = 0;
}

/* Closes the connection (gracefully: what is queued still goes out) and moves to next.
 * Returns ERR_ABRT when lwIP could not close it and it had to be aborted. */
static err_t ota_close_connection(struct mqttvpn_ota *ota, enum ota_state next)
{
    err_t ret = ERR_OK;

    ota_pending_release(ota);
    if (ota->tcp != NULL) {
        struct tcp_pcb *pcb = ota->tcp;
        ota_tcp_detach(ota);
        if (tcp_close(pcb) != ERR_OK) {
            tcp_abort(pcb);
            ret = ERR_ABRT;
        }
    }
    ota->state = next;
    return ret;
}

/* Ends the connection at once (RST): the uploader is gone or never connected. */
static err_t ota_drop_connection(struct mqttvpn_ota *ota, enum ota_state next)
{
    err_t ret = ERR_OK;

    ota_pending_release(ota);
    if (ota->tcp != NULL) {
        struct tcp_pcb *pcb = ota->tcp;
        ota_tcp_detach(ota);
        tcp_abort(pcb);
        ret = ERR_ABRT;
    }
    ota->state = next;
    return ret;
}

/*
 * Queues the progress numbers owed; one that cannot be queued now is added to the next. espota.py
 * needs one after every piece (it reads once per piece). mqttvpn's uploader (it sent a SHA-256)
 * does not read them: it gets one per MQTTVPN_OTA_STREAM_REPORT bytes, since each number is a
 * segment, and through the VPN each segment is a broker message (taken 0: report what is owed).
 */
static void ota_report_progress(struct mqttvpn_ota *ota, uint32_t taken)
{
    char digits[MQTTVPN_OTA_DECIMAL_MAX];
    uint32_t n = ota->unreported + taken;
    size_t len;

    if (n == 0) {
        return;
    }
    if (ota->has_sha256 && taken != 0 && n < MQTTVPN_OTA_STREAM_REPORT) {
        ota->unreported = n;
        return;
    }
    len = mqttvpn_ota_decimal(digits, n);
    if (tcp_write(ota->tcp, digits, (u16_t)len, TCP_WRITE_FLAG_COPY) == ERR_OK) {
        ota->unreported = 0;
        ota->last_report_ms = mqttvpn_hook_now_ms();
    } else {
        ota->unreported = n;
    }
}

/*
 * Sends the result once the uploader's TCP has every progress number and the gap has passed:
 * espota.py sends a piece and reads once, then after the last piece reads until it sees "O" or
 * "E"; a result that arrived in the same read as the last number would be missed, and it would
 * wait forever. An uploader that sent a SHA-256 is mqttvpn's, which reads the stream as it comes
 * and looks for "O"/"E" anywhere (OTA-PROTOCOL.md §3): it gets the result at once. After "OK" the
 * connection is half-closed and the uploader closes it; after an error it is closed.
 */
static err_t ota_send_result(struct mqttvpn_ota *ota, uint32_t now_ms)
{
    if (ota->state != OTA_REPORTING || ota->tcp == NULL) {
        return ERR_OK;
    }
    ota_report_progress(ota, 0);
    if (!ota->has_sha256 && (ota->unreported != 0 || tcp_sndqueuelen(ota->tcp) != 0 ||
                             ota_elapsed(now_ms, ota->last_report_ms) < MQTTVPN_OTA_RESULT_GAP_MS)) {
        return ERR_OK;
    }
    if (tcp_write(ota->tcp, ota->result.text, (u16_t)ota->result.len, TCP_WRITE_FLAG_COPY) != ERR_OK) {
        return ERR_OK; /* no room now: the next poll tries again */
    }
    if (!ota->succeeded) {
        return ota_close_connection(ota, OTA_IDLE);
    }
    (void)tcp_shutdown(ota->tcp, 0, 1); /* a FIN after "OK"; without memory for it, "OK" still goes */
    (void)tcp_output(ota->tcp);
    ota->state = OTA_CLOSING;
    ota->wait_start_ms = now_ms;
    return ERR_OK;
}

/*
 * Ends a transfer that failed: the platform forgets the partial image at once; the uploader
 * gets "ERROR: <reason>" when it can still read it (report), else the connection just ends.
 * Returns ERR_ABRT when the connection had to be aborted (for lwIP callbacks).
 */
static err_t ota_fail(struct mqttvpn_ota *ota, const char *reason, int report)
{
    MQTTVPN_LOG(MQTTVPN_LOG_WARN, "ota: transfer from %s failed after %lu of %lu bytes: %s", ota->peer_text,
                (unsigned long)ota->written, (unsigned long)ota->inv.size, reason);
    ota->stats.failed++;
    ota->stats.last_received = ota->written;
    if (ota->begun) {
        ota->begun = 0;
        mqttvpn_hook_ota_abort(ota->platform);
    }
    if (!report || ota->tcp == NULL || (ota->state != OTA_RECEIVING && ota->state != OTA_FINISHING)) {
        return ota_drop_connection(ota, OTA_IDLE);
    }
    ota_pending_release(ota);
    ota->result.len = 0;
    line_put(&ota->result, "ERROR: ");
    line_put(&ota->result, reason);
    ota->state = OTA_REPORTING;
    ota->wait_start_ms = mqttvpn_hook_now_ms();
    return ota_send_result(ota, ota->wait_start_ms);
}

static err_t ota_finish(struct mqttvpn_ota *ota)
{
    const char *reason = mqttvpn_hook_ota_finish(ota->platform);

    if (reason == MQTTVPN_OTA_NOT_YET) {
        return ERR_OK;
    }
    if (reason != NULL) {
        return ota_fail(ota, reason, 1);
    }
    ota->begun = 0; /* the image is the next boot now: nothing to abort */
    ota->succeeded = 1;
    ota->stats.completed++;
    ota->result.len = 0;
    line_put(&ota->result, "OK");
    ota->state = OTA_REPORTING;
    ota->wait_start_ms = mqttvpn_hook_now_ms();
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "ota: image of %lu bytes from %s written and verified%s",
                (unsigned long)ota->inv.size, ota->peer_text, ota->has_sha256 ? " (MD5, SHA-256)" : " (MD5)");
    return ota_send_result(ota, ota->wait_start_ms);
}

static err_t ota_verify(struct mqttvpn_ota *ota)
{
    uint8_t md5[MQTTVPN_MD5_BYTES], sha[MQTTVPN_SHA256_BYTES];

    mqttvpn_md5_final(&ota->md5, md5);
    if (!mqttvpn_ota_equal(md5, ota->inv.md5, sizeof md5)) {
        return ota_fail(ota, "MD5 mismatch", 1);
    }
    if (ota->has_sha256) {
        mqttvpn_sha256_final(&ota->sha, sha);
        if (!mqttvpn_ota_equal(sha, ota->sha256, sizeof sha)) {
            return ota_fail(ota, "SHA-256 mismatch", 1);
        }
    }
    ota->state = OTA_FINISHING;
    ota->wait_start_ms = mqttvpn_hook_now_ms();
    return ota_finish(ota);
}

/* Offers what is waiting to the write hook until it has no room; hashes and acknowledges
 * what it took. No allocation, no log: this runs for every segment. */
static err_t ota_feed(struct mqttvpn_ota *ota)
{
    int took = 0;

    while (ota->pending != NULL && ota->state == OTA_RECEIVING) {
        struct pbuf *head = ota->pending;
        long n = 0;

        if (head->len > 0) {
            n = mqttvpn_hook_ota_write(ota->platform, (const uint8_t *)head->payload, head->len);
            if (n < 0 || n > (long)head->len) {
                return ota_fail(ota, "the image could not be written", 1);
            }
            if (n == 0) {
                break;
            }
            mqttvpn_md5_update(&ota->md5, (const uint8_t *)head->payload, (size_t)n);
            if (ota->has_sha256) {
                mqttvpn_sha256_update(&ota->sha, (const uint8_t *)head->payload, (size_t)n);
            }
            ota->written += (uint32_t)n;
            tcp_recved(ota->tcp, (u16_t)n);
            ota_report_progress(ota, (uint32_t)n);
            took = 1;
        }
        if (n < (long)head->len) {
            ota_pending_consume(ota, (u16_t)n);
            break; /* the platform has no room for the rest now: mqttvpn_ota_poll offers it again */
        }
        ota_pending_consume(ota, head->len);
    }
    if (took) {
        ota->stats.last_received = ota->written;
        ota->wait_start_ms = mqttvpn_hook_now_ms();
        (void)tcp_output(ota->tcp);
    }
    if (ota->state == OTA_RECEIVING && ota->written == ota->inv.size) {
        return ota_verify(ota);
    }
    return ERR_OK;
}

static err_t ota_peer_closed(struct mqttvpn_ota *ota)
{
    switch (ota->state) {
    case OTA_RECEIVING:
    case OTA_FINISHING:
        if (ota->received < ota->inv.size) {
            return ota_fail(ota, "the uploader closed the connection early", 0);
        }
        return ERR_OK; /* all sent, half-closed: the result can still go back */
    case OTA_CLOSING:
        return ota_close_connection(ota, OTA_RESTART_DUE);
    default:
        return ERR_OK;
    }
}

static err_t ota_tcp_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct mqttvpn_ota *ota = arg;

    if (p == NULL) {
        return ota_peer_closed(ota);
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    if (ota->state != OTA_RECEIVING && ota->state != OTA_FINISHING) {
        /* After the result: nothing more is expected; keep the window open. */
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
        return ERR_OK;
    }
    if (p->tot_len > ota->inv.size - ota->received) {
        tcp_recved(pcb, p->tot_len); /* taken, so that the close after the error is no RST */
        pbuf_free(p);
        return ota_fail(ota, "more data than the invitation's size", 1);
    }
    ota->received += p->tot_len;
    ota->wait_start_ms = mqttvpn_hook_now_ms();
    ota_pending_append(ota, p);
    return ota_feed(ota);
}

static err_t ota_tcp_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    struct mqttvpn_ota *ota = arg;
    LWIP_UNUSED_ARG(pcb);
    LWIP_UNUSED_ARG(len);
    return ota_send_result(ota, mqttvpn_hook_now_ms());
}

/* lwIP has freed the pcb (reset, or the last ACK after both sides closed). */
static void ota_tcp_err(void *arg, err_t err)
{
    struct mqttvpn_ota *ota = arg;

    ota->tcp = NULL;
    switch (ota->state) {
    case OTA_CONNECTING:
    case OTA_RECEIVING:
    case OTA_FINISHING:
        (void)ota_fail(ota, err == ERR_RST ? "the uploader reset the connection" : "the connection was lost", 0);
        break;
    case OTA_REPORTING:
    case OTA_CLOSING:
        ota_pending_release(ota);
        ota->state = ota->succeeded ? OTA_RESTART_DUE : OTA_IDLE;
        break;
    default:
        break;
    }
}

static err_t ota_tcp_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct mqttvpn_ota *ota = arg;
    LWIP_UNUSED_ARG(err); /* always ERR_OK: failures go to ota_tcp_err */

    ota->state = OTA_RECEIVING;
    ota->wait_start_ms = mqttvpn_hook_now_ms();
    ota->last_report_ms = ota->wait_start_ms;
    /* Progress numbers are tiny and espota.py waits for each: no Nagle delay. */
    tcp_nagle_disable(pcb);
    tcp_recv(pcb, ota_tcp_recv);
    tcp_sent(pcb, ota_tcp_sent);
    MQTTVPN_LOG(MQTTVPN_LOG_INFO, "ota: connected to %s; receiving %lu bytes", ota->peer_text,
                (unsigned long)ota->inv.size);
    return ERR_OK;
}

static err_t ota_connect_back(struct mqttvpn_ota *ota)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IP_GET_TYPE(&ota->peer));
    err_t err;

    if (pcb == NULL) {
        return ERR_MEM;
    }
    tcp_arg(pcb, ota);
    tcp_err(pcb, ota_tcp_err);
    err = tcp_connect(pcb, &ota->peer, ota->inv.port, ota_tcp_connected);
    if (err != ERR_OK) {
        tcp_arg(pcb, NULL);
        tcp_err(pcb, NULL);
        tcp_abort(pcb);
        return err;
    }
    ota->tcp = pcb;
    return ERR_OK;
}

static void ota_authenticate(struct mqttvpn_ota *ota, const struct mqttvpn_ota_auth *auth)
{
    struct ota_line l = {{0}, 0};
    const char *reason;

    if (!mqttvpn_ota_auth_valid(ota->password_hash, ota->nonce, auth)) {
        ota_auth_failed(ota, auth->has_sha256 ? "wrong password, or a SHA-256 without its cnonce" : "wrong password");
        return;
    }
    reason = mqttvpn_hook_ota_begin(ota->platform, ota->inv.size);
    if (reason != NULL) {
        line_put(&l, "ERR: ");
        line_put(&l, reason);
        ota_send_line(ota, &l, &ota->peer, ota->peer_udp_port);
        ota->stats.failed++;
        ota->state = OTA_IDLE;
        MQTTVPN_LOG(MQTTVPN_LOG_WARN, "ota: cannot take the image from %s: %s", ota->peer_text, reason);
        return;
    }
    ota->begun = 1;
    ota->succeeded = 0;
    ota->received = 0;
    ota->written = 0;
    ota->unreported = 0;
    ota->has_sha256 = auth->has_sha256;
    memcpy(ota->sha256, auth->sha256, sizeof ota->sha256);
    mqttvpn_md5_init(&ota->md5);
    mqttvpn_sha256_init(&ota->sha);
    ota->stats.last_size = ota->inv.size;
    ota->stats.last_received = 0;
    ota->state = OTA_CONNECTING;
    ota->wait_start_ms = mqttvpn_hook_now_ms();

    line_put(&l, "OK");
    ota_send_line(ota, &l, &ota->peer, ota->peer_udp_port);
    if (ota_connect_back(ota) != ERR_OK) {
        (void)ota_fail(ota, "cannot connect back to the uploader", 0);
    }
}

static void ota_udp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct mqttvpn_ota *ota = arg;
    uint8_t msg[OTA_REQUEST_MAX];
    struct mqttvpn_ota_invitation inv;
    struct mqttvpn_ota_auth auth;
    enum mqttvpn_ota_request req = MQTTVPN_OTA_REQ_OTHER;
    int from_inviter;
    LWIP_UNUSED_ARG(pcb);

    if (p->tot_len <= sizeof msg) {
        u16_t len = pbuf_copy_partial(p, msg, p->tot_len, 0);
        req = mqttvpn_ota_parse(msg, len, &inv, &auth);
    }
    pbuf_free(p);
    /* Only the inviter's own socket may answer the nonce it was given. */
    from_inviter = ota->state == OTA_WAIT_AUTH && port == ota->peer_udp_port && ip_addr_cmp(addr, &ota->peer);
    switch (req) {
    case MQTTVPN_OTA_REQ_VERSION:
        ota_answer_version(ota, addr, port);
        break;
    case MQTTVPN_OTA_REQ_INVITATION:
        ota_invitation(ota, &inv, addr, port);
        break;
    case MQTTVPN_OTA_REQ_AUTH:
        if (from_inviter) {
            ota_authenticate(ota, &auth);
        }
        break;
    default:
        if (from_inviter) {
            ota_auth_failed(ota, "not an authentication line");
        }
        break;
    }
}

/* ---- the API ------------------------------------------------------------------------------ */

struct mqttvpn_ota *mqttvpn_ota_start(const struct mqttvpn_ota_config *cfg, err_t *err)
{
    const char *version, *slot, *password, *password_md5;
    char hash[MQTTVPN_OTA_HEX_MD5];
    struct mqttvpn_ota *ota;
    err_t e = ERR_OK;

    LWIP_ASSERT_CORE_LOCKED();
    LWIP_ASSERT("cfg != NULL", cfg != NULL);
    version = cfg->version != NULL ? cfg->version : "";
    slot = cfg->slot != NULL ? cfg->slot : "";
    password = cfg->password != NULL ? cfg->password : "";
    password_md5 = cfg->password_md5 != NULL ? cfg->password_md5 : "";
    /* Exactly one: a receiver without a password is never started, and two could disagree. */
    if ((password[0] == '\0') == (password_md5[0] == '\0') || !text_is_word(version) || !text_is_word(slot)) {
        e = ERR_ARG;
        goto fail;
    }
    if (password[0] != '\0') {
        mqttvpn_ota_password_hash(hash, password);
    } else if (!mqttvpn_ota_password_hash_from_hex(hash, password_md5)) {
        e = ERR_ARG;
        goto fail;
    }
    ota = (struct mqttvpn_ota *)mem_malloc((mem_size_t)sizeof(*ota));
    if (ota == NULL) {
        mqttvpn_wipe(hash, sizeof hash);
        e = ERR_MEM;
        goto fail;
    }
    memset(ota, 0, sizeof(*ota));
    memcpy(ota->password_hash, hash, sizeof hash);
    mqttvpn_wipe(hash, sizeof hash);
    strcpy(ota->version, version);
    strcpy(ota->slot, slot);
    ota->max_size = cfg->max_size != 0 ? cfg->max_size : 0xffffffffu;
    ota->idle_timeout_ms = cfg->idle_timeout_ms != 0 ? cfg->idle_timeout_ms : MQTTVPN_OTA_IDLE_TIMEOUT_MS;
    ota->platform = cfg->platform;
    ota->state = OTA_IDLE;

    ota->udp = udp_new_ip_type(IPADDR_TYPE_ANY);
    if (ota->udp == NULL) {
        e = ERR_MEM;
        goto fail_free;
    }
    e = udp_bind(ota->udp, IP_ANY_TYPE, cfg->port != 0 ? cfg->port : MQTTVPN_OTA_PORT_ESP32);
    if (e != ERR_OK) {
        udp_remove(ota->udp);
        goto fail_free;
    }
    udp_recv(ota->udp, ota_udp_recv, ota);
    if (err != NULL) {
        *err = ERR_OK;
    }
    return ota;

fail_free:
    mqttvpn_wipe(ota->password_hash, sizeof ota->password_hash);
    mem_free(ota);
fail:
    if (err != NULL) {
        *err = e;
    }
    return NULL;
}

void mqttvpn_ota_stop(struct mqttvpn_ota *ota)
{
    LWIP_ASSERT_CORE_LOCKED();
    if (ota == NULL) {
        return;
    }
    udp_remove(ota->udp);
    if (ota->begun) {
        ota->begun = 0;
        mqttvpn_hook_ota_abort(ota->platform);
    }
    if (ota->state == OTA_CLOSING) {
        (void)ota_close_connection(ota, OTA_IDLE); /* "OK" is out: let it and the FIN go */
    } else {
        (void)ota_drop_connection(ota, OTA_IDLE);
    }
    mqttvpn_wipe(ota, sizeof(*ota));
    mem_free(ota);
}

void mqttvpn_ota_poll(struct mqttvpn_ota *ota, uint32_t now_ms)
{
    uint32_t waited;

    LWIP_ASSERT_CORE_LOCKED();
    LWIP_ASSERT("ota != NULL", ota != NULL);
    waited = ota_elapsed(now_ms, ota->wait_start_ms);
    switch (ota->state) {
    case OTA_WAIT_AUTH:
        if (waited >= MQTTVPN_OTA_AUTH_TIMEOUT_MS) {
            ota->state = OTA_IDLE;
            MQTTVPN_LOG(MQTTVPN_LOG_INFO, "ota: no authentication from %s in time; invitation dropped",
                        ota->peer_text);
        }
        break;
    case OTA_CONNECTING:
        if (waited >= ota->idle_timeout_ms) {
            (void)ota_fail(ota, "the uploader did not accept the connection", 0);
        }
        break;
    case OTA_RECEIVING:
        (void)ota_feed(ota);
        if (ota->state == OTA_RECEIVING && ota_elapsed(now_ms, ota->wait_start_ms) >= ota->idle_timeout_ms) {
            (void)ota_fail(ota, "timed out waiting for data", 1);
        }
        break;
    case OTA_FINISHING:
        (void)ota_finish(ota);
        if (ota->state == OTA_FINISHING && waited >= ota->idle_timeout_ms) {
            (void)ota_fail(ota, "timed out finishing the image", 1);
        }
        break;
    case OTA_REPORTING:
        (void)ota_send_result(ota, now_ms);
        /* The uploader takes nothing back: give up on telling it. An error is not worth keeping
         * the next uploader waiting long; "OK" is worth the whole idle time-out. */
        if (ota->state == OTA_REPORTING &&
            waited >= (ota->succeeded ? ota->idle_timeout_ms : MQTTVPN_OTA_CLOSE_WAIT_MS)) {
            (void)ota_drop_connection(ota, ota->succeeded ? OTA_RESTART_DUE : OTA_IDLE);
        }
        break;
    case OTA_CLOSING:
        if (waited >= MQTTVPN_OTA_CLOSE_WAIT_MS) {
            (void)ota_close_connection(ota, OTA_RESTART_DUE);
        }
        break;
    default:
        break;
    }
    if (ota->state == OTA_RESTART_DUE) {
        ota->state = OTA_RESTARTING;
        MQTTVPN_LOG(MQTTVPN_LOG_INFO, "ota: restarting into the new image");
        mqttvpn_hook_ota_restart(ota->platform); /* last: the hook may stop the receiver */
    }
}

void mqttvpn_ota_get_image_md5(const struct mqttvpn_ota *ota, char out[33])
{
    LWIP_ASSERT("ota != NULL && out != NULL", ota != NULL && out != NULL);
    out[0] = '\0';
    /* From the invitation (the begin hook runs before OTA_CONNECTING) to the last byte's check. */
    if (ota->state >= OTA_WAIT_AUTH && ota->state <= OTA_FINISHING) {
        mqttvpn_ota_hex(out, ota->inv.md5, sizeof ota->inv.md5);
        out[2 * sizeof ota->inv.md5] = '\0';
    }
}

void mqttvpn_ota_get_stats(const struct mqttvpn_ota *ota, struct mqttvpn_ota_stats *out)
{
    LWIP_ASSERT("ota != NULL && out != NULL", ota != NULL && out != NULL);
    *out = ota->stats;
    out->busy = ota->state >= OTA_CONNECTING && ota->state <= OTA_RESTART_DUE;
}
