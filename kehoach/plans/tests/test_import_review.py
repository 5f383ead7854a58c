"""The review screen: upload a document, edit its draft beside the source text, commit.

Nothing here may create a plan before "Tạo kế hoạch"; refusals leave nothing saved.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit
from kehoach.plans import services
from kehoach.plans.demo import SEED_FILE
from kehoach.plans.forms import ReviewForms
from kehoach.plans.importer import parse_bytes
from kehoach.plans.models import (
    Assignment,
    ImportSession,
    LegalBasis,
    Plan,
    Task,
    UnresolvedMention,
)

from .importer_support import PLANS, blank_pdf

pytestmark = pytest.mark.django_db

UNKNOWN_UNIT = "Phòng Tư pháp - Hộ tịch thị xã"
# The review's own queries beyond the layout's: its issuer choices, the units the resolver reads,
# the units to pick from, the units already chosen.
REVIEW_QUERIES = 4


def hotich_docx(*, unit: str = UNKNOWN_UNIT, number: str = "15/KH-UBND") -> bytes:
    """A small real Word plan of Trảng Bàng whose lead unit is written in a way no unit name
    or alias matches (the resolver's best guess scores 83 < 90)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()

    def p(text: str, *, bold: bool = False, center: bool = False) -> None:
        para = doc.add_paragraph()
        para.add_run(text).bold = bold
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    p("ỦY BAN NHÂN DÂN", bold=True, center=True)
    p("THỊ XÃ TRẢNG BÀNG", bold=True, center=True)
    p(f"Số: {number}")
    p("Trảng Bàng, ngày 10 tháng 01 năm 2024")
    p("KẾ HOẠCH", bold=True, center=True)
    p(
        "Tuyên truyền pháp luật về hộ tịch năm 2024 trên địa bàn thị xã Trảng Bàng",
        bold=True,
        center=True,
    )
    p(
        "Căn cứ Kế hoạch số 526/KH-UBND ngày 28/02/2023 của UBND tỉnh về tuyên truyền cải cách "
        "hành chính năm 2023 trên địa bàn tỉnh Tây Ninh;"
    )
    p("Ủy ban nhân dân thị xã Trảng Bàng ban hành Kế hoạch như sau:")
    p("I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    p("1. Mục đích")
    p("Nâng cao hiểu biết của Nhân dân về đăng ký hộ tịch trực tuyến.")
    p("II. NỘI DUNG", bold=True)
    p("1. Tuyên truyền đăng ký hộ tịch trực tuyến trên hệ thống truyền thanh", bold=True)
    p(f"a) Cơ quan thực hiện: {unit}.")
    p(
        "b) Cơ quan phối hợp: Trung tâm Văn hóa, Thể thao và Truyền thanh thị xã Trảng Bàng; "
        "UBND xã, phường."
    )
    p("c) Nội dung: Phát tin, bài hướng dẫn đăng ký khai sinh, khai tử trực tuyến.")
    p("d) Sản phẩm, kết quả dự kiến: 12 tin, bài trên hệ thống truyền thanh.")
    p("đ) Thời gian thực hiện: Quý II/2024.")
    p("2. Tập huấn nghiệp vụ hộ tịch cho công chức xã, phường", bold=True)
    p("a) Cơ quan thực hiện: Phòng Nội vụ thị xã.")
    p(f"b) Cơ quan phối hợp: {unit}.")
    p("c) Nội dung: Tập huấn quy trình đăng ký hộ tịch trên phần mềm dùng chung.")
    p("d) Sản phẩm, kết quả dự kiến: 01 lớp tập huấn.")
    p("đ) Thời gian thực hiện: Trước ngày 30/6/2024.")
    p("III. TỔ CHỨC THỰC HIỆN", bold=True)
    p("Các cơ quan, đơn vị triển khai thực hiện, báo cáo kết quả trước ngày 20/11/2024.")
    p("Nơi nhận:")
    p("- UBND tỉnh;")
    p("- Lưu: VT.")
    p("KT. CHỦ TỊCH", bold=True)
    p("PHÓ CHỦ TỊCH", bold=True)
    p("Nguyễn Văn A", bold=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def upload(client, name: str, data: bytes):
    return client.post(reverse("plans:import"), {"file": SimpleUploadedFile(name, data)})


def review_data(session: ImportSession, user, **changes) -> dict[str, str]:
    """What the browser posts for the review form as it is shown, plus ``changes``."""
    review = ReviewForms(
        None,
        draft=session.draft,
        issuer_unit=session.issuer_unit,
        issuers=access.plan_issuer_choices(user),
    )
    data: dict[str, str] = {}

    def add(form) -> None:
        for bound in form:
            if bound.name == "DELETE":
                continue
            value = bound.value()
            data[bound.html_name] = "" if value is None else str(value)

    add(review.header)
    for formset in (review.bases, review.tasks):
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data.update(changes)
    return data


@pytest.fixture
def coordinator(cast, client_for):
    return client_for(cast["coordinator"])


def _samples() -> list[Path]:
    files = [SEED_FILE]
    if PLANS.is_dir():
        files += sorted(
            p
            for p in PLANS.iterdir()
            if p.suffix in (".md", ".docx", ".pdf", ".txt") and p.name != "README.md"
        )
    return files


# --- upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_each_sample_opens_for_review_and_creates_nothing(path, cast, coordinator):
    response = upload(coordinator, path.name, path.read_bytes())
    session = ImportSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plans:import_review", args=[session.pk])
    assert Plan.objects.count() == 0

    html = coordinator.get(response.url).content.decode()
    draft = session.draft
    assert draft["tasks"], path.name
    for task in draft["tasks"]:
        assert f'<span class="code">{task["code"]}</span>' in html
    # The source text is shown beside the draft: a line of the document, as read.
    assert 'class="source-text"' in html
    assert session.source_text and session.source_text.splitlines()[0][:20] in html
    assert "Tạo kế hoạch" in html and "Cụm từ cần chọn đơn vị" in html
    assert (
        session.sha256 == draft["source"]["sha256"] and session.uploaded_by == cast["coordinator"]
    )
    assert Plan.objects.count() == 0


def test_the_seed_copy_presets_the_issuer_and_shows_how_mentions_resolve(org_units, coordinator):
    response = upload(coordinator, "ke-hoach.txt", SEED_FILE.read_bytes())
    session = ImportSession.objects.get()
    assert session.issuer_unit == org_units["trang-bang"]
    html = coordinator.get(response.url).content.decode()
    # Each mention with its units and method: a name, a group, a vague phrase.
    assert "“Văn phòng HĐND và UBND thị xã”" in html
    assert "Văn phòng HĐND và UBND thị xã Trảng Bàng" in html and "khớp tên" in html
    assert "“UBND xã, phường”" in html and "10 đơn vị" in html and "nhóm đơn vị" in html
    assert "“các cơ quan, đơn vị có liên quan”" in html and "không chỉ đơn vị cụ thể" in html
    # Import warnings are highlighted, each once.
    assert 'class="card warn import-warnings"' in html
    assert html.count("“UBND tỉnh” được hiểu là “UBND tỉnh Tây Ninh”") == 1
    assert "Văn bản chưa có số" in html


def test_a_plan_of_an_authority_not_in_the_list_waits_for_the_issuer(coordinator):
    path = PLANS / "synth_a1_huyen-hai-hau-2024-lettered.md"
    if not path.is_file():
        pytest.skip("../shared/plans is not available")
    response = upload(coordinator, path.name, path.read_bytes())
    session = ImportSession.objects.get()
    assert session.issuer_unit is None  # UBND huyện Hải Hậu is no unit of ours
    html = coordinator.get(response.url).content.decode()
    assert "Hãy chọn cơ quan ban hành ở phần Thông tin chung" in html
    response = coordinator.post(
        response.url, review_data(session, session.uploaded_by, action="commit")
    )
    assert response.status_code == 302
    follow = coordinator.get(response.url).content.decode()
    assert "Hãy chọn cơ quan ban hành kế hoạch." in follow
    assert Plan.objects.count() == 0 and ImportSession.objects.count() == 1


def test_too_large_is_refused_before_parsing(settings, coordinator, monkeypatch):
    settings.IMPORT_MAX_BYTES = 4000

    def no_parsing(*args, **kwargs):
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr(services, "parse_bytes", no_parsing)
    response = upload(coordinator, "ke-hoach.txt", SEED_FILE.read_bytes())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp quá lớn: 14,3 KB vượt giới hạn 3,9 KB cho phép." in html.replace("\xa0", " ")
    assert ImportSession.objects.count() == 0 and Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rong.docx", b"", "Tệp rỗng: không có nội dung để nhập."),
        ("trang.txt", b"  \n\t \n", "Tệp rỗng: không có nội dung để nhập."),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "Không nhận ra định dạng tệp"),
        ("rac.txt", bytes(range(256)) * 16, "Tệp không phải văn bản đọc được"),
        ("hong.docx", b"PK\x03\x04" + b"\x00" * 200, "Tệp Word (.docx) bị hỏng"),
        ("thu.txt", "Kính gửi anh chị, hẹn gặp lại.".encode(), "Không nhận ra cấu trúc kế hoạch"),
    ],
    ids=["empty", "blank", "image", "binary", "broken-docx", "not-a-plan"],
)
def test_bad_files_get_a_message_and_save_nothing(name, data, message, coordinator):
    response = upload(coordinator, name, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="fielderror"' in html
    assert ImportSession.objects.count() == 0 and Plan.objects.count() == 0


def test_no_file_chosen(coordinator):
    response = coordinator.post(reverse("plans:import"), {})
    assert "Hãy chọn tệp văn bản kế hoạch." in response.content.decode()


def test_a_document_already_imported_is_refused_at_upload(seed_plan, coordinator):
    response = upload(coordinator, "lan-hai.txt", SEED_FILE.read_bytes())
    html = response.content.decode()
    assert "Văn bản này đã được nhập (kế hoạch “" in html and seed_plan.title in html
    assert ImportSession.objects.count() == 0 and Plan.objects.count() == 1


def test_the_same_document_twice_resumes_or_is_refused_for_another_person(
    cast, coordinator, org_units, client_for
):
    first = upload(coordinator, "kh.txt", SEED_FILE.read_bytes())
    again = upload(coordinator, "kh-ban-sao.txt", SEED_FILE.read_bytes())
    assert again.url == first.url and ImportSession.objects.count() == 1
    assert "tiếp tục rà soát bản nháp đã lưu" in coordinator.get(again.url).content.decode()

    from kehoach.orgs.models import Role
    from kehoach.orgs.services import user_create

    other = user_create(
        username="coordinator2",
        password="x",
        full_name="Trần Thị Hai",
        memberships=[(org_units["trang-bang-vp"], Role.COORDINATOR)],
    )
    response = upload(client_for(other), "kh.txt", SEED_FILE.read_bytes())
    assert "Văn bản này đang được coordinator rà soát" in response.content.decode()
    assert ImportSession.objects.count() == 1


def test_a_scanned_pdf_says_why_no_source_text_is_shown(coordinator, monkeypatch):
    draft = parse_bytes(SEED_FILE.read_bytes(), "seed.txt")
    draft.source.format = "pdf"  # as OCR would have read it; the bytes have no text layer
    monkeypatch.setattr(services, "parse_bytes", lambda data, name, max_bytes: draft)
    response = upload(coordinator, "ban-quet.pdf", blank_pdf())
    session = ImportSession.objects.get()
    assert session.source_text == ""
    html = coordinator.get(response.url).content.decode()
    assert "Tệp là bản quét: nội dung bản nháp được nhận dạng bằng OCR." in html


# --- review -----------------------------------------------------------------------------------


@pytest.fixture
def seed_session(coordinator):
    upload(coordinator, "ke-hoach-2023.txt", SEED_FILE.read_bytes())
    return ImportSession.objects.get()


def test_leaving_the_screen_commits_nothing(seed_session, coordinator, cast):
    url = reverse("plans:import_review", args=[seed_session.pk])
    data = review_data(seed_session, cast["coordinator"], **{"plan-title": "Tên đã sửa"})
    response = coordinator.post(url, {**data, "action": "save"})
    assert response.status_code == 302
    seed_session.refresh_from_db()
    assert seed_session.draft["title"] == "Tên đã sửa"
    # The office walks away: the draft waits, no plan, no task, no assignment.
    coordinator.get(reverse("plans:list"))
    assert (Plan.objects.count(), Task.objects.count(), Assignment.objects.count()) == (0, 0, 0)
    # … until it expires, when it is no longer anyone's.
    ImportSession.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert coordinator.get(url).status_code == 404


def test_discarding_deletes_the_draft_only(seed_session, coordinator):
    response = coordinator.post(reverse("plans:import_discard", args=[seed_session.pk]))
    assert response.status_code == 302 and response.url == reverse("plans:import")
    assert ImportSession.objects.count() == 0 and Plan.objects.count() == 0


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_saving_without_edits_keeps_the_draft_as_read(path, coordinator, cast):
    """The forms lose nothing: the draft saved untouched equals the importer's, field by field."""
    response = upload(coordinator, path.name, path.read_bytes())
    session = ImportSession.objects.get()
    before = session.draft
    response = coordinator.post(response.url, review_data(session, cast["coordinator"]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    session.refresh_from_db()
    assert session.draft == before


def test_committing_applies_every_edit(seed_session, coordinator, cast, org_units):
    url = reverse("plans:import_review", args=[seed_session.pk])
    data = review_data(
        seed_session,
        cast["coordinator"],
        **{
            "plan-number": "88/KH-UBND",
            "plan-date": "2023-03-15",
            "plan-title": "Kế hoạch Tuyên truyền CCHC năm 2023 (đã rà soát)",
            "plan-recipients": "UBND tỉnh\nLưu: VT.",
            "bases-0-number": "76/NQ-CP (sửa)",
            "bases-4-DELETE": "on",
            "tasks-0-title": "Tuyên truyền CCHC trong nội bộ (sửa)",
            "tasks-0-lead_units": "Phòng Nội vụ thị xã",
            "tasks-0-support_units": "",
            "tasks-0-deliverables": "01 lớp tập huấn\nDanh sách tham dự",
            # Only the words of the deadline change: kind and date follow them.
            "tasks-1-deadline_text": "Quý III/2023",
            "tasks-5-DELETE": "on",
            # A task the importer did not see, in the blank row.
            "tasks-6-code": "II.7",
            "tasks-6-title": "Tổng kết công tác tuyên truyền",
            "tasks-6-lead_units": "Văn phòng HĐND và UBND thị xã",
            "tasks-6-deadline_kind": "date",
            "tasks-6-deadline_date": "2023-12-15",
            "action": "commit",
        },
    )
    response = coordinator.post(url, data)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[plan.pk])
    assert ImportSession.objects.count() == 0
    assert (plan.number, plan.date, plan.recipients) == (
        "88/KH-UBND",
        dt.date(2023, 3, 15),
        ["UBND tỉnh", "Lưu: VT."],
    )
    assert plan.title == "Kế hoạch Tuyên truyền CCHC năm 2023 (đã rà soát)"
    assert plan.created_by == cast["coordinator"] and plan.source_sha256 == seed_session.sha256
    assert list(LegalBasis.objects.filter(plan=plan).values_list("number", flat=True)) == [
        "76/NQ-CP (sửa)",
        "82/QĐ-BNV",
        "2631/QĐ-UBND",
        "2674/QĐ-UBND",
    ]
    tasks = {t.code: t for t in plan.tasks.all()}
    assert sorted(tasks) == ["II.1", "II.2", "II.3", "II.4", "II.5", "II.7"]
    ii1 = tasks["II.1"]
    assert ii1.title == "Tuyên truyền CCHC trong nội bộ (sửa)"
    assert set(ii1.assignments.values_list("unit__code", "role")) == {("trang-bang-noi-vu", "lead")}
    assert [(d.text, d.kind, d.target) for d in ii1.deliverables.all()] == [
        ("01 lớp tập huấn", "training", 1),
        ("Danh sách tham dự", "attendance", None),
    ]
    ii2 = tasks["II.2"]
    assert (ii2.deadline_kind, ii2.deadline, ii2.deadline_text) == (
        "date",
        dt.date(2023, 9, 30),
        "Quý III/2023",
    )
    ii7 = tasks["II.7"]
    assert ii7.deadline == dt.date(2023, 12, 15) and ii7.position == 6
    assert ii7.assignments.get().unit == org_units["trang-bang-vp"]


def test_invalid_edits_are_shown_and_nothing_is_saved(seed_session, coordinator, cast):
    url = reverse("plans:import_review", args=[seed_session.pk])
    before = seed_session.draft
    data = review_data(
        seed_session,
        cast["coordinator"],
        **{
            "tasks-1-code": "II.1",  # the same code twice
            "tasks-2-title": "",
            "tasks-3-deadline_kind": "date",
            "tasks-3-deadline_date": "",
            "action": "commit",
        },
    )
    response = coordinator.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản nháp còn chỗ chưa hợp lệ" in html
    assert "Mục nhiệm vụ bị trùng: II.1." in html
    assert "Thời hạn loại “hạn ngày” cần có ngày." in html
    assert 'class="card task-review has-errors"' in html
    seed_session.refresh_from_db()
    assert seed_session.draft == before and Plan.objects.count() == 0


def test_a_plan_needs_a_task(seed_session, coordinator, cast):
    url = reverse("plans:import_review", args=[seed_session.pk])
    deleted = {f"tasks-{i}-DELETE": "on" for i in range(6)}
    response = coordinator.post(url, review_data(seed_session, cast["coordinator"], **deleted))
    assert "Kế hoạch cần ít nhất một nhiệm vụ." in response.content.decode()
    seed_session.refresh_from_db()
    assert len(seed_session.draft["tasks"]) == 6


def test_the_upload_page_lists_drafts_under_review(seed_session, coordinator, cast, client_for):
    html = coordinator.get(reverse("plans:import")).content.decode()
    assert "Bản nháp đang rà soát" in html
    assert reverse("plans:import_review", args=[seed_session.pk]) in html
    # Not another coordinator's: a review is its uploader's own.
    from kehoach.orgs.models import Role
    from kehoach.orgs.services import user_create

    other = user_create(
        username="vp2",
        password="x",
        full_name="vp2",
        memberships=[
            (seed_session.issuer_unit.children.get(code="trang-bang-vp"), Role.COORDINATOR)
        ],
    )
    other_client = client_for(other)
    assert "Bản nháp đang rà soát" not in other_client.get(reverse("plans:import")).content.decode()
    url = reverse("plans:import_review", args=[seed_session.pk])
    assert other_client.get(url).status_code == 404


def test_a_document_imported_meanwhile_is_refused_at_commit(seed_session, coordinator, cast):
    plan_import_elsewhere = services.plan_import(draft=parse_bytes(SEED_FILE.read_bytes(), "x"))
    url = reverse("plans:import_review", args=[seed_session.pk])
    response = coordinator.post(
        url, review_data(seed_session, cast["coordinator"], action="commit")
    )
    assert response.status_code == 302 and response.url == url
    assert "Văn bản này đã được nhập" in coordinator.get(url).content.decode()
    assert list(Plan.objects.all()) == [plan_import_elsewhere.plan]
    assert ImportSession.objects.count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_review_page_query_count_is_pinned(seed_session, coordinator, org_units):
    """The review's own queries, over those of the layout (measured on the upload page, which
    reads only the user's reviews): a fixed number whatever the number of tasks and mentions,
    since the resolver works in memory."""
    url = reverse("plans:import_review", args=[seed_session.pk])
    tu_phap = org_units["trang-bang-tu-phap"]
    seed_session.unit_choices = {"x": {"text": "x", "units": [tu_phap.pk]}}
    seed_session.save(update_fields=["unit_choices"])
    layout = _queries(coordinator, reverse("plans:import"))
    assert _queries(coordinator, url) - layout <= REVIEW_QUERIES


# --- unit choices and aliases -----------------------------------------------------------------


@pytest.fixture
def hotich_session(coordinator):
    upload(coordinator, "ke-hoach-ho-tich.docx", hotich_docx())
    return ImportSession.objects.get()


def _pick_index(html: str, mention: str) -> str:
    marker = f'value="{mention}"'
    at = html.index(marker)
    name_at = html.rindex('name="pick-', 0, at)
    return html[name_at + len('name="pick-') :].split("-", 1)[0]


def test_an_unresolved_unit_is_picked_saved_as_alias_and_reused(
    hotich_session, coordinator, cast, org_units
):
    url = reverse("plans:import_review", args=[hotich_session.pk])
    html = coordinator.get(url).content.decode()
    # Shown as unresolved, with the best score, in both tasks where it is written.
    assert "chưa xác định" in html and "giống nhất 83%" in html
    assert "II.1 · Thực hiện, chủ trì; II.2 · Phối hợp" in html
    n = _pick_index(html, UNKNOWN_UNIT)
    tu_phap = org_units["trang-bang-tu-phap"]
    data = review_data(hotich_session, cast["coordinator"])
    data.update({f"pick-{n}-mention": UNKNOWN_UNIT, f"pick-{n}-units": str(tu_phap.pk)})
    response = coordinator.post(url, {**data, "action": "commit"})
    plan = Plan.objects.get()
    assert response.status_code == 302
    ii1, ii2 = plan.tasks.order_by("position")
    assert ii1.assignments.get(role="lead").unit == tu_phap
    assert ii2.assignments.get(role="support").unit == tu_phap
    assert not UnresolvedMention.objects.filter(task__plan=plan).exists()
    tu_phap.refresh_from_db()
    assert UNKNOWN_UNIT in tu_phap.aliases

    # The next plan written the same way resolves by itself.
    response = upload(coordinator, "ke-hoach-2.docx", hotich_docx(number="16/KH-UBND"))
    session = ImportSession.objects.get()
    html = coordinator.get(response.url).content.decode()
    assert f"“{UNKNOWN_UNIT}”" in html
    assert 'name="pick-0-mention"' not in html  # nothing left to pick
    assert "Mọi cụm từ chỉ đơn vị đều đã xác định được đơn vị." in html
    outcome = services.import_session_commit(session=session, user=cast["coordinator"])
    lead = outcome.plan.tasks.get(code="II.1").assignments.get(role="lead")
    assert lead.unit == tu_phap


def test_no_specific_unit_is_kept_as_a_vague_mention_and_no_alias(
    hotich_session, coordinator, cast
):
    url = reverse("plans:import_review", args=[hotich_session.pk])
    html = coordinator.get(url).content.decode()
    n = _pick_index(html, UNKNOWN_UNIT)
    data = review_data(hotich_session, cast["coordinator"])
    data.update({f"pick-{n}-mention": UNKNOWN_UNIT, f"pick-{n}-units": "none"})
    coordinator.post(url, {**data, "action": "save"})
    hotich_session.refresh_from_db()
    assert list(hotich_session.unit_choices.values()) == [{"text": UNKNOWN_UNIT, "units": []}]
    html = coordinator.get(url).content.decode()
    assert '<option value="none" selected>' in html
    services.import_session_commit(session=hotich_session, user=cast["coordinator"])
    mentions = UnresolvedMention.objects.all()
    assert {(m.text, m.reason) for m in mentions} == {(UNKNOWN_UNIT, "vague")}
    assert all(UNKNOWN_UNIT not in u.aliases for u in OrgUnit.objects.all())


def test_several_units_for_one_mention_save_no_alias(hotich_session, coordinator, cast, org_units):
    url = reverse("plans:import_review", args=[hotich_session.pk])
    html = coordinator.get(url).content.decode()
    n = _pick_index(html, UNKNOWN_UNIT)
    picked = [org_units["trang-bang-tu-phap"], org_units["trang-bang-noi-vu"]]
    data = review_data(hotich_session, cast["coordinator"])
    data[f"pick-{n}-mention"] = UNKNOWN_UNIT
    response = coordinator.post(
        url, {**data, f"pick-{n}-units": [str(u.pk) for u in picked], "action": "commit"}
    )
    assert response.status_code == 302
    task = Task.objects.get(code="II.1")
    assert set(task.assignments.filter(role="lead").values_list("unit__code", flat=True)) == {
        "trang-bang-tu-phap",
        "trang-bang-noi-vu",
    }
    assert all(UNKNOWN_UNIT not in u.aliases for u in OrgUnit.objects.all())


def test_a_group_phrase_chosen_as_one_unit_is_not_remembered(seed_session, coordinator, cast):
    """ "các cơ quan, đơn vị có liên quan" means other units in every plan: no alias."""
    url = reverse("plans:import_review", args=[seed_session.pk])
    html = coordinator.get(url).content.decode()
    phrase = "các cơ quan, đơn vị có liên quan"
    n = _pick_index(html, phrase)
    vhtt = OrgUnit.objects.get(code="trang-bang-vh-tt")
    data = review_data(seed_session, cast["coordinator"])
    data.update({f"pick-{n}-mention": phrase, f"pick-{n}-units": str(vhtt.pk)})
    coordinator.post(url, {**data, "action": "commit"})
    vhtt.refresh_from_db()
    assert phrase not in vhtt.aliases
    task = Task.objects.get(code="II.2")
    assert not task.unresolved_mentions.exists()
    assert task.assignments.get(unit=vhtt).role == "lead"  # named as lead already: stays lead


def test_none_and_a_unit_together_is_refused(hotich_session, coordinator, cast, org_units):
    url = reverse("plans:import_review", args=[hotich_session.pk])
    html = coordinator.get(url).content.decode()
    n = _pick_index(html, UNKNOWN_UNIT)
    data = review_data(hotich_session, cast["coordinator"])
    data[f"pick-{n}-mention"] = UNKNOWN_UNIT
    data[f"pick-{n}-units"] = ["none", str(org_units["trang-bang-tu-phap"].pk)]
    response = coordinator.post(url, {**data, "action": "commit"})
    assert "hãy chọn đơn vị hoặc “không giao cho đơn vị cụ thể”" in response.content.decode()
    assert Plan.objects.count() == 0
    hotich_session.refresh_from_db()
    assert hotich_session.unit_choices == {}


def test_htmx_resolves_an_edited_mention_without_saving(hotich_session, coordinator, cast):
    url = reverse("plans:import_resolve", args=[hotich_session.pk])
    data = review_data(
        hotich_session, cast["coordinator"], **{"tasks-0-lead_units": "Phòng Tư pháp thị xã"}
    )
    response = coordinator.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card picks')
    # Task II.1's units come back out of band, now resolved by name …
    assert 'id="units-tasks-0" hx-swap-oob="true"' in html
    assert "“Phòng Tư pháp thị xã”" in html and "khớp tên" in html
    # … while II.2 still writes the unknown form, which still waits for a pick.
    assert f'value="{UNKNOWN_UNIT}"' in html and "II.2 · Phối hợp" in html
    hotich_session.refresh_from_db()
    assert hotich_session.draft["tasks"][0]["lead_units"] == [UNKNOWN_UNIT]
    assert coordinator.get(url).status_code == 405


def test_a_fuzzy_match_shows_its_score_and_can_be_kept(coordinator, cast, org_units):
    docx = hotich_docx(unit="Phòng Tư phá thị xã")  # a typo, one letter short
    response = upload(coordinator, "typo.docx", docx)
    session = ImportSession.objects.get()
    html = coordinator.get(response.url).content.decode()
    assert "gần đúng" in html and "độ giống 97%" in html
    tu_phap = org_units["trang-bang-tu-phap"]
    assert f'<option value="{tu_phap.pk}" selected>' in html
    n = _pick_index(html, "Phòng Tư phá thị xã")
    data = review_data(session, cast["coordinator"])
    data.update({f"pick-{n}-mention": "Phòng Tư phá thị xã", f"pick-{n}-units": str(tu_phap.pk)})
    coordinator.post(response.url, {**data, "action": "commit"})
    assert Task.objects.get(code="II.1").assignments.get(role="lead").unit == tu_phap
    tu_phap.refresh_from_db()
    assert "Phòng Tư phá thị xã" not in tu_phap.aliases  # left as found: no alias


def permission_kwargs(kind: str, plan) -> dict[str, int]:
    """URL kwargs for kehoach/orgs/tests/test_url_permissions.py: a review of the coordinator's
    own (the seed plan is imported already, so a copy with one more line)."""
    from kehoach.orgs.models import User

    coordinator = User.objects.get(username="coordinator")
    start = services.import_session_start(
        user=coordinator,
        filename="ban-sao.txt",
        data=SEED_FILE.read_bytes() + b"\n",
        issuer_choices=access.plan_issuer_choices(coordinator),
    )
    return {"session_id": start.session.pk}
