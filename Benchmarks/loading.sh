#!/usr/bin/env bash
# Benchmarks/loading.sh: how model loading (parse, type check, grounding, lowering) scales with the number of
# `action` declarations. Generates models with N actions (`action aI when x == I%4 { x := (I+1)%4 }`), runs
# `vfio-mc dump` on each R times and prints the median seconds per size; with --baseline PATH, alternates the
# runs with a second binary and prints both medians and their ratio.
# Usage: Benchmarks/loading.sh [--vfio-mc PATH] [--baseline PATH] [--runs R] [--sizes "10000 20000 40000 100000"]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VFIO=""; BASE=""; RUNS=3; SIZES="10000 20000 40000 100000"
die() { echo "loading.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --vfio-mc) [[ $# -ge 2 ]] || die "--vfio-mc needs a path"; VFIO=$2; shift 2 ;;
    --baseline) [[ $# -ge 2 ]] || die "--baseline needs a path"; BASE=$2; shift 2 ;;
    --runs) [[ $# -ge 2 ]] || die "--runs needs a number"; RUNS=$2; shift 2 ;;
    --sizes) [[ $# -ge 2 ]] || die "--sizes needs a list"; SIZES=$2; shift 2 ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
if [[ -z "$VFIO" ]]; then
  (cd "$ROOT" && swift build -c release --product vfio-mc >/dev/null)
  VFIO="$ROOT/.build/release/vfio-mc"
fi
[[ -x "$VFIO" ]] || die "not executable: $VFIO"
[[ -z "$BASE" || -x "$BASE" ]] || die "not executable: $BASE"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
seconds() {  # binary model -> wall seconds of one dump
  local start end
  start=$(date +%s.%N)
  "$1" dump "$2" > /dev/null || die "$1 dump $2 failed"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
if [[ -n "$BASE" ]]; then
  echo "| actions | vfio-mc s | baseline s | baseline / vfio-mc |"
  echo "|---:|---:|---:|---:|"
else
  echo "| actions | vfio-mc s |"
  echo "|---:|---:|"
fi
for n in $SIZES; do
  model="$WORK/actions-$n.vmc"
  python3 - "$n" > "$model" <<'PY'
import sys
n = int(sys.argv[1])
print("model loading")
print("var x: 0..3 = 0")
for i in range(n):
    print(f"action a{i} when x == {i % 4} {{ x := {(i + 1) % 4} }}")
PY
  : > "$WORK/a"; : > "$WORK/b"
  for ((r = 0; r < RUNS; r++)); do
    seconds "$VFIO" "$model" >> "$WORK/a"
    if [[ -n "$BASE" ]]; then seconds "$BASE" "$model" >> "$WORK/b"; fi
  done
  a=$(median < "$WORK/a")
  if [[ -n "$BASE" ]]; then
    b=$(median < "$WORK/b")
    printf "| %d | %.3f | %.3f | %.2f |\n" "$n" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
  else
    printf "| %d | %.3f |\n" "$n" "$a"
  fi
done
