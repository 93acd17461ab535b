"""The declared steps of field service (fieldservice/steps.py) through the core's generic step view."""

import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fieldservice import services, steps
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob, SupportRequest
from tests.fieldservice import factories as f
from tests.fieldservice.factories import step_url

pytestmark = pytest.mark.django_db

SIG = f.signature_data_url


def _expense(users, job):
    return services.expense_add(
        pk=job.pk, by=users["tech1"], category="transport", amount=Decimal("80"), spent_on=timezone.localdate()
    )


def _request(users):
    job = f.new_job(users)
    today = timezone.localdate()
    return services.support_request_create(
        pk=job.pk, by=users["sales"], purpose="安装", proposed_start=today, proposed_end=today, estimated_cost=1
    )


# --- the declarations -----------------------------------------------------------------------------


@pytest.mark.parametrize("workflow", steps.WORKFLOWS, ids=lambda w: w.model.__name__)
def test_it_declares_services_that_take_the_record_and_the_acting_user_by_keyword(workflow):
    for step in workflow.steps:
        parameters = inspect.signature(step.service).parameters
        assert parameters["pk"].kind is inspect.Parameter.KEYWORD_ONLY, step.name
        assert parameters["by"].kind is inspect.Parameter.KEYWORD_ONLY, step.name
        assert not {"actor", "user", "decider", "keeper", "signer", "job_pk"} & set(parameters), step.name
        if step.transition:
            assert hasattr(getattr(workflow.model, step.transition), "_django_fsm"), step.name
        else:
            assert step.permission or step.when, f"{step.name}: nobody would be refused"


def test_it_keeps_state_literals_and_role_keys_out_of_templates_and_views():
    root = Path(settings.BASE_DIR)
    for template in (root / "templates" / "fieldservice").glob("*.html"):
        assert not re.search(r"status\s*[!=]=", template.read_text()), template.name
    for module in ("views", "services", "steps", "selectors", "models"):
        assert "has_role" not in (root / "fieldservice" / f"{module}.py").read_text(), module


# --- a wrong role gets 403, a stale page 409, invalid input 400 --------------------------------------


def test_it_refuses_the_market_support_decision_to_other_roles(users, client_for):
    req = _request(users)
    data = {"approve-comment": "同意", "expected_state": "submitted"}
    for who in ("sales", "clerk", "tech1"):
        assert client_for(who).post(step_url(req, "approve"), data).status_code == 403, who
    assert client_for("clerk").post(step_url(req, "reject"), {"expected_state": "submitted"}).status_code == 403
    assert SupportRequest.objects.get(pk=req.pk).status == SupportRequest.Status.SUBMITTED


def test_it_wants_a_reason_to_reject_and_refuses_a_stale_decision(users, client_for):
    req = _request(users)
    gm = client_for("gm")
    response = gm.post(step_url(req, "reject"), {"reject-comment": "", "expected_state": "submitted"})
    assert response.status_code == 400 and 'id="action-reject"' in response.content.decode()
    assert gm.post(step_url(req, "approve"), {"expected_state": "submitted"}).status_code == 302
    req = SupportRequest.objects.get(pk=req.pk)
    assert (req.status, req.decided_by) == (SupportRequest.Status.APPROVED, users["gm"])
    response = gm.post(step_url(req, "reject"), {"reject-comment": "太贵", "expected_state": "submitted"})
    assert response.status_code == 409
    assert SupportRequest.objects.get(pk=req.pk).status == SupportRequest.Status.APPROVED


def test_it_files_the_market_support_request_once_per_form_token(users, client_for):
    job = f.new_job(users)
    today = timezone.localdate().isoformat()
    data = {
        "purpose": "安装",
        "proposed_start": today,
        "proposed_end": today,
        "estimated_cost": "2000",
        "form_token": "5a0b1e7a-1f0b-4a43-9d8e-2f1f4f1d0a33",
    }
    client = client_for("sales")
    assert client.post(step_url(job, "support"), data).status_code == 302
    assert client.post(step_url(job, "support"), data).status_code == 302
    assert job.support_requests.count() == 1
    response = client.post(step_url(job, "support"), {**data, "estimated_cost": "", "form_token": ""})
    assert response.status_code == 400 and job.support_requests.count() == 1
    assert client_for("gm").post(step_url(job, "support"), {**data, "form_token": ""}).status_code == 403


def test_it_opens_form_a_from_the_job_for_those_who_handle_it(users, client_for):
    job = f.dispatched_job(users)
    assert client_for("gm").post(step_url(job, "form-a"), {}).status_code == 403
    assert not job.forms_a.exists()
    page = client_for("tech1").get(job.get_absolute_url()).content.decode()
    assert f'action="{step_url(job, "form-a")}"' in page
    assert client_for("tech1").post(step_url(job, "form-a"), {"expected_state": "dispatched"}).status_code == 302
    form = job.forms_a.get()
    assert form.created_by == users["tech1"] and form.history.first().history_user == users["tech1"]
    page = client_for("tech1").get(job.get_absolute_url()).content.decode()
    assert step_url(job, "form-a") not in page and form.get_absolute_url() in page


def test_it_lets_only_the_technician_on_the_job_fill_form_a(users, client_for):
    job = f.on_site_job(users)
    form = services.form_a_open(pk=job.pk, by=users["tech1"])
    edit = step_url(form, "edit")
    assert client_for("clerk").get(edit).status_code == 403
    assert client_for("clerk").post(edit, {"service_content": "x"}).status_code == 403
    assert client_for("tech2").post(edit, {"service_content": "x"}).status_code == 403  # not sent on the job
    page = client_for("tech1").get(edit)
    assert page.status_code == 200 and 'data-draft-key="feedbackforma-edit-' in page.content.decode()
    data = {"service_content": "更换加热元件", "expected_work_time": "1天", "expected_state": "draft"}
    assert client_for("tech1").post(edit, data).status_code == 302
    assert FeedbackFormA.objects.get(pk=form.pk).service_content == "更换加热元件"


def test_it_refuses_a_stale_form_a_and_an_unsigned_signature(users, client_for):
    form = f.awaiting_customer_form(users)
    tech = client_for("tech1")
    assert (
        client_for("as_manager").post(step_url(form, "reopen"), {"expected_state": "awaiting_customer"}).status_code
        == 403
    )
    # The page showed the draft; the content was signed meanwhile.
    assert tech.post(step_url(form, "edit"), {"service_content": "x", "expected_state": "draft"}).status_code == 409
    assert tech.post(step_url(form, "reopen"), {"expected_state": "draft"}).status_code == 409
    assert tech.post(step_url(form, "reopen"), {"expected_state": "awaiting_customer"}).status_code == 302
    response = tech.post(step_url(form, "sign-content"), {"signature": "", "expected_state": "draft"})
    assert response.status_code == 400 and "canvas" in response.content.decode()  # the signing page again
    assert FeedbackFormA.objects.get(pk=form.pk).status == FeedbackFormA.Status.DRAFT


def test_it_signs_the_task_with_the_managers_own_signature(users, client_for):
    job = f.on_site_job(users)
    form = services.form_a_open(pk=job.pk, by=users["tech1"])
    url = step_url(form, "sign-task")
    assert client_for("tech1").post(url, {"task": "安装", "signature": SIG()}).status_code == 403
    assert client_for("as_manager").post(url, {"task": "", "signature": SIG()}).status_code == 400
    assert client_for("as_manager").post(url, {"task": "安装调试", "signature": SIG()}).status_code == 302
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.task == "安装调试" and form.manager_signature.signer_user == users["as_manager"]


def test_it_starts_a_corrected_revision_of_a_signed_form_a(users, client_for):
    form = f.customer_signed_form(users)
    url = step_url(form, "revise")
    assert client_for("gm").post(url, {"revise-reason": "写错了"}).status_code == 403
    assert client_for("as_manager").post(url, {"revise-reason": ""}).status_code == 400
    assert client_for("as_manager").post(url, {"revise-reason": "客户名称写错"}).status_code == 302
    old, new = FeedbackFormA.objects.filter(job=form.job).order_by("revision")
    assert (old.is_current, new.revision, new.revision_reason) == (False, 2, "客户名称写错")
    page = client_for("as_manager").get(old.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in page and url not in page
    assert client_for("as_manager").post(url, {"revise-reason": "再改"}).status_code == 409


def test_it_fills_form_b_then_changes_it_until_it_is_submitted(users, client_for):
    job = f.on_site_job(users)
    services.job_depart(pk=job.pk, by=users["tech1"])
    job = f.refresh(job)
    data = {k: ("" if v is None else v) for k, v in f.form_b_data(job).items() if k != "returns_for_repair"}
    tech = client_for("tech1")
    assert tech.post(step_url(job, "form-b"), {**data, "handling": ""}).status_code == 400
    assert client_for("deptmgr").post(step_url(job, "form-b"), data).status_code == 403
    assert tech.post(step_url(job, "form-b"), data).status_code == 302
    form_b = FeedbackFormB.objects.get(job=job)
    assert form_b.created_by == users["tech1"]
    assert tech.post(step_url(job, "form-b"), data).status_code == 409  # started already: change it instead
    edit = step_url(form_b, "edit")
    assert tech.post(edit, {**data, "found_on_site": "电源电压偏低", "expected_state": "draft"}).status_code == 302
    assert FeedbackFormB.objects.get(pk=form_b.pk).found_on_site == "电源电压偏低"
    assert tech.post(step_url(form_b, "submit"), {"signature": SIG(), "expected_state": "draft"}).status_code == 302
    assert tech.post(edit, {**data, "expected_state": "draft"}).status_code == 409
    assert tech.get(edit).status_code == 409


def test_it_sends_form_b_back_only_with_a_reason_and_for_the_managers(users, client_for):
    form_b = f.submitted_form_b(users, f.on_site_job(users))
    url = step_url(form_b, "send-back")
    assert client_for("tech1").post(url, {"send-back-reason": "x", "expected_state": "submitted"}).status_code == 403
    response = client_for("deptmgr").post(url, {"send-back-reason": "", "expected_state": "submitted"})
    assert response.status_code == 400 and 'id="action-send-back"' in response.content.decode()
    assert (
        client_for("deptmgr").post(url, {"send-back-reason": "太简单", "expected_state": "submitted"}).status_code
        == 302
    )
    assert FeedbackFormB.objects.get(pk=form_b.pk).status == FeedbackFormB.Status.DRAFT
    review = step_url(form_b, "review")
    response = client_for("deptmgr").post(
        review, {"opinion": "同意", "signature": SIG(), "expected_state": "submitted"}
    )
    assert response.status_code == 409


def test_it_submits_an_expense_once_and_refuses_what_is_not_one(users, client_for):
    job = f.travelling_job(users)
    url = step_url(job, "expense")
    data = {
        "category": "lodging",
        "amount": "260",
        "spent_on": timezone.localdate().isoformat(),
        "receipts": [f.png_upload("r.png")],
        "form_token": "6b0b1e7a-1f0b-4a43-9d8e-2f1f4f1d0a44",
    }
    tech = client_for("tech1")
    assert tech.post(url, data).status_code == 302
    data["receipts"] = [f.png_upload("r.png")]
    assert tech.post(url, data).status_code == 302  # a double tap
    expense = Expense.objects.get(job=job)
    assert expense.created_by == users["tech1"]
    assert client_for("clerk").post(url, {**data, "form_token": ""}).status_code == 403
    assert tech.post(url, {**data, "amount": "", "form_token": ""}).status_code == 400
    response = tech.post(url, {**data, "receipts": [SimpleUploadedFile("x.png", b"no")], "form_token": ""})
    assert response.status_code == 400 and Expense.objects.filter(job=job).count() == 1


def test_it_marks_an_expense_reimbursable_on_its_page(users, client_for, django_capture_on_commit_callbacks):
    job = f.on_site_job(users)
    expense = _expense(users, job)
    url = step_url(expense, "reimburse")
    response = client_for("finance").post(url, {"expected_state": "submitted"})
    assert response.status_code == 409 and "暂不能报销" in response.content.decode()  # the condition says why
    with django_capture_on_commit_callbacks(execute=True):
        f.customer_signed_form(users, job)
        f.approved_form_b(users, job)
    page = client_for("finance").get(expense.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page
    assert client_for("tech1").post(url, {"expected_state": "submitted"}).status_code == 403
    assert client_for("finance").post(url, {"expected_state": "submitted"}).status_code == 302
    assert Expense.objects.get(pk=expense.pk).status == Expense.Status.REIMBURSABLE
    assert client_for("finance").post(url, {"expected_state": "submitted"}).status_code == 409
    assert f'action="{url}"' not in client_for("finance").get(expense.get_absolute_url()).content.decode()


def test_it_draws_each_users_buttons_on_the_job_page(users, client_for):
    job = f.travelling_job(users)
    tech = client_for("tech1").get(job.get_absolute_url()).content.decode()
    clerk = client_for("clerk").get(job.get_absolute_url()).content.decode()
    for step in ("arrive", "report", "expense"):
        assert step_url(job, step) in tech and step_url(job, step) not in clerk, step
    assert step_url(job, "form-b") not in tech  # not arrived yet
    assert job.get_absolute_url() == reverse("fieldservice:job-detail", args=[job.pk])
    assert ServiceJob.objects.get(pk=job.pk).status == ServiceJob.Status.TRAVELLING
