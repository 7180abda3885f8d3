#!/usr/bin/env bash
# stemma on Spark against stemma on one machine: the same corpus clustered by
# `stemma cluster` and by `python -m stemma.spark cluster` on a standalone Spark cluster of
# two one-core workers on the loopback address (started and stopped here), wall times and a
# byte-for-byte comparison of the stories.
#
#   bash bench/spark.sh [DOCS] [PARTITIONS]     # DOCS defaults to 100000, PARTITIONS to 8
#
# Needs: the stemma binary (STEMMA_BIN, else target/release/stemma), the Python module
# (pip install ./crates/stemma-py), pyspark and Java 17. The corpus is the one bench/run.sh
# builds (bench/out/corpus-DOCS.jsonl, from ../shared/data), made here when missing.
set -euo pipefail

DOCS="${1:-100000}"
PARTITIONS="${2:-8}"
SEED="${SEED:-7}"
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
BIN="${STEMMA_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/stemma}"
CORPUS="$OUT/corpus-$DOCS.jsonl"

say() { printf '== %s\n' "$*" >&2; }

if [ ! -s "$CORPUS" ]; then
  say "building corpus: $DOCS documents, seed $SEED"
  "$PY" "$BENCH/make_corpus.py" --docs "$DOCS" --seed "$SEED" --out "$CORPUS" --truth "$OUT/truth-$DOCS.json"
fi

SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$(command -v "$PY")"
WORK="$(mktemp -d)"
export SPARK_LOG_DIR="$WORK/logs" SPARK_WORKER_DIR="$WORK/worker"
PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT

port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MASTER_PORT="$(port)"
UI_PORT="$(port)"
MASTER="spark://127.0.0.1:$MASTER_PORT"
setsid "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$MASTER_PORT" --webui-port "$UI_PORT" >"$WORK/master.log" 2>&1 &
PIDS+=($!)
for k in 1 2; do
  setsid "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker "$MASTER" --host 127.0.0.1 \
    --cores 1 --memory 6g --webui-port "$(port)" --work-dir "$WORK/worker$k" >"$WORK/worker$k.log" 2>&1 &
  PIDS+=($!)
done
say "waiting for the master and two workers"
for _ in $(seq 120); do
  if "$PY" -c "import json, sys, urllib.request; sys.exit(json.load(urllib.request.urlopen('http://127.0.0.1:$UI_PORT/json/'))['aliveworkers'] != 2)" 2>/dev/null; then
    break
  fi
  sleep 1
done

say "stemma cluster (one machine, every core)"
start=$(date +%s.%N)
"$BIN" cluster "$CORPUS" --out "$OUT/cli-$DOCS.jsonl" 2>/dev/null
cli=$("$PY" -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")

say "python -m stemma.spark cluster ($MASTER, $PARTITIONS partitions)"
start=$(date +%s.%N)
"$PY" -m stemma.spark cluster "$CORPUS" --out "$OUT/spark-$DOCS.jsonl" --master "$MASTER" \
  --partitions "$PARTITIONS" --conf spark.executor.memory=5g --conf spark.driver.memory=4g \
  --conf spark.sql.adaptive.enabled=true --verbose 2> >(grep -E '^stemma' >&2)
spark=$("$PY" -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")

if cmp -s "$OUT/cli-$DOCS.jsonl" "$OUT/spark-$DOCS.jsonl"; then same=yes; else same=NO; fi
printf '\n| documents | stemma cluster | stemma.spark (2 workers × 1 core, %s partitions) | ratio | stories identical |\n' "$PARTITIONS"
printf '|---|---|---|---|---|\n'
printf '| %s | %.1f s | %.1f s | %.1f× | %s |\n' "$DOCS" "$cli" "$spark" "$("$PY" -c "import sys; print(float(sys.argv[1]) / float(sys.argv[2]))" "$spark" "$cli")" "$same"
