"""The English catalogue ships complete: every Vietnamese string has a translation."""

from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_is_complete():
    with PO.open("rb") as f:
        catalog = read_po(f, locale="en")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"
    assert len(catalog) > 100


def test_vietnamese_is_the_default_and_english_follows_the_switch(client, db):
    assert "Đăng nhập" in client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.cookies["django_language"] = "en"
    assert "Sign in" in client.get("/dang-nhap/").content.decode()
