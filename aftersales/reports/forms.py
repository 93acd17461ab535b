from datetime import timedelta
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.forms import BoundedDateField
from aftersales.models import Customer, Department, ProductModel
from aftersales.reports.selectors import ReportFilter
from aftersales.roles import group


def _default_from():
    today = timezone.localdate()
    return (today.replace(day=1) - timedelta(days=150)).replace(day=1)


class ReportFilterForm(forms.Form):
    """The filter every report shares: period, customer, region, product model, technician, department."""

    date_from = BoundedDateField(
        clamp=True, label=_("from"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    date_to = BoundedDateField(
        clamp=True, label=_("to"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    customer = forms.ModelChoiceField(Customer.objects.order_by("name"), label=_("customer"), required=False)
    province = forms.ChoiceField(label=_("region (province)"), required=False)
    product_model = forms.ModelChoiceField(
        ProductModel.objects.order_by("code"), label=_("product model"), required=False
    )
    technician = forms.ModelChoiceField(get_user_model().objects.none(), label=_("technician"), required=False)
    department = forms.ModelChoiceField(Department.objects.order_by("code"), label=_("department"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Customer.objects.order_by("province").values_list("province", flat=True).distinct()
        cast(forms.ChoiceField, self.fields["province"]).choices = [("", "---------")] + [
            (p, p) for p in provinces if p
        ]
        cast(forms.ModelChoiceField, self.fields["technician"]).queryset = (
            get_user_model().objects.filter(groups=group("technician")).order_by("last_name", "first_name", "pk")
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data

    def report_filter(self) -> ReportFilter:
        """The filter of the bound form (defaults: the last six months up to today)."""
        data = self.cleaned_data if self.is_valid() else {}
        return ReportFilter(
            date_from=data.get("date_from") or _default_from(),
            date_to=data.get("date_to") or timezone.localdate(),
            customer_id=data["customer"].pk if data.get("customer") else None,
            province=data.get("province") or "",
            product_model_id=data["product_model"].pk if data.get("product_model") else None,
            technician_id=data["technician"].pk if data.get("technician") else None,
            department_id=data["department"].pk if data.get("department") else None,
        )


class SummaryRequestForm(forms.Form):
    month = BoundedDateField(
        label=_("month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"]
    )
