"""Real servers for the tests: bench.server's one Server class, in the shapes the tests use."""

import itertools
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.server import Server, ServerError, free_port, running, server_env, trainerqa_env

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

__all__ = ["CORPUS", "ROOT", "Server", "ServerError", "free_port", "running_server", "server_env", "server_over"]

_logs = itertools.count()


@contextmanager
def running_server(env: dict[str, str], ready: str = "/readyz", args: Sequence[str] = ()) -> Iterator[str]:
    """`python -m service` with these variables on a free port, once `ready` answers 200; yields its URL.

    Its output goes to a temporary file; a ServerError (it died, or never got ready) carries the file's tail."""
    with tempfile.TemporaryDirectory(prefix="trainerqa-server-") as tmp:
        with running(env, Path(tmp) / "server.log", args, ready) as server:
            yield server.url


def server_over(root: Path, wait: bool = True, **variables: object) -> Server:
    """A server over root/corpus and root/index, with its feedback, curated answers and its log (server-<n>.log)
    in root; ready, or only spawned when not `wait`. The caller stops it."""
    env = trainerqa_env(
        **{
            "corpus_dir": root / "corpus",
            "index_dir": root / "index",
            "feedback_db": root / "feedback.sqlite3",
            "curated_db": root / "curated.sqlite3",
        }
        | variables
    )
    server = Server(env, root / f"server-{next(_logs)}.log")
    if not wait:
        return server.spawn()
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
