import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales import events
from shipping.models import Payment, Shipment
from tests.aftersales.factories import CustomerFactory, ProductModelFactory, SiteFactory
from tests.shipping.factories import PaymentFactory, make_shipment, stock_units

pytestmark = pytest.mark.django_db
S = Shipment.Status
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _no_subscribers(monkeypatch):
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))


def detail(shipment):
    return reverse("shipping:shipment-detail", args=[shipment.pk])


# --- list --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "as_manager", "sales", "finance", "warehouse", "logistics"])
def test_list_open_to_shipping_roles(client_for, role):
    assert client_for(role).get(reverse("shipping:shipment-list")).status_code == 200


@pytest.mark.parametrize("role", ["technician", "qc", "purchasing"])
def test_list_and_detail_refused_to_other_roles(client_for, users, role):
    shipment = make_shipment(users)
    assert client_for(role).get(reverse("shipping:shipment-list")).status_code == 403
    assert client_for(role).get(detail(shipment)).status_code == 403


def test_list_requires_login(client):
    response = client.get(reverse("shipping:shipment-list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_flags_overdue_and_filters(client_for, users):
    late = make_shipment(users, S.IN_TRANSIT, expected_arrival=TODAY() - timedelta(days=2))
    fresh = make_shipment(users)
    c = client_for("clerk")
    html = c.get(reverse("shipping:shipment-list")).content.decode()
    assert late.number in html and fresh.number in html
    assert html.count('class="flag-overdue"') == 1
    html = c.get(reverse("shipping:shipment-list"), {"overdue": "on"}).content.decode()
    assert late.number in html and fresh.number not in html
    html = c.get(reverse("shipping:shipment-list"), {"status": "requested"}).content.decode()
    assert fresh.number in html and late.number not in html
    html = c.get(reverse("shipping:shipment-list"), {"customer": fresh.customer.code}).content.decode()
    assert fresh.number in html and late.number not in html
    html = c.get(reverse("shipping:shipment-list"), {"customer": fresh.customer.name[-8:]}).content.decode()
    assert fresh.number in html and late.number not in html
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    html = c.get(reverse("shipping:shipment-list"), {"created_from": tomorrow}).content.decode()
    assert fresh.number not in html
    html = c.get(reverse("shipping:shipment-list"), {"created_to": TODAY().isoformat()}).content.decode()
    assert fresh.number in html
    yesterday = (TODAY() - timedelta(days=1)).isoformat()
    html = c.get(reverse("shipping:shipment-list"), {"created_to": yesterday}).content.decode()
    assert fresh.number not in html


def test_list_keyset_pages_with_constant_queries(client_for, users, django_assert_max_num_queries):
    payment = PaymentFactory()
    pm = ProductModelFactory()
    for _ in range(55):
        make_shipment(users, payment=payment, lines=[(pm, 1)])
    c = client_for("clerk")
    c.get(reverse("shipping:shipment-list"))  # warm the session and content types
    with django_assert_max_num_queries(8):
        response = c.get(reverse("shipping:shipment-list"))
    page = response.context["page"]
    assert len(page.items) == 50 and page.has_next
    second = c.get(reverse("shipping:shipment-list"), {"after": page.next_cursor}).context["page"]
    assert len(second.items) == 5 and not second.has_next
    assert not {s.pk for s in page.items} & {s.pk for s in second.items}


# --- payments and filing -------------------------------------------------------------


def test_finance_records_and_confirms_payment_in_the_ui(client_for):
    customer = CustomerFactory()
    c = client_for("finance")
    response = c.post(
        reverse("shipping:payment-list"),
        {"customer": customer.pk, "amount": "88000", "received_on": TODAY().isoformat(), "form_token": "x"},
    )
    assert response.status_code == 302
    payment = Payment.objects.get(customer=customer)
    assert payment.status == Payment.Status.RECORDED
    assert client_for("sales").post(reverse("shipping:payment-confirm", args=[payment.pk])).status_code == 403
    response = c.post(reverse("shipping:payment-confirm", args=[payment.pk]), {"expected_state": "recorded"})
    assert response.status_code == 302
    payment = type(payment).objects.get(pk=payment.pk)
    assert payment.status == Payment.Status.CONFIRMED
    # A second click on the stale page: a clear 409, never a 500.
    assert (
        c.post(reverse("shipping:payment-confirm", args=[payment.pk]), {"expected_state": "recorded"}).status_code
        == 409
    )


def test_sales_may_not_record_payments(client_for):
    response = client_for("sales").post(reverse("shipping:payment-list"), {"customer": CustomerFactory().pk})
    assert response.status_code == 403


def _request_data(payment, site, pm, token="3f2b1c4e-1111-4a2b-9c3d-000000000001"):
    return {
        "form_token": token,
        "payment": payment.pk,
        "site": site.pk,
        "requested_ship_date": TODAY().isoformat(),
        "contact_name": "黄建华",
        "contact_phone": "13807331001",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product_model": pm.pk,
        "lines-0-quantity": "2",
    }


def test_sales_files_a_request_once_even_on_double_submit(client_for):
    payment = PaymentFactory()
    site = SiteFactory(customer=payment.customer)
    pm = ProductModelFactory()
    c = client_for("sales")
    assert c.get(reverse("shipping:shipment-create"), {"payment": payment.pk}).status_code == 200
    first = c.post(reverse("shipping:shipment-create"), _request_data(payment, site, pm))
    second = c.post(reverse("shipping:shipment-create"), _request_data(payment, site, pm))
    shipment = Shipment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail(shipment)
    assert shipment.lines.get().quantity == 2


def test_request_form_refuses_unconfirmed_payment(client_for):
    payment = PaymentFactory(status=Payment.Status.RECORDED)
    site = SiteFactory(customer=payment.customer)
    response = client_for("sales").post(
        reverse("shipping:shipment-create"), _request_data(payment, site, ProductModelFactory(), token="")
    )
    assert response.status_code == 400
    assert not Shipment.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "finance", "warehouse"])
def test_only_sales_opens_the_request_form(client_for, role):
    assert client_for(role).get(reverse("shipping:shipment-create")).status_code == 403


# --- detail and its actions ------------------------------------------------------------


def step_url(shipment, step):
    return reverse("shipping:shipment-step", args=[shipment.pk, step])


def prefixed(step, data):
    """The step's form fields carry its name as prefix; the page state does not."""
    return {(k if k == "expected_state" else f"{step}-{k}"): v for k, v in data.items()}


def test_detail_shows_the_actions_of_the_role(client_for, users):
    shipment = make_shipment(users)
    html = client_for("finance").get(detail(shipment)).content.decode()
    assert 'id="action-issue_delivery_note"' in html and shipment.number in html
    html = client_for("clerk").get(detail(shipment)).content.decode()
    assert 'id="action-issue_delivery_note"' not in html
    assert "timeline" in html


def test_transition_by_wrong_role_is_403_and_stale_is_409(client_for, users):
    shipment = make_shipment(users)
    url = step_url(shipment, "issue_delivery_note")
    data = {"expected_state": "requested"}
    assert client_for("clerk").post(url, data).status_code == 403
    assert client_for("finance").post(url, data).status_code == 302
    response = client_for("finance").post(url, data)
    assert response.status_code == 409
    assert "Someone else changed this record first" in response.content.decode()
    assert client_for("finance").post(step_url(shipment, "delete"), data).status_code == 404


def test_get_on_a_post_only_action_is_405(client_for, users):
    shipment = make_shipment(users)
    assert client_for("finance").get(step_url(shipment, "issue_delivery_note")).status_code == 405


def test_dispatch_page_mismatch_shows_the_differences(client_for, users):
    pm = ProductModelFactory(code="XD-1200")
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 2)])
    unit = stock_units(pm, 1)[0]
    url = reverse("shipping:shipment-dispatch", args=[shipment.pk])
    c = client_for("warehouse")
    assert c.get(url).status_code == 200
    response = c.post(
        url, {"serials": unit.serial_number, "ship_date": TODAY().isoformat(), "expected_state": "copies_received"}
    )
    assert response.status_code == 400
    assert "XD-1200: requested 2, entered 1." in response.content.decode()
    assert client_for("logistics").get(url).status_code == 403


def test_dispatch_page_records_the_units(client_for, users):
    pm = ProductModelFactory()
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 2)])
    units = stock_units(pm, 2)
    response = client_for("clerk").post(
        reverse("shipping:shipment-dispatch", args=[shipment.pk]),
        {
            "serials": "\n".join(u.serial_number for u in units),
            "ship_date": TODAY().isoformat(),
            "expected_state": "copies_received",
        },
    )
    assert response.status_code == 302
    html = client_for("clerk").get(detail(shipment)).content.decode()
    for unit in units:
        assert unit.serial_number in html
    assert html.count(shipment.customer.name) >= 3  # header facts + one per unit row


def test_serial_check_endpoint(client_for, users):
    pm = ProductModelFactory(code="XD-1200")
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    unit = stock_units(pm, 1)[0]
    url = reverse("shipping:shipment-serial-check", args=[shipment.pk])
    data = json.loads(client_for("warehouse").post(url, {"serials": f"{unit.serial_number}\nNOPE-1"}).content)
    assert [i["ok"] for i in data["items"]] == [True, False]
    assert data["items"][0]["kind"] == "stock" and not data["ok"]
    data = json.loads(client_for("warehouse").post(url, {"serials": unit.serial_number}).content)
    assert data["ok"] and data["differences"] == []
    assert client_for("sales").post(url, {"serials": "x"}).status_code == 403


def test_waybill_arrival_receipt_through_the_page(client_for, users):
    shipment = make_shipment(users, S.DISPATCHED)
    url = step_url(shipment, "waybill")
    data = {"carrier": "顺丰", "waybill_number": "SF123", "expected_arrival": TODAY().isoformat()}
    data = prefixed("waybill", {**data, "expected_state": "dispatched"})
    assert client_for("clerk").post(url, data).status_code == 403
    assert client_for("logistics").post(url, data).status_code == 302
    bad = client_for("clerk").post(step_url(shipment, "arrival"), {"arrival-arrived_on": ""})
    assert bad.status_code == 400
    ok = client_for("clerk").post(
        step_url(shipment, "arrival"),
        prefixed("arrival", {"arrived_on": TODAY().isoformat(), "expected_state": "in_transit"}),
    )
    assert ok.status_code == 302
    ok = client_for("clerk").post(
        step_url(shipment, "receipt"),
        prefixed(
            "receipt",
            {
                "confirmed_by": "黄建华",
                "method": "phone",
                "confirmed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "expected_state": "arrived",
            },
        ),
    )
    assert ok.status_code == 302
    shipment = type(shipment).objects.get(pk=shipment.pk)
    assert shipment.status == S.RECEIVED and shipment.installation_pending
    html = client_for("as_manager").get(detail(shipment)).content.decode()
    assert "pending-installation" in html and "黄建华" in html


def test_tracking_missing_parts_and_cancel_pages(client_for, users):
    shipment = make_shipment(users, S.ARRIVED)
    c = client_for("clerk")
    r = c.post(step_url(shipment, "tracking"), prefixed("tracking", {"noted_on": TODAY(), "text": "已到货"}))
    assert r.status_code == 302
    r = c.post(step_url(shipment, "missing"), {"missing-description": "缺热电偶"})
    assert r.status_code == 302 and shipment.missing_parts.count() == 1
    r = client_for("logistics").post(step_url(shipment, "missing"), {"missing-description": "x"})
    assert r.status_code == 403
    # Too late to cancel: the goods have left.
    r = client_for("sales").post(step_url(shipment, "cancel"), {"cancel-reason": "x", "expected_state": "arrived"})
    assert r.status_code == 409
    fresh = make_shipment(users)
    r = client_for("sales").post(
        step_url(fresh, "cancel"), {"cancel-reason": "客户推迟", "expected_state": "requested"}
    )
    assert r.status_code == 302
    fresh = type(fresh).objects.get(pk=fresh.pk)
    assert fresh.status == S.CANCELLED


def test_pdf_views(client_for, users):
    shipment = make_shipment(users)
    c = client_for("sales")
    response = c.get(reverse("shipping:shipment-request-pdf", args=[shipment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # No delivery note yet: back to the page with a message.
    assert c.get(reverse("shipping:shipment-delivery-note-pdf", args=[shipment.pk])).status_code == 302
    issued = make_shipment(users, S.NOTE_ISSUED)
    response = c.get(reverse("shipping:shipment-delivery-note-pdf", args=[issued.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- 待办 ---------------------------------------------------------------------------


def test_todo_page_flags_overdue_for_after_sales(client_for, users, django_assert_max_num_queries):
    late = make_shipment(users, S.IN_TRANSIT, expected_arrival=TODAY() - timedelta(days=3))
    c = client_for("clerk")
    c.get(reverse("aftersales:todo"))
    # The page gathers every app's sections; the count stays bounded whatever the data.
    with django_assert_max_num_queries(30):
        html = c.get(reverse("aftersales:todo")).content.decode()
    assert late.number in html and "overdue" in html
    assert late.number not in client_for("warehouse").get(reverse("aftersales:todo")).content.decode()


def test_todo_for_finance_and_logistics(client_for, users):
    requested = make_shipment(users)
    dispatched = make_shipment(users, S.DISPATCHED)
    assert requested.number in client_for("finance").get(reverse("aftersales:todo")).content.decode()
    assert dispatched.number in client_for("logistics").get(reverse("aftersales:todo")).content.decode()
