"""Who does what in factory repair, replacement and return (merged into warranty.roles)."""

VIEW = ["warranty.view_factoryrepair", "warranty.view_replacement", "warranty.view_productreturn"]

PERMISSIONS = {
    "clerk": VIEW
    + [
        "warranty.add_factoryrepair",
        "warranty.inbound_factoryrepair",
        "warranty.accept_factoryrepair",
        "warranty.ship_factoryrepair",
        "warranty.cancel_factoryrepair",
        "warranty.add_replacement",
        "warranty.ship_replacement",
        "warranty.cancel_replacement",
        "warranty.add_productreturn",
        "warranty.cancel_productreturn",
    ],
    "as_manager": VIEW + ["warranty.add_factoryrepair", "warranty.add_replacement", "warranty.add_productreturn"],
    "techdept": VIEW,
    "logistics": VIEW + ["warranty.inbound_factoryrepair"],
    "warehouse": VIEW
    + [
        "warranty.receive_factoryrepair",
        "warranty.draw_repairpart",
        "warranty.assign_replacement",
        "warranty.receive_replacement",
        "warranty.receive_productreturn",
    ],
    "qc": VIEW
    + [
        "warranty.diagnose_factoryrepair",
        "warranty.repair_factoryrepair",
        "warranty.draw_repairpart",
        "warranty.check_productreturn",
    ],
    "finance": VIEW + ["warranty.quote_factoryrepair", "warranty.refund_productreturn"],
    # On-site repairs record the parts they used on the service job.
    "technician": ["warranty.draw_repairpart"],
}


def merge(into: dict) -> dict:
    """Add these permissions to another app's PERMISSIONS dict (one line in warranty/roles.py)."""
    for role, perms in PERMISSIONS.items():
        into[role] = list(dict.fromkeys([*into.get(role, []), *perms]))
    return into
