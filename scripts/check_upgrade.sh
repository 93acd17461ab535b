#!/usr/bin/env bash
# Proves that a database created and filled by an older commit migrates forward with this
# checkout's code keeping every row and every history row, also when models move between apps.
#
#   scripts/check_upgrade.sh [OLD_REF]        (default 5c5fdc5: main before the apps were split)
#
# SQLite in a temporary file, or with DATABASE_URL=postgres://user@host:port/any the same server
# and a fresh database $UPGRADE_CHECK_DB (default aftersales_upgrade_check), dropped at the end.
# The old code runs from a temporary git worktree sharing this checkout's .venv.
set -euo pipefail

OLD_REF=${1:-5c5fdc5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=$ROOT/.venv/bin/python
WORK=$(mktemp -d)
OLD_TREE=$WORK/old

if [[ ${DATABASE_URL:-} == postgres* ]]; then
    export DATABASE_URL="${DATABASE_URL%/*}/${UPGRADE_CHECK_DB:-aftersales_upgrade_check}"
else
    export DATABASE_URL="sqlite:///$WORK/upgrade.sqlite3"
fi
snap() { "$PY" "$ROOT/scripts/upgrade_snapshot.py" "$@"; }
# Demo data is refused in production; its uploads go to the temporary directory.
export AFTERSALES_ENV=development MEDIA_ROOT=$WORK/media

cleanup() {
    git -C "$ROOT" worktree remove --force "$OLD_TREE" 2>/dev/null || true
    if [[ $DATABASE_URL == postgres* ]]; then snap dropdb "$DATABASE_URL" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== $OLD_REF: migrate and seed_demo into ${DATABASE_URL##*@}"  # no password in the log
git -C "$ROOT" worktree add --quiet --detach "$OLD_TREE" "$OLD_REF"
ln -s "$(readlink -f "$ROOT/.venv")" "$OLD_TREE/.venv"
if [[ $DATABASE_URL == postgres* ]]; then snap createdb "$DATABASE_URL"; fi
(
    cd "$OLD_TREE"
    .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
    .venv/bin/python manage.py migrate --noinput -v 0
    .venv/bin/python manage.py seed_demo >/dev/null
)
snap snapshot "$DATABASE_URL" "$WORK/before.json"

echo "== $(git -C "$ROOT" rev-parse --short HEAD) (this checkout): migrate"
cd "$ROOT"
"$PY" manage.py migrate --noinput -v 0
snap snapshot "$DATABASE_URL" "$WORK/after.json"

echo
status=0
snap compare "$WORK/before.json" "$WORK/after.json" || status=1
echo
"$PY" manage.py migrate --check >/dev/null || { echo "FAIL: migrations left unapplied"; status=1; }
"$PY" manage.py makemigrations --check --dry-run || { echo "FAIL: model changes without migrations"; status=1; }
exit $status
