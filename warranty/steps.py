"""The steps of warranty and quality records, each declared once: the detail page draws the buttons, one view runs them.

Who may run each follows from the transitions in models.py (role, state, conditions).
"""

from django.utils.translation import gettext_lazy as _

from aftersales.steps import Step, Workflow
from warranty import forms, roles, services, views
from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)


def _workflow(key: str, model, steps: list[Step]) -> Workflow:
    return Workflow(
        model=model,
        url_name=f"warranty:{key}-step",
        template="warranty/detail.html",
        get_object=views.record_for(key),
        context=views.detail_context(key),
        steps=steps,
    )


SHEET = _workflow(
    "sheet",
    QualitySheet,
    [
        Step(
            "send",
            services.sheet_send,
            _("Quality information sheet sent to QC."),
            form=forms.SendForm,
            transition="send",
        ),
        Step("answer", services.sheet_answer, _("QC opinion recorded."), form=forms.AnswerForm, transition="answer"),
        # 4.2: QC and R&D each name their own people; the site visit goes out once both have.
        Step(
            "name_qc_team",
            services.sheet_name_qc_team,
            _("QC's people named."),
            form=forms.SiteTeamForm,
            transition="name_qc_team",
        ),
        Step(
            "name_rnd_team",
            services.sheet_name_rnd_team,
            _("R&D's people named."),
            form=forms.SiteTeamForm,
            transition="name_rnd_team",
        ),
    ],
)

PART = _workflow(
    "part",
    ReturnedPart,
    [
        Step(
            "grade_part",
            services.part_grade,
            _("Part graded and tagged."),
            form=forms.GradeForm,
            transition="grade_part",
        ),
        Step(
            "quarantine",
            services.part_quarantine,
            _("Part received into the quarantine zone."),
            form=forms.QuarantineForm,
            transition="quarantine",
        ),
        Step(
            "handover",
            services.part_handover,
            _("Hand-over recorded."),
            form=forms.HandoverForm,
            permission="warranty.handover_returnedpart",
            when=lambda part, _user: part.status == ReturnedPart.Status.QUARANTINED,
            label=_("Record the hand-over"),
        ),
    ],
)

APPRAISAL = _workflow(
    "appraisal",
    Appraisal,
    [
        # QC signs with a finger: a page of its own, with the rule that decides the outcome above the form.
        Step(
            "appraise",
            services.appraisal_appraise,
            _("Appraisal signed and routed."),
            form=forms.AppraiseForm,
            transition="appraise",
            page=True,
            intro=lambda appraisal: str(services.outcome_rule(appraisal)[1]),
        ),
        Step(
            "exchange",
            services.appraisal_exchange,
            _("Good part handed out."),
            form=forms.ExchangeForm,
            transition="exchange",
        ),
        Step("tell_customer", services.appraisal_tell_customer, _("Customer told."), transition="tell_customer"),
        # 4.4: the departments it was routed to take note; the notice then leaves their 待办.
        Step(
            "take_note",
            services.appraisal_take_note,
            _("Noted."),
            when=lambda appraisal, user: roles.has_unread_notice(user, appraisal),
            label=_("Noted"),
        ),
    ],
)

SUPPLIER_CLAIM = _workflow(
    "supplierclaim",
    SupplierClaim,
    [
        Step(
            "notify",
            services.supplier_claim_notify,
            _("Supplier notified."),
            form=forms.NotifySupplierForm,
            transition="notify",
        ),
        Step(
            "receive",
            services.supplier_claim_receive,
            _("Replacement received."),
            form=forms.ReceiveForm,
            transition="receive",
        ),
    ],
)

CUSTOMER_CLAIM = _workflow(
    "customerclaim",
    CustomerClaim,
    [
        Step("agree", services.customer_claim_agree, _("Amount agreed."), form=forms.AgreeForm, transition="agree"),
        Step(
            "approve",
            services.customer_claim_approve,
            _("Agreed amount approved."),
            form=forms.ClaimApprovalForm,
            transition="approve",
        ),
        Step(
            "send_back",
            services.customer_claim_send_back,
            _("Amount sent back to marketing."),
            form=forms.ClaimSendBackForm,
            transition="send_back",
        ),
        Step(
            "pay",
            services.customer_claim_pay,
            _("Claim payment recorded."),
            form=forms.PayForm,
            initial=lambda claim: {"amount": claim.amount_agreed},
            transition="pay",
        ),
        Step(
            "reject",
            services.customer_claim_reject,
            _("Customer claim rejected."),
            form=forms.NoteForm,
            transition="reject",
            danger=True,
        ),
    ],
)

INCIDENT = _workflow(
    "incident",
    QualityIncident,
    [
        Step("trace", services.incident_trace, _("First cause recorded."), form=forms.TraceForm, transition="trace"),
        Step(
            "assign",
            services.incident_assign,
            _("Responsible department assigned."),
            form=forms.AssignForm,
            transition="assign",
        ),
        Step(
            "dispatch",
            services.incident_dispatch,
            _("People dispatched."),
            form=forms.DispatchForm,
            transition="dispatch",
        ),
        # The customer signs with a finger on the technician's tablet: a page of its own.
        Step(
            "file_feedback",
            services.incident_feedback_sign,
            _("Feedback sheet signed by the customer."),
            form=forms.FeedbackSignForm,
            transition="file_feedback",
            page=True,
        ),
        # Or on their own phone: the link's signature files the feedback as the user who made it.
        Step(
            "signing_link",
            services.incident_signing_link_create,
            _("Signing link made: the customer opens it on their own phone."),
            transition="file_feedback",
            label=_("Make a signing link"),
        ),
        Step(
            "cost",
            services.incident_cost_add,
            _("Cost recorded."),
            form=forms.CostForm,
            permission="warranty.cost_qualityincident",
            when=lambda incident, _user: incident.status == QualityIncident.Status.FEEDBACK,
            label=_("Add the cost"),
        ),
        Step("submit_costs", services.incident_submit_costs, _("Costs submitted."), transition="submit_costs"),
        Step(
            "sanction",
            services.sanction_propose,
            _("Reward or penalty proposed: the company leadership decides."),
            form=forms.SanctionForm,
            permission="warranty.add_qualitysanction",
            when=lambda incident, _user: incident.status in services.RESPONSIBILITY_TRACED,
            label=_("Propose a reward or penalty (质量奖罚)"),
        ),
        Step(
            "decide_sanctions",
            services.sanctions_decide,
            _("Decision on the rewards and penalties recorded."),
            form=forms.SanctionDecisionForm,
            permission="warranty.approve_qualitysanction",
            when=lambda incident, _user: incident.sanctions.filter(decision="proposed").exists(),
            label=_("Decide the proposed rewards and penalties"),
        ),
        Step("confirm", services.incident_confirm, _("Costs confirmed."), transition="confirm"),
        Step("review", services.incident_review, _("Review recorded."), form=forms.ReviewForm, transition="review"),
    ],
)

ACTION = _workflow(
    "action",
    CorrectiveAction,
    [
        Step(
            "implement",
            services.action_implement,
            _("Implementation recorded."),
            form=forms.ImplementForm,
            transition="implement",
        ),
        Step("verify", services.action_verify, _("Verification recorded."), form=forms.VerifyForm, transition="verify"),
    ],
)

WORKFLOWS = [SHEET, PART, APPRAISAL, SUPPLIER_CLAIM, CUSTOMER_CLAIM, INCIDENT, ACTION]
