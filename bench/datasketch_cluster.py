#!/usr/bin/env python3
"""The usual Python near-duplicate pipeline, as the baseline for `stemma cluster`.

    word 3-gram shingles of the lower-cased words of each document's text
    -> datasketch MinHash (num_perm=128)
    -> MinHashLSH (threshold=0.5), insert all, query each
    -> connected components (union-find)

Input: JSON Lines {"id","title","text"}.  Output: JSON Lines
{"story": "sN", "documents": [ids]} for every component, singletons included
(the format of `stemma cluster`).  Stories are numbered s1, s2, ... in the order
of their first document in the input; documents keep input order.

Needs: pip install datasketch==2.0.0
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

WORD_RE = re.compile(r"\w+")


def shingles(text: str, n: int = 3) -> set[bytes]:
    words = WORD_RE.findall(text.lower())
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="input JSON Lines with id, title, text")
    ap.add_argument("--out", required=True, help="output JSON Lines of stories")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle", type=int, default=3, help="words per shingle")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    template = MinHash(num_perm=args.num_perm)
    has_batch = hasattr(template, "update_batch")
    # reuse the permutations (the costly part of a new MinHash); datasketch >= 2.0
    # wants the scheme named when it is given them
    reuse = {"scheme": template.scheme} if hasattr(template, "scheme") else {}
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    ids: list[str] = []
    sigs: list[MinHash] = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            m = MinHash(num_perm=args.num_perm, permutations=template.permutations, **reuse)
            sh = shingles(doc.get("text") or "", args.shingle)
            if has_batch:
                m.update_batch(sh)
            else:
                for s in sh:
                    m.update(s)
            key = len(ids)
            ids.append(doc["id"])
            sigs.append(m)
            lsh.insert(key, m)
    t1 = time.perf_counter()

    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            a, b = find(i), find(j)
            if a != b:
                if a < b:
                    parent[b] = a
                else:
                    parent[a] = b
    t2 = time.perf_counter()

    groups: dict[int, list[str]] = {}
    for i, doc_id in enumerate(ids):
        groups.setdefault(find(i), []).append(doc_id)
    with open(args.out, "w", encoding="utf-8") as f:
        # roots are the smallest index of each component, so dict order = first appearance
        for k, members in enumerate(groups.values(), start=1):
            f.write(json.dumps({"story": f"s{k}", "documents": members}, ensure_ascii=False) + "\n")
    t3 = time.perf_counter()
    multi = sum(1 for g in groups.values() if len(g) > 1)
    print(f"datasketch: {len(ids)} docs -> {len(groups)} stories ({multi} with 2+ docs); "
          f"minhash+insert {t1 - t0:.1f}s, query+union {t2 - t1:.1f}s, write {t3 - t2:.1f}s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
