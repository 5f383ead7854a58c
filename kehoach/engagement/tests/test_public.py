"""The public CCHC page: only public data, whatever is in the database.

Every public page is rendered and searched for every private value: contacts, names of askers
who did not agree, unpublished questions, officer names, evidence and document file names,
minutes, moderation reasons.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.conftest import make_jpeg
from kehoach.engagement import services
from kehoach.engagement.models import IndicatorKind, Portal
from kehoach.orgs.models import OrgUnit
from kehoach.reporting import services as reporting

from .conftest import make_conference

pytestmark = pytest.mark.django_db

OFFICER_NAMES = {
    "coordinator": "Hoàng Điều Phối Kín",
    "ward": "Đỗ Cán Bộ Phường Kín",
    "commune": "Vũ Cán Bộ Xã Kín",
    "leader": "Lý Lãnh Đạo Kín",
}
PRIVATE = {
    "phone": "0977123456",
    "email": "nguoi.hoi.kin@example.com",
    "hidden_name": "Trịnh Giấu Tên",
    "pending_text": "Câu hỏi đang chờ duyệt không được lộ",
    "rejected_text": "Câu hỏi bị từ chối không được lộ",
    "reject_reason": "Lý do từ chối nội bộ",
    "photo_name": "anh-hoi-nghi-noi-bo.jpg",
    "document_name": "ke-hoach-to-chuc-noi-bo.pdf",
    "minutes": "Biên bản nội bộ có tên cán bộ",
    "ward_report_photo": "giao-ban.jpg",
}


@pytest.fixture
def world(public_plan, cast, media_root, ward_report, run_on_commit):
    """A plan with everything: public and private, published and not."""
    for role, name in OFFICER_NAMES.items():
        cast[role].full_name = name
        cast[role].save(update_fields=["full_name"])
    coordinator, ward = cast["coordinator"], cast["ward"]
    upcoming = make_conference(public_plan, ward, title="Đối thoại phường An Tịnh sắp tới")

    def ask(text, **kwargs):
        kwargs.setdefault("client_ip", f"203.0.113.{len(text) % 250}")
        return services.question_submit(
            conference=upcoming,
            field=upcoming.fields.get(code="dat-dai"),
            text=text,
            consent=True,
            **kwargs,
        ).question

    shown = ask(
        "Thủ tục tách thửa đất ở mất bao lâu?",
        asker_name=PRIVATE["hidden_name"],
        name_public=False,
        phone=PRIVATE["phone"],
        email=PRIVATE["email"],
    )
    named = ask("Đăng ký hộ kinh doanh ở đâu vậy?", asker_name="Công Khai Tên", name_public=True)
    ask(PRIVATE["pending_text"], phone="0977000111")
    rejected = ask(PRIVATE["rejected_text"])
    for q in (shown, named):
        services.question_publish(question=q, user=coordinator)
    services.question_reject(question=rejected, user=coordinator, reason=PRIVATE["reject_reason"])
    services.question_assign(question=shown, unit=upcoming.assignment.unit, user=coordinator)
    services.question_answer(question=shown, user=ward, answer="Không quá 15 ngày làm việc.")

    past = make_conference(public_plan, ward, days=-2, publish=False, title="Đối thoại đã tổ chức")
    pdf = SimpleUploadedFile(PRIVATE["document_name"], b"%PDF-1.4\n%%EOF\n")
    past = services.conference_update(
        conference=past, user=ward, data={}, fields=list(past.fields.all()), document=pdf
    )
    past = services.conference_publish(conference=past, user=ward)
    past = services.conference_record_result(
        conference=past,
        user=ward,
        officials=9,
        citizens=70,
        businesses=4,
        answered_on_spot=11,
        minutes=PRIVATE["minutes"],
        photos=[SimpleUploadedFile(PRIVATE["photo_name"], make_jpeg())],
    )
    reporting.report_accept(report=past.report, user=coordinator)
    reporting.report_submit(report=ward_report, user=ward)

    town = OrgUnit.objects.get(code="trang-bang")
    par = IndicatorKind.objects.get(code="par-index")
    for year, value in [(2021, "83.67"), (2022, "85.32")]:
        services.indicator_value_save(
            kind=par,
            unit=town,
            year=year,
            value=Decimal(value),
            rank=3,
            rank_total=9,
            source="QĐ công bố",
            user=coordinator,
        )
    services.portal_stats_import(
        rows=[
            {
                "portal": Portal.NATIONAL,
                "unit": town,
                "year": 2023,
                "month": 3,
                "visits": 12345,
                "online_dossiers": 678,
                "source": "",
            },
        ],
        user=coordinator,
    )
    return {"plan": public_plan, "upcoming": upcoming, "past": past, "shown": shown}


def public_urls(world):
    plan = world["plan"]
    return [
        reverse("engagement:public_index"),
        reverse("engagement:public_plan", args=[plan.pk]),
        reverse("engagement:public_questions", args=[plan.pk]),
        reverse("engagement:public_questions", args=[plan.pk]) + "?q=tach+thua",
        reverse("engagement:public_questions", args=[plan.pk]) + "?q=ho+kinh+doanh&page=1",
        reverse("engagement:public_conference", args=[world["upcoming"].pk]),
        reverse("engagement:public_conference", args=[world["past"].pk]),
        reverse("engagement:public_sent", args=[world["upcoming"].pk]),
        reverse("engagement:public_chart", args=[plan.pk, "par-index"]),
    ]


def test_no_private_value_on_any_public_page(world, client, cast):
    report = world["past"].report
    private = [
        *PRIVATE.values(),
        *OFFICER_NAMES.values(),
        "0977000111",
        *report.evidence.values_list("safe_name", flat=True),
        *[e.file.name for e in report.evidence.all()],
        world["past"].document.name,
    ]
    for role in (None, "stranger"):  # anonymous, and a signed-in person of another unit
        client.logout()
        if role:
            client.force_login(cast[role])
        for url in public_urls(world):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for value in private:
                assert value not in html, (url, value)
            assert "/bao-cao/tai-lieu/" not in html  # no link to any evidence file


def test_public_pages_show_the_public_data(world, client):
    plan = world["plan"]
    html = client.get(reverse("engagement:public_plan", args=[plan.pk])).content.decode()
    for text in [
        plan.title,
        "Tiến độ theo nội dung",
        "II.6",
        "Đối thoại phường An Tịnh sắp tới",
        "Đối thoại đã tổ chức",
        "9 cán bộ, 70 người dân, 4 doanh nghiệp tham dự; 11 câu hỏi được giải đáp",
        "Thủ tục tách thửa đất ở mất bao lâu?",
        "Không quá 15 ngày làm việc.",
        "Người hỏi giấu tên",
        "Người hỏi: Công Khai Tên",
        "PAR Index",
        "85,32",
        "3/9",
        "12.345",  # visits this year, Vietnamese grouping
    ]:
        assert text in html, text
    # II.6 progress comes from the accepted conference report: the ward's line is complete.
    assert "1/11 đơn vị thực hiện đã hoàn thành" in html
    assert f'src="/cong-khai/{plan.pk}/chi-so/par-index.svg"' in html


def test_search_is_diacritic_insensitive(world, client):
    url = reverse("engagement:public_questions", args=[world["plan"].pk])
    for query in ["tach thua", "TÁCH THỬA", "tách   thửa", "15 ngay lam viec", "dat dai"]:
        html = client.get(url, {"q": query}).content.decode()
        assert "Thủ tục tách thửa đất ở mất bao lâu?" in html, query
    html = client.get(url, {"q": "hộ tịch khai sinh"}).content.decode()
    assert "Không có câu hỏi nào phù hợp." in html
    html = client.get(url, {"q": PRIVATE["pending_text"]}).content.decode()
    assert "Không có câu hỏi nào phù hợp." in html


def test_chart_is_svg_without_script(world, client):
    response = client.get(reverse("engagement:public_chart", args=[world["plan"].pk, "par-index"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "sandbox" in response["Content-Security-Policy"]
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg and "85,32" in svg
    assert (
        client.get(reverse("engagement:public_chart", args=[world["plan"].pk, "pci"])).status_code
        == 404
    )


def test_sections_follow_the_plan_setting(world, client, cast):
    plan = world["plan"]
    url = reverse("engagement:public_plan", args=[plan.pk])
    services.public_settings_save(
        plan=plan,
        user=cast["coordinator"],
        data={
            "show_progress": False,
            "show_questions": False,
            "show_indicators": False,
            "show_portal_stats": False,
        },
    )
    html = client.get(url).content.decode()
    assert "Đối thoại phường An Tịnh sắp tới" in html
    for hidden in ["Tiến độ theo nội dung", "tách thửa", "PAR Index", "12.345"]:
        assert hidden not in html, hidden
    assert client.get(reverse("engagement:public_questions", args=[plan.pk])).status_code == 404
    conference_html = client.get(
        reverse("engagement:public_conference", args=[world["upcoming"].pk])
    ).content.decode()
    assert "tách thửa" not in conference_html
    assert (
        client.get(reverse("engagement:public_chart", args=[plan.pk, "par-index"])).status_code
        == 404
    )
    services.public_settings_save(plan=plan, user=cast["coordinator"], data={"is_published": False})
    for path in public_urls(world)[1:]:
        assert client.get(path).status_code == 404, path
    assert plan.title not in client.get(reverse("engagement:public_index")).content.decode()


def test_public_settings_page_is_for_the_coordinator(world, client_for, cast):
    url = reverse("engagement:public_settings", args=[world["plan"].pk])
    for role in ["ward", "leader", "finance", "stranger", "nobody"]:
        assert client_for(cast[role]).get(url).status_code == 404
    client = client_for(cast["coordinator"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"is_published": "on", "show_summary": "on", "intro": "Chào"})
    assert response.status_code == 302
    settings = world["plan"].public_settings
    settings.refresh_from_db()
    assert settings.intro == "Chào" and not settings.show_questions


PLAN_PAGE_QUERIES = 17
QUESTIONS_PAGE_QUERIES = 4


def test_public_pages_have_a_fixed_query_count(world, client, cast):
    plan = world["plan"]
    urls = {
        reverse("engagement:public_plan", args=[plan.pk]): PLAN_PAGE_QUERIES,
        reverse("engagement:public_questions", args=[plan.pk]) + "?q=dat": QUESTIONS_PAGE_QUERIES,
        reverse("engagement:public_conference", args=[world["upcoming"].pk]): 4,
    }
    counts = {}
    for url in urls:  # warm up: per-process caches fill once
        client.get(url)
    for url, pin in urls.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) == pin, (url, len(ctx.captured_queries))
        counts[url] = len(ctx.captured_queries)
    # Thirty more published, answered questions and another conference: the same counts.
    upcoming = world["upcoming"]
    for i in range(30):
        q = services.question_submit(
            conference=upcoming,
            field=upcoming.fields.get(code="ho-tich"),
            text=f"Câu hỏi đất đai số {i} về hộ tịch?",
            consent=True,
            client_ip=f"198.18.0.{i}",
        ).question
        services.question_publish(question=q, user=cast["coordinator"])
        services.question_assign(
            question=q, unit=upcoming.assignment.unit, user=cast["coordinator"]
        )
        services.question_answer(question=q, user=cast["ward"], answer=f"Trả lời {i}.")
    make_conference(plan, cast["commune"], unit_code="trang-bang-x-don-thuan", days=3)
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) == counts[url], url


def test_public_page_of_a_plan_never_published_is_404(seed_plan, client):
    assert client.get(reverse("engagement:public_plan", args=[seed_plan.pk])).status_code == 404
    html = client.get(reverse("engagement:public_index")).content.decode()
    assert "Chưa có kế hoạch nào được công khai." in html


def test_portal_totals_for_the_ii2_deliverable(world):
    from kehoach.engagement import queries

    deliverables = list(queries.portal_deliverables(world["plan"]))
    assert [d.task.code for d in deliverables] == ["II.2"]
    assert "truy cập" in deliverables[0].text
    totals = queries.plan_portal_totals(world["plan"])
    assert (totals.visits, totals.online_dossiers) == (12345, 678)
    assert queries.portal_totals(year=2022).visits == 0
