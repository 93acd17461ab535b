"""Bad input is answered, not crashed on: tampered page links, NUL bytes and other control
characters, overlong addresses, dates far outside the business's years."""

import pytest
from django.urls import reverse

from aftersales.forms import MAX_DATE, MIN_DATE
from aftersales.models import Customer
from aftersales.pagination import _encode, keyset_page
from tests.aftersales.factories import CustomerFactory
from tests.conftest import make_user
from tests.servicedesk.factories import case_in

pytestmark = pytest.mark.django_db

# Every keyset-paged list of the site.
LISTS = [
    "shipping:shipment-list",
    "shipping:payment-list",
    "fieldservice:job-list",
    "warranty:quarantine",
    *(
        f"warranty:{entity}-list"
        for entity in ("sheet", "part", "appraisal", "supplierclaim", "customerclaim", "incident", "action")
    ),
    *(f"repairs:{kind}-list" for kind in ("repair", "replacement", "return")),
    "servicedesk:case-list",
    "reports:report-complaints",
    "reports:report-summary-list",
]
TAMPERED = [
    "W251bGwsbnVsbF0",  # [null,null], the one from the issue
    "WyJ4IiwieSJd",  # ["x","y"]
    "W3siZHQiOiIyMDI0LTAyLTMwVDAwOjAwOjAwKzA4OjAwIn0sMV0",  # 30 February
    "W3siZHQiOiIyMDI0LTAxLTAxVDAwOjAwOjAwKzA4OjAwIn0sImFiYyJd",  # an id "abc"
    "W3siZGVjIjoiTmFOIn0sMV0",  # {"dec": "NaN"}
    "WzFd",  # one value short
    "!!!not-base64!!!",
    _encode(["2024-01-01", 1]),  # a date as plain text
    _encode([{"dt": "9999-12-31T23:59:59-14:00"}, 1]),  # past datetime.max in UTC
    _encode([{"dt": "2024-01-01T00:00:00"}, 1]),  # no time zone
    _encode([{"dt": "2024-01-01T00:00:00+08:00"}, 10**30]),  # an id past 64 bits
]
BAD_LINK = "页面链接无效，已显示第一页。"


@pytest.fixture
def boss():
    return make_user("boss", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("name", LISTS)
def test_a_tampered_page_link_gives_the_first_page_with_a_notice(client, boss, name):
    client.force_login(boss)
    url = reverse(name)
    for token in TAMPERED:
        response = client.get(url, {"after": token})
        assert response.status_code == 200, token
        page = response.context["page"]
        assert page.bad_cursor and page.is_first, token
        assert response.content.decode().count(BAD_LINK) == 1, token
    plain = client.get(url)
    assert BAD_LINK not in plain.content.decode()


def test_the_next_page_link_still_works():
    for n in range(3):
        CustomerFactory(code=f"K{n}")
    first = keyset_page(Customer.objects.all(), size=2)
    second = keyset_page(Customer.objects.all(), cursor=first.next_cursor, size=2)
    assert not second.bad_cursor and not second.is_first
    assert {c.pk for c in first.items}.isdisjoint(c.pk for c in second.items)
    assert len(first.items) + len(second.items) == 3


@pytest.mark.parametrize(
    "path",
    [
        "/field/?status=%00",
        "/cases/new/?serial=%00",
        "/warranty-lookup/?serial=%00",
        "/cases/?q=a%00b",
        "/shipping/?customer=%1B%5B31m",  # an escape sequence
        "/cases/?%00=x",  # in a name
        "/s/abc%00def/",  # in the path
    ],
)
def test_a_control_character_in_a_query_is_refused_in_chinese(client_for, path):
    response = client_for("clerk").get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求未被接受" in page and "控制字符" in page


def _refused_for_control_characters(response) -> bool:
    return response.status_code == 400 and "控制字符" in response.content.decode()


def test_a_nul_byte_in_a_posted_name_or_value_is_refused(client_for, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_in("recorded", users)
    url = reverse("servicedesk:case-step", args=[case.pk, "note"])
    clerk = client_for("clerk")
    note = {"note-kind": "note", "note-text": "电话回访"}
    assert _refused_for_control_characters(clerk.post(url, note | {"note-text": "电话\x00回访"}))
    assert _refused_for_control_characters(clerk.post(url, note | {"note-spoke_with\x00": "x"}))
    upload = SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")
    assert _refused_for_control_characters(clerk.post(reverse("servicedesk:case-create"), {"photos\x00": upload}))
    assert case.notes.count() == 0
    # Tab, line feed and carriage return are text, not control: a note with them is taken.
    assert clerk.post(url, note | {"note-text": "第一行\r\n第二行\t完"}).status_code == 302
    assert case.notes.get().text == "第一行\r\n第二行\t完"


def test_anonymous_and_the_login_page_are_guarded_too(client):
    assert _refused_for_control_characters(client.get("/login/", {"next": "/\x00"}))
    assert _refused_for_control_characters(client.post("/login/", {"username": "clerk\x00", "password": "x"}))


def test_a_session_cookie_with_a_nul_is_no_session(client_for):
    """A quoted cookie value may hold octal escapes: "\\000" is read as a NUL (PostgreSQL: a 500)."""
    clerk = client_for("clerk")
    assert clerk.get("/cases/").status_code == 200
    response = clerk.get("/cases/", HTTP_COOKIE='sessionid="\\000abcdefghijk"')
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_user_agent_with_a_nul_is_refused(client):
    response = client.post("/login/", {"username": "clerk", "password": "x"}, HTTP_USER_AGENT="evil\x00agent")
    assert _refused_for_control_characters(response)


def test_an_address_longer_than_the_server_takes_is_refused(client_for):
    response = client_for("clerk").get("/cases/", {"q": "x" * 5000})
    assert response.status_code == 400 and "网址过长" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("servicedesk:case-list", {"date_to": "9999-12-31"}),
        ("servicedesk:case-list", {"date_from": "0001-01-01", "date_to": "9999-12-31"}),
        ("shipping:shipment-list", {"created_to": "9999-12-31", "created_from": "0001-01-01"}),
        ("reports:report-complaints", {"date_to": "9999-12-31"}),
        ("reports:report-complaints", {"date_from": "0001-01-01"}),
    ],
)
def test_a_filter_date_far_outside_the_business_years_is_taken_as_the_range_end(client, boss, name, query):
    client.force_login(boss)
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    form = response.context["form"] if "form" in response.context else response.context["filters"]
    assert form.is_valid()
    for key, typed in query.items():
        assert form.cleaned_data[key] == (MAX_DATE if typed.startswith("9999") else MIN_DATE)


def test_the_other_filters_still_apply_beside_a_clamped_date(client_for, users):
    recorded, handed_over = case_in("recorded", users), case_in("techdept", users)
    response = client_for("clerk").get(
        reverse("servicedesk:case-list"), {"status": "recorded", "date_to": "9999-12-31"}
    )
    assert [case.pk for case in response.context["page"].items] == [recorded.pk]
    assert handed_over.pk not in [case.pk for case in response.context["page"].items]


def test_a_report_export_takes_a_date_far_outside_the_business_years(client, boss):
    client.force_login(boss)
    url = reverse("reports:report-complaints")
    response = client.get(url, {"date_from": "0001-01-01", "date_to": "9999-12-31", "export": "xlsx"})
    assert response.status_code == 200


@pytest.mark.parametrize("slug", ["satisfaction", "commitments", "technicians", "shipments", "warranty"])
def test_every_report_takes_a_date_far_outside_the_business_years(client, boss, slug):
    client.force_login(boss)
    url = reverse("reports:report-show", args=[slug])
    assert client.get(url, {"date_to": "9999-12-31"}).status_code == 200
    assert client.get(url, {"date_from": "0001-01-01", "export": "csv"}).status_code == 200


def test_a_monthly_summary_far_outside_the_business_years_is_refused(client, boss):
    from aftersales.reports.models import ReportRun

    client.force_login(boss)
    response = client.post(reverse("reports:report-summary-list"), {"month": "9999-12"})
    assert response.status_code == 200 and response.context["form"].errors["month"]
    assert not ReportRun.objects.exists()


def test_a_number_past_what_python_holds_in_the_admin_is_a_400(client, boss):
    """The admin's date drill-down turns the year into a date (Django's own code): an OverflowError."""
    client.force_login(boss)
    response = client.get(reverse("admin:aftersales_unit_changelist"), {"ship_date__year": "9" * 30})
    assert response.status_code == 400
    assert "请求中的数字或日期超出范围。" in response.content.decode()


def test_the_input_check_comes_right_after_the_session(settings):
    """Before anything reads the request or loads the session (the tablet lock reads it)."""
    order = settings.MIDDLEWARE
    session = order.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert order[session + 1] == "aftersales.middleware.InputCheckMiddleware"
