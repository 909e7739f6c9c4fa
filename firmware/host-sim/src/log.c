#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static volatile int sim_log_level = MQTTVPN_LOG_INFO;

void sim_log_set_level(int level)
{
    sim_log_level = level;
}

int sim_log_enabled(int level)
{
    return level <= sim_log_level;
}

void sim_vlog(int level, const char *fmt, va_list ap)
{
    static const char *const names[] = {"", "error", "warn", "info", "debug"};
    char line[512];
    struct timespec ts;
    struct tm tm;
    int n;

    if (!sim_log_enabled(level)) {
        return;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    n = snprintf(line, sizeof(line), "%02d:%02d:%02d.%03ld mqttvpn-sim %s: ", tm.tm_hour, tm.tm_min,
                 tm.tm_sec, ts.tv_nsec / 1000000L,
                 level >= 0 && level <= MQTTVPN_LOG_DEBUG ? names[level] : "?");
    if (n < 0 || (size_t)n >= sizeof(line)) {
        return;
    }
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    /* One fprintf per line: stdio's lock keeps lines from different threads whole. */
    fprintf(stderr, "%s\n", line);
}

void sim_log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_vlog(level, fmt, ap);
    va_end(ap);
}
