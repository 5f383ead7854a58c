"""auditlog's middleware, with the client address taken from a header only behind a trusted proxy.

django-auditlog reads ``X-Forwarded-For`` whenever a request carries it, so any client could
write a false address into the audit trail. Here the address is ``REMOTE_ADDR`` unless
``KEHOACH_TRUSTED_PROXY_HEADER`` names the header a trusted reverse proxy sets.
"""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware as Base
from django.conf import settings


class AuditlogMiddleware(Base):
    @staticmethod
    def _get_remote_addr(request):
        header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
        if header and request.META.get(header):
            return request.META[header].split(",")[0].strip()
        return request.META.get("REMOTE_ADDR")
