"""The e-mail an asker receives when their question is answered (only if they left an address)."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Question

log = logging.getLogger(__name__)


def answer_email_send(*, question_id: int) -> bool:
    question = (
        Question.objects.select_related("conference__assignment__unit", "field", "responsible_unit")
        .filter(pk=question_id)
        .first()
    )
    if question is None or not question.contact_email or not question.answer:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Trả lời câu hỏi của bạn gửi hội nghị “%(title)s”") % {
            "title": question.conference.title
        }
        body = render_to_string("engagement/email_answer.txt", {"question": question})
    try:
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [question.contact_email])
    except (OSError, smtplib.SMTPException):
        # The answer is public whatever happens to the e-mail; a mail server down is logged.
        log.exception("answer e-mail for question %s not sent", question_id)
        return False
    return True
