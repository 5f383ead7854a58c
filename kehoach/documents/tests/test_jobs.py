"""Long jobs: requested, run in the background, moved into place, failed, retried."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from kehoach.documents import builders, services, storage
from kehoach.documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from kehoach.documents.tasks import generate_document

pytestmark = pytest.mark.django_db

YEAR = {"period": "year", "start": "2023-01-01", "end": "2023-12-31", "issue_date": None}


def _partials():
    folder = storage.spool_dir()
    return [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_request_enqueues_after_commit_and_the_task_builds_the_file(results, cast, run_on_commit):
    from django_tasks import default_task_backend

    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.YEAR_REPORT, params=YEAR
    )
    assert document.status == DocumentStatus.QUEUED and not document.file
    assert document.params["language"] == "vi"
    recorded = [r for r in default_task_backend.results if r.args == [document.pk]]
    assert len(recorded) == 1 and recorded[0].task.name == "generate_document"

    assert generate_document.call(document.pk) == DocumentStatus.DONE
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.progress == 100
    assert document.attempts == 1 and document.started_at and document.finished_at
    assert document.filename == "Báo cáo kết quả năm 2023.docx"
    with default_storage.open(document.file.name, "rb") as fh:
        data = fh.read()
    assert data[:2] == b"PK" and len(data) == document.size
    assert document.file.name.startswith(f"documents/{results.plan.pk}/")
    assert storage.sha256_of(
        __import__("pathlib").Path(default_storage.path(document.file.name))
    ) == (document.sha256)
    assert not _partials()  # the temporary file was moved, not copied


def test_a_job_runs_once_even_if_enqueued_twice(results, cast):
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.PLAN
    )
    services.document_run(document_id=document.pk)
    first = GeneratedDocument.objects.get(pk=document.pk)
    again = services.document_run(document_id=document.pk)
    assert again.status == DocumentStatus.DONE and again.attempts == 1
    assert again.file.name == first.file.name


def test_failure_leaves_a_clear_message_no_file_and_can_be_retried(
    results, cast, monkeypatch, run_on_commit
):
    real_build = builders.build
    seen = {}

    def broken(document, path, step):
        real_build(document, path, step)  # a whole file is written under its temporary name…
        seen["path"] = path
        raise OSError("disk full")  # …and the job dies before moving it into place

    monkeypatch.setattr(builders, "build", broken)
    document = services.document_request(
        plan=results.plan,
        user=cast["coordinator"],
        kind=DocumentKind.EVIDENCE_ZIP,
    )
    services.document_run(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "Không tạo được văn bản do lỗi hệ thống (OSError)" in document.error
    assert not document.file and document.finished_at is not None
    assert not seen["path"].exists() and not _partials()
    assert services.can_retry(document)

    monkeypatch.setattr(builders, "build", real_build)
    services.document_retry(document=document, user=cast["coordinator"])
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and not document.error
    services.document_run(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.attempts == 2
    with default_storage.open(document.file.name, "rb") as fh:
        assert "manifest.json" in zipfile.ZipFile(io.BytesIO(fh.read())).namelist()


def test_a_validation_error_is_shown_as_it_is(results, cast, monkeypatch):
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.PLAN
    )

    def refuse(document, path, step):
        raise ValidationError("Chưa có giải trình cho nhiệm vụ II.3.")

    monkeypatch.setattr(builders, "build", refuse)
    services.document_run(document_id=document.pk)
    document.refresh_from_db()
    assert document.error == "Chưa có giải trình cho nhiệm vụ II.3."


def test_retry_refused_while_running_allowed_when_stale(results, cast):
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.PLAN
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.RUNNING)
    document.refresh_from_db()
    with pytest.raises(ValidationError):
        services.document_retry(document=document, user=cast["coordinator"])
    later = timezone.now() + services.STALE_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later):
        assert services.can_retry(document)
        services.document_retry(document=document, user=cast["coordinator"])
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED


def test_progress_is_written_while_the_package_is_built(results, cast, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0)
    seen = []
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.EVIDENCE_ZIP
    )
    reporter = services._Reporter(document.pk)
    for percent in (5, 50, 95):
        reporter(percent, f"{percent}")
        document.refresh_from_db()
        seen.append((document.progress, document.step))
    assert seen == [(5, "5"), (50, "50"), (95, "95")]
    reporter(100, "xong")  # never 100 before the file is in place
    document.refresh_from_db()
    assert document.progress == 99


def test_units_export_only_their_own_data(results, cast, org_units):
    plan = results.plan
    ward, other = org_units["trang-bang-p-an-tinh"], org_units["trang-bang-p-gia-binh"]
    own = services.document_request(
        plan=plan, user=cast["ward"], kind=DocumentKind.EVIDENCE_ZIP, unit=ward
    )
    assert own.unit == ward
    with pytest.raises(PermissionDenied):
        services.document_request(
            plan=plan, user=cast["ward"], kind=DocumentKind.EVIDENCE_ZIP, unit=other
        )
    with pytest.raises(PermissionDenied):  # the whole plan is not a unit's
        services.document_request(plan=plan, user=cast["ward"], kind=DocumentKind.WORKBOOK)
    with pytest.raises(ValidationError):  # the plan document is the plan's, not a unit's
        services.document_request(plan=plan, user=cast["ward"], kind=DocumentKind.PLAN, unit=ward)
    # the office may prepare one unit's package too
    services.document_request(
        plan=plan, user=cast["coordinator"], kind=DocumentKind.EVIDENCE_ZIP, unit=other
    )


def test_the_package_reports_its_files_as_it_goes(results, cast, tmp_path):
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.EVIDENCE_ZIP
    )
    steps = []
    builders.build(
        document, tmp_path / "p.zip", lambda percent, text: steps.append((percent, text))
    )
    assert (95, "Đã đóng gói 4/4 tệp") in steps


def test_the_package_progress_message_is_made_once_per_share_not_per_file(
    results, cast, tmp_path, monkeypatch
):
    def package(target, plan, *, progress, **kwargs):
        for done in range(1, 1001):
            progress(done, 1000)

    monkeypatch.setattr(builders.evidence_zip, "write_package", package)
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.EVIDENCE_ZIP
    )
    steps = []
    builders.build(
        document, tmp_path / "p.zip", lambda percent, text: steps.append((percent, text))
    )
    files = [(percent, text) for percent, text in steps if text.startswith("Đã đóng gói")]
    assert len(files) == 91  # 0 % … 90 % of the share, each once
    assert files[-1] == (95, "Đã đóng gói 1.000/1.000 tệp")
