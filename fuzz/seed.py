"""Writes the seed corpora of the fuzz targets into fuzz/seeds/, from the demo corpus in
examples/ and a few generated files: each format plain, gzip- and zstd-compressed, JSON
Lines and WARC built from the demo articles, and the demo's sentences one by one.

The `read` target takes a first byte that chooses the file extension; see its source.
"""

import gzip
import json
import pathlib
import shutil
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
SEEDS = HERE / "seeds"
EXTENSIONS = ["txt", "md", "html", "jsonl", "warc", "bin"]


def zstd(data: bytes) -> bytes | None:
    """zstd-compressed bytes, when the zstd command is installed."""
    if shutil.which("zstd") is None:
        return None
    return subprocess.run(
        ["zstd", "-q", "-c", "-3"], input=data, capture_output=True, check=True
    ).stdout


def warc_record(uri: str, html: str, truncate: bool = False) -> bytes:
    payload = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}".encode()
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:x>\r\n"
        f"WARC-Date: 2025-11-20T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode()
    record = head + payload + b"\r\n\r\n"
    return record[: len(record) // 2] if truncate else record


def main() -> None:
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    for target in ["read", "normalize", "segment", "facts", "compare"]:
        (SEEDS / target).mkdir(parents=True)
    files = sorted(p for p in EXAMPLES.rglob("*") if p.is_file() and p.name != "README.md")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in files}

    read = []
    for path in files:
        ext = path.suffix.lstrip(".")
        read.append((ext, path.read_bytes()))
    html = texts["repost"]
    lines = "".join(
        json.dumps({"id": name, "title": name, "text": text, "date": "2025-10-16"}) + "\n"
        for name, text in texts.items()
        if name != "repost"
    )
    read.append(("jsonl", lines.encode() + b'{"id": "broken", "text": \n\x00\n'))
    read.append(("jsonl", json.dumps({"id": "page", "text": html}).encode() + b"\n"))
    read.append(("warc", warc_record("https://news.example/a", html)))
    read.append(
        ("warc", warc_record("https://news.example/a", html) + warc_record("b", html, True))
    )
    read.append(("html", ("<div>" * 300 + "<p>Deep text.</p>" + "</div>" * 300).encode()))
    read.append(("txt", b"\xef\xbb\xbfCaf\xc3\xa9 \xe2\x80\x94 Caf\xc3\x83\xc2\xa9 &amp; \xff\xfe"))
    compressed = []
    for ext, data in read:
        compressed.append((ext, gzip.compress(data)))
        packed = zstd(data)
        if packed is not None:
            compressed.append((ext, packed))
    for k, (ext, data) in enumerate(read + compressed):
        selector = bytes([EXTENSIONS.index(ext) if ext in EXTENSIONS else 5])
        (SEEDS / "read" / f"seed{k:03}").write_bytes(selector + data)

    for k, text in enumerate(texts.values()):
        (SEEDS / "normalize" / f"seed{k:03}").write_text(text, encoding="utf-8")
        (SEEDS / "segment" / f"seed{k:03}").write_text(text, encoding="utf-8")
    sentences = [s for text in texts.values() for s in text.replace("\n", " ").split(". ")]
    for k, sentence in enumerate(sentences[:400]):
        (SEEDS / "facts" / f"seed{k:03}").write_text(sentence + ".", encoding="utf-8")
    original = texts["original"]
    for k, (name, text) in enumerate(texts.items()):
        (SEEDS / "compare" / f"seed{k:03}").write_text(original + "\0" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
