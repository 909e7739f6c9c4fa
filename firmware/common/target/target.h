/*
 * What a bare-metal test target provides to target_main.c, besides mqttvpn_test_write()
 * (harness.h): an instruction counter and a way to end the run with a status.
 */
#ifndef MQTTVPN_TARGET_H
#define MQTTVPN_TARGET_H

#include <stdint.h>

/* Instructions retired so far (wraps; only differences are meaningful). */
uint32_t mqttvpn_target_instructions(void);

/* Ends the emulator run; status becomes QEMU's exit code. */
void mqttvpn_target_exit(int status);

#endif /* MQTTVPN_TARGET_H */
