# The code under test, as users get it: the two packages `mvn package` writes (the Arduino
# library zip, the ESP-IDF component zip) and the projects `toolkit gen` renders from
# network-all.yaml. Everything lands in $OURS: diagnostics in files there are ours, all others
# the SDKs'. Sourced by ci/sdk-check; uses D, P (project root), W, OURS, NO_BUILD.

# project_artifacts : sets ZIP8266, ZIPIDF, JAR; builds them with Maven when one is missing or
# older than the sources it is made from (unless --no-build).
project_artifacts() {
  local build="mvn -B -q -DskipTests package"
  # The newest zip of each, should older versions lie beside it.
  find_artifacts() {
    ZIP8266=$(ls -t "$P"/firmware/esp8266-arduino/target/mqtt_vpn_arduino-*.zip 2>/dev/null | head -1)
    ZIPIDF=$(ls -t "$P"/firmware/esp32-idf/target/mqtt_vpn-*.zip 2>/dev/null | head -1)
    JAR=$P/tools/target/toolkit.jar
    [[ -f $ZIP8266 && -f $ZIPIDF && -f $JAR ]]
  }
  # Sources newer than an artifact made from them (tests and build output do not count).
  stale_sources() {
    find "$P"/firmware/{common,esp8266-arduino,esp32-idf} \( -name target -o -name build -o -name test \) -prune \
      -o -type f -newer "$ZIP8266" -print -o -type f -newer "$ZIPIDF" -print 2>/dev/null
    find "$P"/{host,codegen,tools}/src/main "$P"/{firmware,codegen,tools,host}/pom.xml "$P"/pom.xml \
      -type f -newer "$JAR" -print 2>/dev/null
  }
  # A Maven build already running in the project rewrites the zips and the jar: reading them
  # half-written, or building beside it, would check nothing real. Wait for it (30 min at most).
  maven_here() {
    local pid
    for pid in $(pgrep -f plexus-classworlds 2>/dev/null); do
      [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$P" ]] && echo "$pid"
    done
  }
  local waited=0
  while [[ -n $(maven_here) ]]; do
    ((waited)) || echo "sdk-check: waiting for the Maven build running in $P (pid $(maven_here | paste -sd' ')) to finish" >&2
    ((waited += 5)) && sleep 5
    ((waited < 1800)) || { echo "sdk-check: the Maven build in $P is still running after 30 min; try again later" >&2; return 2; }
  done

  local why=
  if ! find_artifacts; then why="missing"
  elif [[ -n $(stale_sources | head -1) ]]; then why="older than $(stale_sources | head -1 | sed "s|^$P/||")"; fi
  [[ -z $why ]] && return 0
  if [[ -n $NO_BUILD ]]; then
    if [[ $why == missing ]]; then
      echo "sdk-check: the packages or toolkit.jar are missing: run (cd $P && $build) first" >&2
      return 2
    fi
    echo "sdk-check: warning: the packages are $why: checking them anyway (--no-build); rebuild with (cd $P && $build)" >&2
    return 0
  fi
  echo "sdk-check: building the packages ($why): (cd $P && $build)" >&2
  (cd "$P" && $build) > "$W/mvn.log" 2>&1 || {
    echo "sdk-check: the build failed; the last lines of $W/mvn.log:" >&2; tail -20 "$W/mvn.log" >&2; return 2; }
  find_artifacts || { echo "sdk-check: $build wrote no zips or toolkit.jar" >&2; return 2; }
}

# project_unpack_and_render : $OURS/pkg/{mqtt_vpn_arduino,idf}, and $OURS/gen/<device>/ from
# network-all.yaml, rendered with the component zip under test (not a copy older than it).
project_unpack_and_render() {
  rm -rf "${OURS:?}" && mkdir -p "$OURS/pkg/idf" "$OURS/inventory" || return 2
  unzip -q "$ZIP8266" -d "$OURS/pkg" && unzip -q "$ZIPIDF" -d "$OURS/pkg/idf" || return 2
  [[ -d $OURS/pkg/mqtt_vpn_arduino/src ]] || { echo "sdk-check: $ZIP8266 holds no mqtt_vpn_arduino/src" >&2; return 2; }
  cp "$D/network-all.yaml" "$OURS/inventory/"
  # Dummy secrets for the inventory's env: references.
  if ! (cd "$OURS/inventory" && WIFI_PASSWORD=wifipass123 MQTT_PASSWORD=mqttpass123 AP_PASSWORD=appass1234 \
        java -jar "$JAR" gen network-all.yaml -o "$OURS/gen" --component "$ZIPIDF") > "$W/gen.log" 2>&1; then
    echo "sdk-check: toolkit gen could not render ci/sdk-check.d/network-all.yaml ($W/gen.log):" >&2
    cat "$W/gen.log" >&2; return 2
  fi
  # Every app the templates offer, on every platform and target of the table.
  local vm app missing=()
  for vm in "$P"/codegen/src/main/resources/templates/esp32-idf/*.c.vm; do
    app=$(basename "$vm" .c.vm)
    [[ $app == header || $app == includes || $app == vpn ]] && continue  # parts, not apps
    [[ -f $OURS/gen/e8266-$app/e8266-$app.ino ]] || missing+=("e8266-$app (esp8266-arduino)")
    local tgt
    for tgt in c3 c6; do
      grep -qs "^CONFIG_IDF_TARGET=\"esp32$tgt\"$" "$OURS/gen/$tgt-$app/sdkconfig.defaults" \
        || missing+=("$tgt-$app (esp32-idf, target esp32$tgt)")
    done
  done
  if ((${#missing[@]})); then
    echo "sdk-check: toolkit gen rendered no project for: ${missing[*]}" >&2
    echo "  (ci/sdk-check.d/network-all.yaml must list each app as <platform tag>-<app>; if it does, gen did not render it)" >&2
    return 2
  fi
}
