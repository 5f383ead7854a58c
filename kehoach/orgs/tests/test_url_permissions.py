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
    # Accounts: the second factor, the account page, sessions, invitations.
    "twofactor_verify": ("none", expect(302)),  # nothing to verify: sent on
    "twofactor_setup": ("none", expect(200)),
    "account": ("none", expect(200)),
    "recovery_codes_renew": ("none", expect(NOT_ALLOWED)),
    "twofactor_off": ("none", expect(NOT_ALLOWED)),
    "logout_everywhere": ("none", expect(NOT_ALLOWED)),
    "password_change": ("none", expect(200)),
    "password_change_done": ("none", expect(200)),
    "invite_create": ("none", expect(404, admin=200)),
    "invite_accept": ("invite_token", expect(400, anonymous=400)),  # a forged token
    # The audit trail: coordinators (what their town's people did) and admins; never edited.
    "audit:latest": ("none", expect(404, coordinator=200, admin=200)),
    "audit:object": ("audit_plan", expect(404, coordinator=200, admin=200)),
    "audit:user": ("audit_ward_user", expect(404, coordinator=200, admin=200)),
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
    # Plan import (coordinating office and admins); a review belongs to its uploader only.
    "plans:import": ("none", expect(404, coordinator=200, admin=200)),
    "plans:import_review": ("import_session", expect(404, coordinator=200)),
    "plans:import_resolve": ("import_session", expect(NOT_ALLOWED)),
    "plans:import_discard": ("import_session", expect(NOT_ALLOWED)),
    "plans:clone": ("plan", expect(404, coordinator=200, admin=200)),
    # Budgets: the An Tịnh ward's estimates (draft with a file, submitted, allocated).
    "budgets:index": ("none", expect(200)),
    "budgets:plan": ("budget_plan", expect(200, nobody=404)),
    "budgets:plan_chart": ("budget_chart", expect(200, nobody=404)),
    "budgets:plan_export": ("budget_plan", expect(200, nobody=404)),
    "budgets:estimate_new": (
        "budget_plan",
        expect(200, nobody=404, coordinator=404, leader=404, finance=404, admin=404),
    ),
    "budgets:estimate": ("budget_draft", expect(404, **OVERSEE_OR_WARD)),
    "budgets:estimate_edit": ("budget_draft", expect(404, ward=200)),
    "budgets:appraise": ("budget_submitted", expect(404, finance=200)),
    "budgets:allocate": ("budget_allocated", expect(404, finance=200)),
    "budgets:settlement": ("budget_allocated", expect(404, ward=200)),
    "budgets:correct": ("budget_allocated", expect(404, finance=200)),
    "budgets:attachment_add": ("budget_draft", expect(NOT_ALLOWED)),
    "budgets:estimate_action": ("budget_action", expect(NOT_ALLOWED)),
    "budgets:attachment_file": ("budget_attachment", expect(404, **OVERSEE_OR_WARD)),
    "budgets:attachment_remove": ("budget_attachment", expect(NOT_ALLOWED)),
    # Engagement: public pages answer everyone; the An Tịnh ward's published II.6 conference.
    "engagement:public_index": ("none", expect(200, anonymous=200)),
    "engagement:public_plan": ("engagement_plan", expect(200, anonymous=200)),
    "engagement:public_questions": ("engagement_plan", expect(200, anonymous=200)),
    "engagement:public_chart": ("engagement_chart", expect(200, anonymous=200)),
    "engagement:public_conference": ("engagement_conference", expect(200, anonymous=200)),
    "engagement:public_sent": ("engagement_conference", expect(200, anonymous=200)),
    "engagement:conferences": ("none", expect(200)),
    "engagement:conference_new": ("engagement_assignment", expect(404, ward=200)),
    "engagement:conference": ("engagement_conference", expect(404, **OVERSEE_OR_WARD)),
    "engagement:conference_edit": ("engagement_conference", expect(404, ward=200)),
    "engagement:conference_result": ("engagement_conference", expect(404, ward=200)),
    "engagement:conference_document": (
        "engagement_conference",
        expect(404, **OVERSEE_OR_WARD),
    ),
    "engagement:conference_action": ("engagement_conference_publish", expect(NOT_ALLOWED)),
    "engagement:question": ("engagement_question", expect(404, **OVERSEE_OR_WARD)),
    "engagement:question_action": ("engagement_question_publish", expect(NOT_ALLOWED)),
    "engagement:my_questions": ("none", expect(200)),
    "engagement:public_settings": ("engagement_plan", expect(404, coordinator=200, admin=200)),
    "engagement:indicators": ("none", expect(404, coordinator=200, admin=200)),
    "engagement:indicator_import": ("none", expect(404, coordinator=200, admin=200)),
    "engagement:portal_stats": ("none", expect(404, coordinator=200, admin=200)),
    "engagement:portal_import": ("none", expect(404, coordinator=200, admin=200)),
    # Monitoring: the seed plan's dashboard; An Tịnh's inspection and its II.1 difficulty.
    # The nav link goes straight to the dashboard when the user has one plan.
    "monitoring:index": ("none", expect(302, nobody=200)),
    "monitoring:dashboard": ("plan", expect(200, nobody=404)),
    "monitoring:settings": ("plan", expect(404, coordinator=200, admin=200)),
    "monitoring:reminders": ("plan", expect(404, coordinator=200, leader=200, admin=200)),
    "monitoring:reminder_send": ("plan", expect(NOT_ALLOWED)),
    # Without a choice of units and tasks the letter sends the office back to the form.
    "monitoring:reminder_letter": ("plan", expect(404, coordinator=302, admin=302)),
    "monitoring:inspections": ("plan", expect(200, nobody=404)),
    "monitoring:inspection_new": ("plan", expect(404, coordinator=200, admin=200)),
    "monitoring:inspection": (
        "monitoring_inspection",
        expect(404, coordinator=200, leader=200, admin=200, ward=200),
    ),
    "monitoring:inspection_respond": ("monitoring_inspection", expect(NOT_ALLOWED)),
    "monitoring:inspection_close": ("monitoring_inspection", expect(NOT_ALLOWED)),
    "monitoring:inspection_file": (
        "monitoring_inspection_file",
        expect(404, coordinator=200, leader=200, admin=200, ward=200),
    ),
    "monitoring:difficulties": ("none", expect(200, nobody=404)),
    "monitoring:difficulty_new": ("none", expect(200, nobody=404)),
    # Only the unit, the coordinator and the leader: not finance, not even admins.
    "monitoring:difficulty": (
        "monitoring_difficulty",
        expect(404, coordinator=200, leader=200, ward=200),
    ),
    "monitoring:difficulty_action": ("monitoring_difficulty_action", expect(NOT_ALLOWED)),
    "monitoring:chart": ("monitoring_chart", expect(200)),
    # Documents: the plan's page for those who run it and for its assigned units (their own
    # data only); the An Tịnh ward's own evidence package (its people, the office, leader, admin).
    "documents:plan": ("plan", expect(200, nobody=404)),
    "documents:request": ("documents_request", expect(NOT_ALLOWED)),
    "documents:preview": ("plan", expect(200, nobody=404)),
    "documents:explanations": ("plan", expect(404, coordinator=200, admin=200)),
    "documents:document": (
        "documents_ward_document",
        expect(404, coordinator=200, leader=200, admin=200, ward=200),
    ),
    "documents:status": (
        "documents_ward_document",
        expect(404, coordinator=200, leader=200, admin=200, ward=200),
    ),
    "documents:download": (
        "documents_ward_document",
        expect(404, coordinator=200, leader=200, admin=200, ward=200),
    ),
    "documents:retry": ("documents_ward_document", expect(NOT_ALLOWED)),
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
    if kind == "invite_token":
        return {"token": "forged-token"}
    if kind == "audit_plan":
        from django.contrib.contenttypes.models import ContentType

        return {
            "content_type_id": ContentType.objects.get_for_model(plan).pk,
            "object_id": str(plan.pk),
        }
    if kind == "audit_ward_user":
        return {"user_id": report.created_by_id}
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
    if kind == "import_session":
        from kehoach.plans.tests.test_import_review import permission_kwargs as import_kwargs

        return import_kwargs(kind, plan)
    if kind.startswith("budget_"):
        from kehoach.budgets.tests.factories import permission_kwargs

        return permission_kwargs(kind, plan)
    if kind.startswith("engagement_"):
        from kehoach.engagement.tests.permission_objects import kwargs_for

        return kwargs_for(kind, plan)
    if kind.startswith("monitoring_"):
        from kehoach.monitoring.tests.permission_objects import kwargs_for as monitoring_kwargs

        return monitoring_kwargs(kind, plan, report)
    if kind.startswith("documents_"):
        from kehoach.documents.tests.permission_objects import kwargs_for as documents_kwargs

        return documents_kwargs(kind, plan, report)
    return {}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_page_by_role(name, people, seed_plan, org_units, ward_report, client_for):
    """Every role against one URL, on one world: the requests are GETs, which change nothing a
    later role would see. Every role is tried before failing, so the message lists them all."""
    from django.urls import reverse

    kind, table = TABLE[name]
    url = reverse(name, kwargs=_kwargs(kind, seed_plan, org_units, ward_report))
    login = reverse("login")
    wrong = []
    for role in ROLES:
        client = client_for(None if role == "anonymous" else people[role])
        response = client.get(url)
        if response.status_code != table[role]:
            wrong.append((role, f"expected {table[role]}, got {response.status_code}"))
        elif (
            table[role] == LOGIN
            and role == "anonymous"
            and name != "set_language"
            and not response.url.startswith(login)
        ):
            wrong.append((role, f"redirected to {response.url}, not to the login page"))
    assert not wrong, (name, wrong)


def test_admin_site_is_for_admins_only(people, client_for):
    assert client_for(people["admin"]).get("/quan-tri/").status_code == 200
    for role in ["coordinator", "ward", "nobody"]:
        response = client_for(people[role]).get("/quan-tri/")
        assert response.status_code == 302 and "login" in response.url
