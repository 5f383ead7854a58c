"""Sending a question from the public page: valid input, every abuse case, every bad input."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from kehoach.engagement import services
from kehoach.engagement.models import ConferenceStatus, Question, QuestionStatus
from kehoach.notifications.models import Notification

pytestmark = pytest.mark.django_db


def post(client, conference, ip="198.51.100.7", **overrides):
    data = {
        "field": conference.fields.get(code="dat-dai").pk,
        "text": "Thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu cần những giấy tờ gì?",
        "asker_name": "",
        "phone": "",
        "email": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(
        reverse("engagement:public_conference", args=[conference.pk]), data, REMOTE_ADDR=ip
    )


def test_a_valid_question_is_held_for_moderation(client, conference, cast, run_on_commit):
    response = post(
        client,
        conference,
        asker_name="Lê Thị Mai",
        name_public="on",
        phone="+84 912 345 678",
        email="Mai.Le@Example.com",
    )
    assert response.status_code == 302
    assert response.url == reverse("engagement:public_sent", args=[conference.pk])
    question = Question.objects.get()
    assert question.status == QuestionStatus.PENDING
    assert question.contact_phone == "0912345678"
    assert question.contact_email == "mai.le@example.com"
    assert question.name_public and question.public_name == "Lê Thị Mai"
    assert "đồng ý" in question.consent_text
    assert question.search_text.startswith("dat dai thu tuc cap giay")
    # Nothing is public yet, and the organising ward is told there is something to moderate.
    page = client.get(reverse("engagement:public_conference", args=[conference.pk]))
    assert "lần đầu cần những giấy tờ gì" not in page.content.decode()
    assert Notification.objects.filter(user=cast["ward"], message__contains="chờ kiểm duyệt")
    sent = client.get(response.url)
    assert "Cảm ơn bạn đã gửi câu hỏi" in sent.content.decode()


def test_name_is_public_only_when_the_asker_agrees(ask):
    assert ask(asker_name="Phạm Văn Hùng", name_public=False).public_name == ""
    assert ask(asker_name="Phạm Văn Hùng", name_public=True).public_name == "Phạm Văn Hùng"
    # Agreeing without a name shows nothing.
    assert ask(asker_name="", name_public=True).name_public is False


def test_vietnamese_input_of_any_kind_is_stored_as_nfc_and_shown_escaped(client, conference, cast):
    decomposed = unicodedata.normalize(
        "NFD", "Đăng ký hộ tịch cho con thế nào? 👨‍👩‍👧 <script>alert(1)</script>"
    )
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    long_text = ("Xin hỏi thủ tục đất đai 🙏 " * 200)[: services.QUESTION_MAX_CHARS]
    post(client, conference, ip="198.51.100.1", text=decomposed + "\u202e")
    post(client, conference, ip="198.51.100.2", text=long_text, asker_name="Nguyễn\u0301 Văn\x07 A")
    first, second = Question.objects.order_by("id")
    assert first.text == unicodedata.normalize("NFC", decomposed.rstrip())
    assert "\u202e" not in first.text and "👨‍👩‍👧" in first.text
    assert second.text == long_text.strip() and len(second.text) <= services.QUESTION_MAX_CHARS
    assert second.asker_name == unicodedata.normalize("NFC", "Nguyễn\u0301 Văn A")
    assert "dang ky ho tich" in first.search_text
    for q in (first, second):
        services.question_publish(question=q, user=cast["coordinator"])
    html = client.get(
        reverse("engagement:public_conference", args=[conference.pk])
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Đăng ký hộ tịch cho con thế nào? 👨‍👩‍👧" in html
    assert long_text.strip()[:500] in html.replace("<br>", "\n")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Hãy viết câu hỏi."),
        ({"text": "Đất?"}, "Câu hỏi quá ngắn"),
        ({"text": "     \n\n   "}, "Hãy viết câu hỏi."),
        ({"text": "đ" * (services.QUESTION_MAX_CHARS + 1)}, "Câu hỏi quá dài"),
        ({"field": None}, "Hãy chọn lĩnh vực của câu hỏi."),
        ({"field": "999999"}, "Lĩnh vực không có trong danh sách"),
        ({"consent": None}, "Cần đồng ý với điều khoản"),
        ({"phone": "12345"}, "Số điện thoại không đúng"),
        ({"phone": "09123abc45"}, "Số điện thoại không đúng"),
        ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử không đúng"),
        ({"asker_name": "N" * 101}, "Họ tên quá dài"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, conference, overrides, message):
    response = post(client, conference, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_field_the_conference_does_not_cover_is_refused(client, conference):
    from kehoach.engagement.models import ProcedureField

    other = ProcedureField.objects.get(code="dau-tu")
    response = post(client, conference, field=str(other.pk))
    assert response.status_code == 400 and not Question.objects.exists()


def test_honeypot_pretends_success_and_stores_nothing(client, conference):
    response = post(client, conference, website="http://spam.example/")
    assert response.status_code == 302
    assert not Question.objects.exists()


def test_rate_limit_per_address(client, conference, settings):
    settings.ENGAGEMENT_QUESTIONS_PER_ADDRESS = 3
    for i in range(3):
        assert (
            post(
                client, conference, ip="198.51.100.9", text=f"Câu hỏi thứ {i} về đất đai?"
            ).status_code
            == 302
        )
    response = post(client, conference, ip="198.51.100.9", text="Câu hỏi thứ tư về đất đai?")
    assert response.status_code == 429
    assert "nhiều câu hỏi trong thời gian ngắn" in response.content.decode()
    assert Question.objects.count() == 3
    # Another address is not affected.
    assert post(client, conference, ip="198.51.100.10").status_code == 302


def test_rate_limit_per_ipv6_network(client, conference, settings):
    settings.ENGAGEMENT_QUESTIONS_PER_ADDRESS = 1
    assert post(client, conference, ip="2001:db8:1:2::1").status_code == 302
    # Same /64, another interface identifier: the same household or phone.
    assert post(client, conference, ip="2001:db8:1:2::ffff").status_code == 429


def test_rate_limit_per_contact_across_addresses(client, conference, settings):
    settings.ENGAGEMENT_QUESTIONS_PER_CONTACT = 2
    for i, phone in enumerate(["0912 345 678", "+84912345678"]):
        assert post(client, conference, ip=f"198.51.100.{20 + i}", phone=phone).status_code == 302
    response = post(client, conference, ip="198.51.100.30", phone="84 912 345 678")
    assert response.status_code == 429
    assert "Số điện thoại hoặc thư điện tử này" in response.content.decode()
    for i in range(2):
        post(client, conference, ip=f"198.51.100.{40 + i}", email="A@b.vn")
    assert post(client, conference, ip="198.51.100.50", email="a@B.VN").status_code == 429
    assert Question.objects.count() == 4


def test_rate_limit_window_expires(client, conference, settings):
    settings.ENGAGEMENT_QUESTIONS_PER_ADDRESS = 1
    settings.ENGAGEMENT_RATE_WINDOW_SECONDS = 1
    assert post(client, conference, ip="198.51.100.60").status_code == 302
    assert post(client, conference, ip="198.51.100.60").status_code == 429
    from django.core.cache import caches

    caches["default"].clear()  # what the window's expiry does
    assert post(client, conference, ip="198.51.100.60").status_code == 302


def test_questions_are_taken_only_before_a_published_conference(client, conference, cast, ask):
    conference.starts_at = timezone.now() - dt.timedelta(minutes=1)
    conference.save(update_fields=["starts_at"])
    response = post(client, conference)
    assert response.status_code == 400
    assert "không còn nhận câu hỏi" in response.content.decode()
    assert "Gửi câu hỏi trước hội nghị" not in response.content.decode()
    with pytest.raises(services.ValidationError):
        ask()
    assert not Question.objects.exists()


def test_a_draft_or_cancelled_conference_has_no_public_page(client, public_plan, cast):
    from .conftest import make_conference

    draft = make_conference(public_plan, cast["ward"], publish=False)
    url = reverse("engagement:public_conference", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert post(client, draft).status_code == 404
    services.conference_cancel(conference=draft, user=cast["ward"])
    draft.refresh_from_db()
    assert draft.status == ConferenceStatus.CANCELLED
    assert client.get(url).status_code == 404


def test_a_plan_whose_page_is_off_hides_its_conferences(client, conference, cast):
    services.public_settings_save(
        plan=conference.assignment.task.plan, user=cast["coordinator"], data={"is_published": False}
    )
    assert post(client, conference).status_code == 404
    assert not Question.objects.exists()
