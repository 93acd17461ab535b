import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from shipping.models import Shipment
from shipping.pdf import render_delivery_note_pdf, render_request_pdf
from tests.aftersales.factories import ProductModelFactory
from tests.shipping.factories import make_shipment

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                names.add(str(descendant.get_object()["/BaseFont"]))
    return names


def test_request_pdf_has_chinese_text_and_embedded_cjk_font(users):
    shipment = make_shipment(users, lines=[(ProductModelFactory(code="XD-1200", name="箱式电阻炉"), 2)])
    pdf = render_request_pdf(shipment)
    text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    for expected in ("发货申请单", shipment.number, shipment.customer.name, "箱式电阻炉", "XD-1200", "黄建华"):
        assert expected in text
    assert any("CJK" in name for name in _fonts(pdf))


def test_delivery_note_pdf_lists_units_and_serials(users):
    shipment = make_shipment(
        users, Shipment.Status.IN_TRANSIT, lines=[(ProductModelFactory(code="TGA-800", name="热重分析仪"), 2)]
    )
    pdf = render_delivery_note_pdf(shipment)
    text = _text(pdf)
    assert "发货单" in text and shipment.delivery_note_number in text and shipment.number in text
    for unit in shipment.units:
        assert unit.serial_number in text
    assert "热重分析仪" in text and shipment.waybill_number in text
    assert any("CJK" in name for name in _fonts(pdf))


@pytest.mark.parametrize("form,title", [("request", "发货申请单"), ("delivery-note", "发货单")])
def test_blank_paper_forms(client_for, form, title):
    from django.urls import reverse

    response = client_for("clerk").get(reverse("shipping:blank-form-pdf", args=[form]))
    assert response.status_code == 200
    text = _text(response.content)
    assert title in text and "产品编号" in text and "客户单位" in text
    assert any("CJK" in name for name in _fonts(response.content))
    assert client_for("technician").get(reverse("shipping:blank-form-pdf", args=[form])).status_code == 403
