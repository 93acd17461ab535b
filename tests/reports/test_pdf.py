"""The monthly summary PDF: Chinese text extractable, CJK font embedded; the task and the command."""

from io import BytesIO

from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from aftersales.reports.models import ReportRun
from aftersales.reports.pdf import render_monthly_summary_pdf


def _text(pdf: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_summary_pdf_text_and_font(report_data):
    seen = []
    pdf = render_monthly_summary_pdf(timezone.localdate(), progress=seen.append)
    text = _text(pdf)
    assert "售后服务月度汇总" in text
    assert "主要指标" in text and "本月" in text
    assert "质检部X" in text and "温控器供应商" in text
    assert report_data["complaint"].number in text
    assert any("CJK" in f for f in _fonts(pdf))
    assert seen == sorted(seen) and seen[-1] == 95


def test_command_queues_and_generates_last_month(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("monthly_summary", "--month", "2026-10")
    run = ReportRun.objects.get()
    assert run.month.isoformat() == "2026-10-01"
    assert run.status == ReportRun.Status.DONE and run.document is not None


def test_failure_is_recorded_on_the_run(users, monkeypatch):
    from aftersales.reports import pdf as report_pdf
    from aftersales.reports.services import report_run_generate

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(report_pdf, "render_monthly_summary_pdf", broken)
    run = ReportRun.objects.create(month="2026-10-01")
    run = report_run_generate(run_id=run.pk)
    assert run.status == ReportRun.Status.FAILED and "boom" in run.error
