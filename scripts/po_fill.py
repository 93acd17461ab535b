"""Fill translations into locale/zh_Hans/LC_MESSAGES/django.po from a JSON or Python dict file.

Usage: python scripts/po_fill.py translations.json   (needs `pip install polib`; a dev tool)
Only empty or fuzzy entries are filled; existing translations are kept.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(path: str) -> None:
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(PO), wrapwidth=0)
    po.metadata.update(
        {"Language": "zh_Hans", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    )
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid in table and (not entry.msgstr or "fuzzy" in entry.flags):
            entry.msgstr = table[entry.msgid]
            filled += 1
        if "fuzzy" in entry.flags and entry.msgstr:
            entry.flags.remove("fuzzy")
    po.metadata_is_fuzzy = False
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not e.msgstr and not e.msgstr_plural]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main(sys.argv[1])
