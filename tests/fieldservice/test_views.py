from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aftersales.models import ArchivedDocument, SigningLink
from fieldservice import services
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob
from tests.fieldservice import factories as f
from tests.fieldservice.factories import step_url

pytestmark = pytest.mark.django_db


def test_list_and_detail_roles(users, client_for):
    job = f.dispatched_job(users)
    for who in ("clerk", "gm", "sales", "deptmgr", "tech1"):
        assert client_for(who).get(reverse("fieldservice:job-list")).status_code == 200
        assert client_for(who).get(job.get_absolute_url()).status_code == 200
    assert client_for("tech2").get(job.get_absolute_url()).status_code == 403
    assert client_for("warehouse").get(reverse("fieldservice:job-list")).status_code == 403
    assert job.number not in client_for("tech2").get(reverse("fieldservice:job-list")).content.decode()


def test_list_query_count_is_constant(users, client_for, django_assert_max_num_queries):
    for _ in range(5):
        f.new_job(users)
    client = client_for("clerk")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("fieldservice:job-list"))
    assert response.status_code == 200


def test_create_job_once_per_token(users, client_for):
    unit = f.new_job(users).units.first()
    client = client_for("clerk")
    data = {
        "kind": "repair",
        "customer": unit.customer_id,
        "serials": unit.serial_number,
        "form_token": "8c3b1e7a-1f0b-4a43-9d8e-2f1f4f1d0a11",
    }
    first = client.post(reverse("fieldservice:job-create"), data)
    second = client.post(reverse("fieldservice:job-create"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert ServiceJob.objects.filter(kind="repair").count() == 1
    assert client_for("tech1").post(reverse("fieldservice:job-create"), data).status_code == 403
    bad = client.post(reverse("fieldservice:job-create"), {**data, "serials": "NOPE", "form_token": ""})
    assert bad.status_code == 200 and "NOPE" in bad.content.decode()


@pytest.mark.parametrize(
    "name,who",
    [
        ("schedule", "sales"),
        ("dispatch", "tech1"),
        ("support", "clerk"),
        ("trip", "clerk"),
        ("report", "clerk"),
        ("expense", "clerk"),
        ("formb:review", "tech1"),
        ("formb:approve", "deptmgr"),
    ],
)
def test_wrong_role_gets_403(users, client_for, name, who):
    if name.startswith("formb:"):
        url = step_url(f.submitted_form_b(users, f.on_site_job(users)), name.split(":")[1])
    else:
        url = step_url(f.approved_job(users), name)
    assert client_for(who).get(url).status_code == 403
    assert client_for(who).post(url, {}).status_code == 403


def test_gm_decides_in_page_and_sales_cannot(users, client_for):
    job = f.new_job(users)
    client = client_for("sales")
    today = timezone.localdate().isoformat()
    response = client.post(
        step_url(job, "support"),
        {"purpose": "安装", "proposed_start": today, "proposed_end": today, "estimated_cost": "2000"},
    )
    assert response.status_code == 302
    req = job.support_requests.get()
    approve = step_url(req, "approve")
    assert client.post(approve, {"approve-comment": "", "expected_state": "submitted"}).status_code == 403
    assert client_for("gm").get(approve).status_code == 405
    page = client_for("gm").get(req.get_absolute_url()).content.decode()
    assert f'action="{approve}"' in page and f'action="{step_url(req, "reject")}"' in page
    assert client_for("gm").post(approve, {"approve-comment": "同意", "expected_state": "submitted"}).status_code == 302
    assert type(req).objects.get(pk=req.pk).status == "approved"
    page = client_for("clerk").get(job.get_absolute_url()).content.decode()
    assert "同意" in page
    # a second click on the stale page: a clear 409, never a 500
    response = client_for("gm").post(step_url(req, "reject"), {"reject-comment": "x", "expected_state": "submitted"})
    assert response.status_code == 409
    assert type(req).objects.get(pk=req.pk).status == "approved"


def test_dispatch_view_refused_before_approval(users, client_for):
    job = f.new_job(users)
    services.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=timezone.localdate())
    response = client_for("clerk").post(
        step_url(job, "dispatch"),
        {
            "technicians": [users["tech1"].pk],
            "lead": users["tech1"].pk,
            "address": "a",
            "contact": "c",
            "phone": "p",
            "expected_state": "scheduled",
        },
    )
    assert response.status_code == 409
    assert "总经理" in response.content.decode() or "general manager" in response.content.decode()
    assert ServiceJob.objects.get(pk=job.pk).status == "scheduled"


def test_arrive_stale_409(users, client_for):
    job = f.travelling_job(users)
    client = client_for("tech1")
    assert client.post(step_url(job, "arrive"), {"expected_state": "travelling"}).status_code == 302
    assert client.post(step_url(job, "arrive"), {"expected_state": "travelling"}).status_code == 409
    assert client_for("clerk").post(step_url(job, "depart"), {"expected_state": "on_site"}).status_code == 403


def test_technician_cannot_post_customer_confirmation(users, client_for):
    form = f.awaiting_customer_form(users)
    services.form_a_reopen(pk=form.pk, by=users["tech1"])
    client = client_for("tech1")
    edit = step_url(form, "edit")
    for field in ("result", "signer_name", "customer_signature", "company_name", "work_completed"):
        response = client.post(edit, {"service_content": "x", field: "very_good"})
        assert response.status_code == 403
    # the signing screen without the in-person hand-over: a forged token is refused
    response = client.post(
        reverse("fieldservice:forma-tablet-sign", args=["forged-token"]),
        {"signer_name": "李客户", "signer_phone": "1", "signature": f.signature_data_url()},
    )
    assert response.status_code == 410
    assert FeedbackFormA.objects.get(pk=form.pk).customer_signature_id is None


def _customer_post(**extra):
    today = timezone.localdate().isoformat()
    data = {
        **{k: v for k, v in f.CUSTOMER_DATA.items() if v is not None},
        "arrival_date": today,
        "departure_date": today,
        "signer_name": "李客户",
        "signer_phone": "13912345678",
        "signature": f.signature_data_url(),
        "stamp": f.png_upload(),
    }
    data.update(extra)
    return data


def test_tablet_signing_screen(users, client_for):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job)
    client = client_for("tech1")
    response = client.post(reverse("fieldservice:forma-handover", args=[form.pk]))
    assert response.status_code == 302
    screen = response.url
    assert client.get(screen).status_code == 200
    # the screen belongs to tech1's tablet session
    assert client_for("tech2").post(screen, _customer_post()).status_code == 403
    assert client.post(screen, _customer_post(signer_name="tech1")).status_code == 403
    response = client.post(screen, _customer_post())
    assert response.status_code == 200 and "李客户" not in response.content.decode("utf-8")[:0]
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.status == "signed" and form.customer_signature.method == "tablet" and form.stamp_id
    assert client.post(screen, _customer_post()).status_code == 410  # single use
    # The technician takes the tablet back with their password, and finds the form locked.
    assert client.post(reverse("fieldservice:tablet-unlock"), {"password": "pw-12345678"}).status_code == 302
    assert client.post(step_url(form, "edit"), {"service_content": "改"}).status_code == 400


def test_customer_link_pages(users, client_for, client):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job)
    response = client_for("tech1").post(reverse("fieldservice:forma-link", args=[form.pk]))
    assert response.status_code == 200
    url = response.context["url"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    assert client.get(path).status_code == 200  # no account needed
    tampered = path.rstrip("/")[:-3] + "abc/"
    response = client.get(tampered)
    assert response.status_code == 410 and "签字链接无效" in response.content.decode()
    SigningLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(path)
    assert response.status_code == 410 and "签字链接已过期" in response.content.decode()
    assert client.get(path).status_code == 410
    assert client.post(path, _customer_post()).status_code == 410
    SigningLink.objects.update(expires_at=timezone.now() + timedelta(hours=1))
    response = client.post(path, _customer_post())
    assert response.status_code == 200
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.status == "signed" and form.customer_signature.method == "link"
    response = client.get(path)
    assert response.status_code == 410 and "已使用过" in response.content.decode()
    assert client.post(path, _customer_post()).status_code == 410


def test_form_b_views_and_reimbursement(users, client_for, django_capture_on_commit_callbacks):
    job = f.on_site_job(users)
    services.job_depart(pk=job.pk, by=users["tech1"])
    with django_capture_on_commit_callbacks(execute=True):
        f.customer_signed_form(users, job)
    tech = client_for("tech1")
    fill = step_url(job, "form-b")
    page = tech.get(fill)
    assert page.status_code == 200
    job = f.refresh(job)
    data = {k: ("" if v is None else v) for k, v in f.form_b_data(job).items()}
    data["returns_for_repair"] = ""
    data.pop("returns_for_repair")
    assert tech.post(fill, data).status_code == 302
    assert client_for("tech2").post(fill, data).status_code == 403
    form_b = FeedbackFormB.objects.get(job=job)
    sig = {"signature": f.signature_data_url(), "expected_state": "draft"}
    assert tech.post(step_url(form_b, "submit"), sig).status_code == 302
    assert (
        client_for("deptmgr")
        .post(step_url(form_b, "review"), {**sig, "opinion": "同意", "expected_state": "submitted"})
        .status_code
        == 302
    )
    expense = services.expense_add(
        pk=job.pk, by=users["tech1"], category="transport", amount=Decimal("120"), spent_on=timezone.localdate()
    )
    reimburse = step_url(expense, "reimburse")
    assert client_for("finance").post(reimburse, {"expected_state": "submitted"}).status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("leader").post(
            step_url(form_b, "approve"), {**sig, "comment": "批准", "expected_state": "reviewed"}
        )
    assert response.status_code == 302
    assert FeedbackFormB.objects.get(job=job).status == "approved"
    assert client_for("tech1").post(reimburse, {"expected_state": "submitted"}).status_code == 403
    assert client_for("finance").post(reimburse, {"expected_state": "submitted"}).status_code == 302
    assert Expense.objects.get(pk=expense.pk).status == "reimbursable"
    doc = ArchivedDocument.objects.get(kind="fieldservice.feedback_ab")
    download = client_for("clerk").get(reverse("aftersales:archive-download", args=[doc.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    verify = (
        client.get(reverse("fieldservice:job-verify", args=[job.verify_code])) if (client := client_for("gm")) else None
    )
    assert verify.status_code == 302 and str(doc.verify_code) in verify.url


def test_pdf_views(users, client_for):
    job = f.travelling_job(users)
    form = services.form_a_open(pk=job.pk, by=users["tech1"])
    client = client_for("clerk")
    for url in (
        reverse("fieldservice:forma-pdf", args=[form.pk]),
        reverse("fieldservice:trip-pdf", args=[job.pk]),
        reverse("fieldservice:support-pdf", args=[job.support_requests.get().pk]),
        reverse("fieldservice:blank-pdf", args=["a"]),
        reverse("fieldservice:blank-pdf", args=["b"]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url
    assert client.get(reverse("fieldservice:blank-pdf", args=["c"])).status_code == 404
    assert client_for("tech2").get(reverse("fieldservice:forma-pdf", args=[form.pk])).status_code == 403


def test_todo_sections(users, client_for, settings):
    job = f.travelling_job(users)
    ServiceJob.objects.filter(pk=job.pk).update(trip_departure_at=timezone.now() - timedelta(hours=30))
    page = client_for("clerk").get(reverse("aftersales:todo")).content.decode()
    assert job.number in page and "flag-overdue" in page
    assert job.number in client_for("tech1").get(reverse("aftersales:todo")).content.decode()


def test_progress_report_with_photos(users, client_for):
    from aftersales.attachments import attachments_of

    job = f.travelling_job(users)
    client = client_for("tech1")
    url = step_url(job, "report")
    token = "0b1e7a8c-1f0b-4a43-9d8e-2f1f4f1d0a22"
    data = {"text": "今天到达现场", "photos": [f.png_upload("site.png"), f.png_upload("unit.png")], "form_token": token}
    assert client.post(url, data).status_code == 302
    assert [a.original_name for a in attachments_of(job.reports.get())] == ["site.png", "unit.png"]
    data["photos"] = [f.png_upload("site.png")]
    assert client.post(url, data).status_code == 302  # a resubmit finds the first report
    assert job.reports.count() == 1
    bad = {"text": "x", "photos": [SimpleUploadedFile("x.png", b"not an image")], "form_token": ""}
    response = client.post(url, bad)
    assert response.status_code == 400 and job.reports.count() == 1
    page = client_for("clerk").get(job.get_absolute_url()).content.decode()
    assert "今天到达现场" in page


@pytest.mark.parametrize("who", ["clerk", "sales", "gm", "tech1", "deptmgr", "leader", "finance"])
def test_todo_queries_do_not_grow_with_jobs(users, client_for, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(who)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("aftersales:todo")).status_code == 200
        return len(ctx.captured_queries)

    f.on_site_job(users)
    f.new_job(users)
    before = count()
    for _ in range(4):
        f.on_site_job(users)
        f.new_job(users)
    assert count() == before


def test_signing_screen_prefills_local_dates(users, client_for):
    from zoneinfo import ZoneInfo

    arrived = timezone.datetime(2026, 3, 2, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    job = f.on_site_job(users, at=arrived)
    form = f.awaiting_customer_form(users, job)
    client = client_for("tech1")
    screen = client.post(reverse("fieldservice:forma-handover", args=[form.pk])).url
    page = client.get(screen)
    assert page.context["form"].initial["arrival_date"].isoformat() == "2026-03-02"
    assert 'value="2026-03-02"' in page.content.decode()
