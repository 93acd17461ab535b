from datetime import date
from unittest import mock

import pytest
from django.contrib.auth.models import Permission

from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)

pytestmark = pytest.mark.django_db

MODELS = [QualitySheet, ReturnedPart, Appraisal, SupplierClaim, CustomerClaim, QualityIncident, CorrectiveAction]


def test_number_prefixes_are_the_agreed_ones():
    assert [m.NUMBER_PREFIX for m in MODELS] == ["ZX", "TH", "JD", "GY", "SP", "SG", "CA"]


@pytest.mark.parametrize("model", MODELS)
def test_every_transition_has_a_declared_permission_and_a_label(model):
    for t in model._meta.get_field("status").get_all_transitions(model):
        app_label, codename = t.permission.split(".")
        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), t.permission
        assert t.custom.get("label"), t.name


def test_routing_by_origin():
    assert Appraisal(origin="self_made").routed_to == ["production", "sales"]
    assert Appraisal(origin="bought_in").routed_to == ["purchasing", "sales"]
    assert Appraisal(origin="").routed_to == []


@pytest.mark.parametrize(
    ("notified", "deadline"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 3, 15), date(2026, 4, 15)),
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_supplier_deadline_is_one_calendar_month(notified, deadline):
    claim = SupplierClaim()
    claim.notify(on=notified)
    assert claim.deadline == deadline
    with mock.patch("django.utils.timezone.localdate", return_value=deadline):
        assert not claim.is_overdue
    with mock.patch("django.utils.timezone.localdate", return_value=date.fromordinal(deadline.toordinal() + 1)):
        assert claim.is_overdue


def test_open_action_overdue_only_while_open():
    ca = CorrectiveAction(due_date=date(2026, 1, 1))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 1, 2)):
        assert ca.is_overdue
        ca.implement(implementation="done")
        assert not ca.is_overdue
