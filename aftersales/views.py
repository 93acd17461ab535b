from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from aftersales.attachments import user_may_view_record
from aftersales.models import ArchivedDocument, Attachment, Signature, sha256_hex
from aftersales.ratelimit import rate_limited
from aftersales.registry import todo_sections


@login_required
def todo(request):
    """待办: what waits for the signed-in user's roles."""
    return render(request, "aftersales/todo.html", {"sections": todo_sections(request.user)})


def _record_file(request, obj, filefield, content_type, filename, *, inline=True):
    record = obj.record
    if record is None or not user_may_view_record(request.user, record):
        raise PermissionDenied
    return FileResponse(filefield.open("rb"), content_type=content_type, as_attachment=not inline, filename=filename)


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


@require_http_methods(["GET", "POST"])
@rate_limited("verify", per_minute=30)
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
