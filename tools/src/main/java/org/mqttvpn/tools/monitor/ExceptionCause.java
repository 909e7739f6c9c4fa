package org.mqttvpn.tools.monitor;

/** Xtensa EXCCAUSE values as the ESP8266 prints them in "Exception (N):". */
final class ExceptionCause {
    private ExceptionCause() {
    }

    static String describe(int cause) {
        return switch (cause) {
            case 0 -> "IllegalInstruction (bad instruction, or code read from a bad address)";
            case 1 -> "Syscall";
            case 2 -> "InstructionFetchError (executing from an invalid address)";
            case 3 -> "LoadStoreError (8/16-bit access to IRAM or flash, or a bad address)";
            case 4 -> "Level1Interrupt";
            case 5 -> "Alloca";
            case 6 -> "IntegerDivideByZero";
            case 8 -> "Privileged";
            case 9 -> "LoadStoreAlignment (unaligned load or store)";
            case 12 -> "InstrPIFDataError";
            case 13 -> "LoadStorePIFDataError";
            case 14 -> "InstrPIFAddrError";
            case 15 -> "LoadStorePIFAddrError";
            case 16 -> "InstTLBMiss";
            case 17 -> "InstTLBMultiHit";
            case 18 -> "InstFetchPrivilege";
            case 20 -> "InstFetchProhibited (jump to a bad address, often a dangling function pointer)";
            case 24 -> "LoadStoreTLBMiss";
            case 25 -> "LoadStoreTLBMultiHit";
            case 26 -> "LoadStorePrivilege";
            case 28 -> "LoadProhibited (read from an invalid address: often a NULL pointer)";
            case 29 -> "StoreProhibited (write to an invalid address: often a NULL pointer)";
            default -> "unknown cause";
        };
    }
}
