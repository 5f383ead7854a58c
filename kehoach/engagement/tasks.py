"""Background work of the engagement app (django-tasks; immediate in the embedded tier)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_answer_email(question_id: int) -> bool:
    """Tell an asker who left an e-mail address that their question was answered."""
    from .notify import answer_email_send

    return answer_email_send(question_id=question_id)
