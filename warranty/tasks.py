"""Background work: e-mail a routed department (runs after commit, through django-tasks)."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from aftersales.pdf import absolute_url
from aftersales.roles import ROLES_BY_KEY


@task()
def send_notice_mail(notice_id: int) -> int:
    """Mail everyone of the notice's role who has an address; returns how many were mailed."""
    from warranty.models import Notice

    notice = Notice.objects.select_related("appraisal").filter(pk=notice_id).first()
    if notice is None:
        return 0
    role = ROLES_BY_KEY.get(notice.role)
    if role is None:
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=role.group_name, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override("zh-hans"):
        subject = _("Quality appraisal %(number)s routed to you") % {"number": notice.appraisal.number}
        body = f"{notice.text}\n\n{absolute_url(notice.appraisal.get_absolute_url())}"
    send_mail(subject, body, None, recipients)
    return len(recipients)


ARCHIVE_RENDERERS = {
    "appraisal": ("warranty.Appraisal", "render_appraisal_pdf", "售后服务三包材料退换鉴定单"),
    "incident_feedback": ("warranty.QualityIncident", "render_feedback_pdf", "产品售后质量事故处理反馈单"),
    "incident_final": ("warranty.QualityIncident", "render_incident_pdf", "产品售后质量事故处置跟踪单"),
}


@task()
def archive_signed_pdf(kind: str, pk: int, user_id: int | None = None) -> int | None:
    """Keep the signed / final form as an immutable PDF with its SHA-256 (runs after commit)."""
    from django.apps import apps

    from aftersales.pdf import archive_pdf
    from warranty import pdf

    model_label, renderer, title = ARCHIVE_RENDERERS[kind]
    record = apps.get_model(model_label).objects.filter(pk=pk).first()
    if record is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    data = getattr(pdf, renderer)(record)
    return archive_pdf(record, kind=kind, title=f"{title} {record.number}", pdf=data, by=user).pk
