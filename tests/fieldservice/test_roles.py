"""Field service authorises by permission codenames and named predicates, never by role keys."""

import pytest

from fieldservice import roles

pytestmark = pytest.mark.django_db


def test_it_sends_only_users_who_may_work_on_jobs(users):
    assert [key for key in ("technician", "tech2", "clerk", "techdept") if roles.may_be_sent(users[key])] == [
        "technician",
        "tech2",
    ]


def test_it_lets_the_after_sales_office_follow_forms_but_no_other_office(users):
    office = {
        key for key in ("clerk", "as_manager", "sales", "gm", "technician") if roles.is_after_sales_office(users[key])
    }
    assert office == {"clerk", "as_manager"}


def test_it_lets_department_manager_and_leadership_send_form_b_back(users):
    assert {
        key for key in ("deptmgr", "leader", "as_manager", "technician") if roles.may_send_back_form_b(users[key])
    } == {
        "deptmgr",
        "leader",
    }
