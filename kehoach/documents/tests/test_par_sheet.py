"""The PAR self-assessment: monitoring's score, evidence per task, explanations required."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from kehoach.documents import services
from kehoach.documents.models import ParExplanation
from kehoach.documents.par_sheet import par_assessment, par_sheets
from kehoach.documents.xlsx import write_xlsx
from kehoach.monitoring import par
from kehoach.plans.progress import local_today

pytestmark = pytest.mark.django_db


def _explain_all(plan, user, text="Đơn vị đang bổ sung tài liệu kiểm chứng."):
    a = par_assessment(plan, today=local_today())
    return services.par_explanations_save(
        plan=plan, user=user, texts={t.task_id: text for t in a.tasks if t.needs_explanation}
    )


def test_assessment_uses_monitorings_par_function(results):
    a = par_assessment(results.plan, today=local_today())
    assert (a.complete, a.total) == (1, 6)
    expected = par.par_score(complete=1, total=6, rule=par.DEFAULT_RULE)
    assert a.points == expected.points == Decimal("0") and a.max_points == Decimal("1")
    by_code = {t.code: t for t in a.tasks}
    assert not by_code["II.5"].needs_explanation
    assert by_code["II.1"].needs_explanation and by_code["II.3"].needs_explanation
    assert by_code["II.1"].evidence_count == 4  # 2 photos, a link and a document, 3 reports
    names = [e.name for e in by_code["II.2"].evidence]
    assert names == ["https://trangbang.example.vn/cchc-1", "https://trangbang.example.vn/cchc-2"]
    # the commune view: An Tịnh completed both its lead tasks
    communes = {name: (done, total) for name, done, total, _points in a.communes}
    assert communes["UBND phường An Tịnh"] == (2, 2)


def test_export_refuses_while_an_explanation_is_missing_and_says_which(results, cast):
    plan = results.plan
    with pytest.raises(ValidationError) as caught:
        services.document_request(plan=plan, user=cast["coordinator"], kind="par_sheet")
    message = caught.value.messages[0]
    assert "II.1, II.2, II.3, II.4, II.6" in message and "II.5" not in message
    a = par_assessment(plan, today=local_today())
    ii1 = next(t for t in a.tasks if t.code == "II.1")
    services.par_explanations_save(
        plan=plan, user=cast["coordinator"], texts={ii1.task_id: "Hai xã chưa gửi báo cáo."}
    )
    with pytest.raises(ValidationError) as caught:
        par_sheets(plan, par_assessment(plan, today=local_today()))
    assert "II.1" not in caught.value.messages[0] and "II.2" in caught.value.messages[0]


def test_explanations_are_stored_per_plan_and_task_and_can_be_cleared(results, cast):
    plan = results.plan
    assert _explain_all(plan, cast["coordinator"]) == 5
    assert ParExplanation.objects.filter(plan=plan).count() == 5
    task = plan.tasks.get(code="II.3")
    services.par_explanations_save(plan=plan, user=cast["coordinator"], texts={task.pk: "  "})
    assert not ParExplanation.objects.filter(plan=plan, task=task).exists()
    other = plan.tasks.model.objects.exclude(plan=plan).first()
    if other is not None:
        with pytest.raises(ValidationError):
            services.par_explanations_save(
                plan=plan, user=cast["coordinator"], texts={other.pk: "x"}
            )


def test_the_sheet(results, cast):
    plan = results.plan
    _explain_all(plan, cast["coordinator"])
    buffer = io.BytesIO()
    write_xlsx(buffer, par_sheets(plan, par_assessment(plan, today=local_today())))
    buffer.seek(0)
    book = openpyxl.load_workbook(buffer)
    assert book.sheetnames == ["Tự đánh giá", "Danh mục tài liệu", "Xã, phường", "Thang điểm"]
    ws = book["Tự đánh giá"]
    labels = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(3, 11)}
    assert labels["Tỷ lệ hoàn thành"].value == pytest.approx(1 / 6)
    assert labels["Tỷ lệ hoàn thành"].number_format == "0.0%"
    assert labels["Điểm tự đánh giá"].value == 0 and labels["Điểm tối đa"].value == 1
    header = 12
    assert ws.freeze_panes == f"A{header + 1}"
    headers = [c.value for c in ws[header]]
    assert headers[-2:] == ["Cần giải trình", "Giải trình"]
    rows = [
        dict(zip(headers, r, strict=False))
        for r in ws.iter_rows(min_row=header + 1, values_only=True)
    ]
    by_code = {r["Mục"]: r for r in rows}
    assert by_code["II.5"]["Cần giải trình"] == "Không" and not by_code["II.5"]["Giải trình"]
    assert by_code["II.3"]["Cần giải trình"] == "Có"
    assert by_code["II.3"]["Giải trình"] == "Đơn vị đang bổ sung tài liệu kiểm chứng."
    assert (
        "tai lieu tap huan.pdf (Văn phòng HĐND và UBND thị xã Trảng Bàng)"
        in (by_code["II.5"]["Tài liệu kiểm chứng (tên tệp, đường liên kết)"])
    )
    catalogue = book["Danh mục tài liệu"]
    assert catalogue.max_row - 1 == 8  # every piece of accepted evidence
    scale = [r for r in book["Thang điểm"].iter_rows(min_row=2, values_only=True)]
    assert scale == [(100, 1), (80, 0.5), (0, 0)]
