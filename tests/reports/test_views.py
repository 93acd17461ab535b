"""Report pages, exports (same numbers as the page), permissions, the monthly summary run."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.reports.models import ReportRun

REPORT_SLUGS = ["satisfaction", "commitments", "technicians", "shipments", "warranty"]


def _query(period) -> str:
    return f"date_from={period.date_from:%Y-%m-%d}&date_to={period.date_to:%Y-%m-%d}"


@pytest.mark.parametrize("slug", REPORT_SLUGS)
def test_report_page_shows_chart_and_tables(client_for, report_data, period, slug):
    response = client_for("as_manager").get(reverse("reports:report-show", args=[slug]) + "?" + _query(period))
    assert response.status_code == 200
    assert b"<svg" in response.content and b"<table" in response.content


def test_wrong_role_gets_403(client_for):
    for url in (
        reverse("reports:report-dashboard"),
        reverse("reports:report-show", args=["satisfaction"]),
        reverse("reports:report-complaints"),
        reverse("reports:report-summary-list"),
    ):
        assert client_for("tech1").get(url).status_code == 403


def test_unknown_report_is_404(client_for):
    assert client_for("leader").get(reverse("reports:report-show", args=["nope"])).status_code == 404


def test_xlsx_export_holds_the_same_numbers(client_for, report_data, period):
    url = reverse("reports:report-show", args=["satisfaction"]) + "?" + _query(period) + "&export=xlsx"
    response = client_for("as_manager").get(url)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    summary = book.worksheets[0]
    assert [c.value for c in summary[3]] == [3, 2, 66.7]
    by_tech = next(ws for ws in book.worksheets if ws.title.startswith("6 "))
    rows = {r[0]: r[1:] for r in by_tech.iter_rows(min_row=3, values_only=True)}
    assert rows["tech1"] == (2, 1, 50.0)


def test_csv_export_of_warranty(client_for, report_data, period):
    url = reverse("reports:report-show", args=["warranty"]) + "?" + _query(period) + "&export=csv"
    text = client_for("qc").get(url).content.decode("utf-8-sig")
    assert "质检部X,2,1200" in text
    assert "温控器供应商,2" in text


def test_complaint_ledger_page_and_export(client_for, report_data, period):
    client = client_for("leader")
    url = reverse("reports:report-complaints") + "?" + _query(period)
    page = client.get(url)
    assert report_data["complaint"].number in page.content.decode()
    book = load_workbook(BytesIO(client.get(url + "&export=xlsx").content))
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][0] == report_data["complaint"].number and rows[0][5] == "已道歉并改进派工"


def test_dashboard_and_todo_show_key_figures(client_for, report_data):
    client = client_for("as_manager")
    page = client.get(reverse("reports:report-dashboard"))
    assert page.status_code == 200 and b"<svg" in page.content
    todo = client.get(reverse("aftersales:todo")).content.decode()
    assert "<svg" in todo and reverse("reports:report-dashboard") in todo
    assert "<svg" not in client_for("clerk").get(reverse("aftersales:todo")).content.decode()


def test_summary_generated_on_demand_and_listed(client_for, report_data, django_capture_on_commit_callbacks):
    client = client_for("as_manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-summary-list"), {"month": "2026-11"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == ReportRun.Status.DONE and run.progress == 100
    assert run.document.kind == "monthly_summary"
    detail = client.get(run.get_absolute_url()).content.decode()
    assert reverse("aftersales:archive-download", args=[run.document.pk]) in detail
    assert 'http-equiv="refresh"' not in detail
    assert "2026-11" in client.get(reverse("reports:report-summary-list")).content.decode()


def test_pending_summary_page_refreshes(client_for, users):
    run = ReportRun.objects.create(month="2026-10-01", created_by=users["gm"])
    page = client_for("gm").get(run.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page


def test_ordering_a_summary_needs_the_permission(client_for):
    response = client_for("techdept").post(reverse("reports:report-summary-list"), {"month": "2026-11"})
    assert response.status_code == 403
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("slug", REPORT_SLUGS)
def test_report_queries_are_bounded(client_for, report_data, period, slug, django_assert_max_num_queries):
    client = client_for("gm")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reports:report-show", args=[slug]) + "?" + _query(period)).status_code == 200


def test_the_complaint_ledger_shows_office_time_on_the_page_and_in_the_export(client_for, report_data):
    """A call at 22:25 in Shanghai is 14:25 UTC: the ledger says 22:25, the page and the xlsx."""
    from datetime import UTC, datetime

    from aftersales.servicedesk.models import ServiceCase

    complaint = report_data["complaint"]
    called = datetime(2026, 11, 20, 14, 25, tzinfo=UTC)
    ServiceCase.objects.filter(pk=complaint.pk).update(created_at=called)
    client = client_for("leader")
    url = reverse("reports:report-complaints") + "?date_from=2026-11-20&date_to=2026-11-20"
    page = client.get(url).content.decode()
    assert "2026-11-20 22:25" in page and "14:25" not in page
    book = load_workbook(BytesIO(client.get(url + "&export=xlsx").content))
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert [r for r in rows if r[0] == complaint.number][0][1] == "2026-11-20 22:25"
