"""Content-Security-Policy: every page says where scripts, styles and the rest may come from (our
own origin), and no template of ours needs an exception: no inline script, no event-handler
attribute, no style="" attribute or <style> element."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
# Rendered to PDF by WeasyPrint, never served to a browser.
PDF_TEMPLATES = ROOT / "templates" / "documents"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split(" ", 1)[1] for part in header.split("; ")}


def test_pages_carry_the_policy(client, world):
    client.force_login(world.head_a)

    directives = policy(client.get("/dossiers/"))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"


def test_the_login_page_and_the_api_carry_it_too(client):
    assert "script-src 'self'" in client.get("/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in client.get("/api/dossiers/")["Content-Security-Policy"]


def test_only_the_swagger_page_allows_inline_styles_and_never_inline_scripts(client, world):
    client.force_login(world.head_a)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"
    page = response.content.decode()
    assert not re.search(r"<script>", page), "Swagger UI's script must come from its own URL"
    script = re.search(r'<script src="(/api/docs/\?script=)"', page)
    assert script and client.get(script.group(1)).status_code == 200


def served_templates():
    for directory in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in directory.parts:
            continue
        for path in directory.rglob("*.html"):
            if PDF_TEMPLATES not in path.parents:
                yield path


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute (onclick=…)"),
    (re.compile(r"\sstyle\s*=", re.I), 'a style="" attribute'),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_served_template_needs_inline_script_or_style():
    found = []
    for path in served_templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {what}")
    assert len(list(served_templates())) > 30
    assert found == []


def test_htmx_is_told_not_to_inject_its_style_element(client):
    page = client.get("/login/").content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page
