/*
 * The rv32 (ESP32-C3 core) test platform under qemu-system-riscv32 -M virt: picolibc's crt0
 * and semihosting do start-up, output and exit; instruction counts come from minstret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "target.h"

void mqttvpn_test_write(const char *text, size_t len)
{
    fwrite(text, 1, len, stdout);
}

uint32_t mqttvpn_target_instructions(void)
{
    uint32_t count;
    /* Zicsr is named only here: adding it to -march would miss picolibc's rv32imac multilib. */
    __asm__ volatile(".option push\n\t"
                     ".option arch, +zicsr\n\t"
                     "csrr %0, minstret\n\t"
                     ".option pop"
                     : "=r"(count));
    return count;
}

void mqttvpn_target_exit(int status)
{
    fflush(stdout);
    exit(status); /* returning from main did not end QEMU (QEMU-LX106.md) */
}
