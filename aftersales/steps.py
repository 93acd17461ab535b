"""Each workflow step declared once: one generic POST view and one button renderer serve them all.

A step is what a user does from a record's page: a transition (or another service call such
as a note), the form that asks for its input, the service that does it, a label and a success
message. Who sees its button follows from the transition the user may run now (state, role
permission and the transition's conditions, via django-fsm), or, for a step that is no
transition, from a permission; `when` adds an object predicate to either.

How to add a step: add one `Step(...)` to the `Workflow` of its model in `<app>/steps.py`.
Nothing else — the URL `<app>:<entity>-step`, the button on the record page (`{% steps obj %}`
from `aftersales_tags`), the POST view with its 400/403/405/409 answers all follow.

A step's form is drawn on the record page; a long form for a phone declares `page=True` and
gets a page of its own (GET shows it, with a draft kept in the browser when `draft=True`). A
step whose page is an app's own view (e.g. serial entry checked as typed) names it in `link`.

The service is called as `service(pk=obj.pk, by=request.user, expected_state=<state the page
showed>, **form.cleaned_data)`; `expected_state` is left out for a service that takes none, and
`request` is passed to a service that asks for it (a signature records the device it came from).
"""

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftersales.idempotency import confirm_draft, submit_once
from aftersales.registry import app_modules
from aftersales.workflow import (
    PermissionRefused,
    TransitionRefused,
    WorkflowError,
    available_transitions,
    check_transition,
    state_field_name,
    transition_label,
)


class NoInput(forms.Form):
    """The form of a step that asks for nothing: one button."""


@dataclass(frozen=True)
class Step:
    """One thing a user may do from a record page (see the module docstring)."""

    name: str  # the slug in the URL and the form prefix
    service: Callable[..., Any]
    success: Promise | str
    form: type[forms.BaseForm] | None = None
    transition: str = ""  # the FSM transition the service runs: decides who sees the button
    permission: str = ""  # for a step that is no transition
    when: Callable[[Any, Any], bool] | None = None  # an extra predicate on (record, user)
    label: Promise | str = ""  # defaults to the transition's label
    form_kwargs: Callable[[Any], dict] | None = None  # e.g. lambda case: {"case": case}
    initial: Callable[[Any], dict] | None = None
    danger: bool = False
    page: bool = False  # the form has a page of its own instead of a card on the record page
    draft: bool = False  # with page: the browser keeps what was typed across a reload
    intro: Callable[[Any], str] | None = None  # with page: text above the form
    link: str = ""  # an app's own page for this step (URL name taking the pk): the button opens it

    def title(self, obj) -> str:
        if self.label:
            return str(self.label)
        return transition_label(obj, self.transition) if self.transition else self.name

    def bind(self, obj, data=None, files=None) -> forms.BaseForm:
        form_class = self.form or NoInput
        kwargs = self.form_kwargs(obj) if self.form_kwargs else {}
        initial = self.initial(obj) if self.initial and data is None else None
        # A card on the record page shares the page with others: its fields carry the step's name.
        prefix = None if self.page else self.name
        return form_class(data, files, prefix=prefix, initial=initial, **kwargs)

    def run(self, obj, by, data: dict, expected_state: str | None, request=None):
        kwargs = dict(data)
        parameters = inspect.signature(self.service).parameters
        if "expected_state" in parameters:
            kwargs["expected_state"] = expected_state
        if "request" in parameters:
            kwargs["request"] = request
        return self.service(pk=obj.pk, by=by, **kwargs)


@dataclass(frozen=True)
class Workflow:
    """The steps of one model, and the record page they are drawn on and re-rendered into."""

    model: type[models.Model]
    url_name: str  # the generic step view, e.g. "servicedesk:case-step" (kwargs pk, step)
    template: str  # the record page
    get_object: Callable[[HttpRequest, int], Any]  # fetches and checks the user may see it (404/403)
    context: Callable[[HttpRequest, Any], dict]  # the record page's context
    steps: Sequence[Step] = field(default_factory=tuple)
    form_template: str = "aftersales/step_page.html"  # the page of a `page=True` step

    @cached_property
    def by_name(self) -> dict[str, Step]:
        return {s.name: s for s in self.steps}

    def available(self, obj, user) -> list[Step]:
        """The steps the user may run on `obj` now, in the order declared."""
        # A model may keep a second, smaller state machine beside its status (a shipment's 待安装).
        fields = {state_field_name(obj, s.transition) for s in self.steps if s.transition}
        names = {t.name for field_name in fields for t in available_transitions(obj, user, field_name)}
        shown = []
        for step in self.steps:
            if step.transition and step.transition not in names:
                continue
            if not step.transition and step.permission and not user.has_perm(step.permission):
                continue
            if step.when is not None and not step.when(obj, user):
                continue
            shown.append(step)
        return shown

    def state_field(self, obj) -> str:
        transition = next((s.transition for s in self.steps if s.transition), "")
        return state_field_name(obj, transition) if transition else ""

    def state(self, obj) -> str:
        """The state the page shows, posted back so that a stale page is refused."""
        return getattr(obj, self.state_field(obj) or "status", "")

    def check(self, step: Step, obj, user, *, when: bool = True) -> None:
        """Refuse (403 for the role first, then 409, with the reason) a step the user may not run now."""
        if step.transition:
            transitions = getattr(obj, step.transition)._django_fsm.transitions.values()
            if not any(t.has_perm(obj, user) for t in transitions):
                raise PermissionRefused(_("Your role may not do “%(action)s”.") % {"action": step.title(obj)})
            check_transition(obj, step.transition, user)
        elif step.permission and not user.has_perm(step.permission):
            raise PermissionRefused(_("Your role may not do “%(action)s”.") % {"action": step.title(obj)})
        if when and step.when is not None and not step.when(obj, user):
            raise TransitionRefused(_("“%(action)s” is not possible now.") % {"action": step.title(obj)})

    def draft_key(self, step: Step, obj) -> str:
        return f"{self.model._meta.model_name}-{step.name}-{obj.pk}" if step.draft else ""

    def render(self, request, obj, *, bound: dict | None = None, error: str = "", status: int = 200):
        context = self.context(request, obj)
        # Answered at the step's POST address: the page tells the browser the record's own.
        context.update(step_forms=bound or {}, step_error=error, page_url=obj.get_absolute_url())
        return render(request, self.template, context, status=status)

    def render_page(self, request, obj, step: Step, form, *, status: int = 200):
        context = {
            "object": obj,
            "title": step.title(obj),
            "intro": step.intro(obj) if step.intro else "",
            "form": form,
            "back": obj.get_absolute_url(),
            "submit": step.title(obj),
            "draft_key": self.draft_key(step, obj),
            "sign": "signature" in form.fields,
            "multipart": form.is_multipart(),
            "expected_state": self.state(obj),
        }
        return render(request, self.form_template, context, status=status)


def workflow_for(model: type[models.Model]) -> Workflow:
    """The Workflow an app declared for `model` in its `<app>/steps.py` (`WORKFLOWS = [...]`)."""
    for module in app_modules("steps"):
        for workflow in getattr(module, "WORKFLOWS", ()):
            if workflow.model is model:
                return workflow
    raise LookupError(f"No workflow steps declared for {model.__name__}")


def steps_context(context, obj) -> dict:
    """What the step renderer draws: each step the user may run now, with its (bound) form."""
    request = context["request"]
    workflow = workflow_for(type(obj))
    bound = context.get("step_forms") or {}
    drawn = []
    for step in workflow.available(obj, request.user):
        form = bound.get(step.name) or step.bind(obj)
        drawn.append(
            {
                "name": step.name,
                "title": step.title(obj),
                "form": form,
                "danger": step.danger,
                "page": step.page or bool(step.link),
                "url": reverse(step.link, args=[obj.pk])
                if step.link
                else reverse(workflow.url_name, kwargs={"pk": obj.pk, "step": step.name}),
            }
        )
    return {"steps": drawn, "state": workflow.state(obj), "error": context.get("step_error", "")}


@login_required
@require_http_methods(["GET"])
def record_page(request, pk: int, *, workflow: Workflow) -> HttpResponse:
    """A record's page: the same fetch, context and template that its steps draw again on a refusal."""
    return workflow.render(request, workflow.get_object(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def run_step(request, pk: int, step: str, *, workflow: Workflow) -> HttpResponse:
    """POST one step: bind its form, call its service, redirect; the page again with 400/403/409.

    GET is answered only for a step with a page of its own (405 otherwise).
    """
    obj = workflow.get_object(request, pk)
    declared = workflow.by_name.get(step)
    if declared is None or declared.link:
        raise Http404
    if request.method == "GET":
        if not declared.page:
            return HttpResponseNotAllowed(["POST"])
        workflow.check(declared, obj, request.user)
        return workflow.render_page(request, obj, declared, declared.bind(obj))
    form = declared.bind(obj, request.POST, request.FILES)
    if not form.is_valid():
        # Whoever may not run the step at all hears so (403/409) rather than about its fields.
        workflow.check(declared, obj, request.user, when=False)
        if declared.page:
            return workflow.render_page(request, obj, declared, form, status=400)
        error = _("Please check the form “%(title)s”.") % {"title": declared.title(obj)}
        return workflow.render(request, obj, bound={step: form}, error=error, status=400)
    expected_state = request.POST.get("expected_state") or None
    try:
        _result, created = submit_once(
            request.POST.get("form_token"),
            request.user,
            lambda: declared.run(obj, request.user, form.cleaned_data, expected_state, request) or obj,
        )
    except WorkflowError as exc:
        obj = workflow.get_object(request, pk)
        if declared.page:
            form.add_error(None, exc.message)
            return workflow.render_page(request, obj, declared, form, status=exc.http_status)
        return workflow.render(request, obj, bound={step: form}, error=exc.message, status=exc.http_status)
    if declared.draft:
        confirm_draft(request, workflow.draft_key(declared, obj))
    if created:
        messages.success(request, str(declared.success))
    else:
        messages.info(request, _("This form was already sent; it was done once."))
    return redirect(obj.get_absolute_url())
