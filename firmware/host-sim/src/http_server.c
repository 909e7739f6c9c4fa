/*
 * A minimal HTTP/1.0 and 1.1 server on port 80 (lwIP raw API, core context): GET or HEAD
 * of / returns the status page; one request per connection (Connection: close).
 */
#include "http_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/tcp.h"

#include "log.h"

#define HTTP_PORT 80
#define HTTP_REQUEST_MAX 2048   /* longer request heads get 431 */
#define HTTP_PAGE_MAX 8192
#define HTTP_POLL_INTERVAL 2    /* lwIP slow-timer ticks (500 ms) */
#define HTTP_IDLE_POLLS 20      /* 10 s without a whole request: drop the connection */

struct http_conn {
    struct tcp_pcb *pcb;
    char request[HTTP_REQUEST_MAX];
    size_t request_len;
    char *response;        /* malloc'd; NULL until the request is complete */
    size_t response_len;
    size_t response_sent;
    int polls;
};

static struct tcp_pcb *http_listen_pcb;
static const struct status_source *http_status;

static void http_free(struct http_conn *h)
{
    free(h->response);
    free(h);
}

static void http_detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
}

static err_t http_abort(struct http_conn *h)
{
    struct tcp_pcb *pcb = h->pcb;
    http_detach(pcb);
    http_free(h);
    tcp_abort(pcb);
    return ERR_ABRT;
}

/* Builds the whole response for the request head in h->request. */
static int http_respond(struct http_conn *h, int head_too_long)
{
    static char page[HTTP_PAGE_MAX];
    const char *status = "200 OK", *body = page, *version = "HTTP/1.0", *extra = "";
    char method[16] = "", path[256] = "", proto[16] = "";
    size_t body_len = 0, cap;
    int is_head = 0, n;

    h->request[h->request_len < sizeof(h->request) ? h->request_len : sizeof(h->request) - 1] = '\0';
    if (head_too_long) {
        status = "431 Request Header Fields Too Large";
    } else if (sscanf(h->request, "%15s %255s %15s", method, path, proto) < 2) {
        status = "400 Bad Request";
    } else {
        if (strcmp(proto, "HTTP/1.1") == 0) {
            version = "HTTP/1.1";
        }
        is_head = strcmp(method, "HEAD") == 0;
        if (!is_head && strcmp(method, "GET") != 0) {
            status = "405 Method Not Allowed";
            extra = "Allow: GET, HEAD\r\n";
        } else if (strcmp(path, "/") != 0 && strcmp(path, "/index.html") != 0) {
            status = "404 Not Found";
        } else {
            body_len = status_page_render(http_status, page, sizeof(page));
            if (body_len == 0) {
                status = "500 Internal Server Error";
            }
        }
    }
    if (strncmp(status, "200", 3) != 0) {
        body = status + 4; /* the reason phrase is the body */
        body_len = strlen(body);
    }
    cap = 256 + body_len;
    h->response = malloc(cap);
    if (h->response == NULL) {
        return -1;
    }
    n = snprintf(h->response, cap,
                 "%s %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
                 "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                 version, status, body == page ? "text/html; charset=utf-8" : "text/plain",
                 body_len, extra);
    if (n < 0 || (size_t)n >= cap) {
        return -1;
    }
    h->response_len = (size_t)n;
    if (!is_head) {
        memcpy(h->response + n, body, body_len);
        h->response_len += body_len;
    }
    return 0;
}

/* Writes what the send buffer takes; closes once all is queued. ERR_ABRT if aborted. */
static err_t http_send(struct http_conn *h)
{
    struct tcp_pcb *pcb = h->pcb;
    size_t left = h->response_len - h->response_sent;

    while (left > 0) {
        u16_t n = (u16_t)LWIP_MIN(left, (size_t)tcp_sndbuf(pcb));
        err_t err;
        if (n == 0) {
            break;
        }
        err = tcp_write(pcb, h->response + h->response_sent, n, TCP_WRITE_FLAG_COPY);
        if (err == ERR_MEM) {
            break;
        }
        if (err != ERR_OK) {
            return http_abort(h);
        }
        h->response_sent += n;
        left -= n;
    }
    tcp_output(pcb);
    if (left == 0 && tcp_close(pcb) == ERR_OK) {
        /* The FIN follows the queued response; lwIP owns the pcb from here. */
        http_detach(pcb);
        http_free(h);
    }
    return ERR_OK;
}

static err_t http_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct http_conn *h = arg;
    int too_long = 0;

    if (p == NULL) {
        if (h->response == NULL) {
            return http_abort(h); /* closed before a whole request */
        }
        return ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    tcp_recved(pcb, p->tot_len);
    if (h->response != NULL) {
        pbuf_free(p); /* a body or a second request: ignored */
        return ERR_OK;
    }
    if (h->request_len + p->tot_len >= sizeof(h->request)) {
        too_long = 1;
    } else {
        pbuf_copy_partial(p, h->request + h->request_len, p->tot_len, 0);
        h->request_len += p->tot_len;
        h->request[h->request_len] = '\0';
    }
    pbuf_free(p);
    if (!too_long && strstr(h->request, "\r\n\r\n") == NULL && strstr(h->request, "\n\n") == NULL) {
        return ERR_OK; /* wait for the rest of the head */
    }
    if (http_respond(h, too_long) != 0) {
        return http_abort(h);
    }
    return http_send(h);
}

static err_t http_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    LWIP_UNUSED_ARG(pcb);
    LWIP_UNUSED_ARG(len);
    return http_send(arg);
}

static err_t http_poll(void *arg, struct tcp_pcb *pcb)
{
    struct http_conn *h = arg;
    LWIP_UNUSED_ARG(pcb);

    if (h->response != NULL) {
        return http_send(h);
    }
    if (++h->polls >= HTTP_IDLE_POLLS) {
        return http_abort(h);
    }
    return ERR_OK;
}

static void http_err(void *arg, err_t err)
{
    LWIP_UNUSED_ARG(err);
    if (arg != NULL) {
        http_free(arg);
    }
}

static err_t http_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct http_conn *h;
    LWIP_UNUSED_ARG(arg);

    if (err != ERR_OK || pcb == NULL) {
        return ERR_VAL;
    }
    h = calloc(1, sizeof(*h));
    if (h == NULL) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    h->pcb = pcb;
    /* The response is written at once: Nagle would hold its last segment for the peer's
     * delayed ACK (40 ms on Linux). */
    tcp_nagle_disable(pcb);
    tcp_arg(pcb, h);
    tcp_recv(pcb, http_recv);
    tcp_sent(pcb, http_sent);
    tcp_err(pcb, http_err);
    tcp_poll(pcb, http_poll, HTTP_POLL_INTERVAL);
    return ERR_OK;
}

int http_server_start(const struct status_source *status)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);

    http_status = status;
    if (pcb == NULL || tcp_bind(pcb, IP_ANY_TYPE, HTTP_PORT) != ERR_OK) {
        if (pcb != NULL) {
            tcp_close(pcb);
        }
        return -1;
    }
    http_listen_pcb = tcp_listen(pcb);
    if (http_listen_pcb == NULL) {
        tcp_close(pcb);
        return -1;
    }
    tcp_accept(http_listen_pcb, http_accept);
    return 0;
}

void http_server_stop(void)
{
    if (http_listen_pcb != NULL) {
        tcp_close(http_listen_pcb);
        http_listen_pcb = NULL;
    }
}
