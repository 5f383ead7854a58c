"""``{% load money %}{{ amount|vnd }}`` → "1.250.000 đ"; ``|vnd_signed`` for differences."""

from __future__ import annotations

from django import template

from kehoach.budgets.money import format_number, format_vnd

register = template.Library()


def _as_int(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return None


@register.filter
def vnd(value) -> str:
    """An int number of đồng as "1.250.000 đ"; empty for None (never guesses at floats)."""
    amount = _as_int(value)
    return "" if amount is None else format_vnd(amount)


@register.filter
def vnd_signed(value) -> str:
    """A difference: "+250.000 đ", "-250.000 đ", "0 đ"."""
    amount = _as_int(value)
    return "" if amount is None else format_vnd(amount, signed=True)


@register.filter
def vnd_number(value) -> str:
    """ "1.250.000" without the currency sign (tables whose header says "đồng")."""
    amount = _as_int(value)
    return "" if amount is None else format_number(amount)
