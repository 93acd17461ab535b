"""Logging filters: a refusal (4xx) is one line in the log, a server error (5xx) keeps its traceback."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Drops the traceback from the records of 4xx responses (django.request, django.security.*).

    Django logs a PermissionDenied or a SuspiciousOperation with its exception attached. For a
    refusal that worked as meant the stack says nothing and buries the real errors; the
    exception's message, which may say why, is kept on the same line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not (isinstance(status, int) and 400 <= status < 500) or not record.exc_info:
            return True
        exception = record.exc_info[1]
        message = record.getMessage()
        reason = " ".join(str(exception or "").split())
        if reason and reason not in message:
            message = f"{message} ({reason})"
        record.msg, record.args = message, None
        record.exc_info = record.exc_text = None
        return True
