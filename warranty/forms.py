"""Forms of the warranty app: one for each record created and each transition that needs input."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftersales.forms import OptionalFloatField
from aftersales.models import Component, Customer, Department, Supplier, Unit
from aftersales.people import display_name
from warranty.models import Appraisal, Grade, IncidentCost, Origin, Outcome, QualitySanction, SiteTeam

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class SignatureField(forms.CharField):
    widget = forms.HiddenInput(attrs={"id": "id_signature"})


class SheetCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        Unit.objects.filter(customer__isnull=False).select_related("customer"),
        label=_("unit"),
        required=False,
        to_field_name="serial_number",
        widget=forms.TextInput(attrs={"list": "unit-serials", "placeholder": "XD1200-2024-0031"}),
    )
    customer = forms.ModelChoiceField(Customer.objects.all(), label=_("customer"), required=False)
    contact_name = forms.CharField(label=_("contact"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    description = forms.CharField(label=_("quality problem reported"), widget=TEXT)
    is_major = forms.BooleanField(label=_("major quality problem"), required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        unit = data.get("unit")
        if unit is not None and not data.get("customer"):
            data["customer"] = unit.customer
        if not data.get("customer"):
            raise forms.ValidationError(_("Choose the unit or the customer."))
        return data


class SendForm(forms.Form):
    first_answer = forms.CharField(label=_("first answer to the customer"), widget=TEXT)


class AnswerForm(forms.Form):
    opinion = forms.CharField(label=_("QC handling opinion"), widget=TEXT)


class SiteTeamForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username"),
        label=_("people going on site"),
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(label=_("handled"), choices=SiteTeam.Mode.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].label_from_instance = display_name  # type: ignore[attr-defined]


class PartCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        Unit.objects.filter(customer__isnull=False),
        label=_("unit"),
        to_field_name="serial_number",
        widget=forms.TextInput(attrs={"list": "unit-serials"}),
    )
    component = forms.ModelChoiceField(
        Component.objects.select_related("product_model"), label=_("component"), required=False
    )
    part_name = forms.CharField(label=_("part"), max_length=100)
    part_serial = forms.CharField(label=_("part serial number"), max_length=64, required=False)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)
    fault = forms.CharField(label=_("fault"), widget=TEXT, required=False)


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("grading"), choices=Grade.choices, widget=forms.RadioSelect)
    analysis = forms.CharField(label=_("first analysis"), widget=TEXT)
    request_note = forms.CharField(label=_("reason for return (appraisal form)"), widget=TEXT, required=False)
    chargeable_cost = forms.DecimalField(
        label=_("chargeable cost (not covered)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class QuarantineForm(forms.Form):
    location = forms.CharField(label=_("location in the quarantine zone"), max_length=100, initial="隔离区")
    given_by = forms.CharField(label=_("handed over by"), max_length=100)


class HandoverForm(forms.Form):
    given_by = forms.CharField(label=_("given by"), max_length=100)
    received_by = forms.ModelChoiceField(
        get_user_model().objects.filter(is_active=True).order_by("username"), label=_("received by")
    )
    to_location = forms.CharField(label=_("to"), max_length=100)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AppraiseForm(forms.Form):
    place = forms.ChoiceField(label=_("appraised"), choices=Appraisal.Place.choices, widget=forms.RadioSelect)
    own_defect = forms.TypedChoiceField(
        label=_("product's own defect"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    origin = forms.ChoiceField(label=_("origin"), choices=[("", "—"), *Origin.choices], required=False)
    supplier = forms.ModelChoiceField(Supplier.objects.all(), label=_("supplier"), required=False)
    cause = forms.CharField(label=_("cause"), widget=TEXT)
    outcome = forms.ChoiceField(
        label=_("outcome under 三包"),
        choices=[("", "—"), *[(v, lbl) for v, lbl in Outcome.choices if v != Outcome.NONE]],
        required=False,
    )
    outcome_reason = forms.CharField(label=_("reason for the outcome"), max_length=300, required=False)
    chargeable_cost = forms.DecimalField(
        label=_("chargeable cost (not our defect)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    signature = SignatureField(label=_("signature"))


class ExchangeForm(forms.Form):
    good_part_serial = forms.CharField(label=_("good part serial number"), max_length=64)


class NotifySupplierForm(forms.Form):
    on = forms.DateField(label=_("supplier notified on"), widget=DATE)


class ReceiveForm(forms.Form):
    quantity = forms.IntegerField(label=_("quantity received"), min_value=1)
    on = forms.DateField(label=_("received on"), widget=DATE)


class CustomerClaimForm(forms.Form):
    customer = forms.ModelChoiceField(Customer.objects.all(), label=_("customer"))
    reason = forms.CharField(label=_("reason"), widget=TEXT)
    amount_claimed = forms.DecimalField(label=_("amount claimed"), min_value=0, max_digits=12, decimal_places=2)


class AgreeForm(forms.Form):
    amount = forms.DecimalField(label=_("amount agreed"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("note"), widget=TEXT, required=False)


class ClaimApprovalForm(forms.Form):
    comment = forms.CharField(label=_("leadership's comment"), widget=TEXT, required=False)


class ClaimSendBackForm(forms.Form):
    comment = forms.CharField(label=_("why the amount goes back"), widget=TEXT)


class PayForm(forms.Form):
    amount = forms.DecimalField(label=_("amount paid"), min_value=0, max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("paid on"), widget=DATE)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("reason"), widget=TEXT)


class IncidentCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        Unit.objects.filter(customer__isnull=False),
        label=_("unit"),
        required=False,
        to_field_name="serial_number",
        widget=forms.TextInput(attrs={"list": "unit-serials"}),
    )
    customer = forms.ModelChoiceField(Customer.objects.all(), label=_("customer"), required=False)
    description = forms.CharField(label=_("quality feedback"), widget=TEXT)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("unit") is not None and not data.get("customer"):
            data["customer"] = data["unit"].customer
        if not data.get("customer"):
            raise forms.ValidationError(_("Choose the unit or the customer."))
        return data


class TraceForm(forms.Form):
    first_cause = forms.CharField(label=_("first judgement of the cause"), widget=TEXT)
    consequence = forms.CharField(label=_("consequence"), widget=TEXT)


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.filter(is_active=True), label=_("responsible department"))
    in_house = forms.BooleanField(label=_("responsible is an in-house team"), required=False, initial=True)
    supplier = forms.ModelChoiceField(Supplier.objects.all(), label=_("supplier (bought-in part)"), required=False)


class DispatchForm(forms.Form):
    people = forms.CharField(label=_("people dispatched"), widget=TEXT)
    from_responsible = forms.BooleanField(
        label=_("people from the responsible department"), required=False, initial=True
    )
    reason = forms.CharField(label=_("why others go"), max_length=200, required=False)


class FeedbackSignForm(forms.Form):
    handling = forms.CharField(label=_("handling and result"), widget=TEXT)
    signer_name = forms.CharField(label=_("customer's name"), max_length=50)
    signer_phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    signature = SignatureField(label=_("signature"))
    # Filled in by the browser: no position (or a value that is none) is stored as no position.
    latitude = OptionalFloatField(min_value=-90, max_value=90)
    longitude = OptionalFloatField(min_value=-180, max_value=180)
    accuracy = OptionalFloatField(min_value=0, max_value=100_000)


class LinkSignForm(forms.Form):
    signer_name = forms.CharField(label=_("your name"), max_length=50)
    signer_phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    signature = SignatureField(label=_("signature"))


class CostForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=IncidentCost.Kind.choices)
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("amount"), required=False, min_value=0, max_digits=12, decimal_places=2)
    hours = forms.DecimalField(label=_("hours"), required=False, min_value=0, max_digits=8, decimal_places=2)
    rate = forms.DecimalField(label=_("rate per hour"), required=False, min_value=0, max_digits=10, decimal_places=2)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("review comment"), widget=TEXT, required=False)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("reward or penalty"), choices=QualitySanction.Kind.choices)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.filter(is_active=True).order_by("name"), required=False
    )
    person = forms.CharField(label=_("person"), max_length=50, required=False)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2, min_value=0.01)
    reason = forms.CharField(label=_("reason"), widget=TEXT)

    def clean(self):
        data = super().clean() or {}
        if not data.get("department") and not (data.get("person") or "").strip():
            raise forms.ValidationError(_("Name the department or the person."))
        return data


class SanctionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("leadership decision"),
        choices=[("approve", _("approve")), ("reject", _("reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("leadership comment"), widget=TEXT, required=False)


class ActionCreateForm(forms.Form):
    problem = forms.CharField(label=_("problem"), widget=TEXT)
    root_cause = forms.CharField(label=_("root cause"), widget=TEXT)
    action = forms.CharField(label=_("corrective and preventive action"), widget=TEXT)
    owner_department = forms.ModelChoiceField(Department.objects.filter(is_active=True), label=_("owner department"))
    due_date = forms.DateField(label=_("due date"), widget=DATE)


class ImplementForm(forms.Form):
    implementation = forms.CharField(label=_("what was done"), widget=TEXT)


class VerifyForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("effective"),
        choices=[("1", _("yes, close it")), ("0", _("no, back to the owner"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    verification = forms.CharField(label=_("QC verification"), widget=TEXT)
