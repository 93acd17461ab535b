"""Snapshots of a database before and after an upgrade, and their comparison (scripts/check_upgrade.sh).

    upgrade_snapshot.py snapshot DATABASE_URL OUT.json   every table's primary keys, the content
                                                         types, the rows that point at each of them
    upgrade_snapshot.py compare BEFORE.json AFTER.json   a table per old table; exit 1 on any loss
    upgrade_snapshot.py createdb|dropdb DATABASE_URL     a fresh PostgreSQL database for the check

The snapshot reads the database only (no project code), so the same helper serves the old and the
new schema. Tables that vanished are matched to new ones by the model part of their name: a model
that moved from app `aftersales` to `servicedesk` had `aftersales_servicecase` and now has
`servicedesk_servicecase` (and its history and many-to-many tables likewise).
"""

import json
import sys
from pathlib import Path

CONTENT_TYPES = "django_content_type"


def snapshot(url: str) -> dict:
    """Primary keys of every table, the content types, and per content type the rows pointing at it."""
    import dj_database_url
    import django
    from django.conf import settings

    settings.configure(DATABASES={"default": dj_database_url.parse(url)})
    django.setup()
    from django.db import connection

    qn = connection.ops.quote_name
    snap: dict = {"tables": {}, "content_types": {}, "ct_refs": {}, "group_perms": {}}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            pk = connection.introspection.get_primary_key_column(cursor, table)
            cursor.execute(f"SELECT {qn(pk) if pk else 'NULL'} FROM {qn(table)}")
            ids = sorted(row[0] if isinstance(row[0], int) else str(row[0]) for row in cursor.fetchall())
            snap["tables"][table] = {"pk": pk, "rows": len(ids), "ids": ids if pk else []}
            # Permissions, record links, attachments, admin log: every row keyed by a content type.
            for column, (_field, target) in connection.introspection.get_relations(cursor, table).items():
                if target == CONTENT_TYPES:
                    cursor.execute(f"SELECT {qn(column)}, COUNT(*) FROM {qn(table)} GROUP BY {qn(column)}")
                    snap["ct_refs"][f"{table}.{column}"] = {str(ct): n for ct, n in cursor.fetchall() if ct}
        cursor.execute(f"SELECT id, app_label, model FROM {CONTENT_TYPES}")
        snap["content_types"] = {str(pk): [app, model] for pk, app, model in cursor.fetchall()}
        cursor.execute(
            "SELECT p.content_type_id, COUNT(*) FROM auth_group_permissions gp"
            " JOIN auth_permission p ON p.id = gp.permission_id GROUP BY p.content_type_id"
        )
        snap["group_perms"] = {str(ct): n for ct, n in cursor.fetchall()}
    return snap


def _model_part(table: str, app_labels: set[str]) -> str | None:
    """`aftersales_servicecase_watchers` → `servicecase_watchers` (the longest app label wins)."""
    labels = [label for label in app_labels if table.startswith(label + "_")]
    return table[len(max(labels, key=len)) + 1 :] if labels else None


def table_mapping(before: dict, after: dict) -> dict[str, list[str]]:
    """Each old table → the new tables holding its rows: itself, or the one renamed for a moved model."""
    old_labels = {app for app, _model in before["content_types"].values()}
    new_labels = {app for app, _model in after["content_types"].values()}
    fresh = {t: _model_part(t, new_labels) for t in after["tables"].keys() - before["tables"].keys()}
    mapping = {}
    for table in before["tables"]:
        if table in after["tables"]:
            mapping[table] = [table]
        else:
            part = _model_part(table, old_labels)
            mapping[table] = sorted(t for t, p in fresh.items() if part and p == part)
    return mapping


def ref_mapping(before: dict, mapping: dict[str, list[str]]) -> dict[str, str]:
    """`warranty_repairpart.repair_type_id` → `repairs_repairpart.repair_type_id`."""
    split = {key: key.rsplit(".", 1) for key in before["ct_refs"]}
    return {key: f"{(mapping.get(table) or [table])[0]}.{column}" for key, (table, column) in split.items()}


def _refs_lost(old: dict[str, int], new: dict[str, int]) -> list[str]:
    return [f"content type {ct}: {n} → {new.get(ct, 0)}" for ct, n in old.items() if new.get(ct, 0) < n]


def compare(before: dict, after: dict) -> tuple[list[tuple[str, str, int, int | str, str]], list[str]]:
    """(old table, new table, rows before, rows after, status) per old table, and every problem found."""
    mapping = table_mapping(before, after)
    rows: list[tuple[str, str, int, int | str, str]] = []
    problems = []
    for table, targets in sorted(mapping.items()):
        old = before["tables"][table]
        if len(targets) != 1:
            status = "FAIL: no new table" if not targets else "FAIL: ambiguous " + ", ".join(targets)
            ok = old["rows"] == 0  # nothing to lose: shown, not failed
            rows.append((table, "-", old["rows"], "-", "OK (was empty)" if ok else status))
            problems += [] if ok else [f"{table}: {status}"]
            continue
        new = after["tables"][targets[0]]
        # Same primary keys, not only the same count (rows without a key: the count).
        lost = len(set(old["ids"]) - set(new["ids"])) if old["pk"] else max(old["rows"] - new["rows"], 0)
        added = new["rows"] - old["rows"] + lost
        status = f"FAIL: {lost} rows lost" if lost else f"OK (+{added} new)" if added else "OK"
        rows.append((table, targets[0], old["rows"], new["rows"], status))
        if lost:
            problems.append(f"{table} → {targets[0]}: {lost} of {old['rows']} rows lost")

    # A model's content type keeps its id (permissions, links, attachments, the admin log point at
    # it); a model that moved has the same id under its new app label.
    old_cts, new_cts = before["content_types"], after["content_types"]
    for pk, (app, model) in old_cts.items():
        now, targets = new_cts.get(pk), mapping.get(f"{app}_{model}", [])
        if now is None or now[1] != model:
            problems.append(f"content type {pk} ({app}.{model}) is now {'.'.join(now) if now else 'gone'}")
        elif len(targets) == 1 and targets[0] not in (f"{app}_{model}", f"{now[0]}_{model}"):
            problems.append(f"{app}_{model} moved to {targets[0]} but content type {pk} is now {'.'.join(now)}")

    for key, new_key in ref_mapping(before, mapping).items():
        problems += [f"{key}: {lost}" for lost in _refs_lost(before["ct_refs"][key], after["ct_refs"].get(new_key, {}))]
    problems += [f"group permissions: {lost}" for lost in _refs_lost(before["group_perms"], after["group_perms"])]
    return rows, problems


def report(before: dict, after: dict) -> int:
    """Print the comparison; 1 if anything was lost."""
    rows, problems = compare(before, after)
    header = ("old table", "new table", "rows before", "rows after", "status")
    w = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
    for old, new, before_n, after_n, status in [header, *rows]:
        print(f"{old:<{w[0]}}  {new:<{w[1]}}  {before_n!s:>{w[2]}}  {after_n!s:>{w[3]}}  {status}")
    old_cts, new_cts = before["content_types"], after["content_types"]
    moved = sorted((int(pk), old_cts[pk], ct) for pk, ct in new_cts.items() if old_cts.get(pk, ct) != ct)
    print(f"\ncontent types: {len(old_cts)} before, {len(new_cts)} after, {len(moved)} relabelled in place")
    for pk, old, new in moved:
        print(f"  id {pk}: {'.'.join(old)} → {'.'.join(new)}")
    print("rows pointing at a content type (permissions, links, attachments, admin log):")
    for key, new_key in sorted(ref_mapping(before, table_mapping(before, after)).items()):
        counts = [sum(snap["ct_refs"].get(k, {}).values()) for snap, k in ((before, key), (after, new_key))]
        print(f"  {key}: {counts[0]} before, {counts[1]} after" + (f" in {new_key}" if new_key != key else ""))
    links = [sum(snap["group_perms"].values()) for snap in (before, after)]
    print(f"group permission links: {links[0]} before, {links[1]} after")
    print(f"\n{len(rows)} tables, {sum(row[2] for row in rows)} rows before the upgrade: ", end="")
    print("\n  ".join(["FAIL", *problems]) if problems else "every row kept, OK")
    return 1 if problems else 0


def postgres(url: str, statement: str) -> None:
    """Run CREATE/DROP DATABASE for the database of `url` on its server's `postgres` database."""
    import psycopg
    from psycopg import conninfo, sql

    name = conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(str(name))))


def main(argv: list[str]) -> int:
    match argv:
        case ["snapshot", url, out]:
            Path(out).write_text(json.dumps(snapshot(url)))
        case ["compare", before, after]:
            return report(json.loads(Path(before).read_text()), json.loads(Path(after).read_text()))
        case ["createdb", url]:
            postgres(url, "DROP DATABASE IF EXISTS {}")
            postgres(url, "CREATE DATABASE {}")
        case ["dropdb", url]:
            postgres(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        case _:
            sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
