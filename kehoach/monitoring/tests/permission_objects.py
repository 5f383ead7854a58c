"""Objects for the URL permission table (kehoach/orgs/tests/test_url_permissions.py).

An inspection of the An Tịnh ward (with a photo) and a difficulty it raised on II.1, made once.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kehoach.conftest import make_jpeg
from kehoach.monitoring import services
from kehoach.monitoring.models import Difficulty, Inspection
from kehoach.orgs.models import User


def _objects(plan, report):
    assignment = report.assignment
    inspection = Inspection.objects.filter(plan=plan).first()
    if inspection is None:
        inspection = services.inspection_create(
            plan=plan,
            unit=assignment.unit,
            user=User.objects.get(username="coordinator"),
            inspected_on=dt.date(2023, 7, 1),
            team="Đoàn kiểm tra",
            rating="good",
            recommendations="Tiếp tục duy trì.",
            follow_up_by=None,
            findings={assignment.task: "Đạt."},
            uploads=[SimpleUploadedFile("anh.jpg", make_jpeg(), content_type="image/jpeg")],
        )
    difficulty = Difficulty.objects.filter(task__plan=plan).first()
    if difficulty is None:
        difficulty = services.difficulty_raise(
            assignment=assignment,
            user=User.objects.get(username="ward"),
            title="Thiếu kinh phí",
            description="Chưa có kinh phí.",
            since=dt.date(2023, 5, 1),
            proposal="Hỗ trợ kinh phí.",
        )
    return inspection, difficulty


def kwargs_for(kind: str, plan, report) -> dict:
    inspection, difficulty = _objects(plan, report)
    if kind == "monitoring_inspection":
        return {"inspection_id": inspection.pk}
    if kind == "monitoring_inspection_file":
        return {"attachment_id": inspection.files.get().pk}
    if kind == "monitoring_difficulty":
        return {"difficulty_id": difficulty.pk}
    if kind == "monitoring_difficulty_action":
        return {"difficulty_id": difficulty.pk, "action": "acknowledge"}
    if kind == "monitoring_chart":
        return {"kind": "tien-do"}
    raise KeyError(kind)
