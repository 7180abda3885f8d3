#!/usr/bin/env python3
"""Score a story clustering against the truth of a corpus from make_corpus.py.

    python3 score.py --truth out/truth-20000.json --clusters out/stemma-20000.jsonl [--label stemma]

Clustering: JSON Lines, each with a "documents" list of ids (the output of
`stemma cluster` and of datasketch_cluster.py).  A document of the truth that
appears in no story counts as a singleton.

Figures:
  recall      planted pairs (base, version) that ended in the same story,
              overall and per transform (copy, edit05, edit15, trunc60, reorder, wrap)
  group recall  all pairs inside a base's 7 documents that ended together
  merged bases  stories holding documents of two or more different bases
  wrong pairs   pairs of documents in one story that the truth does not relate
              (split: planted-planted of different bases, planted-filler, filler-filler)
  pair precision  related pairs / all pairs inside stories
  B3          B-cubed precision, recall and F1 (truth: each base group one
              cluster, each filler alone)

Prints a human table, then one JSON line (the last line) for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

TRANSFORMS = ("copy", "edit05", "edit15", "trunc60", "reorder", "wrap")


def load_truth(path: str) -> tuple[dict, list[dict]]:
    with open(path, encoding="utf-8") as f:
        if path.endswith(".jsonl"):
            meta: dict = {}
            rows = []
            for line in f:
                if not line.strip():
                    continue
                r = json.loads(line)
                if "meta" in r and "id" not in r:
                    meta = r["meta"]
                else:
                    rows.append(r)
            return meta, rows
        data = json.load(f)
        return data.get("meta", {}), data["planted"]


def c2(n: int) -> int:
    return n * (n - 1) // 2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--clusters", required=True)
    ap.add_argument("--label", default=None, help="name shown in the output (default: the clusters file)")
    ap.add_argument("--examples", type=int, default=0, help="print up to N stories that merge different bases")
    args = ap.parse_args(argv)

    meta, rows = load_truth(args.truth)
    base_of: dict[str, str] = {}
    transform_of: dict[str, str] = {}
    for r in rows:
        base_of[r["id"]] = r["base"]
        transform_of[r["id"]] = r["transform"]

    story_of: dict[str, int] = {}
    stories: list[list[str]] = []
    dup_ids = 0
    with open(args.clusters, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            docs = json.loads(line)["documents"]
            k = len(stories)
            stories.append(docs)
            for d in docs:
                if d in story_of:
                    dup_ids += 1
                story_of[d] = k
    ndocs = len(story_of)
    expected = meta.get("docs")
    # planted documents missing from the output become singletons
    missing_planted = [d for d in base_of if d not in story_of]
    for d in missing_planted:
        story_of[d] = len(stories)
        stories.append([d])

    # recall per transform
    hit = Counter()
    tot = Counter()
    for d, t in transform_of.items():
        if t == "base":
            continue
        tot[t] += 1
        if story_of[d] == story_of[base_of[d]]:
            hit[t] += 1
    recall = {t: (hit[t] / tot[t] if tot[t] else None) for t in TRANSFORMS}
    overall = sum(hit.values()) / sum(tot.values()) if tot else None

    # pair counts inside stories
    total_pairs = related = pp_wrong = pf_wrong = ff_wrong = 0
    merged_bases = 0
    merged_examples = []
    group_size = Counter(base_of.values())
    b3p = b3r = 0.0
    n_all = 0
    largest = 0
    multi = 0
    for docs in stories:
        n = len(docs)
        if n == 0:
            continue
        largest = max(largest, n)
        multi += n > 1
        per_base = Counter(base_of[d] for d in docs if d in base_of)
        planted = sum(per_base.values())
        filler = n - planted
        rel = sum(c2(k) for k in per_base.values())
        total_pairs += c2(n)
        related += rel
        pp_wrong += c2(planted) - rel
        pf_wrong += planted * filler
        ff_wrong += c2(filler)
        if len(per_base) >= 2:
            merged_bases += 1
            if len(merged_examples) < args.examples:
                merged_examples.append(docs)
        # B-cubed: cells are (story, base) for planted and singletons for filler
        for b, k in per_base.items():
            b3p += k * k / n
            b3r += k * k / group_size[b]
        b3p += filler * (1 / n)
        b3r += filler * 1.0
        n_all += n
    wrong = total_pairs - related
    b3_precision = b3p / n_all if n_all else 0.0
    b3_recall = b3r / n_all if n_all else 0.0
    b3_f1 = (2 * b3_precision * b3_recall / (b3_precision + b3_recall)) if b3_precision + b3_recall else 0.0
    grp_total = sum(c2(k) for k in group_size.values())
    grp_recall = related / grp_total if grp_total else None

    label = args.label or args.clusters
    result = {
        "label": label,
        "docs": ndocs,
        "docs_expected": expected,
        "stories": len(stories),
        "stories_multi": multi,
        "largest_story": largest,
        "bases": len(group_size),
        "recall": overall,
        "recall_by_transform": recall,
        "group_pair_recall": grp_recall,
        "merged_bases_stories": merged_bases,
        "wrong_pairs": wrong,
        "wrong_pairs_planted_planted": pp_wrong,
        "wrong_pairs_planted_filler": pf_wrong,
        "wrong_pairs_filler_filler": ff_wrong,
        "pair_precision": (related / total_pairs) if total_pairs else None,
        "b3_precision": b3_precision,
        "b3_recall": b3_recall,
        "b3_f1": b3_f1,
        "missing_planted": len(missing_planted),
        "duplicate_ids": dup_ids,
    }

    def pct(x):
        return "  n/a" if x is None else f"{100 * x:5.1f}%"

    print(f"== {label}")
    print(f"documents {ndocs}" + (f" (corpus {expected})" if expected else "")
          + f", stories {len(stories)} ({multi} with 2+ docs, largest {largest}), bases {len(group_size)}")
    if missing_planted or dup_ids:
        print(f"WARNING: {len(missing_planted)} planted documents missing, {dup_ids} ids listed twice")
    print("recall (base, version) in the same story:")
    print(f"  {'transform':<10} {'pairs':>7} {'recall':>7}")
    for t in TRANSFORMS:
        print(f"  {t:<10} {tot[t]:>7} {pct(recall[t]):>7}")
    print(f"  {'overall':<10} {sum(tot.values()):>7} {pct(overall):>7}")
    print(f"  all pairs inside each base's group: {pct(grp_recall)}")
    print("precision:")
    print(f"  stories merging 2+ bases   {merged_bases}")
    print(f"  wrong pairs                {wrong}  (planted-planted {pp_wrong}, planted-filler {pf_wrong}, "
          f"filler-filler {ff_wrong})")
    print(f"  pair precision             {pct(result['pair_precision'])}")
    print(f"B3 precision {pct(b3_precision)}  recall {pct(b3_recall)}  F1 {pct(b3_f1)}")
    for docs in merged_examples:
        print("  merged:", " ".join(docs[:12]) + (" ..." if len(docs) > 12 else ""))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
