#!/usr/bin/env bash
# Fuzzes the USB sync file formats (issue 4): every target in fuzz/ runs for SECONDS (default 30)
# under libFuzzer with AddressSanitizer and debug assertions, starting from a seed corpus of
# valid files signed with the fixed test keys (fuzz/src/lib.rs). Exits non-zero if any target
# crashes; the crashing input is kept in fuzz/artifacts/<target>/ (reproduce it with
# `cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run <target> -a <file>`).
# Usage: ./scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-30}
shift || true

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# cargo-fuzz needs nightly-only flags (-Zsanitizer); stable 1.95 accepts them with this.
export RUSTC_BOOTSTRAP=1
# Sanitizer builds live in fuzz/target, apart from the main workspace's.
export CARGO_TARGET_DIR="$PWD/target"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi

echo "== fuzz: seed corpus"
cargo run --quiet --example seed_corpus -- corpus

echo "== fuzz: build (${targets[*]})"
cargo fuzz build -a

mkdir -p logs
for t in "${targets[@]}"; do
  echo "== fuzz: $t for ${seconds}s"
  if ! cargo fuzz run -a "$t" -- -max_total_time="$seconds" -print_final_stats=1 >"logs/$t.log" 2>&1; then
    tail -n 60 "logs/$t.log" >&2
    echo "fuzz target $t FAILED: crashing input in fuzz/artifacts/$t/, log in fuzz/logs/$t.log" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -n1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "logs/$t.log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -n1 || true)
  echo "   $t: ${runs:-?} runs, ${speed:-?} exec/s, ${cov:-cov ?}, corpus $(find "corpus/$t" -type f | wc -l) files, no crash"
done
echo "fuzzing passed"
