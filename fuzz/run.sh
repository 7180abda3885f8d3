#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer's coverage instrumentation on the stable toolchain
# and runs each for a while. Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# A crash or a hang stops that target and leaves its input in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-20}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(read normalize segment facts compare)
fi

# The flags cargo-fuzz passes with `--sanitizer none`, all stable: coverage counters and
# comparison tracing for libFuzzer, checks on. An explicit --target keeps them off build
# scripts and proc-macros, which would not link with them.
host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cdebug-assertions -Coverflow-checks"
cargo build --release --target "$host" --bins

python3 seed.py

status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "== fuzz $target for ${seconds}s"
  # -timeout: one input taking longer is a hang; -rss_limit_mb: a memory blow-up is one too.
  if ! "target/$host/release/$target" "corpus/$target" "seeds/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
      -artifact_prefix="artifacts/$target/" -print_final_stats=1 2>"artifacts/$target.log"; then
    echo "fuzz $target found a crash or hang:"
    tail -40 "artifacts/$target.log"
    status=1
  else
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "artifacts/$target.log" || true
  fi
done
exit $status
