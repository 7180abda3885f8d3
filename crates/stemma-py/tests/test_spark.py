"""stemma on a real Spark standalone cluster — a master and two workers of one core each on
the loopback address, started and stopped here — against `stemma cluster` on one machine.

The corpus is the clustering benchmark's (`bench/make_corpus.py`, BBC articles with planted
versions and Markov filler; 20,000 documents unless STEMMA_SPARK_DOCS says otherwise),
with malformed lines, blank texts and repeated ids mixed in.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

pyspark = pytest.importorskip("pyspark")

DOCS = int(os.environ.get("STEMMA_SPARK_DOCS", "20000"))
# Small parts, so that the corpus file is read as many line ranges on both workers.
PART_BYTES = 4 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_env(work: Path) -> dict:
    home = Path(pyspark.__file__).parent
    return dict(
        os.environ,
        SPARK_HOME=str(home),
        SPARK_LOCAL_IP="127.0.0.1",
        SPARK_LOG_DIR=str(work / "logs"),
        SPARK_WORKER_DIR=str(work / "worker"),
        PYSPARK_PYTHON=sys.executable,
        PYSPARK_DRIVER_PYTHON=sys.executable,
    )


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    """spark://127.0.0.1:PORT of a standalone master with two one-core workers."""
    work = tmp_path_factory.mktemp("spark")
    env = spark_env(work)
    spark_class = str(Path(env["SPARK_HOME"]) / "bin" / "spark-class")
    port, ui = free_port(), free_port()
    processes = []

    def start(args, name):
        log = open(work / f"{name}.log", "wb")
        processes.append(
            subprocess.Popen(
                [spark_class, *args], env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        )

    try:
        start(["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
               "--port", str(port), "--webui-port", str(ui)], "master")
        url = f"spark://127.0.0.1:{port}"
        for k in range(2):
            start(["org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                   "--cores", "1", "--memory", "3g", "--webui-port", str(free_port()),
                   "--work-dir", str(work / f"worker{k}")], f"worker{k}")
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as r:
                    if json.load(r).get("aliveworkers") == 2:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                logs = "\n".join((work / f).read_text(errors="replace")[-2000:] for f in ("master.log", "worker0.log"))
                pytest.fail(f"the Spark cluster did not start:\n{logs}")
            time.sleep(1)
        yield url
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The benchmark corpus, with broken and repeated lines mixed in at fixed places."""
    out = tmp_path_factory.mktemp("corpus")
    made = out / "made.jsonl"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_corpus.py"), "--docs", str(DOCS),
         "--out", str(made), "--truth", str(out / "truth.json"), "--seed", "7"],
        check=True, capture_output=True,
    )
    lines = made.read_text(encoding="utf-8").splitlines(keepends=True)
    rng = random.Random(14)
    hostile = [
        "{not json at all\n",
        '{"id": "blank-text", "text": "   "}\n',
        '{"id": "no-text", "title": "a headline only"}\n',
        '{"id": "nul\\u0000id", "text": "A text with a NUL \\u0000 byte about nothing much."}\n',
        "\n",
        '["an", "array"]\n',
        "\x00\x01 binary garbage\n",
    ]
    for line in hostile * 3:
        lines.insert(rng.randrange(len(lines)), line)
    # Repeated ids: the second of each is renamed in input order.
    for line in rng.sample(lines[: len(lines) // 2], 5):
        lines.insert(rng.randrange(len(lines) // 2, len(lines)), line)
    path = out / "corpus.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def expected(cli, corpus):
    done = cli.run("cluster", corpus)
    return done.stdout, done.stderr.decode().splitlines()


def run_spark(master, corpus, out, partitions, *extra, driver=None):
    args = ["cluster", str(corpus), "--out", str(out), "--master", master,
            "--partitions", str(partitions), "--part-bytes", str(PART_BYTES),
            "--conf", "spark.sql.adaptive.enabled=true",
            "--conf", "spark.executor.memory=2g", *extra]
    command = [sys.executable, "-m", "stemma.spark", *args] if driver is None else [sys.executable, str(driver), *args]
    env = spark_env(out.parent)
    done = subprocess.run(command, capture_output=True, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode()[-4000:]
    return [line for line in done.stderr.decode().splitlines() if line.startswith("stemma:")]


# Seven partitions are run below, with a task that fails once.
@pytest.mark.parametrize("partitions", [1, 64])
def test_stories_are_the_command_s_byte_for_byte(master, corpus, expected, tmp_path, partitions):
    out = tmp_path / "stories.jsonl"
    said = run_spark(master, corpus, out, partitions)
    stories, skipped = expected
    assert out.read_bytes() == stories
    # Malformed lines skipped and said as the command says them, in the same order.
    assert said == skipped
    assert len(skipped) == 15
    assert any(json.loads(line)["documents"][-1].endswith("~2") for line in stories.splitlines())


def test_a_task_that_fails_once_is_retried_to_the_same_stories(master, corpus, expected, tmp_path):
    marker = tmp_path / "failed-once"
    driver = tmp_path / "failing_driver.py"
    driver.write_text(textwrap.dedent(f"""
        import sys
        from pyspark import TaskContext
        import stemma.spark

        original = stemma.spark._score

        def failing_score(rows, counts, documents):
            context = TaskContext.get()
            if context.partitionId() == 0 and context.attemptNumber() == 0:
                open({str(marker)!r}, "w").close()
                raise RuntimeError("this task fails on its first attempt, on purpose")
            return original(rows, counts, documents)

        stemma.spark._score = failing_score
        sys.exit(stemma.spark.main())
    """))
    out = tmp_path / "stories.jsonl"
    said = run_spark(master, corpus, out, 7, "--conf", "spark.task.maxFailures=4", driver=driver)
    assert marker.exists()
    assert out.read_bytes() == expected[0]
    assert said == expected[1]


def test_a_dataframe_clusters_and_analyzes_as_the_command(master, cli, corpus, tmp_path):
    from pyspark.sql import SparkSession

    import stemma.spark as stemma_spark

    # The first 400 good documents of the corpus: more than are clustered whole, so the
    # distributed steps run.
    rows = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and str(record.get("text", "")).strip() and "\u0000" not in line:
            if record["id"] not in {r[0] for r in rows}:
                rows.append((record["id"], record["text"], record.get("title")))
        if len(rows) == 400:
            break
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t, "title": h}) + "\n" for i, t, h in rows))
    spark = (
        SparkSession.builder.master(master).appName("stemma test")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.shuffle.partitions", "5")
        .config("spark.sql.adaptive.enabled", "true")
        .getOrCreate()
    )
    try:
        df = spark.createDataFrame(rows, "id string, text string, title string")
        stories = stemma_spark.cluster(df, title_col="title").persist()
        got = stories.collect()
        reports = stemma_spark.analyze(
            df, title_col="title", out=str(tmp_path / "reports.jsonl"), stories=stories
        ).collect()
    finally:
        spark.stop()
    expected = [json.loads(line) for line in cli.run("cluster", path).stdout.decode().splitlines()]
    assert any(len(story["documents"]) > 1 for story in expected)
    by_story: dict = {}
    for story, document in got:
        by_story.setdefault(story, []).append(document)
    assert [{"story": s, "documents": sorted(d)} for s, d in sorted(by_story.items(), key=lambda x: int(x[0][1:]))] == expected
    assert len(reports) == len(expected)

    def without_sources(line: str) -> dict:
        story = json.loads(line)
        for document in story["documents"]:
            document.pop("source")
        return story

    lines = (tmp_path / "reports.jsonl").read_text().splitlines()
    analyzed = cli.run("analyze", path, "--format", "jsonl").stdout.decode().splitlines()
    by_cli = [without_sources(line) for line in analyzed if line.startswith('{"story"')]
    assert [without_sources(line) for line in lines] == by_cli
