"""Where generated files are written: a temporary name first, moved into place when complete.

On a local disk (the embedded and single-server tiers) the temporary file sits inside the storage
folder (``documents/.partial/``) so the final move is a rename: the file appears whole or not at
all. On an object store (S3) it is written to a local temporary file and uploaded in one put; the
object appears only when the upload completes. Either way no half-written file is ever served.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage

PARTIAL = "documents/.partial"
CHUNK = 1024 * 1024


class SpooledFile(File):
    """A finished temporary file: FileSystemStorage moves it (a rename) instead of copying."""

    def temporary_file_path(self) -> str:
        return self.file.name


def spool_dir(storage: Storage | None = None) -> Path:
    storage = storage or default_storage
    try:
        folder = Path(storage.path(PARTIAL))
    except NotImplementedError:  # not a local disk
        folder = Path(tempfile.gettempdir()) / "kehoach-partial"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_spool(extension: str, storage: Storage | None = None) -> Path:
    return spool_dir(storage) / f"{uuid.uuid4().hex}{extension}.part"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def publish(path: Path, name: str, storage: Storage | None = None) -> str:
    """Move the finished ``path`` to ``name`` in storage; the stored name (it may differ)."""
    storage = storage or default_storage
    with path.open("rb") as fh:
        stored = storage.save(name, SpooledFile(fh, name=str(path)))
    discard(path)  # gone already after a rename; removed after an upload
    return stored


def discard(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
