"""The machinery of the fuzz test: the site's URLs filled with real values, the forms of its pages,
a catalogue of bad values, and a runner that records every 5xx instead of stopping at the first."""

import functools
import re
import struct
import time
import uuid
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# --- the bad values ---------------------------------------------------------------------------

THIRTY_DIGITS = "9" * 30
TAMPERED_AFTER = [
    "W251bGwsbnVsbF0",  # [null,null]
    "WyJ4IiwieSJd",  # ["x","y"]
    "W3siZHQiOiIyMDI0LTAyLTMwVDAwOjAwOjAwKzA4OjAwIn0sMV0",  # a 30 February
    "W3siZHQiOiIyMDI0LTAxLTAxVDAwOjAwOjAwKzA4OjAwIn0sImFiYyJd",  # a date and "abc" for the id
    "W3siZGVjIjoiTmFOIn0sMV0",  # {"dec": "NaN"}
    "WzFd",  # [1]: one value short
    "e30",  # {}
    "!!!not-base64!!!",
    "W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1td",  # nested lists
]
TEXT = [
    "x" * 100_000,
    "😀🔥👍🏽" * 20,
    "\u202eevil\u202c \u200f\u200e",
    "' OR 1=1 --",
    "<script>alert(1)</script>{{ 7|add:7 }}",
    "../../../../etc/passwd",
    "   ",
    "",
    "nope",
    "%s%n%x",
    "\t\r\n",
]
NUMBERS = ["-1", "0", THIRTY_DIGITS, "-" + THIRTY_DIGITS, "1e308", "1e309", "NaN", "inf", "-inf", "0x1F", "1,5", "1.5"]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2024-02-30",
    "10000-01-01",
    "2024-13-01",
    "1899-12-31",
    "9999-12-31T23:59",
    "2024-01-01T25:61",
    "-2024-01-01",
    "31/12/9999",
]
CONTROL = ["\x00", "a\x00b", "\x1b[0m", "\x07"]
# The usual GET parameters of the lists and lookups, each with the values that fit its meaning.
QUERY_POOLS = {
    "after": TAMPERED_AFTER,
    **dict.fromkeys(("date_from", "date_to", "created_from", "created_to", "month"), DATES),
    **dict.fromkeys(("customer", "appraisal", "sheet", "case", "unit", "page", "product_model"), NUMBERS),
    **dict.fromkeys(("status", "q", "serial", "category", "clock", "kind", "state", "export", "next"), TEXT),
    "overdue": ["on", "nope", THIRTY_DIGITS],
}


def png(width: int, height: int, *, rows: bytes | None = None) -> bytes:
    """A valid 1-bit grey PNG of any size in a few KB (zlib packs the blank rows)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush() if rows is None else rows
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@functools.cache
def _upload_bytes() -> list[tuple[str, bytes, str]]:
    big = png(12000, 12000)
    return [
        ("empty.png", b"", "image/png"),
        ("fake.png", b"not an image at all", "image/png"),
        ("truncated.png", big[:200], "image/png"),
        ("huge.png", big, "image/png"),
        ("bomb.png", png(30000, 30000, rows=b"x"), "image/png"),
        ("fake.pdf", b"%PDF-1.4 junk", "application/pdf"),
        ("a" * 300 + ".jpg", b"\xff\xd8\xff\xe0junk", "image/jpeg"),
    ]


def bad_uploads() -> list[SimpleUploadedFile]:
    """Files no form should choke on: empty, lying about their type, truncated, bombs, long names."""
    return [SimpleUploadedFile(name, data, content_type=kind) for name, data, kind in _upload_bytes()]


# --- the URLs -----------------------------------------------------------------------------------


@dataclass
class Route:
    name: str  # "fieldservice:job-detail"
    route: str  # "field/<int:pk>/"
    pattern: URLPattern

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_pdf(self) -> bool:
        return bool(re.search(r"pdf|print|-tag$|blank", self.name)) or self.route.endswith(".pdf")


def routes() -> list[Route]:
    """Every URL pattern of the site, from the resolver."""

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                yield Route(f"{namespace}{p.name}", prefix + str(p.pattern), p)

    return list(walk(get_resolver().url_patterns))


PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


class Bogus(str):
    """A path value that names nothing (a pk of no row, a forged token): a 404 or 410 is expected."""


def fill(route: Route, values: dict[str, list]) -> list[tuple[str, bool]]:
    """(path, bogus) for a route with each parameter taken in turn from `values` (the first for the
    others); bogus when one of the values is a Bogus."""
    names = [m["name"] for m in PARAM.finditer(route.route)]
    if not names:
        return [("/" + route.route, False)]
    paths: dict[str, bool] = {}
    for varied in names:
        for candidate in values[varied]:
            chosen = {n: (candidate if n == varied else values[n][0]) for n in names}
            path = PARAM.sub(lambda m, chosen=chosen: str(chosen[m["name"]]), route.route)
            paths["/" + path] = any(isinstance(v, Bogus) for v in chosen.values())
    return list(paths.items())


def tampered(token: str) -> list[Bogus]:
    return [Bogus(t) for t in (token[:-3] + "abc", token.replace(":", "."), "x", "A" * 400, str(uuid.uuid4()))]


# --- the forms of a page ---------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, select, checkbox, file, hidden, textarea ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.action, self.method, tuple(sorted(f.name for f in self.fields)))


class FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = urlsplit(a.get("action") or self.page_path).path or self.page_path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                # A radio group is one field: keep the first value as its option.
                if not any(f.name == a["name"] for f in self._form.fields):
                    self._form.fields.append(Field(a["name"], kind, "", [a.get("value", "on")]))
                return
            self._form.fields.append(Field(a["name"], kind, a.get("value", ""), [a.get("value", "on")]))
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a or not self._select.value:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str, page_path: str) -> list[Form]:
    parser = FormParser(page_path)
    parser.feed(html)
    return parser.forms


def pool(f: Field) -> list:
    """The bad values fitting a field's kind."""
    if f.kind == "number":
        return NUMBERS
    if f.kind in ("date", "month"):
        return DATES
    if f.kind == "datetime-local":
        return DATES + ["2024-01-01T00:00"]
    if f.kind in ("select", "radio"):
        return ["nope", "", "-1", THIRTY_DIGITS, *f.options[:3]]
    if f.kind == "checkbox":
        return ["on", "nope", ""]
    if f.kind == "hidden":
        # expected_state and tokens: mostly kept, sometimes wrong.
        return [f.value, f.value, f.value, "nope", THIRTY_DIGITS, "x" * 100_000]
    return TEXT + NUMBERS[:4] + DATES[:3]


# One value per field that most often reaches past the form into a service or the database.
WORST = {
    "number": [THIRTY_DIGITS, "-1", "1e309", "NaN", "0"],
    "date": ["9999-12-31", "0001-01-01", "2024-02-30"],
    "month": ["9999-12", "0000-00"],
    "datetime-local": ["9999-12-31T23:59", "0001-01-01T00:00"],
    "select": ["nope", THIRTY_DIGITS, "-1"],
    "radio": ["nope"],
    "checkbox": ["nope"],
    "hidden": [THIRTY_DIGITS, "nope", ""],
    "text": ["x" * 100_000, "😀🔥" * 50, "\u202eevil\u202c", THIRTY_DIGITS, "-1", "9999-12-31"],
}


def plausible(f: Field, *, signature: str, today: str) -> str:
    """A value a person would give: the baseline that lets a form reach its service."""
    if f.kind == "hidden":
        return signature if "signature" in f.name and not f.value else f.value
    if f.kind in ("select", "radio"):
        return next((o for o in f.options if o), f.value)
    return {
        "number": "1",
        "date": today,
        "month": today[:7],
        "datetime-local": today + "T09:00",
        "checkbox": f.options[0] if f.options else "on",
        "email": "a@example.com",
        "tel": "13800000000",
        "textarea": f.value or "测试内容",
    }.get(f.kind, f.value or "测试1")


def variants(form: Form, offset: int, *, signature: str, today: str, good_upload, thorough: bool = True) -> list[dict]:
    """POST bodies for a form: a plausible baseline with one field bad at a time (or, not thorough,
    every field at its worst at once); every field bad at once (Latin square over the pools);
    fields missing, duplicated; and bad files."""
    fields = [f for f in form.fields if f.kind != "file" and f.name != "csrfmiddlewaretoken"]
    files = [f for f in form.fields if f.kind == "file"]
    baseline = {f.name: plausible(f, signature=signature, today=today) for f in fields}
    bodies: list[dict] = [baseline | {f.name: good_upload() for f in files}]
    worst = {
        f.name: WORST.get(f.kind, WORST["text"])[(offset + j) % len(WORST.get(f.kind, WORST["text"]))]
        for j, f in enumerate(fields)
    }
    if thorough:
        bodies += [baseline | {name: value} for name, value in worst.items()]
    else:
        bodies.append(worst)
    for k in range(LATIN_ROWS if thorough else 1):
        bodies.append({f.name: pool(f)[(k * 3 + j + offset) % len(pool(f))] for j, f in enumerate(fields)})
    bodies.append({f.name: f.value for f in fields if f.kind == "hidden"})  # every visible field missing
    bodies.append({f.name: [baseline[f.name], "nope", THIRTY_DIGITS] for f in fields})  # each field thrice
    for upload in bad_uploads() if files else []:
        bodies.append(baseline | {f.name: upload for f in files})
    return bodies


LATIN_ROWS = 4


# --- the runner ---------------------------------------------------------------------------------


class Fuzzer:
    """Sends requests as several roles; each in a savepoint rolled back, so every request meets
    the same records (and a database error on PostgreSQL does not poison the next one)."""

    def __init__(self, clients: dict[str, Client]):
        self.clients = clients
        self.failures: list[str] = []
        self.count = 0
        self.phases: list[tuple[str, int, float]] = []
        self._started = time.monotonic()

    def phase(self, name: str) -> None:
        """Mark the end of a phase of the sweep (how many requests, how long: printed with -s)."""
        now = time.monotonic()
        done = sum(n for _name, n, _t in self.phases)
        self.phases.append((name, self.count - done, now - self._started))
        print(f"fuzz {name}: {self.count - done} requests in {now - self._started:.1f} s")
        self._started = now

    def send(self, role: str, method: str, path: str, data=None):
        self.count += 1
        cache.clear()  # rate limits would answer 429 before the view is reached
        client = self.clients[role]
        for upload in (data or {}).values():
            if hasattr(upload, "seek"):
                upload.seek(0)
        try:
            with transaction.atomic():
                response = client.get(path, data or {}) if method == "GET" else client.post(path, data or {})
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - every crash is recorded, the sweep goes on
            self.failures.append(f"{role} {method} {path} {_short(data)} → {type(exc).__name__}: {_short(exc)}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{role} {method} {path} {_short(data)} → {response.status_code}")
        return response

    def report(self) -> str:
        unique = list(dict.fromkeys(self.failures))
        return f"{len(unique)} of {self.count} requests failed:\n" + "\n".join(unique[:80])


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 160 else text[:150] + "…"
