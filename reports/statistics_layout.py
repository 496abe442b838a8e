"""The printed shape of a form, shared by the page, the PDF and the xlsx: the header cells with
their spans (merged cells in the workbook), the column letters and numbers row, and the cells of
each row. One place, so the three outputs cannot drift apart."""

from dataclasses import dataclass


@dataclass
class HeadCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    row: int = 0  # position in the header grid (0-based), for the workbook's merges
    col: int = 0


def lead_columns(table) -> list[tuple[str, str]]:
    """(heading, letter) of the columns before the figures."""
    out = [("", "A"), ("Mã số", "B")]
    if table.form.measure_column:
        out.append(("Đơn vị tính", "C"))
    return out


def header(table) -> list[list[HeadCell]]:
    """Two header rows: a column without a group spans both; columns side by side under one
    group share a merged heading above their own."""
    lead = lead_columns(table)
    grouped = any(c.group for c in table.columns)
    depth = 2 if grouped else 1
    top, bottom = [], []
    for i, (text, _letter) in enumerate(lead):
        top.append(HeadCell(text, rowspan=depth, row=0, col=i))
    col_index = len(lead)
    columns = table.columns
    i = 0
    while i < len(columns):
        c = columns[i]
        if not c.group or not grouped:
            top.append(HeadCell(c.label, rowspan=depth, row=0, col=col_index))
            i += 1
            col_index += 1
            continue
        j = i
        while j < len(columns) and columns[j].group == c.group:
            j += 1
        top.append(HeadCell(c.group, colspan=j - i, row=0, col=col_index))
        for k, member in enumerate(columns[i:j]):
            bottom.append(HeadCell(member.label, row=1, col=col_index + k))
        col_index += j - i
        i = j
    return [top, bottom] if grouped else [top]


def numbers(table) -> list[str]:
    return [letter for _h, letter in lead_columns(table)] + [c.number for c in table.columns]


@dataclass
class BodyRow:
    row: object
    cells: list  # (column, value) for each figure column; empty for a heading


def body(table) -> list[BodyRow]:
    out = []
    for row in table.rows:
        if row.spec is None:
            out.append(BodyRow(row, []))
        else:
            out.append(BodyRow(row, [(c, table.value(row, c)) for c in table.columns]))
    return out


def receiving_unit(table) -> str:
    """Đơn vị nhận báo cáo: the deciding unit above the one reporting, or the Ministry."""
    parent = table.unit.parent
    while parent is not None and not parent.grants_awards:
        parent = parent.parent
    return parent.name if parent is not None else "Bộ Nội vụ"
