"""An index on disk: a folder of plain files per version, and a CURRENT pointer.

    <index_dir>/CURRENT                 name of the version being served (replaced atomically)
    <index_dir>/versions/<version>/     params.json documents.jsonl sentences.jsonl chunks.jsonl
                                        vectors.faiss sentence_vectors.npy bm25/

A build writes a new version folder beside the served one and only then swaps CURRENT, so a
failed build leaves the last good index serving.
"""

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from numpy.typing import NDArray

from index.errors import IndexMismatchError, IndexMissingError
from index.lexical import LexicalIndex
from index.types import Chunk, Document, Sentence

FORMAT_VERSION = 1
_KEEP_VERSIONS = 2


@dataclass(frozen=True)
class IndexParams:
    """What an index was built from; a mismatch with the configuration means rebuild."""

    version: int
    embedder: str
    dim: int
    corpus_sha256: str
    max_chars: int
    overlap: int


@dataclass
class StoredIndex:
    """Everything a query needs, loaded from one version folder."""

    version_id: str
    params: IndexParams
    documents: dict[str, Document]
    sentences: list[Sentence]
    chunks: list[Chunk]
    chunk_vectors: faiss.Index
    sentence_vectors: NDArray[np.float32]
    lexical: LexicalIndex


def write_version(index_dir: Path, version_id: str, index: StoredIndex) -> Path:
    """Write a complete version folder, fsynced, under a temporary name, then rename it."""
    final = index_dir / "versions" / version_id
    tmp = final.with_name(f".{version_id}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    _write_json(tmp / "params.json", asdict(index.params))
    _write_jsonl(tmp / "documents.jsonl", [asdict(d) for d in index.documents.values()])
    _write_jsonl(tmp / "sentences.jsonl", [asdict(s) for s in index.sentences])
    _write_jsonl(tmp / "chunks.jsonl", [asdict(c) for c in index.chunks])
    faiss.write_index(index.chunk_vectors, str(tmp / "vectors.faiss"))
    np.save(tmp / "sentence_vectors.npy", index.sentence_vectors)
    index.lexical.save(tmp / "bm25")
    _fsync_tree(tmp)
    os.replace(tmp, final)
    return final


def publish(index_dir: Path, version_id: str) -> None:
    """Point CURRENT at the version atomically, then drop versions older than the last two."""
    tmp = index_dir / ".CURRENT.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(version_id)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)
    _prune(index_dir, keep=version_id)


def remove_partial_versions(index_dir: Path) -> None:
    """Delete version folders that a crashed build left half written."""
    versions = index_dir / "versions"
    if versions.is_dir():
        for tmp in versions.glob(".*.tmp"):
            shutil.rmtree(tmp, ignore_errors=True)
    (index_dir / ".CURRENT.tmp").unlink(missing_ok=True)


def current_version(index_dir: Path) -> str | None:
    """The served version's name, or None when nothing was ever published."""
    try:
        return (index_dir / "CURRENT").read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def read_params(index_dir: Path) -> IndexParams | None:
    """The served version's build parameters, or None when there is none."""
    version = current_version(index_dir)
    if version is None:
        return None
    path = index_dir / "versions" / version / "params.json"
    try:
        return IndexParams(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, TypeError, json.JSONDecodeError):
        return None


def load_index(index_dir: Path, expected: IndexParams | None = None) -> StoredIndex:
    """Load the served version; refuse one that does not match `expected`."""
    version = current_version(index_dir)
    params = read_params(index_dir)
    if version is None or params is None:
        raise IndexMissingError(f"no index in {index_dir}: build one with `python -m index build`")
    if expected is not None and params != expected:
        raise IndexMismatchError(_mismatch_message(index_dir, params, expected))
    return _load_folder(index_dir / "versions" / version, version, params)


def _load_folder(folder: Path, version: str, params: IndexParams) -> StoredIndex:
    chunks = [Chunk(**row) for row in _read_jsonl(folder / "chunks.jsonl")]
    return StoredIndex(
        version_id=version,
        params=params,
        documents={row["doc_id"]: Document(**row) for row in _read_jsonl(folder / "documents.jsonl")},
        sentences=[Sentence(**row) for row in _read_jsonl(folder / "sentences.jsonl")],
        chunks=chunks,
        chunk_vectors=faiss.read_index(str(folder / "vectors.faiss"), faiss.IO_FLAG_MMAP),
        sentence_vectors=np.load(folder / "sentence_vectors.npy", mmap_mode="r"),
        lexical=LexicalIndex.load(folder / "bm25", len(chunks)),
    )


def _mismatch_message(index_dir: Path, found: IndexParams, expected: IndexParams) -> str:
    diffs = [
        f"{k}: index has {v!r}, configuration wants {getattr(expected, k)!r}"
        for k, v in asdict(found).items()
        if getattr(expected, k) != v
    ]
    return f"the index in {index_dir} does not match ({'; '.join(diffs)}); rebuild it with `python -m index build`"


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    for sub in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        _fsync_dir(sub)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(index_dir: Path, keep: str) -> None:
    versions = sorted(
        (p for p in (index_dir / "versions").iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in [v for v in versions if v.name != keep][_KEEP_VERSIONS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
