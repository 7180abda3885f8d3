"""The Python functions against the command line on the same inputs, and on bad input."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import stemma

from conftest import ROOT

EXAMPLES = ROOT / "examples"

DAM = (
    "At least 14 people were killed when a dam burst above the town of Belozar on Thursday, "
    "officials said. About 1,200 residents were evacuated from Belozar and the villages of "
    "Lozavka and Dubrets. Governor Anton Veresov called it the worst disaster in the history "
    "of Korvask."
)
DAM_REWORDED = (
    "Fourteen people at least died after the Belozar dam gave way on Thursday, according to "
    "officials. Some 1,200 people were moved out of Belozar, Lozavka and Dubrets. Korvask "
    "governor Anton Veresov said no disaster in the region had been worse."
)
OIL = (
    "Shares in Cairn Energy jumped 6% after the firm said its Rajasthan oilfield in India was "
    "larger than previously thought, and would produce oil for more than 25 years."
)


def jsonl(text: bytes) -> list:
    return [json.loads(line) for line in text.decode().splitlines()]


def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text("".join(line if isinstance(line, str) else json.dumps(line) + "\n" for line in lines))
    return path


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A JSON Lines file of three documents, one of them twice, and broken lines."""
    return write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "b-rewrite", "text": DAM_REWORDED, "title": "Belozar dam gives way"},
            {"id": "a-wire", "text": DAM, "published": "2025-11-20T02:32:13Z"},
            "{this is not json\n",
            {"id": "c-oil", "text": OIL, "url": "https://example.com/oil"},
            {"id": "blank", "text": "   "},
            {"id": "a-wire", "text": DAM},
            {"id": "nul", "text": "A line with a NUL \u0000 byte about the Belozar dam."},
            {"title": "no text field"},
        ],
    )


def test_cluster_equals_the_command(cli, news):
    expected = jsonl(cli.run("cluster", news).stdout)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert stemma.cluster(news) == expected
    said = cli.run("cluster", news).stderr.decode().splitlines()
    assert [str(w.message) for w in caught] == said
    assert all(issubclass(w.category, stemma.SkippedWarning) for w in caught)
    # Stories ordered by first id, the repeated id renamed as the command renames it.
    assert expected[0] == {"story": "s1", "documents": ["a-wire", "a-wire~2", "b-rewrite"]}


def test_cluster_of_the_demo_corpus(cli):
    assert stemma.cluster(EXAMPLES) == jsonl(cli.run("cluster", EXAMPLES).stdout)


def test_documents_as_dicts_equal_the_same_json_lines(cli, news, tmp_path):
    docs = [
        {"id": "b-rewrite", "text": DAM_REWORDED, "title": "Belozar dam gives way"},
        {"id": "a-wire", "text": DAM, "published": "2025-11-20T02:32:13Z"},
        {"id": "c-oil", "text": OIL, "url": "https://example.com/oil"},
        {"id": "a-wire", "text": DAM},
        {"id": "nul", "text": "A line with a NUL \u0000 byte about the Belozar dam."},
    ]
    same = write_jsonl(tmp_path / "same.jsonl", docs)
    assert stemma.cluster(docs) == jsonl(cli.run("cluster", same).stdout)


def test_texts_take_their_position_as_id():
    stories = stemma.cluster([DAM, OIL, DAM_REWORDED])
    assert stories == [
        {"story": "s1", "documents": ["0", "2"]},
        {"story": "s2", "documents": ["1"]},
    ]


def test_read_equals_inspect(cli, news):
    documents, skipped = stemma.read(news)
    expected = json.loads(cli.run("inspect", news, "--format", "json").stdout)
    assert [{k: v for k, v in d.items() if k != "text"} for d in documents] == expected["documents"]
    assert skipped == expected["skipped"]
    assert [s["source"] for s in skipped] == [f"{news}:3", f"{news}:5", f"{news}:8"]
    assert skipped[0]["reason"].startswith("malformed JSON")
    assert documents[0]["text"].startswith("Fourteen people")


def test_analyze_equals_the_command(cli):
    expected = cli.run("analyze", EXAMPLES, "--format", "json").stdout.decode()
    assert stemma.analyze(EXAMPLES, format="json") == expected
    assert stemma.analyze(EXAMPLES) == json.loads(expected)
    html = cli.run("analyze", EXAMPLES, "--format", "html").stdout.decode()
    assert stemma.analyze(EXAMPLES, format="html") == html


def test_analyze_of_documents(cli, tmp_path):
    docs = [{"id": "a", "text": DAM}, {"id": "b", "text": DAM_REWORDED}, {"id": "c", "text": OIL}]
    same = write_jsonl(tmp_path / "docs.jsonl", docs)
    expected = json.loads(cli.run("analyze", same, "--format", "json").stdout)
    got = stemma.analyze(docs)
    # The documents' sources differ (a file's lines, a list's positions); all else is equal.
    for report in (expected, got):
        for document in report["documents"]:
            document.pop("source")
    assert got == expected


def test_compare_equals_the_command(cli):
    source, version = EXAMPLES / "story" / "original.md", EXAMPLES / "story" / "summary.txt"
    expected = cli.run("compare", source, version, "--format", "json").stdout.decode()
    assert stemma.compare(source, version, format="json") == expected
    result = stemma.compare(source, version)
    assert result == json.loads(expected)
    assert result["derivation"] == "summary"


def test_compare_of_texts():
    result = stemma.compare(DAM, DAM_REWORDED)
    assert result["source"] == "source" and result["version"] == "version"
    assert stemma.compare({"id": "x", "text": DAM}, DAM)["derivation"] == "copy"


def test_a_text_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"document 1 \(id 'b'\): text must be a string, not int"):
        stemma.cluster([{"id": "a", "text": DAM}, {"id": "b", "text": 42}])
    with pytest.raises(TypeError, match=r"document 0: expected a dict, a text \(str\) or a path"):
        stemma.cluster([3.5])
    with pytest.raises(TypeError, match="version: text must be a string, not bytes"):
        stemma.compare(DAM, {"text": b"bytes"})
    with pytest.raises(TypeError, match="id must be a string or an integer, not list"):
        stemma.cluster([{"id": ["x"], "text": DAM}])


def test_an_empty_id_is_a_value_error():
    with pytest.raises(ValueError, match=r"document 2 \(id ''\): empty id"):
        stemma.cluster([DAM, OIL, {"id": "", "text": DAM}])
    with pytest.raises(ValueError, match=r"document 0 \(id 'x'\): no `text`, `body` or `content`"):
        stemma.analyze([{"id": "x", "title": "t"}])


def test_bad_documents_can_be_skipped_and_lose_nothing_else():
    docs = [{"id": "a", "text": DAM}, {"id": "", "text": OIL}, {"id": "c", "text": None}, {"id": "d", "text": DAM}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stories = stemma.cluster(docs, errors="skip")
    assert stories == [{"story": "s1", "documents": ["a", "d"]}]
    assert [str(w.message) for w in caught] == [
        "stemma: skipped document 1: document 1 (id ''): empty id",
        "stemma: skipped document 2: document 2 (id 'c'): no `text`, `body` or `content`",
    ]
    report = stemma.analyze(docs, errors="skip")
    assert [d["id"] for d in report["documents"]] == ["a", "d"]
    assert [s["source"] for s in report["skipped"]] == ["document 1", "document 2"]


def test_unreadable_documents_are_skipped():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stories = stemma.cluster([{"id": "a", "text": " \n "}, {"id": "b", "text": OIL}])
    assert stories == [{"story": "s1", "documents": ["b"]}]
    assert [str(w.message) for w in caught] == ["stemma: skipped document 0 (id 'a'): empty text"]


def test_nothing_to_analyze_is_a_value_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ValueError, match="no document could be read"):
        stemma.analyze(empty)
    with pytest.raises(ValueError, match="format='pdf'"):
        stemma.analyze([DAM], format="pdf")
    with pytest.raises(ValueError, match="errors='ignore'"):
        stemma.cluster([DAM], errors="ignore")


def test_hostile_text_is_data():
    page = "<script>alert(1)</script><p>The Belozar dam burst on Thursday, killing 14 people.</p>"
    html = stemma.analyze([{"id": "x", "text": page}, DAM], format="html")
    assert "<script>alert(1)" not in html
    with pytest.warns(stemma.SkippedWarning, match="skipped document 0: no article text"):
        stories = stemma.cluster(["\u0000\u0001\u0002", "\ud7ff" * 3, DAM])
    assert stories[-1]["documents"] == ["2"]
