"""Backup and restore: the database as portable JSON, the media files, and a manifest.

``backup_write`` takes a consistent snapshot: every table is read inside one transaction (on
PostgreSQL with REPEATABLE READ, on SQLite a single read transaction), and the media files are
copied while that snapshot is held. Media files are never rewritten in place (random names, new
file per upload), so the copy matches the rows. The manifest records the row count of every model
and the SHA-256 and size of every file, including the database dump itself.

``backup_restore`` checks the manifest first, refuses a non-empty installation, loads the dump,
copies the files back and verifies counts and hashes again. It works across databases (a SQLite
backup restores into PostgreSQL and back): the dump is Django's JSON with natural keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "kehoach.backup/1"
DUMP = "database.json"
MANIFEST = "manifest.json"
MEDIA = "media"

# Rows that migrate creates by itself or that have no value in a backup.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# A new installation has no users, units or plans. Any other rows it has were created by
# ``migrate`` (default channels, indicator kinds, …); the backup's own rows replace them.
USER_DATA = ("orgs.user", "orgs.orgunit", "plans.plan")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


@dataclass
class BackupResult:
    path: Path
    counts: dict[str, int]
    files: int


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in EXCLUDED or model._meta.proxy or not model._meta.managed:
            continue
        yield label, model


def _media_root() -> Path:
    return Path(default_storage.location)


def model_counts() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in _models()}


def backup_write(dest: Path) -> BackupResult:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"Thư mục {dest} đã có dữ liệu; hãy chọn một thư mục trống.")
    dest.mkdir(parents=True, exist_ok=True)
    labels = [label for label, _ in _models()]
    # One consistent snapshot of every table. PostgreSQL takes the isolation level only as the
    # first statement of a transaction: when called inside one already (a test, a caller's
    # atomic block), that transaction's own snapshot is what there is.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = model_counts()
        with (dest / DUMP).open("w", encoding="utf-8") as out:
            call_command(
                "dumpdata",
                *labels,
                format="json",
                natural_foreign=True,
                natural_primary=True,
                stdout=out,
                verbosity=0,
            )
        files = _copy_media(_media_root(), dest / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database_vendor": connection.vendor,
        "counts": counts,
        "database": {
            "name": DUMP,
            "sha256": sha256_file(dest / DUMP),
            "size": (dest / DUMP).stat().st_size,
        },
        "files": files,
    }
    (dest / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return BackupResult(dest, counts, len(files))


def _copy_media(source: Path, target: Path) -> list[dict]:
    files = []
    if not source.exists():
        return files
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        copy = target / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        files.append({"path": relative, "sha256": sha256_file(copy), "size": copy.stat().st_size})
    return files


def backup_verify(src: Path) -> dict:
    """Read and check a backup's manifest against its files; returns the manifest."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được {MANIFEST} trong {src}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("Tệp sao lưu không đúng định dạng của kehoach.")
    if sha256_file(src / DUMP) != manifest["database"]["sha256"]:
        raise BackupError("Tệp dữ liệu bị thay đổi hoặc hỏng (SHA-256 không khớp).")
    for entry in manifest["files"]:
        path = src / MEDIA / entry["path"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise BackupError(f"Tệp {entry['path']} bị thiếu hoặc hỏng (SHA-256 không khớp).")
    return manifest


def backup_restore(src: Path) -> dict[str, int]:
    """Restore a backup into an empty, migrated installation; returns the restored counts."""
    manifest = backup_verify(src)
    before = model_counts()
    present = {label: before[label] for label in USER_DATA if before.get(label)}
    if present:
        raise BackupError(
            "Cơ sở dữ liệu đích chưa trống ("
            + ", ".join(sorted(present))
            + "); chỉ phục hồi vào bản cài đặt mới."
        )
    media = _media_root()
    copied: list[Path] = []
    try:
        # Clearing what a fresh installation seeds (the default channels) and loading rows are
        # not changes anyone made: no audit entries for them, the trail comes from the dump.
        with transaction.atomic(), disable_auditlog():
            for label, count in before.items():
                if count:
                    apps.get_model(label)._default_manager.all().delete()
            with (Path(src) / DUMP).open("r", encoding="utf-8") as f:
                objects = serializers.deserialize("json", f, handle_forward_references=True)
                deferred = []
                loaded: dict[str, list] = {}
                for obj in objects:
                    obj.save()
                    loaded.setdefault(obj.object._meta.label_lower, []).append(obj.object.pk)
                    if obj.deferred_fields:
                        deferred.append(obj)
                for obj in deferred:
                    obj.save_deferred_fields()
            counts = model_counts()
            expected = manifest["counts"]
            wrong = {k: (counts.get(k), v) for k, v in expected.items() if counts.get(k) != v}
            if wrong:
                raise BackupError(
                    f"Số bản ghi sau khi phục hồi không khớp: {wrong}"
                    + "".join(
                        f"; {_what_went_wrong(label, loaded.get(label, []))}" for label in wrong
                    )
                )
            for entry in manifest["files"]:
                target = media / entry["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(src) / MEDIA / entry["path"], target)
                copied.append(target)
                if sha256_file(target) != entry["sha256"]:
                    raise BackupError(f"Tệp {entry['path']} chép lại bị lỗi.")
        _reset_sequences()
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    return counts


def _what_went_wrong(label: str, pks: list) -> str:
    """For a count that does not match: rows of the dump saved twice under one key, rows saved
    but gone afterwards (a cascade), and rows there that the dump did not bring."""
    twice = len(pks) - len(set(pks))
    stored = set(apps.get_model(label)._default_manager.values_list("pk", flat=True))
    gone = sorted(set(pks) - stored, key=str)[:5]
    extra = sorted(stored - set(pks), key=str)[:5]
    return f"{label}: {len(pks)} dòng đã nạp, {twice} trùng khóa, mất {gone}, thừa {extra}"


def _reset_sequences() -> None:
    """After loading rows with explicit ids, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    models = [model for _, model in _models()]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
