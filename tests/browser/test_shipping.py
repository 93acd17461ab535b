"""The whole 发货 chain in a real Chromium at tablet size, each step by its demo user."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.models import Unit
from shipping.models import Shipment
from tests.aftersales.factories import ContactFactory, CustomerFactory, ProductModelFactory, SiteFactory
from tests.browser.conftest import has_horizontal_scroll
from tests.shipping.factories import stock_units

pytestmark = pytest.mark.browser


def as_user(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def test_whole_shipping_chain(tablet, login, live_server, users):
    page = tablet
    customer = CustomerFactory(name="湘江冶金材料有限公司")
    contact = ContactFactory(customer=customer, name="黄建华", mobile="13807331001")
    site = SiteFactory(customer=customer, name="一号车间", contact=contact)
    xd = ProductModelFactory(code="XD-1200", name="箱式电阻炉", needs_installation=True)
    units = stock_units(xd, 2, prefix="XD1200-2026")
    today = timezone.localdate()

    # Finance records the payment received and confirms it at once.
    as_user(page, login, "finance")
    page.goto(f"{live_server.url}/shipping/payments/")
    page.click("details.card summary")
    page.select_option("#id_customer", str(customer.pk))
    page.fill("#id_amount", "256000")
    page.check("#id_confirm")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("table.payments tr[data-payment] >> text=256000")
    assert not has_horizontal_scroll(page)

    # The sales manager files the 发货申请单 from the confirmed payment.
    as_user(page, login, "sales")
    page.goto(f"{live_server.url}/shipping/payments/")
    page.click("table.payments a.button.primary")
    assert page.input_value("#id_site") == str(site.pk)
    assert page.input_value("#id_contact_name") == "黄建华"
    page.fill("#id_requested_ship_date", today.isoformat())
    page.select_option("#id_lines-0-product_model", str(xd.pk))
    page.fill("#id_lines-0-quantity", "2")
    assert not has_horizontal_scroll(page)
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#status")
    shipment = Shipment.objects.get()
    detail = f"{live_server.url}{shipment.get_absolute_url()}"
    assert page.url == detail

    # Finance issues the 发货单.
    as_user(page, login, "finance")
    page.goto(detail)
    page.click("#issue_delivery_note-form button[type=submit]")
    page.wait_for_selector("a[href$='delivery-note.pdf']")

    # After-sales receives the two copies.
    as_user(page, login, "clerk")
    page.goto(detail)
    page.click("#receive_copies-form button[type=submit]")
    page.wait_for_selector("a[href$='/dispatch/']")

    # The warehouse scans the serials: each is checked as typed, then the units leave.
    as_user(page, login, "warehouse")
    page.goto(f"{detail}dispatch/")
    page.fill("#id_serials", units[0].serial_number)
    page.wait_for_selector("#serial-results li.serial-ok")
    page.wait_for_selector("#serial-summary.warning")  # one of two so far
    page.fill("#id_serials", f"{units[0].serial_number}\n{units[1].serial_number}\n")
    page.wait_for_selector("#serial-summary.success")
    assert page.locator("#serial-results li.serial-ok").count() == 2
    assert not has_horizontal_scroll(page)
    page.click("#dispatch-form button[type=submit]")
    page.wait_for_selector("table.units")

    # Logistics hands back the waybill.
    as_user(page, login, "logistics")
    page.goto(detail)
    page.fill("#id_waybill-carrier", "德邦物流")
    page.fill("#id_waybill-waybill_number", "DB8812345670")
    page.fill("#id_waybill-expected_arrival", (today + timedelta(days=3)).isoformat())
    page.click("#waybill-form button[type=submit]")
    page.wait_for_selector("text=DB8812345670")

    # After-sales tracks the goods, records arrival and the customer's receipt.
    as_user(page, login, "clerk")
    page.goto(detail)
    page.fill("#id_tracking-text", "德邦查询：已到株洲转运中心")
    page.click("#tracking-form button[type=submit]")
    page.wait_for_selector("ol.tracking >> text=株洲转运中心")
    page.click("#action-arrival summary")
    page.fill("#id_arrival-arrived_on", today.isoformat())
    page.click("#arrival-form button[type=submit]")
    page.wait_for_selector("#action-receipt")
    page.click("#action-receipt summary")
    page.fill("#id_receipt-confirmed_by", "黄建华")
    page.select_option("#id_receipt-method", "phone")
    page.click("#receipt-form button[type=submit]")
    page.wait_for_selector("#receipt")
    # Field service opens the installation job on receipt; the shipment links to it
    # (without that app, the shipment would show 待安装 instead).
    assert page.locator(".links").count() == 1
    assert page.locator(".pending-installation").count() == 0
    assert not has_horizontal_scroll(page)

    shipment = Shipment.objects.get()
    assert shipment.status == Shipment.Status.RECEIVED
    from aftersales.links import linked_of_type
    from fieldservice.models import ServiceJob

    assert [job.kind for job in linked_of_type(shipment, ServiceJob)] == [ServiceJob.Kind.INSTALLATION]
    assert shipment.receipt_confirmed_by == "黄建华"
    for unit in units:
        row = page.locator(f"tr[data-serial='{unit.serial_number}']")
        assert row.locator(".unit-customer").inner_text() == customer.name
        assert row.locator(".ship-date").inner_text() == today.isoformat()
        unit = Unit.objects.get(pk=unit.pk)
        assert (unit.customer, unit.site, unit.ship_date) == (customer, site, today)

    # The list, wide and narrow.
    page.goto(f"{live_server.url}/shipping/")
    page.wait_for_selector(f"text={shipment.number}")
    assert not has_horizontal_scroll(page)
    page.set_viewport_size({"width": 1024, "height": 768})
    assert not has_horizontal_scroll(page)
