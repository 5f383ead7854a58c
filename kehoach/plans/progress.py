"""Status of assignments and tasks, in the four official words (PAR_INDEX.md).

Defined once here; every page, export and document uses it. Completion itself comes from
accepted reports (the reporting app); until an assignment has one, it is "chưa hoàn thành".
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfficialStatus(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OPEN_ON_TIME = "open_on_time", _("Chưa hoàn thành trong hạn")
    OPEN_OVERDUE = "open_overdue", _("Chưa hoàn thành quá hạn")


def official_status(
    *, deadline: dt.date | None, completed_on: dt.date | None, today: dt.date
) -> OfficialStatus:
    """Judge one item: done or not, and on time or not, against its deadline.

    With no deadline an item is never late. "Đúng hạn" is judged by the completion date (the date
    of the accepted evidence), not by when the office happened to review it.
    """
    if completed_on is not None:
        if deadline is None or completed_on <= deadline:
            return OfficialStatus.DONE_ON_TIME
        return OfficialStatus.DONE_LATE
    if deadline is not None and today > deadline:
        return OfficialStatus.OPEN_OVERDUE
    return OfficialStatus.OPEN_ON_TIME


def local_today() -> dt.date:
    return timezone.localdate()
