"""Demo data for a trial: realistic Chinese customers, their units, one user per role, and each
workflow's demo records.

The reference data they point at (working calendar, departments, office cities, SLA policies,
product models with their components' warranty periods) is not demo data: it comes from the
fixtures in fixtures/, which must be loaded first (`manage.py loaddata fixtures/*.json`).
"""

import os
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Model

from aftersales.models import (
    CalendarYear,
    Contact,
    Customer,
    Department,
    OfficeCity,
    ProductModel,
    Site,
    Unit,
    WorkingPeriod,
)
from aftersales.registry import app_modules
from aftersales.roles import ROLES_BY_KEY, group

LOAD_REFERENCE_DATA = "python manage.py loaddata fixtures/*.json"

DEMO_USERS = [
    # username, role, family name, given name, staff (back office)
    ("clerk", "clerk", "王", "芳", True),
    ("as_manager", "as_manager", "李", "强", True),
    ("sales", "sales", "张", "伟", False),
    ("gm", "gm", "马", "建国", False),
    ("finance", "finance", "刘", "敏", False),
    ("warehouse", "warehouse", "陈", "刚", False),
    ("logistics", "logistics", "赵", "磊", False),
    ("techdept", "techdept", "梁", "志明", False),
    ("tech1", "technician", "孙", "浩", False),
    ("tech2", "technician", "周", "杰", False),
    ("qc", "qc", "吴", "静", False),
    ("rnd", "rnd", "郑", "涛", False),
    ("pdirector", "pdirector", "程", "远航", False),
    ("production", "production", "冯", "军", False),
    ("purchasing", "purchasing", "何", "丽", False),
    ("deptmgr", "deptmgr", "高", "明", False),
    ("leader", "leader", "林", "志远", True),
]

# code, name, province, city, address, phone, contacts, sites
CUSTOMERS: list[tuple] = [
    (
        "C001",
        "湘江冶金材料有限公司",
        "湖南省",
        "株洲",
        "天元区黄河南路88号",
        "0731-2288 1001",
        [("黄建华", "设备科科长", "13807331001")],
        [("一号车间", "天元区黄河南路88号一号车间")],
    ),
    (
        "C002",
        "北方特钢集团有限公司",
        "河北省",
        "保定",
        "莲池区七一东路168号",
        "0312-3088 2002",
        [("刘振东", "动力部部长", "13903122002")],
        [("热处理分厂", "莲池区七一东路168号热处理分厂")],
    ),
    (
        "C003",
        "华东精密铸造有限公司",
        "江苏省",
        "苏州",
        "工业园区星湖街328号",
        "0512-6288 3003",
        [("陈晓燕", "质量部经理", "13862103003")],
        [("精铸车间", "工业园区星湖街328号B栋")],
    ),
    (
        "C004",
        "岭南新材料科技有限公司",
        "广东省",
        "佛山",
        "南海区桂城街道海五路12号",
        "0757-8628 4004",
        [("何志强", "研发中心主任", "13925904004")],
        [("研发中心实验室", "南海区桂城街道海五路12号3楼")],
    ),
    (
        "C005",
        "西部化工研究院",
        "四川省",
        "成都",
        "武侯区人民南路四段9号",
        "028-8522 5005",
        [("杨帆", "分析测试中心主任", "13808005005")],
        [("分析测试中心", "武侯区人民南路四段9号")],
    ),
    (
        "C006",
        "齐鲁检测技术有限公司",
        "山东省",
        "济南",
        "历下区经十路17703号",
        "0531-8899 6006",
        [("孔令伟", "技术负责人", "13905316006")],
        [("检测大楼", "历下区经十路17703号")],
    ),
    (
        "C007",
        "中原耐火材料有限公司",
        "河南省",
        "郑州",
        "中原区建设西路201号",
        "0371-6788 7007",
        [("王国庆", "设备主管", "13703717007")],
        [("烧成车间", "中原区建设西路201号")],
    ),
    (
        "C008",
        "东北重型机械厂",
        "辽宁省",
        "沈阳",
        "铁西区北二中路9号",
        "024-2588 8008",
        [("赵铁军", "机动处处长", "13904028008")],
        [("热处理车间", "铁西区北二中路9号")],
    ),
]

# serial, product model (from fixtures/products.json), customer index or None (in stock),
# months since acceptance or None
UNITS: list[tuple[str, str, int | None, int | None]] = [
    ("XD1200-2021-0007", "XD-1200", 0, 62),
    ("XD1200-2024-0031", "XD-1200", 0, 20),
    ("XD1200-2025-0102", "XD-1200", 2, 8),
    ("ZK1600-2023-0005", "ZK-1600", 1, 30),
    ("ZK1600-2025-0018", "ZK-1600", 6, 10),
    ("ZK1600-2026-0003", "ZK-1600", 7, 2),
    ("TGA800-2024-0210", "TGA-800", 3, 26),
    ("TGA800-2025-0333", "TGA-800", 4, 6),
    ("TGA800-2026-0045", "TGA-800", 5, None),
    ("DSC500-2025-0088", "DSC-500", 3, 14),
    ("DSC500-2026-0019", "DSC-500", 5, 3),
]
DEMO_PRODUCT_CODES = {model_code for _serial, model_code, *_rest in UNITS}


class ReferenceDataMissing(Exception):
    """The fixtures in fixtures/ are not loaded; the demo records would point at nothing."""


# Models of fixtures/ that the demo and the workflows need rows of.
REFERENCE_MODELS: tuple[type[Model], ...] = (WorkingPeriod, CalendarYear, Department, OfficeCity)


def missing_reference_data() -> list[str]:
    """What the demo needs from fixtures/ and the database lacks (empty once they are loaded)."""
    missing = [model._meta.label_lower for model in REFERENCE_MODELS if not model._default_manager.exists()]
    known = set(ProductModel.objects.filter(code__in=DEMO_PRODUCT_CODES).values_list("code", flat=True))
    missing += [f"aftersales.productmodel {code}" for code in sorted(DEMO_PRODUCT_CODES - known)]
    return missing


def seed(stdout=None, password: str | None = None) -> None:
    """Create or refresh the demo data; running it twice changes nothing."""
    if missing := missing_reference_data():
        raise ReferenceDataMissing(
            f"The reference data is not loaded (missing: {', '.join(missing)}). Load it first: {LOAD_REFERENCE_DATA}"
        )
    password = password or os.environ.get("DEMO_PASSWORD") or "demo12345"
    users = _users(password)
    customers = []
    for code, name, province, city, address, phone, contacts, sites in CUSTOMERS:
        customer, _c = Customer.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "province": province,
                "city": city,
                "address": address,
                "phone": phone,
                "sales_manager": users["sales"],
            },
        )
        first_contact: Contact | None = None
        for i, (cname, title, mobile) in enumerate(contacts):
            contact, _c = Contact.objects.update_or_create(
                customer=customer, name=cname, defaults={"title": title, "mobile": mobile, "is_primary": i == 0}
            )
            first_contact = first_contact or contact
        for sname, saddress in sites:
            Site.objects.update_or_create(
                customer=customer,
                name=sname,
                defaults={"province": province, "city": city, "address": saddress, "contact": first_contact},
            )
        customers.append(customer)
    _units(customers)
    # Each workflow adds its own demo records in a module with seed(stdout).
    for module in app_modules("demo"):
        if module.__name__ != __name__:
            module.seed(stdout)
    if stdout:
        stdout.write(
            f"demo data ready: {len(DEMO_USERS) + 1} users, {len(customers)} customers, {Unit.objects.count()} units"
        )


def _users(password: str) -> dict:
    User = get_user_model()
    users = {}
    for username, role_key, family, given, staff in DEMO_USERS:
        user, _c = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = family, given
        user.email = f"{username}@example.com"
        user.is_staff = staff
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group(role_key))
        users[username] = user
    admin, _c = User.objects.get_or_create(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.last_name, admin.first_name = "系统", "管理员"
    admin.set_password(password)
    admin.save()
    users["admin"] = admin
    assert set(ROLES_BY_KEY) == {role for _u, role, *_r in DEMO_USERS}
    return users


def _units(customers) -> None:
    """Units in the installed base (in and out of warranty) and units still in stock."""
    today = date(2026, 11, 1)
    models_ = ProductModel.objects.in_bulk(DEMO_PRODUCT_CODES, field_name="code")
    plan = list(UNITS)
    for year_seq in range(1, 7):
        plan.append((f"XD1200-2026-{200 + year_seq:04d}", "XD-1200", None, None))
        plan.append((f"TGA800-2026-{300 + year_seq:04d}", "TGA-800", None, None))
    for serial, model_code, customer_index, months in plan:
        defaults: dict[str, object] = {"product_model": models_[model_code]}
        if customer_index is not None:
            customer = customers[customer_index]
            site = customer.sites.first()
            accepted = today - timedelta(days=30 * months) if months is not None else None
            shipped = (accepted or today) - timedelta(days=20)
            defaults.update(
                customer=customer,
                site=site,
                ship_date=shipped,
                acceptance_date=accepted,
                production_date=shipped - timedelta(days=25),
            )
        else:
            defaults.update(production_date=today - timedelta(days=40))
        Unit.objects.update_or_create(serial_number=serial, defaults=defaults)
