"""Abstract bases for every record of ours: who/when, history, and document numbers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NaturalKeyManager(models.Manager):
    """Finds a row by its unique business key (e.g. a department's code), so the reference
    fixtures in fixtures/ name rows by that key: `loaddata` updates a row it finds, never
    adds a second one. The model's natural_key() returns the same fields in the same order."""

    def __init__(self, *key_fields: str):
        super().__init__()
        self.key_fields = key_fields

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.key_fields, key, strict=True)))


class TrackedModel(models.Model):
    """Created/updated by and at, and a full history (who, when, why) of every change."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # A protected FSMField refuses assignment once loaded; forget the loaded value so a
        # reload from the database can set it again (direct assignment stays refused).
        for field in self._meta.concrete_fields:
            if getattr(field, "protected", False) and (fields is None or field.attname in fields):
                self.__dict__.pop(field.attname, None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)


class NumberedModel(TrackedModel):
    """A document with a number that is unique, sequential per type and day, never reused.

    Subclasses set NUMBER_PREFIX (e.g. "WX"); the number is drawn inside the transaction
    that first saves the record, so a rolled-back record gives its number back unissued.
    """

    NUMBER_PREFIX = ""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self.number:
            from aftersales.numbering import next_number

            self.number = next_number(self.NUMBER_PREFIX)
        super().save(*args, **kwargs)
