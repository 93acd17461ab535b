"""The steps of factory repair, replacement and return, each declared once; one view runs them all.

Who may run each follows from the transitions in models.py (role, state, conditions).
"""

from django.utils.translation import gettext_lazy as _

from aftersales.steps import Step, Workflow
from warranty.repairs import forms, selectors, services, views
from warranty.repairs.models import FactoryRepair, ProductReturn, Replacement


def _workflow(key: str, model, steps: list[Step]) -> Workflow:
    return Workflow(
        model=model,
        url_name=f"repairs:{key}-step",
        template=f"repairs/{key}_detail.html",
        get_object=views.record_for(key),
        context=views.detail_context,
        steps=steps,
    )


def _contact(order: FactoryRepair) -> dict:
    case = order.case
    return {"contact_name": case.caller_name, "contact_phone": case.caller_phone} if case else {}


REPAIR = _workflow(
    "repair",
    FactoryRepair,
    [
        Step(
            "record_inbound",
            services.factory_repair_record_inbound,
            _("Inbound shipment recorded."),
            form=forms.InboundForm,
            transition="record_inbound",
        ),
        Step(
            "receive",
            services.factory_repair_receive,
            _("Unit received."),
            form=forms.ReceiveForm,
            transition="receive",
        ),
        Step(
            "diagnose",
            services.factory_repair_diagnose,
            _("Diagnosis recorded."),
            form=forms.DiagnoseForm,
            form_kwargs=lambda order: {"order": order},
            transition="diagnose",
        ),
        Step(
            "quote_fee",
            services.factory_repair_quote_fee,
            _("Fee quoted."),
            form=forms.QuoteForm,
            initial=lambda order: {"amount": selectors.bill_for(order).total},
            transition="quote_fee",
        ),
        Step(
            "accept_fee",
            services.factory_repair_accept_fee,
            _("Fee acceptance recorded."),
            form=forms.AcceptForm,
            transition="accept_fee",
        ),
        Step(
            "repair", services.factory_repair_repair, _("Repair recorded."), form=forms.RepairForm, transition="repair"
        ),
        Step(
            "pass_test",
            services.factory_repair_pass_test,
            _("Test passed."),
            form=forms.TestForm,
            transition="pass_test",
        ),
        Step(
            "ship_back",
            services.factory_repair_ship_back,
            _("Unit shipped back."),
            form=forms.ShipForm,
            initial=_contact,
            transition="ship_back",
        ),
        Step(
            "cancel",
            services.factory_repair_cancel,
            _("Factory repair cancelled."),
            form=forms.ReasonForm,
            transition="cancel",
            danger=True,
        ),
    ],
)

REPLACEMENT = _workflow(
    "replacement",
    Replacement,
    [
        Step(
            "assign",
            services.replacement_assign,
            _("New unit assigned."),
            form=forms.AssignForm,
            initial=lambda rec: {"fresh_warranty": rec.fresh_warranty},
            transition="assign",
        ),
        # The general manager's decision (4.1.3.2) sits beside the status: declared after a status
        # step, so the page posts the status as the state it showed.
        Step(
            "approve",
            services.replacement_approve,
            _("Exchange approved."),
            form=forms.ApprovalForm,
            transition="approve",
        ),
        Step(
            "reject",
            services.replacement_reject,
            _("Exchange rejected."),
            form=forms.RejectionForm,
            transition="reject",
            danger=True,
        ),
        Step("ship", services.replacement_ship, _("New unit shipped."), form=forms.ShipForm, transition="ship"),
        Step(
            "receive_old",
            services.replacement_receive_old,
            _("Old unit received."),
            form=forms.ReceiveOldForm,
            transition="receive_old",
        ),
        Step("cancel", services.replacement_cancel, _("Replacement cancelled."), transition="cancel", danger=True),
    ],
)

RETURN = _workflow(
    "return",
    ProductReturn,
    [
        Step("receive", services.product_return_receive, _("Returned unit received."), transition="receive"),
        # The general manager's decision, after a status step as in REPLACEMENT.
        Step(
            "approve",
            services.product_return_approve,
            _("Return approved."),
            form=forms.ApprovalForm,
            transition="approve",
        ),
        Step(
            "reject",
            services.product_return_reject,
            _("Return rejected."),
            form=forms.RejectionForm,
            transition="reject",
            danger=True,
        ),
        Step(
            "check_condition",
            services.product_return_check,
            _("Condition checked."),
            form=forms.ConditionForm,
            transition="check_condition",
        ),
        Step(
            "refund", services.product_return_refund, _("Refund recorded."), form=forms.RefundForm, transition="refund"
        ),
        Step(
            "cancel", services.product_return_cancel, _("Product return cancelled."), transition="cancel", danger=True
        ),
    ],
)

WORKFLOWS = [REPAIR, REPLACEMENT, RETURN]
