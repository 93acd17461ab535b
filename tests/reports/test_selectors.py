"""Each report's figures against the hand-counted fixture (conftest.report_data)."""

from dataclasses import replace
from decimal import Decimal

from django.utils import timezone

from aftersales.reports import selectors


def test_satisfaction_counts_current_signed_forms_only(report_data, period):
    data = selectors.satisfaction(period)
    assert (data["forms"], data["good"], data["good_pct"]) == (3, 2, 66.7)
    assert data["result"] == {"very_good": 1, "fair": 1, "good": 1}
    assert data["efficiency"] == {"high": 1, "fair": 1, "low": 1}
    assert data["attitude"] == {"good": 2, "poor": 1}
    assert data["training"] == {"yes": 2, "no": 1}
    by_tech = {r["technician"]: (r["forms"], r["good"], r["good_pct"]) for r in data["by_technician"]}
    assert by_tech == {"tech1": (2, 1, 50.0), "tech2": (1, 1, 100.0)}
    by_region = {r["region"]: (r["forms"], r["good"]) for r in data["by_region"]}
    assert by_region == {"湖南省": (2, 1), "广东省": (1, 1)}
    assert [c["acceptance_comments"] for c in data["comments"]] == ["到达太慢", "服务很好"] or sorted(
        c["acceptance_comments"] for c in data["comments"]
    ) == ["到达太慢", "服务很好"]


def test_satisfaction_filters(report_data, period):
    assert selectors.satisfaction(replace(period, province="广东省"))["forms"] == 1
    assert selectors.satisfaction(replace(period, technician_id=report_data["tech1"].pk))["forms"] == 2
    assert selectors.satisfaction(replace(period, customer_id=report_data["hunan"].pk))["good"] == 1


def test_commitments_met_missed_and_median(report_data, period):
    data = selectors.commitments(period)
    kinds = {r["kind"]: r for r in data["by_kind"]}
    response = kinds["response"]
    assert (response["met"], response["missed"], response["breached_open"]) == (2, 1, 0)
    assert response["met_pct"] == 66.7
    assert response["median_s"] == 20 * 60
    arrival = kinds["arrival"]
    assert (arrival["met"], arrival["breached_open"], arrival["met_pct"], arrival["median_h"]) == (0, 1, 0.0, None)
    assert sum(r["met"] for r in data["by_month"]) == 2


def test_technician_assessment(report_data, period):
    rows = {r["technician"]: r for r in selectors.technician_assessment(period)}
    t1 = rows["tech1"]
    assert (t1["jobs"], t1["days"], t1["fees"], t1["approved"], t1["open_issues"]) == (2, 5, Decimal("1500.50"), 1, 1)
    assert (t1["rated"], t1["good_pct"], t1["trips"], t1["reports"], t1["trips_without_report"]) == (2, 50.0, 2, 2, 1)
    t2 = rows["tech2"]
    assert (t2["jobs"], t2["days"], t2["fees"], t2["open_issues"], t2["trips"]) == (1, 4, Decimal("800.00"), 0, 0)


def test_shipments_lead_time_and_overdue(report_data, period):
    data = selectors.shipments(period)
    assert (data["received"], data["late"], data["lead_days"], data["overdue_count"]) == (2, 1, 7.0, 1)


def test_warranty_and_quality(report_data, period):
    data = selectors.warranty(period)
    assert data["returns"] == 3
    assert {r["origin"]: r["n"] for r in data["by_origin"]} == {"bought_in": 2, "self_made": 1}
    assert {r["outcome"]: r["n"] for r in data["by_outcome"]} == {"replace": 2, "repair": 1}
    assert data["by_supplier"] == [{"supplier__name": "温控器供应商", "n": 2}]
    assert data["supplier_claims"] == {"claims": 2, "met": 1, "missed": 1}
    cc = data["customer_claims"]
    assert (cc["claims"], cc["claimed"], cc["paid"]) == (1, Decimal("1000"), Decimal("800"))
    costs = {r["responsible_department__name"]: (r["incidents"], r["total"]) for r in data["incidents"]}
    assert costs == {"质检部X": (2, Decimal("1200")), "生产部X": (1, Decimal("300"))}
    assert data["open_actions"] == {"open": 1, "overdue": 1}
    only_qc = selectors.warranty(replace(period, department_id=report_data["qc"].pk))
    assert only_qc["incident_cost"] == Decimal("1200")


def test_complaint_ledger(report_data, period):
    page = selectors.complaint_page(period)
    assert [c.number for c in page.items] == [report_data["complaint"].number]
    case = page.items[0]
    assert case.satisfaction == "good" and case.answered_at is not None


def test_key_figures(report_data, period):
    figures = selectors.key_figures(period)
    assert figures["opened"] == 3
    assert figures["satisfaction_pct"] == 66.7
    assert figures["shipments_received"] == 2
    assert figures["overdue"] == 1
    # 2 met of 4 clocks decided (3 stopped + 1 overdue)
    assert figures["sla_met_pct"] == 50.0
    assert figures["warranty_cost"] == Decimal("2300")


def test_median_fallback_with_an_even_count(report_data, period):
    from aftersales.servicedesk.models import SlaClock

    qs = selectors.sla_clocks(period).filter(kind="response")
    assert selectors._median_fallback(qs) == 20 * 60
    SlaClock.objects.filter(pk=qs.order_by("-stopped_at").values("pk")[:1]).delete()  # drop the 60 min one
    assert selectors._median_fallback(selectors.sla_clocks(period).filter(kind="response")) == 15 * 60


def test_shipments_report_lists_late_delivery_penalties(users, client_for):
    from datetime import timedelta

    from aftersales.reports import tables
    from shipping.models import Shipment
    from tests.shipping.factories import make_shipment

    today = timezone.localdate()
    late = make_shipment(users, Shipment.Status.IN_TRANSIT)
    on_time = make_shipment(users, Shipment.Status.IN_TRANSIT)
    Shipment.objects.filter(pk=late.pk).update(
        contract_delivery_date=today - timedelta(days=4), delivery_price=Decimal("100000")
    )
    Shipment.objects.filter(pk=on_time.pk).update(
        contract_delivery_date=today + timedelta(days=4), delivery_price=Decimal("100000")
    )
    period = selectors.ReportFilter(date_from=today - timedelta(days=30), date_to=today + timedelta(days=30))
    data = selectors.shipments(period)
    assert [row["shipment"].pk for row in data["late_deliveries"]] == [late.pk]
    assert data["late_penalty_total"] == Decimal("2000.00")  # 100000 × 0.5% × 4
    penalties = next(t for t in tables.shipments(data)[0] if "penalt" in str(t.title) or "违约金" in str(t.title))
    assert (
        penalties.rows[0][0] == late.number
        and penalties.rows[0][4] == 4
        and penalties.rows[-1][-1] == Decimal("2000.00")
    )
    page = client_for("clerk").get(Shipment.objects.get(pk=late.pk).get_absolute_url()).content.decode()
    assert "迟交 4 天" in page and "¥2000.00" in page
