"""Stop storing an upload as soon as it is larger than any evidence may be.

Django streams large uploads to a temporary file; without this handler a 5 GB upload would be
written to disk in full before the per-kind size check refused it. This handler (Django's upload
handler API) stops keeping the body once it passes the largest configured limit; the rest is read
and discarded, and the request is marked so that the view answers with a clear message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class MaxSizeUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max(
            settings.EVIDENCE_MAX_DOCUMENT_BYTES,
            settings.EVIDENCE_MAX_IMAGE_BYTES,
            settings.EVIDENCE_MAX_VIDEO_BYTES,
            settings.IMPORT_MAX_BYTES,
        )
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length or 0
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit or getattr(self, "declared", 0) > self.limit + 1024 * 1024:
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
