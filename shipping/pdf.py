"""The 发货申请单 and the 发货单 as A4 PDFs (always Chinese, like the paper forms)."""

from django.utils import timezone

from aftersales.pdf import absolute_url, render_pdf
from shipping.models import Shipment

BLANK_ROWS = range(6)


def _context(shipment: Shipment | None, **extra) -> dict:
    if shipment is None:
        # The paper fallback: the same form with empty cells to fill by hand.
        return {"shipment": None, "lines": [], "shipped": [], "blank_rows": BLANK_ROWS, **extra}
    return {
        "shipment": shipment,
        "lines": list(shipment.lines.all()),
        "shipped": list(shipment.shipped_units.select_related("unit__product_model")),
        "printed_at": timezone.localtime(),
        "record_url": absolute_url(shipment.get_absolute_url()),
        **extra,
    }


def render_request_pdf(shipment: Shipment | None) -> bytes:
    """发货申请单: what the sales manager asked for, against which payment (None: blank form)."""
    return render_pdf(
        "shipping/print/request.html",
        _context(shipment, form_title="发货申请单", form_code="YD/FH-01", number=shipment.number if shipment else ""),
    )


def render_delivery_note_pdf(shipment: Shipment | None) -> bytes:
    """发货单: finance's note, with the units and serials once they are recorded (None: blank form)."""
    return render_pdf(
        "shipping/print/delivery_note.html",
        _context(
            shipment,
            form_title="发货单",
            form_code="YD/FD-01",
            number=shipment.delivery_note_number if shipment else "",
            copy_label="一式两份：物流 / 库房",
        ),
    )
