"""Builders for budget tests (also used by the shared URL permission table)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kehoach.budgets import queries, services
from kehoach.budgets.models import AttachmentPurpose, Estimate, FundingSource
from kehoach.orgs.models import OrgUnit, User

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "bao-gia.pdf", salt: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + salt.encode(), content_type="application/pdf")


def line(plan, code, description, quantity, price, source=FundingSource.LOCAL, measure="buổi"):
    return {
        "description": description,
        "task": plan.tasks.get(code=code),
        "measure": measure,
        "quantity": quantity,
        "unit_price": price,
        "source": source,
        "note": "",
    }


def estimate(plan, unit_code: str, user, lines, title="Dự toán kinh phí tuyên truyền CCHC"):
    return services.estimate_create(
        plan=plan,
        unit=OrgUnit.objects.get(code=unit_code),
        user=user,
        title=title,
        lines=lines,
    )


def submit(e: Estimate, user) -> Estimate:
    services.estimate_submit(estimate=e, user=user)
    e.refresh_from_db()
    return e


def appraise(e: Estimate, finance, decision="approve", *, reason="", adjust=None) -> Estimate:
    """``adjust``: position → (approved quantity, approved amount or None, needs fix, comment)."""
    e.refresh_from_db()
    appraisal = e.appraisals.get(status="open")
    verdicts = {}
    for al in appraisal.lines.all():
        quantity, amount, fix, comment = (adjust or {}).get(
            al.position, (al.quantity, None, False, "")
        )
        verdicts[al.pk] = services.LineAppraisal(quantity, amount, fix, comment)
    services.estimate_appraise(
        estimate=e,
        user=finance,
        lines=verdicts,
        decision=decision,
        reason=reason,
        version=e.version,
    )
    e.refresh_from_db()
    return e


def allocate(e: Estimate, finance, amount=None, *, number="100/QĐ-UBND", source=None):
    services.allocation_add(
        estimate=e,
        user=finance,
        decision_number=number,
        decision_date=dt.date(2023, 5, 15),
        amount=queries.approved_total(e) if amount is None else amount,
        source=source or FundingSource.LOCAL,
    )
    e.refresh_from_db()
    return e


def settle(e: Estimate, user, finance=None, actuals=None) -> Estimate:
    """Record actual spending (default: the approved amounts), attach a document, submit and,
    with ``finance``, confirm."""
    e.refresh_from_db()
    approved = queries.approved_lines(e)
    services.settlement_save(
        estimate=e,
        user=user,
        lines={
            al.pk: services.LineSettlement((actuals or {}).get(al.position, al.approved_in_force))
            for al in approved
        },
        version=e.version,
    )
    services.attachment_add(
        estimate=e,
        user=user,
        upload=pdf("bang-ke.pdf", salt=str(e.pk)),
        purpose=AttachmentPurpose.SETTLEMENT,
    )
    services.settlement_submit(estimate=e, user=user)
    if finance is not None:
        services.settlement_confirm(estimate=e, user=finance)
    e.refresh_from_db()
    return e


def ward_estimates(plan) -> dict[str, Estimate]:
    """The An Tịnh ward's estimates in three states, for the URL permission table."""
    ward = User.objects.get(username="ward")
    finance = User.objects.get(username="finance")
    draft = estimate(
        plan, "trang-bang-p-an-tinh", ward, [line(plan, "II.1", "Tài liệu", 10, 50_000)]
    )
    services.attachment_add(
        estimate=draft, user=ward, upload=pdf(), purpose=AttachmentPurpose.ESTIMATE
    )
    submitted = submit(
        estimate(plan, "trang-bang-p-an-tinh", ward, [line(plan, "II.1", "Loa", 4, 100_000)]),
        ward,
    )
    allocated = allocate(
        appraise(
            submit(
                estimate(
                    plan,
                    "trang-bang-p-an-tinh",
                    ward,
                    [line(plan, "II.6", "Hội nghị", 1, 5_000_000)],
                ),
                ward,
            ),
            finance,
        ),
        finance,
    )
    return {"draft": draft, "submitted": submitted, "allocated": allocated}


def permission_kwargs(kind: str, plan) -> dict:
    """URL kwargs for the budget rows of kehoach/orgs/tests/test_url_permissions.py."""
    if kind == "budget_plan":
        return {"plan_id": plan.pk}
    if kind == "budget_chart":
        return {"plan_id": plan.pk, "by": "don-vi"}
    states = ward_estimates(plan)
    if kind == "budget_draft":
        return {"estimate_id": states["draft"].pk}
    if kind == "budget_submitted":
        return {"estimate_id": states["submitted"].pk}
    if kind == "budget_allocated":
        return {"estimate_id": states["allocated"].pk}
    if kind == "budget_action":
        return {"estimate_id": states["draft"].pk, "action": "submit"}
    if kind == "budget_attachment":
        return {"attachment_id": states["draft"].attachments.get().pk}
    raise KeyError(kind)
