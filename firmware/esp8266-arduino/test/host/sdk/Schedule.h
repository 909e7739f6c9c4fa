/*
 * Host model of the core's Schedule.h / Schedule.cpp (3.1.2).
 * Scheduled functions, called once:
 *   - schedule_function() appends to a FIFO and returns false when SCHEDULED_FN_MAX_COUNT
 *     functions hold a slot (or fn is empty);
 *   - run_scheduled_functions(), which the core calls after every return of loop(), runs the
 *     functions that were pending when it started, in order; one scheduled meanwhile waits
 *     for the next call;
 *   - a function keeps its slot until it has returned (the core recycles it afterwards).
 * Recurrent functions: run by run_scheduled_recurrent_functions() (after the scheduled ones
 * at each return of loop(), and at every yield()) once repeat_us has passed since the last
 * run, and removed when they return false. No limit on their number.
 */
#ifndef MQTTVPN_MODEL_SCHEDULE_H
#define MQTTVPN_MODEL_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include <functional>

#define SCHEDULED_FN_MAX_COUNT 32

bool schedule_function(const std::function<void(void)> &fn);
void run_scheduled_functions();

bool schedule_recurrent_function_us(const std::function<bool(void)> &fn, uint32_t repeat_us,
                                    const std::function<bool(void)> &alarm = nullptr);
void run_scheduled_recurrent_functions();

/* Model only: functions holding a slot (pending or running), how many the last
 * run_scheduled_functions() ran, and the recurrent functions present. */
size_t model_scheduled_count();
size_t model_scheduled_last_run();
size_t model_recurrent_count();

#endif
