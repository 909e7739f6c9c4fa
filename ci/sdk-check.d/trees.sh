# The SDK trees of pins.tsv: check that every mirror and ref is there (all problems at once, each
# with the repository to fetch), then extract each tree into $W/sdk/<tree>/ once. Sourced by
# ci/sdk-check; uses D (this folder), W (work folder), MIRRORS.

# The git directory of a mirror: the fetch tool leaves a bare repository at repo/, or a clone
# with a work tree whose git directory is repo/.git.
mirror_gitdir() {
  local repo=$MIRRORS/$1/repo
  [[ -d $repo/.git ]] && echo "$repo/.git" || echo "$repo"
}

# Every line of pins.tsv, comments and blanks left out, with REF resolved to its commit:
# "TREE INTO MIRROR COMMIT PATHS..." into $W/pins.resolved. Returns 1 after printing every
# missing mirror or ref and how to get it.
trees_check() {
  local tree into mirror ref paths commit repo problems=0 seen=" "
  : > "$W/pins.resolved"
  while read -r tree into mirror ref paths; do
    [[ -z "$tree" || "$tree" == \#* ]] && continue
    repo=$(mirror_gitdir "$mirror")
    local gh="${mirror/+//}"
    if ! git --git-dir="$repo" rev-parse --git-dir >/dev/null 2>&1; then
      if [[ "$seen" != *" $mirror "* ]]; then
        echo "sdk-check: no mirror of $gh: $repo is not a git repository (needed for $tree at $ref)" >&2
        echo "  fix: fetch github:$gh   or   git clone --mirror https://github.com/$gh $repo" >&2
        seen+="$mirror "
      fi
      problems=1; continue
    fi
    if ! commit=$(git --git-dir="$repo" rev-parse --verify -q "$ref^{commit}"); then
      echo "sdk-check: $repo has no $ref (needed for $tree)" >&2
      echo "  fix: fetch github:$gh again for a newer snapshot, or in a clone: git --git-dir=$repo fetch https://github.com/$gh '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'" >&2
      problems=1; continue
    fi
    echo "$tree $into $mirror $commit $paths" >> "$W/pins.resolved"
  done < "$D/pins.tsv"
  return $problems
}

# The commit a tree's first line resolved to (what the report prints as the SDK version).
tree_commit() { awk -v t="$1" '$1 == t { print $4; exit }' "$W/pins.resolved"; }

# Extracts every tree whose lines changed since its last complete extraction. A tree's stamp
# (.pins, its resolved lines) is written last, so an interrupted extraction is redone.
trees_extract() {
  local tree lines
  for tree in $(awk '{ print $1 }' "$W/pins.resolved" | uniq); do
    lines=$(awk -v t="$tree" '$1 == t' "$W/pins.resolved")
    [[ -f "$W/sdk/$tree/.pins" && "$(cat "$W/sdk/$tree/.pins")" == "$lines" ]] && continue
    echo "sdk-check: extracting $tree (once; cached in $W/sdk/$tree)" >&2
    rm -rf "${W:?}/sdk/$tree"
    local into mirror commit paths
    while read -r _ into mirror commit paths; do
      # shellcheck disable=SC2086  # PATHS is a list
      python3 "$D/gitx.py" "$(mirror_gitdir "$mirror")" "$commit" "$W/sdk/$tree/$into" $paths 2>&1 \
        | sed "s|^|  $mirror ${commit:0:12} -> $tree/$into: |" >&2 || return 1
    done <<< "$lines"
    echo "$lines" > "$W/sdk/$tree/.pins"
  done
}
