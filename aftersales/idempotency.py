"""Double submits: a form carries a one-time token; a repeated token returns the first result."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from aftersales.models import FormSubmission


def new_token() -> str:
    return str(uuid.uuid4())


def submit_once(token, user, create):
    """Run `create()` once per token; returns (result, created).

    The token row is inserted in the same transaction as the result, so a crash leaves
    neither; a concurrent duplicate waits on the unique index and then finds the first.
    """
    try:
        token = uuid.UUID(str(token))
    except (TypeError, ValueError):
        token = None
    if token is None:
        return create(), True
    existing = FormSubmission.objects.filter(token=token).first()
    if existing is not None:
        return existing.result, False
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(token=token, user=user if user and user.pk else None)
            result = create()
            if result is not None and getattr(result, "pk", None):
                submission.result_type = ContentType.objects.get_for_model(result)
                submission.result_id = result.pk
                submission.save(update_fields=["result_type", "result_id"])
    except IntegrityError:
        existing = FormSubmission.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing.result, False
    return result, True


def confirm_draft(request, key: str) -> None:
    """Tell the browser (form-draft.js) that the form `key` reached the server: drop its draft."""
    saved = request.session.get("draft_saved", [])
    if key not in saved:
        request.session["draft_saved"] = [*saved, key][-20:]
