"""Fail when a user-facing string has no Chinese translation (run by `make test`).

Extracts the messages into a scratch copy of the tree, so the committed .po file is not
touched, and lists every msgid that is missing, untranslated or fuzzy.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

IGNORE = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "node_modules", "*.sqlite3", "*.mo", "tests")


class Command(BaseCommand):
    help = "Check that locale/zh_Hans/LC_MESSAGES/django.po translates every user-facing string."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "tree"
            shutil.copytree(base, tree, ignore=IGNORE)
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
                cwd=tree,
                check=True,
                env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "aftersales.settings"},
            )
            po = tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
            problems = []
            for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                out = subprocess.run(
                    ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                ids = [line[7:-1] for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""']
                problems += [f"{label}: {msgid}" for msgid in ids]
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems)} strings lack a Chinese translation in locale/zh_Hans/LC_MESSAGES/django.po"
            )
        self.stdout.write("translations complete")
