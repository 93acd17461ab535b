"""Form B's screen uses the paper form's words: 现场调试投运 □没有 □是, and the 销售信息 heading."""

import pytest
from django.utils import translation

from fieldservice.forms import FormBForm


def test_form_b_speaks_as_the_paper_form():
    with translation.override("zh-hans"):
        form = FormBForm()
        commissioned = [str(label) for _code, label in form.fields["commissioned"].choices]
        assert commissioned == ["没有", "是"]
        assert str(form.fields["follow_up_project"].label).startswith("销售信息")


@pytest.mark.django_db
def test_the_approvers_see_everything_they_approve(users, client_for):
    """Form B as the department manager and the leader see it: every field of the paper form."""
    from fieldservice.models import FeedbackFormB
    from tests.fieldservice import factories as f

    job = f.on_site_job(users)
    serial = job.units.first().serial_number
    f.customer_signed_form(users, job)
    f.submitted_form_b(
        users,
        job,
        products="XD-1200 × 2",
        user_reported="炉温不稳",
        returns_for_repair=True,
        return_serials=serial,
        follow_up_project="yes",
        sales_contact="赵经理",
        sales_phone="13700000000",
        filler_department="售后服务部",
    )
    form_b = FeedbackFormB.objects.get(job=job)
    for role in ("deptmgr", "leader"):
        page = client_for(role).get(form_b.get_absolute_url()).content.decode()
        for shown in ("XD-1200 × 2", "炉温不稳", serial, "销售信息", "赵经理", "13700000000", "售后服务部"):
            assert shown in page, (role, shown)
        assert f"/files/signature/{form_b.technician_signature.pk}/" in page, "the technician's signature"
