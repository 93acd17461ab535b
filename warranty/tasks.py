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
