/* The Schedule.h model (sdk/Schedule.h): the core's rules for scheduled functions. */
#include "Schedule.h"

#include <deque>
#include <list>

#include "Arduino.h"

/* Every function holding a slot, oldest first; the one running stays at the front until it
 * has returned, as the core recycles its item only then. */
static std::deque<std::function<void(void)>> slots;
static size_t last_run;

struct recurrent {
    std::function<bool(void)> fn;
    uint64_t repeat_us;
    uint64_t last_us;
};
static std::list<recurrent> recurrents;

static uint64_t now_us()
{
    return (uint64_t)millis() * 1000u;
}

bool schedule_function(const std::function<void(void)> &fn)
{
    if (!fn || slots.size() >= SCHEDULED_FN_MAX_COUNT) {
        return false;
    }
    slots.push_back(fn);
    return true;
}

void run_scheduled_functions()
{
    size_t pending = slots.size(); /* "prevent scheduling of new functions during this run" */
    last_run = 0;
    while (pending-- > 0) {
        std::function<void(void)> fn = slots.front();
        fn();
        slots.pop_front();
        last_run++;
    }
}

bool schedule_recurrent_function_us(const std::function<bool(void)> &fn, uint32_t repeat_us,
                                    const std::function<bool(void)> &alarm)
{
    (void)alarm;
    if (!fn) {
        return false;
    }
    recurrents.push_back(recurrent{fn, repeat_us, now_us()});
    return true;
}

void run_scheduled_recurrent_functions()
{
    static bool fence; /* the core's guard against recursion from yield() */
    if (fence || recurrents.empty()) {
        return;
    }
    fence = true;
    auto stop = std::prev(recurrents.end()); /* added meanwhile: from the next run on */
    for (auto it = recurrents.begin();;) {
        bool last = it == stop;
        bool due = now_us() - it->last_us >= it->repeat_us;
        if (due) {
            it->last_us = now_us();
        }
        if (due && !it->fn()) {
            it = recurrents.erase(it);
        } else {
            ++it;
        }
        if (last) {
            break;
        }
    }
    fence = false;
}

size_t model_scheduled_count()
{
    return slots.size();
}

size_t model_scheduled_last_run()
{
    return last_run;
}

size_t model_recurrent_count()
{
    return recurrents.size();
}
