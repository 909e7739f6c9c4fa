# What a firmware build runs, checked when the Makefile is read: a missing tool or library
# stops the build with the Debian package that provides it, instead of a compiler error about
# lwip/netif.h or "xtensa-lx106-elf-gcc: No such file or directory" half-way through.
#
#   MQTTVPN_UNCHECKED_GOALS := package        goals that need nothing (clean always)
#   include ../common/require.mk
#   $(call mqttvpn_need_pkgs,lwip:liblwip-dev libsodium:libsodium-dev)          pkg-config names
#   $(call mqttvpn_need_cmds,qemu-system-xtensa:qemu-system-misc,HINT)          commands on PATH
#   $(call mqttvpn_need_files,/usr/lib/xtensa-lx106-elf/include/string.h:picolibc-xtensa-lx106-elf)
# Each item is <name>:<Debian package>; HINT (optional, no commas) ends the message.

mqttvpn_checking := $(filter-out clean $(MQTTVPN_UNCHECKED_GOALS),$(or $(MAKECMDGOALS),all))
mqttvpn_item_name = $(word 1,$(subst :, ,$(1)))
mqttvpn_item_deb = $(word 2,$(subst :, ,$(1)))
mqttvpn_absent_pkgs = $(strip $(foreach i,$(1),$(if $(shell pkg-config --exists $(call mqttvpn_item_name,$(i)) 2>/dev/null && echo y),,$(i))))
mqttvpn_absent_cmds = $(strip $(foreach i,$(1),$(if $(shell command -v $(call mqttvpn_item_name,$(i)) 2>/dev/null),,$(i))))
mqttvpn_absent_files = $(strip $(foreach i,$(1),$(if $(wildcard $(call mqttvpn_item_name,$(i))),,$(i))))
# $(1) the absent items, $(2) why they count as absent, $(3) packages to install besides, $(4) hint
mqttvpn_missing = $(error $(notdir $(CURDIR)): $(foreach i,$(1),$(call mqttvpn_item_name,$(i))) not found ($(2)); install: apt-get install -y $(sort $(3) $(foreach i,$(1),$(call mqttvpn_item_deb,$(i))))$(if $(4),; $(4)))

mqttvpn_need_pkgs = $(if $(mqttvpn_checking),$(if $(call mqttvpn_absent_pkgs,$(1)),$(call mqttvpn_missing,$(call mqttvpn_absent_pkgs,$(1)),pkg-config knows no such package,pkg-config,$(2))))
mqttvpn_need_cmds = $(if $(mqttvpn_checking),$(if $(call mqttvpn_absent_cmds,$(1)),$(call mqttvpn_missing,$(call mqttvpn_absent_cmds,$(1)),not on PATH,,$(2))))
mqttvpn_need_files = $(if $(mqttvpn_checking),$(if $(call mqttvpn_absent_files,$(1)),$(call mqttvpn_missing,$(call mqttvpn_absent_files,$(1)),no such file,,$(2))))
