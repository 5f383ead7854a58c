"""Monitoring pages, by area: the dashboard, reminders, inspections, difficulties."""

from .dashboard import chart, dashboard, index, plan_settings
from .difficulties import difficulty_action, difficulty_detail, difficulty_list, difficulty_new
from .inspections import (
    inspection_close,
    inspection_detail,
    inspection_file,
    inspection_list,
    inspection_new,
    inspection_respond,
)
from .reminders import reminder_letter, reminder_send, reminders

__all__ = [
    "chart",
    "dashboard",
    "difficulty_action",
    "difficulty_detail",
    "difficulty_list",
    "difficulty_new",
    "index",
    "inspection_close",
    "inspection_detail",
    "inspection_file",
    "inspection_list",
    "inspection_new",
    "inspection_respond",
    "plan_settings",
    "reminder_letter",
    "reminder_send",
    "reminders",
]
