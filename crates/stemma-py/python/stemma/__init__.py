"""stemma: trace rewritten news — stories, lineage, derivation and fact drift.

The functions below run the same library as the ``stemma`` command line and give the
same results on the same inputs (words only: the optional sentence model is not part of
the Python build, so they match ``stemma … --no-model``)::

    import stemma
    documents, skipped = stemma.read("crawl/")            # stemma inspect --format json
    stories = stemma.cluster(["A dam burst …", {"id": "b", "text": "…"}])   # stemma cluster
    report = stemma.analyze("crawl/")                     # stemma analyze --format json
    result = stemma.compare(source_text, version_text)    # stemma compare --format json

Inputs:

- a **path** (``str`` given alone, or any ``os.PathLike`` such as ``pathlib.Path``): a
  file or a directory, read recursively, in every format the command line reads;
- a **document** as a ``dict``: ``text`` (or ``body`` / ``content``), optional ``id``,
  ``title``, ``published`` (a string or a ``datetime``), ``url``, ``author`` — read exactly
  as a JSON line with those fields is;
- a **document** as a ``str`` inside a list: its text, with its position in the list as id.

A list may mix them. Ids are made unique in input order as the command line makes them
(the second ``x`` becomes ``x~2``). A document given with a wrong type raises
``TypeError`` (a text that is not a string) or ``ValueError`` (an empty id), naming its
position and id; with ``errors="skip"`` it is skipped instead, as a document that cannot
be read (an empty text, a page with no article) always is: the others are never lost.
Skipped inputs are returned by ``read`` and ``analyze`` and reported as
:class:`SkippedWarning` warnings by ``cluster``.

The work runs in Rust with the GIL released, on all cores.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Optional, Union

from . import _stemma

__all__ = ["read", "analyze", "compare", "cluster", "SkippedWarning", "__version__"]

__version__: str = _stemma.version()

Document = Union[str, Mapping[str, Any]]
PathArg = Union[str, "os.PathLike[str]"]


class SkippedWarning(UserWarning):
    """An input that could not be read, with the reason (as the command line says it)."""


# The fields a document dict may carry, beside its text (`text`, `body` or `content`).
_OPTIONAL = ("title", "published", "url", "author")


def _describe(index: int, doc_id: Any) -> str:
    if doc_id is None:
        return f"document {index}"
    return f"document {index} (id {doc_id!r})"


def _record(doc: Any, index: int, name: Optional[str] = None) -> tuple:
    """The record tuple of one document, or TypeError / ValueError naming it (as `name`,
    else by its position and id)."""
    if isinstance(doc, str):
        return (name or str(index), doc, None, None, None, None, name or f"document {index}")
    if not isinstance(doc, Mapping):
        raise TypeError(
            f"document {index}: expected a dict, a text (str) or a path (os.PathLike), "
            f"not {type(doc).__name__}"
        )
    raw_id = doc.get("id")
    where = name or _describe(index, raw_id)
    if raw_id is None:
        doc_id = name or str(index)
    elif isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise TypeError(f"{where}: id must be a string or an integer, not {type(raw_id).__name__}")
    else:
        doc_id = str(raw_id)
        if not doc_id.strip():
            raise ValueError(f"{where}: empty id")
    text = None
    for field in ("text", "body", "content"):
        if doc.get(field) is not None:
            text = doc[field]
            break
    if text is None:
        raise ValueError(f"{where}: no `text`, `body` or `content`")
    if not isinstance(text, str):
        raise TypeError(f"{where}: text must be a string, not {type(text).__name__}")
    optional = []
    for field in _OPTIONAL:
        value = doc.get(field)
        if field == "published" and isinstance(value, (_dt.datetime, _dt.date)):
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{where}: {field} must be a string, not {type(value).__name__}")
        optional.append(value)
    return (doc_id, text, *optional, where)


def _items(inputs: Any, errors: str) -> tuple[list, list]:
    """The items of `inputs` for the extension, and the documents skipped for errors."""
    if errors not in ("raise", "skip"):
        raise ValueError(f'errors={errors!r}: expected "raise" or "skip"')
    if isinstance(inputs, (str, os.PathLike)):
        return [(os.fspath(inputs), None)], []
    if isinstance(inputs, (Mapping, bytes)) or not isinstance(inputs, Iterable):
        raise TypeError(
            "expected a path, or a list of documents (dicts or texts) and paths (os.PathLike), "
            f"not {type(inputs).__name__}"
        )
    items, skipped = [], []
    for index, doc in enumerate(inputs):
        if isinstance(doc, os.PathLike):
            items.append((os.fspath(doc), None))
            continue
        try:
            items.append((None, _record(doc, index)))
        except (TypeError, ValueError) as error:
            if errors == "raise":
                raise
            skipped.append({"source": f"document {index}", "reason": str(error)})
    return items, skipped


def _single(doc: Any, what: str) -> tuple:
    if isinstance(doc, os.PathLike):
        return (os.fspath(doc), None)
    if not isinstance(doc, (str, Mapping)):
        raise TypeError(
            f"{what}: expected a text (str), a dict or a path (os.PathLike), "
            f"not {type(doc).__name__}"
        )
    return (None, _record(doc, 0, what))


def read(
    paths: Any, *, max_document_bytes: Optional[int] = None
) -> tuple[list[dict], list[dict]]:
    """Read documents as stemma reads them: ``(documents, skipped)``.

    ``paths`` is a path or a list of paths and documents (see the module help). Each
    document is a dict of the fields ``stemma inspect --format json`` gives (``id``,
    ``source``, ``title``, ``published``, ``url``, ``chars``, ``sentences`` — the list every
    ``sentence`` index of a report points into) plus ``text``, the normalised text; each
    skipped input a dict ``{"source", "reason"}``.
    """
    items, bad = _items(paths, "raise")
    report = json.loads(_stemma.read(items, max_document_bytes))
    return report["documents"], bad + report["skipped"]


def analyze(
    docs_or_paths: Any,
    format: Literal["dict", "json", "html", "text"] = "dict",
    *,
    errors: Literal["raise", "skip"] = "raise",
    max_document_bytes: Optional[int] = None,
) -> Any:
    """Find the stories, each story's original, every version's parent and derivation,
    and the facts each version changed, dropped or added: ``stemma analyze``.

    ``format="dict"`` gives the JSON report of SPEC.md as a dict (``documents``,
    ``skipped``, ``stories``); ``"json"`` the same as text, byte for byte what
    ``stemma analyze --format json --no-model`` writes; ``"html"`` the self-contained HTML
    page; ``"text"`` the readable report. ``ValueError`` when no document could be read.
    """
    if format not in ("dict", "json", "html", "text"):
        raise ValueError(f'format={format!r}: expected "dict", "json", "html" or "text"')
    items, bad = _items(docs_or_paths, errors)
    if not items:
        raise ValueError("no document given" + (f" ({len(bad)} skipped)" if bad else ""))
    report, _ = _stemma.analyze(items, "json" if format == "dict" else format, max_document_bytes)
    if format != "dict":
        return report
    parsed = json.loads(report)
    parsed["skipped"] = bad + parsed["skipped"]
    return parsed


def compare(
    source: Any,
    version: Any,
    format: Literal["dict", "json", "html", "text"] = "dict",
    *,
    max_document_bytes: Optional[int] = None,
) -> Any:
    """Hold one version against its source: similarity, derivation, alignments, drift —
    ``stemma compare SOURCE VERSION``.

    Each of ``source`` and ``version`` is a text (``str``), a document dict, or a path
    (``os.PathLike``; the first document read from it). ``format="dict"`` gives the result
    as a dict; ``"json"`` as the text ``stemma compare --format json --no-model`` writes;
    ``"html"`` and ``"text"`` as those reports.
    """
    if format not in ("dict", "json", "html", "text"):
        raise ValueError(f'format={format!r}: expected "dict", "json", "html" or "text"')
    result = _stemma.compare(
        _single(source, "source"),
        _single(version, "version"),
        "json" if format == "dict" else format,
        max_document_bytes,
    )
    return json.loads(result) if format == "dict" else result


def cluster(
    docs: Any,
    *,
    errors: Literal["raise", "skip"] = "raise",
    max_document_bytes: Optional[int] = None,
) -> list[dict]:
    """Group documents into stories: ``stemma cluster``.

    Returns one dict per story, singletons included, in the order and form of the
    command's JSON Lines: ``{"story": "s1", "documents": [ids…]}`` (stories ordered by
    their first id, ids sorted). Skipped inputs are reported as :class:`SkippedWarning`.
    """
    items, bad = _items(docs, errors)
    stories, skipped = _stemma.cluster_items(items, max_document_bytes)
    for skip in bad + [{"source": s, "reason": r} for s, r in skipped]:
        warnings.warn(f"stemma: skipped {skip['source']}: {skip['reason']}", SkippedWarning, stacklevel=2)
    return [{"story": story, "documents": ids} for story, ids in stories]
