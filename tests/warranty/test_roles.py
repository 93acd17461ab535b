"""Warranty authorises by permission codenames and named predicates, never by role keys."""

import pytest

from aftersales.roles import ROLES
from warranty import roles
from warranty.models import Appraisal, Notice, Origin

pytestmark = pytest.mark.django_db


def test_it_addresses_each_routed_notice_to_its_department_only(users):
    routed = set(Appraisal(origin=Origin.SELF_MADE).routed_to) | set(Appraisal(origin=Origin.BOUGHT_IN).routed_to)
    assert routed == set(roles.NOTICE_READERS), "every department an appraisal is routed to can take note"
    for department in routed:
        notice = Notice(role=department)
        readers = {role.key for role in ROLES if roles.is_notice_addressee(users[role.key], notice)}
        assert readers == {department}


def test_it_shows_the_quarantine_zone_to_the_warehouse_qc_and_the_after_sales_office(users):
    assert {role.key for role in ROLES if roles.may_see_quarantine(users[role.key])} == {
        "warehouse",
        "qc",
        "clerk",
        "as_manager",
    }
