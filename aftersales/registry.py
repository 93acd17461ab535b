"""Where the apps meet without importing each other: what each contributes to the shell
(navigation entries, 待办 sections), to a unit's service history, to the repeat-repair count,
and to another app's pages.

An app adds `<app>/nav.py` with `ITEMS = [NavItem(...)]`, `<app>/todo.py` with
`def sections(user) -> list[TodoSection]` and `<app>/fragments.py` with
`FRAGMENTS = [PageFragment(...)]`; the shell finds them by name. History sources and repair
counters are registered from the app's AppConfig.ready().
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise

from aftersales.roles import has_role


@dataclass(frozen=True)
class NavItem:
    label: Promise | str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every signed-in user
    permission: str = ""
    order: int = 100

    def visible_to(self, user) -> bool:
        if self.permission and not user.has_perm(self.permission):
            return False
        return not self.roles or has_role(user, *self.roles)


@dataclass
class TodoItem:
    label: str
    url: str
    since: datetime | None = None
    note: str = ""
    flag: str = ""  # "overdue", "at_risk", "warning" draw attention

    @property
    def age(self):
        return timezone.now() - self.since if self.since else None


@dataclass
class TodoSection:
    title: Promise | str
    items: list[TodoItem] = field(default_factory=list)
    count: int | None = None  # when the items shown are only the oldest few
    url: str = ""
    flag: str = ""
    order: int = 100

    @property
    def total(self) -> int:
        return self.count if self.count is not None else len(self.items)

    @property
    def oldest(self):
        ages = [item.age for item in self.items if item.age is not None]
        return max(ages) if ages else None


def app_modules(name: str):
    """Each installed app's module `<app>.<name>`, in INSTALLED_APPS order (apps without one are skipped)."""
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise


def nav_items(user) -> list[dict]:
    items = []
    for module in app_modules("nav"):
        for item in getattr(module, "ITEMS", []):
            if not item.visible_to(user):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append((item.order, str(item.label), url))
    return [{"label": label, "url": url} for _order, label, url in sorted(items, key=lambda t: t[0])]


def todo_sections(user) -> list[TodoSection]:
    sections = []
    for module in app_modules("todo"):
        provider = getattr(module, "sections", None)
        if provider:
            sections.extend(provider(user))
    return sorted(sections, key=lambda s: s.order)


# --- a unit's service history ------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: datetime
    kind: str
    label: str
    url: str = ""
    state: str = ""
    note: str = ""


HistorySource = Callable[[Any], list[HistoryEntry]]
_history_sources: list[HistorySource] = []


def register_history_source(source: HistorySource) -> None:
    """A workflow adds its records (cases, jobs, repairs, …) to a unit's service history."""
    if source not in _history_sources:
        _history_sources.append(source)


def unit_history(unit) -> list[HistoryEntry]:
    """Everything that happened to a unit, newest first."""
    entries: list[HistoryEntry] = []
    for source in _history_sources:
        entries.extend(source(unit))
    return sorted(entries, key=lambda e: e.when, reverse=True)


# --- repeat repairs (三包: the same defect of a unit repaired three times within warranty) ----


@dataclass(frozen=True)
class CountedRepair:
    """One repair within warranty of a unit, as a workflow knows it.

    `key` names the repair across workflows: a case resolved by a factory repair is one repair,
    so the repair order reports it under its case's key ("servicedesk.servicecase:12"). When two
    workflows report the same key, the diagnosis with the higher `authority` is the one counted
    (QC's findings at the factory over the technical department's phone diagnosis).
    """

    key: str
    component_id: int | None
    defect_code_id: int
    when: datetime | None
    authority: int = 0


RepairCounter = Callable[[Any], Iterable[CountedRepair]]
_repair_counters: list[RepairCounter] = []


def register_repair_counter(counter: RepairCounter) -> None:
    """A workflow that repairs units lists its own repairs of a unit within warranty (unit → CountedRepair)."""
    if counter not in _repair_counters:
        _repair_counters.append(counter)


def repair_key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def counted_repairs(unit, *, exclude: str = "") -> list[CountedRepair]:
    """The distinct repairs of a unit within warranty, from every workflow, each once.

    Counters are not added up: their repairs are merged by key, and a repair reported by two
    workflows keeps only the diagnosis of the higher authority.
    """
    by_key: dict[str, list[CountedRepair]] = {}
    for counter in _repair_counters:
        for repair in counter(unit):
            if repair.key == exclude:
                continue
            kept = by_key.get(repair.key)
            if not kept or repair.authority > kept[0].authority:
                by_key[repair.key] = [repair]
            elif repair.authority == kept[0].authority and repair not in kept:
                kept.append(repair)
    # One repair of a record may cover several components (a factory order's findings), but a
    # component and defect is counted once per repair.
    distinct = {(r.key, r.component_id, r.defect_code_id): r for rs in by_key.values() for r in rs}
    return sorted(distinct.values(), key=lambda r: (r.when is None, r.when or timezone.now()))


def repairs_counted(unit, component, defect_code=None, *, exclude: str = "") -> int:
    """How often this defect of this component of the unit was repaired within warranty.

    Without a defect code: the highest count of any one defect of the component.
    """
    component_id = getattr(component, "pk", component)
    counts: dict[int, int] = {}
    for repair in counted_repairs(unit, exclude=exclude):
        if repair.component_id == component_id:
            counts[repair.defect_code_id] = counts.get(repair.defect_code_id, 0) + 1
    if defect_code is not None:
        return counts.get(getattr(defect_code, "pk", defect_code), 0)
    return max(counts.values(), default=0)


def repeated_repairs(unit, limit: int) -> list[tuple[int | None, int, int]]:
    """(component id, defect code id, repairs) of every defect repaired `limit` times or more."""
    counts: dict[tuple[int | None, int], int] = {}
    for repair in counted_repairs(unit):
        pair = (repair.component_id, repair.defect_code_id)
        counts[pair] = counts.get(pair, 0) + 1
    return [(c, d, n) for (c, d), n in counts.items() if n >= limit]


# --- printed verification codes -----------------------------------------------------------

VerifyResolver = Callable[[Any], str | None]
_verify_resolvers: list[VerifyResolver] = []


def register_verify_resolver(resolver: VerifyResolver) -> None:
    """An app that prints its own verification code (a job's A+B pair) says where the code leads."""
    if resolver not in _verify_resolvers:
        _verify_resolvers.append(resolver)


def verify_target(code) -> str | None:
    """The page a typed verification code leads to, from the app that printed it."""
    for resolver in _verify_resolvers:
        if url := resolver(code):
            return url
    return None


# --- page fragments: one app's part of another app's page ---------------------------------


@dataclass(frozen=True)
class PageFragment:
    """A template of one app rendered on the page of another app's record (`{% fragments obj %}`)."""

    model: str  # the page's model, "app_label.ModelName"
    template: str
    context: Callable[[Any, Any], dict]  # (request, obj) -> the template's context
    order: int = 100


def page_fragments(obj) -> list[PageFragment]:
    """The fragments every app declares for the page of this record, in order."""
    label = obj._meta.label
    found = [f for module in app_modules("fragments") for f in getattr(module, "FRAGMENTS", []) if f.model == label]
    return sorted(found, key=lambda f: f.order)
