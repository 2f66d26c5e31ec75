#!/usr/bin/env bash
# Benchmarks/run.sh: vfio-mc against SPIN and Rumur on the same model (see Benchmarks/README.md).
#
# Builds vfio-mc in release mode, installs SPIN (Debian `spin`), Rumur (Debian `rumur`) and GNU time when
# they are missing, generates and compiles SPIN's and Rumur's verifiers for the twins of the chosen model
# (p2p-scale or deep), runs each tool R times, alternating, and prints a Markdown table: distinct states,
# seconds, states/s, bytes per state (peak RSS / states) and vfio-mc's ratios to each tool. Fails loudly when
# the tools disagree on the number of distinct states, when a run does not complete, or when a property does
# not get its expected verdict.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/Benchmarks"

usage() {
  cat <<'EOF'
Usage: Benchmarks/run.sh [options]

      --model M           p2p (default): p2p-scale.vmc, N devices; deep: deep.vmc, four counters 0..K
  -n, --n N               the model's size: p2p N devices, 1 .. 8 (default 6: 41,557,321 states; N=5 gives
                          1,011,300 for a quick run); deep K, 1 .. 255 (default 70: 25,411,681 states,
                          depth 280; K=20 gives 194,481 for a quick run)
  -r, --runs R            runs per tool (default 3), alternating; the table shows medians
      --threads T         vfio-mc --threads T (default 1), when vfio-mc has the option
      --rumur-threads T   Rumur's verifier --threads T (default: the value of --threads)
      --speedup           also run vfio-mc with --threads 1 before each run (alternating) and print the
                          speed-up of --threads T over one thread (medians of the runs), and beside it the
                          host's ceiling for two threads (Benchmarks/two-tables.c, run before each pair)
      --ceiling-inserts K two-tables' inserts per table under --speedup (default 50000000; 0: no ceiling);
                          its tables use small pages, as the store does by default
      --ceiling-ahead D   under --speedup, a second ceiling: two-tables with each home slot prefetched D
                          inserts ahead, as the search prefetches its slots (default 32; 0: only the first)
      --pair-ceiling      under --speedup with --threads 2, the workload's own ceiling: before each pair, two
                          one-thread vfio-mc runs at once (the same search twice, nothing shared); the ceiling is
                          twice the pair's one-thread time over their mean (adds two searches' time per pair)
      --own-work          under --speedup with --threads 2, the two-thread search's own work: per pair, that
                          search with every round on the threads (--parallel-rounds always) and the one-thread
                          search at once, each pinned to its own CPU (taskset; the CPUs swap from pair to pair):
                          their user times compared, with nothing shared across cores and no host placement
                          (adds about one two-thread search's user time per pair)
      --ncore K           SPIN: compile pan with -DNCORE=K (multi-core search; default 1: sequential pan)
      --tools LIST        any of spin,rumur,vfio-mc (default all three); with one tool there is no comparison
      --symmetry          p2p only: vfio-mc on p2p-scale-sym.vmc (scalarset devices, symmetry reduction on),
                          SPIN and Rumur on the unreduced twins: vfio-mc's counts are not compared with
                          theirs; use it with --spin-timeout/--spin-may-fail at sizes SPIN cannot finish
      --vfio-mc PATH      use this vfio-mc binary (skips the build)
      --baseline PATH     also run this second vfio-mc binary (e.g. a build of an earlier commit), alternating
                          with the first, with the same arguments; the table gets a row "vfio-mc baseline"
      --no-build          do not run `swift build` (use .build/release/vfio-mc)
      --vfio-mc-args STR  extra arguments for `vfio-mc check` (e.g. "--no-symmetry", or "--parallel-rounds always"
                          to measure every round on the threads; the default, adaptive, may run rounds on one
                          thread, and the table then says how many)
      --spin-hash W       pan -wW: hash table of 2^W slots (default: ceil(log2(expected states)) + 1)
      --spin-depth M      pan -mM: DFS depth limit (default: measured depth for N <= 6 plus margin)
      --memlim MB         pan -DMEMLIM=MB (default: 85% of physical memory)
      --spin-cflags STR   extra gcc flags for pan (e.g. "-DCOLLAPSE" or "-DHC"; default none: exact storage)
      --spin-timeout S    stop SPIN after S seconds (SIGINT: pan prints what it covered)
      --spin-may-fail     report a SPIN run that ran out of memory, depth or time instead of failing
      --rumur-flags STR   extra options for the rumur generator (e.g. "--pack-state off")
      --workdir DIR       keep pan, logs and JSON there (default: a fresh directory under /tmp)
  -h, --help              this text
EOF
}

MODEL=p2p; N=""; RUNS=3; THREADS=1; NCORE=1; TOOLS="spin,rumur,vfio-mc"; SYMMETRY=0
VFIO=""; BUILD=1; VFIO_EXTRA=""; SPIN_W=""; SPIN_M=""; MEMLIM=""; SPIN_CFLAGS_EXTRA=""
SPIN_TIMEOUT=""; SPIN_MAY_FAIL=0; WORK=""; SPEEDUP=0; BASELINE=""; RUMUR_THREADS=""; RUMUR_FLAGS=""
CEILING_INSERTS=50000000
CEILING_AHEAD=32
PAIR_CEILING=0
OWN_WORK=0
PREFIX=()

die() { echo "run.sh: error: $*" >&2; exit 1; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) need_arg "$@"; MODEL=$2; shift 2 ;;
    -n|--n) need_arg "$@"; N=$2; shift 2 ;;
    --rumur-threads) need_arg "$@"; RUMUR_THREADS=$2; shift 2 ;;
    --rumur-flags) need_arg "$@"; RUMUR_FLAGS=$2; shift 2 ;;
    --baseline) need_arg "$@"; BASELINE=$2; shift 2 ;;
    -r|--runs) need_arg "$@"; RUNS=$2; shift 2 ;;
    --threads) need_arg "$@"; THREADS=$2; shift 2 ;;
    --speedup) SPEEDUP=1; shift ;;
    --pair-ceiling) PAIR_CEILING=1; shift ;;
    --own-work) OWN_WORK=1; shift ;;
    --ceiling-inserts) need_arg "$@"; CEILING_INSERTS=$2; shift 2 ;;
    --ceiling-ahead) need_arg "$@"; CEILING_AHEAD=$2; shift 2 ;;
    --ncore) need_arg "$@"; NCORE=$2; shift 2 ;;
    --tools) need_arg "$@"; TOOLS=$2; shift 2 ;;
    --symmetry) SYMMETRY=1; shift ;;
    --vfio-mc) need_arg "$@"; VFIO=$2; BUILD=0; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --vfio-mc-args) need_arg "$@"; VFIO_EXTRA=$2; shift 2 ;;
    --spin-hash) need_arg "$@"; SPIN_W=$2; shift 2 ;;
    --spin-depth) need_arg "$@"; SPIN_M=$2; shift 2 ;;
    --memlim) need_arg "$@"; MEMLIM=$2; shift 2 ;;
    --spin-cflags) need_arg "$@"; SPIN_CFLAGS_EXTRA=$2; shift 2 ;;
    --spin-timeout) need_arg "$@"; SPIN_TIMEOUT=$2; shift 2 ;;
    --spin-may-fail) SPIN_MAY_FAIL=1; shift ;;
    --workdir) need_arg "$@"; WORK=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

isint() { [[ "$1" =~ ^[0-9]+$ ]]; }
case "$MODEL" in
  p2p) PARAM=N; [[ -n "$N" ]] || N=6
       isint "$N" && (( N >= 1 && N <= 8 )) || die "--n must be 1 .. 8 for p2p (the Promela twin's tables stop at 8)" ;;
  deep) PARAM=K; [[ -n "$N" ]] || N=70
        isint "$N" && (( N >= 1 && N <= 255 )) || die "--n must be 1 .. 255 for deep (SPIN's counters are bytes)"
        (( SYMMETRY == 0 )) || die "--symmetry: the deep model has no scalarset variant" ;;
  *) die "--model must be p2p or deep" ;;
esac
[[ -n "$RUMUR_THREADS" ]] || RUMUR_THREADS=$THREADS
isint "$RUMUR_THREADS" && (( RUMUR_THREADS >= 1 )) || die "--rumur-threads must be a positive integer"
isint "$RUNS" && (( RUNS >= 1 )) || die "--runs must be a positive integer"
isint "$THREADS" && (( THREADS >= 1 )) || die "--threads must be a positive integer"
isint "$NCORE" && (( NCORE >= 1 )) || die "--ncore must be a positive integer"
RUN_SPIN=0; RUN_VFIO=0; RUN_RUMUR=0
IFS=',' read -r -a tool_list <<<"$TOOLS"
for t in "${tool_list[@]}"; do
  case "$t" in
    spin) RUN_SPIN=1 ;; rumur) RUN_RUMUR=1 ;; vfio-mc) RUN_VFIO=1 ;; *) die "--tools: unknown tool '$t'" ;;
  esac
done
(( RUN_SPIN + RUN_VFIO + RUN_RUMUR > 0 )) || die "--tools selects nothing"
[[ -z "$BASELINE" ]] || (( RUN_VFIO )) || die "--baseline needs vfio-mc in --tools"
if (( SPEEDUP )); then
  (( RUN_VFIO )) || die "--speedup needs vfio-mc in --tools"
  (( THREADS > 1 )) || die "--speedup needs --threads 2 or more"
fi
if (( PAIR_CEILING )); then
  (( SPEEDUP )) && [[ "$THREADS" == 2 ]] || die "--pair-ceiling needs --speedup and --threads 2"
fi
if (( OWN_WORK )); then
  (( SPEEDUP )) && [[ "$THREADS" == 2 ]] || die "--own-work needs --speedup and --threads 2"
  command -v taskset >/dev/null || die "--own-work needs taskset (util-linux)"
  (( $(nproc) >= 2 )) || die "--own-work needs two CPUs (it runs its two searches at once, one on each)"
fi
isint "$CEILING_INSERTS" && { (( CEILING_INSERTS == 0 )) || (( CEILING_INSERTS >= 4 && CEILING_INSERTS <= 1099511627776 )); } \
  || die "--ceiling-inserts must be 0 or a whole number from 4 to 2^40"
isint "$CEILING_AHEAD" && (( CEILING_AHEAD <= 256 )) || die "--ceiling-ahead must be a whole number from 0 to 256"

# ---------------------------------------------------------------------------------------------- tools

SUDO=""
if [[ $(id -u) -ne 0 ]]; then command -v sudo >/dev/null && SUDO="sudo" || true; fi
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "$1 is missing and apt-get is not available: install $1 by hand"
  if (( APT_UPDATED == 0 )); then
    echo "run.sh: apt-get update" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  echo "run.sh: apt-get install -y $*" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 || die "apt-get install $* failed"
}

command -v python3 >/dev/null || apt_install python3
# GNU time (the `time` package) for the peak resident set size; the shell keyword cannot report it.
if ! /usr/bin/time -v true >/dev/null 2>&1; then apt_install time; fi
/usr/bin/time -v true >/dev/null 2>&1 || die "/usr/bin/time -v does not work (GNU time needed)"
if (( RUN_SPIN )); then
  command -v spin >/dev/null || apt_install spin
  command -v spin >/dev/null || die "spin is still missing after apt-get install spin"
  command -v gcc >/dev/null || apt_install gcc
fi
if (( RUN_RUMUR )); then
  command -v rumur >/dev/null || apt_install rumur
  command -v rumur >/dev/null || die "rumur is still missing after apt-get install rumur"
  command -v cc >/dev/null || apt_install gcc
fi

# ------------------------------------------------------------------------------------------- vfio-mc

if [[ "$MODEL" == deep ]]; then
  MODEL_VMC="$BENCH/deep.vmc"; MODEL_PML="$BENCH/deep.pml"; MODEL_M="$BENCH/deep.m"
else
  MODEL_VMC="$BENCH/p2p-scale.vmc"; MODEL_PML="$BENCH/p2p-scale.pml"; MODEL_M="$BENCH/p2p-scale.m"
  (( SYMMETRY )) && MODEL_VMC="$BENCH/p2p-scale-sym.vmc"
fi
VFIO_ARGS=()
if (( RUN_VFIO )); then
  if [[ -z "$VFIO" ]]; then
    if (( BUILD )); then
      command -v swift >/dev/null || die "swift is not on PATH (or pass --vfio-mc PATH)"
      echo "run.sh: swift build -c release --product vfio-mc" >&2
      (cd "$ROOT" && swift build -c release --product vfio-mc >&2) || die "swift build failed"
      VFIO="$(cd "$ROOT" && swift build -c release --show-bin-path)/vfio-mc"
    else
      VFIO="$ROOT/.build/release/vfio-mc"
    fi
  fi
  [[ -x "$VFIO" ]] || die "no vfio-mc binary at $VFIO"
  if [[ -n "$BASELINE" ]]; then
    [[ -x "$BASELINE" ]] || die "no vfio-mc binary at $BASELINE (--baseline)"
    # The help is read whole before grep: `binary | grep -q` under pipefail fails when grep exits first.
    BASE_HELP=$("$BASELINE" check --help 2>&1) || die "$BASELINE check --help failed"
    grep -q -- '--threads' <<<"$BASE_HELP" || die "the --baseline binary has no --threads option"
  fi
  HELP=$("$VFIO" check --help 2>&1) || die "$VFIO check --help failed"
  if grep -q -- '--threads' <<<"$HELP"; then
    VFIO_ARGS+=(--threads "$THREADS")
  elif (( THREADS != 1 )); then
    die "this vfio-mc has no --threads option: cannot run with --threads $THREADS"
  else
    echo "run.sh: note: this vfio-mc has no --threads option; running it as it is (one thread)" >&2
    THREADS="(no option)"
  fi
  VFIO_ARGS_ONE=(--threads 1)
  if [[ -n "$VFIO_EXTRA" ]]; then
    read -r -a extra <<<"$VFIO_EXTRA"; VFIO_ARGS+=("${extra[@]}"); VFIO_ARGS_ONE+=("${extra[@]}")
  fi
fi

# ---------------------------------------------------------------------------------------------- SPIN

# Distinct states of the unreduced model (see the headers of p2p-scale.vmc and deep.vmc); used to size
# pan's tables.
if [[ "$MODEL" == deep ]]; then
  EXPECTED=$(python3 -c "K=$N; print((K+1)**4)")
else
  EXPECTED=$(python3 -c "N=$N; print((3*N)**N + (2*N+2)**N - 2**N + 5**N)")
fi
if [[ -z "$SPIN_W" ]]; then
  # At most half full (SPIN chains its entries; vfio-mc's open-addressing table is also kept at most half full).
  SPIN_W=$(python3 -c "import math; print(max(18, math.ceil(math.log2($EXPECTED)) + 1))")
fi
if [[ -z "$SPIN_M" ]]; then
  # Depth of pan's depth-first search (sequential, deterministic): N=5 172,586, N=6 4,604,955. The DFS
  # stack is allocated and zeroed in full (about 56 bytes per level), so it counts in the peak RSS:
  # size it to the measured depth plus a margin rather than to a blanket large value.
  if [[ "$MODEL" == deep ]]; then
    SPIN_M=$((4 * N + 1000))   # every transition but the terminal self-loop increments a counter: depth <= 4K + 1
  else case "$N" in
    1|2|3) SPIN_M=10000 ;; 4) SPIN_M=20000 ;; 5) SPIN_M=250000 ;; 6) SPIN_M=5500000 ;;
    *) SPIN_M=$(python3 -c "print(min(200000000, $EXPECTED // 8))") ;;
  esac; fi
fi
if [[ -z "$MEMLIM" ]]; then
  MEMLIM=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.85 }' /proc/meminfo)
fi
SPIN_CFLAGS=(-O2 -DSAFETY -DNOFAIR "-DMEMLIM=$MEMLIM")
(( NCORE > 1 )) && SPIN_CFLAGS+=("-DNCORE=$NCORE")
if [[ -n "$SPIN_CFLAGS_EXTRA" ]]; then read -r -a extra <<<"$SPIN_CFLAGS_EXTRA"; SPIN_CFLAGS+=("${extra[@]}"); fi
PAN_ARGS=("-m$SPIN_M" "-w$SPIN_W")

if [[ -z "$WORK" ]]; then WORK=$(mktemp -d /tmp/vfio-mc-bench.XXXXXX); fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

PML=$(basename "$MODEL_PML")
if (( RUN_SPIN )); then
  echo "run.sh: spin -D$PARAM=$N -a $PML; gcc ${SPIN_CFLAGS[*]} -o pan pan.c" >&2
  cp "$MODEL_PML" "$WORK/$PML"
  (cd "$WORK" && spin "-D$PARAM=$N" -a "$PML" >spin-a.log 2>&1) || { cat "$WORK/spin-a.log" >&2; die "spin -a failed"; }
  (cd "$WORK" && gcc "${SPIN_CFLAGS[@]}" -o pan pan.c 2>gcc.log) || { cat "$WORK/gcc.log" >&2; die "gcc failed on pan.c"; }
fi

# ---------------------------------------------------------------------------------------------- Rumur

# Murphi has no preprocessor: the size is the `  N: 5;` (or `  K: 20;`) line of the twin, rewritten here.
# Deadlock detection `stuck` (no rule enabled) is vfio-mc's deadlock check (the twins give the terminal
# states a rule that changes nothing); symmetry reduction off (the twins have no scalarsets anyway);
# machine-readable output for the summary. The verifier prints its time in whole seconds only, so the
# script times it with GNU time (wall clock of the whole process).
RUMUR_GEN=(rumur --deadlock-detection stuck --symmetry-reduction off --threads "$RUMUR_THREADS"
           --output-format machine-readable)
if [[ -n "$RUMUR_FLAGS" ]]; then read -r -a extra <<<"$RUMUR_FLAGS"; RUMUR_GEN+=("${extra[@]}"); fi
RUMUR_CC=(cc -O3)
# The multi-threaded verifier uses a 16-byte compare-and-swap: without -mcx16 gcc leaves it to libatomic
# calls that do not link (`undefined reference to __sync_val_compare_and_swap_16`).
[[ $(uname -m) == x86_64 ]] && RUMUR_CC+=(-mcx16)
RUMUR_CC+=(-o rumur-verifier rumur-model.c -lpthread)
if (( RUN_RUMUR )); then
  [[ $(grep -cE "^  $PARAM: [0-9]+;" "$MODEL_M") == 1 ]] \
    || die "$(basename "$MODEL_M") needs exactly one line '  $PARAM: <number>;' to set the size in"
  sed -E "s/^  $PARAM: [0-9]+;/  $PARAM: $N;/" "$MODEL_M" >"$WORK/rumur-model.m"
  grep -qE "^  $PARAM: $N;" "$WORK/rumur-model.m" || die "could not set $PARAM=$N in the Murphi twin"
  echo "run.sh: ${RUMUR_GEN[*]} -o rumur-model.c rumur-model.m; ${RUMUR_CC[*]}" >&2
  (cd "$WORK" && "${RUMUR_GEN[@]}" --output rumur-model.c rumur-model.m >rumur-gen.log 2>&1) \
    || { cat "$WORK/rumur-gen.log" >&2; die "rumur failed on $(basename "$MODEL_M")"; }
  (cd "$WORK" && "${RUMUR_CC[@]}" 2>rumur-cc.log) || { cat "$WORK/rumur-cc.log" >&2; die "cc failed on rumur-model.c"; }
fi

# ---------------------------------------------------------------------------------------------- runs

CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "model=$MODEL"; echo "param=$PARAM"
  echo "N=$N"; echo "runs=$RUNS"; echo "expected=$EXPECTED"; echo "symmetry=$SYMMETRY"
  echo "threads=$THREADS"; echo "ncore=$NCORE"; echo "spin_may_fail=$SPIN_MAY_FAIL"; echo "speedup=$SPEEDUP"
  echo "machine=$(nproc) cores, ${CPU:-unknown CPU}, $(awk '/^MemTotal:/ { printf "%.1f GB", $2/1048576 }' /proc/meminfo)"
  echo "spin_version=$( (( RUN_SPIN )) && spin -V 2>&1 | head -1 || echo -)"
  echo "spin_cmd=gcc ${SPIN_CFLAGS[*]} -o pan pan.c && ./pan ${PAN_ARGS[*]}"
  echo "vfio_cmd=vfio-mc check --json --const $PARAM=$N${VFIO_ARGS[*]:+ ${VFIO_ARGS[*]}} Benchmarks/$(basename "$MODEL_VMC")"
  echo "rumur_version=$( (( RUN_RUMUR )) && rumur --version 2>&1 | head -1 || echo -)"
  echo "rumur_cmd=${RUMUR_GEN[*]} -o rumur-model.c $(basename "$MODEL_M") && ${RUMUR_CC[*]} && ./rumur-verifier"
  echo "baseline=$BASELINE"
  echo "ceiling_inserts=$CEILING_INSERTS"
  echo "ceiling_ahead=$CEILING_AHEAD"
  echo "pair_ceiling=$PAIR_CEILING"
  echo "own_work=$OWN_WORK"
} >"$WORK/config.txt"

# The core-to-core round trip (Benchmarks/core-latency.c), measured before each vfio-mc run of more than one
# thread: the host places the two virtual CPUs near or far from each other, and a two-thread run's time depends
# on it (README.md in this directory, "Two threads and the host").
PROBE=""
if [[ "$THREADS" != 1 || "$SPEEDUP" == 1 ]] && (( $(nproc) >= 2 )); then
  if cc -O2 -pthread -o "$WORK/core-latency" "$BENCH/core-latency.c" 2>"$WORK/core-latency.log"; then
    PROBE="$WORK/core-latency"
  else
    echo "run.sh: note: could not compile core-latency.c (see $WORK/core-latency.log): no round trips" >&2
  fi
fi

# The host's ceiling for two threads (Benchmarks/two-tables.c: two independent hash tables filled by one thread in
# turn, then by two threads one each), measured before each pair of --speedup runs, without and with the search's
# lookahead: what the two virtual CPUs give memory-bound work moves with the hour (README.md in this
# directory, "The host's ceiling, corrected"), so a speed-up is read against what the host gave in the same minutes.
CEILING=""
if (( SPEEDUP && CEILING_INSERTS > 0 )) && [[ "$THREADS" == 2 ]]; then
  if cc -O2 -pthread -o "$WORK/two-tables" "$BENCH/two-tables.c" 2>"$WORK/two-tables.log"; then
    CEILING="$WORK/two-tables"
  else
    echo "run.sh: note: could not compile two-tables.c (see $WORK/two-tables.log): no ceiling" >&2
  fi
elif (( SPEEDUP && CEILING_INSERTS > 0 )); then
  echo "run.sh: note: the ceiling (two-tables.c) is for two threads only: not measured with --threads $THREADS" >&2
fi

# run_ceiling: one run of two-tables on one thread and one on two, writing $WORK/ceiling-1.$r.out and ceiling-2.$r.out,
# then (unless --ceiling-ahead 0) the same with the lookahead, writing ceiling-ahead-1.$r.out and ceiling-ahead-2.$r.out;
# dies when one fails.
run_ceiling() {
  local t
  for t in 1 2; do
    echo "run.sh: run $r/$RUNS: two-tables $t $CEILING_INSERTS" >&2
    "$CEILING" "$t" "$CEILING_INSERTS" >"$WORK/ceiling-$t.$r.out" 2>&1 || { cat "$WORK/ceiling-$t.$r.out" >&2; die "two-tables $t failed"; }
  done
  (( CEILING_AHEAD > 0 )) || return 0
  for t in 1 2; do
    echo "run.sh: run $r/$RUNS: two-tables $t $CEILING_INSERTS ahead=$CEILING_AHEAD" >&2
    "$CEILING" "$t" "$CEILING_INSERTS" "ahead=$CEILING_AHEAD" >"$WORK/ceiling-ahead-$t.$r.out" 2>&1 \
      || { cat "$WORK/ceiling-ahead-$t.$r.out" >&2; die "two-tables $t ahead=$CEILING_AHEAD failed"; }
  done
}

# run_vfio BINARY NAME ARGS...: one vfio-mc run, writing $WORK/NAME.json, NAME.time and NAME.rc (and NAME.rt and
# NAME.rt-after, the core round trip in ns just before and just after a run of more than one thread: the host may
# move the virtual CPUs during a run); dies unless it exits 0.
run_vfio() {
  local bin=$1 name=$2; shift 2
  if [[ -n "$PROBE" && " $* " != *" --threads 1 "* ]]; then "$PROBE" >"$WORK/$name.rt" 2>/dev/null || rm -f "$WORK/$name.rt"; fi
  echo "run.sh: run $r/$RUNS: $bin check --const $PARAM=$N${*:+ $*} $(basename "$MODEL_VMC")" >&2
  set +e
  (cd "$ROOT" && /usr/bin/time -v "${PREFIX[@]}" "$bin" check --json --const "$PARAM=$N" "$@" \
      "Benchmarks/$(basename "$MODEL_VMC")" >"$WORK/$name.json" 2>"$WORK/$name.time")
  local rc=$?
  set -e
  echo "$rc" >"$WORK/$name.rc"
  if (( rc != 0 )); then
    tail -20 "$WORK/$name.time" >&2
    die "vfio-mc exited with $rc (0 means every expectation met; see $WORK/$name.json)"
  fi
  if [[ -f "$WORK/$name.rt" ]]; then "$PROBE" >"$WORK/$name.rt-after" 2>/dev/null || rm -f "$WORK/$name.rt-after"; fi
}

# run_at_once NAME [ARGS...]: starts run_vfio "$VFIO" NAME ARGS... in a background subshell (its own check of the exit
# status ends that subshell, seen by wait), with PREFIX as it is now. wait_at_once WHAT waits for every run started
# since the last wait and dies, naming WHAT, unless all exited 0.
AT_ONCE=()
run_at_once() {
  run_vfio "$VFIO" "$@" &
  AT_ONCE+=("$!")
}
wait_at_once() {
  local p failed=0
  for p in "${AT_ONCE[@]}"; do wait "$p" || failed=$?; done
  AT_ONCE=()
  (( failed == 0 )) || die "$1"
}

# run_pair_ceiling: two one-thread vfio-mc runs started at once, writing $WORK/vfio-mc-pair-a.$r.json and
# vfio-mc-pair-b.$r.json (with .time); dies unless both exit 0. The same search twice shares nothing but the host:
# the caches, the memory and whatever the host gives the two virtual CPUs together, which bounds what any
# two-thread search of this model can gain in the same minutes.
run_pair_ceiling() {
  local name
  echo "run.sh: run $r/$RUNS: the next two runs at once" >&2
  for name in vfio-mc-pair-a vfio-mc-pair-b; do run_at_once "$name.$r" "${VFIO_ARGS_ONE[@]}"; done
  wait_at_once "a one-thread run of --pair-ceiling failed (see $WORK/vfio-mc-pair-*.$r.json)"
}

# run_own_work: the two-thread search (every round on the threads) and the one-thread search at once, each pinned to
# its own CPU (the CPUs swap from pair to pair), writing $WORK/vfio-mc-own-2t.$r.json and vfio-mc-own-1t.$r.json (with
# .time); dies unless both exit 0. On one CPU the two threads share no line across cores and the host's placement
# does not matter: their user time over the one-thread search's is the design's own extra work. Run at once, the two
# share the host's minute and each other's memory traffic, so that their ratio moves by 2-3% where runs one after
# the other moved by up to 10% (Benchmarks/README.md, "Two threads: the claims' records").
run_own_work() {
  local two=$(( r % 2 ))
  echo "run.sh: run $r/$RUNS: the next two runs at once, on CPUs $two and $(( 1 - two ))" >&2
  PREFIX=(taskset -c "$two")
  run_at_once "vfio-mc-own-2t.$r" "${VFIO_ARGS[@]}" --parallel-rounds always
  PREFIX=(taskset -c "$(( 1 - two ))")
  run_at_once "vfio-mc-own-1t.$r" "${VFIO_ARGS_ONE[@]}"
  PREFIX=()
  wait_at_once "a run of --own-work failed (see $WORK/vfio-mc-own-*.$r.json)"
}

for ((r = 1; r <= RUNS; r++)); do
  if (( RUN_VFIO )); then
    [[ -n "$CEILING" ]] && run_ceiling
    (( PAIR_CEILING )) && run_pair_ceiling
    (( OWN_WORK )) && run_own_work
    (( SPEEDUP )) && run_vfio "$VFIO" "vfio-mc-1t.$r" "${VFIO_ARGS_ONE[@]}"
    run_vfio "$VFIO" "vfio-mc.$r" "${VFIO_ARGS[@]}"
    if [[ -n "$BASELINE" ]]; then run_vfio "$BASELINE" "vfio-mc-base.$r" "${VFIO_ARGS[@]}"; fi
  fi
  if (( RUN_SPIN )); then
    echo "run.sh: run $r/$RUNS: ./pan ${PAN_ARGS[*]}" >&2
    set +e
    if [[ -n "$SPIN_TIMEOUT" ]]; then
      (cd "$WORK" && /usr/bin/time -v timeout -s INT -k 60 "$SPIN_TIMEOUT" ./pan "${PAN_ARGS[@]}" \
          >"$WORK/spin.$r.out" 2>"$WORK/spin.$r.time")
    else
      (cd "$WORK" && /usr/bin/time -v ./pan "${PAN_ARGS[@]}" >"$WORK/spin.$r.out" 2>"$WORK/spin.$r.time")
    fi
    rc=$?
    set -e
    echo "$rc" >"$WORK/spin.$r.rc"
  fi
  if (( RUN_RUMUR )); then
    echo "run.sh: run $r/$RUNS: ./rumur-verifier (rumur --threads $RUMUR_THREADS)" >&2
    set +e
    (cd "$WORK" && /usr/bin/time -v ./rumur-verifier >"$WORK/rumur.$r.out" 2>"$WORK/rumur.$r.time")
    rc=$?
    set -e
    echo "$rc" >"$WORK/rumur.$r.rc"
  fi
done

# ------------------------------------------------------------------------------------------- summary

python3 - "$WORK" <<'PYEOF'
import json, math, os, re, statistics, sys

work = sys.argv[1]
cfg = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(work, "config.txt")))
runs = int(cfg["runs"])
symmetry = cfg["symmetry"] == "1"
spin_may_fail = cfg["spin_may_fail"] == "1"
problems = []

def peak_rss(path):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read())
    if not m:
        sys.exit(f"run.sh: error: no peak RSS in {path}")
    return int(m.group(1)) * 1024

def user_time(path):
    m = re.search(r"User time \(seconds\): ([\d.]+)", open(path).read())
    return float(m.group(1)) if m else float("nan")

def wall(path):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", open(path).read())
    return (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) if m else float("nan")

def spin_run(r):
    out = open(os.path.join(work, f"spin.{r}.out")).read()
    rc = int(open(os.path.join(work, f"spin.{r}.rc")).read())
    run = {"rss": peak_rss(os.path.join(work, f"spin.{r}.time")), "wall": wall(os.path.join(work, f"spin.{r}.time"))}
    m = re.search(r"^\s*([0-9.e+]+) states, stored", out, re.M)
    text = m.group(1) if m else None
    run["states"] = float(text) if text else None
    # pan prints "states, stored" with %9.8g: above 99,999,999 the count is rounded to 8 digits.
    run["exact"] = text is not None and re.fullmatch(r"\d+", text) is not None
    times = re.findall(r"(?:pan|cpu0): elapsed time ([0-9.e+]+) seconds", out)
    run["seconds"] = float(times[-1]) if times else None
    failure = []
    if "reached -DMEMLIM bound" in out or "out of memory" in out:
        failure.append("out of memory (-DMEMLIM or malloc)")
    if "max search depth too small" in out:
        failure.append("DFS depth limit too small (raise --spin-depth)")
    if "Search not completed" in out and not failure:
        failure.append("search not completed")
    if rc in (124, 130) or re.search(r"Interrupted|stopped by", out):
        failure.append("stopped by --spin-timeout")
    e = re.search(r"errors: (\d+)", out)
    if e is None:
        failure.append(f"no summary (exit status {rc})")
    elif int(e.group(1)) != 0:
        failure.append(f"{e.group(1)} error(s): a property is violated (see spin.{r}.out)")
    if rc != 0 and not failure:
        failure.append(f"exit status {rc}")
    if run["states"] is None or run["seconds"] is None:
        failure.append("could not read states or elapsed time")
    run["failure"] = "; ".join(failure)
    return run

def vfio_run(r, name="vfio-mc"):
    doc = json.load(open(os.path.join(work, f"{name}.{r}.json")))
    models = doc.get("models") or []
    if len(models) != 1:
        sys.exit(f"run.sh: error: {name}.{r}.json: expected one model, found {len(models)}")
    m = models[0]
    run = {"rss": peak_rss(os.path.join(work, f"{name}.{r}.time")), "wall": wall(os.path.join(work, f"{name}.{r}.time")),
           "states": m["states"], "seconds": m["seconds"], "exact": True,
           "reported_sps": m.get("statesPerSecond"), "reported_bps": m.get("bytesPerState"),
           "reported_peak": m.get("peakMemoryBytes"), "transitions": m.get("transitions"),
           "depth": m.get("depth"), "reductions": m.get("reductions"),
           "rounds": m.get("rounds", 0), "one_thread_rounds": m.get("roundsOnOneThread", 0), "failure": "",
           "user": user_time(os.path.join(work, f"{name}.{r}.time"))}
    if m.get("complete") is False:
        run["failure"] = f"incomplete search (stopReason {m.get('stopReason')})"
    return run

def rumur_run(r):
    out = open(os.path.join(work, f"rumur.{r}.out")).read()
    rc = int(open(os.path.join(work, f"rumur.{r}.rc")).read())
    tpath = os.path.join(work, f"rumur.{r}.time")
    # The verifier prints its duration in whole seconds only: its time here is the process's wall clock.
    run = {"rss": peak_rss(tpath), "wall": wall(tpath), "exact": True, "states": None, "seconds": None}
    m = re.search(r"<summary\s([^>]*)/>", out)
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1))) if m else {}
    failure = []
    if not re.fullmatch(r"\d+", attrs.get("states", "")) or not re.fullmatch(r"\d+", attrs.get("errors", "")):
        failure.append(f"no summary (exit status {rc}; see rumur.{r}.out)")
    else:
        run["states"] = int(attrs["states"])
        run["rules"] = int(attrs.get("rules_fired", "0"))
        run["seconds"] = run["wall"]
        if int(attrs["errors"]) != 0:
            failure.append(f"{attrs['errors']} error(s): a property is violated or a deadlock (see rumur.{r}.out)")
    if rc != 0 and not failure:
        failure.append(f"exit status {rc}")
    run["failure"] = "; ".join(failure)
    return run

VFIO, BASE, ONE, SPIN, RUMUR = "vfio-mc", "vfio-mc baseline", "vfio-mc, 1 thread", "SPIN", "Rumur"
tools = {}
if os.path.exists(os.path.join(work, "vfio-mc.1.json")):
    tools[VFIO] = [vfio_run(r) for r in range(1, runs + 1)]
if cfg.get("baseline"):
    tools[BASE] = [vfio_run(r, "vfio-mc-base") for r in range(1, runs + 1)]
if cfg.get("speedup") == "1":
    tools[ONE] = [vfio_run(r, "vfio-mc-1t") for r in range(1, runs + 1)]
def extra_runs(option, names):
    """Per round, the vfio-mc runs an option adds beside the pair (not rows of the table), each failure a problem."""
    if cfg.get(option.strip("-").replace("-", "_")) != "1":
        return []
    rounds = [tuple(vfio_run(r, name) for name in names) for r in range(1, runs + 1)]
    for i, group in enumerate(rounds, 1):
        problems.extend(f"{option} run {i}: {run['failure']}" for run in group if run["failure"])
    return rounds

# Under --pair-ceiling: the two one-thread runs made at once; under --own-work: the two-thread and the one-thread
# search at once, each on one CPU.
side_by_side = extra_runs("--pair-ceiling", ("vfio-mc-pair-a", "vfio-mc-pair-b"))
own_work = extra_runs("--own-work", ("vfio-mc-own-2t", "vfio-mc-own-1t"))
for i, (two, one) in enumerate(own_work, 1):
    if not two["failure"] and not one["failure"] and two["states"] != one["states"]:
        problems.append(f"--own-work run {i}: {two['states']:,} states on two threads, {one['states']:,} on one")
if os.path.exists(os.path.join(work, "spin.1.out")):
    tools[SPIN] = [spin_run(r) for r in range(1, runs + 1)]
if os.path.exists(os.path.join(work, "rumur.1.out")):
    tools[RUMUR] = [rumur_run(r) for r in range(1, runs + 1)]

for name, rs in tools.items():
    for i, run in enumerate(rs, 1):
        if run["failure"]:
            msg = f"{name} run {i}: {run['failure']}"
            if name == SPIN and spin_may_fail:
                print(f"run.sh: note: {msg}", file=sys.stderr)
            else:
                problems.append(msg)
    counts = {run["states"] for run in rs if not run["failure"]}
    if len(counts) > 1:
        problems.append(f"{name}: distinct-state counts differ between runs: {sorted(counts)}")

def med(xs):
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    return statistics.median(xs) if xs else float("nan")

rows = {}
for name, rs in tools.items():
    ok = [run for run in rs if not run["failure"]] or rs
    states = ok[0]["states"]
    rows[name] = {
        "states": states,
        "exact": all(run["exact"] for run in ok),
        "seconds": med([run["seconds"] for run in ok]),
        "wall": med([run["wall"] for run in ok]),
        "sps": med([run["states"] / run["seconds"] if run["states"] and run["seconds"] else None for run in ok]),
        "bps": med([run["rss"] / run["states"] if run["states"] else None for run in ok]),
        "rss": med([run["rss"] for run in ok]),
        "failed": all(run["failure"] for run in rs),
        "failure": next((run["failure"] for run in rs if run["failure"]), ""),
    }

def usable(x):
    return x is not None and not math.isnan(x) and x > 0

def ratio(a, b):
    return f"{a / b:.2f}x" if usable(a) and usable(b) else "n/a (a run too short to time)"

def fmt_int(x):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{int(round(x)):,}"

# Which rows count the same state space: all of them, except under --symmetry, where vfio-mc's rows count
# the reduced one and SPIN's and Rumur's the full one.
vfio_rows = [n for n in (VFIO, BASE, ONE) if n in rows]
peer_rows = [n for n in (SPIN, RUMUR) if n in rows]
comparable = (lambda a, b: (a in vfio_rows) == (b in vfio_rows)) if symmetry else (lambda a, b: True)

title = {"p2p": "p2p-scale", "deep": "deep"}[cfg["model"]]
print()
print(f"{title}, {cfg['param']}={cfg['N']}, {runs} run(s) per tool, alternating, medians; {cfg['machine']}")
print(f"  vfio-mc: {cfg['vfio_cmd']}" + ("" if VFIO in tools else "  (not run)"))
if BASE in tools:
    print(f"  vfio-mc baseline: {cfg['baseline']}, the same arguments")
print(f"  SPIN:    {cfg['spin_version']}: {cfg['spin_cmd']}" + ("" if SPIN in tools else "  (not run)"))
print(f"  Rumur:   {cfg['rumur_version']}: {cfg['rumur_cmd']}" + ("" if RUMUR in tools else "  (not run)"))
print()
print("| tool | distinct states | seconds | states/s | bytes/state (peak RSS / states) | peak RSS (MB) | wall s "
      "| vfio-mc/this, states/s | vfio-mc/this, bytes/state |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
v = rows.get(VFIO)
for name, row in rows.items():
    states = fmt_int(row["states"]) + ("" if row["exact"] else " (8 digits)")
    if row["failed"]:
        states += f" when stopped: {row['failure']}"
    # A run that failed before it searched (e.g. out of memory at start) may print a meaningless time.
    seconds = "-" if row["failed"] else f"{row['seconds']:.2f}"
    bps = "-" if row["failed"] or math.isnan(row["bps"]) else f"{row['bps']:.1f}"
    r_sps = r_bps = "-"
    if v and name != VFIO and not row["failed"] and not v["failed"] and comparable(VFIO, name):
        r_sps, r_bps = ratio(v["sps"], row["sps"]), ratio(v["bps"], row["bps"])
    print(f"| {name} | {states} | {seconds} | {'-' if row['failed'] else fmt_int(row['sps'])} | {bps} | "
          f"{row['rss'] / 1048576:,.0f} | {row['wall']:.2f} | {r_sps} | {r_bps} |")
print()

if VFIO in tools:
    t = tools[VFIO][0]
    print(f"vfio-mc: {fmt_int(t['transitions'])} transitions, depth {t['depth']}, reductions {t['reductions']}; "
          f"it reports {fmt_int(med([r['reported_sps'] for r in tools[VFIO]]))} states/s and "
          f"{med([r['reported_bps'] for r in tools[VFIO]]):.1f} bytes/state itself")
for name in (VFIO, BASE):
    if name in tools and any(r["one_thread_rounds"] for r in tools[name]):
        # --parallel-rounds adaptive ran some rounds on one thread because they ran faster there (docs/explorer.md).
        print(f"{name}: rounds on one thread (--parallel-rounds adaptive), per run: "
              + ", ".join(f"{r['one_thread_rounds']:,} of {r['rounds']:,}" for r in tools[name]))
if RUMUR in tools and not rows[RUMUR]["failed"]:
    print(f"Rumur: {fmt_int(tools[RUMUR][0].get('rules'))} rules fired (vfio-mc's transitions plus one per terminal state)")
print(f"unreduced distinct states for {cfg['param']}={cfg['N']} by the formula in {title}.vmc: {int(cfg['expected']):,}")

def same_count(a, b):
    if a["exact"] and b["exact"]:
        return a["states"] == b["states"]
    return float(f"{a['states']:.8g}") == float(f"{b['states']:.8g}")  # pan's 8 printed digits

# Every count must equal every other count of the same state space (each against the first that finished).
for group in ([vfio_rows, peer_rows] if symmetry else [vfio_rows + peer_rows]):
    done = [n for n in group if not rows[n]["failed"]]
    differ = [n for n in done[1:] if not same_count(rows[done[0]], rows[n])]
    for n in differ:
        problems.append(f"DISTINCT STATES DIFFER: {done[0]} {fmt_int(rows[done[0]]['states'])}, "
                        f"{n} {fmt_int(rows[n]['states'])}")
    if len(done) > 1 and not differ:
        exact = all(rows[n]["exact"] for n in done)
        print(f"distinct states: equal in {'; '.join(done)}" + ("" if exact else " (to SPIN's 8 printed digits)"))
if symmetry and vfio_rows and peer_rows:
    print("symmetry run: vfio-mc explores the reduced state space, SPIN and Rumur the full one; those counts are not compared")

def trip(name, r, suffix=""):
    """The core round trip (ns) measured before (or, with suffix "-after", after) run r of NAME, if any."""
    path = os.path.join(work, f"{name}.{r}.rt{suffix}")
    if os.path.exists(path) and re.fullmatch(r"\d+", open(path).read().strip()):
        return int(open(path).read().strip())
    return None

# A round trip below this (ns) before and after a two-thread run: the CPUs stayed near each other through it.
NEAR_NS = 150

def ceiling_seconds(threads, kind=""):
    values = []
    for r in range(1, runs + 1):
        path = os.path.join(work, f"ceiling-{kind}{threads}.{r}.out")
        if not os.path.exists(path):
            return []
        m = re.search(r"thread\(s\): ([0-9.]+) s", open(path).read())
        if not m:
            sys.exit(f"run.sh: error: no time in {path}")
        values.append(float(m.group(1)))
    return values

if ONE in rows and v:
    speedup = v["sps"] / rows[ONE]["sps"] if usable(v["sps"]) and usable(rows[ONE]["sps"]) else None
    # Each pair's ratio, by its run number (the pairs whose two runs both finished and were timed).
    by_run = {r: o["seconds"] / t["seconds"] for r, (o, t) in enumerate(zip(tools[ONE], tools[VFIO]), 1)
              if usable(o["seconds"]) and usable(t["seconds"]) and not o["failure"] and not t["failure"]}
    pairs = list(by_run.values())
    print(f"vfio-mc speed-up, --threads {cfg['threads']} over --threads 1 (medians of {runs} alternating runs): "
          f"{ratio(v['sps'], rows[ONE]['sps'])} states/s; per pair of runs (seconds): "
          + (", ".join(f"{x:.2f}x" for x in pairs) or "-")
          + (f"; the median of the pairs' ratios {med(pairs):.2f}x" if pairs else ""))
    # The host places the two virtual CPUs near each other (a shared last-level cache) or far, and may move them
    # during a run: the pairs split by the round trips measured before and after the two-thread run.
    stayed_near = {r for r in by_run
                   if all(x is not None and x < NEAR_NS for x in (trip("vfio-mc", r), trip("vfio-mc", r, "-after")))}
    if any(trip("vfio-mc", r) is not None for r in by_run):
        near = [x for r, x in by_run.items() if r in stayed_near]
        other = [x for r, x in by_run.items() if r not in stayed_near]
        print(f"pairs whose two-thread run had the CPUs near before and after it (round trip under {NEAR_NS} ns): "
              f"{len(near)} of {len(by_run)}" + (f", median {med(near):.2f}x" if near else "")
              + (f"; the other {len(other)}: median {med(other):.2f}x" if other else ""))
    if side_by_side:
        # The same search twice at once, against the pair's one-thread run alone: what the host gave this
        # workload on two CPUs in the same minutes, with nothing shared between the two searches.
        states = tools[ONE][0]["states"]
        for i, (a, b) in enumerate(side_by_side, 1):
            for run in (a, b):
                if not run["failure"] and run["states"] != states:
                    problems.append(f"--pair-ceiling run {i}: {fmt_int(run['states'])} states, one thread alone "
                                    f"{fmt_int(states)}")
        # By run number: the one-thread run alone, and the mean of the two made at once before it.
        both = {r: (o["seconds"], (a["seconds"] + b["seconds"]) / 2)
                for r, (o, (a, b)) in enumerate(zip(tools[ONE], side_by_side), 1)
                if usable(o["seconds"]) and usable(a["seconds"]) and usable(b["seconds"])}
        ceilings = {r: 2 * alone / together for r, (alone, together) in both.items()}
        if ceilings:
            shares = [by_run[r] / c for r, c in ceilings.items() if r in by_run]
            print(f"the workload's ceiling for two threads (two one-thread runs at once before each pair, twice the "
                  f"one-thread time over their mean; medians {med([x for x, _ in both.values()]):.2f} s alone, "
                  f"{med([y for _, y in both.values()]):.2f} s at once): {med(list(ceilings.values())):.2f}x"
                  + (f"; each pair's speed-up is {100 * med(shares):.0f}% of its ceiling (median)" if shares else "")
                  + "; per pair: " + ", ".join(f"{c:.2f}x" for c in ceilings.values()))
    if own_work:
        # Each search on one CPU: no line shared across cores, no placement; what the two-thread search's user time
        # exceeds the one-thread search's by is its own work (and its threads' spinning at each phase's end).
        users = [(two["user"], one["user"]) for two, one in own_work
                 if usable(two["user"]) and usable(one["user"]) and not two["failure"] and not one["failure"]]
        if users:
            work_ratio = med([a for a, _ in users]) / med([b for _, b in users])
            bound = (f"; at the workload's ceiling ({med(list(ceilings.values())):.2f}x) that allows about "
                     f"{med(list(ceilings.values())) / work_ratio:.2f}x") if side_by_side and ceilings else ""
            print(f"the two-thread search's own work (each search pinned to one CPU, both at once, every round on the threads; "
                  f"user time, medians {med([a for a, _ in users]):.2f} s on two threads, "
                  f"{med([b for _, b in users]):.2f} s on one): {work_ratio:.2f}x the one-thread search's{bound}; "
                  "per pair: " + ", ".join(f"{a / b:.2f}x" for a, b in users))
    for kind, how in (("", "no lookahead"), ("ahead-", f"each slot prefetched {cfg.get('ceiling_ahead')} inserts ahead")):
        one, two = ceiling_seconds(1, kind), ceiling_seconds(2, kind)
        if one and two:
            # Independent work on two threads, nothing shared: what the host gave in the same minutes.
            ceiling = med(one) / med(two)
            share = f"; the speed-up is {100 * speedup / ceiling:.0f}% of it" if speedup else ""
            print(f"host ceiling for two threads (two-tables.c, {how}, {int(cfg['ceiling_inserts']):,} inserts per table, "
                  f"run before each pair; medians {med(one):.2f} s on one thread, {med(two):.2f} s on two): "
                  f"{ceiling:.2f}x{share}; per run: " + ", ".join(f"{a / b:.2f}x" for a, b in zip(one, two)))
if BASE in rows and v:
    print(f"vfio-mc over the baseline binary: states/s {ratio(v['sps'], rows[BASE]['sps'])}; "
          f"bytes/state {ratio(v['bps'], rows[BASE]['bps'])}")
for peer in peer_rows:
    if not v:
        break
    p = rows[peer]
    if p["failed"] or v["failed"]:
        print(f"{peer} did not finish ({p['failure']}): no ratio" if p["failed"] else f"vfio-mc failed: no ratio to {peer}")
    elif symmetry:
        print(f"time to the verdicts, {peer}/vfio-mc: {ratio(p['seconds'], v['seconds'])}; "
              f"peak RSS, {peer}/vfio-mc: {ratio(p['rss'], v['rss'])}")
    else:
        print(f"ratio vfio-mc/{peer}, states/s: {ratio(v['sps'], p['sps'])}; bytes/state: {ratio(v['bps'], p['bps'])}")
if v and not symmetry and not v["failed"] and v["states"] != int(cfg["expected"]):
    print(f"note: vfio-mc found {fmt_int(v['states'])} states, the formula says {int(cfg['expected']):,}"
          " (was the model changed? the formula assumes it as written)")
trips = {}
for name in ("vfio-mc", "vfio-mc-base"):
    values = [(trip(name, r), trip(name, r, "-after")) for r in range(1, runs + 1)]
    values = [(a, b) for a, b in values if a is not None]
    if values:
        trips[name] = values
if trips:
    # Near: the two CPUs share a last-level cache (about 55 ns on the benchmark machine); far: they do not.
    print("core-to-core round trip before and after each run of more than one thread (ns, in run order; about 55 "
          "near, 350 far): " + "; ".join(f"{name} " + " ".join(f"{a}/{'-' if b is None else b}" for a, b in values)
                                        for name, values in trips.items()))
print(f"logs: {work}")

if problems:
    print(file=sys.stderr)
    for p in problems:
        print(f"run.sh: FAILED: {p}", file=sys.stderr)
    sys.exit(1)
PYEOF
