"""Objects the URL permission table (kehoach/orgs/tests/test_url_permissions.py) needs.

The An Tịnh ward's published II.6 conference, with its plan document and a published question
assigned to the ward; the plan's public page switched on; one PAR Index value for the chart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kehoach.engagement import services
from kehoach.engagement.models import Conference, IndicatorKind, ProcedureField
from kehoach.orgs.models import OrgUnit, User


def _conference(plan) -> Conference:
    existing = Conference.objects.filter(assignment__task__plan=plan).first()
    if existing:
        return existing
    coordinator = User.objects.get(username="coordinator")
    ward = User.objects.get(username="ward")
    services.public_settings_save(plan=plan, user=coordinator, data={"is_published": True})
    assignment = plan.tasks.get(code="II.6").assignments.get(unit__code="trang-bang-p-an-tinh")
    conference = services.conference_create(
        assignment=assignment,
        user=ward,
        data={
            "title": "Hội nghị đối thoại",
            "starts_at": timezone.now() + dt.timedelta(days=7),
            "venue": "Hội trường",
        },
        fields=list(ProcedureField.objects.filter(code="dat-dai")),
        document=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    conference = services.conference_publish(conference=conference, user=ward)
    question = services.question_submit(
        conference=conference,
        field=ProcedureField.objects.get(code="dat-dai"),
        text="Thủ tục đất đai cần gì?",
        consent=True,
        trusted=True,
        client_ip="192.0.2.1",
    ).question
    services.question_publish(question=question, user=coordinator)
    services.question_assign(question=question, unit=assignment.unit, user=coordinator)
    services.indicator_value_save(
        kind=IndicatorKind.objects.get(code="par-index"),
        unit=OrgUnit.objects.get(code="trang-bang"),
        year=2022,
        value=Decimal("85.32"),
        user=coordinator,
    )
    return conference


def kwargs_for(kind: str, plan) -> dict:
    conference = _conference(plan)
    if kind == "engagement_plan":
        return {"plan_id": plan.pk}
    if kind == "engagement_chart":
        return {"plan_id": plan.pk, "kind_code": "par-index"}
    if kind == "engagement_conference":
        return {"conference_id": conference.pk}
    if kind == "engagement_conference_publish":
        return {"conference_id": conference.pk, "action": "publish"}
    if kind == "engagement_assignment":
        return {"assignment_id": conference.assignment_id}
    if kind == "engagement_question":
        return {"question_id": conference.questions.get().pk}
    if kind == "engagement_question_publish":
        return {"question_id": conference.questions.get().pk, "action": "publish"}
    raise KeyError(kind)
