"""Create the role groups (Chinese names). Their permissions are synced after every migrate
(aftersales.roles.sync_role_permissions), because later apps create their permissions later."""

from django.db import migrations

GROUP_NAMES = [
    "售后文员", "售后经理", "业务经理", "总经理", "财务部", "库房", "物流", "技术部", "技术人员",
    "品质管理中心", "技术研发部", "生产部", "采购部", "部门经理", "公司领导",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUP_NAMES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
