from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.forms import BoundedDateField
from aftersales.models import Customer, ProductModel, Site
from shipping.models import Payment, Shipment


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PaymentForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.order_by("code"))
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2, min_value=0.01)
    received_on = forms.DateField(label=_("payment received on"), widget=DateInput(), initial=timezone.localdate)
    reference = forms.CharField(label=_("bank reference"), max_length=100, required=False)
    confirm = forms.BooleanField(label=_("confirm now (the money is on the account)"), required=False)


class ShipmentRequestForm(forms.Form):
    payment = forms.ModelChoiceField(label=_("payment received"), queryset=Payment.objects.none())
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none())
    requested_ship_date = forms.DateField(
        label=_("requested ship date"), widget=DateInput(), initial=timezone.localdate
    )
    contact_name = forms.CharField(label=_("contact on site"), max_length=50)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30)
    contract_delivery_date = forms.DateField(
        label=_("contract delivery date"),
        widget=DateInput(),
        required=False,
        help_text=_("When the contract names one: each day late costs half a percent of the delivery price."),
    )
    delivery_price = forms.DecimalField(
        label=_("delivery price of the goods"), max_digits=14, decimal_places=2, min_value=0.01, required=False
    )
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean() or {}
        if bool(data.get("contract_delivery_date")) != bool(data.get("delivery_price")):
            raise forms.ValidationError(_("Give both the contract delivery date and the delivery price, or neither."))
        return data

    def __init__(self, *args, user=None, payment: Payment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        payments = Payment.objects.filter(status=Payment.Status.CONFIRMED).select_related("customer")
        if user is not None and not user.is_superuser:
            # Only the customers this sales manager looks after (or nobody does yet).
            payments = payments.filter(Q(customer__sales_manager=user) | Q(customer__sales_manager__isnull=True))
        sites = Site.objects.select_related("customer").order_by("customer__code", "name")
        if payment is not None:
            # The request is filed from a confirmed payment: only that customer's sites fit.
            payments = payments.filter(pk=payment.pk)
            sites = sites.filter(customer_id=payment.customer_id)
            self.fields["payment"].initial = payment.pk
            site = sites.select_related("contact").first()
            if site is not None:
                self.fields["site"].initial = site.pk
                if site.contact:
                    self.fields["contact_name"].initial = site.contact.name
                    self.fields["contact_phone"].initial = site.contact.mobile or site.contact.phone
        payment_field, site_field = self.fields["payment"], self.fields["site"]
        assert isinstance(payment_field, forms.ModelChoiceField) and isinstance(site_field, forms.ModelChoiceField)
        payment_field.queryset = payments.order_by("-received_on", "-pk")
        site_field.queryset = sites


class LineForm(forms.Form):
    product_model = forms.ModelChoiceField(
        label=_("product model"), queryset=ProductModel.objects.filter(is_active=True).order_by("code"), required=False
    )
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("product_model") and not data.get("quantity"):
            self.add_error("quantity", _("How many?"))
        if data.get("quantity") and not data.get("product_model"):
            self.add_error("product_model", _("Which model?"))
        return data


# absolute_max: a tampered TOTAL_FORMS would otherwise build (and draw) a thousand line forms.
LineFormSet = formset_factory(LineForm, extra=3, max_num=10, absolute_max=10)


class DispatchForm(forms.Form):
    serials = forms.CharField(
        label=_("serial numbers, one per line (scanner input works)"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false", "class": "mono"}),
        help_text=_("A serial not in stock needs its model and production date: SERIAL MODEL YYYY-MM-DD"),
    )
    ship_date = forms.DateField(label=_("ship date"), widget=DateInput(), initial=timezone.localdate)
    default_production_date = forms.DateField(
        label=_("production date for new serials"), widget=DateInput(), required=False
    )


class WaybillForm(forms.Form):
    carrier = forms.CharField(label=_("carrier"), max_length=100)
    waybill_number = forms.CharField(label=_("waybill number"), max_length=64)
    expected_arrival = forms.DateField(label=_("expected arrival"), widget=DateInput())


class TrackingNoteForm(forms.Form):
    noted_on = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(label=_("arrived on"), widget=DateInput(), initial=timezone.localdate)


class ReceiptForm(forms.Form):
    confirmed_by = forms.CharField(label=_("receipt confirmed by (customer)"), max_length=50)
    method = forms.ChoiceField(label=_("how confirmed"), choices=Shipment.ReceiptMethod.choices)
    confirmed_at = forms.DateTimeField(
        label=_("when"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )


class MissingPartsForm(forms.Form):
    description = forms.CharField(label=_("missing parts"), widget=forms.Textarea(attrs={"rows": 3}))


class InstallationForm(forms.Form):
    note = forms.CharField(
        label=_("who installed it, and when"),
        help_text=_("The installation was done without a service job of this system."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class ShipmentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[("", _("all"))] + Shipment.Status.choices, required=False)
    # A search box, not a drop-down: thousands of customers would make every list page heavy.
    customer = forms.CharField(
        label=_("customer"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("code or name")}),
    )
    created_from = BoundedDateField(clamp=True, label=_("filed from"), widget=DateInput(), required=False)
    created_to = BoundedDateField(clamp=True, label=_("filed to"), widget=DateInput(), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
