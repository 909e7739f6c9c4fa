# The compile jobs of one ESP8266 column: a core tree and an lwIP variant. Controls (the core's,
# ESP8266WiFi's and PubSubClient's own files and examples), then the Arduino library (every
# source under src/, the staged core included), its examples, and every rendered sketch.
# Sourced by ci/sdk-check; uses D, W, OURS and job().

# e8266_jobs COLUMN CORE_TREE VARIANT RELEASE_FLAG [refused]
#   RELEASE_FLAG: --release for a released core (its Boards Manager package ships a
#   core_version.h made so), empty for a git checkout (master).
#   refused: a core older than the library supports. Each C++ file of ours (the library's, every
#   sketch) must stop at the library's #error naming the core it needs, and at nothing before it
#   (-Wfatal-errors); the portable core's C files include no Arduino header and must compile.
e8266_jobs() {
  local col=$1 core=$W/sdk/$2 ip=$3 release=$4 refused=${5:-}
  local B=$W/build/$col L=$OURS/pkg/mqtt_vpn_arduino PSC=$W/sdk/pubsubclient-2.8/src
  local libs=("$core/libraries/ESP8266WiFi/src" "$core/libraries/ESP8266WebServer/src"
              "$PSC")
  local base=("$core/cores/esp8266" "$core/variants/nodemcu")

  # {build.path}/core as the platform's prebuild hooks leave it: core_version.h from the core's
  # own makecorever.py (no git: hash 0), and build.opt, which mkbuildoptglobals always makes
  # -include the sketch's globals.h (an empty one when the sketch has none, as ours).
  mkdir -p "$B/core" && : > "$B/core/sketch.ino.globals.h" \
    && printf -- '-include "%s"\n' "$B/core/sketch.ino.globals.h" > "$B/core/build.opt"
  local ver
  ver=$(sed -n 's/^version=//p' "$core/platform.txt")
  if grep -q -- '--git-root' "$core/platform.txt"; then
    GIT_DIR=/nonexistent python3 -I "$core/tools/makecorever.py" --git-root "$core" --version "$ver" ${release:+"$release"} "$B/core/core_version.h"
  else
    GIT_DIR=/nonexistent python3 -I "$core/tools/makecorever.py" --build_path "$B" --platform_path "$core" --version "$ver" ${release:+"$release"}
  fi || { echo "sdk-check: $core/tools/makecorever.py failed" >&2; return 1; }

  # The recipes of platform.txt, resolved once per column (arduino_cmd.py reads all of
  # boards.txt): placeholders for the source, the object and the include dirs.
  local tpl_c tpl_cxx
  tpl_c=$(python3 "$D/arduino_cmd.py" "$core" "$B" "nodemcuv2:ip=$ip" @SRC@.c @OBJ@ @INC@) || return 1
  tpl_cxx=$(python3 "$D/arduino_cmd.py" "$core" "$B" "nodemcuv2:ip=$ip" @SRC@.cpp @OBJ@ @INC@) || return 1
  local -a TPL_C TPL_CXX
  eval "TPL_C=($tpl_c)"; eval "TPL_CXX=($tpl_cxx)"

  # The variant's NAPT: lwIP's lwipopts.h enables it when LWIP_FEATURES && !LWIP_IPV6.
  local napt=0
  [[ " ${TPL_C[*]} " == *" -DLWIP_FEATURES=1 "* && " ${TPL_C[*]} " == *" -DLWIP_IPV6=0 "* ]] && napt=1

  local G
  G=$(dirname "$(xtensa-lx106-elf-gcc -print-file-name=include)")
  # e8266_cmd SOURCE OBJECT INCLUDE... : sets CMD, the recipe's command for SOURCE, with the
  # toolchain's libc and libstdc++ headers instead of Debian's (-nostdinc: see sysroot.sh).
  e8266_cmd() {
    local src=$1 o=$2 S=$W/sysroot a; shift 2
    local sys=(-nostdinc -isystem "$G/include" -isystem "$S/xtensa-newlib" -isystem "$G/include-fixed")
    local -a tpl=("${TPL_C[@]}")
    if [[ $src != *.c ]]; then
      tpl=("${TPL_CXX[@]}")
      sys=(-nostdinc++ -isystem "$S/cxx/generic" -isystem "$S/cxx/target" -isystem "$S/cxx/generic/backward" "${sys[@]}")
    fi
    CMD=("${tpl[0]}" "${sys[@]}")
    for a in "${tpl[@]:1}"; do
      case $a in
        @SRC@.c|@SRC@.cpp) CMD+=("$src") ;;
        @OBJ@) CMD+=("$o") ;;
        -I@INC@) CMD+=("${@/#/-I}") ;;
        *) CMD+=("$a") ;;
      esac
    done
  }
  local obj=$W/obj/$col f n

  # Controls: the SDK's own code, compiled exactly as ours is.
  for f in IPAddress.cpp Schedule.cpp LwipIntf.cpp Print.cpp WString.cpp core_esp8266_wiring.cpp; do
    e8266_cmd "$core/cores/esp8266/$f" "$obj/ctrl-core-$f.o" "${base[@]}" "${libs[@]}" || return 1
    job ctrl "$col" "ESP8266 core|cores/esp8266/$f" "ctrl-core-$f" - -- "${CMD[@]}"
  done
  for f in WiFiClient.cpp ESP8266WiFiGeneric.cpp ESP8266WiFiSTA.cpp; do
    e8266_cmd "$core/libraries/ESP8266WiFi/src/$f" "$obj/ctrl-wifi-$f.o" "${base[@]}" "${libs[@]}" || return 1
    job ctrl "$col" "ESP8266 core|ESP8266WiFi/src/$f" "ctrl-wifi-$f" - -- "${CMD[@]}"
  done
  e8266_cmd "$PSC/PubSubClient.cpp" "$obj/ctrl-psc.o" "${base[@]}" "${libs[@]}" || return 1
  job ctrl "$col" "PubSubClient|src/PubSubClient.cpp" ctrl-psc - -- "${CMD[@]}"
  for n in WiFiClient WiFiTelnetToSerial RangeExtender-NAPT; do
    # RangeExtender-NAPT guards itself with #if LWIP_FEATURES && !LWIP_IPV6: it compiles on all.
    mkdir -p "$W/ctrl/$col/$n"
    python3 "$D/ino2cpp.py" "$core/libraries/ESP8266WiFi/examples/$n/$n.ino" "$W/ctrl/$col/$n/$n.ino.cpp" || return 1
    e8266_cmd "$W/ctrl/$col/$n/$n.ino.cpp" "$obj/ctrl-ex-$n.o" "${base[@]}" "${libs[@]}" || return 1
    job ctrl "$col" "ESP8266 core|ESP8266WiFi/examples/$n" "ctrl-ex-$n" - -- "${CMD[@]}"
  done

  # On a refused core: the library's MqttVpnCoreCheck.h (both public headers include it).
  local core_error="core-error:$L/src/MqttVpnCoreCheck.h" expect

  # The library: arduino-cli compiles every source under src/ (1.5 layout), with src/ on the
  # include path of the library and of every sketch using it.
  while IFS= read -r f; do
    n=${f#"$L"/}
    e8266_cmd "$f" "$obj/lib-${n//\//_}.o" "${base[@]}" "${libs[@]}" "$L/src" || return 1
    expect=-
    if [[ -n $refused && $f == *.cpp ]]; then expect=$core_error; CMD+=(-Wfatal-errors); fi
    job ours "$col" "Arduino library mqtt_vpn_arduino|$n" "lib-${n//\//_}" "$expect" -- "${CMD[@]}"
  done < <(find "$L/src" -type f \( -name '*.c' -o -name '*.cpp' \) | sort)

  # Sketches: the library's examples and the rendered ESP8266 devices. A sketch with the app
  # nat on a variant without NAPT must stop at its own #error, and at nothing else before it;
  # on a refused core every sketch stops earlier, at the library's #error (MqttVpnCoreCheck.h,
  # through MqttVpn.h or mqttif.h, comes before the sketch's own lines).
  local sketch app row
  for sketch in "$L"/examples/*/ "$OURS"/gen/*/; do
    sketch=${sketch%/}; n=${sketch##*/}
    [[ -f $sketch/$n.ino ]] || continue
    if [[ $sketch == "$OURS"/gen/* ]]; then
      app=${n#*-}; row="Rendered by toolkit gen|$app · esp8266-arduino"
    else
      app=$n; row="Arduino library examples|examples/$n"
    fi
    e8266_cmd "$OURS/sketch/$n/$n.ino.cpp" "$obj/sketch-$n.o" "${base[@]}" "${libs[@]}" "$L/src" || return 1
    expect=-
    if [[ -n $refused ]]; then
      expect=$core_error
      CMD+=(-Wfatal-errors)
    elif ((!napt)) && [[ $app == *nat ]]; then
      expect="napt-error:$sketch/$n.ino"
      CMD+=(-Wfatal-errors)
    fi
    job ours "$col" "$row" "sketch-$n" "$expect" -- "${CMD[@]}"
  done
}

# e8266_sketches : each sketch as arduino-cli's build folder holds it: the .ino made C++ beside
# copies of the sketch's other files (its quoted includes resolve there). Once per run.
e8266_sketches() {
  local sketch n
  for sketch in "$OURS"/pkg/mqtt_vpn_arduino/examples/*/ "$OURS"/gen/*/; do
    sketch=${sketch%/}; n=${sketch##*/}
    [[ -f $sketch/$n.ino ]] || continue
    mkdir -p "$OURS/sketch/$n"
    find "$sketch" -maxdepth 1 -type f ! -name '*.ino' -exec cp {} "$OURS/sketch/$n/" \;
    python3 "$D/ino2cpp.py" "$sketch/$n.ino" "$OURS/sketch/$n/$n.ino.cpp" || return 1
  done
}
