"""Excel (openpyxl) and CSV downloads: the same tables, the same rows as the page."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from aftersales.reports.tables import Table


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_xlsx(title: str, tables: list[Table]) -> bytes:
    """One sheet per table (titles cut to Excel's 31 characters)."""
    book = Workbook()
    book.remove(book.active)
    for i, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{i} {table.title}"[:31].replace("/", "-"))
        sheet.append([title])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        for col in range(1, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(title: str, tables: list[Table]) -> bytes:
    """All tables one after another, each under its title (UTF-8 with BOM so Excel reads Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
