"""Background work of field service (django-tasks: immediate in development, database queue in production)."""

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def archive_feedback_pair(job_id: int, user_id: int | None = None) -> int | None:
    """Archive forms A + B of a job once A is signed and B approved; a second run finds the archive."""
    from fieldservice.services import archive_if_complete

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    doc = archive_if_complete(pk=job_id, by=user)
    return doc.pk if doc is not None else None
