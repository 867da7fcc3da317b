"""The error of the document services: a request, upload or read the rules refuse."""

from __future__ import annotations

from portal.errors import ServiceError


class DocumentError(ServiceError):
    """A document request or upload the rules refuse."""
