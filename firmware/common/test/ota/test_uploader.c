#include "test_uploader.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "wire.h"

#define CHUNK 1460u

static void hex(char *out, const unsigned char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", b[i]);
    }
}

static void digest_hex(char *out, const EVP_MD *md, const void *data, size_t len)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(data, len, d, &n, md, NULL);
    hex(out, d, n);
}

static void send_text(struct uploader *u, const char *text)
{
    ip_addr_t dev;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)strlen(text), PBUF_RAM);

    if (p == NULL) {
        return;
    }
    pbuf_take(p, text, (u16_t)strlen(text));
    wire_addr(&dev, &wire_dev, u->o.ipv6);
    udp_sendto(u->udp, p, &dev, 3232);
    pbuf_free(p);
}

void uploader_send_datagram(struct uploader *u, const char *text)
{
    send_text(u, text);
}

/* Answers "AUTH <nonce>[ ...]" as OTA-PROTOCOL.md step 2 says. */
void uploader_answer_challenge(struct uploader *u, const char *auth)
{
    char nonce[33], pass_hash[33], cnonce[33], response[33], sha[65], text[256];
    const char *sp = strchr(auth + 5, ' ');
    size_t nonce_len = sp != NULL ? (size_t)(sp - (auth + 5)) : strlen(auth + 5);

    if (nonce_len != 32) {
        return;
    }
    memcpy(nonce, auth + 5, 32);
    nonce[32] = '\0';
    digest_hex(pass_hash, EVP_md5(), u->o.password, strlen(u->o.password));
    sha[0] = '\0';
    if (u->o.sha256 == UPLOADER_SHA256_OF_OTHER) {
        digest_hex(sha, EVP_sha256(), "another image", 13);
    } else if (u->o.sha256 != UPLOADER_NO_SHA256) {
        digest_hex(sha, EVP_sha256(), u->o.image, u->o.size);
    }
    if (sha[0] != '\0' && u->o.sha256 != UPLOADER_SHA256_UNBOUND) {
        snprintf(text, sizeof text, "mqttvpn-sha256:%s", sha);
    } else {
        snprintf(text, sizeof text, "image.bin%u10.0.9.1", (unsigned)u->o.size); /* espota.py's way */
    }
    digest_hex(cnonce, EVP_md5(), text, strlen(text));
    snprintf(text, sizeof text, "%s:%s:%s", pass_hash, nonce, cnonce);
    digest_hex(response, EVP_md5(), text, strlen(text));
    snprintf(text, sizeof text, "200 %s %s%s%s\n", cnonce, response, sha[0] != '\0' ? " " : "", sha);
    send_text(u, text);
}

static void on_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct uploader *u = arg;
    char *text;
    LWIP_UNUSED_ARG(pcb);
    LWIP_UNUSED_ARG(addr);
    LWIP_UNUSED_ARG(port);

    if (u->n_replies < UPLOADER_REPLIES) {
        text = u->replies[u->n_replies++];
        text[pbuf_copy_partial(p, text, (u16_t)(sizeof u->replies[0] - 1), 0)] = '\0';
        if (strncmp(text, "AUTH ", 5) == 0 && u->o.image != NULL) {
            uploader_answer_challenge(u, text);
        }
    }
    pbuf_free(p);
}

static void close_conn(struct uploader *u)
{
    tcp_arg(u->conn, NULL);
    tcp_recv(u->conn, NULL);
    tcp_sent(u->conn, NULL);
    tcp_err(u->conn, NULL);
    if (tcp_close(u->conn) != ERR_OK) {
        tcp_abort(u->conn);
    }
    u->conn = NULL;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct uploader *u = arg;
    LWIP_UNUSED_ARG(err);

    if (p == NULL) {
        u->peer_closed = 1;
        return ERR_OK;
    }
    if (u->n_reads < UPLOADER_READS_MAX) {
        u->read_start[u->n_reads++] = u->rx_len;
    }
    if (u->rx_len + p->tot_len <= UPLOADER_RX_MAX) {
        pbuf_copy_partial(p, u->rx + u->rx_len, p->tot_len, 0);
        u->rx_len += p->tot_len;
        u->rx[u->rx_len] = '\0';
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    u->chunk_out = 0;
    /* espota.py closes once everything is sent and a reply holds "O" or "E". */
    if (!u->o.keep_open && u->sent == u->o.size &&
        (uploader_rx_ends_with(u, "OK") || strstr(u->rx, "ERROR") != NULL)) {
        u->closed = 1;
        close_conn(u);
    }
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct uploader *u = arg;
    LWIP_UNUSED_ARG(err);
    u->conn = NULL;
    u->reset = 1;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct uploader *u = arg;

    if (err != ERR_OK || pcb == NULL) {
        return ERR_VAL;
    }
    u->accepted++;
    if (u->conn != NULL) {
        tcp_abort(pcb); /* one connection per upload */
        return ERR_ABRT;
    }
    u->conn = pcb;
    tcp_arg(pcb, u);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_err);
    return ERR_OK;
}

int uploader_start(struct uploader *u, const struct uploader_options *o)
{
    char md5[33], text[128];
    ip_addr_t up;
    struct tcp_pcb *pcb;

    memset(u, 0, sizeof(*u));
    u->o = *o;
    if (u->o.tcp_port == 0) {
        u->o.tcp_port = 40000;
    }
    if (u->o.udp_port == 0) {
        u->o.udp_port = 40001;
    }
    wire_addr(&up, &wire_up, o->ipv6);
    pcb = tcp_new_ip_type(IP_GET_TYPE(&up));
    if (pcb == NULL) {
        return 0;
    }
    ip_set_option(pcb, SOF_REUSEADDR); /* earlier tests' connections may linger in TIME-WAIT */
    if (tcp_bind(pcb, &up, u->o.tcp_port) != ERR_OK) {
        tcp_close(pcb);
        return 0;
    }
    u->listener = tcp_listen(pcb);
    if (u->listener == NULL) {
        return 0;
    }
    /* tcp_listen forgets a netif binding, and without one lwIP routes the SYN-ACK to dev's own
     * address through dev, as loopback: bind the listener itself; its connections inherit it. */
    tcp_bind_netif(u->listener, &wire_up);
    tcp_arg(u->listener, u);
    tcp_accept(u->listener, on_accept);

    u->udp = udp_new_ip_type(IP_GET_TYPE(&up));
    if (u->udp == NULL || udp_bind(u->udp, &up, u->o.udp_port) != ERR_OK) {
        return 0;
    }
    udp_bind_netif(u->udp, &wire_up);
    udp_recv(u->udp, on_datagram, u);

    if (o->image == NULL) {
        return 1; /* a socket for datagrams only */
    }
    digest_hex(md5, EVP_md5(), o->image, o->size);
    if (o->wrong_md5) {
        md5[0] = md5[0] == '0' ? '1' : '0';
    }
    snprintf(text, sizeof text, "%u %u %u %s\n", o->command, (unsigned)u->o.tcp_port,
             (unsigned)(o->announce_size != 0 ? o->announce_size : o->size), md5);
    send_text(u, text);
    return 1;
}

void uploader_step(struct uploader *u)
{
    uint32_t limit = u->o.stop_after != 0 ? u->o.stop_after : u->o.size;
    int wrote = 0;

    if (u->conn == NULL) {
        return;
    }
    while (u->sent < limit && !u->chunk_out) {
        uint32_t n = limit - u->sent;
        if (n > CHUNK) {
            n = CHUNK;
        }
        if (n > tcp_sndbuf(u->conn) || tcp_sndqueuelen(u->conn) >= TCP_SND_QUEUELEN / 2) {
            break;
        }
        if (tcp_write(u->conn, u->o.image + u->sent, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK) {
            break;
        }
        u->sent += n;
        wrote = 1;
        if (u->o.lockstep) {
            u->chunk_out = 1;
        }
    }
    if (wrote) {
        tcp_output(u->conn);
    }
}

void uploader_abort(struct uploader *u)
{
    if (u->conn != NULL) {
        struct tcp_pcb *pcb = u->conn;
        tcp_arg(pcb, NULL);
        tcp_err(pcb, NULL);
        tcp_recv(pcb, NULL);
        u->conn = NULL;
        tcp_abort(pcb);
    }
}

void uploader_stop(struct uploader *u)
{
    uploader_abort(u);
    if (u->listener != NULL) {
        tcp_close(u->listener);
        u->listener = NULL;
    }
    if (u->udp != NULL) {
        udp_remove(u->udp);
        u->udp = NULL;
    }
}

int uploader_last_reply_is(const struct uploader *u, const char *text)
{
    return u->n_replies > 0 && strcmp(u->replies[u->n_replies - 1], text) == 0;
}

int uploader_rx_ends_with(const struct uploader *u, const char *text)
{
    size_t n = strlen(text);
    return u->rx_len >= n && memcmp(u->rx + u->rx_len - n, text, n) == 0;
}

int uploader_rx_progress_is_digits(const struct uploader *u, size_t len_of_result)
{
    size_t i;
    if (u->rx_len < len_of_result) {
        return 0;
    }
    for (i = 0; i + len_of_result < u->rx_len; i++) {
        if (u->rx[i] < '0' || u->rx[i] > '9') {
            return 0;
        }
    }
    return 1;
}
