/*
 * The lx106 test platform under qemu-system-xtensa -M sim -semihosting: output and exit
 * through the simcall instruction, instruction counts from CCOUNT. There is no C library
 * start-up here: reset.S sets the stack and calls mqttvpn_target_start.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "target.h"

/* QEMU's xtensa semihosting call numbers (target/xtensa/xtensa-semi.c). */
#define SIMCALL_EXIT 1
#define SIMCALL_WRITE 4
#define STDOUT_FD 1

/* With -icount shift=0 the sim core's CCOUNT runs at 40 MHz against one instruction per
 * nanosecond: one tick is 25 instructions (QEMU-LX106.md). */
#define INSTRUCTIONS_PER_CCOUNT 25u

extern int main(void);
extern uint8_t _bss_start[], _bss_end[];

static long simcall(long call, long a, long b, long c)
{
    register long a2 __asm__("a2") = call;
    register long a3 __asm__("a3") = a;
    register long a4 __asm__("a4") = b;
    register long a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

void mqttvpn_test_write(const char *text, size_t len)
{
    simcall(SIMCALL_WRITE, STDOUT_FD, (long)text, (long)len);
}

uint32_t mqttvpn_target_instructions(void)
{
    uint32_t ccount;
    __asm__ volatile("rsr.ccount %0" : "=r"(ccount));
    return ccount * INSTRUCTIONS_PER_CCOUNT;
}

void mqttvpn_target_exit(int status)
{
    for (;;) {
        simcall(SIMCALL_EXIT, status, 0, 0);
    }
}

static void print_hex(uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    char text[10] = {'0', 'x'};
    for (int i = 0; i < 8; i++) {
        text[2 + i] = hex[(v >> (28 - 4 * i)) & 0xf];
    }
    mqttvpn_test_write(text, sizeof text);
}

/* Called from the exception vectors in reset.S. Prints what xtensa-lx106-elf-addr2line needs
 * to name the faulting function, then fails the run instead of hanging until the timeout. */
void mqttvpn_target_exception(uint32_t vector, uint32_t cause, uint32_t epc1, uint32_t excvaddr)
{
    mqttvpn_test_print("\nEXCEPTION vector ");
    print_hex(vector);
    mqttvpn_test_print(" exccause ");
    print_hex(cause);
    mqttvpn_test_print(" epc1 ");
    print_hex(epc1);
    mqttvpn_test_print(" excvaddr ");
    print_hex(excvaddr);
    mqttvpn_test_print("\n");
    mqttvpn_target_exit(100);
}

void mqttvpn_target_start(void)
{
    /* QEMU's ELF loader zero-fills .bss already; a real boot ROM would not. */
    memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));
    mqttvpn_target_exit(main());
}
