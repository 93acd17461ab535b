"""The tables of each report: the page shows them and the exports write the very same rows."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from aftersales.localtime import local_format
from aftersales.reports import charts, selectors
from aftersales.servicedesk.models import ClockKind, ServiceCase
from fieldservice.models import FeedbackFormA
from warranty.models import CorrectiveAction, Origin, Outcome, QualitySanction


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _month(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _label(choices, code) -> str:
    return str(dict(choices).get(code, code or "—"))


def _distribution_table(title: str, choices, counts: dict[str, int]) -> Table:
    rows = [[str(label), counts.get(code, 0)] for code, label in choices]
    return Table(title, [_("answer"), _("forms")], rows)


# --- one builder per report: (tables, charts) from the selector's data ---------------------


def satisfaction(data) -> tuple[list[Table], list]:
    A = FeedbackFormA
    tables = [
        Table(
            _("Summary"),
            [_("signed forms A"), _("very good or good"), _("share (%)")],
            [[data["forms"], data["good"], data["good_pct"]]],
        ),
        _distribution_table(_("Result of the work"), A.Result.choices, data["result"]),
        _distribution_table(_("Efficiency"), A.Efficiency.choices, data["efficiency"]),
        _distribution_table(_("Attitude"), A.Attitude.choices, data["attitude"]),
        _distribution_table(_("Training given"), A.Training.choices, data["training"]),
        Table(
            _("By technician"),
            [_("technician"), _("forms"), _("very good or good"), _("share (%)")],
            [[r["technician"], r["forms"], r["good"], r["good_pct"]] for r in data["by_technician"]],
        ),
        Table(
            _("By region"),
            [_("region"), _("forms"), _("very good or good"), _("share (%)")],
            [[r["region"], r["forms"], r["good"], r["good_pct"]] for r in data["by_region"]],
        ),
        Table(
            _("By month"),
            [_("month"), _("forms"), _("very good or good"), _("share (%)")],
            [[_month(r["month"]), r["forms"], r["good"], r["good_pct"]] for r in data["by_month"]],
        ),
        Table(
            _("Customer comments"),
            [_("service job"), _("customer"), _("signed"), _("result"), _("comments")],
            [
                [
                    r["job__number"],
                    r["job__customer__name"],
                    local_format(r["signed_at"], "Y-m-d"),
                    _label(A.Result.choices, r["result"]),
                    r["acceptance_comments"],
                ]
                for r in data["comments"]
            ],
        ),
    ]
    figures = [
        charts.bar_chart(
            _("Result of the work"), [(str(lbl), data["result"].get(c, 0)) for c, lbl in A.Result.choices]
        ),
        charts.line_chart(
            _("Share very good or good by month (%)"),
            [_month(r["month"]) for r in data["by_month"]],
            {_("share (%)"): [r["good_pct"] for r in data["by_month"]]},
        ),
    ]
    return tables, figures


def commitments(data) -> tuple[list[Table], list]:
    headers = [_("met"), _("missed"), _("breached, still open"), _("running"), _("met (%)"), _("median (hours)")]

    def cells(r):
        return [r["met"], r["missed"], r["breached_open"], r["running"], r["met_pct"], r["median_h"]]

    tables = [
        Table(
            _("By commitment"),
            [_("commitment"), *headers],
            [[_label(ClockKind.choices, r["kind"]), *cells(r)] for r in data["by_kind"]],
        ),
        Table(
            _("By month"),
            [_("month"), _("commitment"), *headers],
            [[_month(r["month"]), _label(ClockKind.choices, r["kind"]), *cells(r)] for r in data["by_month"]],
        ),
        Table(
            _("Technical documents sent to the customers"),
            [_("product model"), _("document title"), _("version"), _("published at"), _("sent"), _("not sent yet")],
            [
                [
                    r["document__product_model__code"],
                    r["document__title"],
                    r["version"],
                    local_format(r["published_at"]),
                    r["sent"] or 0,
                    r["unsent"] or 0,
                ]
                for r in data["documents"]
            ],
        ),
    ]
    months = sorted({_month(r["month"]) for r in data["by_month"]})
    series = {}
    for code, label in ClockKind.choices:
        by = {_month(r["month"]): r["met_pct"] for r in data["by_month"] if r["kind"] == code}
        series[str(label)] = [by.get(m) for m in months]
    figures = [charts.line_chart(_("Commitments met by month (%)"), months, series)]
    return tables, figures


def technicians(data) -> tuple[list[Table], list]:
    tables = [
        Table(
            _("Technician assessment (form B)"),
            [
                _("technician"),
                _("jobs"),
                _("forms B"),
                _("approved"),
                _("days on site"),
                _("service fees (yuan)"),
                _("rated by customers"),
                _("very good or good (%)"),
                _("open issues"),
                _("trips"),
                _("progress reports"),
                _("trips without a report"),
                _("training sessions"),
                _("training hours"),
            ],
            [
                [
                    r["technician"],
                    r["jobs"],
                    r["forms_b"],
                    r["approved"],
                    r["days"],
                    r["fees"],
                    r["rated"],
                    r["good_pct"],
                    r["open_issues"],
                    r["trips"],
                    r["reports"],
                    r["trips_without_report"],
                    r["trainings"],
                    r["training_hours"],
                ]
                for r in data
            ],
        )
    ]
    figures = [charts.bar_chart(_("Days on site by technician"), [(r["technician"], r["days"]) for r in data])]
    return tables, figures


def shipments(data) -> tuple[list[Table], list]:
    tables = [
        Table(
            _("Summary"),
            [
                _("received"),
                _("arrived late"),
                _("average lead time payment → arrival (days)"),
                _("overdue in transit"),
            ],
            [[data["received"], data["late"], data["lead_days"], data["overdue_count"]]],
        ),
        Table(
            _("By month of receipt"),
            [_("month"), _("received"), _("arrived late"), _("average lead time (days)")],
            [[_month(r["month"]), r["received"], r["late"], r["lead_days"]] for r in data["by_month"]],
        ),
        Table(
            _("Late delivery penalties (half a percent of the delivery price per day)"),
            [
                _("shipment"),
                _("customer"),
                _("contract delivery date"),
                _("arrived on"),
                _("days late"),
                _("delivery price"),
                _("penalty"),
            ],
            [
                [
                    r["shipment"].number,
                    r["shipment"].customer.name,
                    r["shipment"].contract_delivery_date,
                    r["shipment"].arrived_on or _("not yet"),
                    r["late"].days,
                    r["shipment"].delivery_price,
                    r["late"].penalty,
                ]
                for r in data["late_deliveries"]
            ]
            + ([["", "", "", "", "", _("total"), data["late_penalty_total"]]] if data["late_deliveries"] else []),
        ),
        Table(
            _("Overdue arrivals"),
            [_("shipment"), _("customer"), _("carrier"), _("waybill"), _("expected arrival")],
            [
                [r["number"], r["customer__name"], r["carrier"], r["waybill_number"], r["expected_arrival"]]
                for r in data["overdue"]
            ],
        ),
    ]
    figures = [
        charts.bar_chart(
            _("Average lead time by month (days)"), [(_month(r["month"]), r["lead_days"]) for r in data["by_month"]]
        )
    ]
    return tables, figures


def warranty(data) -> tuple[list[Table], list]:
    sc, cc, ca = data["supplier_claims"], data["customer_claims"], data["open_actions"]
    tables = [
        Table(
            _("Returns by outcome"),
            [_("outcome"), _("returns")],
            [[_label(Outcome.choices, r["outcome"]), r["n"]] for r in data["by_outcome"]],
        ),
        Table(
            _("Self-made or bought-in"),
            [_("origin"), _("returns")],
            [[_label(Origin.choices, r["origin"]), r["n"]] for r in data["by_origin"]],
        ),
        Table(
            _("Bought-in returns by supplier"),
            [_("supplier"), _("returns")],
            [[r["supplier__name"] or "—", r["n"]] for r in data["by_supplier"]],
        ),
        Table(
            _("Returns by part"),
            [_("part"), _("returns")],
            [[r["part__part_name"], r["n"]] for r in data["by_component"]],
        ),
        Table(
            _("Supplier replacements (within one month)"),
            [_("claims"), _("deadline met"), _("deadline missed")],
            [[sc["claims"], sc["met"], sc["missed"]]],
        ),
        Table(
            _("Customer claims"),
            [_("claims"), _("claimed"), _("agreed"), _("paid")],
            [[cc["claims"], cc["claimed"] or 0, cc["agreed"] or 0, cc["paid"] or 0]],
        ),
        Table(
            _("Quality incident costs by responsible department"),
            [_("department"), _("incidents"), _("total cost"), _("team"), _("supplier"), _("company")],
            [
                [
                    r["responsible_department__name"] or "—",
                    r["incidents"],
                    r["total"] or 0,
                    r["team"] or 0,
                    r["supplier"] or 0,
                    r["company"] or 0,
                ]
                for r in data["incidents"]
            ],
        ),
        Table(
            _("Quality rewards and penalties (approved)"),
            [
                _("quality incident"),
                _("reward or penalty"),
                _("department"),
                _("person"),
                _("amount (yuan)"),
                _("reason"),
            ],
            [
                [
                    r["incident__number"],
                    _label(QualitySanction.Kind.choices, r["kind"]),
                    r["department__name"] or "",
                    r["person"],
                    r["amount"],
                    r["reason"],
                ]
                for r in data["sanctions"]
            ],
        ),
        Table(
            _("Open corrective actions"),
            [_("CAPA"), _("owner"), _("due"), _("status"), _("problem")],
            [
                [
                    r["number"],
                    r["owner_department__name"],
                    r["due_date"],
                    _label(CorrectiveAction.Status.choices, r["status"]),
                    r["problem"],
                ]
                for r in data["open_action_rows"]
            ],
        ),
        Table(_("Corrective actions"), [_("open"), _("overdue")], [[ca["open"], ca["overdue"]]]),
        Table(
            _("Three-repairs overrides (another repair instead of a new unit)"),
            [_("overrides")],
            [[data["repeat_overrides"]]],
        ),
        Table(
            _("Three-repairs overrides by case"),
            [
                _("service case"),
                _("unit"),
                _("component"),
                _("defect"),
                _("repairs counted"),
                _("reason"),
                _("allowed by"),
                _("at"),
            ],
            [
                [
                    r["case__number"],
                    r["case__unit__serial_number"] or "—",
                    r["component__name"] or "—",
                    r["defect_code__code"],
                    r["repairs"],
                    r["reason"],
                    selectors.person_label(r, "created_by"),
                    local_format(r["created_at"]),
                ]
                for r in data["repeat_override_rows"]
            ],
        ),
    ]
    figures = [
        charts.bar_chart(
            _("Incident cost by responsible department"),
            [(r["responsible_department__name"] or "—", r["total"]) for r in data["incidents"]],
        ),
        charts.bar_chart(
            _("Returns by origin"), [(_label(Origin.choices, r["origin"]), r["n"]) for r in data["by_origin"]]
        ),
    ]
    return tables, figures


def complaint_rows(cases) -> Table:
    return Table(
        _("Complaint ledger"),
        [
            _("service case"),
            _("recorded"),
            _("customer"),
            _("complaint"),
            _("answered"),
            _("handling"),
            _("status"),
            _("revisit satisfaction"),
        ],
        [
            [
                c.number,
                local_format(c.created_at),
                c.customer.name,
                c.fault_description,
                local_format(c.answered_at),
                c.resolution,
                c.get_status_display(),
                _label(ServiceCase.Satisfaction.choices, c.satisfaction) if c.satisfaction else "",
            ]
            for c in cases
        ],
    )


REPORTS = {
    "satisfaction": (selectors.satisfaction, satisfaction),
    "commitments": (selectors.commitments, commitments),
    "technicians": (selectors.technician_assessment, technicians),
    "shipments": (selectors.shipments, shipments),
    "warranty": (selectors.warranty, warranty),
}


def build(slug: str, report_filter) -> tuple[list[Table], list]:
    selector, builder = REPORTS[slug]
    return builder(selector(report_filter))
