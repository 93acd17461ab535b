"""The back office cannot skip a warranty rule: an opted-in step runs the service's side effects."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.warranty.factories import accepted_unit, appraise, quarantined_part
from warranty.models import Appraisal, ReturnedPart

pytestmark = pytest.mark.django_db


def staff(user, *codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def not_own(users):
    unit, shell, _ctrl, _supplier = accepted_unit()
    part = quarantined_part(users, unit, shell)
    return appraise(users, part, own_defect=False, origin="", chargeable_cost=Decimal("850"))


def change_url(obj):
    return reverse(f"admin:warranty_{obj._meta.model_name}_change", args=[obj.pk])


def test_customer_told_in_the_admin_releases_the_part(client, users, not_own):
    client.force_login(staff(users["clerk"]))
    assert b'value="tell_customer"' in client.get(change_url(not_own)).content
    client.post(change_url(not_own), {"_fsm_transition_to": "tell_customer"})
    assert Appraisal.objects.get(pk=not_own.pk).status == Appraisal.Status.CUSTOMER_TOLD
    # The service's side effect: the returned part leaves quarantine, back to the customer.
    assert ReturnedPart.objects.get(pk=not_own.part_id).status == ReturnedPart.Status.RELEASED


def test_customer_told_is_refused_to_the_wrong_role(client, users, not_own):
    client.force_login(staff(users["warehouse"]))
    client.post(change_url(not_own), {"_fsm_transition_to": "tell_customer"})
    assert Appraisal.objects.get(pk=not_own.pk).status == Appraisal.Status.APPRAISED_NOT
    assert ReturnedPart.objects.get(pk=not_own.part_id).status == ReturnedPart.Status.QUARANTINED


def test_a_part_step_posted_by_hand_is_refused(client, users, not_own):
    part = ReturnedPart.objects.get(pk=not_own.part_id)
    # The warehouse may release in the front office's service, never bare in the admin.
    client.force_login(staff(users["clerk"]))
    client.post(change_url(part), {"_fsm_transition_to": "release"})
    assert ReturnedPart.objects.get(pk=part.pk).status == ReturnedPart.Status.QUARANTINED


def test_an_appraised_record_cannot_be_edited(client, users, not_own):
    client.force_login(staff(users["qc"], "change_appraisal"))
    response = client.post(change_url(not_own), {"cause": "改写的原因"})
    assert response.status_code == 403
    assert Appraisal.objects.get(pk=not_own.pk).cause == not_own.cause
