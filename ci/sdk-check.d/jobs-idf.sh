# The compile jobs of one ESP-IDF column: an IDF tree and a target. Controls (IDF's and
# esp-mqtt's own examples), then the component mqtt_vpn alone (its Kconfig defaults), the
# component's examples and every rendered project for this target, each with the sdkconfig.h of
# its own project and the component compiled under that configuration, as idf.py build does.
# Sourced by ci/sdk-check; uses D, W, OURS, job(), idf_sdkconfig(), idf_cc_cmd().

# idf_jobs COLUMN IDF_TREE MAJOR TARGET MQTT_TREE
#   MQTT_TREE: esp-mqtt as the project gets it (IDF 5: the IDF submodule; IDF 6: espressif/mqtt).
idf_jobs() {
  local col=$1 I=$W/sdk/$2 major=$3 t=$4 mqtt=$5 cfg=$W/cfg/$1 obj=$W/obj/$1
  local PEC=$I/examples/common_components/protocol_examples_common ex

  # Controls. IDF 6 moved the MQTT examples into esp-mqtt.
  ex=$I/examples/protocols/mqtt/tcp; ((major >= 6)) && ex=$mqtt/examples/tcp
  idf_sdkconfig "$I" "$t" "$cfg/ctrl-mqtt" "$mqtt" "$ex/main" "$PEC" -- "$ex/sdkconfig.defaults" || return 1
  idf_cc_cmd "$I" "$major" "$t" "$cfg/ctrl-mqtt" "$mqtt" || return 1
  job ctrl "$col" "ESP-IDF|esp-mqtt example tcp: main/app_main.c" ctrl-mqtt-tcp - -- \
    "${IDF_CC[@]}" "-I$PEC/include" "${IDF_INC[@]}" -c "$ex/main/app_main.c" -o "$obj/ctrl-mqtt-tcp.o"
  job ctrl "$col" "ESP-IDF|protocol_examples_common/wifi_connect.c" ctrl-pec-wifi - -- \
    "${IDF_CC[@]}" "-I$PEC/include" "${IDF_INC[@]}" -c "$PEC/wifi_connect.c" -o "$obj/ctrl-pec-wifi.o"
  ex=$I/examples/wifi/getting_started/station
  idf_sdkconfig "$I" "$t" "$cfg/ctrl-sta" "$mqtt" "$ex/main" -- "$ex/sdkconfig.defaults" || return 1
  idf_cc_cmd "$I" "$major" "$t" "$cfg/ctrl-sta" "$mqtt" || return 1
  job ctrl "$col" "ESP-IDF|example wifi/getting_started/station" ctrl-sta - -- \
    "${IDF_CC[@]}" "${IDF_INC[@]}" -c "$ex/main/station_example_main.c" -o "$obj/ctrl-sta.o"
  ex=$I/examples/protocols/http_server/simple
  idf_sdkconfig "$I" "$t" "$cfg/ctrl-http" "$mqtt" "$ex/main" "$PEC" -- "$ex/sdkconfig.defaults" || return 1
  idf_cc_cmd "$I" "$major" "$t" "$cfg/ctrl-http" "$mqtt" || return 1
  job ctrl "$col" "ESP-IDF|example protocols/http_server/simple" ctrl-http - -- \
    "${IDF_CC[@]}" "-I$PEC/include" "${IDF_INC[@]}" -c "$ex/main/main.c" -o "$obj/ctrl-http.o"

  # The component alone: every source, with only the IDF's and its own Kconfig defaults.
  idf_component_jobs "ESP-IDF component mqtt_vpn (default configuration)" "$OURS/pkg/idf" "$OURS/pkg/idf" comp || return 1

  # The component's examples (they build it from ../../../ through override_path), and the
  # rendered projects of this target (each with its copy in components/mqtt_vpn).
  local proj n want
  for proj in "$OURS"/pkg/idf/examples/*/; do
    proj=${proj%/}; n=${proj##*/}
    idf_project_jobs "ESP-IDF component examples|examples/$n" "$proj" "$OURS/pkg/idf" "ex-$n" || return 1
  done
  for proj in "$OURS"/gen/*/; do
    proj=${proj%/}; n=${proj##*/}
    [[ -f $proj/sdkconfig.defaults ]] || continue
    want=$(sed -n 's/^CONFIG_IDF_TARGET="\(.*\)"$/\1/p' "$proj/sdkconfig.defaults")
    [[ $want == "$t" ]] || continue
    idf_project_jobs "Rendered by toolkit gen|${n#*-} · esp32-idf" "$proj" "$proj/components/mqtt_vpn" "gen-$n" || return 1
  done
}

# idf_project_jobs ROW PROJECT COMPONENT NAME : sdkconfig.h of the project, then main's sources
# and the component's, all in one table cell.
idf_project_jobs() {
  local row=$1 proj=$2 comp=$3 name=$4
  idf_sdkconfig "$I" "$t" "$cfg/$name" "$mqtt" "$comp" "$proj/main" -- "$proj/sdkconfig.defaults" || return 1
  idf_cc_cmd "$I" "$major" "$t" "$cfg/$name" "$mqtt" || return 1
  local SRCS INCS PRIV_INCS DEFS f comp_incs
  eval "$(python3 "$D/idf_component.py" "$comp" "$cfg/$name/sdkconfig.h")" || return 1
  comp_incs=("${INCS[@]/#/-I}")
  eval "$(python3 "$D/idf_component.py" "$proj/main" "$cfg/$name/sdkconfig.h")" || return 1
  for f in "${SRCS[@]}"; do
    job ours "$col" "$row" "$name-main-${f##*/}" - -- "${IDF_CC[@]}" "${INCS[@]/#/-I}" "${PRIV_INCS[@]/#/-I}" \
      "${comp_incs[@]}" "${IDF_INC[@]}" "${DEFS[@]}" -c "$f" -o "$obj/$name-main-${f##*/}.o"
  done
  idf_component_jobs "$row" "$comp" "$cfg/$name" "$name"
}

# idf_component_jobs ROW COMPONENT CFG NAME : the component's sources under the sdkconfig.h in
# CFG (made here from the component's defaults when CFG is the component itself). A ROW
# without "|" is a section: one row per source. Sources under src/ and core/src/ that CMakeLists.txt does not list are
# compiled too, and reported (idf.py would not build them: a link error waiting).
idf_component_jobs() {
  local row=$1 comp=$2 c=$3 name=$4 f rel r
  if [[ $c == "$comp" ]]; then
    c=$cfg/$name
    idf_sdkconfig "$I" "$t" "$c" "$mqtt" "$comp" -- || return 1
    idf_cc_cmd "$I" "$major" "$t" "$c" "$mqtt" || return 1
  fi  # else IDF_CC and IDF_INC are those of the project (idf_project_jobs)
  local SRCS INCS PRIV_INCS DEFS
  eval "$(python3 "$D/idf_component.py" "$comp" "$c/sdkconfig.h")" || return 1
  local listed=" ${SRCS[*]} "
  while IFS= read -r f; do
    [[ $listed == *" $f "* ]] || { SRCS+=("$f"); echo "$col ${f#"$comp"/}" >> "$W/unlisted-sources"; }
  done < <(find "$comp/src" "$comp/core/src" -name '*.c' 2>/dev/null | sort)
  for f in "${SRCS[@]}"; do
    rel=${f#"$comp"/}
    r=$row; [[ $row == *"|"* ]] || r="$row|$rel"
    job ours "$col" "$r" "$name-${rel//\//_}" - -- "${IDF_CC[@]}" "${INCS[@]/#/-I}" "${PRIV_INCS[@]/#/-I}" \
      "${IDF_INC[@]}" "${DEFS[@]}" -c "$f" -o "$obj/$name-${rel//\//_}.o"
  done
}
