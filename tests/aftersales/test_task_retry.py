"""A failed notification task runs again later with the same arguments, then stops and says so."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales import taskretry
from tests.testapp import tasks

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def ours(monkeypatch):
    monkeypatch.setattr(taskretry, "OUR_APPS", (*taskretry.OUR_APPS, "tests.testapp."))
    tasks.RUNS.clear()
    tasks.FAILING["on"] = True
    yield
    tasks.FAILING["on"] = True


def waiting():
    """The queued rows, due or not (`ready()` is only those due now)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def work():
    """One worker pass over what is due; the retries wait for their time."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def make_due():
    waiting().update(run_after=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_failed_task_is_queued_again_with_growing_delays_until_it_succeeds(ours):
    tasks.flaky.enqueue(7)
    work()
    assert tasks.RUNS == [7]
    queued = waiting().get()
    assert queued.args_kwargs == {"args": [7], "kwargs": {}}
    first_delay = queued.run_after - timezone.now()
    assert timedelta(seconds=30) < first_delay <= timedelta(minutes=1)

    work()  # not yet due: nothing runs
    assert tasks.RUNS == [7]

    make_due()
    work()
    second = waiting().get()
    assert timedelta(minutes=4) < second.run_after - timezone.now() <= timedelta(minutes=5)

    tasks.FAILING["on"] = False
    make_due()
    work()
    assert tasks.RUNS == [7, 7, 7]
    assert DBTaskResult.objects.failed().count() == 2
    assert DBTaskResult.objects.successful().get().return_value == 7
    assert not waiting().exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_retries_stop_after_the_last_delay_and_the_failures_stay_on_record(ours, caplog):
    tasks.flaky.enqueue(8)
    for _attempt in range(len(taskretry.RETRY_DELAYS) + 2):
        make_due()
        work()
    assert len(tasks.RUNS) == len(taskretry.RETRY_DELAYS) + 1
    assert DBTaskResult.objects.failed().count() == len(taskretry.RETRY_DELAYS) + 1
    assert not waiting().exists()
    assert "no more retries" in caplog.text


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_other_arguments_count_their_own_attempts(ours):
    tasks.flaky.enqueue(1)
    work()
    tasks.flaky.enqueue(2)
    work()
    assert sorted(r.args_kwargs["args"][0] for r in waiting()) == [1, 2]
    assert {round((r.run_after - timezone.now()).total_seconds() / 60) for r in waiting()} == {1}
