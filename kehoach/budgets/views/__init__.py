"""Budget pages, by area: ``reports`` (lists, the plan's budget, chart, export), ``estimates``
(the unit's side: estimate, workflow, settlement, files) and ``finance`` (appraisal,
allocation, corrections). Thin: fetch through ``orgs.access``, validate a form, call a service.
"""

from .estimates import (
    attachment_add,
    attachment_file,
    attachment_remove,
    estimate_action,
    estimate_detail,
    estimate_edit,
    estimate_new,
    settlement,
)
from .finance import allocate, appraise, correct
from .reports import index, plan_budget, plan_chart, plan_export

__all__ = [
    "allocate",
    "appraise",
    "attachment_add",
    "attachment_file",
    "attachment_remove",
    "correct",
    "estimate_action",
    "estimate_detail",
    "estimate_edit",
    "estimate_new",
    "index",
    "plan_budget",
    "plan_chart",
    "plan_export",
    "settlement",
]
