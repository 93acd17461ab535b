"""The comparison of scripts/check_upgrade.sh on hand-made snapshots: a model that moved app passes,
a lost row, a swapped row, a recreated content type or a lost permission fails."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "upgrade_snapshot", Path(__file__).resolve().parents[2] / "scripts" / "upgrade_snapshot.py"
)
assert _spec and _spec.loader
upgrade_snapshot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(upgrade_snapshot)


def snap(app: str, *, case_ids=(1, 2, 3), cts=None, perms=None) -> dict:
    """A database with a core customer and a service case (its history, its watchers) in `app`."""
    tables = {
        "aftersales_customer": [1, 2],
        f"{app}_servicecase": list(case_ids),
        f"{app}_historicalservicecase": [1, 2, 3, 4, 5],
        f"{app}_servicecase_watchers": [7],
        "auth_permission": [1, 2, 3, 4],
        "django_content_type": [1, 2, 3],
    }
    return {
        "tables": {name: {"pk": "id", "rows": len(ids), "ids": ids} for name, ids in tables.items()},
        "content_types": cts
        or {"1": ["aftersales", "customer"], "2": [app, "servicecase"], "3": [app, "historicalservicecase"]},
        "ct_refs": {"auth_permission.content_type_id": perms or {"1": 2, "2": 2}},
        "group_perms": {"2": 1},
    }


BEFORE = snap("aftersales")


def test_it_maps_the_tables_of_a_moved_model_to_its_new_app():
    assert upgrade_snapshot.table_mapping(BEFORE, snap("servicedesk")) == {
        "aftersales_customer": ["aftersales_customer"],
        "aftersales_servicecase": ["servicedesk_servicecase"],
        "aftersales_historicalservicecase": ["servicedesk_historicalservicecase"],
        "aftersales_servicecase_watchers": ["servicedesk_servicecase_watchers"],
        "auth_permission": ["auth_permission"],
        "django_content_type": ["django_content_type"],
    }
    rows, problems = upgrade_snapshot.compare(BEFORE, snap("servicedesk"))
    assert problems == []
    assert ("aftersales_servicecase", "servicedesk_servicecase", 3, 3, "OK") in rows


def test_it_fails_when_a_row_is_lost():
    rows, problems = upgrade_snapshot.compare(BEFORE, snap("servicedesk", case_ids=(1, 3)))
    assert problems == ["aftersales_servicecase → servicedesk_servicecase: 1 of 3 rows lost"]
    assert ("aftersales_servicecase", "servicedesk_servicecase", 3, 2, "FAIL: 1 rows lost") in rows


def test_it_fails_when_the_count_is_the_same_but_a_row_is_another():
    _rows, problems = upgrade_snapshot.compare(BEFORE, snap("servicedesk", case_ids=(1, 2, 4)))
    assert problems == ["aftersales_servicecase → servicedesk_servicecase: 1 of 3 rows lost"]


def test_it_counts_new_rows_as_no_loss():
    rows, problems = upgrade_snapshot.compare(BEFORE, snap("servicedesk", case_ids=(1, 2, 3, 4)))
    assert problems == []
    assert ("aftersales_servicecase", "servicedesk_servicecase", 3, 4, "OK (+1 new)") in rows


def test_it_fails_when_a_moved_model_gets_a_new_content_type():
    cts = {
        "1": ["aftersales", "customer"],
        "2": ["aftersales", "servicecase"],
        "3": ["servicedesk", "historicalservicecase"],
    }
    cts["9"] = ["servicedesk", "servicecase"]
    _rows, problems = upgrade_snapshot.compare(BEFORE, snap("servicedesk", cts=cts))
    assert problems == [
        "aftersales_servicecase moved to servicedesk_servicecase but content type 2 is now aftersales.servicecase"
    ]


def test_it_fails_when_a_permission_is_lost():
    _rows, problems = upgrade_snapshot.compare(BEFORE, snap("servicedesk", perms={"1": 2, "2": 1}))
    assert problems == ["auth_permission.content_type_id: content type 2: 2 → 1"]


def test_it_fails_when_a_table_with_rows_has_no_new_home():
    after = snap("servicedesk")
    del after["tables"]["servicedesk_servicecase"]
    _rows, problems = upgrade_snapshot.compare(BEFORE, after)
    assert problems == ["aftersales_servicecase: FAIL: no new table"]


def test_it_fails_when_two_new_tables_could_hold_the_rows():
    after = snap("servicedesk")
    after["tables"]["reports_servicecase"] = after["tables"]["servicedesk_servicecase"]
    after["content_types"]["4"] = ["reports", "reportrun"]
    _rows, problems = upgrade_snapshot.compare(BEFORE, after)
    assert "aftersales_servicecase: FAIL: ambiguous reports_servicecase, servicedesk_servicecase" in problems
