"""Officers' pages that list many rows keep a fixed number of queries; the chart function."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.engagement import charts, services
from kehoach.engagement.models import Question

from .conftest import make_conference

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_questions(conference, cast, n):
    for i in range(n):
        q = services.question_submit(
            conference=conference,
            field=conference.fields.first(),
            text=f"Câu hỏi số {i} về thủ tục?",
            consent=True,
            client_ip="192.0.2.1",
            trusted=True,
        ).question
        services.question_publish(question=q, user=cast["coordinator"])
        services.question_assign(
            question=q, unit=conference.assignment.unit, user=cast["coordinator"]
        )


CONFERENCE_LIST = 14
CONFERENCE_PAGE = 13
MY_QUESTIONS = 9


def test_officer_pages_have_a_fixed_query_count(client_for, conference, cast, public_plan):
    client = client_for(cast["ward"])
    urls = {
        reverse("engagement:conferences"): CONFERENCE_LIST,
        reverse("engagement:conference", args=[conference.pk]): CONFERENCE_PAGE,
        reverse("engagement:my_questions"): MY_QUESTIONS,
    }
    before = {}
    add_questions(conference, cast, 2)
    for url in urls:  # warm up: per-process caches (content types, site settings) fill once
        client.get(url)
    for url, pin in urls.items():
        before[url] = count(client, url)
        assert before[url] <= pin, (url, before[url])
    add_questions(conference, cast, 25)
    make_conference(public_plan, cast["ward"], days=9, title="Hội nghị thứ hai")
    for url in urls:
        assert count(client, url) == before[url], url
    assert Question.objects.count() == 27


def test_trusted_submissions_skip_rate_limits_only(conference, cast, settings):
    settings.ENGAGEMENT_QUESTIONS_PER_ADDRESS = 1
    add_questions(conference, cast, 3)  # an officer enters questions received on paper
    with pytest.raises(services.ValidationError):
        services.question_submit(
            conference=conference,
            field=conference.fields.first(),
            text="Ngắn",
            consent=True,
            client_ip="192.0.2.1",
            trusted=True,
        )


def test_dashboard_chart_function(public_plan, cast, org_units):
    from decimal import Decimal

    from kehoach.engagement.models import IndicatorKind

    town = org_units["trang-bang"]
    assert charts.indicator_trend_svg(unit_ids=[town.pk], kind_code="par-index") is None
    for year, value in [(2021, "83.67"), (2022, "85.32")]:
        services.indicator_value_save(
            kind=IndicatorKind.objects.get(code="par-index"),
            unit=town,
            year=year,
            value=Decimal(value),
            user=cast["coordinator"],
        )
    svg = charts.indicator_trend_svg(unit_ids=[town.pk], kind_code="par-index")
    assert svg.startswith("<svg") and "<script" not in svg
    assert "83,67" in svg and "2021" in svg and "UBND thị xã Trảng Bàng" in svg
