#include "ota_recorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqttvpn/hooks.h"
#include "mqttvpn/ota.h"

struct ota_recorder rec;

void rec_reset(void)
{
    memset(&rec, 0, sizeof(rec));
}

static void check_ctx(const void *ctx)
{
    if (ctx != &rec) {
        fprintf(stderr, "ota recorder: a hook got a platform pointer other than &rec\n");
        abort();
    }
}

const char *mqttvpn_hook_ota_begin(void *ctx, uint32_t size)
{
    check_ctx(ctx);
    rec.begins++;
    rec.begin_size = size;
    if (rec.on_begin != NULL) {
        rec.on_begin();
    }
    if (rec.begin_refuses != NULL) {
        return rec.begin_refuses;
    }
    rec.written = 0;
    return NULL;
}

long mqttvpn_hook_ota_write(void *ctx, const uint8_t *data, size_t len)
{
    size_t n = len;

    check_ctx(ctx);
    rec.writes++;
    if (rec.write_fails) {
        return -1;
    }
    if (rec.stalled) {
        return 0;
    }
    if (rec.take_at_most > 0 && n > (size_t)rec.take_at_most) {
        n = (size_t)rec.take_at_most;
    }
    if (rec.written + n > REC_IMAGE_MAX) {
        fprintf(stderr, "ota recorder: image larger than REC_IMAGE_MAX\n");
        abort();
    }
    memcpy(rec.image + rec.written, data, n);
    rec.written += (uint32_t)n;
    return (long)n;
}

const char *mqttvpn_hook_ota_finish(void *ctx)
{
    check_ctx(ctx);
    rec.finishes++;
    if (rec.finish_not_yet > 0) {
        rec.finish_not_yet--;
        return MQTTVPN_OTA_NOT_YET;
    }
    if (rec.finish_refuses == NULL) {
        rec.finished_ms = mqttvpn_hook_now_ms();
    }
    return rec.finish_refuses;
}

void mqttvpn_hook_ota_abort(void *ctx)
{
    check_ctx(ctx);
    rec.aborts++;
}

void mqttvpn_hook_ota_restart(void *ctx)
{
    check_ctx(ctx);
    rec.restarts++;
    if (rec.on_restart != NULL) {
        rec.on_restart();
    }
}
