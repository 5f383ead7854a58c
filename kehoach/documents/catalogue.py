"""The evidence package's catalogue: ``index.xlsx`` and the entries of ``manifest.json``.

``evidence_zip.write_package`` copies the files into the ZIP; everything written *about* them
is made here, one entry per file, link or document, in package order. On a province-sized
package that is more work than the copying itself (an index row is a dozen XlsxWriter cells),
so a large package has its catalogue made by a second process on the second core, fed through
a pipe as the files are copied (``CatalogueProcess``, run as ``python -m
kehoach.documents.catalogue``); a small one makes it in-process (``Catalogue``). Both write the
same bytes from the same entries.

This module imports no model and needs no database: the worker process only configures the
time zone and the translated labels it is handed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: the columns ``evidence_zip`` reads for each piece of evidence, in this order
FIELDS = (
    "id",
    "kind",
    "file",
    "safe_name",
    "original_name",
    "mime",
    "size",
    "sha256",
    "url",
    "doc_number",
    "doc_date",
    "doc_issuer",
    "report_id",
    "report__started_on",
    "report__ended_on",
    "report__decided_at",
    "report__decided_by__username",
    "report__decided_by__full_name",
    "report__assignment__task__code",
    "report__assignment__task__title",
    "report__assignment__unit_id",
    "report__assignment__unit__name",
)
(
    ID,
    KIND,
    FILE,
    SAFE_NAME,
    ORIGINAL_NAME,
    MIME,
    SIZE,
    SHA256,
    URL,
    DOC_NUMBER,
    DOC_DATE,
    DOC_ISSUER,
    REPORT_ID,
    STARTED_ON,
    ENDED_ON,
    DECIDED_AT,
    REVIEWER_USERNAME,
    REVIEWER_NAME,
    TASK_CODE,
    TASK_TITLE,
    UNIT_ID,
    UNIT_NAME,
) = range(len(FIELDS))
#: entries sent to the worker at a time: few pickle calls, little memory
BATCH = 1000


@dataclass(frozen=True)
class Labels:
    """What the catalogue writes in the reader's language, translated by the caller."""

    files_sheet: object  # xlsx.Sheet
    links_sheet: object  # xlsx.Sheet
    matched: str
    unmatched: str
    missing: str
    link: str
    document: str
    accepted: str  # the report status written in the manifest ("accepted")
    time_zone: str


def _iso(value, tz) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).isoformat("T", "seconds")
    return value.isoformat()


INDEX, MANIFEST = "index", "manifest"


class Catalogue:
    """Index rows and manifest entries, written to files in ``folder`` as they come:
    ``index.xlsx`` (part ``INDEX``), ``files.jsonl`` and ``links.jsonl`` (part ``MANIFEST``: one
    manifest entry a line). A catalogue may make one part, and another the other."""

    def __init__(self, folder: str | Path, labels: Labels, parts=(INDEX, MANIFEST)):
        from zoneinfo import ZoneInfo

        from .xlsx import Book

        folder = Path(folder)
        self.labels = labels
        self.tz = ZoneInfo(labels.time_zone)
        self.book = self.files_spool = self.links_spool = None
        if INDEX in parts:
            self.book = Book(folder / "index.xlsx")
            self.files_index = self.book.sheet(labels.files_sheet)
            self.links_index = self.book.sheet(labels.links_sheet)
        if MANIFEST in parts:
            self.files_spool = (folder / "files.jsonl").open("w", encoding="utf-8")
            self.links_spool = (folder / "links.jsonl").open("w", encoding="utf-8")
        self.files = self.others = 0

    def _common(self, row: Sequence, reviewer: str) -> dict:
        return {
            "evidence_id": row[ID],
            "task": row[TASK_CODE],
            "unit": row[UNIT_NAME],
            "report_id": row[REPORT_ID],
            "report_date": _iso(row[ENDED_ON] or row[STARTED_ON], self.tz),
            "report_status": self.labels.accepted,
            "reviewer": reviewer,
            "reviewed_at": _iso(row[DECIDED_AT], self.tz),
        }

    def add(self, entry: tuple) -> None:
        """``(row, path, sha256, size)`` for a file (``sha256`` ``None``: missing from storage),
        ``(row,)`` for a link or a document."""
        row = entry[0]
        labels = self.labels
        reviewer = row[REVIEWER_NAME] or row[REVIEWER_USERNAME] or ""
        if len(entry) == 1:
            self.others += 1
            if row[KIND] == "link":
                label, what = labels.link, row[URL]
            else:
                date = f"ngày {row[DOC_DATE]:%d/%m/%Y}" if row[DOC_DATE] else ""
                what = " ".join(p for p in (row[DOC_NUMBER], date, row[DOC_ISSUER]) if p)
                label = labels.document
            if self.links_spool is not None:
                kind = "link" if row[KIND] == "link" else "document"
                item = {"type": kind, ("url" if kind == "link" else "document"): what}
                item.update(self._common(row, reviewer))
                self.links_spool.write(json.dumps(item, ensure_ascii=False) + "\n")
            if self.book is not None:
                self.links_index.append(
                    [
                        self.others,
                        row[TASK_CODE],
                        row[UNIT_NAME],
                        row[REPORT_ID],
                        row[ENDED_ON] or row[STARTED_ON],
                        label,
                        what,
                        reviewer,
                    ]
                )
            return
        _row, path, sha, size = entry
        self.files += 1
        missing = sha is None
        if self.files_spool is not None:
            item = {
                "type": "file",
                "path": path,
                "sha256": sha,
                "size": size,
                "sha256_at_upload": row[SHA256],
                "matches_upload": not missing and sha == row[SHA256],
                "missing": missing,
                "original_name": row[ORIGINAL_NAME],
                "mime": row[MIME],
            }
            item.update(self._common(row, reviewer))
            self.files_spool.write(json.dumps(item, ensure_ascii=False) + "\n")
        if self.book is not None:
            if missing:
                state = labels.missing
            else:
                state = labels.matched if sha == row[SHA256] else labels.unmatched
            self.files_index.append(
                [
                    self.files,
                    path,
                    row[TASK_CODE],
                    row[UNIT_NAME],
                    row[REPORT_ID],
                    row[ENDED_ON] or row[STARTED_ON],
                    reviewer,
                    row[DECIDED_AT],
                    row[ORIGINAL_NAME],
                    size,
                    sha,
                    state,
                ]
            )

    def close(self) -> None:
        if self.book is not None:
            self.book.close()
        self.abort()

    def abort(self) -> None:
        """Let go of the files (the package failed: the index is not written)."""
        if self.files_spool is not None:
            self.files_spool.close()
            self.links_spool.close()


class CatalogueProcess:
    """The same as ``Catalogue``, made by a worker process fed through a pipe: entries are
    batched and pickled to its standard input; ``close()`` waits for it to write the files."""

    def __init__(self, folder: str | Path, labels: Labels, parts=(INDEX, MANIFEST)):
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "kehoach.documents.catalogue", str(folder), *parts],
            stdin=subprocess.PIPE,
            stderr=self.errors,
            env={**os.environ, "PYTHONPATH": _package_root()},
        )
        self.batch: list[tuple] = []
        self._send(labels)

    def _send(self, value) -> None:
        try:
            pickle.dump(value, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            self._failed()

    def add(self, entry: tuple) -> None:
        self.batch.append(entry)
        if len(self.batch) >= BATCH:
            self._send(self.batch)
            self.batch = []

    def close(self) -> None:
        if self.batch:
            self._send(self.batch)
            self.batch = []
        self._send(None)
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        if self.process.wait() != 0:
            self._failed()
        self.errors.close()

    def abort(self) -> None:
        """Stop the worker (the package failed on our side)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.errors.close()

    def _failed(self):
        self.process.kill()
        self.process.wait()
        self.errors.seek(0)
        detail = self.errors.read().decode(errors="replace").strip().splitlines()
        self.errors.close()
        raise RuntimeError(
            "the evidence catalogue worker failed: " + (detail[-1] if detail else "no output")
        )


class SplitCatalogue:
    """The index made by a worker process, the manifest here: the two halves of the work on
    the two cores, the index being the larger."""

    def __init__(self, folder: str | Path, labels: Labels):
        self.worker = CatalogueProcess(folder, labels, (INDEX,))
        self.local = Catalogue(folder, labels, (MANIFEST,))

    def add(self, entry: tuple) -> None:
        self.worker.add(entry)
        self.local.add(entry)

    def close(self) -> None:
        self.local.close()
        self.worker.close()

    def abort(self) -> None:
        self.worker.abort()
        self.local.abort()


def _package_root() -> str:
    """The folder holding the ``kehoach`` package, first on the worker's path (the parent may
    run from a checkout that is not installed)."""
    root = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH", "")
    return root + (os.pathsep + rest if rest else "")


def _serve(folder: str, parts: Sequence[str]) -> None:
    """The worker: labels, then batches of entries until ``None``; then the files are closed."""
    from django.conf import settings

    source = sys.stdin.buffer
    labels = pickle.load(source)  # noqa: S301 - from our parent process
    settings.configure(USE_TZ=True, TIME_ZONE=labels.time_zone)
    catalogue = Catalogue(folder, labels, parts)
    while (batch := pickle.load(source)) is not None:  # noqa: S301
        for entry in batch:
            catalogue.add(entry)
    catalogue.close()


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2:])
