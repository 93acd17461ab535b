"""A task that fails while `FAILING` says so: the retry of failed notifications is tested with it."""

from django_tasks import task

FAILING = {"on": True}
RUNS: list[int] = []


@task()
def flaky(record_id: int) -> int:
    RUNS.append(record_id)
    if FAILING["on"]:
        raise RuntimeError("the mail server is down")
    return record_id
