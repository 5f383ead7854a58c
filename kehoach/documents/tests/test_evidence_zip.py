"""The evidence package, unzipped: folders, names, every SHA-256 against storage, index, manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from kehoach.documents.evidence_zip import write_package
from kehoach.reporting.models import Evidence

pytestmark = pytest.mark.django_db


def _package(plan, **kwargs):
    buffer = io.BytesIO()
    calls = []
    stats = write_package(buffer, plan, progress=lambda d, t: calls.append((d, t)), **kwargs)
    buffer.seek(0)
    return zipfile.ZipFile(buffer), stats, calls


def test_folders_names_and_every_sha256_against_storage(results):
    zf, stats, calls = _package(results.plan)
    names = zf.namelist()
    files = [n for n in names if n not in ("index.xlsx", "manifest.json")]
    assert sorted(files) == sorted(
        [
            "II.1 Tuyên truyền CCHC trong nội bộ từng cơ quan đơn vị/UBND phường An Tịnh/"
            "2023-04-10 giao ban thang 4.jpg",
            "II.1 Tuyên truyền CCHC trong nội bộ từng cơ quan đơn vị/UBND xã Đôn Thuận/"
            "2023-12-20 giao ban thang 12.jpg",
            "II.5 Tuyên truyền thông qua các buổi tập huấn các nội dung về CCHC/"
            "Văn phòng HĐND và UBND thị xã Trảng Bàng/2023-09-15 tai lieu tap huan.pdf",
            "II.6 Tổ chức hội nghị giải đáp hướng dẫn tuyên truyền với người dân/"
            "UBND phường An Tịnh/2023-07-14 hoi nghi doi thoai.jpg",
        ]
    )
    assert (stats.files, stats.links, stats.documents, stats.missing) == (4, 3, 1, 0)
    assert calls[-1] == (4, 4)
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["schema"] == "kehoach.evidence-package/1"
    assert manifest["counts"]["files"] == 4 and manifest["counts"]["mismatched"] == 0
    by_path = {e["path"]: e for e in manifest["files"]}
    assert set(by_path) == set(files)
    for path in files:
        data = zf.read(path)
        entry = by_path[path]
        evidence = Evidence.objects.get(pk=entry["evidence_id"])
        with default_storage.open(evidence.file.name, "rb") as fh:
            stored = fh.read()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] == evidence.sha256
        assert hashlib.sha256(stored).hexdigest() == entry["sha256"]
        assert entry["size"] == len(data) == evidence.size
        assert entry["reviewer"] == "coordinator" and entry["report_status"] == "accepted"
        assert entry["report_id"] == evidence.report_id and entry["matches_upload"]
    links = {e.get("url") or e.get("document") for e in manifest["links"]}
    assert "https://antinh.example.vn/tin-1" in links
    assert any(str(v).startswith("12/GM-UBND") for v in links)
    # already compressed files are stored, not deflated again
    assert all(zf.getinfo(n).compress_type == zipfile.ZIP_STORED for n in files)


@pytest.mark.parametrize(
    ("own_units", "chunk"), [(False, 2000), (True, 2000), (False, 1), (False, 2)]
)
def test_rows_are_read_an_assignment_at_a_time_in_package_order(
    results, org_units, own_units, chunk, monkeypatch
):
    from kehoach.documents import evidence_zip
    from kehoach.documents.catalogue import FIELDS
    from kehoach.documents.evidence_zip import package_evidence, package_rows

    monkeypatch.setattr(evidence_zip, "ROWS", chunk)  # full chunks, a short last one, one

    scope = {org_units["trang-bang-p-an-tinh"].pk} if own_units else None
    expected = list(package_evidence(results.plan, scope).values_list(*FIELDS))
    assert expected  # links, documents and files
    assert list(package_rows(results.plan, scope)) == expected


def test_nothing_but_accepted_evidence(results):
    zf, _stats, _calls = _package(results.plan)
    joined = "\n".join(zf.namelist())
    assert "gia binh" not in joined  # waiting for review
    assert "nhap" not in joined  # a draft


def test_index_xlsx(results):
    zf, _stats, _calls = _package(results.plan)
    book = openpyxl.load_workbook(io.BytesIO(zf.read("index.xlsx")))
    assert book.sheetnames == ["Tệp", "Liên kết, văn bản"]
    ws = book["Tệp"]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["STT", "Đường dẫn trong gói"] and "SHA-256" in headers
    rows = [dict(zip(headers, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 4
    assert {r["So với khi tải lên"] for r in rows} == {"Khớp"}
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    header = ws["A1"]
    assert header.font.b and header.alignment.wrap_text and header.fill.fgColor.rgb == "FFDCE6F1"
    assert ws.column_dimensions["B"].width == pytest.approx(90.71, abs=0.01)
    first = {h: ws.cell(2, i + 1) for i, h in enumerate(headers)}
    assert first["STT"].value == 1 and first["STT"].number_format == "#,##0"
    assert first["Ngày thực hiện"].is_date and first["Ngày thực hiện"].number_format == "DD/MM/YYYY"
    assert first["Duyệt lúc"].number_format == "DD/MM/YYYY HH:MM"
    decided = Evidence.objects.get(
        pk=json.loads(zf.read("manifest.json"))["files"][0]["evidence_id"]
    )
    local = timezone.localtime(decided.report.decided_at).replace(tzinfo=None, microsecond=0)
    assert first["Duyệt lúc"].value == local  # Vietnam's wall-clock time
    assert first["Dung lượng (byte)"].value == decided.size
    assert not first["Đường dẫn trong gói"].alignment.wrap_text  # one line a row
    assert ws.page_setup.orientation == "landscape" and ws.row_dimensions[1].height == 30

    links = book["Liên kết, văn bản"]
    assert links.max_row == 1 + 4  # 3 links and a document
    link_headers = [c.value for c in links[1]]
    assert link_headers[-1] == "Mở liên kết"
    kinds = {r[5]: r for r in links.iter_rows(min_row=2, values_only=True)}
    assert set(kinds) == {"Đường liên kết", "Văn bản"}
    opener = links.cell(2, len(link_headers))
    assert opener.value.startswith("=IF(") and "HYPERLINK(G2," in opener.value  # opens its row's
    assert opener.font.u == "single"


def test_a_unit_package_has_its_own_files_only(results, org_units):
    ward = org_units["trang-bang-p-an-tinh"]
    zf, stats, _calls = _package(results.plan, unit_ids=frozenset({ward.pk}), unit_name=ward.name)
    files = [n for n in zf.namelist() if "/" in n]
    assert files and all("/UBND phường An Tịnh/" in n for n in files)
    assert stats.files == 2
    assert json.loads(zf.read("manifest.json"))["unit"] == "UBND phường An Tịnh"


def test_a_file_missing_from_storage_is_listed_not_fatal(results):
    evidence = Evidence.objects.filter(kind="file", report__status="accepted").first()
    default_storage.delete(evidence.file.name)
    zf, stats, _calls = _package(results.plan)
    assert stats.missing == 1 and stats.files == 3
    manifest = json.loads(zf.read("manifest.json"))
    missing = [e for e in manifest["files"] if e["missing"]]
    assert [e["evidence_id"] for e in missing] == [evidence.pk]
    assert missing[0]["path"] not in zf.namelist()


def test_a_changed_file_is_flagged(results):
    evidence = Evidence.objects.filter(kind="file", report__status="accepted").first()
    path = default_storage.path(evidence.file.name)
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    _zf, stats, _calls = _package(results.plan)
    assert stats.mismatched == 1


def test_same_name_twice_in_a_folder(results, cast):
    """Two files that would get the same readable name keep both, the second numbered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kehoach.conftest import make_jpeg
    from kehoach.documents.tests.conftest import _report

    _report(
        results.plan,
        cast["ward"],
        "II.1",
        "trang-bang-p-an-tinh",
        __import__("datetime").date(2023, 4, 10),
        "giao-ban",
        {"sessions": 1},
        evidence=[],
        accept=None,
    )
    report = (
        results.plan.tasks.get(code="II.1")
        .assignments.get(unit__code="trang-bang-p-an-tinh")
        .reports.order_by("-id")
        .first()
    )
    from kehoach.reporting import services as reporting

    upload = SimpleUploadedFile(
        "giao ban thang 4.jpg", make_jpeg(color=(1, 2, 3)), content_type="image/jpeg"
    )
    reporting.evidence_add_file(report=report, user=cast["ward"], upload=upload)
    reporting.report_submit(report=report, user=cast["ward"])
    reporting.report_accept(report=report, user=cast["coordinator"])
    zf, _stats, _calls = _package(results.plan)
    folder = "II.1 Tuyên truyền CCHC trong nội bộ từng cơ quan đơn vị/UBND phường An Tịnh/"
    assert {n for n in zf.namelist() if n.startswith(folder)} == {
        folder + "2023-04-10 giao ban thang 4.jpg",
        folder + "2023-04-10 giao ban thang 4 (2).jpg",
    }


def test_streaming_zipfile_keeps_no_member_list_in_memory(tmp_path, monkeypatch):
    import os
    import random
    import tracemalloc

    from kehoach.documents import evidence_zip
    from kehoach.documents.evidence_zip import StreamingZipFile

    monkeypatch.setattr(evidence_zip._SpooledInfos, "BATCH", 100)  # spooled every 100 members

    rng = random.Random(1)
    members = [
        (f"thư mục {i % 7}/tệp số {i}.{'jpg' if i % 2 else 'txt'}", os.urandom(rng.randint(0, 300)))
        for i in range(4000)
    ]

    def write(cls, path):
        tracemalloc.start()
        with cls(path, "w", allowZip64=True) as zf:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=(2023, 4, 10, 0, 0, 0))
                info.compress_type = zipfile.ZIP_STORED if name.endswith("jpg") else 8
                with zf.open(info, "w") as member:
                    member.write(data)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    streaming = write(StreamingZipFile, tmp_path / "a.zip")
    plain = write(zipfile.ZipFile, tmp_path / "b.zip")
    assert streaming * 3 < plain
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.testzip() is None
        assert zf.namelist() == [name for name, _data in members]
        for name, data in members[::97]:
            assert zf.read(name) == data
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_a_hostile_stored_name_cannot_escape_its_folder(results):
    evidence = Evidence.objects.filter(kind="file", report__status="accepted").first()
    Evidence.objects.filter(pk=evidence.pk).update(safe_name="../../../etc/passwd\x1f.jpg")
    zf, _stats, _calls = _package(results.plan)
    names = zf.namelist()
    assert all(".." not in n and not n.startswith("/") and "\x1f" not in n for n in names)
    entry = next(
        e for e in json.loads(zf.read("manifest.json"))["files"] if e["evidence_id"] == evidence.pk
    )
    assert entry["path"].count("/") == 2 and entry["path"] in names


def _contents(zf) -> tuple:
    """Everything a reader sees in a package but the moment it was made."""
    manifest = json.loads(zf.read("manifest.json"))
    manifest.pop("generated_at")
    book = openpyxl.load_workbook(io.BytesIO(zf.read("index.xlsx")))
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    files = {n: zf.read(n) for n in zf.namelist() if n not in ("index.xlsx", "manifest.json")}
    return manifest, sheets, files


def _spawned(monkeypatch) -> list:
    """Make every package use its workers; the workers started, as they start."""
    from kehoach.documents import evidence_zip, workers

    monkeypatch.setattr(evidence_zip, "WORKER_FILES", 1)
    started = []
    real = workers.Worker.__init__

    def counted(self, *args, **kwargs):
        real(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(workers.Worker, "__init__", counted)
    return started


def test_the_workers_write_what_the_package_writes_in_process(results, monkeypatch):
    """A large package has its files read ahead and its index and manifest made by two worker
    processes: the same bytes as a small package made in one process."""
    evidence = list(
        Evidence.objects.filter(report__assignment__task__plan=results.plan, kind="file")
    )
    default_storage.delete(evidence[0].file.name)  # a missing file
    with default_storage.open(evidence[1].file.name, "ab") as grown:  # changed since upload
        grown.write(b" and more")
    in_process, in_stats, _ = _package(results.plan)
    started = _spawned(monkeypatch)
    worker, worker_stats, _ = _package(results.plan)
    assert sorted(w.name for w in started) == ["catalogue worker", "file reader"]
    assert all(w.process.returncode == 0 for w in started)
    assert worker_stats == in_stats
    assert (worker_stats.missing, worker_stats.mismatched) == (1, 1)
    assert _contents(worker) == _contents(in_process)
    manifest, sheets, files = _contents(worker)
    assert len(manifest["files"]) == 4 and len(sheets["Tệp"]) > 4
    grown = next(e for e in manifest["files"] if e["evidence_id"] == evidence[1].pk)
    assert files[grown["path"]].endswith(b" and more")
    assert grown["size"] == evidence[1].size + len(b" and more")


@pytest.mark.parametrize(
    ("module", "message"),
    [("catalogue", "catalogue worker failed"), ("readahead", "file reader failed")],
)
def test_a_failing_worker_fails_the_package_clearly(results, monkeypatch, module, message):
    from kehoach.documents import workers

    started = _spawned(monkeypatch)
    real_popen = workers.subprocess.Popen

    def broken(args, **kwargs):  # this worker dies as it starts
        if args[2] == f"kehoach.documents.{module}":
            args = [args[0], "-c", f"import sys; sys.exit('{module} broke')"]
        return real_popen(args, **kwargs)

    monkeypatch.setattr(workers.subprocess, "Popen", broken)
    with pytest.raises(RuntimeError, match=f"{message}: {module} broke"):
        _package(results.plan)
    assert len(started) == 2 and all(w.process.poll() is not None for w in started)


def test_reading_ahead_through_narrow_pipes_does_not_deadlock(tmp_path, monkeypatch):
    """Requests and answers larger than the pipes (64 KiB where they cannot be widened; here
    one page): the writer and the reader must never both wait to write."""
    import threading

    from kehoach.documents import catalogue, evidence_zip, readahead, workers
    from kehoach.reporting.models import EvidenceKind

    monkeypatch.setattr(workers, "PIPE_BYTES", 4096)
    names = [f"evidence/{i % 7:02d}/{i:06d}-a-rather-long-storage-name.pdf" for i in range(5000)]
    for i, name in enumerate(names[:60]):  # a few real files; the rest are missing
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(bytes([i]) * 300)
    blank = [None] * len(catalogue.FIELDS)

    def row(name):
        values = list(blank)
        values[catalogue.KIND], values[catalogue.FILE], values[catalogue.SIZE] = (
            EvidenceKind.FILE,
            name,
            300,
        )
        return tuple(values)

    reader = readahead.Readahead(str(tmp_path))
    found = []
    done = threading.Thread(
        target=lambda: found.extend(evidence_zip._with_contents(map(row, names), reader)),
        daemon=True,
    )
    done.start()
    done.join(timeout=60)
    stuck = done.is_alive()
    reader.abort()
    assert not stuck, "the writer and the reader are waiting on each other"
    assert [r[catalogue.FILE] for r, _content in found] == names
    contents = [content for _row, content in found]
    assert contents[5][0] == bytes([5]) * 300
    assert contents[5][1] == hashlib.sha256(bytes([5]) * 300).hexdigest()
    assert contents[60:] == [readahead.MISSING] * (5000 - 60)


@pytest.mark.parametrize(
    ("broken", "workers"),
    [
        ("compress_type", 2),  # midway, while copying files
        ("Readahead", 1),  # the reader cannot start: the catalogue worker is not left waiting
    ],
)
def test_a_package_failing_on_our_side_stops_its_workers(results, monkeypatch, broken, workers):
    from kehoach.documents import evidence_zip

    started = _spawned(monkeypatch)

    def fail(*args):
        raise OSError("no luck")

    monkeypatch.setattr(evidence_zip, broken, fail)
    with pytest.raises(OSError, match="no luck"):
        _package(results.plan)
    assert len(started) == workers and all(w.process.poll() is not None for w in started)
