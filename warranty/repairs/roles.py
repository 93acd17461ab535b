"""Who does what in factory repair, replacement and return (merged into the role groups after migrate)."""

VIEW = ["repairs.view_factoryrepair", "repairs.view_replacement", "repairs.view_productreturn"]

PERMISSIONS = {
    "clerk": VIEW
    + [
        "repairs.add_factoryrepair",
        "repairs.inbound_factoryrepair",
        "repairs.accept_factoryrepair",
        "repairs.ship_factoryrepair",
        "repairs.cancel_factoryrepair",
        "repairs.add_replacement",
        "repairs.ship_replacement",
        "repairs.cancel_replacement",
        "repairs.add_productreturn",
        "repairs.cancel_productreturn",
    ],
    "as_manager": VIEW + ["repairs.add_factoryrepair", "repairs.add_replacement", "repairs.add_productreturn"],
    "techdept": VIEW,
    "logistics": VIEW + ["repairs.inbound_factoryrepair"],
    "warehouse": VIEW
    + [
        "repairs.receive_factoryrepair",
        "repairs.draw_repairpart",
        "repairs.assign_replacement",
        "repairs.receive_replacement",
        "repairs.receive_productreturn",
    ],
    "qc": VIEW
    + [
        "repairs.diagnose_factoryrepair",
        "repairs.repair_factoryrepair",
        "repairs.draw_repairpart",
        "repairs.check_productreturn",
    ],
    "finance": VIEW + ["repairs.quote_factoryrepair", "repairs.refund_productreturn"],
    # 售后服务管理 4.1.3.2: 请示总经理经批准予以退货或换货处理.
    "gm": ["repairs.view_replacement", "repairs.view_productreturn"]
    + ["repairs.approve_replacement", "repairs.approve_productreturn"],
    # On-site repairs record the parts they used on the service job.
    "technician": ["repairs.draw_repairpart"],
}
