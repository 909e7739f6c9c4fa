/*
 * The start of mqttvpn-sim with --state-dir: run the image the state directory says (slots.h),
 * exec'ing it when this process is another one, and switch to another image later (after an
 * update, or a rollback) the same way.
 */
#ifndef SIM_BOOT_H
#define SIM_BOOT_H

#include "slots.h"

/*
 * Opens the state directory and decides which image runs (slots_boot_plan). When this process
 * is that image, returns 0 with plan filled. Otherwise execs it with argv (the same command
 * line) and does not return; an image that cannot be exec'ed and was pending counts as failed
 * and the previous one is exec'ed instead. Returns 1 after logging why when nothing can run.
 */
int sim_boot(struct slots *s, const char *state_dir, char *const argv[], struct boot_plan *plan);

/* The same for a running process whose state now names another image: execs it. Call after
 * stopping cleanly. Returns 1 after logging why when that fails. */
int sim_boot_switch(struct slots *s, char *const argv[]);

#endif
