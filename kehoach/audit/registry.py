"""Which models the audit trail records (django-auditlog), in one place.

Every create, update and delete of these models is written to auditlog's ``LogEntry`` with the
actor, the time, the address and the before/after of every changed field; workflow transitions
are status changes, so they are recorded too. Models of apps that are not installed are skipped,
so an app can be added or removed without touching this list's code.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

#: app_label.ModelName → fields never written to the log (secrets, noise).
AUDITED: dict[str, list[str]] = {
    "orgs.User": ["password", "last_login"],
    "orgs.Membership": [],
    "orgs.OrgUnit": [],
    "plans.Plan": [],
    "plans.LegalBasis": [],
    "plans.Task": [],
    "plans.Deliverable": [],
    "plans.Assignment": [],
    "plans.UnresolvedMention": [],
    "reporting.ActivityReport": [],
    "reporting.Evidence": [],
    "reporting.AssignmentCompletion": [],
    "reporting.Channel": [],
    "budgets.Estimate": [],
    "budgets.EstimateLine": [],
    "budgets.Appraisal": [],
    "budgets.AppraisalLine": [],
    "budgets.Allocation": [],
    "budgets.Settlement": [],
    "budgets.SettlementLine": [],
    "budgets.Correction": [],
    "budgets.BudgetAttachment": [],
    "monitoring.PlanMonitoring": [],
    "monitoring.Difficulty": [],
    "monitoring.DifficultyStep": [],
    "monitoring.Inspection": [],
    "monitoring.InspectionFinding": [],
    "monitoring.InspectionAttachment": [],
    "monitoring.Reminder": [],
    "engagement.Conference": [],
    "engagement.Question": [],
    "engagement.PublicSettings": [],
    "engagement.IndicatorValue": [],
    "engagement.PortalStat": [],
    "documents.GeneratedDocument": [],
    "documents.ParExplanation": [],
}


def audited_models() -> list:
    found = []
    for label in AUDITED:
        app_label, model_name = label.split(".")
        try:
            found.append(apps.get_model(app_label, model_name))
        except LookupError:
            continue
    return found


def register_all() -> None:
    for label, exclude in AUDITED.items():
        app_label, model_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if not auditlog.contains(model):
            auditlog.register(model, exclude_fields=[*exclude, *_reverse_one_to_ones(model)])


def _reverse_one_to_ones(model) -> list[str]:
    """Reverse one-to-one relations (``assignment.tally``, ``assignment.manual_completion``):
    not columns of the row, and auditlog would query each one for every logged change."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.one_to_one and f.auto_created and not f.concrete
    ]
