"""The short line a dossier's history shows for an event."""

from types import SimpleNamespace

from workflows.labels import event_detail


def event(action, **data):
    return SimpleNamespace(action=action, data=data)


def test_a_returns_items_read_as_one_line_without_a_stop_before_each_semicolon():
    line = event_detail(
        event("dossier.return", items=["Thiếu tờ trình.", " Bổ sung biên bản họp. ", "", "Sai tên;"])
    )
    assert line == "Thiếu tờ trình; Bổ sung biên bản họp; Sai tên"
    again = event_detail(event("dossier.return", items=["Thiếu tờ trình"], further_return_reason="Lần 2"))
    assert again == "Thiếu tờ trình — Lần 2"
