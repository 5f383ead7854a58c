"""Money: parsing what people type, showing it the Vietnamese way, the form field, the filter."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from kehoach.budgets.forms import MoneyField
from kehoach.budgets.money import (
    DEFAULT_MAX_DONG,
    MoneyError,
    format_number,
    format_vnd,
    parse_vnd,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1,25 triệu", 1_250_000),
        ("1,25triệu", 1_250_000),
        ("1,25 tr", 1_250_000),
        ("1.5 triệu", 1_500_000),
        ("2 tỷ", 2_000_000_000),
        ("2 tỉ", 2_000_000_000),
        ("2 TỶ", 2_000_000_000),
        ("2 tỷ 500 triệu", 2_500_000_000),
        ("1 tỷ 250 triệu 300 nghìn", 1_250_300_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500k", 500_000),
        ("1.250.000 đ", 1_250_000),
        ("1.250.000đ", 1_250_000),
        ("1.250.000 đồng", 1_250_000),
        ("1.250.000 VNĐ", 1_250_000),
        ("1.250.000 vnd", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1.250,5 triệu", 1_250_500_000),
        ("1,250.5 triệu", 1_250_500_000),
        ("1.250 triệu", 1_250_000_000),
        ("  7000000  ", 7_000_000),
        ("0", 0),
        ("0 đ", 0),
        ("007", 7),
        ("1.000.000.000.000", DEFAULT_MAX_DONG),
    ],
)
def test_accepted_inputs(text, expected):
    assert parse_vnd(text) == expected
    assert isinstance(parse_vnd(text), int)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("-5000", "negative"),
        ("−5.000", "negative"),  # the typographic minus
        ("- 1 triệu", "negative"),
        ("abc", "invalid"),
        ("một triệu", "invalid"),
        ("1e6", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("1.2.3", "invalid"),
        ("1,2,3", "invalid"),
        ("12.34.567", "invalid"),
        ("1..000", "invalid"),
        ("1 triệu 500", "invalid"),  # the last part has no word: ambiguous
        ("500 triệu 2 tỷ", "invalid"),  # words must go from the largest down
        ("2 tỷ 1,5 triệu", "invalid"),  # decimals only in a single part
        ("1tr5", "invalid"),
        ("٣", "invalid"),  # digits other than 0-9
        ("１２３", "invalid"),
        ("$100", "invalid"),
        ("100 USD", "invalid"),
        ("1" * 61, "invalid"),
        ("1,5", "fraction"),  # 1,5 đồng
        ("1.5", "fraction"),
        ("1,2345678 triệu", "fraction"),
        ("1.000.000.000.001", "too_large"),
        ("2 nghìn tỷ", "invalid"),
        ("1001 tỷ", "too_large"),
    ],
)
def test_refused_inputs(text, code):
    with pytest.raises(MoneyError) as info:
        parse_vnd(text)
    assert info.value.code == code
    assert info.value.message  # a sentence for the user


def test_messages_are_clear_vietnamese():
    messages = {}
    for text in ["-1", "abc", "1,5", "9999 tỷ", ""]:
        with pytest.raises(MoneyError) as info:
            parse_vnd(text)
        messages[info.value.code] = info.value.message
    assert messages["negative"] == "Số tiền không được âm."
    assert "không phải là số tiền" in messages["invalid"] and "1,25 triệu" in messages["invalid"]
    assert "đồng chẵn" in messages["fraction"]
    assert "1.000.000.000.000 đ" in messages["too_large"]
    assert messages["required"] == "Hãy nhập số tiền."


def test_zero_can_be_refused_and_the_ceiling_configured():
    with pytest.raises(MoneyError) as info:
        parse_vnd("0", allow_zero=False)
    assert info.value.code == "zero"
    assert parse_vnd("5 triệu", max_dong=5_000_000) == 5_000_000
    with pytest.raises(MoneyError):
        parse_vnd("5.000.001", max_dong=5_000_000)


def test_ints_pass_through_and_bools_do_not():
    assert parse_vnd(1_250_000) == 1_250_000
    with pytest.raises(MoneyError):
        parse_vnd(-1)
    with pytest.raises(MoneyError):
        parse_vnd(True)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0 đ"),
        (5, "5 đ"),
        (999, "999 đ"),
        (1_000, "1.000 đ"),
        (1_250_000, "1.250.000 đ"),
        (2_000_000_000, "2.000.000.000 đ"),
        (-250_000, "-250.000 đ"),
    ],
)
def test_format(amount, text):
    assert format_vnd(amount) == text


def test_format_signed_and_refuses_floats():
    assert format_vnd(250_000, signed=True) == "+250.000 đ"
    assert format_vnd(-250_000, signed=True) == "-250.000 đ"
    assert format_vnd(0, signed=True) == "0 đ"
    assert format_number(1_250_000) == "1.250.000"
    for bad in (1.5, 1250000.0, True, "1000", None):
        with pytest.raises(TypeError):
            format_vnd(bad)


@given(st.integers(min_value=0, max_value=DEFAULT_MAX_DONG))
def test_round_trip_of_formatted_amounts(amount):
    assert parse_vnd(format_vnd(amount)) == amount
    assert parse_vnd(format_number(amount)) == amount
    assert parse_vnd(str(amount)) == amount


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=99))
def test_millions_with_decimal_comma(whole, hundredths):
    text = f"{whole},{hundredths:02d} triệu"
    assert parse_vnd(text) == whole * 1_000_000 + hundredths * 10_000


@given(st.integers(min_value=1, max_value=DEFAULT_MAX_DONG))
def test_negative_amounts_are_always_refused(amount):
    with pytest.raises(MoneyError) as info:
        parse_vnd("-" + format_number(amount))
    assert info.value.code == "negative"


@given(st.text(max_size=40))
def test_any_text_gives_an_int_or_a_money_error(text):
    try:
        value = parse_vnd(text)
    except MoneyError as exc:
        assert exc.code in {"required", "invalid", "negative", "fraction", "too_large"}
    else:
        assert isinstance(value, int) and 0 <= value <= DEFAULT_MAX_DONG


class PriceForm(forms.Form):
    price = MoneyField(label="Đơn giá", allow_zero=False)
    optional = MoneyField(label="Khác", required=False)


def test_the_form_field_cleans_to_int_and_reports_in_vietnamese(settings):
    form = PriceForm({"price": "1,25 triệu", "optional": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"price": 1_250_000, "optional": None}
    assert type(form.cleaned_data["price"]) is int

    form = PriceForm({"price": "-3"})
    assert not form.is_valid()
    assert form.errors["price"] == ["Số tiền không được âm."]

    form = PriceForm({"price": ""})
    assert form.errors["price"] == ["Hãy nhập số tiền."]

    form = PriceForm({"price": "0"})
    assert form.errors["price"] == ["Số tiền phải lớn hơn 0."]

    settings.BUDGET_MAX_DONG = 10_000_000
    form = PriceForm({"price": "11 triệu"})
    assert form.errors["price"] == [
        "Số tiền quá lớn: tối đa 10.000.000 đ. Hãy kiểm tra lại số chữ số 0."
    ]


def test_the_form_field_shows_stored_amounts_the_vietnamese_way():
    form = PriceForm(initial={"price": 1_250_000})
    assert 'value="1.250.000"' in str(form["price"])
    bound = PriceForm({"price": "abc"})
    assert 'value="abc"' in str(bound["price"])  # what was typed stays, to be fixed


def test_template_filters():
    template = Template(
        "{% load money %}{{ a|vnd }}|{{ b|vnd_signed }}|{{ c|vnd_signed }}|{{ n|vnd }}|"
        "{{ f|vnd }}|{{ a|vnd_number }}"
    )
    out = template.render(
        Context({"a": 1_250_000, "b": 250_000, "c": -30_000, "n": None, "f": 1.5})
    )
    assert out == "1.250.000 đ|+250.000 đ|-30.000 đ|||1.250.000"
