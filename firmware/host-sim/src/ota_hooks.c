/*
 * The OTA receiver's platform hooks (mqttvpn/ota.h) for the virtual device: the image goes to
 * the state directory's free slot (slots.h); the restart is a switch request to main(). ctx is
 * the struct ota_service. Core context; file writes block briefly, as flash writes would not.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mqttvpn/ota.h"
#include "ota_service.h"

const char *mqttvpn_hook_ota_begin(void *ctx, uint32_t size)
{
    struct ota_service *svc = ctx;

    /* The free slot is where a pending image would return to: keep it until confirmed. */
    if (svc->slots->state.pending) {
        return "the running image is not confirmed yet";
    }
    svc->image_fd = slots_begin_image(svc->slots);
    if (svc->image_fd < 0) {
        sim_log(MQTTVPN_LOG_ERROR, "ota: %s", svc->slots->error);
        return "cannot write the free slot";
    }
    sim_log(MQTTVPN_LOG_INFO, "ota: receiving %lu bytes into slot %c", (unsigned long)size,
            slots_free_slot(svc->slots));
    return NULL;
}

long mqttvpn_hook_ota_write(void *ctx, const uint8_t *data, size_t len)
{
    struct ota_service *svc = ctx;
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(svc->image_fd, data + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            sim_log(MQTTVPN_LOG_ERROR, "ota: writing the image: %s", strerror(errno));
            return -1;
        }
        done += (size_t)n;
    }
    return (long)len;
}

const char *mqttvpn_hook_ota_finish(void *ctx)
{
    struct ota_service *svc = ctx;
    int fd = svc->image_fd;

    svc->image_fd = -1;
    if (slots_commit_image(svc->slots, fd) != 0) {
        sim_log(MQTTVPN_LOG_ERROR, "ota: %s", svc->slots->error);
        return "cannot store the image";
    }
    sim_log(MQTTVPN_LOG_INFO, "ota: slot %c holds the new image; it runs next, on probation",
            svc->slots->state.active);
    return NULL;
}

void mqttvpn_hook_ota_abort(void *ctx)
{
    struct ota_service *svc = ctx;

    slots_discard_image(svc->slots, svc->image_fd);
    svc->image_fd = -1;
}

void mqttvpn_hook_ota_restart(void *ctx)
{
    ota_service_request_switch(ctx, "restart into the new image");
}
