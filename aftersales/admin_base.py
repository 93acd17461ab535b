"""Admin bases: history on every model, and FSM actions that obey transition permissions."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm.admin import FSMAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.workflow import WorkflowError, lock, perform_transition


class HistoryAdmin(SimpleHistoryAdmin):
    """Records the acting user on save (HistoryRequestMiddleware) and shows the history."""

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "created_by_id") and not change:
            obj.created_by = request.user
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class WorkflowAdmin(FSMAdminMixin, HistoryAdmin):
    """FSM actions in the admin, run through the same checks as the front office.

    django-fsm-2 4.2.4 applies a hand-made POST of `_fsm_transition_to=<name>` without
    checking the transition's `permission`; every transition here is locked, checked with
    `has_transition_perm` and `can_proceed`, and recorded with the acting user. When a
    transition has a service (`transition_services = {"approve": "app.services.x"}`), the
    admin calls it so side effects happen exactly as in the front office.
    """

    transition_services: dict[str, str] = {}
    fsm_transition_success_msg = gettext_lazy("“{transition_name}” done.")

    def response_change(self, request, obj):
        name = request.POST.get(self.fsm_post_param)
        if name:
            try:
                self._get_fsm_transition_func(obj=obj, transition_name=name)
            except (AttributeError, TypeError, ValueError):
                # A hand-made POST naming something that is not a transition of this model.
                self.message_user(request, _("Unknown action."), level=messages.ERROR)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        kwargs = dict(kwargs or {})
        try:
            # Refuse names that are not transitions of this model before anything else.
            self._get_fsm_transition_func(obj=obj, transition_name=transition_name)
            service_path = self.transition_services.get(transition_name)
            if service_path:
                import_string(service_path)(pk=obj.pk, by=request.user, **kwargs)
            else:
                with transaction.atomic():
                    locked = lock(type(obj), obj.pk)
                    perform_transition(
                        locked, transition_name, by=request.user, reason=_("Done in the admin"), **kwargs
                    )
        except (AttributeError, TypeError, ValueError):
            self.message_user(request, _("Unknown action."), level=messages.ERROR)
            return False
        except WorkflowError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return False
        self.message_user(
            request, str(self.fsm_transition_success_msg).format(transition_name=transition_name), messages.SUCCESS
        )
        return True


def register(model, admin_class=HistoryAdmin, **options):
    """Register a model with a history-keeping admin (short form for master data)."""
    attrs = {key: value for key, value in options.items()}
    admin.site.register(model, type(f"{model.__name__}Admin", (admin_class,), attrs))
