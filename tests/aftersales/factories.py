import factory
from django.utils import timezone

from aftersales.models import Component, Contact, Customer, ProductModel, Site, Supplier, Unit


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"供应商{n}有限公司")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    province = "湖南省"
    city = "株洲"
    address = "天元区黄河南路88号"
    phone = factory.Sequence(lambda n: f"0731-{n:08d}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    is_primary = True


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"{n}号车间")
    province = factory.SelfAttribute("customer.province")
    city = factory.SelfAttribute("customer.city")
    address = "工业园区1号"


class ProductModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModel

    code = factory.Sequence(lambda n: f"XD-{1000 + n}")
    name = "箱式电阻炉"
    brand = "恒瑞"
    category = "电炉"
    needs_installation = True


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    product_model = factory.SubFactory(ProductModelFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"部件{n}")
    warranty_months = 12


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit in the installed base, accepted a year ago unless told otherwise."""

    class Meta:
        model = Unit

    serial_number = factory.Sequence(lambda n: f"SN-{n:06d}")
    product_model = factory.SubFactory(ProductModelFactory)
    customer = factory.SubFactory(CustomerFactory)
    site = factory.SubFactory(SiteFactory, customer=factory.SelfAttribute("..customer"))
    production_date = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year - 1))
    ship_date = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year - 1))
    acceptance_date = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year - 1))
