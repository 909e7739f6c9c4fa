/*
 * The OTA hooks of mqttvpn/ota.h for the host tests: they keep what the receiver writes and
 * count every call, and can be told to refuse, to take only part or nothing, to fail, or to
 * make finish wait. Give &rec as the platform pointer: the hooks abort on any other.
 */
#ifndef MQTTVPN_TEST_OTA_RECORDER_H
#define MQTTVPN_TEST_OTA_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#define REC_IMAGE_MAX (1u << 20)

struct ota_recorder {
    uint8_t image[REC_IMAGE_MAX];  /* the bytes the write hook took, in order */
    uint32_t written;
    unsigned begins, writes, finishes, aborts, restarts;
    uint32_t begin_size;
    uint32_t finished_ms;          /* when finish last said yes (mqttvpn_hook_now_ms) */
    /* what the hooks do */
    const char *begin_refuses;     /* begin returns this */
    long take_at_most;             /* > 0: write takes at most this many bytes per call */
    int stalled;                   /* write takes nothing */
    int write_fails;               /* write returns -1 */
    unsigned finish_not_yet;       /* finish says MQTTVPN_OTA_NOT_YET this many times first */
    const char *finish_refuses;    /* then returns this */
    void (*on_begin)(void);        /* called inside the begin hook */
    void (*on_restart)(void);      /* called inside the restart hook */
};

extern struct ota_recorder rec;

/* Forgets everything: counters, image, switches. */
void rec_reset(void);

#endif
