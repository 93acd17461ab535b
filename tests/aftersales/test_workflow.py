import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction

from aftersales import events
from aftersales.workflow import (
    PermissionRefused,
    StaleRecord,
    TransitionRefused,
    lock,
    perform_transition,
    transition_service,
)
from tests.conftest import make_user
from tests.testapp.models import Ticket

approve = transition_service(Ticket, "approve")


@pytest.fixture
def approver(db):
    user = make_user("approver")
    user.user_permissions.add(Permission.objects.get(codename="approve_ticket"))
    return user


@pytest.mark.django_db
def test_transition_records_user_reason_and_state(approver):
    ticket = Ticket.objects.create(title="x")
    approve(pk=ticket.pk, by=approver, reason="理由" * 80, note="ok")
    ticket.refresh_from_db()
    assert ticket.status == "approved" and ticket.approved_note == "ok"
    assert ticket.updated_by == approver
    last = ticket.history.first()
    assert last.history_user == approver
    assert last.history_change_reason == "理由" * 80, "reasons longer than 100 characters fit"


@pytest.mark.django_db
def test_missing_permission_is_refused_with_403(users):
    ticket = Ticket.objects.create()
    with pytest.raises(PermissionRefused) as exc:
        approve(pk=ticket.pk, by=users["clerk"])
    assert exc.value.http_status == 403
    ticket.refresh_from_db()
    assert ticket.status == "new"


@pytest.mark.django_db
def test_wrong_state_is_refused_with_409(approver):
    ticket = Ticket.objects.create()
    close = transition_service(Ticket, "close")
    with pytest.raises(TransitionRefused) as exc:
        close(pk=ticket.pk, by=approver)
    assert exc.value.http_status == 409


@pytest.mark.django_db
def test_stale_page_and_double_submit_are_refused(approver):
    ticket = Ticket.objects.create()
    approve(pk=ticket.pk, by=approver, expected_state="new")
    with pytest.raises(StaleRecord) as exc:
        approve(pk=ticket.pk, by=approver, expected_state="new")  # the same POST again
    assert exc.value.http_status == 409
    assert "changed" in exc.value.message or "更新" in exc.value.message or "Reload" in exc.value.message


@pytest.mark.django_db(transaction=True)
def test_perform_transition_needs_a_transaction(approver):
    ticket = Ticket.objects.create()
    with pytest.raises(RuntimeError):
        perform_transition(ticket, "approve", by=approver)
    with transaction.atomic():
        perform_transition(lock(Ticket, ticket.pk), "approve", by=approver)


@pytest.mark.django_db
def test_refusal_page_is_chinese_and_not_a_500(client, users, settings):
    # The middleware turns a WorkflowError escaping a view into a clear page.
    from django.test import RequestFactory

    from aftersales.middleware import TransitionErrorMiddleware

    request = RequestFactory().post("/x/")
    request.user = users["clerk"]
    request.session = {}
    response = TransitionErrorMiddleware(lambda r: None).process_exception(
        request, TransitionRefused("“批准”现在不能执行")
    )
    assert response.status_code == 409
    assert "“批准”现在不能执行" in response.content.decode()


def test_events_call_subscribers_and_collect_results(monkeypatch):
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))
    seen = []

    def handler(event):
        seen.append(event)
        return "created"

    events.subscribe(events.JobCompleted, handler)
    events.subscribe(events.JobCompleted, handler)  # subscribing twice does not double the calls
    event = events.JobCompleted(job="J-1", by="someone")
    assert events.publish(event) == ["created"]
    assert seen == [event]
    assert events.publish(events.JobArrived(job="J-1", arrived_at=None, by="someone")) == []
    with pytest.raises(TypeError):
        events.publish("job.completed")  # type: ignore[arg-type]


@pytest.mark.django_db
def test_transition_that_declares_by_receives_the_actor(approver):
    ticket = Ticket.objects.create()
    approve(pk=ticket.pk, by=approver)
    close = transition_service(Ticket, "close")
    close(pk=ticket.pk, by=approver)
    assert Ticket.objects.get(pk=ticket.pk).closed_by_name == "approver"


@pytest.mark.django_db
def test_unmet_condition_is_a_409_with_its_reason_not_a_role_refusal(approver, users):
    ticket = Ticket.objects.create(title="")
    approve(pk=ticket.pk, by=approver)
    transition_service(Ticket, "close")(pk=ticket.pk, by=approver)
    reopen = transition_service(Ticket, "reopen")
    with pytest.raises(PermissionRefused):
        reopen(pk=ticket.pk, by=users["clerk"])  # wrong role: told so first
    with pytest.raises(TransitionRefused) as exc:
        reopen(pk=ticket.pk, by=approver)
    assert not isinstance(exc.value, PermissionRefused)
    assert exc.value.message == "没有标题的单据不能重新打开。"
    Ticket.objects.filter(pk=ticket.pk).update(title="有标题")
    assert reopen(pk=ticket.pk, by=approver).status == "new"


@pytest.fixture
def two_approvers(db):
    permission = Permission.objects.get(codename="approve_ticket")
    first, second = make_user("approver_a"), make_user("approver_b")
    for user in (first, second):
        user.user_permissions.add(permission)
    return first, second


@pytest.mark.django_db
def test_two_users_racing_one_transition_get_one_success_and_one_clear_refusal(two_approvers):
    # Both opened the page while the ticket was new; the second POST arrives after the first committed.
    first, second = two_approvers
    ticket = Ticket.objects.create()
    seen = ticket.status
    approve(pk=ticket.pk, by=first, expected_state=seen, note="first")
    with pytest.raises(StaleRecord) as exc:
        approve(pk=ticket.pk, by=second, expected_state=seen, note="second")
    assert exc.value.http_status == 409 and exc.value.message
    # Without the state the page showed, the lock still refuses the second run of the step.
    with pytest.raises(TransitionRefused) as refused:
        approve(pk=ticket.pk, by=second, note="second")
    assert refused.value.http_status == 409 and refused.value.message
    ticket.refresh_from_db()
    assert (ticket.status, ticket.approved_note, ticket.updated_by) == ("approved", "first", first)
    assert [h.history_user for h in ticket.history.filter(status="approved")] == [first]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_users_racing_one_transition_in_parallel_get_one_success(two_approvers):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    ticket = Ticket.objects.create()
    barrier = threading.Barrier(2)
    outcomes: dict = {}

    def run(user):
        try:
            barrier.wait()
            approve(pk=ticket.pk, by=user, expected_state="new", note=user.username)
            outcomes[user.username] = "ok"
        except (StaleRecord, TransitionRefused) as exc:
            outcomes[user.username] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user,)) for user in two_approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, outcome in outcomes.items() if outcome == "ok"]
    assert len(outcomes) == 2 and len(winners) == 1, outcomes
    (refusal,) = (outcome for outcome in outcomes.values() if outcome != "ok")
    assert isinstance(refusal, StaleRecord) and refusal.http_status == 409 and refusal.message
    ticket.refresh_from_db()
    assert ticket.status == "approved" and ticket.approved_note == winners[0] == ticket.updated_by.username
