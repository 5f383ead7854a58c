"""The documents' worker processes: ``python -m <module> …`` of this package, on the second
core, fed and answered through pipes of pickled values (``catalogue``, ``readahead``).

A worker imports no model and reads no database: everything it needs comes through its
standard input. Whatever it writes to its standard error is kept, and its last line is the
message of the ``RuntimeError`` raised when it dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

#: the pipes' size (Linux; 64 KiB by default): a batch is handed over in one write while the
#: worker is still busy with the one before, instead of waiting for it
PIPE_BYTES = 1 << 20


class Worker:
    """A worker process and the two ends of its pipes."""

    #: how the error names it
    name = "worker"

    def __init__(self, module: str, *args: str):
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in wait() or abort()
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", module, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env={**os.environ, "PYTHONPATH": _package_root()},
        )
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(AttributeError, OSError):
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def send(self, value, *, flush: bool = False) -> None:
        try:
            pickle.dump(value, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            if flush:
                self.process.stdin.flush()
        except BrokenPipeError:
            self.failed()

    def receive(self):
        try:
            return pickle.load(self.process.stdout)  # noqa: S301 - our own worker
        except (EOFError, pickle.UnpicklingError):  # it died, maybe halfway through an answer
            self.failed()

    def end_input(self) -> None:
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()

    def wait(self) -> None:
        """Wait for the worker to exit; a failure raises."""
        if self.process.wait() != 0:
            self.failed()
        self.process.stdout.close()
        self.errors.close()

    def abort(self) -> None:
        """Stop the worker (the work failed on our side) and let go of its pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        self.errors.close()

    def failed(self) -> NoReturn:
        self.process.kill()
        self.process.wait()
        self.errors.seek(0)
        detail = self.errors.read().decode(errors="replace").strip().splitlines()
        self.abort()
        raise RuntimeError(
            f"the evidence {self.name} failed: " + (detail[-1] if detail else "no output")
        )


def _package_root() -> str:
    """The folder holding the ``kehoach`` package, first on the worker's path (the parent may
    run from a checkout that is not installed)."""
    root = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH", "")
    return root + (os.pathsep + rest if rest else "")
