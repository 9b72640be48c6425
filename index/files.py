"""Durable file writes: write beside, fsync, rename, fsync the folder."""

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace path with data so that a crash leaves either the old or the new file whole."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (renames, new files) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
