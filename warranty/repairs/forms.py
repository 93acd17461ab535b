"""Forms of factory repair, replacement and return: one per step that needs input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.models import Component, DefectCode, Unit
from warranty.repairs.models import FactoryRepair, Replacement


class SerialField(forms.CharField):
    """A unit by serial number (form B: units going back for repair are recorded by serial)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        unit = (
            Unit.objects.select_related("product_model", "customer").filter(serial_number__iexact=value.strip()).first()
        )
        if unit is None:
            raise forms.ValidationError(_("No unit with serial number %(serial)s.") % {"serial": value})
        return unit


class OpenForm(forms.Form):
    unit = SerialField(label=_("serial number"), max_length=64)
    text = forms.CharField(label=_("fault symptoms / reason"), widget=forms.Textarea(attrs={"rows": 3}))


class InboundForm(forms.Form):
    carrier = forms.CharField(label=_("carrier"), max_length=100)
    waybill = forms.CharField(label=_("waybill number"), max_length=64)


class ReceiveForm(forms.Form):
    condition = forms.CharField(label=_("condition on arrival"), widget=forms.Textarea(attrs={"rows": 2}))
    accessories = forms.CharField(label=_("accessories received"), max_length=300, required=False)


class DiagnoseForm(forms.Form):
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 3}))
    component = forms.ModelChoiceField(label=_("component"), queryset=Component.objects.none())
    defect_code = forms.ModelChoiceField(label=_("defect"), queryset=DefectCode.objects.none(), required=False)
    covered = forms.BooleanField(label=_("cause covered by the warranty"), required=False, initial=True)

    def __init__(self, *args, order: FactoryRepair, **kwargs):
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        fields["component"].queryset = Component.objects.filter(product_model_id=order.unit.product_model_id)
        fields["defect_code"].queryset = DefectCode.objects.filter(is_active=True).select_related("component")


class QuoteForm(forms.Form):
    amount = forms.DecimalField(label=_("fee (yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False)


class AcceptForm(forms.Form):
    accepted_by = forms.CharField(label=_("fee accepted by (customer)"), max_length=50)
    how = forms.ChoiceField(label=_("how the fee was accepted"), choices=FactoryRepair.AcceptanceMethod.choices)


class RepairForm(forms.Form):
    work_done = forms.CharField(label=_("work done"), widget=forms.Textarea(attrs={"rows": 3}))
    hours = forms.DecimalField(label=_("hours"), min_value=0, max_digits=6, decimal_places=1)


class TestForm(forms.Form):
    notes = forms.CharField(label=_("test result"), widget=forms.Textarea(attrs={"rows": 2}))


class ShipForm(forms.Form):
    contact_name = forms.CharField(label=_("contact on site"), max_length=50)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class AssignForm(forms.Form):
    new_unit = SerialField(label=_("serial number of the new unit"), max_length=64)
    fresh_warranty = forms.BooleanField(label=_("fresh warranty"), required=False)


class ReceiveOldForm(forms.Form):
    condition = forms.CharField(label=_("condition of the old unit"), widget=forms.Textarea(attrs={"rows": 2}))
    disposition = forms.ChoiceField(label=_("old unit goes to"), choices=Replacement.Disposition.choices)


class ApprovalForm(forms.Form):
    comment = forms.CharField(
        label=_("general manager's comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectionForm(forms.Form):
    comment = forms.CharField(label=_("reason for the rejection"), widget=forms.Textarea(attrs={"rows": 2}))


class ConditionForm(forms.Form):
    condition = forms.CharField(label=_("condition checked"), widget=forms.Textarea(attrs={"rows": 2}))


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("refund (yuan)"), min_value=0, max_digits=12, decimal_places=2)
    refund_date = forms.DateField(label=_("refund date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("refund reference"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refund_date"].initial = timezone.localdate()


class PartForm(forms.Form):
    component = forms.ModelChoiceField(label=_("part"), queryset=Component.objects.none())
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)
    part_serial = forms.CharField(label=_("part serial number"), max_length=64, required=False)
    unit_cost = forms.DecimalField(
        label=_("unit cost"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the component's cost."),
    )

    def __init__(self, *args, model_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        fields["component"].queryset = Component.objects.filter(product_model_id__in=list(model_ids))
