"""What the budget views share: messages from a refused action, the way back to the estimate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from ..models import EstimateStatus

S = EstimateStatus


def error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def back(estimate):
    return redirect("budgets:estimate", estimate.pk)
