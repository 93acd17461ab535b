import pytest
from django.contrib.auth.models import Group

from aftersales.roles import ROLES, declared_permissions, group, has_role, sync_role_permissions


@pytest.mark.django_db
def test_every_role_is_a_group_with_a_chinese_name():
    names = set(Group.objects.values_list("name", flat=True))
    for role in ROLES:
        assert role.group_name in names
        assert all("\u4e00" <= ch <= "\u9fff" for ch in role.group_name), role.group_name


@pytest.mark.django_db
def test_each_group_has_exactly_its_declared_permissions():
    sync_role_permissions()
    declared = declared_permissions()
    for role in ROLES:
        have = {f"{p.content_type.app_label}.{p.codename}" for p in group(role.key).permissions.all()}
        assert have == declared[role.key], role.key
    assert "aftersales.change_unit" in declared["clerk"]
    assert "aftersales.change_unit" not in declared["technician"]
    assert "aftersales.view_unit" in declared["technician"]


@pytest.mark.django_db
def test_users_get_permissions_and_roles_through_their_group(users):
    assert users["clerk"].has_perm("aftersales.add_customer")
    assert not users["tech1"].has_perm("aftersales.add_customer")
    assert has_role(users["tech2"], "technician")
    assert not has_role(users["tech2"], "clerk")
