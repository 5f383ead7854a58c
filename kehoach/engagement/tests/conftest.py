"""Fixtures of the engagement tests: a published II.6 conference of the An Tịnh ward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from kehoach.engagement import services
from kehoach.engagement.models import ProcedureField


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "engagement-tests",
        }
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def public_plan(seed_plan, cast):
    services.public_settings_save(
        plan=seed_plan, user=cast["coordinator"], data={"is_published": True}
    )
    return seed_plan


def make_conference(plan, user, *, unit_code="trang-bang-p-an-tinh", days=7, publish=True, **data):
    assignment = plan.tasks.get(code="II.6").assignments.get(unit__code=unit_code)
    starts = timezone.now() + dt.timedelta(days=days)
    conference = services.conference_create(
        assignment=assignment,
        user=user,
        data={
            "title": data.pop("title", "Hội nghị đối thoại phường An Tịnh"),
            "starts_at": starts,
            "venue": "Hội trường UBND phường An Tịnh",
            **data,
        },
        fields=list(ProcedureField.objects.filter(code__in=["dat-dai", "ho-tich", "ho-khau"])),
    )
    if publish:
        conference = services.conference_publish(conference=conference, user=user)
    return conference


@pytest.fixture
def conference(public_plan, cast):
    return make_conference(public_plan, cast["ward"])


@pytest.fixture
def field_dat_dai(db):
    return ProcedureField.objects.get(code="dat-dai")


@pytest.fixture
def ask(conference, field_dat_dai):
    """``ask(text=…, **kwargs)``: a question through the service, from a fresh address."""
    counter = {"n": 0}

    def submit(text="Thủ tục cấp giấy chứng nhận quyền sử dụng đất cần giấy tờ gì?", **kwargs):
        counter["n"] += 1
        kwargs.setdefault("client_ip", f"203.0.113.{counter['n']}")
        kwargs.setdefault("consent", True)
        kwargs.setdefault("field", field_dat_dai)
        return services.question_submit(
            conference=kwargs.pop("conference", conference), text=text, **kwargs
        ).question

    return submit
