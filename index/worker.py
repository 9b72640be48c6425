"""Parse an upload in a child process that is killed when it runs past its time limit.

A thread cannot be stopped, and parsers hold the GIL: a 3 kB PDF that draws one string
200,000 times per page took 1.7 s a page inside the server, and froze every route meanwhile.
A process can be killed. Children are forked from a forkserver that has the parsers imported
already, so a child starts in milliseconds, and is forked from a process without threads.
"""

import json
import multiprocessing
from functools import cache
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess

from index.errors import DocumentTooLargeError, QAIndexError, UnreadableDocumentError, UnsupportedDocumentError
from index.extract import Extracted, ParseLimits, extract

_PRELOAD = ["index.worker", "pypdf", "trafilatura"]
_ERRORS: dict[str, type[QAIndexError]] = {
    e.__name__: e for e in (UnsupportedDocumentError, DocumentTooLargeError, UnreadableDocumentError)
}


def extract_in_worker(data: bytes, filename: str, limits: ParseLimits, seconds: float) -> Extracted:
    """`extract` in a child process; UnreadableDocumentError when it takes over `seconds`."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_extract_and_send, args=(sender, data, filename, limits), daemon=True)
    child.start()
    sender.close()
    try:
        reply = _reply(receiver, child, seconds)
    finally:
        child.kill()
        child.join()
        receiver.close()
    if "error" in reply:
        raise _ERRORS[reply["error"]](reply["detail"])
    return Extracted(reply["text"], reply["kind"])


@cache
def _context() -> ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def _reply(receiver: Connection, child: BaseProcess, seconds: float) -> dict[str, str]:
    """The child's reply: JSON, never a pickle, as the child has handled hostile bytes."""
    if not receiver.poll(seconds):
        raise UnreadableDocumentError(f"the file could not be parsed within {seconds:g} s")
    try:
        reply: dict[str, str] = json.loads(receiver.recv_bytes())
        return reply
    except EOFError:
        child.join()
    if child.exitcode is not None and child.exitcode < 0:  # a signal: out of memory, or a crash in a C parser
        raise UnreadableDocumentError(f"the parser was killed (signal {-child.exitcode}); the file may be malformed")
    raise RuntimeError(f"the parsing worker stopped with exit code {child.exitcode} before it replied")


def _extract_and_send(sender: Connection, data: bytes, filename: str, limits: ParseLimits) -> None:
    """The child's work: the text, or the error that says why there is none."""
    reply: dict[str, str]
    try:
        extracted = extract(data, filename, limits)
        reply = {"text": extracted.text, "kind": extracted.kind}
    except tuple(_ERRORS.values()) as exc:
        reply = {"error": type(exc).__name__, "detail": str(exc)}
    except Exception as exc:  # a parser bug on hostile input is the file's fault, not ours
        reply = {"error": "UnreadableDocumentError", "detail": f"the file could not be parsed ({type(exc).__name__})"}
    sender.send_bytes(json.dumps(reply, ensure_ascii=False).encode())
    sender.close()
