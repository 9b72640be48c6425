"""An index on disk: a folder of plain files per version, and a CURRENT pointer.

    <index_dir>/CURRENT                 name of the version being served (replaced atomically)
    <index_dir>/versions/<version>/     params.json documents.jsonl sentences.jsonl chunks.jsonl
                                        vectors.faiss sentence_vectors.npy bm25/ files.json
    <index_dir>/quarantine/<version>.bad-<time>/   a version that failed verification, kept to look at

A build writes a new version folder beside the served one and only then swaps CURRENT, so a
failed build leaves the last good index serving. `files.json`, written last before the folder
is renamed into place, records every file's size and SHA-256 and the counts of documents,
sentences, chunks and vectors; loading checks sizes and counts always and hashes on request, so
a truncated, emptied or altered file is refused as damaged instead of served.
"""

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from filelock import FileLock
from numpy.typing import NDArray

from index.errors import IndexDamagedError, IndexMismatchError, IndexMissingError
from index.lexical import LexicalIndex
from index.types import Chunk, Document, Sentence

FORMAT_VERSION = 2  # 2: files.json records sizes, hashes and counts
RECORD = "files.json"
_REQUIRED = (
    "params.json",
    "documents.jsonl",
    "sentences.jsonl",
    "chunks.jsonl",
    "vectors.faiss",
    "sentence_vectors.npy",
)
_KEEP_VERSIONS = 2
_KEEP_QUARANTINED = 3
# What a damaged file makes the readers raise: json and numpy (ValueError), faiss (RuntimeError),
# rows of the wrong shape (TypeError, KeyError), short reads (EOFError, OSError).
_READ_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RuntimeError, EOFError)


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
    _write_json(tmp / RECORD, {"files": _file_records(tmp), "counts": counts(index)})
    _fsync_tree(tmp)
    os.replace(tmp, final)
    return final


def counts(index: StoredIndex) -> dict[str, int]:
    """How many documents, sentences, chunks and vectors a loaded index holds."""
    return {
        "documents": len(index.documents),
        "sentences": len(index.sentences),
        "chunks": len(index.chunks),
        "vectors": int(index.chunk_vectors.ntotal),
        "sentence_vectors": len(index.sentence_vectors),
        "bm25_texts": index.lexical.indexed(),
    }


def build_lock(index_dir: Path) -> FileLock:
    """The lock that builds, publishing and setting a version aside hold: one writer at a time."""
    return FileLock(str(index_dir / ".build.lock"))


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
    return _read_params_file(index_dir / "versions" / version / "params.json")


def load_index(index_dir: Path, expected: IndexParams | None = None, check_hashes: bool = False) -> StoredIndex:
    """Load the served version, verified against its files.json: sizes and counts always,
    SHA-256 too when `check_hashes`. A damaged version is an IndexDamagedError; one that does
    not match `expected` (or is of an older format) an IndexMismatchError."""
    version = current_version(index_dir)
    if version is None:
        raise IndexMissingError(f"no index in {index_dir}: build one with `python -m index build`")
    folder = index_dir / "versions" / version
    params, written = _verified(folder, version, check_hashes)
    if expected is not None and params != expected:
        raise IndexMismatchError(mismatch_message(index_dir, params, expected))
    try:
        index = _load_folder(folder, version, params)
    except _READ_ERRORS as exc:
        raise IndexDamagedError(version, f"{type(exc).__name__}: {exc}") from exc
    _check_counts(index, written)
    return index


def set_aside(index_dir: Path, version: str) -> Path | None:
    """Stop serving a damaged version and move it to quarantine/ (kept to look at, the newest
    three); None when another process moved it already. The caller holds build_lock."""
    if current_version(index_dir) == version:
        (index_dir / "CURRENT").unlink()
        _fsync_dir(index_dir)
    folder = index_dir / "versions" / version
    if not folder.is_dir():
        return None
    quarantine = index_dir / "quarantine"
    quarantine.mkdir(exist_ok=True)
    dest = quarantine / f"{version}.bad-{time.strftime('%Y%m%dT%H%M%S')}"
    os.replace(folder, dest)
    _fsync_dir(folder.parent)
    _fsync_dir(quarantine)
    for old in sorted(quarantine.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)[_KEEP_QUARANTINED:]:
        shutil.rmtree(old, ignore_errors=True)
    return dest


def _verified(folder: Path, version: str, check_hashes: bool) -> tuple[IndexParams, dict[str, int]]:
    """The version's params and recorded counts, once every recorded file checks out."""
    params = _read_params_file(folder / "params.json")
    if params is not None and params.version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"the index in {folder} has format {params.version}, this code reads format {FORMAT_VERSION};"
            " rebuild it with `python -m index build`"
        )
    files, written = _read_record(folder, version)
    for name, (size, sha256) in files.items():
        _check_file(folder, name, size, sha256 if check_hashes else None, version)
    if params is None:
        raise IndexDamagedError(version, "params.json cannot be read")
    return params, written


def _read_record(folder: Path, version: str) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    try:
        raw = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        files = {str(k): (int(v["size"]), str(v["sha256"])) for k, v in raw["files"].items()}
        written = {str(k): int(v) for k, v in raw["counts"].items()}
    except _READ_ERRORS as exc:
        raise IndexDamagedError(version, f"{RECORD} cannot be read ({type(exc).__name__}: {exc})") from exc
    missing = [name for name in _REQUIRED if name not in files]
    if missing:
        raise IndexDamagedError(version, f"{RECORD} does not record {', '.join(missing)}")
    return files, written


def _check_file(folder: Path, name: str, size: int, sha256: str | None, version: str) -> None:
    path = folder / name
    try:
        found = path.stat().st_size
    except OSError as exc:
        raise IndexDamagedError(version, f"{name} cannot be read ({exc.strerror})") from exc
    if found != size:
        raise IndexDamagedError(version, f"{name} has {found} bytes, {size} were written")
    if sha256 is not None and _sha256(path) != sha256:
        raise IndexDamagedError(version, f"{name} is not the file that was written (SHA-256 differs)")


def _check_counts(index: StoredIndex, written: dict[str, int]) -> None:
    found = counts(index)
    wrong = [f"{k}: {found.get(k)} loaded, {v} written" for k, v in written.items() if found.get(k) != v]
    dim = index.params.dim
    if index.chunk_vectors.d != dim or index.sentence_vectors.shape[1:] != (dim,):
        wrong.append(f"vectors are not of dimension {dim}")
    if wrong:
        raise IndexDamagedError(index.version_id, "; ".join(wrong))


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


def _read_params_file(path: Path) -> IndexParams | None:
    try:
        return IndexParams(**json.loads(path.read_text(encoding="utf-8")))
    except _READ_ERRORS:
        return None


def mismatch_message(index_dir: Path, found: IndexParams, expected: IndexParams) -> str:
    """What differs between an index and the configuration, and how to rebuild."""
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


def _file_records(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


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
