"""Who does what in the 发货流程 (seed section 二).

Recording the units shipped is after-sales' step in the seed (售后部 … 记录产品相关信息);
the warehouse, which picks the units, may enter the serials too.
"""

VIEW = ["shipping.view_shipment", "shipping.view_payment"]

PERMISSIONS = {
    "finance": [
        *VIEW,
        "shipping.add_payment",
        "shipping.confirm_payment",
        "shipping.issuenote_shipment",
        "shipping.cancel_shipment",
    ],
    "sales": [*VIEW, "shipping.add_shipment", "shipping.cancel_shipment"],
    "clerk": [
        *VIEW,
        "shipping.receivenote_shipment",
        "shipping.dispatch_shipment",
        "shipping.track_shipment",
        "shipping.confirmreceipt_shipment",
        "shipping.reportmissingparts_shipment",
    ],
    "warehouse": [*VIEW, "shipping.dispatch_shipment", "shipping.ackwarehousecopy_shipment"],
    "logistics": [*VIEW, "shipping.returnwaybill_shipment", "shipping.acklogisticscopy_shipment"],
    "as_manager": [*VIEW, "shipping.cancel_shipment"],
    "gm": VIEW,
}
