"""售后服务承诺 3: 如在24小时内不能解决问题，免费同样的品牌、规格或更高的部件更换到位 — an in-warranty
case still being handled 24 h after the technician's arrival on site is flagged for part replacement."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from aftersales.servicedesk import selectors, services, todo
from aftersales.servicedesk.models import ServiceCase
from tests.aftersales.factories import ComponentFactory, UnitFactory
from tests.servicedesk.factories import case_in

pytestmark = pytest.mark.django_db


def on_site_case(users, *, hours_ago: float, unit=None) -> ServiceCase:
    case = case_in("techdept", users, unit=unit)
    component = case.unit.product_model.components.first()
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="不加热", component=component)
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    arrived = timezone.now() - timedelta(hours=hours_ago)
    services.cases_record_arrival([case], arrived_at=arrived, by=users["tech1"])
    return ServiceCase.objects.get(pk=case.pk)


def test_it_flags_an_in_warranty_case_unresolved_24_hours_after_arrival(users):
    late = on_site_case(users, hours_ago=25)
    recent = on_site_case(users, hours_ago=23)
    assert late.in_warranty and late.visit == ServiceCase.Visit.ON_SITE
    assert list(selectors.part_replacement_due()) == [late]
    assert selectors.case_part_replacement_due(late) and not selectors.case_part_replacement_due(recent)
    # An hour later the second one is due too.
    assert list(selectors.part_replacement_due(timezone.now() + timedelta(hours=1.5))) == [late, recent]
    services.case_resolve(pk=late.pk, by=users["techdept"], text="更换温控仪表")
    assert list(selectors.part_replacement_due()) == []


def test_it_leaves_out_of_warranty_cases_alone(users):
    unit = UnitFactory(acceptance_date=date(2019, 1, 1))
    ComponentFactory(product_model=unit.product_model, warranty_months=12)
    case = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="x", component=unit.product_model.components.get())
    services.case_quote_fee(pk=case.pk, by=users["techdept"], told_to="王")
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    services.cases_record_arrival([case], arrived_at=timezone.now() - timedelta(hours=30), by=users["tech1"])
    assert ServiceCase.objects.get(pk=case.pk).in_warranty is False
    assert not selectors.part_replacement_due().exists()


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's plan names the index on any data; PostgreSQL's depends on the table's size (bench scripts)",
)
def test_the_query_reads_the_status_and_arrival_index():
    sql, params = selectors.part_replacement_due().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "SEARCH servicedesk_servicecase USING INDEX case_status_arrived_idx" in plan


def test_the_manager_sees_it_on_the_case_page_and_in_the_todo(users, client_for):
    late = on_site_case(users, hours_ago=26)
    titles = {str(s.title): s for s in todo.sections(users["as_manager"])}
    [section] = [s for title, s in titles.items() if "24" in title]
    assert [item.url for item in section.items] == [late.get_absolute_url()]
    assert section.flag == "overdue"
    assert not [s for s in todo.sections(users["clerk"]) if "24" in str(s.title)]
    page = client_for("as_manager").get(late.get_absolute_url()).content.decode()
    assert 'id="part-replacement-flag"' in page
    on_time = on_site_case(users, hours_ago=1)
    assert 'id="part-replacement-flag"' not in client_for("as_manager").get(on_time.get_absolute_url()).content.decode()
