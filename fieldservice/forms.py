from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.forms import MultipleFileField, OptionalFloatField
from aftersales.models import Customer, Site
from aftersales.people import display_name
from aftersales.roles import group
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob, YesNo
from fieldservice.services import FORM_A_CUSTOMER_INPUT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SignatureMixin(forms.Form):
    """A drawn signature from static/js/signature-pad.js (a PNG data URL)."""

    signature = forms.CharField(
        widget=forms.HiddenInput, required=True, error_messages={"required": _("Please sign in the box.")}
    )


class JobCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ServiceJob.Kind.choices)
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.order_by("name"))
    site = forms.ModelChoiceField(
        label=_("site"), queryset=Site.objects.select_related("customer").order_by("name"), required=False
    )
    serials = forms.CharField(label=_("units (serial numbers, separated by spaces)"), required=False)
    contact_name = forms.CharField(label=_("contact"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30, required=False)
    description = forms.CharField(label=_("what the customer reported"), widget=forms.Textarea, required=False)


class ScheduleForm(forms.Form):
    agreed_date = forms.DateField(label=_("date agreed with the customer"), widget=DATE)


class SupportRequestForm(forms.Form):
    purpose = forms.CharField(label=_("purpose"), widget=forms.Textarea)
    proposed_start = forms.DateField(label=_("proposed start"), widget=DATE)
    proposed_end = forms.DateField(label=_("proposed end"), widget=DATE)
    estimated_cost = forms.DecimalField(label=_("estimated cost (yuan)"), min_value=0, max_digits=12, decimal_places=2)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


def technicians():
    return get_user_model().objects.filter(groups=group("technician"), is_active=True).order_by("username")


class DispatchForm(forms.Form):
    technicians: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("technicians"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    lead: forms.ModelChoiceField = forms.ModelChoiceField(label=_("lead"), queryset=None)
    address = forms.CharField(label=_("destination address"), max_length=300)
    contact = forms.CharField(label=_("contact on site"), max_length=50)
    phone = forms.CharField(label=_("phone on site"), max_length=30)
    bring = forms.CharField(label=_("what to bring"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = technicians()
        for name in ("technicians", "lead"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = qs
            field.label_from_instance = display_name  # type: ignore[assignment]  # Django documents this hook


class TripForm(forms.Form):
    expected_days = forms.DecimalField(
        label=_("expected trip duration (days)"), min_value=0.5, max_digits=5, decimal_places=1
    )
    travellers = forms.CharField(label=_("travellers"), max_length=200)
    departure_at = forms.DateTimeField(label=_("departure"), widget=DATETIME)
    destination = forms.CharField(label=_("destination"), max_length=300)
    purpose = forms.CharField(label=_("purpose of the trip"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_return = forms.DateField(label=_("expected return"), widget=DATE)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("progress"), widget=forms.Textarea)
    photos = MultipleFileField(label=_("photos"), required=False)


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("date of the training"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("duration (hours)"), min_value=0.5, max_value=99, decimal_places=1)
    topics = forms.CharField(label=_("topics"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    attendees = forms.CharField(
        label=_("attendees"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person per line: name, then position (e.g. 李明 设备主管)."),
        max_length=4000,
    )

    def clean_attendees(self) -> list[dict[str, str]]:
        people = []
        for line in self.cleaned_data["attendees"].splitlines():
            parts = line.replace("，", " ").replace(",", " ").split(None, 1)
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("Give the position of %(name)s after the name.") % {"name": parts[0][:20]}
                )
            people.append({"name": parts[0][:50], "position": parts[1].strip()[:50]})
        if not people:
            raise forms.ValidationError(_("Name at least one attendee."))
        if len(people) > 100:
            raise forms.ValidationError(_("At most 100 attendees per session."))
        return people


class ReturnForm(forms.Form):
    notes = forms.CharField(label=_("debrief notes"), widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FormATechForm(forms.ModelForm):
    class Meta:
        model = FeedbackFormA
        fields = ["project_name", "customer_name", "customer_phone", "place", "expected_work_time", "service_content"]
        labels = {"customer_name": _("customer information: name"), "customer_phone": _("phone")}

    def clean(self):
        cleaned = super().clean() or {}
        # The customer's confirmation has one way in, the signing screen. A post that tries to set
        # it here goes on to the service, which refuses it outright (403) instead of dropping it.
        for name in sorted(FORM_A_CUSTOMER_INPUT):
            if self.add_prefix(name) in self.data:
                cleaned[name] = self.data[self.add_prefix(name)]
        return cleaned


class FormATaskForm(SignatureMixin):
    task = forms.CharField(label=_("after-sales service task"), widget=forms.Textarea)


class SignOnlyForm(SignatureMixin):
    pass


class CustomerConfirmForm(SignatureMixin):
    """What the customer fills on the signing screen (tablet or own phone)."""

    work_completed = forms.ChoiceField(
        label=_("1. Was the work you asked for completed?"), choices=YesNo.choices, widget=forms.RadioSelect
    )
    work_completed_note = forms.CharField(label=_("note (if not)"), required=False, max_length=300)
    result = forms.ChoiceField(label=_("2. Result"), choices=FeedbackFormA.Result.choices, widget=forms.RadioSelect)
    efficiency = forms.ChoiceField(
        label=_("3. Efficiency of the service staff"),
        choices=FeedbackFormA.Efficiency.choices,
        widget=forms.RadioSelect,
    )
    attitude = forms.ChoiceField(
        label=_("4. Attitude of the service staff"), choices=FeedbackFormA.Attitude.choices, widget=forms.RadioSelect
    )
    training = forms.ChoiceField(
        label=_("5. Was the necessary training given?"),
        choices=FeedbackFormA.Training.choices,
        widget=forms.RadioSelect,
    )
    arrival_date = forms.DateField(label=_("6. Arrived on site"), widget=DATE)
    departure_date = forms.DateField(label=_("6. Left the site"), widget=DATE)
    acceptance_comments = forms.CharField(
        label=_("7. Acceptance confirmation and comments"), widget=forms.Textarea(attrs={"rows": 3})
    )
    company_name = forms.CharField(label=_("company name"), max_length=200)
    stamp = forms.FileField(
        label=_("photo of the company stamp"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    signer_name = forms.CharField(label=_("acceptance person (your name)"), max_length=50)
    signer_phone = forms.CharField(label=_("your phone"), max_length=30)
    signer_position = forms.CharField(
        label=_("your position"),
        max_length=50,
        required=False,
        help_text=_("Required if you are not a registered contact of your company with us."),
    )
    # Filled in by the browser: a value that is no position is dropped, the signature still counts.
    latitude = OptionalFloatField(min_value=-90, max_value=90)
    longitude = OptionalFloatField(min_value=-180, max_value=180)
    accuracy = OptionalFloatField(min_value=0, max_value=100_000)

    DATA_FIELDS = (
        "work_completed",
        "work_completed_note",
        "result",
        "efficiency",
        "attitude",
        "training",
        "arrival_date",
        "departure_date",
        "acceptance_comments",
        "company_name",
    )


class FormBForm(forms.ModelForm):
    class Meta:
        model = FeedbackFormB
        fields = [
            "project_name",
            "period_from",
            "period_to",
            "total_days",
            "days_reason",
            "service_fee",
            "products",
            "commissioned",
            "commissioning_date",
            "user_reported",
            "found_on_site",
            "handling",
            "returns_for_repair",
            "return_serials",
            "open_issues",
            "follow_up_project",
            "sales_contact",
            "sales_phone",
            "filler_department",
        ]
        widgets = {
            "period_from": DATE,
            "period_to": DATE,
            "commissioning_date": DATE,
            "commissioned": forms.RadioSelect,
            "follow_up_project": forms.RadioSelect,
            "products": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The paper form's order: 现场调试投运 □没有 □是.
        # The paper form's words: 没有 (not "否") for the commissioning.
        cast(forms.ChoiceField, self.fields["commissioned"]).choices = [
            (YesNo.NO, pgettext_lazy("commissioned on site", "not done")),
            (YesNo.YES, _("yes")),
        ]
        cast(forms.ChoiceField, self.fields["follow_up_project"]).choices = [("", _("not stated")), *YesNo.choices]
        # 销售信息: the paper form's heading of the follow-up fields.
        self.fields["follow_up_project"].label = _("Sales information: is there a follow-up project?")


class SignerCheckForm(forms.Form):
    note = forms.CharField(
        label=_("how the signer was verified"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. called the customer's registered contact, who confirmed the signer and their position."),
    )


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class OpinionForm(SignatureMixin):
    opinion = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalForm(SignatureMixin):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=Expense.Category.choices)
    amount = forms.DecimalField(label=_("amount (yuan)"), min_value=0.01, max_digits=10, decimal_places=2)
    spent_on = forms.DateField(label=_("date"), widget=DATE)
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    receipts = MultipleFileField(label=_("receipt photo"), required=False, accept="image/*,application/pdf")
