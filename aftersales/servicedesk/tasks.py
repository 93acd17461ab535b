"""Background work of the service desk (Django tasks API: immediate in development, database queue in production)."""

from django_tasks import task


@task()
def sla_notify() -> int:
    """Mail the after-sales managers about clocks that entered “at risk” or “breached”."""
    from aftersales.servicedesk.services import sla_notifications_send

    return sla_notifications_send()
