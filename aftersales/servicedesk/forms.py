"""Forms of the service desk: call intake, the actions on a case, list filters, lookup."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftersales.forms import BoundedDateField, MultipleFileField
from aftersales.models import Component, Contact, Customer, DefectCode, Department, ProductModel, Unit
from aftersales.servicedesk.models import CaseNote, ClockKind, CoordinationSheet, ServiceCase, TechnicalDocument


class CaseIntakeForm(forms.Form):
    """The clerk's fast call-intake form; the customer is found as they type (static/aftersales/intake.js)."""

    search = forms.CharField(
        label=_("Find the customer (name, phone or serial number)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search", "data-intake-search": ""}),
    )
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.all(), widget=forms.HiddenInput)
    serial_number = forms.CharField(label=_("serial number"), max_length=64, required=False)
    contact = forms.ModelChoiceField(label=_("contact"), queryset=Contact.objects.all(), required=False)
    caller_name = forms.CharField(label=_("caller"), max_length=50, required=False)
    caller_phone = forms.CharField(label=_("caller's phone"), max_length=30, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=ServiceCase.Channel.choices, initial="phone")
    category = forms.ChoiceField(label=_("category"), choices=ServiceCase.Category.choices, initial="fault")
    priority = forms.ChoiceField(label=_("priority"), choices=ServiceCase.Priority.choices, initial="normal")
    fault_description = forms.CharField(label=_("fault symptoms"), widget=forms.Textarea(attrs={"rows": 5}))
    contract_number = forms.CharField(label=_("contract number"), max_length=50, required=False)
    photos = MultipleFileField(label=_("photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the chosen customer's contacts: the list of all contacts would be huge.
        customer_id = self.data.get("customer") if self.is_bound else self.initial.get("customer")
        contacts = Contact.objects.none()
        if str(customer_id or "").isdigit() and len(str(customer_id)) <= 18:  # a 64-bit id at most
            contacts = Contact.objects.filter(customer_id=int(str(customer_id)))
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = contacts

    def clean(self):
        super().clean()
        data = self.cleaned_data
        serial = (data.get("serial_number") or "").strip()
        data["unit"] = None
        if serial:
            unit = Unit.objects.filter(serial_number__iexact=serial).first()
            if unit is None:
                self.add_error("serial_number", _("No unit has this serial number."))
            else:
                data["unit"] = unit
        return data


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (CaseNote.Kind.RESPONSE, CaseNote.Kind.RESPONSE.label),
            (CaseNote.Kind.NOTE, CaseNote.Kind.NOTE.label),
        ],
    )
    spoke_with = forms.CharField(label=_("spoke with"), max_length=50, required=False)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("answer given to the customer"), widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(forms.Form):
    note = forms.CharField(
        label=_("note for the technical department"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DiagnosisForm(forms.Form):
    spoke_with = forms.CharField(label=_("spoke with"), max_length=50, required=False)
    text = forms.CharField(label=_("phone diagnosis"), widget=forms.Textarea(attrs={"rows": 3}))
    component = forms.ModelChoiceField(
        label=_("component concerned"), queryset=Component.objects.none(), required=False
    )
    defect_code = forms.ModelChoiceField(
        label=_("defect"), queryset=DefectCode.objects.filter(is_active=True), required=False
    )
    cause_covered = forms.BooleanField(label=_("cause covered by the warranty"), required=False, initial=True)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and case.unit_id:
            cast(forms.ModelChoiceField, self.fields["component"]).queryset = Component.objects.filter(
                product_model_id=case.unit.product_model_id
            )
        else:
            cast(forms.ModelChoiceField, self.fields["component"]).queryset = Component.objects.all()


class PartChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · ¥{obj.unit_cost}"


class FeeQuoteForm(forms.Form):
    """The parts of a paid repair at cost (承诺 四: no labour); the fee is their total unless a reason is given."""

    PART_ROWS = 4

    told_to = forms.CharField(label=_("customer told"), max_length=50)
    told_at = forms.DateTimeField(
        label=_("told at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    amount = forms.DecimalField(
        label=_("fee told, if not the parts at cost (yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    difference_reason = forms.CharField(label=_("reason for a different fee"), max_length=300, required=False)
    details = forms.CharField(label=_("what it covers"), max_length=300, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        components = Component.objects.all()
        if case is not None and case.unit_id:
            components = Component.objects.filter(product_model_id=case.unit.product_model_id)
        for i in range(1, self.PART_ROWS + 1):
            self.fields[f"part_{i}"] = PartChoiceField(
                label=_("part %(n)d (cost price)") % {"n": i}, queryset=components, required=False
            )
            self.fields[f"quantity_{i}"] = forms.IntegerField(
                label=_("quantity"), min_value=1, max_value=999, required=False
            )
        if case is not None and case.component_id and not self.is_bound:
            self.initial.setdefault("part_1", case.component_id)
            self.initial.setdefault("quantity_1", 1)

    def clean(self):
        data = dict(super().clean() or {})
        parts = []
        for i in range(1, self.PART_ROWS + 1):
            part, quantity = data.pop(f"part_{i}", None), data.pop(f"quantity_{i}", None)
            if part is not None:
                parts.append((part, quantity or 1))
        return {**data, "parts": parts}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=ServiceCase.Decision.choices)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RepeatOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for allowing another repair"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class EmptyForm(forms.Form):
    pass


class ArrivalForm(forms.Form):
    arrived_at = forms.DateTimeField(
        label=_("arrived at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ResolveForm(forms.Form):
    text = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class RevisitForm(forms.Form):
    spoke_with = forms.CharField(label=_("spoke with"), max_length=50)
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=ServiceCase.Satisfaction.choices)
    comments = forms.CharField(label=_("comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("reason for reopening"), max_length=300)


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("clock"), choices=ClockKind.choices)
    reason = forms.CharField(label=_("reason"), max_length=200)


class ResumeForm(forms.Form):
    kind = forms.ChoiceField(label=_("clock"), choices=ClockKind.choices)


class AttachForm(forms.Form):
    upload = forms.FileField(label=_("photo or scan"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class CoordinationForm(forms.Form):
    from_department = forms.ModelChoiceField(
        label=_("from department"), queryset=Department.objects.filter(is_active=True)
    )
    to_department = forms.ModelChoiceField(label=_("to department"), queryset=Department.objects.filter(is_active=True))
    request = forms.CharField(label=_("matter to coordinate"), widget=forms.Textarea(attrs={"rows": 3}))
    reply_by = forms.DateField(
        label=_("reply wanted by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CoordinationReplyForm(forms.Form):
    sheet = forms.ModelChoiceField(label=_("department coordination sheet"), queryset=CoordinationSheet.objects.none())
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            cast(forms.ModelChoiceField, self.fields["sheet"]).queryset = CoordinationSheet.objects.filter(
                case=case, reply=""
            ).select_related("to_department")


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("number, serial or phone"), required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", _("any"))] + ServiceCase.Status.choices, required=False)
    category = forms.ChoiceField(
        label=_("category"), choices=[("", _("any"))] + ServiceCase.Category.choices, required=False
    )
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.all(), required=False)
    clock = forms.ChoiceField(
        label=_("clock state"),
        required=False,
        choices=[
            ("", _("any")),
            ("at_risk", _("at risk")),
            ("breached", _("breached")),
            ("paused", _("paused")),
            ("missed", _("missed")),
        ],
    )
    date_from = BoundedDateField(
        clamp=True, label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        clamp=True, label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("what the technical department cannot do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DirectSupportForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("people the product department sends"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username"),
        widget=forms.CheckboxSelectMultiple,
    )
    direction = forms.CharField(
        label=_("what they are to do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FileSupportForm(forms.Form):
    result = forms.CharField(
        label=_("result of the technical support"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    documents = MultipleFileField(
        label=_("documents to file (photos, PDF)"), required=False, accept="image/*,application/pdf"
    )


class DocumentForm(forms.Form):
    product_model = forms.ModelChoiceField(label=_("product model"), queryset=ProductModel.objects.order_by("code"))
    title = forms.CharField(label=_("document title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=TechnicalDocument.Kind.choices)


class DocumentVersionForm(forms.Form):
    version = forms.CharField(label=_("version"), max_length=30)
    file = forms.FileField(label=_("file"))
    notes = forms.CharField(label=_("what changed"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
