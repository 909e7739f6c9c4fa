/* One-line logging to stderr for the virtual device; also backs mqttvpn_hook_log. */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdarg.h>

#include "mqttvpn/hooks.h" /* the MQTTVPN_LOG_* levels */

/* Messages above this level are dropped; MQTTVPN_LOG_INFO unless --debug. */
void sim_log_set_level(int level);
int sim_log_enabled(int level);

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void sim_log(int level, const char *fmt, ...);
void sim_vlog(int level, const char *fmt, va_list ap);

#endif
