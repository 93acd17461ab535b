"""Excel (openpyxl) and CSV downloads: the same tables, the same rows as the page."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from aftersales.reports.tables import Table

# A text a spreadsheet would read as a formula (CSV/formula injection: "=HYPERLINK(…)" typed into
# a customer's name). Numbers stay numbers; only text is neutralised.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_cell(value):
    """CSV has no cell types: a leading apostrophe makes Excel and WPS show the text as text."""
    return "'" + value if is_formula_like(value) else value


def _append(sheet, values) -> None:
    """Append a row; a text that looks like a formula is stored as text (type "s"), never evaluated."""
    sheet.append([_cell(v) for v in values])
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if is_formula_like(value):
            cell.value = value
            cell.data_type = "s"


def to_xlsx(title: str, tables: list[Table]) -> bytes:
    """One sheet per table (titles cut to Excel's 31 characters)."""
    book = Workbook()
    book.remove(book.active)
    for i, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{i} {table.title}"[:31].replace("/", "-"))
        _append(sheet, [title])
        _append(sheet, table.headers)
        for row in table.rows:
            _append(sheet, row)
        for col in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(title: str, tables: list[Table]) -> bytes:
    """All tables one after another, each under its title (UTF-8 with BOM so Excel reads Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_cell(title)])
    for table in tables:
        writer.writerow([])
        writer.writerow([_csv_cell(table.title)])
        writer.writerow([_csv_cell(v) for v in table.headers])
        writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
