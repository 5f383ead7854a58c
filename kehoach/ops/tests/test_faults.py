"""Faults injected where they hurt: nothing half-saved, a clear message, a retry that works."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from kehoach.conftest import make_jpeg
from kehoach.reporting import services
from kehoach.reporting.models import Evidence, ReportStatus, ReportTransition

pytestmark = pytest.mark.django_db


def test_database_going_away_during_a_submission(ward_report, cast, client_for, monkeypatch):
    client = client_for(cast["ward"])
    real_create = ReportTransition.objects.create

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ReportTransition.objects, "create", gone)
    response = client.post(reverse("reporting:report_action", args=[ward_report.pk, "submit"]))
    assert response.status_code == 503
    assert "Thao tác vừa rồi chưa được lưu" in response.content.decode()
    ward_report.refresh_from_db()
    assert (
        ward_report.status == ReportStatus.DRAFT and ward_report.version == 1
    )  # nothing half-saved
    assert not ReportTransition.objects.filter(report=ward_report).exists()

    monkeypatch.setattr(ReportTransition.objects, "create", real_create)
    client.post(reverse("reporting:report_action", args=[ward_report.pk, "submit"]))  # the retry
    ward_report.refresh_from_db()
    assert ward_report.status == ReportStatus.SUBMITTED


def test_storage_failing_during_an_upload_leaves_no_row_and_no_file(
    ward_report, cast, media_root, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage.save
    calls = []

    def fail_on_thumbnail(self, name, content, max_length=None):
        calls.append(name)
        if len(calls) == 2:  # the file is stored, then the thumbnail fails
            raise OSError("No space left on device")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", fail_on_thumbnail)
    before_files = sorted(p for p in media_root.rglob("*") if p.is_file())
    before_rows = Evidence.objects.count()
    with pytest.raises(OSError):
        services.evidence_add_file(
            report=ward_report,
            user=cast["ward"],
            upload=SimpleUploadedFile("a.jpg", make_jpeg(color=(7, 7, 7))),
        )
    assert Evidence.objects.count() == before_rows
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == before_files


def test_two_people_editing_the_same_report_lose_nothing(ward_report, cast):
    services.report_update(
        report=ward_report, user=cast["ward"], data={"articles": 2}, deliverables=[], version=1
    )
    with pytest.raises(services.StaleReport):
        services.report_update(
            report=ward_report, user=cast["ward"], data={"articles": 5}, deliverables=[], version=1
        )
    ward_report.refresh_from_db()
    assert ward_report.articles == 2 and ward_report.version == 2
