"""Passwords: Argon2 in production settings, validators that speak Vietnamese."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from kehoach.orgs.models import User


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("1234567890123", "Mật khẩu không được chỉ gồm chữ số."),
        ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán."),
        ("nguyenvanan2023", "Mật khẩu quá giống"),
    ],
)
def test_validators_answer_in_vietnamese(password, message):
    user = User(username="nguyenvanan2023", full_name="Nguyễn Văn An")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user=user)
    assert any(m.startswith(message) for m in exc.value.messages), exc.value.messages


def test_a_good_password_passes():
    validate_password("Trang-Bang-2023-cchc!", user=User(username="an"))


@pytest.mark.real_hasher
def test_argon2_is_the_production_hasher():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
