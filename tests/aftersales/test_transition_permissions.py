"""Every transition of every installed model names who may take it: a role's permission,
or the system actor for the steps no role takes."""

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin

from aftersales.workflow import PermissionRefused, check_transition, is_system_actor, system_actor, system_step
from tests.conftest import make_user
from tests.testapp.models import Ticket


def all_transitions():
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                for transition in field.get_all_transitions(model):
                    yield model, transition


def test_it_finds_the_transitions_of_every_workflow_app():
    labels = {model._meta.app_label for model, _t in all_transitions()}
    assert {"servicedesk", "shipping", "fieldservice", "warranty", "repairs", "reports"} <= labels


def test_every_transition_has_a_permission_or_is_a_system_step():
    missing = [f"{model._meta.label}.{t.name}" for model, t in all_transitions() if t.permission is None]
    assert missing == []


def test_the_system_steps_are_the_ones_declared():
    system = {f"{model._meta.label}.{t.name}" for model, t in all_transitions() if t.permission is system_step}
    assert system == {
        "repairs.FactoryRepair.close",
        "repairs.Replacement.close_rejected",
        "repairs.Replacement.delivered",
        "repairs.ProductReturn.close_rejected",
        "reports.ReportRun.start",
        "reports.ReportRun.finish",
        "reports.ReportRun.fail",
        "fieldservice.FeedbackFormA.customer_confirm",
        "fieldservice.FeedbackFormA.match_signer",
        "fieldservice.FeedbackFormA.flag_signer",
        "servicedesk.ServiceCase.job_arrived",
        "servicedesk.ServiceCase.job_dispatched",
        "servicedesk.ServiceCase.resolve_on_completion",
        "shipping.Shipment.await_installation",
        "shipping.Shipment.installation_job_opened",
        "shipping.Shipment.installed_by_job",
    }


@pytest.mark.django_db
def test_the_system_actor_is_one_inactive_account_that_cannot_log_in():
    actor = system_actor()
    assert system_actor().pk == actor.pk
    assert is_system_actor(actor) and not actor.is_active and not actor.has_usable_password()
    assert not actor.has_perm("testapp.approve_ticket")


@pytest.mark.django_db
def test_a_system_step_is_refused_to_a_superuser(users):
    from tests.repairs.factories import order_in

    order = order_in("shipped", users)
    boss = make_user("boss", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionRefused):
        check_transition(order, "close", boss)
    check_transition(order, "close", system_actor())


@pytest.mark.django_db
def test_the_system_actor_takes_no_role_step():
    with pytest.raises(PermissionRefused):
        check_transition(Ticket.objects.create(title="t"), "approve", system_actor())
