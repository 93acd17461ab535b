"""A tiny numbered workflow used to test the shared machinery on its own."""

from django.db import models
from django_fsm import FSMField, transition

from aftersales.base import NumberedModel


class Ticket(NumberedModel):
    NUMBER_PREFIX = "TT"

    class Status(models.TextChoices):
        NEW = "new", "new"
        APPROVED = "approved", "approved"
        CLOSED = "closed", "closed"

    status = FSMField(default=Status.NEW, choices=Status.choices, protected=True)
    title = models.CharField(max_length=100, blank=True)
    approved_note = models.CharField(max_length=200, blank=True)
    closed_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        permissions = [("approve_ticket", "Can approve ticket")]

    @transition(
        field=status,
        source=Status.NEW,
        target=Status.APPROVED,
        permission="testapp.approve_ticket",
        custom={"label": "批准"},
    )
    def approve(self, note: str = ""):
        self.approved_note = note

    @transition(
        field=status,
        source=Status.CLOSED,
        target=Status.NEW,
        permission="testapp.approve_ticket",
        conditions=[lambda ticket: bool(ticket.title)],
        custom={"label": "重新打开", "unmet": "没有标题的单据不能重新打开。"},
    )
    def reopen(self):
        pass

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.CLOSED,
        permission="testapp.approve_ticket",
        custom={"label": "关闭"},
    )
    def close(self, *, by):
        self.closed_by_name = by.username
