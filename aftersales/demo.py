"""Demo data for a trial: realistic Chinese customers, products, units and one user per role."""

import os
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from aftersales.models import (
    Component,
    Contact,
    Customer,
    Department,
    NeighbouringCity,
    OfficeCity,
    ProductModel,
    Site,
    Supplier,
    Unit,
)
from aftersales.registry import app_modules
from aftersales.roles import ROLES_BY_KEY, group

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
    ("production", "production", "冯", "军", False),
    ("purchasing", "purchasing", "何", "丽", False),
    ("deptmgr", "deptmgr", "高", "明", False),
    ("leader", "leader", "林", "志远", True),
]

DEPARTMENTS = [
    ("AS", "售后服务部", Department.Kind.AFTERSALES),
    ("MK", "营销部", Department.Kind.SALES),
    ("FI", "财务部", Department.Kind.FINANCE),
    ("WH", "财务部仓库", Department.Kind.WAREHOUSE),
    ("LG", "物流部", Department.Kind.LOGISTICS),
    ("TD", "技术部", Department.Kind.TECHNICAL),
    ("QC", "品质管理中心", Department.Kind.QC),
    ("RD", "技术研发部", Department.Kind.RND),
    ("PD", "生产部", Department.Kind.PRODUCTION),
    ("PU", "采购部", Department.Kind.PURCHASING),
    ("LD", "公司领导", Department.Kind.LEADERSHIP),
]

SUPPLIERS: list[tuple[str, str, str, str]] = [
    ("S001", "上海恒温电热元件有限公司", "钱经理", "021-5566 7788"),
    ("S002", "江苏精达仪表有限公司", "孙经理", "0510-8123 4567"),
    ("S003", "深圳华测电子科技有限公司", "李工", "0755-2678 9900"),
    ("S004", "浙江真空设备有限公司", "周经理", "0571-8877 6655"),
]

OFFICES = {
    ("长沙", "湖南省"): [("株洲", "湖南省"), ("湘潭", "湖南省"), ("岳阳", "湖南省"), ("益阳", "湖南省")],
    ("北京", "北京市"): [("天津", "天津市"), ("廊坊", "河北省"), ("保定", "河北省")],
    ("上海", "上海市"): [("苏州", "江苏省"), ("无锡", "江苏省"), ("嘉兴", "浙江省")],
    ("广州", "广东省"): [("佛山", "广东省"), ("东莞", "广东省"), ("深圳", "广东省")],
}

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

# code, name, brand, category, needs installation, components (code, name, months, bought-in supplier, cost)
PRODUCTS: list[tuple] = [
    (
        "XD-1200",
        "箱式电阻炉",
        "恒瑞",
        "电炉",
        True,
        [
            ("SHELL", "炉壳及炉体", 240, None, "6800.00"),
            ("HEAT", "硅碳棒加热元件", 12, "S001", "420.00"),
            ("CTRL", "温控仪表", 36, "S002", "1850.00"),
            ("TC", "热电偶", 12, "S002", "260.00"),
        ],
    ),
    (
        "ZK-1600",
        "真空烧结炉",
        "恒瑞",
        "电炉",
        True,
        [
            ("BODY", "炉体", 60, None, "38000.00"),
            ("PUMP", "真空泵组", 12, "S004", "12500.00"),
            ("CTRL", "PLC控制系统", 36, None, "9600.00"),
            ("HEAT", "钼加热带", 12, "S001", "5200.00"),
        ],
    ),
    (
        "TGA-800",
        "热重分析仪",
        "恒瑞科学仪器",
        "实验室仪器",
        True,
        [
            ("MAIN", "主机", 36, None, "28000.00"),
            ("BAL", "微量天平模块", 24, "S003", "15800.00"),
            ("SW", "分析软件", 12, None, "0.00"),
        ],
    ),
    (
        "DSC-500",
        "差示扫描量热仪",
        "恒瑞科学仪器",
        "实验室仪器",
        False,
        [
            ("MAIN", "主机", 36, None, "22000.00"),
            ("SENS", "热流传感器", 24, "S003", "6400.00"),
        ],
    ),
]


def seed(stdout=None, password: str | None = None) -> None:
    """Create or refresh the demo data; running it twice changes nothing."""
    password = password or os.environ.get("DEMO_PASSWORD") or "demo12345"
    users = _users(password)
    for code, name, kind in DEPARTMENTS:
        Department.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    suppliers: dict[str, Supplier] = {}
    for code, name, supplier_contact, phone in SUPPLIERS:
        suppliers[code], _c = Supplier.objects.update_or_create(
            code=code, defaults={"name": name, "contact_name": supplier_contact, "phone": phone}
        )
    for (city, province), neighbours in OFFICES.items():
        office, _c = OfficeCity.objects.get_or_create(name=city, defaults={"province": province})
        for n_city, n_province in neighbours:
            NeighbouringCity.objects.get_or_create(office=office, name=n_city, defaults={"province": n_province})
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
    models_ = {}
    for code, name, brand, category, install, components in PRODUCTS:
        pm, _c = ProductModel.objects.update_or_create(
            code=code, defaults={"name": name, "brand": brand, "category": category, "needs_installation": install}
        )
        for ccode, cname, months, supplier, cost in components:
            Component.objects.update_or_create(
                product_model=pm,
                code=ccode,
                defaults={
                    "name": cname,
                    "warranty_months": months,
                    "is_bought_in": bool(supplier),
                    "supplier": suppliers.get(supplier),
                    "unit_cost": Decimal(cost),
                },
            )
        models_[code] = pm
    _units(customers, models_)
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


def _units(customers, models_) -> None:
    """Units in the installed base (in and out of warranty) and units still in stock."""
    today = date(2026, 11, 1)
    plan: list[tuple[str, str, int | None, int | None]] = [
        # serial, model, customer index or None (stock), months since acceptance or None
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
    for year_seq in range(1, 7):
        plan.append((f"XD1200-2026-{200 + year_seq:04d}", "XD-1200", None, None))
        plan.append((f"TGA800-2026-{300 + year_seq:04d}", "TGA-800", None, None))
    for serial, model_code, customer_index, months in plan:
        defaults = {"product_model": models_[model_code]}
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
