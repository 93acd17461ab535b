"""Exports never hand a spreadsheet a formula typed into a record (formula injection)."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from aftersales.reports.exports import to_csv, to_xlsx
from aftersales.reports.tables import Table

HOSTILE = ['=HYPERLINK("http://evil","点此")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def table():
    return Table(
        title="客户",
        headers=["名称", "数量", "金额"],
        rows=[[name, -5, Decimal("-12.50")] for name in HOSTILE] + [["正常客户", 3, Decimal("1.5")]],
    )


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(to_xlsx("报表", [table()]))).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=False))
    for cells, name in zip(rows, HOSTILE, strict=False):
        assert cells[0].value in (name, name.replace("\r", "\n")) and cells[0].data_type == "s"
        assert cells[1].value == -5 and cells[1].data_type == "n"
        assert cells[2].value == -12.5
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_csv_prefixes_formula_like_text_with_an_apostrophe():
    text = to_csv("报表", [table()]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    names = [row[0] for row in rows[4:-1]]
    assert names == ["'" + name for name in HOSTILE]
    assert rows[4][1] == "-5" and rows[4][2] == "-12.50", "numbers are left alone"
    assert rows[-1][0] == "正常客户"
