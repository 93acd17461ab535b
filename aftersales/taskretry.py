"""Failed notifications are retried, never swallowed: a task of this product that fails runs again later.

django-tasks records a failure (status FAILED, the traceback) but does not run the task again.
The notifications of the workflows (mail, PDF archiving, summaries) are idempotent — they
record what they did — so running one again is safe: this receiver of `task_finished`
enqueues a failed task of ours once more, with the same arguments, after a growing delay
(1 min, 5 min, 30 min, 2 h, 6 h). After the last attempt it logs an error and stops; the
failed rows stay in the back office (Tasks → DB task results) with their tracebacks.

Only the database backend (production) queues for later; the immediate backend of a trial
runs the task in the request, where a failure is logged and the step itself stands.
"""

import logging
from datetime import timedelta

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
OUR_APPS = ("aftersales.", "shipping.", "fieldservice.", "warranty.")


def failed_attempts(task_result) -> int:
    """How often this task has failed with these arguments (its database rows)."""
    from django_tasks_db.models import DBTaskResult

    task = task_result.task
    return (
        DBTaskResult.objects.failed()
        .filter(task_path=task.module_path, args_kwargs={"args": task_result.args, "kwargs": task_result.kwargs})
        .count()
    )


@receiver(task_finished)
def retry_failed_task(sender, task_result, **kwargs) -> None:
    from django_tasks_db import DatabaseBackend

    if task_result.status != TaskResultStatus.FAILED or not issubclass(sender, DatabaseBackend):
        return
    task = task_result.task
    if not task.module_path.startswith(OUR_APPS):
        return
    attempts = failed_attempts(task_result)
    if attempts > len(RETRY_DELAYS):
        logger.error("Task %s%r failed %d times: no more retries", task.module_path, task_result.args, attempts)
        return
    delay = RETRY_DELAYS[attempts - 1]
    logger.warning("Task %s%r failed (attempt %d): retried in %s", task.module_path, task_result.args, attempts, delay)
    task.using(run_after=timezone.now() + delay).enqueue(*task_result.args, **task_result.kwargs)
