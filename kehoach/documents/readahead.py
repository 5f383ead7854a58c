"""The evidence package's files read a batch ahead, by a second process.

On a package of few-KB files, opening, reading and hashing each file is a sixth of what the
process writing the ZIP does, and most of it waits on the system. ``Readahead`` hands those to a
worker process (``python -m kehoach.documents.readahead <folder>``, no Django, no database):
the writer asks for a batch of files by their storage names while it writes the batch before,
and gets each file's bytes and SHA-256 back in the order asked.

Only files on a local storage, under a name ``evidence_zip`` has checked, of a recorded size up
to a limit: anything else the writer reads itself. A file with more bytes than recorded comes
back as ``LARGER`` (the writer copies it itself, in pieces); one that cannot be read as
``MISSING``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Sequence

from .workers import Worker

MISSING = "missing"
LARGER = "larger"


class Readahead(Worker):
    """The worker reading the files."""

    name = "file reader"

    def __init__(self, folder: str):
        super().__init__("kehoach.documents.readahead", folder)

    def request(self, files: Sequence[tuple[str, int]]) -> None:
        """Ask for ``(storage name, recorded size)`` files; answered by the next ``results()``."""
        self.send(list(files), flush=True)

    def results(self) -> list:
        """For each file of the oldest request not yet answered: ``(bytes, sha256)``,
        ``MISSING`` or ``LARGER``."""
        return self.receive()

    def close(self) -> None:
        self.send(None)
        self.end_input()
        self.wait()


def read(folder: str, name: str, size: int):
    """One file's answer: its bytes and SHA-256 if it has exactly ``size`` bytes or fewer."""
    try:
        with open(os.path.join(folder, name), "rb") as source:
            data = source.read(size + 1)
    except OSError:
        return MISSING
    if len(data) > size:
        return LARGER
    return data, hashlib.sha256(data).hexdigest()


def _serve(folder: str) -> None:
    source, out = sys.stdin.buffer, sys.stdout.buffer
    while (files := pickle.load(source)) is not None:  # noqa: S301 - from our parent process
        pickle.dump(
            [read(folder, name, size) for name, size in files],
            out,
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        out.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])
