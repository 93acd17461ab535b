"""No input gets a 5xx: every URL of the site, every form on its pages, as several roles, with a
catalogue of bad values; and property tests of the parsers behind them.

The sweep reads the URL patterns from the resolver, so a new page is fuzzed without a change
here — except that its pk must be mapped to a record in PK_OF (the test says which is missing).
"""

import base64
import contextlib
import json
import logging
import math
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.pagination import _decode, _encode, decode_cursor, keyset_page
from tests.fieldservice.factories import png_upload, signature_data_url
from tests.security.fuzzing import (
    CONTROL,
    QUERY_POOLS,
    THIRTY_DIGITS,
    Bogus,
    Form,
    Fuzzer,
    fill,
    forms_of,
    pool,
    routes,
    tampered,
    variants,
)

ROLES = ("anonymous", "clerk", "technician", "as_manager", "superuser")
BOGUS_ROLES = ("anonymous", "technician", "superuser")
BOGUS_PK = Bogus(987654321)
LOGOUT = "/logout/"
JUNK = {
    "expected_state": "nope",
    "form_token": "x" * 300,
    "pk": THIRTY_DIGITS,
    "serials": "A1 2026-02-30\nB2 XD-1 0000-0-0 x\n" + "C" * 200 + "\n\u202e😀 9999-12-31",
    "default_production_date": "2026-02-30",
}

# The record behind the <pk> of each URL name; by default the entity before the first "-".
PK_OF = {
    "fieldservice:trip-pdf": "job",
    "repairs:repairpart-add": "repair",
    "servicedesk:coordinationsheet-pdf": "coordination",
    "servicedesk:document-file": "document_file",
    "reports:report-summary-detail": "report_run",
}
# Records whose pages offer other forms in another state: their URLs are visited with each.
ALSO = {"form_a": ["waiting_form_a"], "shipment": ["shipment_ready"], "payment": ["payment_recorded"]}


def _world_key(name: str, world) -> str | None:
    if name in PK_OF:
        return PK_OF[name]
    entity = name.split(":")[-1].split("-")[0]
    entity = {"forma": "form_a", "formb": "form_b"}.get(entity, entity)
    return entity if entity in world else None


def _values(route, world) -> dict[str, list] | None:
    """Candidates for each path parameter of a route: real values first, then bogus ones."""
    from aftersales.reports.tables import REPORTS

    values: dict[str, list] = {}
    name = route.name
    if "<int:pk>" in route.route:
        key = _world_key(name, world)
        if key is None:
            return None
        values["pk"] = [world[k].pk for k in [key, *ALSO.get(key, [])]] + [BOGUS_PK, Bogus(THIRTY_DIGITS)]
    if "<int:ct>" in route.route:
        values["ct"] = [world["repair_ct"], BOGUS_PK]
    if "<slug:step>" in route.route:
        workflow = route.pattern.default_args["workflow"]
        values["step"] = [s.name for s in workflow.steps] + [Bogus("nope")]
    if "<str:token>" in route.route:
        token = world["tablet_token"] if "tablet" in name else world["link_token"]
        values["token"] = [token, *tampered(token)]
    if "<uuid:code>" in route.route:
        real = world["job"].verify_code if name.startswith("fieldservice") else world["archive"].verify_code
        values["code"] = [real, Bogus(uuid.uuid4())]
    if "<str:which>" in route.route:
        values["which"] = ["a", "b", Bogus("zz")]
    if "<slug:form>" in route.route:
        values["form"] = ["request", "delivery-note", Bogus("nope")]
    if "<slug:slug>" in route.route:
        values["slug"] = [*REPORTS, Bogus("nope")]
    return values


@pytest.fixture
def quiet_request_log():
    """Thousands of 4xx answers: not worth a log line each."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.fixture
def clients(world, users):
    made = {"anonymous": Client()}
    for role in ROLES[1:]:
        made[role] = Client()
        made[role].force_login(world["superuser"] if role == "superuser" else users[role])
    return made


def _site_paths(world) -> tuple[list[tuple], list[str]]:
    paths, unmapped = [], []
    for route in routes():
        if route.is_admin:
            continue
        values = _values(route, world)
        if values is None:
            unmapped.append(route.name)
            continue
        paths += [(route, path, bogus) for path, bogus in fill(route, values)]
    return paths, unmapped


@pytest.mark.django_db
def test_no_page_answers_a_5xx(world, clients, quiet_request_log):
    """GET every path as every role, then the pages' GET parameters with bad values, then every
    form found on the pages with bad values, missing and duplicated fields and bad files."""
    paths, unmapped = _site_paths(world)
    assert unmapped == [], f"add the record behind these URLs to PK_OF: {unmapped}"
    fuzz = Fuzzer(clients)
    found: dict[tuple, tuple[str, Form]] = {}
    readers: dict[str, list[str]] = {}
    for route, path, bogus in paths:
        # A path naming nothing is tried as a few roles; a PDF (slow to draw) only as the superuser.
        for role in BOGUS_ROLES if bogus else ROLES:
            if route.name == "logout" and role != "anonymous":
                continue
            if route.is_pdf and role not in ("anonymous", "superuser") and not bogus:
                continue
            response = fuzz.send(role, "GET", path)
            if response is None or response.status_code != 200 or route.is_pdf:
                continue
            readers.setdefault(path, []).append(role)
            if "html" in response.get("Content-Type", ""):
                for form in forms_of(response.content.decode(), path):
                    # One role per form: the first that was shown it (it is shown to who may send it).
                    if form.action != LOGOUT:  # the header's form: it would end the role's session
                        found.setdefault(form.key(), (role, form))

    fuzz.phase("GET every path")

    # GET parameters: the usual names and the page's own filter fields, each walking its values;
    # pages without a parameter in the path (lists, lookups) as their first and last reader.
    for path, roles in readers.items():
        pools = dict(QUERY_POOLS)
        for _role, form in found.values():
            if form.method == "get" and form.action == path:
                pools |= {f.name: pool(f) for f in form.fields}
        is_list = path.count("/") <= 3 and not any(ch.isdigit() for ch in path)
        rows = max(map(len, pools.values())) if is_list else 3
        for role in dict.fromkeys([roles[0], roles[-1]] if is_list else [roles[-1]]):
            for k in range(rows):
                fuzz.send(role, "GET", path, {n: p[(k + j) % len(p)] for j, (n, p) in enumerate(pools.items())})
            refused = fuzz.send(role, "GET", path, {"q": CONTROL[len(path) % len(CONTROL)]})
            if refused is not None and refused.status_code != 400:
                fuzz.failures.append(f"{role} GET {path} with a control character → {refused.status_code}, not 400")

    fuzz.phase("GET parameters")

    # Every POST form found, as the role that was shown it.
    today = timezone.localdate().isoformat()
    posts = [(role, form) for role, form in found.values() if form.method == "post"]
    for offset, (role, form) in enumerate(posts):
        for body in variants(form, offset, signature=signature_data_url(), today=today, good_upload=png_upload):
            fuzz.send(role, "POST", form.action, body)
        with_nul = {f.name: f.value + CONTROL[offset % len(CONTROL)] for f in form.fields if f.kind != "file"}
        refused = fuzz.send(role, "POST", form.action, with_nul)
        if refused is not None and refused.status_code != 400:
            fuzz.failures.append(f"{role} POST {form.action} with a control character → {refused.status_code}")

    fuzz.phase(f"{len(posts)} forms")

    # POST where no form is offered (and to the pages' JSON helpers): junk, as a few roles.
    for route, path, bogus in paths:
        if route.is_pdf or route.name == "logout" or bogus:
            continue
        for role in BOGUS_ROLES:
            fuzz.send(role, "POST", path, JUNK)
    fuzz.phase("POST junk")
    assert not fuzz.failures, fuzz.report()


ADMIN_QUERIES = [
    {"q": "x" * 100_000, "o": "99.-1.abc", "p": THIRTY_DIGITS, "e": "1", "_to_field": "password", "_popup": "nope"},
    {"status__exact": "nope", "created_at__gte": "9999-12-31", "created_at__lt": "0000-00-00", "id__in": "a,b"},
    {"created_at__year": THIRTY_DIGITS, "created_at__month": "13", "q": "😀\u202e' OR 1=1 --", "pk__exact": "-1"},
]


@pytest.mark.django_db
@pytest.mark.filterwarnings(
    "ignore:DateTimeField .* received a naive datetime:RuntimeWarning"
)  # the lists' ?created_at__gte=
def test_no_admin_page_answers_a_5xx(world, users, quiet_request_log):
    """Every registered model's admin pages as the superuser and the staff roles: the lists with
    bad filters, the add and change forms with bad values, the history, delete and transition pages."""
    from django.contrib import admin
    from django.urls import reverse
    from simple_history.admin import SimpleHistoryAdmin

    for role in ("clerk", "as_manager"):
        users[role].is_staff = True
        users[role].save(update_fields=["is_staff"])
    clients = {}
    for role, user in (
        ("superuser", world["superuser"]),
        ("clerk", users["clerk"]),
        ("as_manager", users["as_manager"]),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    fuzz = Fuzzer(clients)
    today = timezone.localdate().isoformat()
    site_paths = [
        "/admin/",
        "/admin/password_change/",
        "/admin/jsi18n/",
        f"/admin/r/{THIRTY_DIGITS}/1/",
        "/admin/r/x/y/",
    ]
    site_paths += [f"/admin/{app}/" for app in {m._meta.app_label for m in admin.site._registry}]
    for path in site_paths:
        for role in clients:
            fuzz.send(role, "GET", path)
    for query in ADMIN_QUERIES:
        fuzz.send("superuser", "GET", "/admin/autocomplete/", query | {"app_label": "aftersales", "model_name": "x"})
    fuzz.phase("admin site pages")

    forms: list[Form] = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        row = model._default_manager.order_by("pk").first()
        paths = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        if row is not None:
            pk = str(row.pk)
            paths += [reverse(f"{prefix}_{view}", args=[pk]) for view in ("change", "history", "delete")]
            history = getattr(row, "history", None)
            if isinstance(model_admin, SimpleHistoryAdmin) and history is not None and history.exists():
                paths.append(reverse(f"{prefix}_simple_history", args=[pk, history.first().history_id]))
            if hasattr(model_admin, "fsm_fields"):
                paths.append(reverse(f"{prefix}_change", args=[pk]).replace("/change/", "/transition/nope/"))
        for path in paths:
            # The staff roles see the list and the forms; the other pages are the superuser's.
            is_form_page = path.endswith(("/add/", "/change/")) or path == paths[0]
            for role in clients if is_form_page else ["superuser"]:
                response = fuzz.send(role, "GET", path)
                if role == "superuser" and is_form_page and response is not None and response.status_code == 200:
                    forms += [
                        f
                        for f in forms_of(response.content.decode(), path)
                        # Not the header's logout and password forms: they would end the session.
                        if f.method == "post" and not f.action.endswith(("/logout/", "/password/", "/password_change/"))
                    ]
        for bad in (THIRTY_DIGITS, "nope", "_00"):  # _00: the admin's own escape for a NUL
            fuzz.send("superuser", "GET", reverse(f"{prefix}_change", args=[bad]))
        for query in ADMIN_QUERIES:
            fuzz.send("superuser", "GET", paths[0], query)
    fuzz.phase("admin pages and lists")

    # The add, change and list-action forms as the superuser: plausible, all bad, missing, repeated.
    for offset, form in enumerate(forms):
        bodies = variants(
            form, offset, signature=signature_data_url(), today=today, good_upload=png_upload, thorough=False
        )
        if not form.action.endswith(("/add/", "/change/")):
            bodies = bodies[:2]  # a list's action form: as shown, and every field at its worst
        for body in bodies:
            fuzz.send("superuser", "POST", form.action, body)
    fuzz.phase(f"{len(forms)} admin forms")
    assert not fuzz.failures, fuzz.report()


# --- the parsers, by property ---------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")
IN_RANGE = {"min_value": datetime(1900, 1, 2), "max_value": datetime(2199, 12, 30)}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["dt", "d", "dec", "x"]), inner),
    max_leaves=8,
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@settings(max_examples=200, deadline=None)
@given(
    created=st.datetimes(**IN_RANGE, timezones=st.sampled_from([UTC, SHANGHAI])),
    pk=st.integers(min_value=1, max_value=2**63 - 1),
)
def test_a_cursor_comes_back_as_it_was_made(created, pk):
    from aftersales.models import Customer

    decoded, decoded_pk = decode_cursor(_encode([created, pk]), Customer, ("-created_at", "-pk"))
    # The same instant (== is False across zones for a local time in a DST gap, PEP 495).
    assert (decoded.timestamp(), decoded.utcoffset(), decoded_pk) == (created.timestamp(), created.utcoffset(), pk)


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    amount=st.decimals(min_value=-(10**11), max_value=10**11, places=2, allow_nan=False, allow_infinity=False),
    pk=st.integers(min_value=1, max_value=2**31),
)
def test_a_cursor_of_dates_and_amounts_comes_back_as_it_was_made(day, amount, pk):
    from shipping.models import Payment

    ordering = ("received_on", "-amount", "pk")
    assert decode_cursor(_encode([day, amount, pk]), Payment, ordering) == [day, amount, pk]


@settings(max_examples=300, deadline=None)
@given(cursor=st.one_of(st.text(max_size=700), json_values.map(lambda v: _b64(json.dumps(v).encode()))))
def test_a_forged_cursor_is_refused_never_raised(cursor):
    from aftersales.models import Customer

    assert _decode(cursor) is None or isinstance(_decode(cursor), list)
    values = decode_cursor(cursor, Customer, ("-created_at", "-pk"))
    if values is not None:
        created, pk = values
        assert isinstance(created, datetime) and created.tzinfo is not None
        assert isinstance(pk, int) and not isinstance(pk, bool) and abs(pk) < 2**63


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cursor=st.one_of(st.text(min_size=1, max_size=80), json_values.map(lambda v: _b64(json.dumps(v).encode()))))
def test_a_list_with_a_forged_cursor_is_its_first_page(cursor):
    from aftersales.models import Customer

    page = keyset_page(Customer.objects.all(), cursor=cursor, size=5)
    assert page.is_first == page.bad_cursor or decode_cursor(cursor, Customer, ("-created_at", "-pk")) is not None


date_text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A-?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}\Z"),
    st.dates().map(date.isoformat),
    st.datetimes().map(lambda d: d.isoformat(sep=" ")),
)


@settings(max_examples=300, deadline=None)
@given(text=date_text)
def test_a_filter_date_is_in_range_or_a_form_error(text):
    from django import forms

    from aftersales.forms import MAX_DATE, MIN_DATE, BoundedDateField, BoundedDateTimeField

    for field in (BoundedDateField(required=False), BoundedDateTimeField(required=False)):
        try:
            value = field.clean(text)
        except forms.ValidationError:
            continue
        if value is not None:
            day = value.date() if isinstance(value, datetime) else value
            assert MIN_DATE <= day <= MAX_DATE
            value + timedelta(days=400)  # what the lists and reports add: no OverflowError


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.none(), st.text(max_size=40), st.floats(), st.integers(), st.booleans()))
def test_a_position_is_a_finite_number_in_range_or_nothing(value):
    from aftersales.forms import OptionalFloatField
    from aftersales.signatures import _accuracy, _coordinate

    number = OptionalFloatField(min_value=-90, max_value=90).clean(value)
    assert number is None or (math.isfinite(number) and -90 <= number <= 90)
    coordinate = _coordinate(value, 180)
    assert coordinate is None or len(coordinate.as_tuple().digits) <= 9  # the column: 9 digits, 6 places
    accuracy = _accuracy(value)
    assert accuracy is None or 0 <= accuracy <= 100_000


serial_lines = st.lists(
    st.lists(
        st.one_of(
            st.text(min_size=1, max_size=80),
            st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\Z"),
            st.from_regex(r"\A[A-Z]{2}[0-9]{2,4}-[0-9]{4}-[0-9]{4}\Z"),
        ),
        min_size=1,
        max_size=4,
    ).map(lambda tokens: " ".join(tokens)),
    max_size=6,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), serial_lines))
def test_a_serial_list_parses_into_entries_or_line_errors(text):
    from shipping.serials import SERIAL_MAX_LENGTH, parse_serial_lines

    for entry in parse_serial_lines(text):
        assert entry.serial and entry.line_no >= 1
        assert len(entry.serial) <= SERIAL_MAX_LENGTH or entry.error
        assert entry.production_date is None or isinstance(entry.production_date, date)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=3000), flips=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6))
def test_an_upload_is_an_accepted_image_or_a_clear_refusal(data, flips):
    """Random bytes, and a real PNG with bytes flipped (a header that lies about its size)."""
    from django.core.exceptions import ValidationError

    from aftersales.attachments import fit_image, sniff_content_type
    from aftersales.signatures import decode_signature_png
    from aftersales.workflow import RuleViolation
    from tests.fieldservice.factories import png_bytes

    mutated = bytearray(png_bytes())
    for index, byte in flips:
        mutated[index % len(mutated)] = byte
    for content in (data, bytes(mutated)):
        try:
            kind = sniff_content_type(SimpleUploadedFile("x.png", content), allow_pdf=False)
            assert kind.startswith("image/")
            fit_image(content, name="x.png")
        except ValidationError:
            pass
        with contextlib.suppress(RuleViolation):
            decode_signature_png("data:image/png;base64," + base64.b64encode(content).decode())
