"""A populated instance, backed up and restored into a fresh database and storage, is the same."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from kehoach.ops.backup import MANIFEST, BackupError, backup_verify, model_counts, sha256_file

pytestmark = pytest.mark.django_db


def run_kehoach(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "kehoach", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_backup_and_restore_into_a_fresh_installation(ward_report, media_root, tmp_path):
    counts = model_counts()
    assert counts["reporting.evidence"] == 1 and counts["plans.assignment"] > 100
    dest = tmp_path / "backup"
    call_command("backup", str(dest))
    manifest = backup_verify(dest)
    assert manifest["counts"] == counts
    originals = {
        p.relative_to(media_root).as_posix(): sha256_file(p)
        for p in media_root.rglob("*")
        if p.is_file()
    }
    assert originals and {f["path"]: f["sha256"] for f in manifest["files"]} == originals

    # A new installation: its own database file and media folder, in another process.
    fresh_db, fresh_media = tmp_path / "fresh.sqlite3", tmp_path / "fresh-media"
    env = {
        "KEHOACH_DATABASE_URL": f"sqlite:///{fresh_db}",
        "KEHOACH_MEDIA_ROOT": str(fresh_media),
        "KEHOACH_VAR_DIR": str(tmp_path / "fresh-var"),
    }
    result = run_kehoach("restore", str(dest), env=env)
    assert result.returncode == 0, result.stderr
    assert "Đã phục hồi" in result.stdout

    with sqlite3.connect(fresh_db) as db:
        for label, expected in counts.items():
            table = apps.get_model(label)._meta.db_table
            (found,) = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608 — table names from models
            assert found == expected, label
    restored = {
        p.relative_to(fresh_media).as_posix(): sha256_file(p)
        for p in fresh_media.rglob("*")
        if p.is_file()
    }
    assert restored == originals

    # Restoring a second time into the now populated installation is refused, nothing changes.
    again = run_kehoach("restore", str(dest), env=env)
    assert again.returncode != 0 and "chưa trống" in again.stderr


def test_tampered_backup_is_refused(ward_report, media_root, tmp_path):
    dest = tmp_path / "backup"
    call_command("backup", str(dest))
    manifest = json.loads((dest / MANIFEST).read_text())
    victim = dest / "media" / manifest["files"][0]["path"]
    victim.write_bytes(b"tampered")
    with pytest.raises(BackupError, match="SHA-256"):
        backup_verify(dest)


def test_backup_refuses_a_non_empty_destination(seed_plan, tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(CommandError, match="trống"):
        call_command("backup", str(tmp_path))


def test_restore_refuses_a_populated_database(ward_report, tmp_path):
    dest = tmp_path / "b"
    call_command("backup", str(dest))
    with pytest.raises(CommandError, match="chưa trống"):
        call_command("restore", str(dest))


def test_backup_folder_layout(seed_plan, media_root, tmp_path):
    dest = tmp_path / "b"
    call_command("backup", str(dest))
    assert sorted(p.name for p in Path(dest).iterdir()) == ["database.json", "manifest.json"]
