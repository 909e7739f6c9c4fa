# The C and C++ library headers of the SDKs' own toolchains, in $W/sysroot/. Debian's cross
# compilers are the SDKs' GCC, but not their libc: compiling against Debian's picolibc would
# check our code against headers no ESP8266 core 3.x or IDF 5.x build sees. Sourced by
# ci/sdk-check; uses D, W. Rebuilt when the newlib pins or this file change.

sysroot_setup() {
  local S=$W/sysroot stamp
  stamp="$(grep -E '^newlib-' "$W/pins.resolved")
$(sha256sum "$D/sysroot.sh" | cut -c1-16)"
  [[ -f $S/.stamp && "$(cat "$S/.stamp")" == "$stamp" ]] && return 0
  echo "sdk-check: preparing the toolchains' C/C++ headers (once; cached in $S)" >&2
  rm -rf "$S" && mkdir -p "$S" || return 1

  # newlib 4.0 of the ESP8266 core 3.x toolchain (earlephilhower/newlib-xtensa). newlib.h is
  # written by configure; these are the values of esp-quick-toolchain's configure flags
  # (--enable-newlib-nano-formatted-io --enable-newlib-reent-small ...).
  local NX=$W/sdk/newlib-xtensa-4.0/newlib/libc
  cp -r "$NX/include" "$S/xtensa-newlib" && cp -r "$NX/sys/xtensa/include/." "$S/xtensa-newlib/" \
    && cp "$NX"/sys/xtensa/sys/*.h "$S/xtensa-newlib/sys/" || return 1
  cat > "$S/xtensa-newlib/newlib.h" <<'EOT'
#ifndef __NEWLIB_H__
#define __NEWLIB_H__ 1
#include <_newlib_version.h>
#define _WANT_REENT_SMALL 1
#define _MB_LEN_MAX 1
#define HAVE_INITFINI_ARRAY 1
#define _ATEXIT_DYNAMIC_ALLOC 1
#define _HAVE_LONG_DOUBLE 1
#define _HAVE_CC_INHIBIT_LOOP_TO_LIBCALL 1
#define _LDBL_EQ_DBL 1
#define _FVWRITE_IN_STREAMIO 1
#define _FSEEK_OPTIMIZATION 1
#define _WIDE_ORIENT 1
#define _UNBUF_STREAM_OPT 1
#define _NANO_FORMATTED_IO 1
#endif
EOT
  newlib_version_h 4 0 0 > "$S/xtensa-newlib/_newlib_version.h"
  # The core's HardwareSerial.h includes <../include/time.h>: resolved through this link.
  ln -sfn xtensa-newlib "$S/include"

  # libstdc++ 12 headers for a newlib target: Debian's libstdc++-arm-none-eabi-dev, unpacked
  # (not installed); its ARM cpu_defines.h / cxxabi_tweaks.h replaced by the generic ones of
  # the host's libstdc++-12-dev.
  local deb cxx=/usr/include/newlib/c++/12.2.1
  if [[ ! -d $cxx ]]; then
    mkdir -p "$W/debs"
    deb=$(ls "$W"/debs/libstdc++-arm-none-eabi-dev_*.deb 2>/dev/null | head -1)
    if [[ -z $deb ]]; then
      (cd "$W/debs" && apt-get download libstdc++-arm-none-eabi-dev >/dev/null 2>&1) || {
        echo "sdk-check: cannot get the libstdc++ headers for a newlib target: run apt-get update && apt-get install libstdc++-arm-none-eabi-dev (or put libstdc++-arm-none-eabi-dev_*.deb into $W/debs)" >&2
        return 1; }
      deb=$(ls "$W"/debs/libstdc++-arm-none-eabi-dev_*.deb | head -1)
    fi
    rm -rf "$W/debs/x" && dpkg-deb -x "$deb" "$W/debs/x" || return 1
    cxx=$W/debs/x/usr/include/newlib/c++/12.2.1
  fi
  mkdir -p "$S/cxx/target/bits" && cp -r "$cxx" "$S/cxx/generic" && rm -rf "$S/cxx/generic/arm-none-eabi" \
    && cp "$cxx"/arm-none-eabi/bits/* "$S/cxx/target/bits/" \
    && cp /usr/include/x86_64-linux-gnu/c++/12/bits/{cxxabi_tweaks.h,cpu_defines.h} "$S/cxx/target/bits/" || {
      echo "sdk-check: the generic libstdc++ target headers are missing: apt-get install libstdc++-12-dev" >&2; return 1; }

  # newlib 4.3 of the ESP-IDF 5.x RISC-V toolchain (espressif/newlib-esp32 esp-4.3.0); newlib.h
  # as crosstool-NG's configuration of it writes it.
  local NR=$W/sdk/newlib-esp32-4.3/newlib/libc
  cp -r "$NR/include" "$S/rv-newlib" && cp "$NR"/machine/riscv/sys/*.h "$S/rv-newlib/sys/" \
    && cp "$NR"/sys/esp/include/sys/*.h "$S/rv-newlib/sys/" || return 1
  cat > "$S/rv-newlib/newlib.h" <<'EOT'
#ifndef __NEWLIB_H__
#define __NEWLIB_H__ 1
#include <_newlib_version.h>
#define _WANT_IO_C99_FORMATS 1
#define _WANT_IO_LONG_LONG 1
#define _WANT_REGISTER_FINI 1
#define _REENT_CHECK_VERIFY 1
#define _MB_LEN_MAX 1
#define HAVE_INITFINI_ARRAY 1
#define _ATEXIT_DYNAMIC_ALLOC 1
#define _HAVE_LONG_DOUBLE 1
#define _HAVE_CC_INHIBIT_LOOP_TO_LIBCALL 1
#define _FVWRITE_IN_STREAMIO 1
#define _FSEEK_OPTIMIZATION 1
#define _WIDE_ORIENT 1
#define _UNBUF_STREAM_OPT 1
#define _RETARGETABLE_LOCKING 1
#endif
EOT
  newlib_version_h 4 3 0 > "$S/rv-newlib/_newlib_version.h"

  # Stand-ins, one line each, for what the substituted pieces lack (pre-included with -include):
  mkdir -p "$S/shims"
  # IDF 5.5: a type of Espressif's mbedtls fork that upstream mbedtls 3.6.4 does not declare.
  echo 'typedef struct mbedtls_gcm_context_soft mbedtls_gcm_context_soft;' > "$S/shims/idf5-mbedtls-fork.h"
  # IDF 6.0: esp_libc's stdio.h expects ssize_t from a newer picolibc than Debian's 1.8.
  echo '#include <sys/types.h>' > "$S/shims/idf6-picolibc.h"

  echo "$stamp" > "$S/.stamp"
}

newlib_version_h() {
  printf '#ifndef _NEWLIB_VERSION_H__\n#define _NEWLIB_VERSION_H__ 1\n#define _NEWLIB_VERSION "%s.%s.%s"\n#define __NEWLIB__ %s\n#define __NEWLIB_MINOR__ %s\n#define __NEWLIB_PATCHLEVEL__ %s\n#endif\n' "$1" "$2" "$3" "$1" "$2" "$3"
}
