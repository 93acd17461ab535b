"""Generated monthly after-sales summaries (产品售后服务流程 3.5: 定期汇总售后服务信息反馈, 并反馈给相关部门)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from aftersales.base import TrackedModel
from aftersales.workflow import system_step


class ReportRun(TrackedModel):
    """One generation of the monthly summary PDF; the page polls its status and progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    month = models.DateField(_("month"), help_text=_("first day of the month summarised"))
    status = FSMField(_("status"), default=Status.QUEUED, choices=Status.choices, protected=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    document = models.ForeignKey(
        "aftersales.ArchivedDocument",
        verbose_name=_("archived PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("monthly summary")
        verbose_name_plural = _("monthly summaries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="reportrun_created_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report-summary-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    # The steps of a run are taken by the background generation, as the system actor.
    @transition(field=status, source=Status.QUEUED, target=Status.RUNNING, permission=system_step)
    def start(self):
        self.progress = 5

    @transition(field=status, source=Status.RUNNING, target=Status.DONE, permission=system_step)
    def finish(self, *, document):
        self.document, self.progress = document, 100

    @transition(field=status, source=[Status.QUEUED, Status.RUNNING], target=Status.FAILED, permission=system_step)
    def fail(self, *, error: str):
        self.error = error
