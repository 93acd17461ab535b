"""Admin bases: history on every model, and FSM actions only through the services."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import FSMFieldMixin
from django_fsm.admin import FSMAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.workflow import WorkflowError

# How many rows one save of a record's page may add to one of its inlines.
INLINE_ROWS_ADDED = 50


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, drawing a form posted back with a value that is no key
    (`customer=abc`, a 30-digit id) as nothing chosen instead of failing on the lookup."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = []
        for item in value:
            try:
                key = target.to_python(item)
            except ValidationError:
                continue
            if isinstance(key, int) and not -(2**63) < key < 2**63:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class HistoryAdmin(SimpleHistoryAdmin):
    """Records the acting user on save (HistoryRequestMiddleware) and shows the history."""

    def get_formsets_with_inlines(self, request, obj=None):
        # A posted TOTAL_FORMS is believed up to absolute_max (Django: max_num + 1000): a tampered
        # one would build and draw two thousand inline rows, past the server's worker timeout.
        for inline in self.get_inline_instances(request, obj):
            formset = inline.get_formset(request, obj)
            existing = 0
            if obj is not None and obj.pk is not None and getattr(formset, "fk", None) is not None:
                existing = formset.model._default_manager.filter(**{formset.fk.name: obj}).count()
            limit = existing + INLINE_ROWS_ADDED
            max_num = inline.get_max_num(request, obj)
            if max_num is None:
                max_num = limit
            yield inline.get_formset(request, obj, max_num=max_num, absolute_max=max(limit, max_num)), inline

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "created_by_id") and not change:
            obj.created_by = request.user
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # SIMPLE_HISTORY_REVERT_DISABLED only hides the button: a POST here would still write an
        # old version back, rolling a signed record back without any transition.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class WorkflowAdmin(FSMAdminMixin, HistoryAdmin):
    """FSM actions in the admin, only through the services the front office uses.

    A transition is offered and accepted here only when this admin names its service:
    `transition_services = {"approve": "app.services.approve"}` is the opt-in. django-fsm-2
    shows every transition unless it says `custom={"admin": False}` and its own
    `_apply_fsm_transition` calls the bare transition method, so both are replaced: a hand-made
    POST of `_fsm_transition_to=<name>` that is not opted in is refused, and an opted-in one
    runs the service (lock, state, role, side effects) exactly as the front office does.

    Once the record has left its first state its fields and inlines are read-only (and it
    cannot be deleted): past that point only its transitions change it.
    """

    transition_services: dict[str, str] = {}
    fsm_transition_success_msg = gettext_lazy("“{transition_name}” done.")

    # --- which transitions -------------------------------------------------------------------

    def is_fsm_transition_visible(self, transition) -> bool:
        return transition.name in self.transition_services

    def _refuse_unknown(self, request, obj):
        self.message_user(request, _("This action is not available in the back office."), level=messages.ERROR)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", object_id=obj.pk)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        name = request.POST.get(self.fsm_post_param) if request.method == "POST" else None
        if not (name and object_id):
            return super().changeform_view(request, object_id, form_url, extra_context)
        # A transition button: run the step alone, never together with a save of the form.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if name not in self.transition_services:
            return self._refuse_unknown(request, obj)
        transition = self._get_fsm_transition_by_name(obj=obj, transition_name=name)
        if self.get_fsm_transition_form(transition):
            return redirect(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_transition", object_id=obj.pk, transition_name=name
            )
        self._apply_fsm_transition(obj=obj, transition_name=name, request=request)
        return HttpResponseRedirect(request.path)

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if transition_name not in self.transition_services:
            return self._refuse_unknown(request, obj)
        return super().fsm_transition_view(request, object_id, transition_name, **kwargs)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        service_path = self.transition_services.get(transition_name)
        if service_path is None:
            self.message_user(request, _("This action is not available in the back office."), level=messages.ERROR)
            return False
        try:
            import_string(service_path)(pk=obj.pk, by=request.user, **dict(kwargs or {}))
        except WorkflowError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return False
        self.message_user(
            request, str(self.fsm_transition_success_msg).format(transition_name=transition_name), messages.SUCCESS
        )
        return True

    # --- read-only once under way -------------------------------------------------------------

    def has_left_first_state(self, obj) -> bool:
        for name in self.fsm_fields:
            field = self.model._meta.get_field(name)
            if isinstance(field, FSMFieldMixin) and getattr(obj, name) != field.get_default():
                return True
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.has_left_first_state(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.has_left_first_state(obj):
            return False
        return super().has_delete_permission(request, obj)


def register(model, admin_class=HistoryAdmin, **options):
    """Register a model with a history-keeping admin (short form for master data)."""
    attrs = {key: value for key, value in options.items()}
    admin.site.register(model, type(f"{model.__name__}Admin", (admin_class,), attrs))
