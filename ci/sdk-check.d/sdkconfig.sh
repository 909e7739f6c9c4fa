# sdkconfig.h for one project and target, by esp-idf-kconfig's kconfgen over every Kconfig of
# the IDF tree plus the project's components (Kconfig, Kconfig.projbuild, sdkconfig.rename), as
# tools/cmake/kconfig.cmake does: the check sees the CONFIG_ values a real build would.
# Sourced by ci/sdk-check, used by jobs-idf.sh; uses W.

# idf_sdkconfig IDF_TREE TARGET OUT_DIR [COMPONENT_DIR...] -- [sdkconfig.defaults...]
# Writes OUT_DIR/sdkconfig.h (and sdkconfig, kconfgen.log). Missing defaults files are skipped;
# <defaults>.<target> is read after <defaults>, as IDF does.
idf_sdkconfig() {
  local idf=$1 target=$2 out=$3; shift 3
  local comps=() defaults=() d
  while (($#)) && [[ $1 != -- ]]; do comps+=("$1"); shift; done
  (($#)) && shift
  defaults=("$@")
  mkdir -p "$out"
  local kc=() kp=() rn=()
  for d in "$idf"/components/*/ "${comps[@]}"; do
    d=${d%/}
    [[ -f $d/Kconfig ]] && kc+=("$d/Kconfig")
    [[ -f $d/Kconfig.projbuild ]] && kp+=("$d/Kconfig.projbuild")
    [[ -f $d/sdkconfig.rename ]] && rn+=("$d/sdkconfig.rename")
    [[ -f $d/sdkconfig.rename.$target ]] && rn+=("$d/sdkconfig.rename.$target")
  done
  # kconfgen's answer depends only on these inputs: reuse it from an earlier run when they are
  # the same (it takes most of the time spent writing the jobs).
  local key
  key=$({ cat "$idf/.pins" "$W/sdk/esp-idf-kconfig-2.5.4/.pins" "${BASH_SOURCE[0]}"; echo "$target"
          for d in "${comps[@]}"; do
            (cd "$d" && find . -maxdepth 2 -type f \( -name 'Kconfig*' -o -name 'sdkconfig.rename*' \) | sort \
              | while read -r f; do echo "$f"; cat "$f"; done)
          done
          for d in "${defaults[@]}"; do cat "$d" "$d.$target" 2>/dev/null; echo; done; } | sha256sum | cut -c1-32)
  if [[ -f $W/kconfgen-cache/$key/sdkconfig.h ]]; then
    cp "$W/kconfgen-cache/$key/sdkconfig.h" "$W/kconfgen-cache/$key/sdkconfig" "$out/" \
      && echo "reused $W/kconfgen-cache/$key" > "$out/kconfgen.log" && return 0
  fi
  local IFS=';'
  printf 'source "%s"\n' "${kc[@]}" > "$out/kconfigs.in"
  printf 'source "%s"\n' "${kp[@]}" > "$out/kconfigs_projbuild.in"
  local v=()
  for d in MAJOR MINOR; do v+=("$(sed -n "s/#define ESP_IDF_VERSION_$d *//p" "$idf/components/esp_common/include/esp_idf_version.h")"); done
  cat > "$out/config.env" <<EOT
{
 "COMPONENT_KCONFIGS": "${kc[*]}",
 "COMPONENT_KCONFIGS_PROJBUILD": "${kp[*]}",
 "COMPONENT_SDKCONFIG_RENAMES": "${rn[*]}",
 "IDF_TARGET": "$target",
 "IDF_TOOLCHAIN": "gcc",
 "IDF_VERSION": "${v[0]}.${v[1]}",
 "IDF_ENV_FPGA": "",
 "IDF_PATH": "$idf",
 "COMPONENT_KCONFIGS_SOURCE_FILE": "$out/kconfigs.in",
 "COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE": "$out/kconfigs_projbuild.in"
}
EOT
  unset IFS
  local args=()
  # IDF 5.5 and later pass IDF_MINIMAL_BUILD to kconfgen (n: idf.py build without MINIMAL_BUILD);
  # IDF 5.4's kconfig.cmake does not know it.
  grep -q 'IDF_MINIMAL_BUILD=' "$idf/tools/cmake/kconfig.cmake" && args+=(--env IDF_MINIMAL_BUILD=n)
  for d in "${defaults[@]}"; do
    [[ -f $d ]] && args+=(--defaults "$d")
    [[ -f $d.$target ]] && args+=(--defaults "$d.$target")
  done
  rm -f "$out/sdkconfig"
  (cd "$out" && PYTHONPATH=$W/sdk/esp-idf-kconfig-2.5.4 python3 -m kconfgen --list-separator=semicolon \
     --kconfig "$idf/Kconfig" --sdkconfig-rename "$idf/sdkconfig.rename" --config "$out/sdkconfig" "${args[@]}" \
     --env-file "$out/config.env" \
     --output header "$out/sdkconfig.h" --output config "$out/sdkconfig") > "$out/kconfgen.log" 2>&1 || {
    echo "sdk-check: kconfgen failed for $out (target $target); its output: $out/kconfgen.log" >&2
    tail -5 "$out/kconfgen.log" >&2; return 1; }
  # A target in the defaults (rendered projects name theirs) must agree with the one asked for.
  grep -q "^#define CONFIG_IDF_TARGET \"$target\"$" "$out/sdkconfig.h" || {
    echo "sdk-check: $out/sdkconfig.h is not for $target: $(grep '^#define CONFIG_IDF_TARGET ' "$out/sdkconfig.h")" >&2
    return 1; }
  local part=$W/kconfgen-cache/$key.part.$BASHPID
  mkdir -p "$part" && cp "$out/sdkconfig.h" "$out/sdkconfig" "$part/" \
    && { mv -T "$part" "$W/kconfgen-cache/$key" 2>/dev/null || rm -rf "$part"; }
}
