"""The import-linter contracts cover the whole core: a new core module cannot slip past them."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_APPS = {"servicedesk", "reports"}


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def _modules(package: str, skip: set[str] = frozenset()) -> set[str]:
    folder = ROOT / package.replace(".", "/")
    names = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}
    return {f"{package}.{name}" for name in names - skip}


def test_it_lists_every_core_module_in_the_core_contract():
    assert set(_contract("core")["source_modules"]) == _modules("aftersales", WORKFLOW_APPS)


def test_it_lists_every_warranty_module_except_repairs():
    assert set(_contract("warranty-repairs")["source_modules"]) == _modules("warranty", {"repairs"})


def test_it_renders_the_fragments_other_apps_declare_for_a_page(rf, monkeypatch, django_user_model):
    from types import SimpleNamespace

    from django.template import Context, Template

    from aftersales import registry

    class Page:
        _meta = SimpleNamespace(label="servicedesk.ServiceCase")

    declared = SimpleNamespace(
        FRAGMENTS=[
            registry.PageFragment(
                "servicedesk.ServiceCase", "repairs/includes/case_costs.html", lambda r, o: {"cost": 5}
            ),
            registry.PageFragment(
                "fieldservice.ServiceJob", "repairs/includes/case_costs.html", lambda r, o: {"cost": 7}
            ),
        ]
    )
    monkeypatch.setattr(registry, "app_modules", lambda name: iter([declared]) if name == "fragments" else iter([]))
    request = rf.get("/")
    html = Template("{% load aftersales_tags %}{% fragments page %}").render(
        Context({"request": request, "page": Page()})
    )
    assert 'id="case-repair-costs"' in html and "¥5" in html and "¥7" not in html
