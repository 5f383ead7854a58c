"""Every page × every role, from one table (pretix's test_permissions, STYLE.md).

A URL pattern of ours with no row here fails ``test_every_url_has_a_row``.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kehoach.orgs.models import Role
from kehoach.orgs.services import user_create

ROLES = [
    "anonymous",
    "nobody",
    "coordinator",
    "leader",
    "finance",
    "ward",
    "commune",
    "department",
    "stranger",
    "party",
    "admin",
]
OVERSIGHT = {"coordinator", "leader", "finance", "admin"}
UNITS = {"ward", "commune", "department", "stranger", "party"}

# url name → (how to build its kwargs, expected status per role; missing role = 200)
LOGIN = 302


def expect(default, **overrides):
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = LOGIN
    table.update(overrides)
    return table


NOT_ALLOWED = 405  # POST-only endpoints answer GET with 405 once signed in
OVERSEE_OR_WARD = {"coordinator": 200, "leader": 200, "finance": 200, "admin": 200, "ward": 200}

TABLE = {
    "home": ("none", expect(302)),
    # A signed-in user is sent on from the login page.
    "login": ("none", expect(302, anonymous=200)),
    "logout": ("none", expect(405, anonymous=405)),  # POST only
    "set_language": ("none", expect(302, anonymous=302)),  # GET redirects back
    "plans:list": ("none", expect(200)),
    "plans:my_work": ("none", expect(200)),
    # A party officer has only II.1 (cơ quan đảng, đoàn thể): the plan is visible to them.
    "plans:detail": ("plan", expect(200, nobody=404)),
    # II.2 involves every ward and department, but no party body.
    "plans:task": ("task_ii2", expect(200, nobody=404, party=404)),
    "orgs:list": ("none", expect(404, coordinator=200, leader=200, finance=200, admin=200)),
    # The An Tịnh ward's page: its own officer and those who oversee the town.
    "orgs:detail": ("an_tinh", expect(404, **OVERSEE_OR_WARD)),
    # The ward's II.1 assignment, its draft report and the photo on it.
    "reporting:assignment": ("assignment", expect(404, **OVERSEE_OR_WARD)),
    "reporting:report_new": ("assignment", expect(404, ward=200)),
    "reporting:assignment_complete": ("assignment", expect(NOT_ALLOWED)),
    "reporting:report": ("report", expect(404, **OVERSEE_OR_WARD)),
    "reporting:report_edit": ("report", expect(404, ward=200)),
    "reporting:evidence_add": ("report_file", expect(NOT_ALLOWED)),
    "reporting:report_action": ("report_submit", expect(NOT_ALLOWED)),
    "reporting:evidence_file": ("evidence", expect(404, **OVERSEE_OR_WARD)),
    "reporting:evidence_thumbnail": ("evidence", expect(404, **OVERSEE_OR_WARD)),
    "reporting:evidence_remove": ("evidence", expect(NOT_ALLOWED)),
    "reporting:queue": ("none", expect(404, coordinator=200, admin=200)),
    "reporting:accept_many": ("none", expect(NOT_ALLOWED)),
    "notifications:list": ("none", expect(200)),
    "notifications:mark_all_read": ("none", expect(NOT_ALLOWED)),
}


def _our_url_names():
    names = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.append(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_a_row():
    missing = [n for n in _our_url_names() if n not in TABLE]
    assert not missing, f"URL patterns without a permission row: {missing}"


@pytest.fixture
def people(cast, org_units):
    cast["party"] = user_create(
        username="party",
        password="x",
        full_name="party",
        memberships=[(org_units["trang-bang-thi-uy"], Role.UNIT_OFFICER)],
    )
    return cast


def _kwargs(kind, plan, org_units, report):
    if kind == "assignment":
        return {"assignment_id": report.assignment_id}
    if kind == "report":
        return {"report_id": report.pk}
    if kind == "report_file":
        return {"report_id": report.pk, "kind": "file"}
    if kind == "report_submit":
        return {"report_id": report.pk, "action": "submit"}
    if kind == "evidence":
        return {"evidence_id": report.evidence.get().pk}
    if kind == "plan":
        return {"plan_id": plan.pk}
    if kind == "task_ii2":
        return {"task_id": plan.tasks.get(code="II.2").pk}
    if kind == "an_tinh":
        return {"unit_id": org_units["trang-bang-p-an-tinh"].pk}
    return {}


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_page_by_role(name, role, people, seed_plan, org_units, ward_report, client_for):
    from django.urls import reverse

    kind, table = TABLE[name]
    url = reverse(name, kwargs=_kwargs(kind, seed_plan, org_units, ward_report))
    client = client_for(None if role == "anonymous" else people[role])
    response = client.get(url)
    assert response.status_code == table[role], (name, role, response.status_code)
    if table[role] == LOGIN and role == "anonymous" and name != "set_language":
        assert response.url.startswith(reverse("login"))


def test_admin_site_is_for_admins_only(people, client_for):
    assert client_for(people["admin"]).get("/quan-tri/").status_code == 200
    for role in ["coordinator", "ward", "nobody"]:
        response = client_for(people[role]).get("/quan-tri/")
        assert response.status_code == 302 and "login" in response.url
