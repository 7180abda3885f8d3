"""stemma on a Spark cluster: the stories of ``stemma cluster``, byte for byte, from any
number of executors, partitions and task retries.

From a program::

    from stemma import spark as stemma_spark
    stories = stemma_spark.cluster(df, id_col="id", text_col="text")   # DataFrame (story, document)
    reports = stemma_spark.analyze(df)                                  # DataFrame (story, report)

From the command line (INPUT: JSON Lines files or directories, and every other format the
command line reads)::

    python -m stemma.spark cluster INPUT... --out FILE [--master URL] [--partitions N]

How the work is laid out (each step calls the Rust library, ``stemma.cluster::parts``):

1. **Reading**: the driver lists the input files and cuts large JSON Lines files into line
   ranges; each range is read and every document fingerprinted on an executor. Ids come
   from the data; repeated ids are renamed in input order as the command line renames
   them (``x``, ``x~2``), ordered by (part, position), never by partition order.
2. **Rarity**: term registers and counts per partition, merged and added, broadcast.
3. **Candidates**: LSH band keys and anchor terms per document (one row a document,
   exploded in the JVM), shuffled into buckets; each band bucket's pairs made by the
   library (a large bucket gives a star, as locally); the holders of each anchor term met
   and counted by Spark SQL (terms held by 2 to ``anchor_max_df`` documents, as locally),
   the pairs kept by the library's rule; each pair kept once.
4. **Verification**: each candidate pair joined with its two fingerprints and scored by
   the same scorer.
5. **Grouping**: the edges (pairs scoring at least the attach threshold) are collected on
   the driver and joined into connected components there — a few numbers per edge, so
   tens of millions of edges fit a driver of a few gigabytes; each component (its
   fingerprints and every scored pair inside it) is grouped into stories by the library's
   own grouping on an executor. The driver numbers the stories as the command line does.

Every step Spark may reorder (rows inside a shuffled partition, the members of a group)
is sorted inside the library, so the output does not depend on partitioning, adaptive
execution or retried tasks. Input files must be readable at the same paths from every
executor (a shared file system, or one machine).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from typing import Any, Iterable, Iterator, Optional

from . import _stemma

__all__ = ["cluster", "cluster_files", "analyze", "main"]

# Large JSON Lines files are read in ranges of about this many bytes, one task each.
PART_BYTES = 32 * 1024 * 1024

_log = logging.getLogger("stemma.spark")


class _Phases:
    """Wall time of the driver's phases, logged at INFO (``--verbose``): where the time goes."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def done(self, what: str) -> None:
        now = time.monotonic()
        _log.info("%s: %.1f s", what, now - self.last)
        self.last = now


def _pair_schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType(
        [T.StructField("a", T.StringType(), False), T.StructField("b", T.StringType(), False)]
    )


def _signed(key: int) -> int:
    """A 64-bit key as Spark's signed long."""
    return key - (1 << 64) if key >= 1 << 63 else key


def _session(spark: Any = None) -> Any:
    if spark is not None:
        return spark
    from pyspark.sql import SparkSession

    return SparkSession.builder.getOrCreate()


# ---- steps run on the executors (module-level functions, pickled by reference) ----------


def _read_part(indexed: tuple) -> Iterator[tuple]:
    index, (path, lines, max_bytes) = indexed
    documents, skipped = _stemma.read_part((path, lines), max_bytes)
    for k, doc_id, print_ in documents:
        yield (True, index, k, doc_id, bytes(print_))
    for k, source, reason in skipped:
        yield (False, index, k, source, reason)


def _keys(rows: Iterable, counts: Any, documents: int) -> Iterator[tuple]:
    """Each document's band keys (by band) and anchor terms, as arrays: one row a document
    crosses into the JVM, exploded there, rather than sixty."""
    weights = _stemma.Weights(counts.value, documents)
    for doc_id, print_ in rows:
        bands = [_signed(key) for _, key in _stemma.band_keys(print_, documents)]
        yield (doc_id, bands, weights.anchors(print_), _stemma.is_long(print_))


def _band_pairs(row: Any) -> Iterator[tuple]:
    yield from _stemma.bucket_pairs(list(row[0]))


def _score(rows: Iterable, counts: Any, documents: int) -> Iterator[tuple]:
    weights = _stemma.Weights(counts.value, documents)
    batch: list = []

    def flush() -> Iterator[tuple]:
        scores = weights.scores([(pa, pb) for _, _, pa, pb in batch])
        for (a, b, _, _), score in zip(batch, scores):
            yield (a, b, float(score))
        batch.clear()

    for row in rows:
        batch.append((row[0], row[1], bytes(row[2]), bytes(row[3])))
        if len(batch) >= 4096:
            yield from flush()
    if batch:
        yield from flush()


def _group(row: Any, counts: Any, documents: int) -> list:
    weights = _stemma.Weights(counts.value, documents)
    members = [(m[0], bytes(m[1])) for m in row[1]]
    pairs = [(p[0], p[1], p[2]) for p in (row[2] or [])]
    return weights.group(members, pairs)


# ---- the driver ---------------------------------------------------------------------------


def _components(edges: Iterable[tuple]) -> dict:
    """Union-find over the edges: each document on an edge → its component's smallest id."""
    parent: dict = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            parent[high] = low
        parent.setdefault(a, a)
        parent.setdefault(b, b)
    return {x: find(x) for x in parent}


def _cluster_prints(spark: Any, prints: Any, partitions: Optional[int]) -> list:
    """Stories as (story, ids) from a DataFrame of unique (id, print)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    sc = spark.sparkContext
    parts = partitions or spark.conf.get("spark.sql.shuffle.partitions")
    parts = int(parts)
    phases = _Phases()
    prints = prints.persist()
    documents = prints.count()
    if documents == 0:
        return []
    ids = [row[0] for row in prints.select("id").collect()]
    phases.done(f"{documents} documents read and fingerprinted")
    if documents <= _stemma.all_pairs_below():
        rows = prints.collect()
        return _stemma.cluster_prints([(r[0], bytes(r[1])) for r in rows])

    rdd = prints.rdd.map(lambda r: (r[0], bytes(r[1])))
    registers = rdd.mapPartitions(lambda it: [_stemma.term_registers([p for _, p in it])]).reduce(
        lambda a, b: _stemma.merge_registers(a, b)
    )
    slots = _stemma.table_slots(registers)
    counts_bytes = rdd.mapPartitions(
        lambda it: [_stemma.count_terms([p for _, p in it], slots)]
    ).treeReduce(lambda a, b: _stemma.add_counts(a, b))
    counts = sc.broadcast(counts_bytes)
    phases.done(f"term rarity ({slots} counters)")

    key_schema = T.StructType(
        [
            T.StructField("id", T.StringType(), False),
            T.StructField("bands", T.ArrayType(T.LongType(), False), False),
            T.StructField("anchors", T.ArrayType(T.LongType(), False), False),
            T.StructField("long", T.BooleanType(), False),
        ]
    )
    keys = spark.createDataFrame(
        rdd.mapPartitions(lambda it: _keys(it, counts, documents)), key_schema
    ).persist()
    # Band keys are per band: a bucket is a (band, key); its position in the array is the band.
    # A bucket's pairs are the library's (a star around the first id of a large one).
    buckets = (
        keys.select("id", F.posexplode("bands").alias("band", "key"))
        .groupBy("band", "key")
        .agg(F.collect_list("id").alias("ids"))
        .where(F.size("ids") >= 2)
        .select("ids")
    )
    band_pairs = spark.createDataFrame(buckets.rdd.flatMap(_band_pairs), _pair_schema())
    # Anchor pairs stay in the JVM: every pair of holders of a term held by 2 to
    # `anchor_max_df` documents, counted (a document holding a term twice counts twice, as
    # in the library); millions of such meetings, of which the library's rule keeps the
    # few with enough of them. Passing each meeting through Python cost minutes.
    postings = keys.select("id", "long", F.explode("anchors").alias("term"))
    terms = (
        postings.groupBy("term")
        .count()
        .where((F.col("count") >= 2) & (F.col("count") <= _stemma.anchor_max_df()))
        .select("term")
    )
    held = postings.join(terms, "term")
    meetings = (
        held.alias("x")
        .join(held.alias("y"), "term")
        .where(F.col("x.id") < F.col("y.id"))
        .groupBy(F.col("x.id").alias("a"), F.col("y.id").alias("b"))
        .agg(
            F.count(F.lit(1)).alias("shared"),
            (F.max(F.col("x.long").cast("int")) * F.max(F.col("y.long").cast("int"))).alias("long"),
        )
        .where(F.col("shared") >= _stemma.min_shared_anchors())
    )
    enough = F.udf(
        lambda shared, long: bool(_stemma.enough_anchors(shared, bool(long))), T.BooleanType()
    )
    anchor_pairs = meetings.where(enough("shared", "long")).select("a", "b")
    candidates = band_pairs.unionByName(anchor_pairs).distinct()
    left = prints.select(F.col("id").alias("a"), F.col("print").alias("pa"))
    right = prints.select(F.col("id").alias("b"), F.col("print").alias("pb"))
    joined = candidates.join(left, "a").join(right, "b").select("a", "b", "pa", "pb")
    score_schema = T.StructType(
        [
            T.StructField("a", T.StringType(), False),
            T.StructField("b", T.StringType(), False),
            T.StructField("score", T.FloatType(), False),
        ]
    )
    scored = spark.createDataFrame(
        joined.rdd.mapPartitions(lambda it: _score(it, counts, documents)), score_schema
    ).persist()
    phases.done(f"candidate pairs found and scored: {scored.count()}")
    # Scores are 32-bit floats: compared with the threshold widened to a double, exactly
    # as the library compares them.
    edge = F.col("score") >= F.lit(_stemma.edge_threshold())
    edges = [(r[0], r[1]) for r in scored.where(edge).select("a", "b").collect()]
    component = _components(edges)
    phases.done(f"{len(edges)} edges collected, {len(set(component.values()))} components")
    groups: list = []
    if component:
        comp_schema = T.StructType(
            [T.StructField("id", T.StringType(), False), T.StructField("component", T.StringType(), False)]
        )
        comp_df = spark.createDataFrame(list(component.items()), comp_schema)
        members = (
            prints.join(comp_df, "id")
            .groupBy("component")
            .agg(F.collect_list(F.struct("id", "print")).alias("members"))
        )
        ca = comp_df.select(F.col("id").alias("a"), F.col("component"))
        cb = comp_df.select(F.col("id").alias("b"), F.col("component").alias("component_b"))
        inside = (
            scored.join(ca, "a")
            .join(cb, "b")
            .where(F.col("component") == F.col("component_b"))
            .groupBy("component")
            .agg(F.collect_list(F.struct("a", "b", "score")).alias("pairs"))
        )
        work = members.join(inside, "component", "left").select("component", "members", "pairs")
        if partitions:
            work = work.repartition(parts, "component")
        groups = work.rdd.flatMap(lambda row: _group(row, counts, documents)).collect()
    phases.done("components grouped")
    grouped = {doc_id for group in groups for doc_id in group}
    groups.extend([doc_id] for doc_id in ids if doc_id not in grouped)
    scored.unpersist()
    keys.unpersist()
    prints.unpersist()
    return _stemma.number_stories(groups)


def _print_schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType(
        [T.StructField("id", T.StringType(), False), T.StructField("print", T.BinaryType(), False)]
    )


def _unique(spark: Any, read: Any) -> Any:
    """The documents read, as a DataFrame (id, print) of ids made unique in input order."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    schema = T.StructType(
        [
            T.StructField("part", T.IntegerType(), False),
            T.StructField("at", T.IntegerType(), False),
            T.StructField("raw", T.StringType(), False),
            T.StructField("print", T.BinaryType(), False),
        ]
    )
    docs = spark.createDataFrame(read.filter(lambda r: r[0]).map(lambda r: r[1:]), schema).persist()
    total = docs.count()
    distinct = docs.select("raw").distinct().count()
    if total == distinct:
        return docs.select(F.col("raw").alias("id"), "print")
    # Repeated ids: renamed in input order on the driver, as the command line renames them.
    order = docs.select("part", "at", "raw").orderBy("part", "at").collect()
    unique = _stemma.unique_ids([r[2] for r in order])
    renamed = [(r[0], r[1], new) for r, new in zip(order, unique) if new != r[2]]
    rename_schema = T.StructType(
        [
            T.StructField("part", T.IntegerType(), False),
            T.StructField("at", T.IntegerType(), False),
            T.StructField("new", T.StringType(), False),
        ]
    )
    renames = spark.createDataFrame(renamed, rename_schema)
    return (
        docs.join(F.broadcast(renames), ["part", "at"], "left")
        .select(F.coalesce("new", "raw").alias("id"), "print")
    )


def cluster_files(
    paths: list,
    spark: Any = None,
    partitions: Optional[int] = None,
    part_bytes: int = PART_BYTES,
    max_document_bytes: Optional[int] = None,
) -> tuple[list, list]:
    """The stories of the files at ``paths`` as ``stemma cluster`` finds them:
    ``(stories, skipped)``, stories as (story, ids), skipped as (source, reason) in input
    order (what the command line says on standard error)."""
    spark = _session(spark)
    sc = spark.sparkContext
    if "-" in paths:
        raise ValueError("standard input cannot be read on a cluster: name files or directories")
    parts, skipped_listing = _stemma.plan([os.fspath(p) for p in paths], part_bytes)
    if not parts:
        return [], list(skipped_listing)
    tasks = [(k, (path, lines, max_document_bytes)) for k, (path, lines) in enumerate(parts)]
    read = sc.parallelize(tasks, len(tasks)).flatMap(_read_part).persist()
    skipped = sorted(read.filter(lambda r: not r[0]).map(lambda r: r[1:]).collect())
    prints = _unique(spark, read)
    stories = _cluster_prints(spark, prints, partitions)
    read.unpersist()
    return stories, list(skipped_listing) + [(source, reason) for _, _, source, reason in skipped]


def _records(
    df: Any,
    id_col: str,
    text_col: str,
    title_col: Optional[str],
    published_col: Optional[str],
    url_col: Optional[str],
) -> Any:
    from pyspark.sql import functions as F

    def column(name: Optional[str], alias: str) -> Any:
        return F.col(name).cast("string").alias(alias) if name else F.lit(None).cast("string").alias(alias)

    return df.select(
        F.col(id_col).cast("string").alias("id"),
        F.col(text_col).alias("text"),
        column(title_col, "title"),
        column(published_col, "published"),
        column(url_col, "url"),
    )


def _fingerprint_rows(rows: Iterable) -> Iterator[tuple]:
    records = []
    for row in rows:
        doc_id, text = row[0], row[1]
        if not doc_id:
            raise ValueError(f"a row has an empty id (text {str(text)[:40]!r}…)")
        if not isinstance(text, str):
            raise TypeError(f"row {doc_id!r}: text must be a string, not {type(text).__name__}")
        records.append((doc_id, text, row[2], row[3], row[4], None, f"row {doc_id}"))
    documents, _ = _stemma.fingerprint_records(records)
    for _, doc_id, print_ in documents:
        yield (doc_id, bytes(print_))


def cluster(
    df: Any,
    id_col: str = "id",
    text_col: str = "text",
    title_col: Optional[str] = None,
    published_col: Optional[str] = None,
    url_col: Optional[str] = None,
    partitions: Optional[int] = None,
) -> Any:
    """The stories of the documents of a DataFrame, as a DataFrame ``(story, document)``:
    one row per document, stories named as ``stemma cluster`` names them.

    Ids must be unique and non-empty (``ValueError`` otherwise: a table has no input order
    to rename repeats by); texts strings. Rows whose text stemma cannot read (blank, or a
    page without an article) are left out, as the command line skips them.
    """
    from pyspark.sql import types as T

    spark = df.sparkSession
    records = _records(df, id_col, text_col, title_col, published_col, url_col)
    prints = spark.createDataFrame(records.rdd.mapPartitions(_fingerprint_rows), _print_schema())
    prints = prints.persist()
    if prints.count() != prints.select("id").distinct().count():
        raise ValueError(f"column {id_col!r} holds repeated ids: stories need unique ids")
    stories = _cluster_prints(spark, prints, partitions)
    schema = T.StructType(
        [T.StructField("story", T.StringType(), False), T.StructField("document", T.StringType(), False)]
    )
    rows = [(story, doc_id) for story, ids in stories for doc_id in ids]
    return spark.createDataFrame(rows, schema)


def _analyze_story(row: Any) -> tuple:
    story, members = row[0], row[1]
    records = [(m[0], m[1], m[2], m[3], m[4], None, f"row {m[0]}") for m in members]
    return (story, _stemma.analyze_story(story, records))


def analyze(
    df: Any,
    id_col: str = "id",
    text_col: str = "text",
    title_col: Optional[str] = None,
    published_col: Optional[str] = None,
    url_col: Optional[str] = None,
    partitions: Optional[int] = None,
    out: Optional[str] = None,
    stories: Any = None,
) -> Any:
    """Cluster the documents of a DataFrame, then analyse each story on an executor:
    a DataFrame ``(story, report)``, the report a JSON line as ``stemma analyze --format
    jsonl`` writes a story's (lineage, derivations, drift). With ``out``, the lines are also
    written there in story order. ``stories``, the DataFrame :func:`cluster` gave for
    ``df``, saves clustering again."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spark = df.sparkSession
    if stories is None:
        stories = cluster(df, id_col, text_col, title_col, published_col, url_col, partitions)
    records = _records(df, id_col, text_col, title_col, published_col, url_col)
    grouped = (
        stories.join(records, stories.document == records.id)
        .groupBy("story")
        .agg(F.collect_list(F.struct("id", "text", "title", "published", "url")).alias("members"))
    )
    schema = T.StructType(
        [T.StructField("story", T.StringType(), False), T.StructField("report", T.StringType(), False)]
    )
    reports = spark.createDataFrame(grouped.rdd.map(_analyze_story), schema)
    if out:
        rows = reports.collect()
        rows.sort(key=lambda r: int(r[0][1:]))
        _write_atomically(out, "".join(r[1] + "\n" for r in rows))
    return reports


def _write_atomically(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".stemma-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _start(master: Optional[str], partitions: Optional[int], conf: list) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("stemma cluster")
    for key, value in conf:
        builder = builder.config(key, value)
    if master:
        builder = builder.master(master)
    # Executors run this Python, which has stemma installed.
    builder = builder.config("spark.pyspark.python", sys.executable)
    builder = builder.config("spark.pyspark.driver.python", sys.executable)
    # Standard error is for skipped inputs and, with --verbose, the phases.
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    return builder.getOrCreate()


def main(argv: Optional[list] = None) -> int:
    """``python -m stemma.spark cluster INPUT... --out FILE [--master URL] [--partitions N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m stemma.spark",
        description="stemma on a Spark cluster: the same stories as `stemma cluster`.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "cluster",
        help="group documents into stories: one JSON line per story, as `stemma cluster` writes",
        description="Group documents into stories on Spark. Writes exactly the JSON Lines "
        "`stemma cluster` writes for the same inputs: one line per story, singletons included.",
    )
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories (read recursively)")
    run.add_argument("--out", required=True, metavar="FILE", help="where to write the stories")
    run.add_argument("--master", metavar="URL", help="Spark master (default: Spark's own default)")
    run.add_argument("--partitions", type=int, metavar="N", help="shuffle partitions")
    run.add_argument(
        "--part-bytes",
        type=int,
        default=PART_BYTES,
        metavar="BYTES",
        help=f"large JSON Lines files are read in ranges of about this size (default {PART_BYTES})",
    )
    run.add_argument("--max-document-bytes", type=int, metavar="BYTES", help="skip larger documents")
    run.add_argument(
        "-v", "--verbose", action="store_true", help="say on standard error where the time goes"
    )
    run.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, as spark-submit's --conf (repeatable)",
    )
    args = parser.parse_args(argv)
    conf = []
    for setting in args.conf:
        key, equals, value = setting.partition("=")
        if not equals or not key:
            parser.error(f"--conf {setting!r}: expected KEY=VALUE")
        conf.append((key, value))
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    if "-" in args.inputs:
        parser.error("standard input cannot be read on a cluster: name files or directories")
    try:
        # A destination that cannot be written fails before the work.
        with open(args.out, "a", encoding="utf-8"):
            pass
    except OSError as error:
        print(f"stemma: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    if args.verbose:
        logging.basicConfig(format="%(name)s: %(message)s", level=logging.INFO)
        _log.setLevel(logging.INFO)
    spark = _start(args.master, args.partitions, conf)
    try:
        stories, skipped = cluster_files(
            args.inputs, spark, args.partitions, args.part_bytes, args.max_document_bytes
        )
    finally:
        spark.stop()
    for source, reason in skipped:
        print(f"stemma: skipped {source}: {reason}", file=sys.stderr)
    if not stories:
        print("stemma: no document could be read", file=sys.stderr)
        return 1
    _write_atomically(args.out, _stemma.story_lines(stories))
    return 0


if __name__ == "__main__":
    from stemma.spark import main as _main

    sys.exit(_main())
