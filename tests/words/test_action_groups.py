"""The audit search offers the actions by kind; a kind with no name would show its code
("entry_file") in the search form, which the inspector reads in Vietnamese."""

from django.utils import translation

from workflows.labels import ACTION_GROUPS, ACTION_LABELS


def test_every_kind_of_action_has_a_name_in_vietnamese():
    kinds = {code.split(".")[0] for code in ACTION_LABELS}
    assert sorted(kinds - set(ACTION_GROUPS)) == []
    with translation.override("en"):
        english = {kind: str(name) for kind, name in ACTION_GROUPS.items()}
    with translation.override("vi"):
        untranslated = [name for kind, name in english.items() if str(ACTION_GROUPS[kind]) == name]
    assert untranslated == []
