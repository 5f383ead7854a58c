"""Moderation (publish, merge, reject, assign) and answers, with who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehoach.engagement import services
from kehoach.engagement.models import QuestionStatus
from kehoach.notifications.models import Notification
from kehoach.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def act(client, question, action, **data):
    return client.post(reverse("engagement:question_action", args=[question.pk, action]), data)


def test_coordinator_publishes_assigns_and_the_ward_answers(
    client_for, conference, ask, cast, run_on_commit, org_units
):
    question = ask(phone="0912345678", email="dan@example.com", asker_name="Lê Văn Tám")
    public_url = reverse("engagement:public_conference", args=[conference.pk])
    coordinator = client_for(cast["coordinator"])
    page = coordinator.get(reverse("engagement:question", args=[question.pk])).content.decode()
    assert "0912345678" in page and "dan@example.com" in page  # the moderator may reply

    assert act(coordinator, question, "publish").status_code == 302
    ward_unit = org_units["trang-bang-p-an-tinh"]
    assert act(coordinator, question, "assign", unit=ward_unit.pk).status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED and question.responsible_unit == ward_unit
    assert Notification.objects.filter(user=cast["ward"], message__contains="Được giao trả lời")

    html = client_for(None).get(public_url).content.decode()
    assert "cần giấy tờ gì" in html and "Đang chờ trả lời." in html

    ward = client_for(cast["ward"])
    assert ward.get(reverse("engagement:my_questions")).status_code == 200
    response = act(ward, question, "answer", answer="Hồ sơ gồm đơn đăng ký và sơ đồ thửa đất.")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer.startswith("Hồ sơ gồm") and question.answered_by == cast["ward"]
    assert "so do thua dat" in question.search_text
    html = client_for(None).get(public_url).content.decode()
    assert "Hồ sơ gồm đơn đăng ký và sơ đồ thửa đất." in html
    assert "Trả lời — Ủy ban nhân dân phường An Tịnh" in html or "Trả lời — UBND" in html
    # The answer e-mail is queued for the asker (the task is run where it is tested).
    from kehoach.engagement.notify import answer_email_send

    assert answer_email_send(question_id=question.pk) is True
    assert Notification.objects.filter(
        user=cast["coordinator"], message__contains="đã được trả lời"
    )


def test_answer_email_goes_to_the_asker_only(conference, ask, cast, mailoutbox):
    from kehoach.engagement.notify import answer_email_send

    question = ask(email="dan@example.com")
    services.question_publish(question=question, user=cast["coordinator"])
    assert answer_email_send(question_id=question.pk) is False  # not answered yet
    services.question_assign(
        question=question, unit=conference.assignment.unit, user=cast["coordinator"]
    )
    services.question_answer(question=question, user=cast["ward"], answer="Đã trả lời.")
    assert answer_email_send(question_id=question.pk) is True
    assert mailoutbox[-1].to == ["dan@example.com"]
    assert "Đã trả lời." in mailoutbox[-1].body
    assert answer_email_send(question_id=ask().pk) is False  # no e-mail given


def test_reject_needs_a_reason_and_hides_the_question(client_for, conference, ask, cast):
    question = ask()
    coordinator = client_for(cast["coordinator"])
    act(coordinator, question, "reject", reason="")
    question.refresh_from_db()
    assert question.status == QuestionStatus.PENDING
    act(coordinator, question, "reject", reason="Nội dung không thuộc thẩm quyền.")
    question.refresh_from_db()
    assert question.status == QuestionStatus.REJECTED
    assert question.decision_reason == "Nội dung không thuộc thẩm quyền."
    assert question.moderated_by == cast["coordinator"]
    with pytest.raises(ValidationError):
        services.question_answer(question=question, user=cast["ward"], answer="x")


def test_merge_duplicates_shows_one_question_with_the_count(client_for, conference, ask, cast):
    original = ask(text="Cấp sổ đỏ lần đầu cần giấy tờ gì ạ?")
    duplicate = ask(text="Làm sổ đỏ lần đầu cần những giấy tờ nào?")
    services.question_publish(question=original, user=cast["ward"])
    response = act(client_for(cast["ward"]), duplicate, "merge", into=original.pk)
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == QuestionStatus.MERGED and duplicate.duplicate_of == original
    html = (
        client_for(None)
        .get(reverse("engagement:public_conference", args=[conference.pk]))
        .content.decode()
    )
    assert "Cấp sổ đỏ lần đầu" in html and "Làm sổ đỏ lần đầu" not in html
    assert "1 câu hỏi tương tự đã gộp" in html
    with pytest.raises(ValidationError):
        services.question_merge(question=original, into=original, user=cast["ward"])
    with pytest.raises(ValidationError):  # a merged question is no target
        services.question_merge(question=ask(), into=duplicate, user=cast["ward"])


def test_merge_only_within_the_same_conference(public_plan, conference, ask, cast):
    from .conftest import make_conference

    other = make_conference(public_plan, cast["commune"], unit_code="trang-bang-x-don-thuan")
    elsewhere = ask(conference=other)
    with pytest.raises(ValidationError):
        services.question_merge(question=ask(), into=elsewhere, user=cast["coordinator"])


def test_assign_only_to_units_of_the_task(conference, ask, cast, org_units):
    question = ask()
    party = org_units["trang-bang-thi-uy"]  # not assigned II.6
    with pytest.raises(ValidationError):
        services.question_assign(question=question, unit=party, user=cast["coordinator"])
    department = OrgUnit.objects.get(code="trang-bang-tc-kh")  # support on II.6
    services.question_assign(question=question, unit=department, user=cast["coordinator"])


def test_double_clicks_are_harmless(conference, ask, cast):
    question = ask()
    services.question_publish(question=question, user=cast["coordinator"])
    again = services.question_publish(question=question, user=cast["coordinator"])
    assert again.status == QuestionStatus.PUBLISHED


@pytest.mark.parametrize(
    ("role", "publish", "answer", "contact"),
    [
        ("coordinator", 302, 404, True),
        ("admin", 302, 404, True),
        ("ward", 302, 302, True),  # the organising ward moderates; assigned, it answers
        ("leader", 404, 404, False),  # sees the question, not the contact, acts on nothing
        ("finance", 404, 404, False),
        ("commune", 404, 404, None),  # another unit: the question does not exist for it
        ("stranger", 404, 404, None),
        ("department", 404, 404, None),
        ("nobody", 404, 404, None),
    ],
)
def test_who_may_moderate_answer_and_see_the_contact(
    client_for, conference, ask, cast, role, publish, answer, contact
):
    question = ask(phone="0988777666", asker_name="Người Giấu Tên", name_public=False)
    services.question_assign(
        question=question, unit=conference.assignment.unit, user=cast["coordinator"]
    )
    client = client_for(cast[role])
    page = client.get(reverse("engagement:question", args=[question.pk]))
    if contact is None:
        assert page.status_code == 404
    else:
        html = page.content.decode()
        assert ("0988777666" in html) is contact
        assert ("Người Giấu Tên" in html) is contact
    assert act(client, question, "answer", answer="Trả lời.").status_code == answer
    assert act(client, question, "publish").status_code == publish
    assert act(client, question, "bogus").status_code == 404


def test_a_unit_asked_to_answer_sees_only_its_questions(client_for, conference, ask, cast):
    mine, other = ask(text="Câu hỏi giao Phòng Văn hóa?"), ask(text="Câu hỏi không giao ai cả?")
    department_unit = cast["department"].memberships.get().unit
    services.question_assign(question=mine, unit=department_unit, user=cast["coordinator"])
    client = client_for(cast["department"])
    assert client.get(reverse("engagement:question", args=[mine.pk])).status_code == 200
    assert client.get(reverse("engagement:question", args=[other.pk])).status_code == 404
    page = client.get(reverse("engagement:conference", args=[conference.pk])).content.decode()
    assert "Câu hỏi giao Phòng Văn hóa?" in page and "không giao ai cả" not in page
    assert act(client, mine, "answer", answer="Phòng trả lời.").status_code == 302
    assert act(client, mine, "publish").status_code == 404


def test_conference_is_planned_and_published_by_its_own_unit(client_for, public_plan, cast):
    assignment = public_plan.tasks.get(code="II.6").assignments.get(
        unit__code="trang-bang-p-an-tinh"
    )
    url = reverse("engagement:conference_new", args=[assignment.pk])
    assert client_for(cast["stranger"]).get(url).status_code == 404
    assert client_for(cast["coordinator"]).get(url).status_code == 404
    ward = client_for(cast["ward"])
    fields: list[int] = []  # none chosen
    response = ward.post(
        url,
        {
            "title": "Đối thoại về hộ tịch",
            "starts_at": "2099-05-10T08:00",
            "venue": "Nhà văn hóa khu phố 2",
            "fields": fields,
        },
    )
    assert (
        response.status_code == 200
        and "Hãy chọn ít nhất một lĩnh vực." in response.content.decode()
    )
    from kehoach.engagement.models import Conference, ProcedureField

    response = ward.post(
        url,
        {
            "title": "Đối thoại về hộ tịch",
            "starts_at": "2099-05-10T08:00",
            "ends_at": "2099-05-10T07:00",
            "venue": "Nhà văn hóa khu phố 2",
            "fields": [ProcedureField.objects.get(code="ho-tich").pk],
        },
    )
    assert "Thời gian kết thúc phải sau thời gian bắt đầu." in response.content.decode()
    response = ward.post(
        url,
        {
            "title": "Đối thoại về hộ tịch",
            "starts_at": "2099-05-10T08:00",
            "venue": "Nhà văn hóa khu phố 2",
            "fields": [ProcedureField.objects.get(code="ho-tich").pk],
            "invited_groups": ["citizens"],
        },
    )
    conference = Conference.objects.get()
    assert response.status_code == 302 and conference.status == "draft"
    assert conference.starts_at.hour == 1  # 08:00 in Hồ Chí Minh time is 01:00 UTC
    publish = reverse("engagement:conference_action", args=[conference.pk, "publish"])
    assert client_for(cast["coordinator"]).post(publish).status_code == 404
    assert client_for(cast["ward"]).post(publish).status_code == 302
    conference.refresh_from_db()
    assert conference.status == "published" and conference.published_at


def test_a_mail_server_down_does_not_break_the_answer(conference, ask, cast, monkeypatch):
    from kehoach.engagement import notify

    question = ask(email="dan@example.com")
    services.question_assign(
        question=question, unit=conference.assignment.unit, user=cast["coordinator"]
    )
    services.question_answer(question=question, user=cast["ward"], answer="Trả lời.")

    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notify, "send_mail", down)
    assert notify.answer_email_send(question_id=question.pk) is False
    question.refresh_from_db()
    assert question.answer == "Trả lời."
