"""Managers look at the dashboard and the reports on a tablet: charts drawn, nothing scrolls sideways."""

import pytest

from tests.browser.conftest import TABLET_LANDSCAPE, has_horizontal_scroll
from tests.reports.conftest import period, report_data  # noqa: F401 — fixtures

pytestmark = pytest.mark.browser

PAGES = ["", "satisfaction/", "commitments/", "technicians/", "shipments/", "warranty/", "complaints/"]


@pytest.mark.parametrize("username", ["as_manager", "leader"])
def test_dashboard_and_reports_at_tablet_size(tablet, login, live_server, report_data, username):  # noqa: F811
    page = tablet
    login(page, username)
    page.goto(f"{live_server.url}/")
    assert page.locator("svg.chart").count() >= 1
    assert not has_horizontal_scroll(page)
    for size in (None, TABLET_LANDSCAPE):
        if size:
            page.set_viewport_size(size)
        for path in PAGES:
            page.goto(f"{live_server.url}/reports/{path}")
            if path != "complaints/":
                assert page.locator("svg.chart").count() >= 1, path
                assert page.locator("svg.chart").first.bounding_box()["width"] > 200
            assert not has_horizontal_scroll(page), (path, size)


def test_leader_orders_the_monthly_summary(tablet, login, live_server, report_data):  # noqa: F811
    page = tablet
    login(page, "leader")
    page.goto(f"{live_server.url}/reports/summaries/")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#run-status >> text=下载PDF")
    assert not has_horizontal_scroll(page)
