"""Fixtures of the monitoring tests: reports in every state, built through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.plans.models import Assignment
from kehoach.reporting import services
from kehoach.reporting.models import Channel, ReportStatus

VP, VHTT = "trang-bang-vp", "trang-bang-vh-tt"
AN_TINH, DON_THUAN, GIA_BINH = (
    "trang-bang-p-an-tinh",
    "trang-bang-x-don-thuan",
    "trang-bang-p-gia-binh",
)


@pytest.fixture
def report(seed_plan, cast):
    """``report(task_code, unit_code, on, positions, status)`` with one evidence row."""

    def make(code, unit_code, on, positions=None, status=ReportStatus.ACCEPTED):
        assignment = Assignment.objects.select_related("task").get(
            task__plan=seed_plan, task__code=code, unit__code=unit_code
        )
        deliverables = assignment.task.deliverables.all()
        if positions is not None:
            deliverables = deliverables.filter(position__in=positions)
        author = cast["coordinator"]
        r = services.report_create(
            assignment=assignment,
            user=author,
            data={"started_on": on, "channel": Channel.objects.first(), "description": "x"},
            deliverables=list(deliverables),
        )
        services.evidence_add_document(
            report=r, user=author, number=f"{r.pk}/UBND", date=on, issuer="x"
        )
        if status != ReportStatus.DRAFT:
            services.report_submit(report=r, user=author)
        if status == ReportStatus.ACCEPTED:
            services.report_accept(report=r, user=cast["coordinator"])
        if status == ReportStatus.RETURNED:
            services.report_return(report=r, user=cast["coordinator"], reason="thiếu")
        return r

    return make


@pytest.fixture
def fixture_reports(report):
    """The hand-computed fixture (see test_dashboard.py for the expected numbers).

    - II.5 (lead: Văn phòng): accepted in June → complete.
    - II.3 (lead: Văn phòng): accepted in July → complete.
    - II.4 (lead: Văn phòng): submitted in September → in progress, 1 pending.
    - II.2 (leads: Văn phòng, Phòng VH-TT): VH-TT accepted in August → VH-TT complete, task not.
    - II.1 (29 leads): An Tịnh accepted on all 3 products in April → complete;
      Đôn Thuận accepted on 1 of 3 in May → in progress; Gia Bình returned in May.
    """
    report("II.5", VP, dt.date(2023, 6, 12))
    report("II.3", VP, dt.date(2023, 7, 3))
    report("II.4", VP, dt.date(2023, 9, 20), status=ReportStatus.SUBMITTED)
    report("II.2", VHTT, dt.date(2023, 8, 1))
    report("II.1", AN_TINH, dt.date(2023, 4, 10))
    report("II.1", DON_THUAN, dt.date(2023, 5, 8), positions=[1])
    report("II.1", GIA_BINH, dt.date(2023, 5, 20), status=ReportStatus.RETURNED)
