/*
 * Reset and exception entry for the lx106 under qemu-system-xtensa -M sim. The CPU starts at
 * 0x50000000 (sysrom0) whatever the ELF's entry point says, so .reset is linked first there.
 * call0 ABI: a0 return address, a1 stack pointer, arguments in a2..a7.
 */
    .section .reset, "ax"
    .global _start
    .type _start, @function
    .align 4
_start:
    j       .Lboot
    .align 4
.Lstack_top:    .word _stack_top
.Lvector_base:  .word _vectors
.Lstart_c:      .word mqttvpn_target_start
.Lboot:
    l32r    a1, .Lstack_top
    l32r    a2, .Lvector_base
    wsr.vecbase a2
    /* PS after reset has EXCM set, which would turn the first exception into a double
     * exception without EPC1. UM=1 (user vector), INTLEVEL=15 (no interrupts: none are
     * used), call0 ABI so WOE=0. */
    movi    a2, 0x2f
    wsr.ps  a2
    rsync
    isync
    l32r    a0, .Lstart_c
    callx0  a0
.Lhang:
    j       .Lhang

/*
 * Vectors at the lx106's offsets from VECBASE (core-isa.h: debug 0x10, NMI 0x20, kernel 0x30,
 * user 0x50, double 0x70). Each loads its offset as an id and reports through C.
 */
    .section .vectors, "ax"
    .global _vectors
    .align 4
_vectors:
.Lexception_c:  .word mqttvpn_target_exception

    .org 0x10
    movi    a2, 0x10
    j       .Lreport
    .org 0x20
    movi    a2, 0x20
    j       .Lreport
    .org 0x30
    movi    a2, 0x30
    j       .Lreport
    .org 0x50
    movi    a2, 0x50
    j       .Lreport
    .org 0x70
    movi    a2, 0x70
    j       .Lreport

    .org 0x80
.Lreport:
    rsr.exccause a3
    rsr.epc1 a4
    rsr.excvaddr a5
    l32r    a0, .Lexception_c
    callx0  a0
    j       .Lreport
