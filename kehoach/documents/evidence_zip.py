"""The evidence package (hồ sơ tài liệu kiểm chứng) as a ZIP, written in constant memory.

One folder per task and unit ("II.1 Tuyên truyền …/UBND phường An Tịnh/"), each file of an
accepted report under a safe, readable name (``reporting.files.safe_filename``: the date of the
work and the file's own name). Beside them ``index.xlsx`` (every file, link and document with its
report and reviewer) and ``manifest.json`` (each file's path, SHA-256, size, report, reviewer).

Constant memory whatever the size: the database is read through a cursor in chunks, each file is
copied from storage into its ZIP member a chunk at a time (its SHA-256 computed on the way and
compared with the one recorded at upload), and the index and manifest rows are spooled to
temporary files, not kept in lists. A file missing from storage is listed as missing, not fatal.
The index and the manifest entries are made by ``catalogue``. From ``WORKER_FILES`` files on,
the package's three jobs run side by side on two cores: a worker reads the next batch of files
(``readahead``), this process writes the ZIP, and another worker makes the catalogue from what
it is fed as the files are copied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import os
import pickle
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.plans.models import Assignment, Plan
from kehoach.reporting.files import safe_filename
from kehoach.reporting.models import Evidence, EvidenceKind, ReportStatus

from . import catalogue as c
from .queries import Scope
from .readahead import MISSING, Readahead
from .xlsx import DATE, DATETIME, HYPERLINK_MAX, INT, LINK, Column, Sheet

CHUNK = 1024 * 1024
#: for the manifest and the other deflated members: fast, most of the size is the files anyway
COMPRESSLEVEL = 1
ROWS = 2000
#: the most bytes of files read ahead at a time (twice that in memory, at most)
AHEAD_BYTES = 16 << 20
#: from this many files on, files are read ahead and the catalogue made by worker processes:
#: starting them costs about a tenth of a second
WORKER_FILES = 2000
TITLE_CHARS = 70
#: already compressed: stored as they are (deflating them costs time and saves nothing)
STORED_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".heic", ".heif", ".mp4", ".mov", ".pdf", ".docx", ".xlsx", ".zip"}
)
SCHEMA = "kehoach.evidence-package/1"

Progress = Callable[[int, int], None]


@dataclass
class PackageStats:
    files: int = 0
    bytes: int = 0
    missing: int = 0
    mismatched: int = 0
    links: int = 0
    documents: int = 0


class _SpooledInfos:
    """zipfile's list of members, kept in a temporary file instead of in memory.

    ``ZipFile`` keeps a ``ZipInfo`` per member until it writes the central directory at close:
    about 0.6 KB per file, the only thing that would grow with the package. Members are written
    one after another, so when a member is added the previous one is complete: it is pickled to
    disk, and read back one by one when the central directory is written.
    """

    FIELDS = (
        "date_time",
        "compress_type",
        "comment",
        "extra",
        "create_system",
        "create_version",
        "extract_version",
        "reserved",
        "flag_bits",
        "volume",
        "internal_attr",
        "external_attr",
        "header_offset",
        "CRC",
        "compress_size",
        "file_size",
    )

    BATCH = 5000  # members pickled together: bounded memory, few pickle calls

    def __init__(self):
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the ZipFile
        self.count = 0
        self.batch: list[tuple] = []
        self.pending: zipfile.ZipInfo | None = None

    def append(self, info: zipfile.ZipInfo) -> None:
        if self.pending is not None:
            self.batch.append(self._values(self.pending))
            if len(self.batch) >= self.BATCH:
                pickle.dump(self.batch, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
                self.batch = []
        self.pending = info
        self.count += 1

    def __len__(self) -> int:
        return self.count

    _values = operator.attrgetter("filename", *FIELDS)

    def _restore(self, values: tuple) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(values[0], values[1])
        for name, value in zip(self.FIELDS[1:], values[2:], strict=True):
            setattr(info, name, value)
        return info

    def __iter__(self) -> Iterator[zipfile.ZipInfo]:
        end = self.spool.tell()
        self.spool.seek(0)
        while self.spool.tell() < end:
            for values in pickle.load(self.spool):  # noqa: S301 - our own spool
                yield self._restore(values)
        for values in self.batch:
            yield self._restore(values)
        if self.pending is not None:
            yield self.pending

    def close(self) -> None:
        self.spool.close()


class _Forgetful(dict):
    """zipfile's name → member map, not kept (names here are unique by construction)."""

    def __setitem__(self, key, value) -> None:
        pass


class StreamingZipFile(zipfile.ZipFile):
    """A ``ZipFile`` for writing whose memory does not grow with the number of members."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filelist = _SpooledInfos()
        self.NameToInfo = _Forgetful()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if isinstance(self.filelist, _SpooledInfos):
                self.filelist.close()


class _Forward:
    """The target as a stream, written forward only. ``zipfile`` then writes each member in
    one pass, its CRC and sizes in a data descriptor after it, instead of seeking back to
    rewrite its header (two seeks per file, each flushing the target's buffer: on a package of
    few-KB files, a tenth of the time)."""

    def __init__(self, target):
        self.write, self.flush = target.write, target.flush


def compress_type(name: str) -> int:
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot >= 0 else ""
    return zipfile.ZIP_STORED if extension in STORED_EXTENSIONS else zipfile.ZIP_DEFLATED


def package_evidence(plan: Plan, unit_ids: Scope = None) -> QuerySet:
    """The evidence of the accepted reports, in package order (task, unit, date): what a
    package holds (``package_rows`` reads it faster)."""
    qs = Evidence.objects.filter(
        report__assignment__task__plan=plan, report__status=ReportStatus.ACCEPTED
    )
    if unit_ids is not None:
        qs = qs.filter(report__assignment__unit_id__in=list(unit_ids))
    return qs.order_by(
        "report__assignment__task__position",
        "report__assignment__unit__name",
        "report__assignment__unit_id",
        "report__started_on",
        "report_id",
        "id",
    )


#: the columns of ``catalogue.FIELDS`` that come from the assignment, last in a row
_ASSIGNMENT_FIELDS = (
    "report__assignment__task__code",
    "report__assignment__task__title",
    "report__assignment__unit_id",
    "report__assignment__unit__name",
)
_OWN_FIELDS = c.FIELDS[: -len(_ASSIGNMENT_FIELDS)]
if c.FIELDS[len(_OWN_FIELDS) :] != _ASSIGNMENT_FIELDS:  # pragma: no cover - a layout change
    raise ImportError("catalogue.FIELDS must end with the assignment's columns")
#: an assignment no database holds: where the statement is compiled, the place of its id
_NO_ASSIGNMENT = -987_654_321_987


def package_rows(plan: Plan, unit_ids: Scope = None) -> Iterator[tuple]:
    """``package_evidence`` as ``catalogue.FIELDS`` rows, in the same order, read an
    assignment at a time.

    An assignment is one task for one unit, so its rows are consecutive in package order: the
    assignments come in that order (a small query), and one statement, compiled once, reads
    each one's evidence by its report (an index), sorted there by date, report and id. The
    database never sorts the whole package (150,000 wide rows took 0.7 s before the first
    one), and each row joins its report and reviewer only. Constant memory: a chunked cursor.
    """
    assignments = Assignment.objects.filter(task__plan=plan)
    if unit_ids is not None:
        assignments = assignments.filter(unit_id__in=list(unit_ids))
    assignments = assignments.order_by("task__position", "unit__name", "unit_id").values_list(
        "pk", "task__code", "task__title", "unit_id", "unit__name"
    )
    one = (
        Evidence.objects.filter(
            report__assignment_id=_NO_ASSIGNMENT, report__status=ReportStatus.ACCEPTED
        )
        .order_by("report__started_on", "report_id", "id")
        .values_list(*_OWN_FIELDS)
    )
    compiler = one.query.get_compiler(using=one.db)
    sql, params = compiler.as_sql()
    params = list(params)
    at = params.index(_NO_ASSIGNMENT)
    converters = compiler.get_converters([column for column, *_ in compiler.select])
    connection = connections[one.db]
    for pk, *assignment in assignments:
        params[at] = pk
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while True:
                rows = cursor.fetchmany(ROWS)
                fetched = len(rows)
                if converters:
                    rows = compiler.apply_converters(rows, converters)
                for row in rows:
                    yield (*row, *assignment)
                if fetched < ROWS:  # the last chunk: no FETCH for an empty one (PostgreSQL)
                    break


def _short(title: str, limit: int = TITLE_CHARS) -> str:
    """The title's words that fit in ``limit`` characters (never a word cut in half)."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") or title[:limit]


def _folder(row: Sequence) -> str:
    title = _short(row[c.TASK_TITLE])
    task = safe_filename(f"{row[c.TASK_CODE]} {title}", default_stem="noi-dung")
    unit = safe_filename(row[c.UNIT_NAME], default_stem="don-vi")
    return f"{task}/{unit}"


class _Folders:
    """Folder names by (task, unit), made once each: as many as the plan has assignments."""

    def __init__(self):
        self.names: dict[tuple[str, int], str] = {}

    def __call__(self, row: Sequence) -> str:
        key = (row[c.TASK_CODE], row[c.UNIT_ID])
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = _folder(row)
        return name


def _unique(name: str, used: set[str]) -> str:
    """``name``, or "name (2).ext" … when the folder has it already (case-insensitively)."""
    if name.casefold() not in used:
        used.add(name.casefold())
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n})" + (f".{extension}" if extension else "")
        if candidate.casefold() not in used:
            used.add(candidate.casefold())
            return candidate
        n += 1


#: a stored, already sanitised name that may go into a path as it is: only what
#: ``safe_filename`` keeps (letters, digits, spaces, "-_.()"), no "..", not too long
_PLAIN_NAME = re.compile(r"^(?!.*\.\.)[\w .()-]{1,120}$")
#: a storage name as ``Evidence.file`` gets it (``evidence/ab/<hex>.jpg``)
_STORAGE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")


def _member_name(day: dt.date, stored: str, original: str) -> str:
    name = f"{day.isoformat()} {stored}"
    if stored and _PLAIN_NAME.match(name):
        return name
    return safe_filename(f"{day.isoformat()} {stored or original}")


def _opener(storage: Storage):
    """``open(name)`` for the evidence files: straight from disk on a local storage (the names
    are ours, checked by a pattern), through the storage API otherwise."""
    base = _local_folder(storage)
    if base is not None:

        def local(name: str):
            if not _plain_storage_name(name):
                return storage.open(name, "rb")  # Django's own checks decide
            return open(os.path.join(base, name), "rb")  # noqa: SIM115 - closed by the caller

        return local
    return lambda name: storage.open(name, "rb")


def _local_folder(storage: Storage) -> str | None:
    """The folder of a storage on this machine's disk, if it is one."""
    location = getattr(storage, "location", None)
    if location and hasattr(storage, "path"):
        return os.path.abspath(location)
    return None


def _plain_storage_name(name: str) -> bool:
    return bool(_STORAGE_NAME.match(name)) and ".." not in name


def _with_contents(rows: Iterator[tuple], reader: Readahead | None) -> Iterator[tuple]:
    """``(row, content)`` for each row: for a file, its bytes and SHA-256 as the reader
    returned them, or ``MISSING``, or else something to be read here (``None``, ``LARGER``);
    ``None`` for the rest. With a reader, the files of the next batch are asked for before this
    one is handed out."""
    if reader is None:
        for row in rows:
            yield row, None
        return
    pending = None
    for batch in _batches(rows):
        ahead = [row[c.KIND] == EvidenceKind.FILE and _readable_ahead(row) for row in batch]
        files = zip(batch, ahead, strict=True)
        # the answers to the last request are taken in before the next one is sent: the reader
        # never blocks writing them while this process blocks writing to it (on a system where
        # the pipes stay at 64 KiB, a request of 2,000 names fills one)
        answers = reader.results() if pending is not None else None
        reader.request([(row[c.FILE], row[c.SIZE]) for row, asked in files if asked])
        if pending is not None:
            yield from _matched(*pending, answers)
        pending = batch, ahead
    if pending is not None:
        yield from _matched(*pending, reader.results())


def _readable_ahead(row: Sequence) -> bool:
    """A file the reader may read: a plain storage name, a recorded size up to ``CHUNK``."""
    size = row[c.SIZE]
    return bool(size) and size <= CHUNK and _plain_storage_name(row[c.FILE])


def _batches(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    """The rows in batches of ``ROWS``, or fewer when their files add up to ``AHEAD_BYTES``."""
    batch, size = [], 0
    for row in rows:
        batch.append(row)
        size += row[c.SIZE] or 0
        if len(batch) >= ROWS or size >= AHEAD_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _matched(batch: list[tuple], ahead: list[bool], results: list) -> Iterator[tuple]:
    answers = iter(results)
    for row, asked in zip(batch, ahead, strict=True):
        yield row, (next(answers) if asked else None)


def _zip_date(day: dt.date | None) -> tuple[int, int, int, int, int, int]:
    day = day or dt.date(1980, 1, 1)
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source) -> tuple[str, int]:
    """Copy ``source`` into the member ``info`` chunk by chunk; its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    with zf.open(info, "w", force_zip64=info.file_size >= zipfile.ZIP64_LIMIT) as member:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _add_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source) -> tuple[str, int]:
    """Add ``source`` as the member ``info``; its SHA-256 and size. A file up to ``CHUNK`` (most
    evidence: photos, scans) is read at once and written in one call, its sizes known before its
    header; a larger one is copied chunk by chunk.

    ``info.file_size`` is the size recorded at upload: the read asks for one byte more than
    that, so a file that grew since is noticed, and a few-KB file does not cost a buffer of
    ``CHUNK`` bytes (allocated and given back to the system on every read)."""
    limit = min(info.file_size, CHUNK) + 1
    data = source.read(limit)
    if len(data) == limit:  # more than recorded, or than fits in one piece
        return _copy_member(zf, info, _Prefixed(data, source))
    info.file_size = len(data)
    zf.writestr(info, data, compresslevel=COMPRESSLEVEL)
    return hashlib.sha256(data).hexdigest(), len(data)


class _Prefixed:
    """``source`` with the bytes already read from it put back in front."""

    def __init__(self, head: bytes, source):
        self.head, self.source = head, source

    def read(self, size: int) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.source.read(size)


def _labels() -> c.Labels:
    """The catalogue's sheets and words in the current language (the worker has no
    translations of its own)."""
    files, links = _index_sheets()
    return c.Labels(
        files_sheet=files,
        links_sheet=links,
        matched=_("Khớp"),
        unmatched=_("Không khớp"),
        missing=_("Thiếu tệp trong kho lưu trữ"),
        link=_("Đường liên kết"),
        document=_("Văn bản"),
        accepted=ReportStatus.ACCEPTED.value,
        time_zone=timezone.get_current_timezone_name(),
    )


def _index_sheets() -> tuple[Sheet, Sheet]:
    """The two sheets of ``index.xlsx``; their rows are added as the package is written."""
    # no wrapped text: a row keeps one line's height in a streamed sheet, and LibreOffice
    # does not grow it on opening (the lines would overlap)
    files = Sheet(
        _("Tệp"),
        [
            Column(_("STT"), 7, INT),
            Column(_("Đường dẫn trong gói"), 90),
            Column(_("Mục"), 7),
            Column(_("Cơ quan, đơn vị"), 30),
            Column(_("Mã báo cáo"), 10, INT),
            Column(_("Ngày thực hiện"), 12, DATE),
            Column(_("Người duyệt"), 20),
            Column(_("Duyệt lúc"), 16, DATETIME),
            Column(_("Tên tệp khi tải lên"), 30),
            Column(_("Dung lượng (byte)"), 13, INT),
            Column(_("SHA-256"), 66),
            Column(_("So với khi tải lên"), 16),
        ],
        landscape=True,
    )
    # a link opens from its own column: HYPERLINK() of the address beside it, for web
    # addresses Excel accepts (at most 255 characters)
    address, label = "G{row}", _("Mở").replace('"', '""')
    opener = (
        f'=IF(AND(OR(LEFT({address},7)="http://",LEFT({address},8)="https://"),'
        f'LEN({address})<={HYPERLINK_MAX}),HYPERLINK({address},"{label}"),"")'
    )
    links = Sheet(
        _("Liên kết, văn bản"),
        [
            Column(_("STT"), 7, INT),
            Column(_("Mục"), 7),
            Column(_("Cơ quan, đơn vị"), 30),
            Column(_("Mã báo cáo"), 10, INT),
            Column(_("Ngày thực hiện"), 12, DATE),
            Column(_("Loại"), 16),
            Column(_("Đường liên kết, văn bản"), 60),  # G
            Column(_("Người duyệt"), 20),
            Column(_("Mở liên kết"), 12, LINK, formula=opener),
        ],
        landscape=True,
    )
    return files, links


def write_package(
    target,
    plan: Plan,
    *,
    unit_ids: Scope = None,
    unit_name: str = "",
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> PackageStats:
    """Write the package to ``target`` (a binary file object, written forward only).

    One pass over the database: each file goes into the ZIP and its entry to the catalogue
    (index row and manifest entry, written to temporary files as they come); the manifest and
    the index are added at the end.
    """
    storage = storage or default_storage
    stats = PackageStats()
    total = package_evidence(plan, unit_ids).filter(kind=EvidenceKind.FILE).count()
    folder, used = None, set()
    folders = _Folders()
    open_file = _opener(storage)
    local = _local_folder(storage)
    with (
        StreamingZipFile(_Forward(target), "w", allowZip64=True, compresslevel=COMPRESSLEVEL) as zf,
        tempfile.TemporaryDirectory() as work,
    ):
        labels = _labels()
        large = total >= WORKER_FILES
        catalogue = (c.CatalogueProcess if large else c.Catalogue)(work, labels)
        reader = None
        try:
            if large and local:
                reader = Readahead(local)
            rows = package_rows(plan, unit_ids)
            for row, content in _with_contents(rows, reader):
                if row[c.KIND] != EvidenceKind.FILE:
                    if row[c.KIND] == EvidenceKind.LINK:
                        stats.links += 1
                    else:
                        stats.documents += 1
                    catalogue.add((row,))
                    continue
                here = folders(row)
                if here != folder:
                    folder, used = here, set()
                day = row[c.ENDED_ON] or row[c.STARTED_ON]
                name = _unique(_member_name(day, row[c.SAFE_NAME], row[c.ORIGINAL_NAME]), used)
                path = f"{folder}/{name}"
                info = zipfile.ZipInfo(path, date_time=_zip_date(day))
                info.compress_type = compress_type(name)
                info.file_size = row[c.SIZE] or 0
                if isinstance(content, tuple):  # read ahead
                    data, sha = content
                    info.file_size = size = len(data)
                    zf.writestr(info, data, compresslevel=COMPRESSLEVEL)
                elif content != MISSING:  # read here
                    try:
                        source = open_file(row[c.FILE])
                    except (FileNotFoundError, OSError):
                        content = MISSING
                    else:
                        with source:
                            sha, size = _add_member(zf, info, source)
                if content == MISSING:
                    stats.missing += 1
                    catalogue.add((row, path, None, None))
                else:
                    stats.files += 1
                    stats.bytes += size
                    stats.mismatched += sha != row[c.SHA256]
                    catalogue.add((row, path, sha, size))
                if progress is not None:
                    progress(stats.files + stats.missing, total)
            if reader is not None:
                reader.close()
            catalogue.end()
            # the manifest first: a worker is still finishing the index meanwhile
            _add_manifest(zf, Path(work), plan, unit_name, stats)
            catalogue.close()
        except BaseException:
            catalogue.abort()
            if reader is not None:
                reader.abort()
            raise

        index = Path(work, "index.xlsx")
        info = zipfile.ZipInfo("index.xlsx", date_time=_zip_date(timezone.localdate()))
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = index.stat().st_size
        with index.open("rb") as source:
            _copy_member(zf, info, source)
    return stats


def _add_manifest(
    zf: zipfile.ZipFile, work: Path, plan: Plan, unit_name: str, stats: PackageStats
) -> None:
    """``manifest.json``: the package's figures, then the catalogue's entries, copied from the
    catalogue's ``.items`` files as they are (never loaded)."""
    info = zipfile.ZipInfo("manifest.json", date_time=_zip_date(timezone.localdate()))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as member:
        head = {
            "schema": SCHEMA,
            "plan": {"id": plan.pk, "title": plan.title, "number": plan.number},
            "unit": unit_name or None,
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "counts": {
                "files": stats.files,
                "bytes": stats.bytes,
                "missing": stats.missing,
                "mismatched": stats.mismatched,
                "links": stats.links,
                "documents": stats.documents,
            },
        }
        opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # without "\n}"
        member.write(f'{opening},\n "files": [\n'.encode())
        with (work / "files.items").open("rb") as items:
            shutil.copyfileobj(items, member, CHUNK)
        member.write(b'\n ],\n "links": [\n')
        with (work / "links.items").open("rb") as items:
            shutil.copyfileobj(items, member, CHUNK)
        member.write(b"\n ]\n}\n")
