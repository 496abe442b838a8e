"""Vietnamese by default; English through the language switch (Django's set_language)."""

from django.urls import reverse

from workflows.confirm import TOKEN_FIELD, dossier_token

from .helpers import text


def test_pages_are_in_vietnamese_by_default(client, world):
    client.force_login(world.head_a)

    page = text(client.get(reverse("dossier-list")))

    assert '<html lang="vi">' in page
    assert "Thi đua – Khen thưởng" in page
    assert "Hồ sơ đề nghị khen thưởng" in page
    assert "Đăng xuất" in page


def test_language_switch_shows_english(client, world, draft):
    client.force_login(world.head_a)

    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("dossier-list")})

    assert response.status_code == 302
    assert response.url == reverse("dossier-list")
    page = text(client.get(reverse("dossier-list")))
    assert '<html lang="en">' in page
    assert "Emulation – Commendation" in page
    assert "Award dossiers" in page
    assert "Draft" in page
    # Messages of the services follow the language too.
    refusal = text(
        client.post(
            reverse("dossier-submit", args=[draft.pk]),
            {TOKEN_FIELD: dossier_token(type(draft).objects.get(pk=draft.pk))},
        )
    )
    assert "Missing document: “Báo cáo thành tích” for Nguyễn Thị Lan." in refusal


def test_switching_back_to_vietnamese(client, world):
    client.force_login(world.head_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})

    assert "Trang chủ" in text(client.get(reverse("home")))


def test_every_message_has_a_vietnamese_translation():
    """Every catalogue (the project's and each app's) is complete: no empty and no fuzzy entry
    (makemessages keeps them current)."""
    from pathlib import Path

    from django.conf import settings

    catalogues = sorted(
        p
        for p in Path(settings.BASE_DIR).glob("**/locale/vi/LC_MESSAGES/django.po")
        if ".venv" not in p.parts
    )
    assert catalogues
    for catalogue in catalogues:
        entries = catalogue.read_text(encoding="utf-8").split("\n\n")[1:]  # after the header
        assert entries, catalogue
        assert not [e for e in entries if "#, fuzzy" in e], catalogue
        # An empty translation is a `msgstr ""` (or `msgstr[0] ""`) with no continuation line.
        assert not [e for e in entries if e.rstrip().endswith(('msgstr ""', 'msgstr[0] ""'))], catalogue


def test_browser_language_does_not_override_vietnamese(client, world):
    """An office PC whose browser asks for English still gets Vietnamese until the user switches."""
    client.force_login(world.head_a)

    page = text(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))

    assert '<html lang="vi">' in page and "Trang chủ" in page
