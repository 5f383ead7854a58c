"""Unit mentions of the seed plan resolve to the expected org units (ORG_UNITS.md)."""

from __future__ import annotations

import pytest

from kehoach.orgs.models import OrgUnitKind
from kehoach.orgs.resolution import UnitResolver


@pytest.fixture
def resolver(org_units):
    return UnitResolver(org_units["trang-bang"])


def codes(resolution):
    return {u.code for u in resolution.units}


WARDS_AND_COMMUNES = {
    "trang-bang-p-trang-bang",
    "trang-bang-p-an-tinh",
    "trang-bang-p-loc-hung",
    "trang-bang-p-gia-binh",
    "trang-bang-p-gia-loc",
    "trang-bang-p-an-hoa",
    "trang-bang-x-don-thuan",
    "trang-bang-x-hung-thuan",
    "trang-bang-x-phuoc-binh",
    "trang-bang-x-phuoc-chi",
}
SOCIOPOLITICAL = {
    "trang-bang-mttq",
    "trang-bang-thi-doan",
    "trang-bang-phu-nu",
    "trang-bang-nong-dan",
    "trang-bang-ccb",
    "trang-bang-ldld",
}
PARTY = {"trang-bang-thi-uy", "trang-bang-ban-tuyen-giao"}


def departments(org_units):
    """Every unit the editable flag counts among "phòng, ban, ngành" of the town."""
    return {
        u.code
        for u in org_units.values()
        if u.parent_id == org_units["trang-bang"].pk and u.counts_as_department
    }


def test_departments_group_is_the_editable_flag(org_units):
    found = departments(org_units)
    assert "trang-bang-vp" in found and "trang-bang-vh-tt" in found and "trang-bang-tc-kh" in found
    assert len(found) == 19  # 12 specialised departments + 7 other ban, ngành
    assert not found & WARDS_AND_COMMUNES


@pytest.mark.parametrize(
    "mention",
    [
        "UBND xã, phường",
        "UBND các xã, phường",
        "UBND cấp xã",
        "cấp xã",
        "Ủy ban nhân dân các xã, phường",
    ],
)
def test_local_group_phrases(resolver, mention):
    res = resolver.resolve(mention)
    assert res.method == "group"
    assert codes(res) == WARDS_AND_COMMUNES


@pytest.mark.parametrize(
    "mention",
    [
        "Các phòng, ban ngành thị xã",
        "Các phòng, ban, ngành",
        "Các phòng ban ngành thị xã",
        "các phòng, ban, ngành thị xã",
    ],
)
def test_department_group_phrases(resolver, org_units, mention):
    res = resolver.resolve(mention)
    assert res.method == "group"
    assert codes(res) == departments(org_units)


def test_party_and_mass_organisations(resolver):
    assert codes(resolver.resolve("Các cơ quan đảng, đoàn thể")) == PARTY | SOCIOPOLITICAL
    assert codes(resolver.resolve("các tổ chức chính trị - xã hội")) == SOCIOPOLITICAL
    assert (
        codes(resolver.resolve("các tổ chức chính trị - xã hội trên địa bàn thị xã và xã, phường"))
        == SOCIOPOLITICAL
    )


def test_town_authority_itself(resolver):
    res = resolver.resolve("UBND cấp thị xã")
    assert codes(res) == {"trang-bang"}


@pytest.mark.parametrize(
    ("mention", "code"),
    [
        ("Văn phòng HĐND và UBND thị xã", "trang-bang-vp"),
        ("Phòng Văn hóa và Thông tin thị xã", "trang-bang-vh-tt"),
        ("Phòng Tài chính – Kế hoạch thị xã", "trang-bang-tc-kh"),
        ("Phòng Tài chính - Kế hoạch", "trang-bang-tc-kh"),
        ("PHÒNG NỘI VỤ", "trang-bang-noi-vu"),
        ("Phong Noi vu thi xa", "trang-bang-noi-vu"),
        ("Phòng LĐ-TB&XH", "trang-bang-ld-tbxh"),
        ("UBND phường An Tịnh", "trang-bang-p-an-tinh"),
        ("Báo Tây Ninh", "bao-tay-ninh"),
    ],
)
def test_names_and_aliases(resolver, mention, code):
    res = resolver.resolve(mention)
    assert codes(res) == {code}, res
    assert res.method == "name"


def test_near_miss_resolves_fuzzily_with_score(resolver):
    res = resolver.resolve("Phòng Văn hoá và Thông tin thị xa")
    assert codes(res) == {"trang-bang-vh-tt"}
    assert res.score is not None and res.score >= 90


def test_vague_and_unknown_mentions_are_unresolved_not_dropped(resolver):
    vague = resolver.resolve("các cơ quan, đơn vị có liên quan")
    assert vague.method == "vague" and not vague.resolved
    unknown = resolver.resolve("Sở Khoa học và Công nghệ")
    assert unknown.method == "unresolved" and not unknown.resolved


def test_units_outside_their_validity_do_not_resolve(org_units):
    import datetime as dt

    later = UnitResolver(org_units["trang-bang"], on=dt.date(2026, 1, 1))
    assert not later.resolve("UBND phường An Tịnh").resolved
    assert later.resolve("Báo Tây Ninh").resolved  # the newspaper has no end date


def test_kinds_are_the_documented_ones(org_units):
    kinds = {u.kind for u in org_units.values()}
    assert kinds <= set(OrgUnitKind.values)
