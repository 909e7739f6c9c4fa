/*
 * mqttvpn-sim: a virtual MQTT-VPN device. The firmware core on lwIP's tcpip thread,
 * libmosquitto in its own thread, the main thread waiting for SIGINT/SIGTERM, or for the
 * request to switch to another image (an update, a rollback: SIM_SWITCH_SIGNAL).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mosquitto.h>

#include "lwip/tcpip.h"

#include "boot.h"
#include "device.h"
#include "log.h"
#include "mqtt_link.h"
#include "options.h"
#include "ota_service.h"

static struct sim_device device;
static struct slots slots;

/* The command line as it came, for exec'ing another image: getopt reorders argv. */
static char **copy_argv(int argc, char **argv)
{
    char **copy = calloc((size_t)argc + 1u, sizeof(*copy));
    if (copy != NULL) {
        memcpy(copy, argv, (size_t)argc * sizeof(*copy));
    }
    return copy;
}

static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a switch request";
}

int main(int argc, char **argv)
{
    struct sim_options opts;
    struct mqtt_link *link = NULL;
    struct boot_plan plan;
    char **boot_argv = copy_argv(argc, argv);
    sigset_t stop_signals;
    int rc, sig = 0;

    if (boot_argv == NULL) {
        fputs("mqttvpn-sim: out of memory\n", stderr);
        return 1;
    }
    rc = sim_options_parse(argc, argv, &opts);
    if (rc != SIM_OPTIONS_OK) {
        free(boot_argv);
        return rc == SIM_OPTIONS_HELP ? 0 : 2;
    }
    sim_log_set_level(opts.debug ? MQTTVPN_LOG_DEBUG : MQTTVPN_LOG_INFO);

    /* The image the state directory names runs, before anything else starts. */
    memset(&plan, 0, sizeof(plan));
    if (opts.state_dir != NULL && sim_boot(&slots, opts.state_dir, boot_argv, &plan) != 0) {
        sim_options_free(&opts);
        free(boot_argv);
        return 1;
    }

    /* Block the stop signals before any thread starts, so only sigwait() below sees them. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIM_SWITCH_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    mosquitto_lib_init();
    link = mqtt_link_create(&opts);
    if (link == NULL) {
        rc = 1;
        goto out;
    }
    rc = device_start(&device, &opts, link, opts.state_dir != NULL ? &slots : NULL, plan.on_probation);
    if (rc != 0) {
        goto out;
    }
    device_print(&device, &opts);
    mqtt_link_attach(link, &device.nif);

    /* The link's thread connects, fails over and reconnects by itself until stopped. */
    if (mqtt_link_start(link) != 0) {
        rc = 1;
        goto out;
    }
    while (sig <= 0 && sigwait(&stop_signals, &sig) != 0) {
    }
    if (sig == SIM_SWITCH_SIGNAL) {
        const char *why;
        char next;
        LOCK_TCPIP_CORE(); /* the service writes both in the core context */
        why = device.ota.switch_reason != NULL ? device.ota.switch_reason : "requested";
        next = slots.state.active;
        UNLOCK_TCPIP_CORE();
        sim_log(MQTTVPN_LOG_INFO, "switching to slot %c (%s): stopping", next, why);
        /* Unsubscribe (the interface goes), then disconnect, then the other image. */
        device_stop(&device);
        mqtt_link_stop(link);
        mqtt_link_destroy(link);
        mosquitto_lib_cleanup();
        sim_options_free(&opts);
        rc = sim_boot_switch(&slots, boot_argv); /* returns only when no image could run */
        free(boot_argv);
        return rc;
    }
    sim_log(MQTTVPN_LOG_INFO, "stopping on %s", signal_name(sig));
    mqtt_link_stop(link);
    rc = 0;

out:
    device_stop(&device);
    mqtt_link_destroy(link);
    mosquitto_lib_cleanup();
    sim_options_free(&opts);
    free(boot_argv);
    return rc;
}
