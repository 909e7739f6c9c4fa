# The lx106 toolchain with which the package checks of the Arduino library and the ESP-IDF
# component compile their SDK-free sources: Debian's lwIP headers behind the test-only
# lwipopts.h and arch/cc.h in esp8266-arduino/test/lx106, picolibc's C library. Include it
# after COMMON is set; add the package's own -I folders to LX106_BASE_FLAGS.
LX106_CC  ?= xtensa-lx106-elf-gcc
LX106_CXX ?= xtensa-lx106-elf-g++
LX106_SYSROOT ?= /usr/lib/xtensa-lx106-elf
LWIP_INCLUDE ?= /usr/include/lwip
LX106_TEST_INCLUDE := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../test/lx106)
LX106_BASE_FLAGS := -Wall -Wextra -Werror -Os -mtext-section-literals -ffreestanding \
	-I$(LX106_TEST_INCLUDE) -I$(LWIP_INCLUDE) -isystem $(LX106_SYSROOT)/include

# Staging only copies files; the checks (test, package) need the compilers and headers.
MQTTVPN_UNCHECKED_GOALS := all stage
include $(COMMON)/require.mk
$(call mqttvpn_need_cmds,$(LX106_CC):gcc-xtensa-lx106 $(LX106_CXX):gcc-xtensa-lx106)
$(call mqttvpn_need_files,$(LWIP_INCLUDE)/lwip/netif.h:liblwip-dev $(LX106_SYSROOT)/include/string.h:picolibc-xtensa-lx106-elf)
