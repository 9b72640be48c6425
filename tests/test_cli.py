import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_cli_adds_lists_builds_and_removes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    article = tmp_path / "note.md"
    article.write_text("# Jinshan\n\nThe Jinshan AI trainer class has 95 students this autumn.\n", encoding="utf-8")
    added = run("add", str(article), "--title", "Jinshan class", "--doc-id", "jinshan-class", "--corpus", str(corpus))
    assert added.returncode == 0, added.stderr
    assert "added jinshan-class (en" in added.stdout
    listed = run("list", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert "jinshan-class\ten\t-\tJinshan class" in listed.stdout and "index: none" in listed.stdout
    built = run("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert built.returncode == 0 and "6 documents" in built.stdout
    assert run("remove", "jinshan-class", "--corpus", str(corpus)).returncode == 0
    assert "jinshan-class" not in run("list", "--corpus", str(corpus)).stdout
    missing = run("remove", "jinshan-class", "--corpus", str(corpus))
    assert missing.returncode != 0 and "no document" in missing.stderr
