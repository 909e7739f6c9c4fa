/*
 * mqttvpn-sim: a virtual MQTT-VPN device. The firmware core on lwIP's tcpip thread,
 * libmosquitto in its own thread, the main thread waiting for SIGINT/SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mosquitto.h>

#include "device.h"
#include "log.h"
#include "mqtt_link.h"
#include "options.h"

/* Backoff of the first connection attempts; libmosquitto's own (1..32 s) takes over after. */
#define SIM_FIRST_CONNECT_MIN_S 1u
#define SIM_FIRST_CONNECT_MAX_S 32u

static struct sim_device device;

int main(int argc, char **argv)
{
    struct sim_options opts;
    struct mqtt_link *link;
    sigset_t stop_signals;
    unsigned delay_s;
    int rc, sig = 0;

    rc = sim_options_parse(argc, argv, &opts);
    if (rc != SIM_OPTIONS_OK) {
        return rc == SIM_OPTIONS_HELP ? 0 : 2;
    }
    sim_log_set_level(opts.debug ? MQTTVPN_LOG_DEBUG : MQTTVPN_LOG_INFO);

    /* Block the stop signals before any thread starts, so only sigwait() below sees them. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    mosquitto_lib_init();
    link = mqtt_link_create(&opts);
    if (link == NULL) {
        rc = 1;
        goto out;
    }
    rc = device_start(&device, &opts, link);
    if (rc != 0) {
        goto out;
    }
    device_print(&device, &opts);
    mqtt_link_attach(link, &device.nif);

    /* Until a first connection starts, retry here (libmosquitto retries after that). */
    for (delay_s = SIM_FIRST_CONNECT_MIN_S; (rc = mqtt_link_connect(link)) == 1;) {
        struct timespec wait = {(time_t)delay_s, 0};
        sig = sigtimedwait(&stop_signals, NULL, &wait);
        if (sig > 0) {
            break;
        }
        delay_s = delay_s * 2u > SIM_FIRST_CONNECT_MAX_S ? SIM_FIRST_CONNECT_MAX_S : delay_s * 2u;
    }
    if (rc < 0) {
        rc = 1;
        goto out;
    }
    while (sig <= 0 && sigwait(&stop_signals, &sig) != 0) {
    }
    sim_log(MQTTVPN_LOG_INFO, "stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    mqtt_link_stop(link);
    rc = 0;

out:
    device_stop(&device);
    mqtt_link_destroy(link);
    mosquitto_lib_cleanup();
    sim_options_free(&opts);
    return rc;
}
