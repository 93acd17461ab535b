"""Background work: e-mail a routed department, archive signed forms (after commit, through django-tasks).

Both tasks are idempotent, so the task backend may retry a failed run: a notice records when it
was mailed, a record's form of one kind is archived once. A failure raises; nothing is swallowed.
"""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from aftersales.pdf import absolute_url
from aftersales.roles import ROLES_BY_KEY


@task()
def send_notice_mail(notice_id: int) -> int:
    """Mail everyone of the notice's role who has an address, once; returns how many were mailed."""
    from warranty.models import Notice

    # The lock serialises two runs; the mark is committed only with a sent mail, so a failed
    # send leaves the notice unmarked for the retry.
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("appraisal").filter(pk=notice_id).first()
        if notice is None or notice.mailed_at is not None:
            return 0
        sent = _mail_notice(notice)
        Notice.objects.filter(pk=notice.pk).update(mailed_at=timezone.now())
        return sent


def _mail_notice(notice) -> int:
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

    from aftersales.pdf import archive_pdf, archives_of
    from warranty import pdf

    model_label, renderer, title = ARCHIVE_RENDERERS[kind]
    record = apps.get_model(model_label).objects.filter(pk=pk).first()
    if record is None:
        return None
    # Each kind is archived once per record (its signing happens once): a retry finds it.
    done = archives_of(record, kind).first()
    if done is not None:
        return done.pk
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    data = getattr(pdf, renderer)(record)
    return archive_pdf(record, kind=kind, title=f"{title} {record.number}", pdf=data, by=user).pk
