"""Links between records of different workflows, shown on both records' pages."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from aftersales.models import RecordLink


@dataclass(frozen=True)
class Linked:
    kind: str
    record: object
    outgoing: bool


def link_records(source, target, kind: str, *, by=None) -> RecordLink:
    """Record that `source` led to `target` (idempotent)."""
    link, _created = RecordLink.objects.get_or_create(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        kind=kind,
        defaults={"created_by": by},
    )
    return link


def linked_records(obj) -> list[Linked]:
    """Every record linked to `obj`, either way, oldest first."""
    ct = ContentType.objects.get_for_model(obj)
    rows = RecordLink.objects.filter(
        Q(source_type=ct, source_id=obj.pk) | Q(target_type=ct, target_id=obj.pk)
    ).order_by("created_at", "pk")
    result, seen = [], set()
    for row in rows:
        outgoing = row.source_type_id == ct.id and row.source_id == obj.pk
        key = (row.target_type_id, row.target_id) if outgoing else (row.source_type_id, row.source_id)
        if key in seen:
            continue  # linked twice (by the publisher and by the handler): shown once
        other = row.target if outgoing else row.source
        if other is not None:
            seen.add(key)
            result.append(Linked(row.kind, other, outgoing))
    return result


def linked_of_type(obj, model, kind: str | None = None) -> list:
    """The records of one model linked to `obj` (e.g. the service jobs of a case)."""
    return [
        linked.record
        for linked in linked_records(obj)
        if isinstance(linked.record, model) and (kind is None or linked.kind == kind)
    ]
