/* The command line of mqttvpn-sim. */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "mqttvpn/glue/brokers.h"

#define SIM_MAX_TARGETS 64

struct sim_addr {
    int is_v6;
    uint8_t bytes[16]; /* network order; 4 used for IPv4 */
};

struct sim_broker {
    char host[256];
    int port;
};

struct sim_options {
    struct sim_broker brokers[MQTTVPN_MAX_BROKERS]; /* --broker, in order: the first is home */
    size_t n_brokers;
    int broker_order;         /* enum mqttvpn_broker_order */
    unsigned broker_return_s; /* 0: stay on whichever broker answered */
    uint8_t address[4];
    uint8_t netmask[4];
    uint8_t gateway[4];       /* all zero: none */
    int has_address6;
    uint8_t address6[16];
    int prefix6;
    uint8_t gateway6[16];     /* all zero: none */
    char *key;                /* NULL: no encryption; owned (from --key or --key-file) */
    const char *topic_prefix;
    struct sim_addr targets[SIM_MAX_TARGETS];
    size_t n_targets;
    int route_for_others;     /* deliver packets for any destination (a gateway) */
    char client_id[128];
    const char *user;
    char *password;           /* NULL: none; owned (from --password or --password-file) */
    int keepalive;
    int has_ping;
    struct sim_addr ping;     /* --ping target */
    int ping_interval_ms;
    int debug;
    const char *state_dir;    /* NULL: no slots, no OTA, no rollback */
    char *ota_password;       /* NULL: OTA off; owned (from --ota-password-file) */
    int ota_port;
    int rollback_timeout_s;
};

/* Exit codes of a parse. */
#define SIM_OPTIONS_OK 0
#define SIM_OPTIONS_HELP 1     /* --help or --version printed: exit 0 */
#define SIM_OPTIONS_INVALID 2  /* a one-line error printed: exit 2 */

/* Parses argv into o (defaults applied). Prints help to stdout or one error line to stderr. */
int sim_options_parse(int argc, char **argv, struct sim_options *o);

/* Frees what the parse allocated (the key, the passwords) and wipes it. */
void sim_options_free(struct sim_options *o);

#endif
