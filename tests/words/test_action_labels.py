"""Every action the code records has a label in words, in English and in Vietnamese: a new
`audit.record(action="...")` without one fails here (the walk reads the sources, not a list)."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from workflows.labels import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "audit",
    "org",
    "dossiers",
    "approvals",
    "fund",
    "documents",
    "initiatives",
    "emulation",
    "workflows",
    "meetings",
    "inspection",
    "contests",
    "honours",
    "clusters",
    "reports",
    "public",
    "notices",
    "config",
)


def _constants(node):
    """The string constants an expression may evaluate to (a literal, or either side of `a if c else b`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def recorded_actions() -> set[str]:
    """Each `action=` given to a call, each value assigned to a name `action` or `*_ACTION`/READ/
    EXPORT, and each action string handed to a helper that records (`_holiday_event(actor, "…")`)."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    for kw in node.keywords:
                        if kw.arg == "action":
                            found.update(_constants(kw.value))
                    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                    if name.endswith("_event") and len(node.args) > 1:
                        found.update(_constants(node.args[1]))
                elif isinstance(node, ast.Assign):
                    for target in node.targets:
                        name = getattr(target, "id", "")
                        if name == "action" or name.endswith("_ACTION") or name in ("READ", "EXPORT"):
                            found.update(_constants(node.value))
                elif isinstance(node, ast.Dict):
                    for key, value in zip(node.keys, node.values, strict=True):
                        if isinstance(key, ast.Constant) and key.value == "action":
                            found.update(_constants(value))
    return {a for a in found if "." in a}


def test_the_walk_finds_the_actions_of_every_layer():
    actions = recorded_actions()
    # One of each way of naming an action, so that a broken walk cannot pass by finding nothing.
    assert {
        "dossier.submit",  # action="…"
        "vote.participate",  # action = "…" if … else …
        "holiday.add",  # _holiday_event(actor, "…")
        "inspector.read",  # READ = "…"
        "audit.checkpoint",  # CHECKPOINT_ACTION = "…"
        "auth.locked_out",
        "certificate_batch.retry",
        "meeting.record_paper",
    } <= actions
    assert len(actions) > 60


def test_every_recorded_action_has_a_label():
    missing = sorted(a for a in recorded_actions() if a not in ACTION_LABELS)
    assert missing == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_label_is_a_code(language):
    with translation.override(language):
        for action in recorded_actions():
            label = action_label(action)
            assert label and label != action and "." not in label.rstrip("."), action


def test_every_label_is_translated_into_vietnamese():
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTION_LABELS.items()}
    with translation.override("vi"):
        untranslated = sorted(code for code, label in ACTION_LABELS.items() if str(label) == english[code])
    assert untranslated == []


def test_the_administrations_row_events_are_named_by_their_model():
    with translation.override("vi"):
        assert action_label("admin.dossiers.awardrule.change") == "Quản trị: sửa quy định khen thưởng"
        assert action_label("admin.org.holiday.delete").startswith("Quản trị: xóa ")
        # An action no label knows never shows its code.
        assert action_label("something.new") == "Thao tác khác"
