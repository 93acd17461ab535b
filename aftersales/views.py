import uuid
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftersales.attachments import user_may_view_record
from aftersales.models import ArchivedDocument, Attachment, Signature, sha256_hex
from aftersales.ratelimit import rate_limited
from aftersales.registry import todo_sections, verify_target
from aftersales.sendfile import send_file


@login_required
def todo(request):
    """待办: what waits for the signed-in user's roles."""
    return render(request, "aftersales/todo.html", {"sections": todo_sections(request.user)})


def _record_file(request, obj, filefield, content_type, filename, *, inline=True):
    record = obj.record
    if record is None or not user_may_view_record(request.user, record):
        raise PermissionDenied
    return send_file(
        request, filefield, content_type=content_type, filename=filename, inline=inline, etag=getattr(obj, "sha256", "")
    )


@login_required
def attachment_file(request, pk: int):
    att = get_object_or_404(Attachment, pk=pk)
    return _record_file(request, att, att.file, att.content_type, att.original_name)


@login_required
def signature_image(request, pk: int):
    sig = get_object_or_404(Signature, pk=pk)
    return _record_file(request, sig, sig.image, "image/png", f"signature-{sig.pk}.png")


@login_required
def archive_download(request, pk: int):
    doc = get_object_or_404(ArchivedDocument, pk=pk)
    return _record_file(request, doc, doc.file, "application/pdf", f"{doc.title}.pdf", inline=False)


def office_language(view):
    """A public page (verification, customer signing) speaks the office's language, Chinese,
    whatever the visitor's browser asks; a language chosen with the switch (cookie) is kept."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    return wrapped


@require_http_methods(["GET"])
@rate_limited("verify", per_minute=30)
@office_language
def verify_lookup(request):
    """The code printed under the QR code, typed in: on to the document's verification page."""
    raw = (request.GET.get("code") or "").strip()
    if not raw:
        return render(request, "aftersales/verify_lookup.html", {"code": "", "error": ""})
    try:
        code = uuid.UUID(raw)
    except ValueError:
        error = _("This is not a verification code: it has 32 letters and digits, as printed under the QR code.")
        return render(request, "aftersales/verify_lookup.html", {"code": raw, "error": error}, status=400)
    doc = ArchivedDocument.objects.filter(verify_code=code).first()
    if doc is not None:
        return redirect("aftersales:archive-verify", code=doc.verify_code)
    target = verify_target(code)
    if target:
        return redirect(target)
    error = _("No archived document has this verification code.")
    return render(request, "aftersales/verify_lookup.html", {"code": raw, "error": error}, status=404)


@require_http_methods(["GET", "POST"])
@rate_limited("verify", per_minute=30)
@office_language
def archive_verify(request, code):
    """The page a printed QR code opens: does this PDF match the archived original?"""
    doc = ArchivedDocument.objects.filter(verify_code=code).first()
    if doc is None:
        raise Http404
    result = None
    if request.method == "POST" and request.FILES.get("pdf"):
        upload = request.FILES["pdf"]
        result = sha256_hex(upload.read()) == doc.sha256
    return render(request, "aftersales/archive_verify.html", {"doc": doc, "result": result})
