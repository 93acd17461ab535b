"""Background work of the service desk (Django tasks API: immediate in development, database queue in production)."""

from django_tasks import task


@task()
def sla_notify() -> int:
    """Mail the after-sales managers about clocks that entered “at risk” or “breached”."""
    from aftersales.servicedesk.services import sla_notifications_send

    return sla_notifications_send()


@task()
def document_delivery_send(delivery_id: int) -> int:
    """Mail one customer's copy of a published technical document (idempotent; a failure is retried)."""
    from aftersales.servicedesk.services import document_delivery_send as send

    return send(delivery_id).pk
