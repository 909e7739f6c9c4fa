/*
 * A fence for the instruction scheduler, emitting no instruction.
 *
 * GCC schedules before register allocation on some targets, the lx106 among them, and there it
 * interleaves independent chains of work (Salsa20's four quarter-rounds, the ten columns of a
 * Poly1305 product) to hide latencies. A core with 15 usable registers then spills; measured
 * on the lx106, that cost Salsa20 about 30% and Poly1305 about 20%. GCC never moves an
 * instruction across a volatile asm, so an empty one between chains keeps each chain's values
 * in registers. Other compilers get nothing: the fence only affects speed, never results.
 * Override with -DMQTTVPN_SCHED_FENCE()= to measure without it.
 */
#ifndef MQTTVPN_SCHED_FENCE_H
#define MQTTVPN_SCHED_FENCE_H

#ifndef MQTTVPN_SCHED_FENCE
#if defined(__GNUC__)
#define MQTTVPN_SCHED_FENCE() __asm__ __volatile__("")
#define MQTTVPN_SCHED_FENCE_ON(x) __asm__ __volatile__("" : "+r"(x))
#else
#define MQTTVPN_SCHED_FENCE() ((void)0)
#define MQTTVPN_SCHED_FENCE_ON(x) ((void)0)
#endif
#endif

#endif /* MQTTVPN_SCHED_FENCE_H */
