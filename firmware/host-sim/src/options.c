#include "options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqttvpn/codec.h"
#include "mqttvpn/glue/session.h"
#include "mqttvpn/ota.h"
#include "secret_file.h"
#include "version.h"

static const char usage[] =
    "Usage: mqttvpn-sim --broker URI --address IP [options]\n"
    "\n"
    "A virtual MQTT-VPN device: the firmware core (classic codec, lwIP netif driver) on\n"
    "lwIP, with libmosquitto as its MQTT client. It answers ping, echoes TCP and UDP on\n"
    "port 7, discards TCP on port 9 and serves a status page on port 80 of its VPN address.\n"
    "\n"
    "  -b, --broker URI         MQTT broker: tcp://host[:port] or mqtt://host[:port]\n"
    "                           (default port 1883; IPv6 hosts in brackets). Required.\n"
    "                           Repeatable (at most 4 in a default build): the brokers to\n"
    "                           fail over between, the first being the home broker. A\n"
    "                           failed attempt moves on to the next at once, a lost\n"
    "                           connection after 1 s; the backoff applies when all failed.\n"
    "      --broker-order ORDER in-order (default: the list's order) or random (a new\n"
    "                           random order every round).\n"
    "      --broker-return SECONDS\n"
    "                           While on another broker than the first, leave it every\n"
    "                           SECONDS to try the first again (if it still does not\n"
    "                           answer, straight on to the next). Default: off.\n"
    "  -a, --address IP         IPv4 address of the device in the VPN. Required.\n"
    "  -m, --netmask MASK       Netmask of the VPN subnet (default 255.255.255.0).\n"
    "  -g, --gateway IP         Gateway for off-subnet destinations: their packets go to\n"
    "                           <prefix>/<gateway> (default: none, they go to\n"
    "                           <prefix>/<destination>).\n"
    "  -6, --address6 IP6       IPv6 address of the device (default: none).\n"
    "  -x, --prefix6 LEN        On-link prefix length of --address6 (default 64).\n"
    "      --gateway6 IP6       IPv6 gateway for off-prefix destinations (default: none).\n"
    "  -k, --key PSK            Pre-shared key of the VPN: frames are encrypted with it\n"
    "                           (visible in ps; prefer --key-file). Default: no key.\n"
    "      --key-file FILE      Read the pre-shared key from the first line of FILE: a\n"
    "                           regular file of at most 4096 bytes, the key 1 to 1024\n"
    "                           bytes of UTF-8 (README: \"Keys and other secrets in files\").\n"
    "      --topic-prefix P     Topic prefix shared by all nodes (default mqttip): 1..64 printable\n"
    "                           ASCII characters, no + #, leading $ or final /.\n"
    "  -t, --target IP          Also receive packets for IP (a NAT target; IPv4 or IPv6);\n"
    "                           repeatable, within MQTTVPN_MAX_TOPICS reading topics.\n"
    "      --route-for-others   Hand packets for any destination to lwIP (a gateway other\n"
    "                           nodes send through). Default: a packet that is not for the\n"
    "                           device's addresses, a --target, broadcast or multicast is\n"
    "                           dropped and counted (rx_dropped_not_for_us).\n"
    "  -n, --client-id ID       MQTT client id (default MQTT_VPN_<random>).\n"
    "  -u, --user NAME          Broker user name.\n"
    "  -p, --password PASS      Broker password; ps shows it: prefer --password-file.\n"
    "      --password-file FILE Broker password: the first line of FILE (a regular\n"
    "                           file of at most 4096 bytes).\n"
    "      --keepalive SECONDS  MQTT keepalive (default 20, as the Linux original).\n"
    "      --ping IP            Ping IP (IPv4 or IPv6) from the device every interval,\n"
    "                           logging each reply and loss; statistics on the page.\n"
    "      --ping-interval MS   Time between pings (default 1000).\n"
    "  -d, --debug              Log every packet and every drop.\n"
    "\n"
    "Updates over the network (espota, OTA-PROTOCOL.md), with two image slots and rollback:\n"
    "      --state-dir DIR      Keep two images (DIR/slot-a, DIR/slot-b) and which one runs\n"
    "                           (DIR/state) in DIR, created if missing. The first start\n"
    "                           installs this executable as slot a; every start then runs\n"
    "                           the active slot (exec'ing it if needed). A new image is on\n"
    "                           probation until it rejoins the VPN (connected, a frame\n"
    "                           received); if it does not, or stops before, the previous\n"
    "                           image runs again. Default: none (no OTA, no rollback).\n"
    "      --ota-password-file FILE\n"
    "                           Take updates, authenticated with the password on the first\n"
    "                           line of FILE (read as --key-file). Needs --state-dir. Without\n"
    "                           it OTA is off (the log says so).\n"
    "      --ota-port N         UDP port for OTA invitations and version queries (default\n"
    "                           3232, as ArduinoOTA on the ESP32).\n"
    "      --rollback-timeout SECONDS\n"
    "                           Time a new image has to rejoin the VPN (default 120).\n"
    "      --version            Print the version and exit.\n"
    "  -h, --help               Show this help and exit.\n"
    "\n"
    "Reconnects forever (between rounds over every broker, a backoff growing from 1 s to\n"
    "32 s). Stops on SIGINT\n"
    "or SIGTERM. Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad input.\n"
    "\n"
    "Example:\n"
    "  mqttvpn-sim --broker tcp://127.0.0.1:1883 --address 10.0.1.2 --gateway 10.0.1.1 \\\n"
    "              --address6 fd00::2 --key-file /etc/mqttvpn.key\n"
    "  ping 10.0.1.2; curl http://10.0.1.2/   (from a host running: toolkit vpn -a 10.0.1.1 ...)\n";

enum {
    OPT_KEY_FILE = 256,
    OPT_PASSWORD_FILE,
    OPT_TOPIC_PREFIX,
    OPT_GATEWAY6,
    OPT_KEEPALIVE,
    OPT_PING,
    OPT_PING_INTERVAL,
    OPT_STATE_DIR,
    OPT_OTA_PASSWORD_FILE,
    OPT_OTA_PORT,
    OPT_ROLLBACK_TIMEOUT,
    OPT_VERSION,
    OPT_ROUTE_FOR_OTHERS,
    OPT_BROKER_ORDER,
    OPT_BROKER_RETURN,
};

static const struct option long_options[] = {
    {"broker", required_argument, NULL, 'b'},
    {"broker-order", required_argument, NULL, OPT_BROKER_ORDER},
    {"broker-return", required_argument, NULL, OPT_BROKER_RETURN},
    {"address", required_argument, NULL, 'a'},
    {"netmask", required_argument, NULL, 'm'},
    {"gateway", required_argument, NULL, 'g'},
    {"address6", required_argument, NULL, '6'},
    {"prefix6", required_argument, NULL, 'x'},
    {"gateway6", required_argument, NULL, OPT_GATEWAY6},
    {"key", required_argument, NULL, 'k'},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"topic-prefix", required_argument, NULL, OPT_TOPIC_PREFIX},
    {"target", required_argument, NULL, 't'},
    {"route-for-others", no_argument, NULL, OPT_ROUTE_FOR_OTHERS},
    {"client-id", required_argument, NULL, 'n'},
    {"user", required_argument, NULL, 'u'},
    {"password", required_argument, NULL, 'p'},
    {"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
    {"keepalive", required_argument, NULL, OPT_KEEPALIVE},
    {"ping", required_argument, NULL, OPT_PING},
    {"ping-interval", required_argument, NULL, OPT_PING_INTERVAL},
    {"debug", no_argument, NULL, 'd'},
    {"state-dir", required_argument, NULL, OPT_STATE_DIR},
    {"ota-password-file", required_argument, NULL, OPT_OTA_PASSWORD_FILE},
    {"ota-port", required_argument, NULL, OPT_OTA_PORT},
    {"rollback-timeout", required_argument, NULL, OPT_ROLLBACK_TIMEOUT},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int invalid(const char *flag, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mqttvpn-sim: %s: ", flag);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see --help)\n", stderr);
    return SIM_OPTIONS_INVALID;
}

static int parse_ip4(const char *flag, const char *text, uint8_t out[4])
{
    if (inet_pton(AF_INET, text, out) != 1) {
        return invalid(flag, "'%s' is not an IPv4 address", text);
    }
    return SIM_OPTIONS_OK;
}

static int parse_ip6(const char *flag, const char *text, uint8_t out[16])
{
    if (inet_pton(AF_INET6, text, out) != 1) {
        return invalid(flag, "'%s' is not an IPv6 address", text);
    }
    return SIM_OPTIONS_OK;
}

static int parse_int(const char *flag, const char *text, long min, long max, int *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
        return invalid(flag, "'%s' is not a number from %ld to %ld", text, min, max);
    }
    *out = (int)v;
    return SIM_OPTIONS_OK;
}

/* tcp://host[:port], mqtt://host[:port], or host[:port]; [v6] in brackets: the next of o's brokers. */
static int parse_broker(const char *text, struct sim_options *o)
{
    struct sim_broker *b;
    size_t i;
    const char *host = text, *sep = strstr(text, "://"), *port = NULL;
    size_t host_len;

    if (sep != NULL) {
        size_t scheme_len = (size_t)(sep - text);
        if (!((scheme_len == 3 && strncmp(text, "tcp", 3) == 0) ||
              (scheme_len == 4 && strncmp(text, "mqtt", 4) == 0))) {
            return invalid("--broker", "'%s': scheme '%.*s' is not supported, use tcp:// or mqtt://",
                           text, (int)scheme_len, text);
        }
        host = sep + 3;
    }
    if (*host == '[') {
        const char *close = strchr(host, ']');
        if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
            return invalid("--broker", "'%s': unbalanced [ ] around the IPv6 host", text);
        }
        host_len = (size_t)(close - host - 1);
        host++;
        port = close[1] == ':' ? close + 2 : NULL;
    } else {
        const char *colon = strchr(host, ':');
        if (colon != NULL && strchr(colon + 1, ':') != NULL) {
            return invalid("--broker", "'%s': write an IPv6 host in brackets, e.g. tcp://[::1]:1883", text);
        }
        host_len = colon != NULL ? (size_t)(colon - host) : strlen(host);
        port = colon != NULL ? colon + 1 : NULL;
    }
    if (host_len == 0 || host_len >= sizeof(b->host) || memchr(host, '/', host_len) != NULL) {
        return invalid("--broker", "'%s' has no usable host name", text);
    }
    if (o->n_brokers == MQTTVPN_MAX_BROKERS) {
        return invalid("--broker", "'%s': at most %u brokers; drop a --broker (or build with"
                       " -DMQTTVPN_MAX_BROKERS=N)", text, (unsigned)MQTTVPN_MAX_BROKERS);
    }
    b = &o->brokers[o->n_brokers];
    memcpy(b->host, host, host_len);
    b->host[host_len] = '\0';
    b->port = 1883;
    if (port != NULL && parse_int("--broker", port, 1, 65535, &b->port) != SIM_OPTIONS_OK) {
        return SIM_OPTIONS_INVALID;
    }
    for (i = 0; i < o->n_brokers; i++) {
        if (strcmp(o->brokers[i].host, b->host) == 0 && o->brokers[i].port == b->port) {
            return invalid("--broker", "'%s' is given twice: list each broker once", text);
        }
    }
    o->n_brokers++;
    return SIM_OPTIONS_OK;
}

/*
 * FILE of a secret option through the one secret-file reader (secret_file.h): *dest becomes the
 * secret (the one it replaces is wiped and freed), or one error line names the flag. Every option
 * that takes a secret from a file reads it here.
 */
static int read_secret_option(const char *flag, const char *path, char **dest)
{
    struct sim_secret_problem problem;
    char *secret;

    if (sim_secret_file_read(path, &secret, &problem) != SIM_SECRET_OK) {
        return invalid(flag, "%s", problem.message);
    }
    sim_secret_free(*dest);
    *dest = secret;
    return SIM_OPTIONS_OK;
}

/* A secret given on the command line, under the limits of a secret file's first line. */
static int copy_secret_value(const char *flag, const char *what, const char *value, char **dest)
{
    struct sim_secret_problem problem;

    if (sim_secret_check_value(value, what, &problem) != SIM_SECRET_OK) {
        return invalid(flag, "%s", problem.message);
    }
    sim_secret_free(*dest);
    *dest = strdup(value);
    return *dest != NULL ? SIM_OPTIONS_OK : invalid(flag, "out of memory");
}

static int all_zero(const uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (b[i] != 0) {
            return 0;
        }
    }
    return 1;
}

int sim_options_parse(int argc, char **argv, struct sim_options *o)
{
    int have_broker = 0, have_address = 0, have_key = 0, have_key_file = 0;
    int have_password = 0, have_password_file = 0, broker_return = 0;
    int c, rc = SIM_OPTIONS_OK;
    uint32_t mask;

    memset(o, 0, sizeof(*o));
    o->netmask[0] = o->netmask[1] = o->netmask[2] = 255;
    o->prefix6 = 64;
    o->topic_prefix = "mqttip";
    o->keepalive = 20;
    o->ping_interval_ms = 1000;
    o->ota_port = MQTTVPN_OTA_PORT_ESP32;
    o->rollback_timeout_s = 120;

    opterr = 0; /* our own one-line errors */
    while (rc == SIM_OPTIONS_OK &&
           (c = getopt_long(argc, argv, ":b:a:m:g:6:x:k:t:n:u:p:dh", long_options, NULL)) != -1) {
        switch (c) {
        case 'b':
            have_broker = 1;
            rc = parse_broker(optarg, o);
            break;
        case OPT_BROKER_ORDER:
            if (strcmp(optarg, "in-order") == 0) {
                o->broker_order = MQTTVPN_BROKERS_IN_ORDER;
            } else if (strcmp(optarg, "random") == 0) {
                o->broker_order = MQTTVPN_BROKERS_RANDOM;
            } else {
                rc = invalid("--broker-order", "'%s' is not an order: use in-order or random", optarg);
            }
            break;
        case OPT_BROKER_RETURN:
            rc = parse_int("--broker-return", optarg, 0, 86400, &broker_return);
            o->broker_return_s = (unsigned)broker_return;
            break;
        case 'a':
            have_address = 1;
            rc = parse_ip4("--address", optarg, o->address);
            break;
        case 'm':
            rc = parse_ip4("--netmask", optarg, o->netmask);
            memcpy(&mask, o->netmask, 4);
            mask = ntohl(mask);
            if (rc == SIM_OPTIONS_OK && (mask & (~mask >> 1)) != 0) {
                rc = invalid("--netmask", "'%s' is not a netmask (ones, then zeros)", optarg);
            }
            break;
        case 'g':
            rc = parse_ip4("--gateway", optarg, o->gateway);
            break;
        case '6':
            o->has_address6 = 1;
            rc = parse_ip6("--address6", optarg, o->address6);
            if (rc == SIM_OPTIONS_OK && (all_zero(o->address6, 16) || o->address6[0] == 0xff)) {
                rc = invalid("--address6", "'%s' is not a unicast address", optarg);
            }
            break;
        case 'x':
            rc = parse_int("--prefix6", optarg, 1, 128, &o->prefix6);
            break;
        case OPT_GATEWAY6:
            rc = parse_ip6("--gateway6", optarg, o->gateway6);
            break;
        case 'k':
            have_key = 1;
            rc = copy_secret_value("--key", "the key", optarg, &o->key);
            break;
        case OPT_KEY_FILE:
            have_key_file = 1;
            rc = read_secret_option("--key-file", optarg, &o->key);
            break;
        case OPT_TOPIC_PREFIX:
            o->topic_prefix = optarg;
            if (!mqttvpn_topic_prefix_valid(optarg)) {
                rc = invalid("--topic-prefix", "'%.*s' %s; use 1..%u printable ASCII characters without + or #,"
                             " a leading $ or a final /", (int)MQTTVPN_TOPIC_PREFIX_MAX, optarg,
                             mqttvpn_topic_prefix_problem(optarg), (unsigned)MQTTVPN_TOPIC_PREFIX_MAX);
            }
            break;
        case 't':
            if (o->n_targets == SIM_MAX_TARGETS) {
                rc = invalid("--target", "more than %d targets", SIM_MAX_TARGETS);
                break;
            }
            o->targets[o->n_targets].is_v6 = strchr(optarg, ':') != NULL;
            rc = o->targets[o->n_targets].is_v6
                     ? parse_ip6("--target", optarg, o->targets[o->n_targets].bytes)
                     : parse_ip4("--target", optarg, o->targets[o->n_targets].bytes);
            o->n_targets++;
            break;
        case 'n':
            if (optarg[0] == '\0' || strlen(optarg) >= sizeof(o->client_id)) {
                rc = invalid("--client-id", "must be 1..%zu characters", sizeof(o->client_id) - 1);
                break;
            }
            strcpy(o->client_id, optarg);
            break;
        case 'u':
            o->user = optarg;
            break;
        case 'p':
            have_password = 1;
            rc = copy_secret_value("--password", "the broker password", optarg, &o->password);
            break;
        case OPT_PASSWORD_FILE:
            have_password_file = 1;
            rc = read_secret_option("--password-file", optarg, &o->password);
            break;
        case OPT_KEEPALIVE:
            rc = parse_int("--keepalive", optarg, 5, 65535, &o->keepalive);
            break;
        case OPT_PING:
            o->has_ping = 1;
            o->ping.is_v6 = strchr(optarg, ':') != NULL;
            rc = o->ping.is_v6 ? parse_ip6("--ping", optarg, o->ping.bytes)
                               : parse_ip4("--ping", optarg, o->ping.bytes);
            break;
        case OPT_PING_INTERVAL:
            rc = parse_int("--ping-interval", optarg, 10, 3600000, &o->ping_interval_ms);
            break;
        case 'd':
            o->debug = 1;
            break;
        case OPT_ROUTE_FOR_OTHERS:
            o->route_for_others = 1;
            break;
        case OPT_STATE_DIR:
            if (optarg[0] == '\0') {
                rc = invalid("--state-dir", "needs a directory");
            }
            o->state_dir = optarg;
            break;
        case OPT_OTA_PASSWORD_FILE:
            rc = read_secret_option("--ota-password-file", optarg, &o->ota_password);
            break;
        case OPT_OTA_PORT:
            rc = parse_int("--ota-port", optarg, 1, 65535, &o->ota_port);
            break;
        case OPT_ROLLBACK_TIMEOUT:
            rc = parse_int("--rollback-timeout", optarg, 1, 86400, &o->rollback_timeout_s);
            break;
        case OPT_VERSION:
            printf("mqttvpn-sim %s\n", sim_version);
            sim_options_free(o);
            return SIM_OPTIONS_HELP;
        case 'h':
            fputs(usage, stdout);
            sim_options_free(o);
            return SIM_OPTIONS_HELP;
        case ':':
            rc = invalid(argv[optind - 1], "needs a value");
            break;
        default:
            rc = invalid(argv[optind - 1], "unknown option");
            break;
        }
    }
    if (rc != SIM_OPTIONS_OK) {
        sim_options_free(o);
        return rc;
    }
    if (optind < argc) {
        rc = invalid(argv[optind], "unexpected argument");
    } else if (!have_broker) {
        rc = invalid("--broker", "missing; e.g. --broker tcp://127.0.0.1:1883");
    } else if (o->broker_return_s > 0 && o->n_brokers < 2) {
        rc = invalid("--broker-return", "needs a second broker (another --broker) to return from");
    } else if (!have_address) {
        rc = invalid("--address", "missing; e.g. --address 10.0.1.2");
    } else if (have_key && have_key_file) {
        rc = invalid("--key-file", "give either --key or --key-file, not both");
    } else if (all_zero(o->address, 4) || o->address[0] >= 224) {
        rc = invalid("--address", "is not a unicast address");
    } else if (have_password && have_password_file) {
        rc = invalid("--password-file", "give either --password or --password-file, not both");
    } else if (o->user == NULL && o->password != NULL) {
        rc = invalid(have_password_file ? "--password-file" : "--password", "needs --user");
    } else if (o->ota_password != NULL && o->state_dir == NULL) {
        rc = invalid("--ota-password-file", "needs --state-dir (the slots an update is written to)");
    }
    if (rc != SIM_OPTIONS_OK) {
        sim_options_free(o);
        return rc;
    }
    if (o->client_id[0] == '\0') {
        /* MQTT_VPN_ and 8 random hex digits, as the ESP firmware names itself. */
        (void)mqttvpn_client_id(o->client_id, sizeof(o->client_id));
    }
    if (o->key != NULL && o->key[0] == '\0') {
        sim_secret_free(o->key); /* an empty key means no encryption (PROTOCOL.md) */
        o->key = NULL;
    }
    return SIM_OPTIONS_OK;
}

void sim_options_free(struct sim_options *o)
{
    sim_secret_free(o->ota_password);
    o->ota_password = NULL;
    sim_secret_free(o->key);
    o->key = NULL;
    sim_secret_free(o->password);
    o->password = NULL;
}
