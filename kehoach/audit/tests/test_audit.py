"""The audit trail records who changed what, when and from where; nobody can change it."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kehoach.reporting.models import ActivityReport

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).order_by("timestamp", "id")


def test_workflow_steps_are_recorded_with_actor_address_and_changes(ward_report, cast, client_for):
    client_for(cast["ward"]).post(
        reverse("reporting:report_action", args=[ward_report.pk, "submit"]),
        {"version": 1},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    client_for(cast["coordinator"]).post(
        reverse("reporting:report_action", args=[ward_report.pk, "accept"]),
        {"version": 2},
        REMOTE_ADDR="10.9.8.7",
    )
    log = list(entries_for(ward_report))
    assert [e.action for e in log] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.UPDATE,
    ]
    submit, accept = log[1], log[2]
    assert (
        submit.actor == cast["ward"] and submit.remote_addr == "10.1.2.3"
    )  # not the spoofed header
    assert submit.changes_dict["status"] == ["draft", "submitted"]
    assert accept.actor == cast["coordinator"] and accept.changes_dict["status"] == [
        "submitted",
        "accepted",
    ]


def test_evidence_and_plan_rows_are_recorded(ward_report, seed_plan):
    evidence = ward_report.evidence.get()
    assert entries_for(evidence).filter(action=LogEntry.Action.CREATE).exists()
    assert entries_for(seed_plan).filter(action=LogEntry.Action.CREATE).exists()


def test_passwords_never_reach_the_log(cast):
    user = cast["ward"]
    user.set_password("một mật khẩu mới rất dài")
    user.save()
    for entry in entries_for(user):
        assert "password" not in entry.changes_dict


def test_coordinator_browses_per_object_and_per_user(ward_report, cast, client_for):
    client_for(cast["ward"]).post(
        reverse("reporting:report_action", args=[ward_report.pk, "submit"]), {"version": 1}
    )
    client = client_for(cast["coordinator"])
    ct = ContentType.objects.get_for_model(ActivityReport)
    html = client.get(reverse("audit:object", args=[ct.pk, ward_report.pk])).content.decode()
    assert "báo cáo kết quả" in html and "ward" in html and "submitted" in html
    html = client.get(reverse("audit:user", args=[cast["ward"].pk])).content.decode()
    assert 'class="audit-row"' in html
    assert client_for(cast["ward"]).get(reverse("audit:latest")).status_code == 404


def test_nobody_edits_or_deletes_the_log_through_the_application(ward_report, cast, client_for):
    entry = entries_for(ward_report).first()
    admin = client_for(cast["admin"])
    cast["admin"].is_superuser = True
    cast["admin"].save()
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    admin.post(change, {"action": 3})
    response = admin.post(delete, {"post": "yes"})
    assert response.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk, action=LogEntry.Action.CREATE).exists()


def test_rows_created_in_bulk_at_import_are_recorded(seed_plan):
    from kehoach.plans.models import Assignment

    assignment = Assignment.objects.filter(task__plan=seed_plan).first()
    entry = entries_for(assignment).get()
    assert entry.action == LogEntry.Action.CREATE and "unit" in entry.changes_dict


def test_logging_a_row_does_not_look_up_its_reverse_one_to_ones(org_units):
    """An assignment's tally and manual completion are other rows: auditlog used to fetch both
    for every assignment it logged (two queries each, 344 of a seed import's 400)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kehoach.plans.demo import SEED_FILE
    from kehoach.plans.importer import parse_file
    from kehoach.plans.models import Assignment
    from kehoach.plans.services import plan_import

    draft = parse_file(SEED_FILE)
    with CaptureQueriesContext(connection) as ctx:
        plan = plan_import(draft=draft).plan
    touched = [
        q["sql"]
        for q in ctx.captured_queries
        if "reporting_assignmenttally" in q["sql"] or "reporting_assignmentcompletion" in q["sql"]
    ]
    assert touched == []
    assignment = Assignment.objects.filter(task__plan=plan).first()
    changes = entries_for(assignment).get().changes_dict
    assert "tally" not in changes and "manual_completion" not in changes
    assert {"task", "unit", "role"} <= set(changes)
