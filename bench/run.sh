#!/usr/bin/env bash
# Side-by-side clustering benchmark: stemma vs the usual datasketch MinHash-LSH
# pipeline, on a corpus of BBC articles with planted versions and Markov filler.
#
#   bash bench/run.sh [DOCS]          # DOCS defaults to 20000
#   SKIP_DATASKETCH=1 bash bench/run.sh 1000000
#
# Environment:
#   SEED=7               corpus seed
#   SKIP_DATASKETCH=1    do not run the datasketch baseline (e.g. for 1M docs)
#   SKIP_STEMMA=1        do not build or run stemma
#   STEMMA_BIN=path      use this stemma binary instead of building one
#   REBUILD_CORPUS=1     regenerate the corpus even if it exists
#   RUNS=3               runs of each tool; the table gives the median wall time
# Data: ../shared/data/bbc-news/articles.jsonl beside the repository root.
# Everything generated goes to bench/out/ (git-ignored).
set -euo pipefail

DOCS="${1:-20000}"
SEED="${SEED:-7}"
RUNS="${RUNS:-3}"
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(git -C "$BENCH" rev-parse --show-toplevel 2>/dev/null || (cd "$BENCH/.." && pwd))"
OUT="$BENCH/out"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"

say() { printf '== %s\n' "$*" >&2; }

# --- GNU time, for wall time and peak RSS -----------------------------------
if [ ! -x /usr/bin/time ]; then
  say "/usr/bin/time (GNU time) is missing: it is needed for peak RSS (apt-get install time)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing it: apt-get install -y time"
    (apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }) \
      || { say "could not install GNU time; run: apt-get install time"; exit 1; }
  else
    exit 1
  fi
fi

# read "wall_seconds peak_mib" from a GNU time -v report
time_figures() {
  "$PY" - "$1" <<'EOF'
import sys
wall = rss = None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.strip()
    if line.startswith("Elapsed (wall clock) time"):
        v = line.rsplit(": ", 1)[1]
        s = 0.0
        for part in v.split(":"):
            s = s * 60 + float(part)
        wall = s
    elif line.startswith("Maximum resident set size (kbytes)"):
        rss = int(line.rsplit(":", 1)[1]) / 1024
print(f"{wall:.2f} {rss:.1f}")
EOF
}

# --- corpus ------------------------------------------------------------------
CORPUS="$OUT/corpus-$DOCS.jsonl"
TRUTH="$OUT/truth-$DOCS.json"
corpus_ok() {
  [ -s "$CORPUS" ] && [ -s "$TRUTH" ] && "$PY" - "$TRUTH" "$DOCS" "$SEED" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["meta"]
sys.exit(0 if (m.get("docs"), m.get("seed"), m.get("format")) == (int(sys.argv[2]), int(sys.argv[3]), "jsonl") else 1)
EOF
}
if [ -n "${REBUILD_CORPUS:-}" ] || ! corpus_ok; then
  say "building corpus: $DOCS documents, seed $SEED"
  "$PY" "$BENCH/make_corpus.py" --docs "$DOCS" --seed "$SEED" --out "$CORPUS" --truth "$TRUTH"
else
  say "reusing corpus bench/out/corpus-$DOCS.jsonl"
fi

RESULTS=()

# measure LABEL COMMAND... — runs a clustering command that writes $OUT/LABEL-$DOCS.jsonl
# $RUNS times under GNU time (a run of half a second varies by a tenth from one run to
# the next on a shared machine), scores its stories against the truth and adds
# "LABEL median_wall peak_rss scorefile walls" to RESULTS; fails when the command fails.
measure() {
  local label="$1"
  shift
  local walls=() rss_max=0 wall rss i
  for ((i = 1; i <= RUNS; i++)); do
    rm -f "$OUT/$label-$DOCS.jsonl"
    /usr/bin/time -v -o "$OUT/time-$label-$DOCS.txt" "$@" || return 1
    read -r wall rss < <(time_figures "$OUT/time-$label-$DOCS.txt")
    walls+=("$wall")
    rss_max=$("$PY" -c "print(max($rss_max, $rss))")
    say "$label run $i of $RUNS: $wall s, $rss MiB"
  done
  local median
  median=$("$PY" -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" "${walls[@]}")
  "$PY" "$BENCH/score.py" --truth "$TRUTH" --clusters "$OUT/$label-$DOCS.jsonl" --label "$label" \
    | tee "$OUT/score-$label-$DOCS.txt" >&2
  RESULTS+=("$label $median $rss_max $OUT/score-$label-$DOCS.txt $(IFS=,; echo "${walls[*]}")")
}

# --- stemma ------------------------------------------------------------------
if [ -z "${SKIP_STEMMA:-}" ]; then
  BIN="${STEMMA_BIN:-}"
  if [ -z "$BIN" ]; then
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/stemma"
    say "building stemma (cargo build --release -p stemma-cli)"
    if ! (cd "$ROOT" && cargo build --release -p stemma-cli); then
      say "stemma build failed (no stemma-cli package yet?): skipping stemma"
      BIN=""
    fi
  fi
  if [ -n "$BIN" ] && [ ! -x "$BIN" ]; then
    say "no stemma binary at ${BIN#"$ROOT"/}: skipping stemma"
    BIN=""
  fi
  if [ -n "$BIN" ]; then
    say "running stemma cluster"
    measure stemma "$BIN" cluster "$CORPUS" --out "$OUT/stemma-$DOCS.jsonl" \
      || say "stemma cluster failed (see above): no figures for stemma"
  fi
else
  say "SKIP_STEMMA set: skipping stemma"
fi

# --- datasketch --------------------------------------------------------------
if [ -z "${SKIP_DATASKETCH:-}" ]; then
  VENV="$BENCH/.venv"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating bench/.venv"
    "$PY" -m venv "$VENV"
  fi
  if ! "$VENV/bin/python" -c 'import datasketch, sys; sys.exit(datasketch.__version__ != "2.0.0")' 2>/dev/null; then
    say "installing datasketch==2.0.0 into bench/.venv"
    "$VENV/bin/pip" install -q "datasketch==2.0.0"
  fi
  say "running datasketch MinHash-LSH"
  measure datasketch "$VENV/bin/python" "$BENCH/datasketch_cluster.py" "$CORPUS" \
    --out "$OUT/datasketch-$DOCS.jsonl"
else
  say "SKIP_DATASKETCH set: skipping datasketch"
fi

# --- table -------------------------------------------------------------------
if [ "${#RESULTS[@]}" -eq 0 ]; then
  say "nothing was run"
  exit 1
fi
"$PY" - "$DOCS" "${RESULTS[@]}" <<'EOF' | tee "$OUT/results-$DOCS.md"
import json, sys
docs = sys.argv[1]
rows = []
for spec in sys.argv[2:]:
    tool, wall, rss, score, runs = spec.split(" ", 4)
    with open(score, encoding="utf-8") as f:
        s = json.loads(f.read().strip().splitlines()[-1])
    rows.append((tool, float(wall), float(rss), s, runs.replace(",", ", ")))
walls = {t: w for t, w, _, _, _ in rows}
base = walls.get("datasketch")
tr = ("copy", "edit05", "edit15", "trunc60", "reorder", "wrap")
pct = lambda x: "n/a" if x is None else f"{100 * x:.1f}"
print("| tool | docs | wall s, median (runs) | peak MiB | recall % | " + " | ".join(tr)
      + " | merged-bases stories | wrong pairs | B3 F1 % | speed vs datasketch |")
print("|---|---:|---:|---:|---:|" + "---:|" * len(tr) + "---:|---:|---:|---:|")
for tool, wall, rss, s, runs in rows:
    speed = f"{base / wall:.1f}x" if base and wall > 0 else "n/a"
    per = " | ".join(pct(s["recall_by_transform"].get(t)) for t in tr)
    print(f"| {tool} | {docs} | {wall:.2f} ({runs}) | {rss:.0f} | {pct(s['recall'])} | {per} | "
          f"{s['merged_bases_stories']} | {s['wrong_pairs']} | {pct(s['b3_f1'])} | {speed} |")
EOF
