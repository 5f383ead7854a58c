"""What each page shows, per role, with its query count pinned.

The pins hold whatever the number of units, assignments and reports: progress is computed by a
fixed number of aggregate queries (kehoach/reporting/progress.py), see also
kehoach/reporting/tests/test_progress_scale.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Query pins (exact): session, user, second-factor device, memberships, unit tree, unread notifications,
# the menu's plan lookup, the session's idle-timeout refresh (savepoint, update, release), then
# the page's own queries (progress: kehoach/reporting/progress.py).
PLAN_LIST = 10
PLAN_PAGE = 16
TASK_PAGE = 18
MY_WORK = 13
MY_WORK_WITHOUT_UNIT = 9  # nothing to look up past the request's own queries
UNIT_LIST = 10
UNIT_PAGE = 14

DURING_2023 = dt.datetime(2023, 6, 1, 9, 0, tzinfo=dt.UTC)


def get(client, url, max_queries):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries]
    assert len(queries) == max_queries, (len(queries), queries)
    return response.content.decode()


def test_plan_page_shows_the_whole_document(seed_plan, cast, client_for):
    html = get(
        client_for(cast["coordinator"]), reverse("plans:detail", args=[seed_plan.pk]), PLAN_PAGE
    )
    for text in [
        "Ủy ban nhân dân thị xã Trảng Bàng",
        "Số: (văn bản chưa ghi số)",
        "Trảng Bàng, ngày tháng 3 năm 2023",
        "Kế hoạch Tuyên truyền cải cách hành chính năm 2023 trên địa bàn thị xã Trảng Bàng",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "76/NQ-CP",
        "15/07/2021",
        "82/QĐ-BNV",
        "Bộ Nội vụ",
        "2631/QĐ-UBND",
        "2674/QĐ-UBND",
        "526/KH-UBND",
        "UBND tỉnh Tây Ninh",
        "Nâng cao nhận thức, trách nhiệm",
        "Tuyên truyền phải thực hiện bằng các biện pháp cụ thể",
        "toàn thể Nhân dân",
        "Phòng Tài chính – Kế hoạch thẩm định",
        "hoàn thành các nội dung trước tháng 11 năm 2023",
        "31/10/2023",
        "thường xuyên đôn đốc, kiểm tra",
        "Văn phòng UBND tỉnh",
        "Lưu: VT. VP.",
    ]:
        assert text in html, text
    for code in ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6"]:
        assert f'<span class="code">{code}</span>' in html
    assert html.count("Nghị quyết") >= 1 and html.count("Quyết định") >= 3


def test_task_page_lists_fields_and_units(seed_plan, cast, client_for):
    task = seed_plan.tasks.get(code="II.1")
    html = get(client_for(cast["coordinator"]), reverse("plans:task", args=[task.pk]), TASK_PAGE)
    for text in [
        "Tuyên truyền CCHC trong nội bộ từng cơ quan, đơn vị",
        "Các phòng, ban ngành thị xã; UBND xã, phường",
        "Các cơ quan đảng, đoàn thể; các tổ chức chính trị - xã hội",
        "Đưa thông tin về CCHC trong các buổi giao ban",
        "Tổ chức các lớp tập huấn hoặc quán triệt",
        "chứng minh bằng đường liên kết",
        "31/10/2023",
        "Phường An Tịnh",
        "Phòng Nội vụ",
        "Hội Nông dân thị xã",
    ]:
        assert text in html, text
    assert html.count('<tr class="assignment">') == 29 + 8  # 29 lead + 8 support assignments


def test_each_task_page_has_its_deliverables(seed_plan, cast, client_for):
    client = client_for(cast["leader"])
    for task in seed_plan.tasks.all():
        html = get(client, reverse("plans:task", args=[task.pk]), TASK_PAGE)
        assert task.code in html
        for deliverable in task.deliverables.all():
            assert deliverable.text.replace("(", "").split()[0] in html


def test_unresolved_mention_is_shown_to_the_coordinator_only(seed_plan, cast, client_for):
    task = seed_plan.tasks.get(code="II.2")
    url = reverse("plans:task", args=[task.pk])
    assert "Cụm từ chưa xác định được đơn vị" in get(
        client_for(cast["coordinator"]), url, TASK_PAGE
    )
    assert "Cụm từ chưa xác định được đơn vị" not in get(client_for(cast["ward"]), url, TASK_PAGE)


def test_ward_officer_sees_only_its_own_assignments(seed_plan, cast, client_for):
    task = seed_plan.tasks.get(code="II.1")
    html = get(client_for(cast["ward"]), reverse("plans:task", args=[task.pk]), TASK_PAGE)
    assert "Phường An Tịnh" in html
    assert "Phường Gia Bình" not in html and "Phòng Nội vụ</td>" not in html
    assert html.count('<tr class="assignment">') == 1


@time_machine.travel(DURING_2023)
def test_my_work_lists_the_ward_assignments_in_time(seed_plan, cast, client_for):
    html = get(client_for(cast["ward"]), reverse("plans:my_work"), MY_WORK)
    assert "UBND phường An Tịnh" in html
    assert html.count('<tr class="assignment">') == 6  # II.1 and II.6 lead, II.2–II.5 support
    assert html.count("Chưa hoàn thành trong hạn") == 6
    assert "Phường Gia Bình" not in html


def test_my_work_after_the_deadline_is_overdue(seed_plan, cast, client_for):
    with time_machine.travel(dt.datetime(2023, 11, 2, tzinfo=dt.UTC)):
        html = get(client_for(cast["commune"]), reverse("plans:my_work"), MY_WORK)
    assert html.count("Chưa hoàn thành quá hạn") == 6


def test_user_without_unit_gets_guidance(cast, client_for):
    html = get(client_for(cast["nobody"]), reverse("plans:my_work"), MY_WORK_WITHOUT_UNIT)
    assert "chưa thuộc đơn vị nào" in html


def test_unit_pages(seed_plan, cast, org_units, client_for):
    coordinator = client_for(cast["coordinator"])
    html = get(coordinator, reverse("orgs:list"), UNIT_LIST)
    assert "Xã, phường" in html and "Phòng, ban, ngành" in html and "UBND xã Phước Chỉ" in html
    html = get(coordinator, reverse("orgs:detail", args=[org_units["trang-bang-vp"].pk]), UNIT_PAGE)
    # The Văn phòng leads II.2–II.5 and II.1 (as a department); supports II.6.
    assert html.count('<tr class="assignment">') == 6


def test_query_counts_do_not_grow_with_assignments(seed_plan, cast, client_for, org_units):
    """The pages listing many rows stay within their pins with a second, larger plan."""
    from kehoach.plans.demo import SEED_FILE
    from kehoach.plans.importer import parse_file
    from kehoach.plans.services import plan_import

    draft = parse_file(SEED_FILE)
    draft.source.sha256 = "f" * 64
    plan_import(draft=draft)
    client = client_for(cast["coordinator"])
    get(client, reverse("plans:list"), PLAN_LIST)
    get(client, reverse("orgs:detail", args=[org_units["trang-bang-vp"].pk]), UNIT_PAGE)
    get(client_for(cast["ward"]), reverse("plans:my_work"), MY_WORK)


def test_english_is_available(seed_plan, cast, client_for):
    client = client_for(cast["ward"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("plans:my_work")).content.decode()
    assert "My unit's work" in html
    assert "Open, overdue" in html or "Not completed, overdue" in html
