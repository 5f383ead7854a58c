"""The evidence package's catalogue: ``index.xlsx`` and the entries of ``manifest.json``.

``evidence_zip.write_package`` copies the files into the ZIP; everything written *about* them
is made here (``write_catalogue``), one entry per file, link or document, in package order. On
a province-sized package the manifest entries and the index rows together cost about as much
as copying the files, so a large package has its catalogue made by a second process on the
second core, fed through a pipe as the files are copied (``CatalogueProcess``, run as ``python
-m kehoach.documents.catalogue``), the index written row by row as the entries arrive; a small
one is spooled and made in-process at the end (``Catalogue``). Both write the same bytes from
the same entries.

This module imports no model and needs no database: the worker process only configures the
time zone and the translated labels it is handed.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .workers import Worker

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
#: what the worker answers once the manifest's files are complete
ENTRIES_DONE = "entries done"


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


class _Entries:
    """Turns entries into manifest lines (written at once) and index rows (yielded to the
    index writer: the files' sheet as they come, the links' and documents' sheet after it,
    from a spool)."""

    def __init__(self, labels: Labels, files_out, links_out, others, entries_done):
        from zoneinfo import ZoneInfo

        self.labels = labels
        self.tz = ZoneInfo(labels.time_zone)
        self.files_out, self.links_out, self.others = files_out, links_out, others
        self.files = self.other_count = 0
        self.batch: list[list] = []
        self.entries_done = entries_done

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

    def file_rows(self, batches: Iterable[Sequence[tuple]]) -> Iterator[list]:
        """The files' index rows; the links and documents go to the spool on the way."""
        for batch in batches:
            for entry in batch:
                if len(entry) == 1:
                    self._other(entry[0])
                else:
                    yield self._file(*entry)
        if self.batch:
            pickle.dump(self.batch, self.others, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []
        self.files_out.close()
        self.links_out.close()
        self.entries_done()

    def other_rows(self) -> Iterator[list]:
        """The links' and documents' index rows, from the spool (once the files' are done)."""
        for batch in _spooled(self.others):
            yield from batch

    def _file(self, row: Sequence, path: str, sha: str | None, size: int | None) -> list:
        labels = self.labels
        reviewer = row[REVIEWER_NAME] or row[REVIEWER_USERNAME] or ""
        self.files += 1
        missing = sha is None
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
        self.files_out.write(
            ("  " if self.files == 1 else ",\n  ") + json.dumps(item, ensure_ascii=False)
        )
        if missing:
            state = labels.missing
        else:
            state = labels.matched if sha == row[SHA256] else labels.unmatched
        return [
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

    def _other(self, row: Sequence) -> None:
        labels = self.labels
        reviewer = row[REVIEWER_NAME] or row[REVIEWER_USERNAME] or ""
        self.other_count += 1
        if row[KIND] == "link":
            kind, label, what = "link", labels.link, row[URL]
        else:
            date = f"ngày {row[DOC_DATE]:%d/%m/%Y}" if row[DOC_DATE] else ""
            what = " ".join(p for p in (row[DOC_NUMBER], date, row[DOC_ISSUER]) if p)
            kind, label = "document", labels.document
        item = {"type": kind, ("url" if kind == "link" else "document"): what}
        item.update(self._common(row, reviewer))
        sep = "  " if self.other_count == 1 else ",\n  "
        self.links_out.write(sep + json.dumps(item, ensure_ascii=False))
        self.batch.append(
            [
                self.other_count,
                row[TASK_CODE],
                row[UNIT_NAME],
                row[REPORT_ID],
                row[ENDED_ON] or row[STARTED_ON],
                label,
                what,
                reviewer,
            ]
        )
        if len(self.batch) >= BATCH:
            pickle.dump(self.batch, self.others, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []


def write_catalogue(
    folder: str | Path,
    labels: Labels,
    batches: Iterable[Sequence[tuple]],
    entries_done: Callable[[], None] = lambda: None,
) -> None:
    """``index.xlsx``, ``files.items`` and ``links.items`` in ``folder`` from the batches of
    entries, in package order: ``(row, path, sha256, size)`` for a file (``sha256`` ``None``:
    missing from storage), ``(row,)`` for a link or a document. The batches are read as the
    index is written, so they may be fed while the package is copied. The ``.items`` files hold
    the manifest's entries as the items of its two JSON arrays (indented, comma-separated), so
    they go into ``manifest.json`` as they are. ``entries_done()`` is called once the last
    batch is read and the two ``.items`` files are complete, before the index is finished."""
    from .xlsx import write_tables

    folder = Path(folder)
    with (
        (folder / "files.items").open("w", encoding="utf-8") as files_out,
        (folder / "links.items").open("w", encoding="utf-8") as links_out,
        tempfile.TemporaryFile() as others,
    ):
        entries = _Entries(labels, files_out, links_out, others, entries_done)
        write_tables(
            folder / "index.xlsx",
            [
                replace(labels.files_sheet, rows=entries.file_rows(batches)),
                replace(labels.links_sheet, rows=entries.other_rows()),
            ],
        )


def _spooled(spool) -> Iterator[list[tuple]]:
    end = spool.tell()
    spool.seek(0)
    while spool.tell() < end:
        yield pickle.load(spool)  # noqa: S301 - our own spool


class Catalogue:
    """The catalogue made in this process: entries are spooled to a temporary file as they
    come, and the files are written from it at ``close()``."""

    def __init__(self, folder: str | Path, labels: Labels):
        self.folder, self.labels = folder, labels
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close() or abort()
        self.batch: list[tuple] = []

    def add(self, entry: tuple) -> None:
        self.batch.append(entry)
        if len(self.batch) >= BATCH:
            pickle.dump(self.batch, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def end(self) -> None:
        """No more entries: the manifest's ``.items`` files (and here the index too) are
        written when this returns."""
        if self.batch:
            pickle.dump(self.batch, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []
        try:
            write_catalogue(self.folder, self.labels, _spooled(self.spool))
        finally:
            self.spool.close()

    def close(self) -> None:
        """Nothing left: ``end()`` wrote the index as well."""

    def abort(self) -> None:
        """Let go of the spool (the package failed: nothing is written)."""
        self.spool.close()


class CatalogueProcess(Worker):
    """The same as ``Catalogue``, made by a worker process fed through a pipe: entries are
    batched and pickled to its standard input; ``end()`` waits for it to write the manifest's
    files, ``close()`` for the index."""

    name = "catalogue worker"

    def __init__(self, folder: str | Path, labels: Labels):
        super().__init__("kehoach.documents.catalogue", str(folder))
        self.batch: list[tuple] = []
        self.send(labels)

    def add(self, entry: tuple) -> None:
        self.batch.append(entry)
        if len(self.batch) >= BATCH:
            self.send(self.batch)
            self.batch = []

    def end(self) -> None:
        """No more entries; returns once the worker has written the manifest's ``.items``
        files (it goes on with the index)."""
        if self.batch:
            self.send(self.batch)
            self.batch = []
        self.send(None)
        self.end_input()
        if self.receive() != ENTRIES_DONE:
            self.failed()

    def close(self) -> None:
        """Waits for the worker to finish ``index.xlsx``."""
        self.wait()


def _serve(folder: str) -> None:
    """The worker: labels, then batches of entries until ``None``, written as they come."""
    from django.conf import settings

    source = sys.stdin.buffer
    labels = pickle.load(source)  # noqa: S301 - from our parent process
    settings.configure(USE_TZ=True, TIME_ZONE=labels.time_zone)

    def batches() -> Iterator[list[tuple]]:
        while (batch := pickle.load(source)) is not None:  # noqa: S301
            yield batch

    def entries_done() -> None:
        pickle.dump(ENTRIES_DONE, sys.stdout.buffer)
        sys.stdout.buffer.flush()

    write_catalogue(folder, labels, batches(), entries_done)


if __name__ == "__main__":
    _serve(sys.argv[1])
