#!/usr/bin/env python3
"""Build a benchmark corpus for story clustering from the BBC News articles.

Python 3.11, standard library only.  Deterministic for a given --seed (and
independent of --jobs).

For each base article (a BBC body) the corpus holds 7 documents:

    pNNNNNN-base     the base text itself (paragraphs joined by a blank line)
    pNNNNNN-copy     exact copy
    pNNNNNN-edit05   5% word edits (substitutions / deletions / insertions)
    pNNNNNN-edit15   15% word edits
    pNNNNNN-trunc60  first 60% of the words
    pNNNNNN-reorder  paragraphs shuffled
    pNNNNNN-wrap     new filler paragraphs before and after (about 2x length)

The rest of the corpus is news-like filler (fNNNNNNN, 250-600 words in
paragraphs of 3-5 sentences, with a title) made by a word-level Markov chain
(order 2, backing off to order 1) trained on the BBC bodies.  A filler never
takes more than --max-run consecutive words from one place of the BBC text,
so it shares no long verbatim span with the bases or with other fillers.

Output formats:
    jsonl     one {"id","title","text"} per line (default)
    txt-dir   OUT/NNNN/<id>.txt: title, blank line, body (1000 files a folder)
    html-dir  OUT/NNNN/<id>.html: a small realistic news page

The truth file (--truth, .json or .jsonl) lists every planted document with
its base and transform; documents not listed there are filler.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import multiprocessing as mp
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

TRANSFORMS = ("copy", "edit05", "edit15", "trunc60", "reorder", "wrap")
SENT = sys.intern("\x00")  # sentence boundary in the chain's token array
END_RE = re.compile(r"[.!?][\"'\u2019\u201d)]*$")
TRAIL_RE = re.compile(r"[^\w%\u00a3$\u20ac]+$")
PLAIN_WORD_RE = re.compile(r"[A-Za-z][a-z'\-]*")
TITLE_STOP = {
    "a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "by",
    "with", "from", "as", "that", "which", "who", "is", "was", "be", "it", "its",
    "but", "has", "have", "had", "will", "would", "said", "says", "this", "their",
    "his", "her", "are", "were", "not", "than", "into", "about",
}
MAX_SENTENCE_WORDS = 70
FILLER_MIN_WORDS, FILLER_MAX_WORDS = 250, 600
CHUNK = 2000  # filler documents per work unit (also the unit of seeding)

# --------------------------------------------------------------------------
# data location


def repo_root() -> Path:
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=here,
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if out:
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    return here.parent


def default_bbc_path() -> Path:
    return repo_root().parent / "shared" / "data" / "bbc-news" / "articles.jsonl"


def paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n+", body) if p.strip()]


# --------------------------------------------------------------------------
# Markov chain (module globals so that forked workers share them)

T: list[str] = []          # token array, SENT between sentences
CAND: list = []            # CAND[p]: positions that may follow state (T[p-1], T[p])
CAND1: list = []           # CAND1[p]: positions that may follow word T[p] (back-off)
STARTS: list[int] = []     # positions of sentence-initial words
WORDS: list[str] = []      # plain words, frequency weighted (edit vocabulary)
MAX_RUN = 6
SPAN_MIN = 4  # each copy runs until between SPAN_MIN and MAX_RUN words stand verbatim
MIN_BRANCH = 32  # order-2 states with fewer continuations back off to order 1


def list_like(sent: list[str]) -> bool:
    """Team line-ups, award lists and the like: repeated nearly verbatim across
    articles, they would let the chain copy long spans, so they are not learnt."""
    if len(sent) < 8:
        return False
    caps = sum(1 for w in sent if w[:1].isupper() or w[:1].isdigit())
    seps = sum(w.count(";") + (w == "-") + (w == "|") for w in sent)
    return caps > 0.5 * len(sent) or seps >= 3


def distinct_articles(articles: list[dict], max_overlap: float) -> list[dict]:
    """Articles in id order, skipping any that shares max_overlap or more of its
    word 3-gram shingles (of the smaller set) with an article already kept, and
    all but the first of each exact_dup_group."""
    word = re.compile(r"\w+")
    inv: dict[str, list[int]] = {}
    sizes: list[int] = []
    kept: list[dict] = []
    groups: set = set()
    for a in articles:
        g = a.get("exact_dup_group")
        if g is not None and g in groups:
            continue
        if not paragraphs(a["body"]):
            continue
        ws = word.findall(a["body"].lower())
        sh = {" ".join(ws[i:i + 3]) for i in range(len(ws) - 2)}
        if not sh:
            continue
        shared: dict[int, int] = {}
        for x in sh:
            for k in inv.get(x, ()):
                shared[k] = shared.get(k, 0) + 1
        if any(c >= max_overlap * min(len(sh), sizes[k]) for k, c in shared.items()):
            continue
        k = len(sizes)
        sizes.append(len(sh))
        for x in sh:
            inv.setdefault(x, []).append(k)
        kept.append(a)
        if g is not None:
            groups.add(g)
    return kept


def build_chain(articles: list[dict]) -> None:
    global T, CAND, CAND1, STARTS, WORDS
    tok: list[str] = [SENT]
    intern = sys.intern
    for a in articles:
        for para in paragraphs(a["body"]):
            sent: list[str] = []
            for w in para.split() + [None]:
                if w is not None:
                    sent.append(w)
                if sent and (w is None or END_RE.search(w)):
                    if not list_like(sent):
                        tok.extend(intern(x) for x in sent)
                        tok.append(SENT)
                    sent = []
    n = len(tok)
    g2: dict[tuple[str, str], list[int]] = {}
    g1: dict[str, list[int]] = {}
    for q in range(2, n):
        key = (tok[q - 2], tok[q - 1])
        lst = g2.get(key)
        if lst is None:
            g2[key] = [q]
        else:
            lst.append(q)
        w = tok[q - 1]
        lst = g1.get(w)
        if lst is None:
            g1[w] = [q]
        else:
            lst.append(q)
    cand: list = [None] * n
    cand1: list = [None] * n
    for p in range(1, n - 1):
        if tok[p] is SENT:
            continue
        cand[p] = g2.get((tok[p - 1], tok[p]))
        cand1[p] = g1.get(tok[p])
    T = tok
    CAND = cand
    CAND1 = cand1
    STARTS = [q for q in range(1, n) if tok[q - 1] is SENT and tok[q] is not SENT]
    WORDS = [w for w in tok if w is not SENT and PLAIN_WORD_RE.fullmatch(w)]


def gen_sentence(rnd) -> list[str]:
    """One sentence as a list of words; rnd is a bound random.random.

    A Markov chain over positions of the training text: jump to a position whose
    two preceding words are the last two output words (order 2; order 1 where
    the order-2 state has fewer than MIN_BRANCH continuations), then copy the
    source from there until SPAN_MIN to MAX_RUN consecutive output words stand
    verbatim at that place, and jump again.  Copying whole slices keeps it fast;
    the random copy lengths and the wide jumps keep fillers apart.  Every
    junction is a word trigram (or bigram) of the training text, and no more
    than MAX_RUN consecutive words ever come from one place in it.
    """
    t, cand, cand1, starts, max_span = T, CAND, CAND1, STARTS, MAX_RUN
    span_min = min(SPAN_MIN, max_span)
    min_branch = MIN_BRANCH
    p = starts[int(rnd() * len(starts))]
    out = [t[p]]
    span = 1
    while True:
        # copy the current source for a random span, up to the limit
        extra = span_min + int(rnd() * (max_span - span_min + 1)) - span
        if extra > 0:
            seg = t[p + 1:p + 1 + extra]
            if SENT in seg:
                out.extend(seg[:seg.index(SENT)])
                break
            out.extend(seg)
            p += extra
            if len(out) >= MAX_SENTENCE_WORDS:
                break
        # jump elsewhere, to a place that shares fewer than max_span trailing words
        c = cand[p]
        if c is None:
            break
        # words just before a candidate that equal the output's last words by
        # construction: the state's two (one after a sentence start or back-off)
        known = 2 if len(out) >= 2 else 1
        if len(c) < min_branch:
            c = cand1[p]
            known = 1
        n = len(c)
        lo = len(out) - 1 - known
        q = -1
        for _ in range(8):
            q2 = c[int(rnd() * n)]
            if q2 == p + 1:
                continue
            m = known
            j = lo
            r = q2 - 1 - known
            while j >= 0 and t[r] is out[j]:
                m += 1
                j -= 1
                r -= 1
            if m < max_span:
                q, span = q2, m + 1
                break
        if q < 0:
            break  # a rare phrase every source continues alike: end the sentence here
        p = q
        w = t[p]
        if w is SENT:
            break
        out.append(w)
        if len(out) >= MAX_SENTENCE_WORDS:
            break
    last = out[-1]
    if not END_RE.search(last):
        last = TRAIL_RE.sub("", last) or last
        out[-1] = last + "."
    return out


def gen_paragraphs(rnd, target_min: int, target_max: int) -> list[str]:
    """Paragraphs of 3-5 sentences totalling between target_min and target_max words."""
    target = target_min + int(rnd() * (target_max - target_min + 1))
    paras: list[str] = []
    n = 0
    done = False
    while not done:
        k = 3 + int(rnd() * 3)
        sents: list[str] = []
        for _ in range(k):
            s = gen_sentence(rnd)
            if n >= target_min and n + len(s) > target_max:
                done = True
                break
            sents.append(" ".join(s))
            n += len(s)
            if n >= target:
                done = True
                break
        if sents:
            paras.append(" ".join(sents))
    return paras


def gen_title(rnd) -> str:
    for _ in range(20):
        words = gen_sentence(rnd)
        k = 4 + int(rnd() * 6)
        words = [w.strip("\"'\u2018\u2019\u201c\u201d()") for w in words[:k]]
        words = [w for w in words if w]
        while words and (words[-1].lower().strip(",.;:!?") in TITLE_STOP):
            words.pop()
        if len(words) >= 3:
            title = " ".join(words)
            title = TRAIL_RE.sub("", title) or title
            return title[0].upper() + title[1:]
    return "News in brief"


# --------------------------------------------------------------------------
# planted versions


def word_edit(paras: list[str], rate: float, rng: random.Random) -> tuple[list[str], int]:
    toks: list = []
    for i, para in enumerate(paras):
        if i:
            toks.append(None)  # paragraph break
        toks.extend(para.split())
    nwords = sum(1 for x in toks if x is not None)
    k = max(1, round(rate * nwords))
    for _ in range(k):
        while True:
            i = rng.randrange(len(toks))
            if toks[i] is not None:
                break
        op = rng.randrange(3)
        w = toks[i]
        alone = (i == 0 or toks[i - 1] is None) and (i + 1 == len(toks) or toks[i + 1] is None)
        if op == 1 and alone:
            op = 0  # never empty a paragraph
        if op == 0:  # substitute
            m = TRAIL_RE.search(w)
            trail = m.group(0) if m else ""
            new = rng.choice(WORDS)
            if w[:1].isupper():
                new = new[:1].upper() + new[1:]
            toks[i] = new + trail
        elif op == 1:  # delete
            m = END_RE.search(w)
            if m and i > 0 and toks[i - 1] is not None:
                prev = TRAIL_RE.sub("", toks[i - 1]) or toks[i - 1]
                toks[i - 1] = prev + m.group(0)
            del toks[i]
        else:  # insert
            toks.insert(i, rng.choice(WORDS))
    out: list[str] = []
    cur: list[str] = []
    for x in toks:
        if x is None:
            out.append(" ".join(cur))
            cur = []
        else:
            cur.append(x)
    out.append(" ".join(cur))
    return [p for p in out if p], k


def truncate(paras: list[str], frac: float) -> list[str]:
    total = sum(len(p.split()) for p in paras)
    keep = max(1, math.ceil(frac * total))
    out = []
    for para in paras:
        ws = para.split()
        if keep <= 0:
            break
        out.append(" ".join(ws[:keep]))
        keep -= len(ws)
    return out


def reorder(paras: list[str], rng: random.Random) -> list[str]:
    out = list(paras)
    if len(set(paras)) < 2:
        return out
    for _ in range(20):
        rng.shuffle(out)
        if out != paras:
            break
    return out


def wrap(paras: list[str], rng: random.Random) -> tuple[list[str], int, int]:
    n = sum(len(p.split()) for p in paras)
    before = max(20, round(n * rng.uniform(0.4, 0.6)))
    after = max(20, n - before)
    rnd = rng.random
    pre = gen_paragraphs(rnd, before, before + 40)
    post = gen_paragraphs(rnd, after, after + 40)
    return pre + paras + post, sum(len(p.split()) for p in pre), sum(len(p.split()) for p in post)


def build_planted(bases: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    docs: list[dict] = []
    truth: list[dict] = []
    for idx, art in enumerate(bases, start=1):
        pid = f"p{idx:06d}"
        base_id = f"{pid}-base"
        paras = paragraphs(art["body"])
        title = " ".join(art["title"].split())
        nwords = sum(len(p.split()) for p in paras)
        when = dt.datetime(2004, 1, 1) + dt.timedelta(seconds=rng.randrange(730 * 86400))

        def add(suffix: str, t: str, ps: list[str], transform: str, **extra) -> None:
            did = f"{pid}-{suffix}"
            shift = dt.timedelta(seconds=0 if transform == "base" else rng.randrange(72 * 3600))
            docs.append({"id": did, "title": t, "text": "\n\n".join(ps), "when": when + shift})
            row = {"id": did, "base": base_id, "bbc_id": art["id"], "transform": transform,
                   "words": sum(len(p.split()) for p in ps)}
            row.update(extra)
            truth.append(row)

        add("base", title, paras, "base")
        add("copy", title, paras, "copy")
        e5, k5 = word_edit(paras, 0.05, rng)
        add("edit05", title, e5, "edit05", edits=k5)
        e15, k15 = word_edit(paras, 0.15, rng)
        add("edit15", title, e15, "edit15", edits=k15)
        add("trunc60", title, truncate(paras, 0.60), "trunc60")
        add("reorder", title, reorder(paras, rng), "reorder")
        wrapped, nb, na = wrap(paras, rng)
        add("wrap", gen_title(rng.random), wrapped, "wrap", added_before=nb, added_after=na)
        assert nwords > 0
    return docs, truth


# --------------------------------------------------------------------------
# output


SITES = (
    ("The Morning Ledger", "ledger.example.com",
     ("News", "World", "Business", "Politics", "Technology", "Sport", "Entertainment")),
    ("Northern Herald", "herald.example.org",
     ("Home", "UK", "World", "Money", "Tech", "Sport", "Culture", "Opinion")),
    ("Daily Dispatch", "dispatch.example.net",
     ("Latest", "Politics", "Economy", "Science & Tech", "Sport", "Arts", "Video")),
)
AUTHORS = ("Sarah Collins", "James Whitfield", "Priya Natarajan", "Tom Okafor",
           "Helen Marsh", "David Lindqvist", "Ruth Adeyemi", "Mark Ellison",
           "Staff reporter", "Newsdesk")


def slug(title: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return s[:60] or "story"


def html_page(doc_id: str, title: str, text: str, when: dt.datetime, rnd) -> str:
    name, host, sections = SITES[int(rnd() * len(SITES))]
    section = sections[1 + int(rnd() * (len(sections) - 1))]
    author = AUTHORS[int(rnd() * len(AUTHORS))]
    et = html.escape(title)
    iso = when.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    human = f"{when.day} {when.strftime('%B %Y, %H:%M')}"
    sec_slug = slug(section)
    url = f"https://{host}/{sec_slug}/{slug(title)}-{doc_id}"
    nav = "\n".join(
        f'        <li><a href="/{slug(s)}/">{html.escape(s)}</a></li>' for s in sections)
    body = "\n".join(f"      <p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{et} | {html.escape(name)}</title>
  <meta name="description" content="{html.escape(text[:150].split(chr(10))[0])}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{html.escape(name)}">
  <meta property="og:title" content="{et}">
  <meta property="og:url" content="{url}">
  <meta property="article:published_time" content="{iso}">
  <meta property="article:section" content="{html.escape(section)}">
  <link rel="canonical" href="{url}">
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body class="article-page">
  <header class="masthead">
    <a class="logo" href="/">{html.escape(name)}</a>
    <nav class="primary-nav" aria-label="Sections">
      <ul>
{nav}
      </ul>
    </nav>
    <form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search"></form>
  </header>
  <main id="content">
    <div class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/{sec_slug}/">{html.escape(section)}</a></div>
    <article>
      <h1>{et}</h1>
      <p class="byline">By <span class="author">{html.escape(author)}</span> &middot; <time datetime="{iso}">{human}</time></p>
{body}
    </article>
    <aside class="share">Share this story: <a href="#">Email</a> <a href="#">Facebook</a> <a href="#">X</a></aside>
    <aside class="newsletter"><h2>Get the morning briefing</h2><p>Sign up for our free daily newsletter.</p></aside>
  </main>
  <footer class="site-footer">
    <ul>
      <li><a href="/about/">About us</a></li>
      <li><a href="/contact/">Contact</a></li>
      <li><a href="/privacy/">Privacy policy</a></li>
      <li><a href="/terms/">Terms of use</a></li>
    </ul>
    <p>&copy; {when.year} {html.escape(name)}. All rights reserved.</p>
  </footer>
  <script src="/static/js/site.js" defer></script>
</body>
</html>
"""


def render(fmt: str, doc_id: str, title: str, text: str, when: dt.datetime, rnd) -> str:
    if fmt == "jsonl":
        return json.dumps({"id": doc_id, "title": title, "text": text}, ensure_ascii=False) + "\n"
    if fmt == "txt-dir":
        return f"{title}\n\n{text}\n"
    return html_page(doc_id, title, text, when, rnd)


def doc_path(out: Path, fmt: str, slot: int, doc_id: str) -> Path:
    ext = "txt" if fmt == "txt-dir" else "html"
    return out / f"{slot // 1000:04d}" / f"{doc_id}.{ext}"


# globals for filler workers (set before the pool forks)
G: dict = {}


def filler_chunk(ci: int) -> tuple[int, list[str] | None, int]:
    """Generate filler documents [ci*CHUNK, ...) ; return rendered lines or write files."""
    seed, nfill, fmt, out = G["seed"], G["nfill"], G["fmt"], G["out"]
    ids, slots = G["filler_ids"], G["filler_slots"]
    rng = random.Random(f"filler:{seed}:{ci}")
    rnd = rng.random
    page_rnd = random.Random(f"page:{seed}:{ci}").random  # page layout only: text is the same in every format
    lo, hi = ci * CHUNK, min(nfill, (ci + 1) * CHUNK)
    lines: list[str] = []
    nbytes = 0
    t0 = dt.datetime(2004, 1, 1)
    for k in range(lo, hi):
        doc_id = f"f{ids[k]:07d}"
        title = gen_title(rnd)
        text = "\n\n".join(gen_paragraphs(rnd, FILLER_MIN_WORDS, FILLER_MAX_WORDS))
        when = t0 + dt.timedelta(seconds=int(rnd() * 730 * 86400))
        s = render(fmt, doc_id, title, text, when, page_rnd)
        if fmt == "jsonl":
            lines.append(s)
        else:
            data = s.encode("utf-8")
            doc_path(out, fmt, slots[k], doc_id).write_bytes(data)
            nbytes += len(data)
    if fmt == "jsonl":
        return ci, lines, 0
    return ci, None, nbytes


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, required=True, help="total number of documents")
    ap.add_argument("--out", required=True, help="output .jsonl file (or directory for txt-dir/html-dir)")
    ap.add_argument("--truth", required=True, help="truth file (.json or .jsonl)")
    ap.add_argument("--format", choices=("jsonl", "txt-dir", "html-dir"), default="jsonl")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bases", type=int, default=None,
                    help="number of base articles (default: all eligible, capped at 75%% of --docs / 7)")
    ap.add_argument("--base-overlap", type=float, default=0.2,
                    help="skip a candidate base sharing this fraction of its word 3-grams with a kept one")
    ap.add_argument("--bbc", default=None, help="BBC articles.jsonl (default: ../shared/data beside the repo)")
    ap.add_argument("--max-run", type=int, default=6,
                    help="filler never copies more than this many consecutive words from one place in the BBC text")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)

    global MAX_RUN
    MAX_RUN = args.max_run
    t_start = time.perf_counter()
    bbc = Path(args.bbc) if args.bbc else default_bbc_path()
    if not bbc.is_file():
        print(f"error: BBC articles not found at {bbc} (expected ../shared/data/bbc-news beside the repo; use --bbc)",
              file=sys.stderr)
        return 2
    with bbc.open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    articles.sort(key=lambda a: a["id"])

    # eligible bases: no two may already be near-duplicates or share much text
    # (the BBC set has 137 marked groups of near-exact duplicates and a few dozen
    # more unmarked pairs, plus follow-ups quoting each other)
    eligible = distinct_articles(articles, args.base_overlap)

    rng = random.Random(args.seed)
    nb = args.bases
    if nb is None:
        nb = min(len(eligible), int(args.docs * 0.75) // (1 + len(TRANSFORMS)))
    nb = max(0, min(nb, len(eligible)))
    per_base = 1 + len(TRANSFORMS)
    if nb * per_base > args.docs:
        print(f"error: {nb} bases need {nb * per_base} documents, more than --docs {args.docs}", file=sys.stderr)
        return 2
    bases = sorted(rng.sample(eligible, nb), key=lambda a: a["id"]) if nb < len(eligible) else eligible

    build_chain(articles)
    t_chain = time.perf_counter()

    planted, truth_rows = build_planted(bases, rng)
    rng.shuffle(planted)
    n = args.docs
    nfill = n - len(planted)
    planted_slots = sorted(rng.sample(range(n), len(planted)))
    filler_ids = list(range(1, nfill + 1))
    rng.shuffle(filler_ids)
    fmt = args.format
    out = Path(args.out)
    filler_slots: list[int] = []
    if fmt != "jsonl":
        ps = set(planted_slots)
        filler_slots = [s for s in range(n) if s not in ps]
        out.mkdir(parents=True, exist_ok=True)
        for d in range((n + 999) // 1000):
            (out / f"{d:04d}").mkdir(exist_ok=True)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
    G.update(seed=args.seed, nfill=nfill, fmt=fmt, out=out, filler_ids=filler_ids, filler_slots=filler_slots)

    nchunks = (nfill + CHUNK - 1) // CHUNK
    jobs = max(1, args.jobs)
    prnd = random.Random(f"planted-render:{args.seed}").random
    total_bytes = 0

    def chunks():
        if jobs == 1 or nchunks <= 1:
            for ci in range(nchunks):
                yield filler_chunk(ci)
        else:
            ctx = mp.get_context("fork")
            with ctx.Pool(jobs) as pool:
                yield from pool.imap(filler_chunk, range(nchunks), chunksize=1)

    if fmt == "jsonl":
        with out.open("w", encoding="utf-8", newline="\n") as f:
            it = chunks()
            buf: list[str] = []
            pi = 0
            np_ = len(planted)
            buf_out: list[str] = []
            bi = 0
            for slot in range(n):
                if pi < np_ and planted_slots[pi] == slot:
                    d = planted[pi]
                    buf_out.append(render(fmt, d["id"], d["title"], d["text"], d["when"], prnd))
                    pi += 1
                else:
                    if bi >= len(buf):
                        _, buf, _ = next(it)
                        bi = 0
                    buf_out.append(buf[bi])
                    bi += 1
                if len(buf_out) >= 4096:
                    f.write("".join(buf_out))
                    buf_out = []
            f.write("".join(buf_out))
            for _ in it:  # drain (there should be nothing left)
                pass
        total_bytes = out.stat().st_size
    else:
        for slot, d in zip(planted_slots, planted):
            data = render(fmt, d["id"], d["title"], d["text"], d["when"], prnd).encode("utf-8")
            doc_path(out, fmt, slot, d["id"]).write_bytes(data)
            total_bytes += len(data)
        for _, _, nbytes in chunks():
            total_bytes += nbytes

    meta = {
        "source": "bbc-news/articles.jsonl", "seed": args.seed, "docs": n, "bases": nb,
        "planted": len(planted), "filler": nfill, "transforms": list(TRANSFORMS),
        "eligible_bases": len(eligible), "base_overlap": args.base_overlap,
        "max_run": MAX_RUN, "format": fmt,
    }
    truth_path = Path(args.truth)
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    with truth_path.open("w", encoding="utf-8") as f:
        if truth_path.suffix == ".jsonl":
            f.write(json.dumps({"meta": meta}) + "\n")
            for r in truth_rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            json.dump({"meta": meta, "planted": truth_rows}, f, ensure_ascii=False, indent=0)
            f.write("\n")

    t_end = time.perf_counter()
    print(f"corpus: {n} docs ({nb} bases x {per_base} planted = {len(planted)}, {nfill} filler), "
          f"{total_bytes / 2**20:.1f} MiB, {fmt} -> {out}; chain {t_chain - t_start:.1f}s, "
          f"total {t_end - t_start:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
