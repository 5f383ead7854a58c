"""Documents on a province-sized plan: the year-end DOCX, the Excel workbook, the evidence ZIP.

Run: ``.venv/bin/python bench/documents.py [--rebuild] [--repeat N]``. Not part of the suite.

The dataset (130 units, 10 tasks, 50,000 reports, 150,000 evidence files of 2–6 KB, 5,000
links) is generated once: the database ``var/bench/documents.sqlite3`` and the files under
``var/bench/documents-media/`` (about 600 MB of incompressible bytes, named like real uploads).

Measured in one run, on the same files:

- the year-end report (rows + DOCX) and the Excel workbook: wall time;
- the evidence package: MB/s of ``documents.evidence_zip.write_package`` for the whole plan
  (as on any large package, its files read ahead and its ``index.xlsx`` and manifest entries
  made by two worker processes, so that the work runs on both cores),
  beside the floor — a plain ``zipfile`` copy of the very same files under the same names and
  compression, from a list made beforehand (no database, no hashing, no index or manifest);
  both read from a warm page cache, best of ``--repeat`` runs, to a temporary file on disk;
  then the same for a second, small plan whose 300 files are photo-sized (2 MB each), where the
  per-file costs no longer dominate;
- memory: the package written at two sizes (a fifth of the units, then all of them) in a fresh
  child process each: the growth of the peak RSS (VmHWM, reset before the run) and, in another
  child, ``tracemalloc``'s peak (Python objects only), to show it is flat; and the larger peak
  RSS of the two workers that package started.

Targets (issue 6): DOCX under 5 s, ZIP within 1.5× of the floor, memory flat as the package grows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
DB_URL = f"sqlite:///{BENCH_DIR / 'documents.sqlite3'}"
MEDIA = BENCH_DIR / "documents-media"

UNITS, TASKS, REPORTS, FILES, LINKS = 130, 10, 50_000, 150_000, 5_000
CODE = "bdoc"
YEAR = 2023


def setup_django() -> None:
    os.environ["KEHOACH_DATABASE_URL"] = DB_URL
    os.environ["KEHOACH_MEDIA_ROOT"] = str(MEDIA)
    os.environ["KEHOACH_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehoach.settings")
    import django

    django.setup()


# --- the dataset ------------------------------------------------------------------------------


def build_dataset(*, rebuild: bool) -> int:
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from kehoach.orgs.models import Membership, OrgUnit, Role, User
    from kehoach.plans.models import Assignment, Deliverable, Plan, Task
    from kehoach.reporting.models import ActivityReport, Channel, Evidence

    call_command("migrate", verbosity=0)
    existing = Plan.objects.filter(number=f"1/{CODE}").first()
    if (
        existing
        and not rebuild
        and Evidence.objects.filter(report__assignment__task__plan=existing, kind="file").count()
        == FILES
    ):
        return existing.pk
    rng = random.Random(2023)  # noqa: S311 — a reproducible dataset
    t0 = time.perf_counter()
    with transaction.atomic():
        if existing:
            Evidence.objects.all().delete()
            ActivityReport.deliverables.through.objects.all().delete()
            ActivityReport.objects.all().delete()
            existing.delete()
        Membership.objects.filter(unit__code__startswith=f"{CODE}-").delete()
        OrgUnit.objects.filter(code__startswith=f"{CODE}-").exclude(kind="province").delete()
        province, _ = OrgUnit.objects.get_or_create(
            code=f"{CODE}-province", defaults={"name": "UBND tỉnh Thử Nghiệm", "kind": "province"}
        )
        town = OrgUnit.objects.create(
            code=f"{CODE}-town", name="UBND thị xã Thử Nghiệm", kind="district", parent=province
        )
        office = OrgUnit.objects.create(
            code=f"{CODE}-vp", name="Văn phòng HĐND và UBND", kind="agency", parent=town
        )
        kinds = ["department"] * 39 + ["ward"] * 30 + ["commune"] * 50 + ["sociopolitical"] * 9
        names = {
            "department": "Phòng thử",
            "ward": "UBND phường Thử",
            "commune": "UBND xã Thử",
            "sociopolitical": "Hội thử",
        }
        units = [town, office] + OrgUnit.objects.bulk_create(
            OrgUnit(code=f"{CODE}-u{i}", name=f"{names[k]} {i:03d}", kind=k, parent=town)
            for i, k in enumerate(kinds)
        )
        assert len(units) == UNITS
        user, _ = User.objects.get_or_create(username=f"{CODE}-coordinator")
        Membership.objects.get_or_create(user=user, unit=office, role=Role.COORDINATOR)
        plan = Plan.objects.create(
            issuer_unit=town,
            issuer_name="Ủy ban nhân dân thị xã Thử Nghiệm",
            number=f"1/{CODE}",
            place="Thử Nghiệm",
            year=YEAR,
            title=f"Kế hoạch tuyên truyền cải cách hành chính năm {YEAR} (thử tải)",
            deadline=dt.date(YEAR, 10, 31),
            deadline_kind="date",
            recipients=["Văn phòng UBND tỉnh", "Các phòng, ban, ngành", "Lưu: VT, VP."],
            signer_authority="KT. CHỦ TỊCH",
            signer_position="PHÓ CHỦ TỊCH",
        )
        tasks = Task.objects.bulk_create(
            Task(
                plan=plan,
                position=i + 1,
                code=f"II.{i + 1}",
                title=f"Nội dung tuyên truyền {i + 1}",
            )
            for i in range(TASKS)
        )
        deliverables = {
            t.pk: Deliverable.objects.bulk_create(
                [Deliverable(task=t, position=1, text="Sản phẩm", kind="document")]
            )
            for t in tasks
        }
        everyone = units[1:]
        departments = [u for u in units if u.kind in ("department", "agency")]
        locals_ = [u for u in units if u.kind in ("ward", "commune")]
        leads = [
            everyone,
            departments,
            locals_,
            [office],
            locals_,
            everyone,
            departments,
            locals_,
            [office],
            everyone,
        ]
        assignments = Assignment.objects.bulk_create(
            Assignment(task=t, unit=u, role="lead")
            for t, us in zip(tasks, leads, strict=True)
            for u in us
        )
        channels = list(Channel.objects.all())
        statuses = ["accepted"] * 80 + ["submitted"] * 12 + ["returned"] * 8
        reports = ActivityReport.objects.bulk_create(
            (
                ActivityReport(
                    assignment=a,
                    status=rng.choice(statuses),
                    started_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 360)),
                    channel=rng.choice(channels),
                    description="[BENCH] Hoạt động tuyên truyền CCHC " + "x" * rng.randint(20, 200),
                    sessions=rng.randint(0, 5),
                    officials_reached=rng.randint(0, 80),
                    public_reached=rng.randint(0, 200),
                    articles=rng.randint(0, 3),
                    created_by=user,
                    decided_by=user,
                )
                for a in rng.choices(assignments, k=REPORTS)
            ),
            batch_size=2000,
        )
        task_of = {a.pk: a.task_id for a in assignments}
        through = ActivityReport.deliverables.through
        through.objects.bulk_create(
            (
                through(
                    activityreport_id=r.pk,
                    deliverable_id=deliverables[task_of[r.assignment_id]][0].pk,
                )
                for r in reports
            ),
            batch_size=5000,
        )
        print(f"  rows: {time.perf_counter() - t0:.1f} s", flush=True)

        MEDIA.mkdir(parents=True, exist_ok=True)
        rows = []
        for i in range(FILES):
            report = reports[i // 3]
            data = os.urandom(rng.randint(2048, 6144))
            name = f"evidence/{i % 256:02x}/{CODE}-{i:06d}.jpg"
            path = MEDIA / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            rows.append(
                Evidence(
                    report=report,
                    kind="file",
                    file=name,
                    original_name=f"anh hoat dong {i}.jpg",
                    safe_name=f"anh hoat dong {i}.jpg",
                    mime="image/jpeg",
                    file_kind="image",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    uploaded_by=user,
                )
            )
            if len(rows) == 5000:
                Evidence.objects.bulk_create(rows)
                rows = []
        for i in range(LINKS):
            rows.append(
                Evidence(
                    report=reports[i * 10],
                    kind="link",
                    url=f"https://tin.example.vn/cchc/{i}",
                    host="tin.example.vn",
                    link_status="ok",
                    uploaded_by=user,
                )
            )
        Evidence.objects.bulk_create(rows, batch_size=5000)
    print(f"  dataset built in {time.perf_counter() - t0:.1f} s", flush=True)
    return plan.pk


# --- measurements -----------------------------------------------------------------------------


def timed(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def year_report(plan_id: int) -> bytes:
    from kehoach.documents import builders
    from kehoach.documents.periods import preset
    from kehoach.documents.report import year_report_docx
    from kehoach.orgs.models import User
    from kehoach.plans.models import Plan

    plan = Plan.objects.get(pk=plan_id)
    user = User.objects.get(username=f"{CODE}-coordinator")
    rows = builders.year_report_for(
        plan, user, None, {**preset("year", YEAR).as_params(), "issue_date": f"{YEAR}-12-25"}
    )
    return year_report_docx(rows)


def workbook(plan_id: int, target: Path) -> int:
    from kehoach.documents.workbook import workbook_sheets
    from kehoach.documents.xlsx import write_xlsx
    from kehoach.plans.models import Plan

    plan = Plan.objects.get(pk=plan_id)
    write_xlsx(target, workbook_sheets(plan, None, estimates=None))
    return target.stat().st_size


def scope(plan_id: int, share: float):
    from kehoach.documents.queries import plan_units
    from kehoach.plans.models import Plan

    units = plan_units(Plan.objects.get(pk=plan_id))
    if share >= 1:
        return None
    return frozenset(u.pk for u in units[: max(1, int(len(units) * share))])


def package(plan_id: int, target: Path, unit_ids=None):
    from kehoach.documents.evidence_zip import write_package
    from kehoach.plans.models import Plan

    with target.open("wb") as fh:
        return write_package(fh, Plan.objects.get(pk=plan_id), unit_ids=unit_ids)


def floor_list(plan_id: int) -> list[tuple[str, str, int]]:
    """(path on disk, name in the ZIP, compression) of the package's files, made beforehand."""
    import io

    from kehoach.documents.evidence_zip import compress_type

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "names.zip"
        package(plan_id, target)
        with zipfile.ZipFile(target) as zf:
            manifest = json.load(io.TextIOWrapper(zf.open("manifest.json"), encoding="utf-8"))
    from kehoach.reporting.models import Evidence

    paths = dict(
        Evidence.objects.filter(pk__in=[e["evidence_id"] for e in manifest["files"]]).values_list(
            "pk", "file"
        )
    )
    return [
        (str(MEDIA / paths[e["evidence_id"]]), e["path"], compress_type(e["path"]))
        for e in manifest["files"]
    ]


def floor(files: list[tuple[str, str, int]], target: Path) -> None:
    with zipfile.ZipFile(target, "w", allowZip64=True) as zf:
        for path, name, compression in files:
            zf.write(path, name, compress_type=compression)


def _peak_rss_mb() -> float:
    """The process's peak resident memory since the last reset (VmHWM, Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak_rss() -> None:
    # ru_maxrss is inherited from the parent through fork and exec; VmHWM can be reset.
    Path("/proc/self/clear_refs").write_text("5")


def child_memory(plan_id: int, share: float, traced: bool) -> dict:
    """In a fresh process: the package at ``share`` of the units; peak RSS, or tracemalloc's;
    and the larger peak RSS of the two workers it starts (child processes)."""
    import resource
    import tracemalloc

    unit_ids = scope(plan_id, share)
    with tempfile.TemporaryDirectory() as folder:
        package(plan_id, Path(folder) / "warm.zip", scope(plan_id, 0.01))  # imports, caches
        _reset_peak_rss()
        before = _peak_rss_mb()
        if traced:
            tracemalloc.start()
        stats = package(plan_id, Path(folder) / "p.zip", unit_ids)
        peak = tracemalloc.get_traced_memory()[1] / 1e6 if traced else None
        after = _peak_rss_mb()
        size = (Path(folder) / "p.zip").stat().st_size
    return {
        "files": stats.files,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "zip_mb": size / 1e6,
        "tracemalloc_peak_mb": peak,
        "rss_before_mb": before,
        "rss_peak_mb": after,
    }


def compare_zip(plan_id: int, folder: Path, repeat: int, label: str) -> None:
    files = floor_list(plan_id)
    total = sum(os.path.getsize(p) for p, _n, _c in files)
    warm(files)
    ours_target, floor_target = folder / "ours.zip", folder / "floor.zip"
    ours_s, floor_s = float("inf"), float("inf")
    for _ in range(repeat):  # alternate, so both see the same cache and disk state
        floor_s = min(floor_s, timed(lambda: floor(files, floor_target), 1)[0])
        ours_s = min(ours_s, timed(lambda: package(plan_id, ours_target), 1)[0])
    mb = total / 1e6
    print(f"{label}: {len(files):,} files, {mb:.0f} MB of files")
    print(f"  floor (plain zipfile, same files):  {floor_s:6.2f} s  {mb / floor_s:6.1f} MB/s")
    print(
        f"  write_package (+ DB, SHA-256, index.xlsx, manifest.json): {ours_s:6.2f} s  "
        f"{mb / ours_s:6.1f} MB/s   ratio {ours_s / floor_s:.2f}× (target ≤ 1.5×)"
    )
    print(
        f"  zip sizes: ours {ours_target.stat().st_size / 1e6:.0f} MB, "
        f"floor {floor_target.stat().st_size / 1e6:.0f} MB",
        flush=True,
    )
    ours_target.unlink()
    floor_target.unlink()


LARGE_FILES, LARGE_BYTES = 300, 2_000_000


def build_large_dataset() -> int:
    """A second, small plan whose 300 accepted reports carry one 2 MB photo each (600 MB)."""
    import datetime as dt

    from django.db import transaction

    from kehoach.orgs.models import OrgUnit, User
    from kehoach.plans.models import Assignment, Plan, Task
    from kehoach.reporting.models import ActivityReport, Channel, Evidence

    existing = Plan.objects.filter(number=f"2/{CODE}").first()
    if existing and Evidence.objects.filter(report__assignment__task__plan=existing).count() == (
        LARGE_FILES
    ):
        return existing.pk
    rng = random.Random(7)  # noqa: S311
    user = User.objects.get(username=f"{CODE}-coordinator")
    town = OrgUnit.objects.get(code=f"{CODE}-town")
    office = OrgUnit.objects.get(code=f"{CODE}-vp")
    with transaction.atomic():
        if existing:
            Evidence.objects.filter(report__assignment__task__plan=existing).delete()
            ActivityReport.objects.filter(assignment__task__plan=existing).delete()
            existing.delete()
        plan = Plan.objects.create(
            issuer_unit=town,
            issuer_name="Ủy ban nhân dân thị xã Thử Nghiệm",
            number=f"2/{CODE}",
            year=YEAR,
            title="Kế hoạch thử với ảnh cỡ thật",
        )
        task = Task.objects.create(plan=plan, position=1, code="II.1", title="Hội nghị")
        assignment = Assignment.objects.create(task=task, unit=office, role="lead")
        channel = Channel.objects.first()
        reports = ActivityReport.objects.bulk_create(
            ActivityReport(
                assignment=assignment,
                status="accepted",
                started_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=i),
                channel=channel,
                description="[BENCH] ảnh cỡ thật",
                created_by=user,
                decided_by=user,
            )
            for i in range(LARGE_FILES)
        )
        rows = []
        for i, report in enumerate(reports):
            data = rng.randbytes(LARGE_BYTES)
            name = f"evidence/large/{CODE}-{i:04d}.jpg"
            (MEDIA / name).parent.mkdir(parents=True, exist_ok=True)
            (MEDIA / name).write_bytes(data)
            rows.append(
                Evidence(
                    report=report,
                    kind="file",
                    file=name,
                    original_name=f"anh hoi nghi {i}.jpg",
                    safe_name=f"anh hoi nghi {i}.jpg",
                    mime="image/jpeg",
                    file_kind="image",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    uploaded_by=user,
                )
            )
        Evidence.objects.bulk_create(rows)
    return plan.pk


def warm(files) -> None:
    for path, _name, _c in files:
        with open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    setup_django()
    if args.child is not None:
        print(json.dumps(child_memory(args.plan, args.child, args.traced)))
        return

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    print("dataset …", flush=True)
    plan_id = build_dataset(rebuild=args.rebuild)
    from kehoach.reporting.models import ActivityReport, Evidence

    print(
        f"  plan {plan_id}: {ActivityReport.objects.count():,} reports, "
        f"{Evidence.objects.filter(kind='file').count():,} files, "
        f"{Evidence.objects.filter(kind='link').count():,} links"
    )

    seconds, data = timed(lambda: year_report(plan_id), max(args.repeat, 3))
    print(
        f"year-end report (rows + DOCX): {seconds:.2f} s best of {max(args.repeat, 3)}, "
        f"{len(data) / 1e3:.0f} KB   (target < 5 s)",
        flush=True,
    )

    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as folder:
        target = Path(folder) / "workbook.xlsx"
        seconds, size = timed(lambda: workbook(plan_id, target), 1)
        print(
            f"Excel workbook (XlsxWriter, constant memory; 4 sheets, 50,000 reports, 155,000 "
            f"evidence rows): {seconds:.1f} s, {size / 1e6:.1f} MB",
            flush=True,
        )
        compare_zip(plan_id, Path(folder), args.repeat, "evidence ZIP (few-KB files)")
        large = build_large_dataset()
        compare_zip(large, Path(folder), args.repeat, "evidence ZIP (photo-sized files)")

    print("memory (a fresh process per size and per measure):")
    for share in (0.2, 1.0):
        found = {}
        for traced in (False, True):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(share), "--plan", str(plan_id)]
                + (["--traced"] if traced else []),
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            found[traced] = json.loads(out.strip().splitlines()[-1])
        rss, traced = found[False], found[True]
        print(
            f"  {rss['files']:>7,} files, {rss['zip_mb']:5.0f} MB zip: peak RSS "
            f"{rss['rss_before_mb']:.0f} → {rss['rss_peak_mb']:.0f} MB "
            f"(+{rss['rss_peak_mb'] - rss['rss_before_mb']:.0f} MB); tracemalloc peak "
            f"{traced['tracemalloc_peak_mb']:.1f} MB; largest worker peak RSS "
            f"{rss['worker_rss_mb']:.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
