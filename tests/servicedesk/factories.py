import factory

from aftersales.models import DefectCode
from aftersales.servicedesk import services
from aftersales.servicedesk.models import ServiceCase
from tests.aftersales.factories import ComponentFactory, UnitFactory


class DefectCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DefectCode

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"缺陷{n}")


def record_case(by, unit=None, **kwargs) -> ServiceCase:
    """A case recorded through the service, for a unit in warranty unless given."""
    if unit is None:
        unit = UnitFactory()
        ComponentFactory(product_model=unit.product_model, warranty_months=36)
    kwargs.setdefault("fault_description", "炉温升不上去")
    return services.case_record(by=by, customer=unit.customer, unit=unit, **kwargs)


def case_in(state: str, users, **kwargs) -> ServiceCase:
    """A case moved through the services to `state` (recorded, techdept, in_progress, resolved, revisited, closed)."""
    case = record_case(users["clerk"], **kwargs)
    if state == "recorded":
        return case
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    if state == "techdept":
        return ServiceCase.objects.get(pk=case.pk)
    services.case_decide(pk=case.pk, by=users["techdept"], decision="remote")
    if state == "in_progress":
        return ServiceCase.objects.get(pk=case.pk)
    services.case_resolve(pk=case.pk, by=users["techdept"], text="电话指导更换保险丝")
    if state == "resolved":
        return ServiceCase.objects.get(pk=case.pk)
    services.case_revisit(pk=case.pk, by=users["clerk"], spoke_with="张工", satisfaction="good")
    if state == "revisited":
        return ServiceCase.objects.get(pk=case.pk)
    services.case_close(pk=case.pk, by=users["clerk"])
    return ServiceCase.objects.get(pk=case.pk)
