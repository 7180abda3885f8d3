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
#   RUNS=3               rounds (one run of each tool per round, in turn); the table
#                        gives the median wall time and the speed-up of each round
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

# run_once LABEL COMMAND... — one run of a clustering command that writes
# $OUT/LABEL-$DOCS.jsonl, under GNU time; prints "wall_seconds peak_mib".
run_once() {
  local label="$1"
  shift
  rm -f "$OUT/$label-$DOCS.jsonl"
  /usr/bin/time -v -o "$OUT/time-$label-$DOCS.txt" "$@" >&2 || return 1
  time_figures "$OUT/time-$label-$DOCS.txt"
}

# --- stemma ------------------------------------------------------------------
STEMMA=()
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
    STEMMA=("$BIN" cluster "$CORPUS" --out "$OUT/stemma-$DOCS.jsonl")
  fi
else
  say "SKIP_STEMMA set: skipping stemma"
fi

# --- datasketch --------------------------------------------------------------
DATASKETCH=()
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
  DATASKETCH=("$VENV/bin/python" "$BENCH/datasketch_cluster.py" "$CORPUS" --out "$OUT/datasketch-$DOCS.jsonl")
else
  say "SKIP_DATASKETCH set: skipping datasketch"
fi

# --- runs --------------------------------------------------------------------
# The tools take turns, one run each per round, so both meet the same state of a shared
# machine (whose speed drifts by a fifth over minutes): the ratio of one round compares
# like with like. A run of half a second varies by a tenth from one run to the next, so
# the table gives medians.
STEMMA_WALLS=() DATASKETCH_WALLS=() STEMMA_RSS=0 DATASKETCH_RSS=0
for ((i = 1; i <= RUNS; i++)); do
  if [ "${#STEMMA[@]}" -gt 0 ]; then
    wall=""
    if read -r wall rss < <(run_once stemma "${STEMMA[@]}") && [ -n "$wall" ]; then
      STEMMA_WALLS+=("$wall")
      STEMMA_RSS=$("$PY" -c "print(max($STEMMA_RSS, $rss))")
      say "stemma run $i of $RUNS: $wall s, $rss MiB"
    else
      say "stemma cluster failed (see above): no figures for stemma"
      STEMMA=()
    fi
  fi
  if [ "${#DATASKETCH[@]}" -gt 0 ]; then
    wall=""
    if ! read -r wall rss < <(run_once datasketch "${DATASKETCH[@]}") || [ -z "$wall" ]; then
      say "the datasketch pipeline failed (see above)"
      exit 1
    fi
    DATASKETCH_WALLS+=("$wall")
    DATASKETCH_RSS=$("$PY" -c "print(max($DATASKETCH_RSS, $rss))")
    say "datasketch run $i of $RUNS: $wall s, $rss MiB"
  fi
done

# add_result LABEL PEAK WALL... — scores LABEL's stories against the truth and adds
# "LABEL median_wall peak_rss scorefile walls" to RESULTS.
add_result() {
  local label="$1" rss="$2"
  shift 2
  [ "$#" -gt 0 ] || return 0
  local median
  median=$("$PY" -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" "$@")
  "$PY" "$BENCH/score.py" --truth "$TRUTH" --clusters "$OUT/$label-$DOCS.jsonl" --label "$label" \
    | tee "$OUT/score-$label-$DOCS.txt" >&2
  RESULTS+=("$label $median $rss $OUT/score-$label-$DOCS.txt $(IFS=,; echo "$*")")
}
[ "${#STEMMA[@]}" -gt 0 ] && add_result stemma "$STEMMA_RSS" "${STEMMA_WALLS[@]}"
[ "${#DATASKETCH[@]}" -gt 0 ] && add_result datasketch "$DATASKETCH_RSS" "${DATASKETCH_WALLS[@]}"

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
runs_of = {t: [float(x) for x in r.split(", ")] for t, _, _, _, r in rows}
if "stemma" in runs_of and "datasketch" in runs_of:
    import statistics
    ratios = [d / s for s, d in zip(runs_of["stemma"], runs_of["datasketch"]) if s > 0]
    if ratios:
        print()
        print(f"speed-up by round (datasketch / stemma, runs taken in turn): "
              f"{', '.join(f'{r:.1f}x' for r in ratios)}; median {statistics.median(ratios):.1f}x, "
              f"range {min(ratios):.1f}-{max(ratios):.1f}x")
EOF
