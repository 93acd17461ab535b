"""承诺 四: out of warranty only the parts at cost, no labour — the fee quote is built from parts."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from aftersales.servicedesk import services
from aftersales.servicedesk.models import FeeQuote, ServiceCase
from aftersales.servicedesk.pdf import render_acceptance_report
from aftersales.workflow import RuleViolation
from tests.aftersales.factories import ComponentFactory, UnitFactory
from tests.aftersales.test_pdf import pdf_text, squash
from tests.servicedesk.factories import case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_case(users):
    """A unit out of warranty: heater ¥300.50 and controller ¥1200 at cost."""
    unit = UnitFactory(acceptance_date=date(2019, 1, 1))
    heat = ComponentFactory(
        product_model=unit.product_model, code="HEAT", name="加热元件", warranty_months=12, unit_cost=Decimal("300.50")
    )
    ctrl = ComponentFactory(
        product_model=unit.product_model, code="CTRL", name="温控仪表", warranty_months=12, unit_cost=Decimal("1200")
    )
    case = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="加热元件坏", component=heat)
    return {"case": ServiceCase.objects.get(pk=case.pk), "heat": heat, "ctrl": ctrl}


def test_it_builds_the_quote_from_parts_at_cost_with_no_labour(users, paid_case):
    case, heat, ctrl = paid_case["case"], paid_case["heat"], paid_case["ctrl"]
    quote = services.case_quote_fee(pk=case.pk, by=users["techdept"], parts=[(heat, 2), (ctrl, 1)], told_to="刘主任")
    lines = [(line.component, line.quantity, line.unit_cost, line.amount) for line in quote.lines.all()]
    assert lines == [
        (heat, 2, Decimal("300.50"), Decimal("601.00")),
        (ctrl, 1, Decimal("1200.00"), Decimal("1200.00")),
    ]
    assert quote.parts_total == quote.amount == Decimal("1801.00")
    assert quote.difference_reason == ""
    # The cost price is the one on the day of the quote.
    ctrl.unit_cost = Decimal("1500")
    ctrl.save()
    assert FeeQuote.objects.get(pk=quote.pk).lines.get(component=ctrl).unit_cost == Decimal("1200.00")


def test_a_different_fee_needs_a_reason_which_is_recorded(users, paid_case):
    case, heat = paid_case["case"], paid_case["heat"]
    with pytest.raises(RuleViolation) as exc:
        services.case_quote_fee(pk=case.pk, by=users["techdept"], parts=[(heat, 1)], amount=Decimal("500"), told_to="x")
    assert "300.50" in exc.value.message
    assert not FeeQuote.objects.exists()
    quote = services.case_quote_fee(
        pk=case.pk,
        by=users["techdept"],
        parts=[(heat, 1)],
        amount=Decimal("500"),
        difference_reason="合同约定收取运费",
        told_to="刘主任",
    )
    assert (quote.amount, quote.parts_total, quote.difference_reason) == (
        Decimal("500"),
        Decimal("300.50"),
        "合同约定收取运费",
    )
    assert "合同约定收取运费" in quote.history.first().history_change_reason


def test_a_part_of_another_model_is_refused(users, paid_case):
    other = ComponentFactory(unit_cost=Decimal("1"))
    with pytest.raises(RuleViolation):
        services.case_quote_fee(pk=paid_case["case"].pk, by=users["techdept"], parts=[(other, 1)], told_to="x")


def test_the_case_page_quotes_from_parts_shows_the_lines_and_prints_them(users, paid_case, client_for):
    case, heat, ctrl = paid_case["case"], paid_case["heat"], paid_case["ctrl"]
    techdept = client_for("techdept")
    page = techdept.get(case.get_absolute_url()).content.decode()
    assert 'name="quote-fee-part_1"' in page and "温控仪表 · ¥1200.00" in page
    url = reverse("servicedesk:case-step", kwargs={"pk": case.pk, "step": "quote-fee"})
    data = {
        "quote-fee-part_1": heat.pk,
        "quote-fee-quantity_1": 2,
        "quote-fee-part_2": ctrl.pk,
        "quote-fee-quantity_2": 1,
        "quote-fee-told_to": "刘主任",
        "expected_state": "techdept",
    }
    response = techdept.post(url, {**data, "quote-fee-amount": "100"})
    assert response.status_code == 400 and not FeeQuote.objects.exists()
    assert "¥1801.00" in response.content.decode()  # the refusal names the parts at cost
    assert techdept.post(url, data).status_code == 302
    quote = FeeQuote.objects.get(case=case)
    assert quote.amount == Decimal("1801.00") and quote.lines.count() == 2
    page = techdept.get(case.get_absolute_url()).content.decode()
    assert f'id="fee-lines-{quote.pk}"' in page and "¥601.00" in page and "¥1801.00" in page
    text = squash(pdf_text(render_acceptance_report(ServiceCase.objects.get(pk=case.pk))))
    for label in ("零配件成本", "加热元件", "温控仪表", "601.00", "1801.00", "人工技术和服务费", "不收取", "刘主任"):
        assert label in text
