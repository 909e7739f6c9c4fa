/*
 * Fences for the instruction scheduler. They emit no instruction and never change a result.
 *
 * GCC schedules before register allocation on some targets, the lx106 among them, and there
 * it interleaves independent chains of work (Salsa20's four quarter-rounds, the products of
 * a Poly1305 column) to hide latencies. A core with 15 usable registers then spills: on the
 * lx106 at -O2, a Salsa20 block takes 2100 instructions without the fences and 1625 with
 * them, Poly1305 453 per 16 bytes instead of 389. GCC moves no instruction across a volatile
 * asm, so an empty one between chains keeps each chain's values in registers.
 *
 * MQTTVPN_SCHED_FENCE()      a barrier between statements.
 * MQTTVPN_SCHED_FENCE_ON(x)  the same, and x must be computed at this point: this stops
 *                            GCC from reassociating a sum across the fence.
 *
 * Other compilers get no-ops. Override either with -D...= (empty) to measure without them.
 */
#ifndef MQTTVPN_SCHED_FENCE_H
#define MQTTVPN_SCHED_FENCE_H

#ifndef MQTTVPN_SCHED_FENCE
#if defined(__GNUC__)
#define MQTTVPN_SCHED_FENCE() __asm__ __volatile__("")
#else
#define MQTTVPN_SCHED_FENCE() ((void)0)
#endif
#endif

#ifndef MQTTVPN_SCHED_FENCE_ON
#if defined(__GNUC__)
#define MQTTVPN_SCHED_FENCE_ON(x) __asm__ __volatile__("" : "+r"(x))
#else
#define MQTTVPN_SCHED_FENCE_ON(x) ((void)(x))
#endif
#endif

#endif /* MQTTVPN_SCHED_FENCE_H */
