"""The README's role × permission table is the generated one, and every permission has a Chinese name."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

README = Path(__file__).resolve().parents[2] / "README.md"


def _generated() -> str:
    out = StringIO()
    call_command("role_matrix", stdout=out)
    return out.getvalue().strip()


def test_it_keeps_the_readme_table_equal_to_the_command_output():
    text = README.read_text()
    in_readme = text.split("<!-- role_matrix: begin -->")[1].split("<!-- role_matrix: end -->")[0].strip()
    assert in_readme == _generated()


def test_it_names_every_permission_and_role_in_chinese():
    header, _rule, *rows = _generated().splitlines()
    assert "售后文员" in header and "公司领导" in header
    assert "| 可确认已收款 | `shipping.confirm_payment` |" in "\n".join(rows)
    untranslated = [row for row in rows if not re.search(r"[\u4e00-\u9fff]", row.split("|")[1])]
    assert untranslated == []


def test_it_marks_exactly_the_declared_roles():
    rows = {row.split("|")[2].strip(" `"): row for row in _generated().splitlines()[2:]}
    marks = [cell.strip() for cell in rows["fieldservice.approve_feedbackformb"].split("|")[3:-1]]
    assert marks == [""] * 15 + ["✓"]  # only 公司领导, the last column
