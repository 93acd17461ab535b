"""Stored files (archived PDFs, photos, signatures, documents) checked by our code, sent by the web server.

The view decides who may have the file; the bytes need not pass through Python. With
`SENDFILE_BACKEND = "nginx"` the response is empty and carries `X-Accel-Redirect:
<SENDFILE_URL_PREFIX><file name>`: nginx serves the file from an `internal` location (README,
"Production": the snippet); with `"apache"` it carries `X-Sendfile: <path>` (mod_xsendfile).
Without a front server (`""`, the default) Django streams it with FileResponse, which hands the
file to the WSGI server's file wrapper (gunicorn uses sendfile(2)).

Stored files never change (a new version is a new file), so each response has a strong ETag and
Last-Modified, and a browser that has it gets 304 without the file being opened.
"""

import mimetypes
from datetime import UTC
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag


def _disposition(filename: str, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def send_file(request, filefield, *, content_type: str | None, filename: str, inline: bool = True, etag: str = ""):
    """The response that delivers a stored file the caller has allowed the user to have."""
    storage, name = filefield.storage, filefield.name
    try:
        modified = storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        modified = None
    tag = quote_etag(etag or name)  # stored files never change: the name is the version
    if request.headers.get("If-None-Match") == tag:
        return HttpResponseNotModified(headers={"ETag": tag})
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    backend = getattr(settings, "SENDFILE_BACKEND", "")
    response: HttpResponse | FileResponse
    if backend == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.SENDFILE_URL_PREFIX.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = _disposition(filename, inline)
    elif backend == "apache":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
        response["Content-Disposition"] = _disposition(filename, inline)
    else:
        response = FileResponse(
            filefield.open("rb"), content_type=content_type, as_attachment=not inline, filename=filename
        )
    response["ETag"] = tag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.replace(tzinfo=modified.tzinfo or UTC).timestamp())
    # Private: behind a login; a shared cache must not keep it.
    response["Cache-Control"] = "private, max-age=3600"
    return response
