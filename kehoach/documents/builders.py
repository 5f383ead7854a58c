"""From a :class:`GeneratedDocument`'s kind and parameters to a finished file on disk.

Each builder reads its rows (``report``, ``plan_doc``, ``workbook``, ``par_sheet``,
``evidence_zip``) through what the requester may see (``orgs.access``), renders them into a
temporary file, and reports its progress. ``services.document_run`` moves the file into place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kehoach.orgs import access
from kehoach.plans.models import Plan
from kehoach.plans.progress import local_today
from kehoach.reporting.files import safe_filename

from . import evidence_zip, par_sheet, plan_doc, report, workbook
from .letters import plan_topic
from .models import DocumentKind, GeneratedDocument
from .periods import Period
from .storage import new_spool
from .xlsx import write_xlsx

Step = Callable[[int, str], None]  # (percent, what is being done)

EXTENSIONS = {
    DocumentKind.YEAR_REPORT: ".docx",
    DocumentKind.PLAN: ".docx",
    DocumentKind.WORKBOOK: ".xlsx",
    DocumentKind.PAR_SHEET: ".xlsx",
    DocumentKind.EVIDENCE_ZIP: ".zip",
}


def _scope(document: GeneratedDocument):
    return frozenset({document.unit_id}) if document.unit_id else None


def difficulties_for(user, plan: Plan, unit) -> QuerySet | None:
    """What the author may read of the units' difficulties; None when not the plan's."""
    if unit is None:
        if not access.can_read_plan_difficulties(user, plan):
            return None
        return access.visible_difficulties(user).filter(task__plan=plan)
    if unit.pk not in access.get_scope(user).own_unit_ids and not (
        access.can_read_plan_difficulties(user, plan)
    ):
        return None
    return access.visible_difficulties(user).filter(task__plan=plan, unit=unit)


def estimates_for(user, plan: Plan, unit) -> QuerySet | None:
    try:
        qs = access.visible_estimates(user).filter(plan=plan)
    except ImportError:  # pragma: no cover - no budgets app
        return None
    return qs.filter(unit=unit) if unit is not None else qs


def year_report_for(plan: Plan, user, unit, params: dict) -> report.YearReport:
    """The report's rows for ``params`` (the same for the document and the screen preview)."""
    issue = params.get("issue_date")
    return report.year_report(
        plan,
        period=Period.from_params(params),
        unit=unit,
        difficulties=difficulties_for(user, plan, unit),
        estimates=estimates_for(user, plan, unit),
        proposals=params.get("proposals", ""),
        recipients=params.get("recipients"),
        number=params.get("number", ""),
        symbol=params.get("symbol", ""),
        issue_date=dt.date.fromisoformat(issue) if issue else None,
        signer_authority=params.get("signer_authority"),
        signer_position=params.get("signer_position"),
        signer_name=params.get("signer_name"),
    )


def download_name(document: GeneratedDocument) -> str:
    plan = document.plan
    unit = f" - {document.unit.name}" if document.unit_id else ""
    topic = plan_topic(plan.title)
    if document.kind == DocumentKind.YEAR_REPORT:
        period = Period.from_params(document.params).words
        stem = f"Báo cáo kết quả {period}{unit}"
    elif document.kind == DocumentKind.PLAN:
        stem = f"Kế hoạch {topic}"
    elif document.kind == DocumentKind.WORKBOOK:
        stem = f"Số liệu kế hoạch {plan.year}{unit}"
    elif document.kind == DocumentKind.PAR_SHEET:
        stem = f"Tự đánh giá PAR tuyên truyền CCHC {plan.year}"
    else:
        stem = f"Hồ sơ tài liệu kiểm chứng {plan.year}{unit}"
    return safe_filename(stem[:110] + EXTENSIONS[document.kind], default_stem="van-ban")


def spool_for(document: GeneratedDocument) -> Path:
    """A temporary file for the document, in storage's own folder (see ``storage``)."""
    return new_spool(EXTENSIONS[document.kind])


def build(document: GeneratedDocument, path: Path, step: Step) -> None:
    """Write the document into ``path`` (a temporary file). ValidationError on bad input."""
    plan, unit, user = document.plan, document.unit, document.requested_by
    kind = document.kind
    if kind == DocumentKind.YEAR_REPORT:
        step(10, _("Đang tổng hợp số liệu từ các báo cáo đã được chấp nhận"))
        rows = year_report_for(plan, user, unit, document.params)
        step(60, _("Đang trình bày văn bản"))
        path.write_bytes(report.year_report_docx(rows))
    elif kind == DocumentKind.PLAN:
        step(30, _("Đang trình bày văn bản kế hoạch"))
        path.write_bytes(plan_doc.plan_docx(plan_doc.plan_text(plan)))
    elif kind == DocumentKind.WORKBOOK:
        step(5, _("Đang ghi bảng tính"))
        expected = max(workbook.expected_rows(plan, _scope(document)), 1)

        def rows_done(rows: int) -> None:
            done, total = f"{rows:,}".replace(",", "."), f"{expected:,}".replace(",", ".")
            step(
                5 + min(90 * rows // expected, 90),
                _("Đã ghi %(done)s/%(total)s dòng") % {"done": done, "total": total},
            )

        sheets = workbook.workbook_sheets(
            plan, _scope(document), estimates=estimates_for(user, plan, unit)
        )
        write_xlsx(path, sheets, progress=rows_done)
    elif kind == DocumentKind.PAR_SHEET:
        step(10, _("Đang tính tỷ lệ hoàn thành và điểm"))
        assessment = par_sheet.par_assessment(plan, today=local_today())
        sheets = par_sheet.par_sheets(plan, assessment)  # refuses without explanations
        step(40, _("Đang ghi bảng tự đánh giá"))
        write_xlsx(path, sheets)
    elif kind == DocumentKind.EVIDENCE_ZIP:
        shown = [-1]

        def files_done(done: int, total: int) -> None:
            share = 90 * done // total if total else 90
            if share == shown[0]:  # called for every file: the message only when it moves
                return
            shown[0] = share
            step(
                5 + share,
                _("Đã đóng gói %(done)s/%(total)s tệp")
                % {
                    "done": f"{done:,}".replace(",", "."),
                    "total": f"{total:,}".replace(",", "."),
                },
            )

        step(5, _("Đang đóng gói tài liệu kiểm chứng"))
        with path.open("wb") as fh:
            evidence_zip.write_package(
                fh,
                plan,
                unit_ids=_scope(document),
                unit_name=unit.name if unit else "",
                progress=files_done,
            )
    else:  # pragma: no cover - the model's choices
        raise ValueError(kind)
