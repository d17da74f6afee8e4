# What tests/fuzz/run-long and tests/fuzz/run-ci share: building the `fuzz` preset's libFuzzer targets only,
# fuzzing one target from its seed corpus, and reading libFuzzer's final figures. Sourced, not run.
# shellcheck shell=bash

FUZZ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUZZ_BUILD=$FUZZ_ROOT/build-fuzz
FUZZ_CORPUS=$FUZZ_ROOT/tests/fuzz/corpus
FUZZ_LOGS=$FUZZ_BUILD/fuzz-logs

# Configures build-fuzz/ (clang + libFuzzer + ASan/UBSan, CMakePresets.json) when needed.
fuzz_configure() {
  command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing (./p2plab installs it)" >&2; return 2; }
  if command -v ccache >/dev/null && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
    export CMAKE_CXX_COMPILER_LAUNCHER=ccache
  fi
  if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
    cmake -S "$FUZZ_ROOT" --preset fuzz -DP2P_WERROR=ON >/dev/null
  fi
}

# Every libFuzzer target the build defines (p2p_fuzz in tests/CMakeLists.txt), one a line.
fuzz_targets() {
  ninja -C "$FUZZ_BUILD" -t targets all | sed -n 's/^\([a-z0-9_]*_fuzz\): phony$/\1/p' | grep -v '^cmake_' | sort
}

# Builds the named targets and nothing else, with `jobs` compilers: fuzz_build JOBS TARGET...
fuzz_build() {
  local jobs=$1
  shift
  ninja -C "$FUZZ_BUILD" -j"$jobs" "$@"
}

# Fuzzes one target: fuzz_run TARGET LOG ARGS... where ARGS are libFuzzer flags (-runs=, -max_total_time=).
# New inputs go to build-fuzz/fuzz-work/TARGET, a crash's input to build-fuzz/fuzz-artifacts/; the seed
# corpus in the repository is only read. UBSan reports halt the run as a crash, as ASan's do. Returns
# libFuzzer's exit status.
fuzz_run() {
  local target=$1 log=$2
  shift 2
  local work=$FUZZ_BUILD/fuzz-work/$target artifacts=$FUZZ_BUILD/fuzz-artifacts/
  mkdir -p "$work" "$artifacts"
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    "$FUZZ_BUILD/bin/$target" -print_final_stats=1 -timeout=10 -artifact_prefix="$artifacts$target-" "$@" \
    "$work" "$FUZZ_CORPUS/$target" >"$log" 2>&1
}

# One summary line from a target's log: NAME EXECUTIONS EXEC/S COV FT CRASHES ARTIFACT.
# Executions and exec/s come from libFuzzer's final stats, cov: and ft: from its last progress line; a run
# stops at its first crash, whose input is the artifact ("-" when none).
fuzz_summary() {
  local target=$1 log=$2
  local execs rate cov ft crashes artifact
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  # A slow unit (libFuzzer's -report_slow_units) is written as an artifact too, but it is not a crash.
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | { grep -v -- '-slow-unit-' || true; } | tail -1)
  crashes=0
  if [ -n "$artifact" ] || grep -qE '^==[0-9]+==ERROR|runtime error:|deadly signal' "$log"; then crashes=1; fi
  printf '%-38s %12s %9s %7s %8s %8s %s\n' "$target" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
    "$crashes" "${artifact:--}"
}

# Fuzzes every target, JOBS at a time, each with the same libFuzzer flags; logs go to build-fuzz/fuzz-logs/.
# fuzz_each JOBS FLAGS TARGET... (FLAGS: one string, "-runs=1000 -max_total_time=60")
fuzz_each() {
  local jobs=$1 flags=$2 running=0 t
  shift 2
  mkdir -p "$FUZZ_LOGS"
  for t in "$@"; do
    if [ "$running" -ge "$jobs" ]; then
      wait -n || true
      running=$((running - 1))
    fi
    # shellcheck disable=SC2086 # the flags are separate words
    (fuzz_run "$t" "$FUZZ_LOGS/$t.log" $flags || true) &
    running=$((running + 1))
  done
  wait
}

# Prints the table of fuzz_summary lines for the targets. Returns 1 when one crashed or ran fewer than
# MIN_EXECS executions: fuzz_report MIN_EXECS TARGET...
fuzz_report() {
  local min=$1 status=0 line execs crashes t
  shift
  printf '%-38s %12s %9s %7s %8s %8s %s\n' target executions exec/s cov ft crashes artifact
  for t in "$@"; do
    line=$(fuzz_summary "$t" "$FUZZ_LOGS/$t.log")
    echo "$line"
    read -r _ execs _ _ _ crashes _ <<<"$line"
    if [ "$crashes" != 0 ] || ! [[ $execs =~ ^[0-9]+$ ]] || [ "$execs" -lt "$min" ]; then status=1; fi
  done
  return $status
}
