"""Document numbers: prefix + day + sequence (WX-20261128-0007), unique and never reused."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.models import DocumentSequence


def next_number(prefix: str, *, when=None) -> str:
    """Draw the next number for a prefix; the sequence row stays locked until the caller commits.

    Holding the row lock to the end of the caller's transaction is what makes numbers
    gap-free and unique under concurrent creators: a second creator waits, then reads the
    committed value. If the caller rolls back, the number was never issued.
    """
    if not prefix:
        raise ValueError("a numbered document needs a NUMBER_PREFIX")
    period = timezone.localtime(when).strftime("%Y%m%d")
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    seq, _created = DocumentSequence.objects.select_for_update().get_or_create(
                        prefix=prefix, period=period
                    )
                break
            except IntegrityError:
                # Another creator inserted the row first; lock it on the next attempt.
                continue
        else:  # pragma: no cover - five lost races in a row means something else is wrong
            raise RuntimeError(f"could not draw a number for {prefix}")
        seq.last_value += 1
        seq.save(update_fields=["last_value"])
    return f"{prefix}-{period}-{seq.last_value:04d}"
