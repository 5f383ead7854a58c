"""The seed becomes rows: tasks, deliverables, assignments resolved to real units."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kehoach.orgs.models import OrgUnit, OrgUnitKind, User
from kehoach.plans.demo import SEED_FILE, load_demo
from kehoach.plans.importer import PlanDraft, SourceInfo, parse_file
from kehoach.plans.models import Assignment, Deliverable, LegalBasis, Plan, Task, UnresolvedMention
from kehoach.plans.services import plan_import

pytestmark = pytest.mark.django_db


def unit_codes(task, role):
    return set(task.assignments.filter(role=role).values_list("unit__code", flat=True))


@pytest.fixture
def groups(org_units):
    town = org_units["trang-bang"]
    children = [u for u in org_units.values() if u.parent_id == town.pk]
    return {
        "departments": {u.code for u in children if u.counts_as_department},
        "local": {u.code for u in children if u.kind in (OrgUnitKind.WARD, OrgUnitKind.COMMUNE)},
        "sociopolitical": {u.code for u in children if u.kind == OrgUnitKind.SOCIOPOLITICAL},
        "party": {u.code for u in children if u.kind == OrgUnitKind.PARTY},
    }


def test_seed_rows(seed_plan):
    plan = seed_plan
    assert plan.issuer_unit.code == "trang-bang"
    assert plan.number == "" and plan.date is None
    assert plan.date_text == "Trảng Bàng, ngày tháng 3 năm 2023"
    assert plan.year == 2023
    assert plan.deadline == dt.date(2023, 10, 31)
    assert plan.signer_authority == "KT. CHỦ TỊCH" and plan.signer_position == "PHÓ CHỦ TỊCH"
    assert LegalBasis.objects.filter(plan=plan).count() == 5
    assert list(plan.tasks.values_list("code", flat=True)) == [f"II.{i}" for i in range(1, 7)]
    counts = [t.deliverables.count() for t in plan.tasks.all()]
    assert counts == [3, 2, 1, 1, 1, 2]
    for task in plan.tasks.all():
        assert task.effective_deadline() == dt.date(2023, 10, 31)


def test_training_deliverable_has_a_target(seed_plan):
    training = Deliverable.objects.get(task__plan=seed_plan, task__code="II.5")
    assert (training.kind, training.target, training.metric) == ("training", 1, "lớp tập huấn")


def test_assignments_expand_groups(seed_plan, groups):
    tasks = {t.code: t for t in seed_plan.tasks.all()}
    vp, vhtt = "trang-bang-vp", "trang-bang-vh-tt"
    # II.1: "Các phòng, ban ngành thị xã, UBND xã, phường" / "Các cơ quan đảng, đoàn thể, …"
    assert unit_codes(tasks["II.1"], "lead") == groups["departments"] | groups["local"]
    assert unit_codes(tasks["II.1"], "support") == groups["party"] | groups["sociopolitical"]
    # II.2: two named units lead; wards and communes support; "có liên quan" is kept unresolved.
    assert unit_codes(tasks["II.2"], "lead") == {vp, vhtt}
    assert unit_codes(tasks["II.2"], "support") == groups["local"]
    vague = UnresolvedMention.objects.get(task=tasks["II.2"])
    assert vague.text == "các cơ quan, đơn vị có liên quan" and vague.reason == "vague"
    # II.3–II.5: the Văn phòng leads; departments (less itself) and every ward/commune support.
    for code in ("II.3", "II.4", "II.5"):
        assert unit_codes(tasks[code], "lead") == {vp}
        assert (
            unit_codes(tasks[code], "support") == (groups["departments"] - {vp}) | groups["local"]
        )
    # II.6: "UBND cấp thị xã, cấp xã" = the town UBND and every ward and commune.
    assert unit_codes(tasks["II.6"], "lead") == {"trang-bang"} | groups["local"]
    assert unit_codes(tasks["II.6"], "support") == groups["departments"] | groups["sociopolitical"]
    assert UnresolvedMention.objects.filter(task__plan=seed_plan).count() == 1


def test_second_import_of_the_same_document_is_refused(seed_plan):
    before = (Plan.objects.count(), Task.objects.count(), Assignment.objects.count())
    with pytest.raises(ValidationError) as exc:
        plan_import(draft=parse_file(SEED_FILE))
    assert "đã được nhập" in exc.value.messages[0]
    assert (Plan.objects.count(), Task.objects.count(), Assignment.objects.count()) == before


def test_draft_without_tasks_saves_nothing(org_units):
    draft = PlanDraft(
        source=SourceInfo(filename="x.txt", sha256="0" * 64, format="txt"),
        issuer="Ủy ban nhân dân thị xã Trảng Bàng",
        year=2023,
        title="Kế hoạch trống",
    )
    with pytest.raises(ValidationError) as exc:
        plan_import(draft=draft)
    assert "Không tìm thấy nhiệm vụ" in exc.value.messages[0]
    assert Plan.objects.count() == 0


def test_unknown_issuer_is_refused(org_units):
    draft = parse_file(SEED_FILE)
    draft.issuer = "Ủy ban nhân dân huyện Không Có"
    with pytest.raises(ValidationError) as exc:
        plan_import(draft=draft)
    assert "cơ quan ban hành" in exc.value.messages[0]
    assert Plan.objects.count() == Task.objects.count() == 0


def test_demo_twice_duplicates_nothing(db):
    load_demo()
    counts = [m.objects.count() for m in (OrgUnit, Plan, Task, Deliverable, Assignment, User)]
    load_demo()
    assert [
        m.objects.count() for m in (OrgUnit, Plan, Task, Deliverable, Assignment, User)
    ] == counts
    assert User.objects.filter(is_demo=True).count() == 7


# --- the command line ---------------------------------------------------------------------


def test_import_plan_command_commit_then_refuse(org_units, capsys):
    call_command("import-plan", str(SEED_FILE), "--commit")
    assert Plan.objects.count() == 1
    assert "các cơ quan, đơn vị có liên quan" in capsys.readouterr().err
    with pytest.raises(CommandError, match="đã được nhập"):
        call_command("import-plan", str(SEED_FILE), "--commit")
    assert Plan.objects.count() == 1


def test_import_plan_command_json(org_units, capsys):
    import json

    call_command("import-plan", str(SEED_FILE), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "kehoach.plan/1"
    assert len(data["tasks"]) == 6
    assert Plan.objects.count() == 0  # --json alone saves nothing


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "rỗng"),
        (bytes(range(256)) * 40, "không"),
        ("Biên bản họp tổ dân phố.\nNội dung: vui vẻ.\n".encode(), "không"),
    ],
    ids=["empty", "binary", "no-structure"],
)
def test_bad_files_give_a_vietnamese_message_and_save_nothing(
    org_units, tmp_path: Path, content, words
):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        call_command("import-plan", str(path), "--commit")
    assert words in str(exc.value).lower()
    assert Plan.objects.count() == 0
