#!/usr/bin/env bash
# Benchmarks/run.sh: vfio-mc against SPIN on the same model (see Benchmarks/README.md).
#
# Builds vfio-mc in release mode, installs SPIN (Debian `spin`) and GNU time when they are missing,
# generates and compiles SPIN's verifier for the Promela twin, runs each tool R times at N devices and
# prints a Markdown table: distinct states, seconds, states/s, bytes per state (peak RSS / states) and the
# vfio-mc/SPIN ratio of states/s. Fails loudly when the two tools disagree on the number of distinct states,
# when a run does not complete, or when a property does not get its expected verdict.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/Benchmarks"

usage() {
  cat <<'EOF'
Usage: Benchmarks/run.sh [options]

  -n, --n N               devices (default 6: 41,557,321 states; N=5 gives 1,011,300 for a quick run)
  -r, --runs R            runs per tool (default 3); the table shows medians
      --threads T         vfio-mc --threads T (default 1), when vfio-mc has the option
      --speedup           also run vfio-mc with --threads 1 before each run (alternating) and print the
                          speed-up of --threads T over one thread (medians of the runs)
      --ncore K           SPIN: compile pan with -DNCORE=K (multi-core search; default 1: sequential pan)
      --tools LIST        spin,vfio-mc (default both); with one tool there is no comparison
      --symmetry          vfio-mc on p2p-scale-sym.vmc (scalarset devices, symmetry reduction on), SPIN on
                          the unreduced twin: state counts differ by design and are not compared; use it
                          with --spin-timeout/--spin-may-fail at sizes SPIN cannot finish
      --vfio-mc PATH      use this vfio-mc binary (skips the build)
      --no-build          do not run `swift build` (use .build/release/vfio-mc)
      --vfio-mc-args STR  extra arguments for `vfio-mc check` (e.g. "--no-symmetry")
      --spin-hash W       pan -wW: hash table of 2^W slots (default: ceil(log2(expected states)) + 1)
      --spin-depth M      pan -mM: DFS depth limit (default: measured depth for N <= 6 plus margin)
      --memlim MB         pan -DMEMLIM=MB (default: 85% of physical memory)
      --spin-cflags STR   extra gcc flags for pan (e.g. "-DCOLLAPSE" or "-DHC"; default none: exact storage)
      --spin-timeout S    stop SPIN after S seconds (SIGINT: pan prints what it covered)
      --spin-may-fail     report a SPIN run that ran out of memory, depth or time instead of failing
      --workdir DIR       keep pan, logs and JSON there (default: a fresh directory under /tmp)
  -h, --help              this text
EOF
}

N=6; RUNS=3; THREADS=1; NCORE=1; TOOLS="spin,vfio-mc"; SYMMETRY=0
VFIO=""; BUILD=1; VFIO_EXTRA=""; SPIN_W=""; SPIN_M=""; MEMLIM=""; SPIN_CFLAGS_EXTRA=""
SPIN_TIMEOUT=""; SPIN_MAY_FAIL=0; WORK=""; SPEEDUP=0

die() { echo "run.sh: error: $*" >&2; exit 1; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n|--n) need_arg "$@"; N=$2; shift 2 ;;
    -r|--runs) need_arg "$@"; RUNS=$2; shift 2 ;;
    --threads) need_arg "$@"; THREADS=$2; shift 2 ;;
    --speedup) SPEEDUP=1; shift ;;
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
isint "$N" && (( N >= 1 && N <= 8 )) || die "--n must be 1 .. 8 (the Promela twin's tables stop at 8)"
isint "$RUNS" && (( RUNS >= 1 )) || die "--runs must be a positive integer"
isint "$THREADS" && (( THREADS >= 1 )) || die "--threads must be a positive integer"
isint "$NCORE" && (( NCORE >= 1 )) || die "--ncore must be a positive integer"
RUN_SPIN=0; RUN_VFIO=0
IFS=',' read -r -a tool_list <<<"$TOOLS"
for t in "${tool_list[@]}"; do
  case "$t" in spin) RUN_SPIN=1 ;; vfio-mc) RUN_VFIO=1 ;; *) die "--tools: unknown tool '$t'" ;; esac
done
(( RUN_SPIN + RUN_VFIO > 0 )) || die "--tools selects nothing"
if (( SPEEDUP )); then
  (( RUN_VFIO )) || die "--speedup needs vfio-mc in --tools"
  (( THREADS > 1 )) || die "--speedup needs --threads 2 or more"
fi

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

# ------------------------------------------------------------------------------------------- vfio-mc

MODEL_VMC="$BENCH/p2p-scale.vmc"
(( SYMMETRY )) && MODEL_VMC="$BENCH/p2p-scale-sym.vmc"
MODEL_PML="$BENCH/p2p-scale.pml"
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

# Distinct states of the unreduced model (see the header of p2p-scale.vmc); used to size pan's tables.
EXPECTED=$(python3 -c "N=$N; print((3*N)**N + (2*N+2)**N - 2**N + 5**N)")
if [[ -z "$SPIN_W" ]]; then
  # At most half full (SPIN chains its entries; vfio-mc's open-addressing table is also kept at most half full).
  SPIN_W=$(python3 -c "import math; print(max(18, math.ceil(math.log2($EXPECTED)) + 1))")
fi
if [[ -z "$SPIN_M" ]]; then
  # Depth of pan's depth-first search (sequential, deterministic): N=5 172,586, N=6 4,604,955. The DFS
  # stack is allocated and zeroed in full (about 56 bytes per level), so it counts in the peak RSS:
  # size it to the measured depth plus a margin rather than to a blanket large value.
  case "$N" in
    1|2|3) SPIN_M=10000 ;; 4) SPIN_M=20000 ;; 5) SPIN_M=250000 ;; 6) SPIN_M=5500000 ;;
    *) SPIN_M=$(python3 -c "print(min(200000000, $EXPECTED // 8))") ;;
  esac
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

if (( RUN_SPIN )); then
  echo "run.sh: spin -DN=$N -a p2p-scale.pml; gcc ${SPIN_CFLAGS[*]} -o pan pan.c" >&2
  cp "$MODEL_PML" "$WORK/p2p-scale.pml"
  (cd "$WORK" && spin "-DN=$N" -a p2p-scale.pml >spin-a.log 2>&1) || { cat "$WORK/spin-a.log" >&2; die "spin -a failed"; }
  (cd "$WORK" && gcc "${SPIN_CFLAGS[@]}" -o pan pan.c 2>gcc.log) || { cat "$WORK/gcc.log" >&2; die "gcc failed on pan.c"; }
fi

# ---------------------------------------------------------------------------------------------- runs

CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "N=$N"; echo "runs=$RUNS"; echo "expected=$EXPECTED"; echo "symmetry=$SYMMETRY"
  echo "threads=$THREADS"; echo "ncore=$NCORE"; echo "spin_may_fail=$SPIN_MAY_FAIL"; echo "speedup=$SPEEDUP"
  echo "machine=$(nproc) cores, ${CPU:-unknown CPU}, $(awk '/^MemTotal:/ { printf "%.1f GB", $2/1048576 }' /proc/meminfo)"
  echo "spin_version=$( (( RUN_SPIN )) && spin -V 2>&1 | head -1 || echo -)"
  echo "spin_cmd=gcc ${SPIN_CFLAGS[*]} -o pan pan.c && ./pan ${PAN_ARGS[*]}"
  echo "vfio_cmd=vfio-mc check --json --const N=$N${VFIO_ARGS[*]:+ ${VFIO_ARGS[*]}} Benchmarks/$(basename "$MODEL_VMC")"
} >"$WORK/config.txt"

# run_vfio NAME ARGS...: one vfio-mc run, writing $WORK/NAME.json, NAME.time and NAME.rc; dies unless it exits 0.
run_vfio() {
  local name=$1; shift
  echo "run.sh: run $r/$RUNS: vfio-mc check --const N=$N${*:+ $*} $(basename "$MODEL_VMC")" >&2
  set +e
  (cd "$ROOT" && /usr/bin/time -v "$VFIO" check --json --const "N=$N" "$@" \
      "Benchmarks/$(basename "$MODEL_VMC")" >"$WORK/$name.json" 2>"$WORK/$name.time")
  local rc=$?
  set -e
  echo "$rc" >"$WORK/$name.rc"
  if (( rc != 0 )); then
    tail -20 "$WORK/$name.time" >&2
    die "vfio-mc exited with $rc (0 means every expectation met; see $WORK/$name.json)"
  fi
}

for ((r = 1; r <= RUNS; r++)); do
  if (( RUN_VFIO )); then
    (( SPEEDUP )) && run_vfio "vfio-mc-1t.$r" "${VFIO_ARGS_ONE[@]}"
    run_vfio "vfio-mc.$r" "${VFIO_ARGS[@]}"
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
           "depth": m.get("depth"), "reductions": m.get("reductions"), "failure": ""}
    if m.get("complete") is False:
        run["failure"] = f"incomplete search (stopReason {m.get('stopReason')})"
    return run

tools = {}
if os.path.exists(os.path.join(work, "vfio-mc.1.json")):
    tools["vfio-mc"] = [vfio_run(r) for r in range(1, runs + 1)]
if os.path.exists(os.path.join(work, "spin.1.out")):
    tools["SPIN"] = [spin_run(r) for r in range(1, runs + 1)]
ONE = "vfio-mc, 1 thread"
if cfg.get("speedup") == "1":
    tools[ONE] = [vfio_run(r, "vfio-mc-1t") for r in range(1, runs + 1)]

for name, rs in tools.items():
    for i, run in enumerate(rs, 1):
        if run["failure"]:
            msg = f"{name} run {i}: {run['failure']}"
            if name == "SPIN" and spin_may_fail:
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

def ratio(a, b):
    ok = all(x is not None and not math.isnan(x) and x > 0 for x in (a, b))
    return f"{a / b:.2f}x" if ok else "n/a (a run too short to time)"

def fmt_int(x):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{int(round(x)):,}"

print()
print(f"p2p-scale, N={cfg['N']}, {runs} run(s) per tool, medians; {cfg['machine']}")
print(f"  vfio-mc: {cfg['vfio_cmd']}" + ("" if "vfio-mc" in tools else "  (not run)"))
print(f"  SPIN:    {cfg['spin_version']}: {cfg['spin_cmd']}" + ("" if "SPIN" in tools else "  (not run)"))
print()
print("| tool | distinct states | seconds | states/s | bytes/state (peak RSS / states) | peak RSS (MB) | wall s |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, row in rows.items():
    states = fmt_int(row["states"]) + ("" if row["exact"] else " (8 digits)")
    if row["failed"]:
        states += f" when stopped: {row['failure']}"
    # A run that failed before it searched (e.g. out of memory at start) may print a meaningless time.
    seconds = "-" if row["failed"] else f"{row['seconds']:.2f}"
    bps = "-" if row["failed"] or math.isnan(row["bps"]) else f"{row['bps']:.1f}"
    print(f"| {name} | {states} | {seconds} | {'-' if row['failed'] else fmt_int(row['sps'])} | {bps} | "
          f"{row['rss'] / 1048576:,.0f} | {row['wall']:.2f} |")
print()

if "vfio-mc" in tools:
    v = tools["vfio-mc"][0]
    print(f"vfio-mc: {fmt_int(v['transitions'])} transitions, depth {v['depth']}, reductions {v['reductions']}; "
          f"it reports {fmt_int(med([r['reported_sps'] for r in tools['vfio-mc']]))} states/s and "
          f"{med([r['reported_bps'] for r in tools['vfio-mc']]):.1f} bytes/state itself")
print(f"unreduced distinct states for N={cfg['N']} by the formula in p2p-scale.vmc: {int(cfg['expected']):,}")
if ONE in rows and "vfio-mc" in rows:
    one, many = rows[ONE], rows["vfio-mc"]
    if one["states"] != many["states"]:
        problems.append(f"vfio-mc with 1 and {cfg['threads']} threads found different states: "
                        f"{fmt_int(one['states'])} and {fmt_int(many['states'])}")
    else:
        print(f"vfio-mc speed-up, --threads {cfg['threads']} over --threads 1 (medians of {runs} alternating runs): "
              f"{ratio(many['sps'], one['sps'])} states/s")

if "vfio-mc" in rows and "SPIN" in rows:
    v, s = rows["vfio-mc"], rows["SPIN"]
    if symmetry:
        print("symmetry run: vfio-mc explores the reduced state space, SPIN the full one; counts are not compared")
    elif not s["failed"] and not v["failed"]:
        if s["exact"]:
            same = v["states"] == s["states"]
        else:  # compare at pan's 8 significant digits
            same = float(f"{v['states']:.8g}") == s["states"]
        if not same:
            problems.append(f"DISTINCT STATES DIFFER: vfio-mc {fmt_int(v['states'])}, SPIN {fmt_int(s['states'])}")
        else:
            print("distinct states: equal" + ("" if s["exact"] else " (to SPIN's 8 printed digits)"))
    if symmetry and not s["failed"] and not v["failed"]:
        print(f"time to the verdicts, SPIN/vfio-mc: {ratio(s['seconds'], v['seconds'])}; "
              f"peak RSS, SPIN/vfio-mc: {ratio(s['rss'], v['rss'])}")
    elif not s["failed"] and not v["failed"]:
        print(f"ratio vfio-mc/SPIN, states/s: {ratio(v['sps'], s['sps'])}; bytes/state: {ratio(v['bps'], s['bps'])}")
    elif s["failed"]:
        print(f"SPIN did not finish ({s['failure']}): no ratio")
if "vfio-mc" in rows and not symmetry and not rows["vfio-mc"]["failed"] and rows["vfio-mc"]["states"] != int(cfg["expected"]):
    print(f"note: vfio-mc found {fmt_int(rows['vfio-mc']['states'])} states, the formula says {int(cfg['expected']):,}"
          " (was the model changed? the formula assumes it as written)")
print(f"logs: {work}")

if problems:
    print(file=sys.stderr)
    for p in problems:
        print(f"run.sh: FAILED: {p}", file=sys.stderr)
    sys.exit(1)
PYEOF
