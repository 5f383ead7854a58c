"""Optimistic locking, immutability of recorded figures, corrections, database constraints."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kehoach.budgets import queries, services
from kehoach.budgets.models import (
    AppraisalLine,
    AppraisalStatus,
    Correction,
    CorrectionKind,
    EstimateLine,
    EstimateStatus,
    FundingSource,
)
from kehoach.budgets.tests import factories as f
from kehoach.orgs.models import Role
from kehoach.orgs.services import user_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit", "media_root")]


@pytest.fixture
def submitted(seed_plan, cast):
    return f.submit(
        f.estimate(
            seed_plan,
            "trang-bang-x-don-thuan",
            cast["commune"],
            [
                f.line(seed_plan, "II.1", "Phát thanh", 24, 150_000),
                f.line(seed_plan, "II.6", "Hội nghị", 1, 8_500_000),
            ],
        ),
        cast["commune"],
    )


@pytest.fixture
def second_finance(org_units):
    return user_create(
        username="finance2",
        password="x",
        full_name="Cán bộ tài chính thứ hai",
        memberships=[(org_units["trang-bang-tc-kh"], Role.FINANCE)],
    )


def _form(estimate, *, decision, amounts, reason=""):
    appraisal = estimate.appraisals.get(status="open")
    data = {"decision": decision, "reason": reason, "version": estimate.version}
    for al in appraisal.lines.order_by("position"):
        data[f"line-{al.pk}-approved_quantity"] = al.quantity
        data[f"line-{al.pk}-approved_amount"] = amounts.get(al.position, "")
        data[f"line-{al.pk}-comment"] = f"ý kiến {decision}"
    return data


def test_two_finance_officers_the_second_save_is_refused(
    submitted, cast, second_finance, client_for
):
    """Both open the appraisal page on the same version; the first saves, the second is told
    and nothing of theirs overwrites the first's figures."""
    url = reverse("budgets:appraise", args=[submitted.pk])
    first_form = _form(submitted, decision="save", amounts={2: "7 triệu"})
    second_form = _form(submitted, decision="approve", amounts={2: "8 triệu"})

    first = client_for(cast["finance"])
    assert first.post(url, first_form).status_code == 302
    submitted.refresh_from_db()
    line2 = AppraisalLine.objects.get(appraisal__estimate=submitted, position=2)
    assert line2.approved_amount == 7_000_000
    version_after_first = submitted.version

    second = client_for(second_finance)
    response = second.post(url, second_form, follow=True)
    page = response.content.decode()
    assert "Dự toán vừa được người khác cập nhật" in page
    submitted.refresh_from_db()
    line2.refresh_from_db()
    assert line2.approved_amount == 7_000_000  # not overwritten
    assert line2.comment == "ý kiến save"
    assert submitted.status == EstimateStatus.SUBMITTED  # the stale "approve" did nothing
    assert submitted.version == version_after_first
    # Reloaded, the page shows the first officer's figures; a fresh save goes through.
    assert 'value="7.000.000"' in page


def test_stale_version_refused_by_every_service(submitted, cast):
    stale = submitted.version
    f.appraise(submitted, cast["finance"], "save")
    with pytest.raises(services.StaleEstimate):
        services.estimate_appraise(
            estimate=submitted, user=cast["finance"], lines={}, decision="approve", version=stale
        )
    f.appraise(submitted, cast["finance"])
    submitted.refresh_from_db()
    with pytest.raises(services.StaleEstimate):
        services.allocation_add(
            estimate=submitted,
            user=cast["finance"],
            decision_number="1/QĐ",
            decision_date=submitted.created_at.date(),
            amount=1_000,
            source=FundingSource.LOCAL,
            version=stale,
        )
    assert not submitted.allocations.exists()


def test_unit_edit_with_a_stale_form_is_refused(seed_plan, cast):
    e = f.estimate(
        seed_plan, "trang-bang-p-an-tinh", cast["ward"], [f.line(seed_plan, "II.1", "A", 1, 1_000)]
    )
    lines = [f.line(seed_plan, "II.1", "B", 2, 2_000)]
    services.estimate_update(
        estimate=e, user=cast["ward"], title="Mới", lines=lines, version=e.version
    )
    with pytest.raises(services.StaleEstimate):
        services.estimate_update(
            estimate=e, user=cast["ward"], title="Cũ", lines=[], version=e.version
        )
    e.refresh_from_db()
    assert e.title == "Mới" and e.lines.get().description == "B"


def test_approved_figures_are_immutable(submitted, cast):
    e = f.appraise(submitted, cast["finance"], adjust={2: (1, 7_000_000, False, "định mức")})
    approved = e.appraisals.get(status=AppraisalStatus.APPROVED)
    snapshot = list(approved.lines.values_list("approved_quantity", "approved_amount", "comment"))

    # The unit cannot edit its lines any more.
    with pytest.raises(ValidationError, match="không sửa được"):
        services.estimate_update(
            estimate=e,
            user=cast["commune"],
            title="x",
            lines=[f.line(e.plan, "II.1", "x", 1, 1)],
            version=e.version,
        )
    # Finance cannot appraise the decided round again.
    with pytest.raises(ValidationError, match="không ở trạng thái chờ thẩm định"):
        services.estimate_appraise(
            estimate=e,
            user=cast["finance"],
            lines={al.pk: services.LineAppraisal(0, 0) for al in approved.lines.all()},
            decision="save",
            version=e.version,
        )
    # Nor can the estimate go back through submit.
    with pytest.raises(ValidationError):
        services.estimate_submit(estimate=e, user=cast["commune"], version=e.version)
    approved.refresh_from_db()
    assert approved.approved_total == 10_600_000
    assert list(approved.lines.values_list("approved_quantity", "approved_amount", "comment")) == (
        snapshot
    )


def test_a_correction_is_a_new_reasoned_row_and_history_shows_both(submitted, cast, client_for):
    e = f.allocate(f.appraise(submitted, cast["finance"]), cast["finance"], 5_000_000)
    line2 = AppraisalLine.objects.get(
        appraisal__estimate=e, appraisal__status="approved", position=2
    )
    with pytest.raises(ValidationError, match="lý do"):
        services.correction_add(
            estimate=e,
            user=cast["finance"],
            kind=CorrectionKind.APPROVED,
            target_id=line2.pk,
            new_amount=7_000_000,
            reason="  ",
        )
    services.correction_add(
        estimate=e,
        user=cast["finance"],
        kind=CorrectionKind.APPROVED,
        target_id=line2.pk,
        new_amount=7_000_000,
        reason="Theo Quyết định 99/QĐ-UBND điều chỉnh định mức.",
    )
    line2.refresh_from_db()
    assert line2.approved_amount == 8_500_000  # the recorded figure is untouched
    assert queries.approved_total(e) == 3_600_000 + 7_000_000
    correction = Correction.objects.get()
    assert (correction.previous_amount, correction.new_amount, correction.delta) == (
        8_500_000,
        7_000_000,
        -1_500_000,
    )
    # A second correction of the same line starts from the figure in force.
    services.correction_add(
        estimate=e,
        user=cast["finance"],
        kind=CorrectionKind.APPROVED,
        target_id=line2.pk,
        new_amount=7_200_000,
        reason="Bổ sung chi phí in tài liệu.",
    )
    assert Correction.objects.order_by("id").last().previous_amount == 7_000_000
    assert queries.approved_total(e) == 10_800_000

    # Going below what is allocated is refused.
    with pytest.raises(ValidationError, match="nhỏ hơn số đã bố trí"):
        services.correction_add(
            estimate=e,
            user=cast["finance"],
            kind=CorrectionKind.APPROVED,
            target_id=line2.pk,
            new_amount=0,
            reason="x",
        )
    # The same figure again is not a correction.
    with pytest.raises(ValidationError, match="không có gì để điều chỉnh"):
        services.correction_add(
            estimate=e,
            user=cast["finance"],
            kind=CorrectionKind.APPROVED,
            target_id=line2.pk,
            new_amount=7_200_000,
            reason="x",
        )

    page = client_for(cast["commune"]).get(reverse("budgets:estimate", args=[e.pk])).content
    page = page.decode()
    assert "8.500.000 đ" in page and "7.000.000 đ" in page and "7.200.000 đ" in page
    assert "Theo Quyết định 99/QĐ-UBND" in page
    assert "đã điều chỉnh, gốc 8.500.000 đ" in page


def test_allocation_and_settled_corrections(submitted, cast):
    e = f.allocate(f.appraise(submitted, cast["finance"]), cast["finance"], 10_000_000)
    allocation = e.allocations.get()
    with pytest.raises(ValidationError, match="vượt số đã thẩm định"):
        services.correction_add(
            estimate=e,
            user=cast["finance"],
            kind=CorrectionKind.ALLOCATED,
            target_id=allocation.pk,
            new_amount=20_000_000,
            reason="x",
        )
    services.correction_add(
        estimate=e,
        user=cast["finance"],
        kind=CorrectionKind.ALLOCATED,
        target_id=allocation.pk,
        new_amount=9_000_000,
        reason="Quyết định số 120/QĐ-UBND giảm bố trí.",
    )
    allocation.refresh_from_db()
    assert allocation.amount == 10_000_000
    assert queries.allocated_total(e) == 9_000_000

    # A settled figure cannot be corrected before the settlement is confirmed…
    e = f.settle(e, cast["commune"], actuals={1: 3_000_000, 2: 6_000_000})
    sl = e.settlement.lines.get(approved_line__position=1)
    with pytest.raises(ValidationError, match="Không thể điều chỉnh"):
        services.correction_add(
            estimate=e,
            user=cast["finance"],
            kind=CorrectionKind.SETTLED,
            target_id=sl.pk,
            new_amount=2_900_000,
            reason="x",
        )
    services.settlement_confirm(estimate=e, user=cast["finance"])
    e.refresh_from_db()
    assert e.settlement.settled_total == 9_000_000
    # …and once confirmed, the unit cannot change its figures; finance corrects with a reason.
    with pytest.raises(ValidationError):
        services.settlement_save(
            estimate=e,
            user=cast["commune"],
            lines={sl.approved_line_id: services.LineSettlement(1)},
            version=e.version,
        )
    services.correction_add(
        estimate=e,
        user=cast["finance"],
        kind=CorrectionKind.SETTLED,
        target_id=sl.pk,
        new_amount=2_900_000,
        reason="Hóa đơn số 0012 ghi nhầm.",
    )
    sl.refresh_from_db()
    e.settlement.refresh_from_db()
    assert sl.actual_amount == 3_000_000 and e.settlement.settled_total == 9_000_000
    summary = queries.budget_summary(e.plan)
    assert summary["totals"]["settled"] == 8_900_000
    assert summary["totals"]["allocated"] == 9_000_000
    assert summary["corrections"] == 2


def test_database_constraints_back_the_services(submitted, cast):
    line = EstimateLine.objects.filter(estimate=submitted).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        EstimateLine.objects.filter(pk=line.pk).update(amount=line.amount + 1)
    al = AppraisalLine.objects.filter(appraisal__estimate=submitted).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AppraisalLine.objects.filter(pk=al.pk).update(approved_amount=al.amount + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.create(
            estimate=submitted,
            kind=CorrectionKind.APPROVED,
            approved_line=al,
            previous_amount=1,
            new_amount=2,
            reason="",
            created_by=cast["finance"],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.create(
            estimate=submitted,
            kind=CorrectionKind.SETTLED,  # the wrong target for the kind
            approved_line=al,
            previous_amount=1,
            new_amount=2,
            reason="x",
            created_by=cast["finance"],
        )


def test_appraisal_refuses_above_request_and_flagged_approval(submitted, cast):
    appraisal = submitted.appraisals.get(status="open")
    l1, l2 = appraisal.lines.order_by("position")
    with pytest.raises(ValidationError, match="vượt số đề nghị"):
        services.estimate_appraise(
            estimate=submitted,
            user=cast["finance"],
            lines={l2.pk: services.LineAppraisal(1, 9_000_000)},
            decision="save",
            version=submitted.version,
        )
    with pytest.raises(ValidationError, match="từ 0 đến 24"):
        services.estimate_appraise(
            estimate=submitted,
            user=cast["finance"],
            lines={l1.pk: services.LineAppraisal(25, None)},
            decision="save",
            version=submitted.version,
        )
    with pytest.raises(ValidationError, match="đang yêu cầu đơn vị sửa"):
        services.estimate_appraise(
            estimate=submitted,
            user=cast["finance"],
            lines={l1.pk: services.LineAppraisal(24, None, True, "sửa")},
            decision="approve",
            version=submitted.version,
        )
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.estimate_appraise(
            estimate=submitted,
            user=cast["finance"],
            lines={},
            decision="return",
            version=submitted.version,
        )
    # Nothing of the refused attempts was kept.
    l1.refresh_from_db()
    assert (l1.needs_fix, l1.comment, l1.approved_quantity) == (False, "", 24)
    submitted.refresh_from_db()
    assert submitted.status == EstimateStatus.SUBMITTED


def test_attachments_are_checked_and_locked_after_submission(seed_plan, cast, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    e = f.estimate(
        seed_plan, "trang-bang-p-an-tinh", cast["ward"], [f.line(seed_plan, "II.1", "A", 1, 1_000)]
    )
    with pytest.raises(ValidationError):
        services.attachment_add(
            estimate=e,
            user=cast["ward"],
            upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
            purpose="estimate",
        )
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True
    first = services.attachment_add(
        estimate=e, user=cast["ward"], upload=f.pdf(), purpose="estimate"
    )
    again = services.attachment_add(
        estimate=e, user=cast["ward"], upload=f.pdf("copy.pdf"), purpose="estimate"
    )
    assert first.pk == again.pk  # the same file once
    f.submit(e, cast["ward"])
    with pytest.raises(ValidationError, match="không thêm, bớt hồ sơ"):
        services.attachment_remove(attachment=first, user=cast["ward"])
    with pytest.raises(ValidationError, match="không thêm, bớt hồ sơ"):
        services.attachment_add(
            estimate=e, user=cast["ward"], upload=f.pdf("b.pdf", "b"), purpose="estimate"
        )


def test_the_workflow_is_drawn_in_the_docs():
    """docs/concepts.md draws ALLOWED_TRANSITIONS: every action and status is on it."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "concepts.md").read_text()
    section = text[text.index("## Budgets") :]
    for action, rule in services.ALLOWED_TRANSITIONS.items():
        assert action in section, action
        assert rule.target in section, rule.target


def test_amount_above_quantity_times_price_is_refused(submitted, cast):
    appraisal = submitted.appraisals.get(status="open")
    l1 = appraisal.lines.get(position=1)
    with pytest.raises(ValidationError, match="số lượng thẩm định × đơn giá đề nghị"):
        services.estimate_appraise(
            estimate=submitted,
            user=cast["finance"],
            lines={l1.pk: services.LineAppraisal(20, 3_600_000)},  # 20 × 150.000 = 3.000.000
            decision="save",
            version=submitted.version,
        )


def test_corrections_notify_the_unit(submitted, cast):
    from kehoach.notifications.models import Notification

    e = f.appraise(submitted, cast["finance"])
    line = queries.approved_lines(e)[0]
    services.correction_add(
        estimate=e,
        user=cast["finance"],
        kind=CorrectionKind.APPROVED,
        target_id=line.pk,
        new_amount=3_000_000,
        reason="Giảm số buổi phát thanh.",
    )
    assert Notification.objects.filter(
        user=cast["commune"], message__contains="từ 3.600.000 đ thành 3.000.000 đ"
    ).exists()
