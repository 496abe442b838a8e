"""A template belongs to the app it is named after (templates/<app>/… or <app>/templates/<app>/…);
it may load the template tags of its own app and of the apps below it, never of an app above it
(DESIGN.md's one-way rule, for templates). The project's own pages (base.html, the error pages,
registration/) stand at the top, with config."""

import re

import pytest

from .test_layers import APPS as ORDER
from .test_layers import ROOT

# The pages over the workflow are independent of one another (the demo builds on all of them).
SIBLINGS = set(ORDER[ORDER.index("demo") + 1 : ORDER.index("workflows")])
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def tag_libraries() -> dict[str, str]:
    """{library name: the app that defines it}."""
    return {
        path.stem: path.parent.parent.name
        for app in ORDER
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def templates() -> list[tuple]:
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        first = path.relative_to(ROOT / "templates").parts[0]
        found.append((path, first if first in ORDER else "config"))
    for app in ORDER:
        for path in (ROOT / app / "templates").rglob("*.html"):
            found.append((path, app))
    return found


def may_use(app: str, other: str) -> bool:
    if app == other:
        return True
    if app in SIBLINGS and other in SIBLINGS:
        return False
    return ORDER.index(app) < ORDER.index(other) and other not in SIBLINGS


def upward_loads() -> list[str]:
    libraries = tag_libraries()
    wrong = []
    for path, app in templates():
        for names in LOAD.findall(path.read_text(encoding="utf-8")):
            for name in names.split():
                owner = libraries.get(name)
                if owner and not may_use(app, owner) and app != "config":
                    wrong.append(f"{path.relative_to(ROOT)} ({app}) loads {name} ({owner})")
    return wrong


def test_the_tag_libraries_are_known():
    assert {"dossiers_ui", "workflow_ui", "meetings_ui"} <= set(tag_libraries())


def test_no_template_loads_the_tags_of_a_higher_app():
    assert upward_loads() == []


@pytest.mark.parametrize(
    ("app", "other", "allowed"),
    [
        ("workflows", "dossiers", True),
        ("dossiers", "workflows", False),
        ("documents", "workflows", False),
        ("meetings", "workflows", True),
        ("inspection", "meetings", False),
    ],
)
def test_the_rule_itself(app, other, allowed):
    assert may_use(app, other) is allowed
