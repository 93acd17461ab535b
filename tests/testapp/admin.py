from django.contrib import admin

from aftersales.admin_base import WorkflowAdmin
from tests.testapp.models import Ticket


@admin.register(Ticket)
class TicketAdmin(WorkflowAdmin):
    fsm_fields = ["status"]
    list_display = ["number", "status", "title"]
    transition_services = {"approve": "tests.testapp.services.ticket_approve"}
