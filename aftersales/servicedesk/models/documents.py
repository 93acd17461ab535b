"""技术文件更新 (售后服务控制程序 6.1 c): technical documents per product model, in versions.

When a new version is published, every customer with units of that model gets it (mail with the
file), and the sending is tracked per customer (DocumentDelivery). The unit's page lists the
documents of its model.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.base import TrackedModel
from aftersales.models import Customer, ProductModel


class TechnicalDocument(TrackedModel):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("manual")
        DRAWING = "drawing", _("drawing")
        FIRMWARE = "firmware", _("firmware notes")
        OTHER = "other", _("other")

    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("document title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)

    class Meta:
        verbose_name = _("technical document")
        verbose_name_plural = _("technical documents")
        ordering = ["product_model", "title"]
        constraints = [models.UniqueConstraint(fields=["product_model", "title"], name="techdoc_model_title_uniq")]

    def __str__(self) -> str:
        return f"{self.product_model.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:document-detail", args=[self.pk])

    def user_may_view(self, user) -> bool:
        return user.has_perm("servicedesk.view_technicaldocument")

    @property
    def current_version(self):
        return self.versions.exclude(published_at=None).order_by("-published_at", "-pk").first()


class DocumentVersion(TrackedModel):
    document = models.ForeignKey(
        TechnicalDocument, verbose_name=_("technical document"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=30)
    file = models.FileField(_("file"), upload_to="techdocs/%Y/")
    notes = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["document", "version"], name="techdoc_version_uniq")]
        permissions = [("publish_documentversion", _("Can publish a document version to the customers"))]

    def __str__(self) -> str:
        return f"{self.document} {self.version}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()

    def user_may_view(self, user) -> bool:
        return self.document.user_may_view(user)


class DocumentDelivery(TrackedModel):
    """One customer's copy of a published version: to whom it was mailed, when, or why not."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("document version"), on_delete=models.PROTECT, related_name="deliveries"
    )
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    recipients = models.CharField(_("sent to"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    problem = models.CharField(_("not sent because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document delivery")
        verbose_name_plural = _("document deliveries")
        ordering = ["version", "customer"]
        constraints = [models.UniqueConstraint(fields=["version", "customer"], name="techdoc_delivery_uniq")]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="techdoc_delivery_cust_idx"),
            models.Index(fields=["created_at", "id"], condition=models.Q(sent_at=None), name="techdoc_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.customer}"
