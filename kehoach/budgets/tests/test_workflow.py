"""The whole budget flow through the pages, per role: estimate → (head) → appraisal rounds →
allocation → settlement, with the notifications each step sends to the other side."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehoach.budgets import services
from kehoach.budgets.models import (
    Appraisal,
    AppraisalStatus,
    Estimate,
    EstimateLine,
    EstimateStatus,
    FundingSource,
)
from kehoach.budgets.tests import factories as f
from kehoach.notifications.models import Notification
from kehoach.orgs.models import Role
from kehoach.orgs.services import membership_grant, user_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit", "media_root")]


def url(name, *args):
    return reverse(f"budgets:{name}", args=args)


def line_data(prefix, index, *, description, task, measure, quantity, price, source, id=""):
    p = f"{prefix}-{index}"
    return {
        f"{p}-id": id,
        f"{p}-description": description,
        f"{p}-task": task.pk,
        f"{p}-measure": measure,
        f"{p}-quantity": quantity,
        f"{p}-unit_price": price,
        f"{p}-source": source,
        f"{p}-note": "",
    }


def management(total, initial=0):
    return {
        "lines-TOTAL_FORMS": total,
        "lines-INITIAL_FORMS": initial,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 200,
    }


def notified(user, text):
    return Notification.objects.filter(user=user, message__contains=text).exists()


def appraisal_post(estimate, decision, reason="", overrides=None):
    appraisal = estimate.appraisals.get(status="open")
    data = {"decision": decision, "reason": reason, "version": estimate.version}
    for al in appraisal.lines.all():
        values = {
            "approved_quantity": al.quantity,
            "approved_amount": "",
            "comment": "",
        }
        values.update((overrides or {}).get(al.position, {}))
        for key, value in values.items():
            if value is not None and value is not False:
                data[f"line-{al.pk}-{key}"] = value
    return data


def test_commune_estimate_through_every_step(seed_plan, cast, client_for):
    plan = seed_plan
    ii1, ii6 = plan.tasks.get(code="II.1"), plan.tasks.get(code="II.6")
    commune = client_for(cast["commune"])

    # 1. The commune officer writes the estimate: two lines, money typed the Vietnamese way.
    page = commune.get(url("estimate_new", plan.pk))
    assert page.status_code == 200
    assert "Lập dự toán kinh phí" in page.content.decode()
    data = {
        "unit": cast["commune"].memberships.get().unit_id,
        "title": "Dự toán tuyên truyền CCHC 2023 – xã Đôn Thuận",
        "notes": "Theo định mức hiện hành.",
        **management(3),
        **line_data(
            "lines",
            0,
            description="Phát thanh tin CCHC trên loa xã",
            task=ii1,
            measure="buổi",
            quantity=24,
            price="150.000",
            source=FundingSource.LOCAL,
        ),
        **line_data(
            "lines",
            1,
            description="Hội nghị đối thoại với người dân",
            task=ii6,
            measure="hội nghị",
            quantity=1,
            price="8,5 triệu",
            source=FundingSource.LOCAL,
        ),
    }
    response = commune.post(url("estimate_new", plan.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    estimate = Estimate.objects.get()
    assert estimate.status == EstimateStatus.DRAFT
    amounts = list(estimate.lines.values_list("amount", flat=True))
    assert amounts == [3_600_000, 8_500_000]
    page = commune.get(url("estimate", estimate.pk)).content.decode()
    assert "12.100.000 đ" in page and "8.500.000 đ" in page

    # A quotation goes with it.
    response = commune.post(
        url("attachment_add", estimate.pk),
        {"purpose": "estimate", "file": f.pdf("bao-gia-hoi-nghi.pdf"), "note": "Báo giá"},
    )
    assert estimate.attachments.count() == 1
    attachment = estimate.attachments.get()
    assert commune.get(url("attachment_file", attachment.pk)).status_code == 200

    # 2. Submitted: no unit head, so straight to finance, who is told.
    commune.post(url("estimate_action", estimate.pk, "submit"), {"version": estimate.version})
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.SUBMITTED
    assert notified(cast["finance"], "chờ thẩm định")
    assert estimate.appraisals.get().round == 1
    # The unit can no longer edit it.
    assert commune.get(url("estimate_edit", estimate.pk)).status_code == 302

    # 3. Finance returns it: line 2 must be fixed.
    finance = client_for(cast["finance"])
    assert "Thẩm định dự toán" in finance.get(url("appraise", estimate.pk)).content.decode()
    response = finance.post(
        url("appraise", estimate.pk),
        appraisal_post(
            estimate,
            "return",
            reason="Chi hội nghị vượt định mức.",
            overrides={2: {"needs_fix": "on", "comment": "Tối đa 7.000.000 đ/hội nghị."}},
        ),
    )
    assert response.status_code == 302
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.RETURNED
    assert notified(cast["commune"], "bị trả lại")
    first = estimate.appraisals.get(round=1)
    assert (
        first.status == AppraisalStatus.RETURNED and first.reason == "Chi hội nghị vượt định mức."
    )

    # 4. The commune sees the comment beside the line, fixes the line and sends it again.
    commune = client_for(cast["commune"])
    page = commune.get(url("estimate_edit", estimate.pk)).content.decode()
    assert "Tối đa 7.000.000 đ/hội nghị." in page
    assert 'value="8.500.000"' in page  # stored amounts shown the Vietnamese way
    lines = list(estimate.lines.order_by("position"))
    data = {
        "title": estimate.title,
        "notes": estimate.notes,
        "version": estimate.version,
        **management(2, 2),
        **line_data(
            "lines",
            0,
            id=lines[0].pk,
            description=lines[0].description,
            task=ii1,
            measure="buổi",
            quantity=24,
            price="150000",
            source=FundingSource.LOCAL,
        ),
        **line_data(
            "lines",
            1,
            id=lines[1].pk,
            description=lines[1].description,
            task=ii6,
            measure="hội nghị",
            quantity=1,
            price="7 triệu",
            source=FundingSource.LOCAL,
        ),
    }
    assert commune.post(url("estimate_edit", estimate.pk), data).status_code == 302
    assert list(estimate.lines.order_by("position").values_list("pk", "amount")) == [
        (lines[0].pk, 3_600_000),
        (lines[1].pk, 7_000_000),
    ]
    estimate.refresh_from_db()
    commune.post(url("estimate_action", estimate.pk, "submit"), {"version": estimate.version})
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.SUBMITTED
    assert estimate.appraisals.count() == 2  # every round kept

    # 5. Finance approves round 2, cutting line 1 to 20 sessions.
    finance = client_for(cast["finance"])
    finance.post(
        url("appraise", estimate.pk),
        appraisal_post(estimate, "approve", overrides={1: {"approved_quantity": 20}}),
    )
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.APPROVED
    second = estimate.appraisals.get(round=2)
    assert second.approved_total == 20 * 150_000 + 7_000_000 == 10_000_000
    assert notified(cast["commune"], "đã được thẩm định: 10.000.000 đ")
    # Round 1 is unchanged.
    first.refresh_from_db()
    assert first.status == AppraisalStatus.RETURNED
    assert sorted(first.lines.values_list("amount", flat=True)) == [3_600_000, 8_500_000]

    # 6. Allocation in two instalments.
    response = finance.post(
        url("allocate", estimate.pk),
        {
            "decision_number": "215/QĐ-UBND",
            "decision_date": "2023-05-15",
            "amount": "6 triệu",
            "source": FundingSource.LOCAL,
            "version": estimate.version,
        },
    )
    assert response.status_code == 302
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.ALLOCATED
    assert notified(cast["commune"], "được bố trí 6.000.000 đ")
    # Over the approved total: refused with the numbers.
    response = finance.post(
        url("allocate", estimate.pk),
        {
            "decision_number": "300/QĐ-UBND",
            "decision_date": "2023-07-01",
            "amount": "5 triệu",
            "source": FundingSource.TOWN,
            "version": estimate.version,
        },
        follow=True,
    )
    assert "vượt số đã thẩm định 10.000.000 đ" in response.content.decode()
    assert estimate.allocations.count() == 1
    finance.post(
        url("allocate", estimate.pk),
        {
            "decision_number": "300/QĐ-UBND",
            "decision_date": "2023-07-01",
            "amount": "4.000.000",
            "source": FundingSource.TOWN,
            "version": estimate.version,
        },
    )
    assert list(estimate.allocations.values_list("instalment", "amount")) == [
        (1, 6_000_000),
        (2, 4_000_000),
    ]

    # 7. Settlement: actual spending per line, a document, then finance confirms.
    commune = client_for(cast["commune"])
    estimate.refresh_from_db()
    approved = list(
        estimate.appraisals.get(round=2).lines.order_by("position").values_list("pk", flat=True)
    )
    response = commune.post(
        url("settlement", estimate.pk),
        {
            f"line-{approved[0]}-actual_amount": "2.850.000",
            f"line-{approved[1]}-actual_amount": "7 triệu",
            "note": "Chi đúng nội dung.",
            "version": estimate.version,
        },
    )
    assert response.status_code == 302
    estimate.refresh_from_db()
    # Without documents the settlement cannot be sent.
    response = commune.post(
        url("estimate_action", estimate.pk, "settle"), {"version": estimate.version}, follow=True
    )
    assert "Cần đính kèm chứng từ quyết toán" in response.content.decode()
    commune.post(
        url("attachment_add", estimate.pk),
        {"purpose": "settlement", "file": f.pdf("bang-ke.pdf", salt="x")},
    )
    commune.post(url("estimate_action", estimate.pk, "settle"), {"version": estimate.version})
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.SETTLEMENT_SUBMITTED
    assert notified(cast["finance"], "gửi quyết toán")

    finance = client_for(cast["finance"])
    finance.post(
        url("estimate_action", estimate.pk, "confirm_settlement"), {"version": estimate.version}
    )
    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.SETTLED
    assert estimate.settlement.settled_total == 9_850_000
    assert notified(cast["commune"], "Quyết toán dự toán")
    page = finance.get(url("estimate", estimate.pk)).content.decode()
    assert "-150.000 đ" in page  # line 1: 2.850.000 spent of 3.000.000 approved

    # The coordinator and the leader read it all; another ward sees nothing.
    for role in ("coordinator", "leader"):
        assert client_for(cast[role]).get(url("estimate", estimate.pk)).status_code == 200
    assert client_for(cast["stranger"]).get(url("estimate", estimate.pk)).status_code == 404


def test_the_unit_head_signs_off_first(seed_plan, cast, org_units, client_for):
    head = user_create(
        username="chu-tich-xa",
        password="x",
        full_name="Chủ tịch UBND xã",
        memberships=[(org_units["trang-bang-x-don-thuan"], Role.UNIT_HEAD)],
    )
    e = f.estimate(
        seed_plan,
        "trang-bang-x-don-thuan",
        cast["commune"],
        [f.line(seed_plan, "II.1", "Loa", 4, 100_000)],
    )
    officer = client_for(cast["commune"])
    response = officer.post(
        url("estimate_action", e.pk, "submit"), {"version": e.version}, follow=True
    )
    assert "thủ trưởng đơn vị để ký duyệt" in response.content.decode()
    e.refresh_from_db()
    assert e.status == EstimateStatus.AWAITING_HEAD
    assert not Appraisal.objects.filter(estimate=e).exists()  # finance does not see a round yet
    assert notified(head, "chờ thủ trưởng ký duyệt")
    assert not notified(cast["finance"], "chờ thẩm định")
    # Finance cannot appraise it yet; the officer cannot sign it.
    assert client_for(cast["finance"]).get(url("appraise", e.pk)).status_code == 302
    officer = client_for(cast["commune"])
    assert officer.post(url("estimate_action", e.pk, "sign"), {}).status_code == 404

    # The head returns it with a reason, the officer sends it again, the head signs.
    chief = client_for(head)
    chief.post(url("estimate_action", e.pk, "head_return"), {"reason": "Bổ sung thuyết minh."})
    e.refresh_from_db()
    assert e.status == EstimateStatus.RETURNED
    assert notified(cast["commune"], "Bổ sung thuyết minh.")
    services.estimate_submit(estimate=e, user=cast["commune"])
    e.refresh_from_db()
    assert e.status == EstimateStatus.AWAITING_HEAD
    chief.post(url("estimate_action", e.pk, "sign"), {"version": e.version})
    e.refresh_from_db()
    assert e.status == EstimateStatus.SUBMITTED
    assert notified(cast["finance"], "chờ thẩm định")
    assert [t.action for t in e.transitions.all()] == [
        "create",
        "send_to_head",
        "head_return",
        "send_to_head",
        "sign",
    ]


def test_a_head_who_submits_signs_by_submitting(seed_plan, cast, org_units):
    membership_grant(
        user=cast["commune"], unit=org_units["trang-bang-x-don-thuan"], role=Role.UNIT_HEAD
    )
    e = f.estimate(
        seed_plan,
        "trang-bang-x-don-thuan",
        cast["commune"],
        [f.line(seed_plan, "II.1", "Loa", 4, 100_000)],
    )
    assert f.submit(e, cast["commune"]).status == EstimateStatus.SUBMITTED


def test_roles_that_may_not_act_get_404(seed_plan, cast, client_for):
    e = f.submit(
        f.estimate(
            seed_plan,
            "trang-bang-p-an-tinh",
            cast["ward"],
            [f.line(seed_plan, "II.1", "Tài liệu", 10, 50_000)],
        ),
        cast["ward"],
    )
    data = appraisal_post(e, "approve")
    for role in ("ward", "commune", "coordinator", "leader", "admin", "stranger"):
        client = client_for(cast[role])
        assert client.post(url("appraise", e.pk), data).status_code == 404, role
        assert client.get(url("allocate", e.pk)).status_code == 404, role
    for role in ("finance", "coordinator", "leader", "stranger", "commune"):
        client = client_for(cast[role])
        assert client.post(url("estimate_action", e.pk, "submit")).status_code == 404, role
        assert client.get(url("estimate_edit", e.pk)).status_code == 404, role
    e.refresh_from_db()
    assert e.status == EstimateStatus.SUBMITTED


def test_double_submit_is_harmless(seed_plan, cast):
    e = f.estimate(
        seed_plan,
        "trang-bang-p-an-tinh",
        cast["ward"],
        [f.line(seed_plan, "II.1", "Tài liệu", 10, 50_000)],
    )
    services.estimate_submit(estimate=e, user=cast["ward"], version=e.version)
    services.estimate_submit(estimate=e, user=cast["ward"], version=e.version)  # the second click
    assert e.appraisals.count() == 1
    assert e.transitions.filter(action="submit").count() == 1


def test_an_empty_estimate_cannot_be_sent_and_tasks_must_be_the_units(seed_plan, cast):
    e = f.estimate(seed_plan, "trang-bang-p-an-tinh", cast["ward"], [])
    with pytest.raises(ValidationError, match="chưa có dòng nào"):
        services.estimate_submit(estimate=e, user=cast["ward"])
    # The party committee (Thị ủy) has II.1 only: II.6 is not its task.
    with pytest.raises(ValidationError, match="không được giao cho đơn vị này"):
        f.estimate(
            seed_plan,
            "trang-bang-thi-uy",
            cast["ward"],
            [f.line(seed_plan, "II.6", "Hội nghị", 1, 1_000_000)],
        )


def test_bad_lines_leave_nothing_half_saved(seed_plan, cast, client_for):
    ii1 = seed_plan.tasks.get(code="II.1")
    client = client_for(cast["ward"])
    data = {
        "unit": cast["ward"].memberships.get().unit_id,
        "title": "Dự toán",
        **management(2),
        **line_data(
            "lines",
            0,
            description="Đúng",
            task=ii1,
            measure="buổi",
            quantity=2,
            price="100.000",
            source=FundingSource.LOCAL,
        ),
        **line_data(
            "lines",
            1,
            description="Sai",
            task=ii1,
            measure="buổi",
            quantity=2,
            price="-5000",
            source=FundingSource.LOCAL,
        ),
    }
    response = client.post(url("estimate_new", seed_plan.pk), data)
    assert response.status_code == 200
    assert "Số tiền không được âm." in response.content.decode()
    assert not Estimate.objects.exists() and not EstimateLine.objects.exists()

    data["lines-1-unit_price"] = "1.000 tỷ"
    data["lines-1-quantity"] = 2
    response = client.post(url("estimate_new", seed_plan.pk), data)
    assert "vượt mức tối đa 1.000.000.000.000 đ" in response.content.decode()
    assert not Estimate.objects.exists()


def test_settlement_can_be_returned_and_sent_again(seed_plan, cast):
    e = f.allocate(
        f.appraise(
            f.submit(
                f.estimate(
                    seed_plan,
                    "trang-bang-p-an-tinh",
                    cast["ward"],
                    [f.line(seed_plan, "II.1", "Tài liệu", 10, 50_000)],
                ),
                cast["ward"],
            ),
            cast["finance"],
        ),
        cast["finance"],
    )
    e = f.settle(e, cast["ward"])
    assert e.status == EstimateStatus.SETTLEMENT_SUBMITTED
    with pytest.raises(ValidationError, match="Cần ghi rõ lý do"):
        services.settlement_return(estimate=e, user=cast["finance"], reason=" ")
    services.settlement_return(estimate=e, user=cast["finance"], reason="Thiếu hóa đơn.")
    e.refresh_from_db()
    assert e.status == EstimateStatus.ALLOCATED
    assert notified(cast["ward"], "Thiếu hóa đơn.")
    # The unit fixes a figure and sends it again; finance confirms.
    services.settlement_submit(estimate=e, user=cast["ward"], version=e.version)
    services.settlement_confirm(estimate=e, user=cast["finance"])
    e.refresh_from_db()
    assert e.status == EstimateStatus.SETTLED
    assert [t.action for t in e.transitions.all()][-4:] == [
        "settle",
        "return_settlement",
        "settle",
        "confirm_settlement",
    ]


def test_appraisal_form_errors_are_clear_and_save_nothing(seed_plan, cast, client_for):
    e = f.submit(
        f.estimate(
            seed_plan,
            "trang-bang-p-an-tinh",
            cast["ward"],
            [f.line(seed_plan, "II.1", "Tài liệu", 10, 50_000)],
        ),
        cast["ward"],
    )
    client = client_for(cast["finance"])
    for quantity, message in (
        (11, "Số lượng thẩm định không vượt số đề nghị (10)."),
        (-1, "Số lượng không được âm."),
        ("mười", "Số lượng là số nguyên, ví dụ 12."),
    ):
        data = appraisal_post(e, "approve", overrides={1: {"approved_quantity": quantity}})
        response = client.post(url("appraise", e.pk), data)
        assert response.status_code == 200
        assert message in response.content.decode()
    data = appraisal_post(e, "approve", overrides={1: {"approved_amount": "-1"}})
    assert "Số tiền không được âm." in client.post(url("appraise", e.pk), data).content.decode()
    e.refresh_from_db()
    assert e.status == EstimateStatus.SUBMITTED
    assert e.appraisals.get().lines.get().approved_quantity == 10
