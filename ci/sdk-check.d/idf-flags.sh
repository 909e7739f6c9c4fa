# The compile command of ESP-IDF's build system for one C file, rebuilt for Debian's
# riscv64-unknown-elf-gcc 12.2 (IDF 5.4 and 5.5 name GCC 14.2 in tools/tools.json, IDF 6.0
# GCC 15.2: warnings new in those are not seen here).
# Flags follow IDF's tools/cmake/build.cmake, its top CMakeLists.txt and
# components/soc/project_include.cmake (-march per target; IDF 5.4 sets the same values in
# tools/cmake/toolchain-<target>.cmake); those that depend on the project
# (optimisation, -Werror, ...) are read from the project's generated sdkconfig.h. Include dirs
# are the union of what IDF components export, so a missing REQUIRES in our CMakeLists.txt is
# not caught here (idf.py build would). Sourced by ci/sdk-check, used by jobs-idf.sh; uses W.

# idf_cc_cmd IDF_TREE MAJOR TARGET CFG_DIR MQTT_DIR : sets the arrays IDF_CC (compiler and
# flags) and IDF_INC (the SDK's include dirs, CFG_DIR with sdkconfig.h first). A component's own
# include dirs go between the two: CMake puts a target's own before its requirements'.
idf_cc_cmd() {
  local major=$2 t=$3 cfg=$4 mqtt=$5 C=$1/components S=$W/sysroot
  local h=$cfg/sdkconfig.h
  _cfg_has() { grep -q "^#define $1 1$" "$h"; }

  # -march as soc/project_include.cmake picks it. IDF 6 writes the A extension as its two
  # halves (_zaamo_zalrsc), which GCC 12 does not know yet: the same instructions.
  local march
  case $t in
    esp32c2|esp32c3) march=rv32imc_zicsr_zifencei ;;
    esp32c5|esp32c6|esp32c61|esp32h2) march=rv32imac_zicsr_zifencei ;;
    *) echo "sdk-check: no -march known for IDF target $t" >&2; return 1 ;;
  esac

  local G
  G=$(dirname "$(riscv64-unknown-elf-gcc -print-file-name=include)")
  IDF_CC=(riscv64-unknown-elf-gcc -nostdinc -isystem "$G/include")
  if ((major >= 6)); then
    # IDF 6 uses picolibc (components/esp_libc); Debian's picolibc 1.8 stands in for the
    # toolchain's, with one shim (sysroot.sh).
    IDF_CC+=(-isystem /usr/lib/picolibc/riscv64-unknown-elf/include -include "$S/shims/idf6-picolibc.h")
  else
    IDF_CC+=(-isystem "$S/rv-newlib" -include "$S/shims/idf5-mbedtls-fork.h")
  fi
  IDF_CC+=(-isystem "$G/include-fixed")
  IDF_CC+=("-march=$march" -mabi=ilp32)
  # build.cmake: C standard (IDF 6: gnu23, which GCC 12 calls gnu2x), common options, warnings.
  # -Werror sits right after -Wall, before the -Wno-error= exceptions; with
  # CONFIG_COMPILER_DISABLE_DEFAULT_ERRORS the top CMakeLists.txt replaces it there by -Werror=all
  # (idf_build_replace_option_from_property): appended after them, it would undo the exceptions.
  ((major >= 6)) && IDF_CC+=(-std=gnu2x) || IDF_CC+=(-std=gnu17)
  local werror=-Werror
  _cfg_has CONFIG_COMPILER_DISABLE_DEFAULT_ERRORS && werror=-Werror=all
  IDF_CC+=(-ffunction-sections -fdata-sections -Wall "$werror" -Wno-error=unused-function
    -Wno-error=unused-variable -Wno-error=unused-but-set-variable -Wno-error=deprecated-declarations
    -Wextra -Wno-error=extra -Wno-unused-parameter -Wno-sign-compare -Wno-enum-conversion
    -gdwarf-4 -ggdb)
  # Top CMakeLists.txt: options that follow the project's configuration.
  if _cfg_has CONFIG_COMPILER_OPTIMIZATION_SIZE; then IDF_CC+=(-Os -freorder-blocks)
  elif _cfg_has CONFIG_COMPILER_OPTIMIZATION_PERF; then IDF_CC+=(-O2)
  elif _cfg_has CONFIG_COMPILER_OPTIMIZATION_NONE; then IDF_CC+=(-O0)
  else IDF_CC+=(-Og -fno-shrink-wrap); fi
  _cfg_has CONFIG_COMPILER_WARN_WRITE_STRINGS && IDF_CC+=(-Wwrite-strings)
  _cfg_has CONFIG_COMPILER_OPTIMIZATION_ASSERTIONS_DISABLE && IDF_CC+=(-DNDEBUG)
  _cfg_has CONFIG_COMPILER_DISABLE_GCC12_WARNINGS && IDF_CC+=(-Wno-address -Wno-use-after-free)
  _cfg_has CONFIG_COMPILER_STACK_CHECK_MODE_NORM && IDF_CC+=(-fstack-protector)
  _cfg_has CONFIG_COMPILER_STACK_CHECK_MODE_STRONG && IDF_CC+=(-fstack-protector-strong)
  _cfg_has CONFIG_COMPILER_STACK_CHECK_MODE_ALL && IDF_CC+=(-fstack-protector-all)
  _cfg_has CONFIG_COMPILER_SAVE_RESTORE_LIBCALLS && IDF_CC+=(-msave-restore)
  _cfg_has CONFIG_ESP_SYSTEM_USE_FRAME_POINTER && IDF_CC+=(-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer)
  IDF_CC+=(-Wno-old-style-declaration -fstrict-volatile-bitfields -fno-jump-tables -fno-tree-switch-conversion)
  # Definitions every component gets (build.cmake, pthread, soc) and those of mbedtls's
  # public interface (IDF 6: esp_config.h is TF-PSA-Crypto's user config, read before its
  # config_psa.h; without it esp_config.h redefines MBEDTLS_PSA_BUILTIN_ALG_HMAC).
  local ver
  ver=$(for k in MAJOR MINOR PATCH; do sed -n "s/#define ESP_IDF_VERSION_$k *//p" "$C/esp_common/include/esp_idf_version.h"; done | paste -sd.)
  IDF_CC+=(-D_GLIBCXX_USE_POSIX_SEMAPHORE -D_GLIBCXX_HAVE_POSIX_SEMAPHORE -D_GNU_SOURCE -DESP_PLATFORM
    "-DIDF_VER=\"v$ver\"" -D_POSIX_READER_WRITER_LOCKS -DSOC_MMU_PAGE_SIZE=CONFIG_MMU_PAGE_SIZE
    -DSOC_XTAL_FREQ_MHZ=CONFIG_XTAL_FREQ '-DMBEDTLS_CONFIG_FILE="mbedtls/esp_config.h"')
  ((major >= 6)) && IDF_CC+=('-DTF_PSA_CRYPTO_USER_CONFIG_FILE="mbedtls/esp_config.h"'
    -DMBEDTLS_MAJOR_VERSION=4 -D__STDC_WANT_LIB_EXT1__=0)

  local libc=newlib; ((major >= 6)) && libc=esp_libc
  local d
  IDF_INC=()
  for d in "$cfg" \
    "$C"/$libc/platform_include \
    "$C"/freertos/config/include "$C"/freertos/config/include/freertos "$C"/freertos/config/riscv/include \
    "$C"/freertos/FreeRTOS-Kernel/include "$C"/freertos/FreeRTOS-Kernel/portable/riscv/include \
    "$C"/freertos/FreeRTOS-Kernel/portable/riscv/include/freertos "$C"/freertos/esp_additions/include \
    "$C"/esp_hw_support/include "$C"/esp_hw_support/include/soc "$C"/esp_hw_support/include/soc/$t \
    "$C"/esp_hw_support/dma/include "$C"/esp_hw_support/ldo/include "$C"/esp_hw_support/debug_probe/include \
    "$C"/esp_hw_support/mspi_timing_tuning/include "$C"/esp_hw_support/mspi_timing_tuning/tuning_scheme_impl/include \
    "$C"/esp_hw_support/power_supply/include "$C"/esp_hw_support/etm/include \
    "$C"/heap/include "$C"/heap/tlsf "$C"/log/include \
    "$C"/soc/include "$C"/soc/$t "$C"/soc/$t/include "$C"/soc/$t/register \
    "$C"/hal/platform_port/include "$C"/hal/$t/include "$C"/hal/include \
    "$C"/esp_rom/include "$C"/esp_rom/$t/include "$C"/esp_rom/$t/include/$t "$C"/esp_rom/$t \
    "$C"/esp_common/include "$C"/esp_system/include "$C"/riscv/include \
    "$C"/esp_timer/include "$C"/esp_event/include \
    "$C"/lwip/include "$C"/lwip/include/apps "$C"/lwip/include/apps/sntp "$C"/lwip/lwip/src/include \
    "$C"/lwip/port/include "$C"/lwip/port/freertos/include "$C"/lwip/port/esp32xx/include \
    "$C"/lwip/port/esp32xx/include/arch "$C"/lwip/port/esp32xx/include/sys \
    "$C"/esp_netif/include \
    "$mqtt/include" "$C"/tcp_transport/include "$C"/esp-tls "$C"/esp-tls/esp-tls-crypto \
    "$C"/mbedtls/port/include "$C"/mbedtls/mbedtls/include "$C"/mbedtls/esp_crt_bundle/include \
    "$C"/esp_wifi/include "$C"/esp_wifi/wifi_apps/include "$C"/esp_wifi/wifi_apps/nan_app/include "$C"/esp_wifi/include/local \
    "$C"/esp_phy/include "$C"/esp_phy/$t/include "$C"/esp_coex/include \
    "$C"/nvs_flash/include "$C"/esp_partition/include "$C"/spi_flash/include \
    "$C"/esp_http_server/include "$C"/http_parser \
    "$C"/esp_driver_gpio/include "$C"/esp_pm/include "$C"/vfs/include "$C"/pthread/include \
    "$C"/esp_mm/include "$C"/esp_security/include "$C"/efuse/include "$C"/efuse/$t/include \
    "$C"/esp_app_format/include "$C"/bootloader_support/include "$C"/esp_ringbuf/include \
    "$C"/app_update/include "$C"/esp_bootloader_format/include \
    "$C"/esp_driver_uart/include "$C"/esp_driver_usb_serial_jtag/include "$C"/esp_vfs_console/include \
    "$C"/esp_adc/include "$C"/esp_gdbstub/include "$C"/esp_eth/include "$C"/esp_driver_spi/include \
    "$C"/esp_hal_*/include "$C"/esp_hal_*/$t/include "$C"/esp_stdio/include "$C"/esp_netif_stack/include \
    "$C"/mbedtls/mbedtls/tf-psa-crypto/include "$C"/mbedtls/mbedtls/tf-psa-crypto/drivers/builtin/include \
    "$C"/mbedtls/port/psa_driver/include "$C"/esp_blockdev/include; do
    [[ -d $d ]] && IDF_INC+=("-I$d")
  done
  return 0
}
