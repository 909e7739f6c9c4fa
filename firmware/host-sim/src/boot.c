#include "boot.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define SELF "/proc/self/exe"

/* Plans and execs until this process is the image to run. A pending image that cannot be
 * exec'ed is marked started, so the next plan returns to the previous one; three rounds cover
 * that, anything more is a loop. */
static int boot_run(struct slots *s, char *const argv[], struct boot_plan *plan)
{
    int round;

    for (round = 0; round < 3; round++) {
        if (slots_boot_plan(s, SELF, plan) != 0) {
            sim_log(MQTTVPN_LOG_ERROR, "%s", s->error);
            return 1;
        }
        if (plan->installed) {
            sim_log(MQTTVPN_LOG_INFO, "state dir %s: installed this executable as slot a", s->dir);
        }
        if (plan->rolled_back) {
            sim_log(MQTTVPN_LOG_WARN, "rollback: the new image was started before and never confirmed; "
                                      "returning to slot %c", plan->slot);
        }
        if (!plan->exec_needed) {
            return 0;
        }
        execv(plan->path, argv);
        sim_log(MQTTVPN_LOG_ERROR, "cannot run slot %c (%s): %s", plan->slot, plan->path, strerror(errno));
        if (!s->state.pending) {
            return 1;
        }
        {
            struct slot_state st = s->state;
            st.started = 1;
            if (slots_write_state(s, &st) != 0) {
                sim_log(MQTTVPN_LOG_ERROR, "%s", s->error);
                return 1;
            }
        }
    }
    sim_log(MQTTVPN_LOG_ERROR, "state dir %s: no image could be started", s->dir);
    return 1;
}

int sim_boot(struct slots *s, const char *state_dir, char *const argv[], struct boot_plan *plan)
{
    if (slots_open(s, state_dir) != 0) {
        sim_log(MQTTVPN_LOG_ERROR, "%s", s->error);
        return 1;
    }
    return boot_run(s, argv, plan);
}

int sim_boot_switch(struct slots *s, char *const argv[])
{
    struct boot_plan plan;

    if (boot_run(s, argv, &plan) == 0) {
        sim_log(MQTTVPN_LOG_ERROR, "slot %c is already running: nothing to switch to", plan.slot);
    }
    return 1;
}
