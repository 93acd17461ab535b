"""Builders for warranty records, walking the real services so every step is a real transition."""

import base64
from io import BytesIO

from django.utils import timezone
from PIL import Image, ImageDraw

from tests.aftersales.factories import ComponentFactory, SupplierFactory, UnitFactory
from warranty import services


def signature_png() -> str:
    """A drawn (not blank) signature as the pad would post it."""
    image = Image.new("RGBA", (200, 80), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 60), (60, 10), (120, 70), (190, 20)], fill=(0, 0, 0, 255), width=4)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def accepted_unit(**kwargs):
    """A unit accepted 6 months ago with a self-made shell (20 y) and a bought-in controller (12 m)."""
    today = timezone.localdate()
    unit = UnitFactory(acceptance_date=today.replace(day=1) - timezone.timedelta(days=180), **kwargs)
    supplier = SupplierFactory()
    shell = ComponentFactory(product_model=unit.product_model, name="炉壳", warranty_months=240)
    ctrl = ComponentFactory(
        product_model=unit.product_model, name="温控仪表", warranty_months=12, is_bought_in=True, supplier=supplier
    )
    return unit, shell, ctrl, supplier


def sheet(users, unit, **kwargs):
    return services.sheet_create(
        by=users["clerk"], customer=unit.customer, unit=unit, description="炉温波动大", **kwargs
    )


def quarantined_part(users, unit, component, *, sheet_=None):
    part = services.part_create(
        by=users["clerk"],
        customer=unit.customer,
        unit=unit,
        component=component,
        sheet=sheet_,
        part_name=component.name,
        part_serial="P-0001",
        fault="无法控温",
    )
    services.part_grade(pk=part.pk, by=users["clerk"], grade="company", analysis="疑似元件失效")
    services.part_quarantine(pk=part.pk, by=users["warehouse"], location="隔离区A-1", given_by="王芳")
    part = type(part).objects.get(pk=part.pk)
    return part


def appraise(users, part, *, own_defect=True, origin="bought_in", outcome="replace", chargeable_cost=None):
    return services.appraisal_appraise(
        pk=part.appraisal.pk,
        by=users["qc"],
        place="warehouse",
        own_defect=own_defect,
        origin=origin,
        cause="元件批次缺陷",
        outcome=outcome,
        chargeable_cost=chargeable_cost,
        signature=signature_png(),
    )
