"""The monthly after-sales summary for product, marketing, QC and leadership (产品售后服务流程 3.5)."""

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone, translation

from aftersales.pdf import render_pdf
from aftersales.reports import selectors, tables

FORM_CODE = "SH/ZJ-01"


def render_monthly_summary_pdf(month: date, progress: Callable[[int], None] = lambda p: None) -> bytes:
    """Key figures of the month against the month before, then each report's tables."""
    f = selectors.month_range(month)
    previous = selectors.month_range(f.date_from - timedelta(days=1))
    # Printed forms are always in Chinese.
    with translation.override("zh-hans"):
        figures = key_figure_rows(selectors.key_figures(f), selectors.key_figures(previous))
        progress(20)
        sections = []
        for i, slug in enumerate(tables.REPORTS, start=1):
            report_tables, charts = tables.build(slug, f)
            sections.append({"slug": slug, "tables": report_tables, "charts": charts[:1]})
            progress(20 + 60 * i // len(tables.REPORTS))
        complaints = tables.complaint_rows(selectors.complaint_page(f, size=200).items)
        pdf = render_pdf(
            "reports/print/monthly_summary.html",
            {
                "form_title": f"售后服务月度汇总 {f.date_from:%Y年%m月}",
                "form_code": FORM_CODE,
                "printed_at": timezone.now(),
                "month": f.date_from,
                "figures": figures,
                "sections": sections,
                "complaints": complaints,
            },
        )
    progress(95)
    return pdf


def key_figure_rows(this: dict, last: dict) -> list[tuple[str, object, object]]:
    from aftersales.reports.todo import FIGURES

    return [(str(label), this[key], last[key]) for key, label in FIGURES]
