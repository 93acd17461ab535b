from datetime import date

import pytest

from aftersales.models import NeighbouringCity, OfficeCity, WarrantyStatus, add_months, is_in_office_area
from tests.aftersales.factories import ComponentFactory, ProductModelFactory, UnitFactory


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 28), 36) == date(2029, 11, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@pytest.mark.django_db
def test_warranty_is_per_component_from_acceptance():
    model = ProductModelFactory()
    heater = ComponentFactory(product_model=model, name="加热元件", warranty_months=12)
    shell = ComponentFactory(product_model=model, name="炉壳", warranty_months=240)
    unit = UnitFactory(product_model=model, acceptance_date=date(2024, 6, 1))
    by_name = {w.component.name: w for w in unit.component_warranties(on=date(2026, 11, 28))}
    assert by_name["加热元件"].ends == date(2025, 6, 1)
    assert by_name["加热元件"].status == WarrantyStatus.EXPIRED
    assert by_name["炉壳"].ends == date(2044, 6, 1)
    assert by_name["炉壳"].status == WarrantyStatus.IN_WARRANTY
    assert not unit.is_in_warranty(heater, on=date(2026, 11, 28))
    assert unit.is_in_warranty(shell, on=date(2026, 11, 28))
    assert unit.is_in_warranty(heater, on=date(2025, 5, 31))


@pytest.mark.django_db
def test_warranty_does_not_start_before_acceptance():
    unit = UnitFactory(acceptance_date=None)
    ComponentFactory(product_model=unit.product_model)
    assert [w.status for w in unit.component_warranties()] == [WarrantyStatus.NOT_STARTED]
    assert not unit.is_in_warranty()


@pytest.mark.django_db
def test_office_area_includes_neighbouring_cities():
    office = OfficeCity.objects.create(name="长沙", province="湖南省")
    NeighbouringCity.objects.create(office=office, name="株洲", province="湖南省")
    assert is_in_office_area("长沙") and is_in_office_area("株洲")
    assert not is_in_office_area("成都") and not is_in_office_area("")
