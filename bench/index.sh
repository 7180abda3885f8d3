#!/usr/bin/env bash
# The persistent index and the server, measured: DOCS documents added to a fresh index in
# 10 batches beside one `stemma cluster` of the same documents (wall time, peak memory, the
# index's size on disk; the stories must be the same bytes), then `stemma serve` on that
# index under 8 concurrent clients (p50/p99 of GET /stories/{id} and POST /compare).
#
#   bash bench/index.sh [DOCS]        # DOCS defaults to 20000
#
# Environment: SEED=7, STEMMA_BIN=path (use that binary, no build), REQUESTS=2000 (per
# endpoint), CLIENTS=8, PYTHON. Data: ../shared/data/bbc-news/articles.jsonl beside the
# repository root (read by make_corpus.py, never copied). Output in bench/out/ (git-ignored),
# the table also in bench/out/index-DOCS.md.
set -euo pipefail

DOCS="${1:-20000}"
SEED="${SEED:-7}"
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
PY="${PYTHON:-python3}"
mkdir -p "$OUT"
say() { printf '== %s\n' "$*" >&2; }

if [ -z "${STEMMA_BIN:-}" ]; then
  say "building stemma (release)"
  (cd "$ROOT" && cargo build --release -p stemma-cli >&2)
  STEMMA_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/stemma"
fi
export STEMMA_MODEL=off

CORPUS="$OUT/corpus-$DOCS.jsonl"
if [ ! -s "$CORPUS" ]; then
  say "building corpus: $DOCS documents, seed $SEED"
  "$PY" "$BENCH/make_corpus.py" --docs "$DOCS" --seed "$SEED" --out "$CORPUS" --truth "$OUT/truth-$DOCS.json"
fi

# wall seconds, CPU seconds and peak MiB from a GNU time -v report
figures() {
  "$PY" - "$1" <<'PYEOF'
import sys
wall = rss = cpu = 0.0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.strip()
    if line.startswith(("User time", "System time")):
        cpu += float(line.rsplit(": ", 1)[1])
    elif line.startswith("Elapsed (wall clock) time"):
        s = 0.0
        for part in line.rsplit(": ", 1)[1].split(":"):
            s = s * 60 + float(part)
        wall = s
    elif line.startswith("Maximum resident set size (kbytes)"):
        rss = int(line.rsplit(":", 1)[1]) / 1024
print(f"{wall:.2f} {cpu:.2f} {rss:.0f}")
PYEOF
}

WORK="$OUT/index-$DOCS"
rm -rf "$WORK"
mkdir -p "$WORK"
"$PY" - "$CORPUS" "$WORK" <<'PYEOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(keepends=True)
n = len(lines)
for b in range(10):
    with open(f"{sys.argv[2]}/batch-{b}.jsonl", "w", encoding="utf-8") as f:
        f.writelines(lines[b * n // 10:(b + 1) * n // 10])
PYEOF

say "one batch: stemma cluster"
/usr/bin/time -v "$STEMMA_BIN" cluster "$CORPUS" --out "$WORK/cluster.jsonl" 2> "$WORK/cluster.time"
read -r CLUSTER_WALL CLUSTER_CPU CLUSTER_RSS < <(figures "$WORK/cluster.time")

INDEX="$WORK/index.db"
TOTAL=0
TOTAL_CPU=0
ROWS=""
PEAK=0
for b in $(seq 0 9); do
  say "index add: batch $((b + 1)) of 10"
  /usr/bin/time -v "$STEMMA_BIN" index add --index "$INDEX" "$WORK/batch-$b.jsonl" > /dev/null 2> "$WORK/add-$b.time"
  read -r WALL CPU RSS < <(figures "$WORK/add-$b.time")
  TOTAL=$("$PY" -c "print(f'{$TOTAL + $WALL:.2f}')")
  TOTAL_CPU=$("$PY" -c "print(f'{$TOTAL_CPU + $CPU:.2f}')")
  PEAK=$("$PY" -c "print(max($PEAK, $RSS))")
  SIZE=$("$PY" -c "import os, sys; print(round(sum(os.path.getsize(p) for p in sys.argv[1:] if os.path.exists(p)) / 1048576))" "$INDEX" "$INDEX-wal")
  ROWS="$ROWS| $((b + 1)) | $WALL | $CPU | $RSS | $SIZE |"$'\n'
done
"$STEMMA_BIN" index stories --index "$INDEX" > "$WORK/index-stories.jsonl"
if cmp -s "$WORK/index-stories.jsonl" "$WORK/cluster.jsonl"; then SAME="yes"; else SAME="NO"; fi

say "stemma serve under ${CLIENTS:-8} clients"
"$STEMMA_BIN" serve --index "$INDEX" --addr 127.0.0.1:0 > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "serving on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^stemma: serving on //p' "$WORK/serve.out")
LOAD=$("$PY" "$BENCH/serve_load.py" "$URL" --clients "${CLIENTS:-8}" --requests "${REQUESTS:-2000}")
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
trap - EXIT

TABLE="$OUT/index-$DOCS.md"
{
  echo "Corpus: bench/make_corpus.py, $DOCS documents, seed $SEED; $(nproc) cores; $(date -u +%Y-%m-%d)."
  echo
  echo "| run | wall s | CPU s | peak MiB | index MiB |"
  echo "|---|---|---|---|---|"
  echo "| stemma cluster, one batch | $CLUSTER_WALL | $CLUSTER_CPU | $CLUSTER_RSS | — |"
  printf '%s' "$ROWS" | sed 's/^| /| index add, batch /'
  echo "| index add, 10 batches in all | $TOTAL | $TOTAL_CPU | $PEAK | $SIZE |"
  echo
  echo "10 batches / one cluster: $("$PY" -c "print(f'{$TOTAL / $CLUSTER_WALL:.2f}')")× wall, $("$PY" -c "print(f'{$TOTAL_CPU / $CLUSTER_CPU:.2f}')")× CPU; index stories identical to cluster: $SAME"
  echo
  echo "$LOAD"
} | tee "$TABLE"
