"""Online, consistent backups of a Rostra site, and restoring one into an empty site.

A backup is one `.tar.gz` file holding:

- `database.sqlite3`: a snapshot taken with SQLite's online backup API, which copies the
  database *and* what still sits in its write-ahead log, while readers and writers go on
  (copying the file itself loses every commit not yet checkpointed);
  or `database.pgdump`: `pg_dump --format=custom` of the PostgreSQL database;
- `media/…`: uploaded images and documents;
- `secret_key`: the generated signing key, unless `SECRET_KEY` comes from the environment
  (then the operator keeps it elsewhere, and the manifest says so);
- `manifest.json`: Rostra's version, the migrations applied, row counts, and a SHA-256 of
  every other member, checked before anything is restored.

The file is written under a temporary name and renamed when complete, so a half-written
backup never looks like a finished one, and it is created 0600: it holds readers' e-mail
addresses and the signing key.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import rostra
from rostra.core.app_hooks import registered

FORMAT = "rostra-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
SECRET_KEY_MEMBER = "secret_key"  # noqa: S105 - a file name, not a secret
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made, checked or restored; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    manifest: dict

    def describe(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.manifest.get("counts", {}).items())
        size = self.path.stat().st_size
        shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"
        return (
            f"{self.path} ({shown}): Rostra {self.manifest['rostra_version']}, "
            f"{self.manifest['database']['vendor']} database"
            + (f", {counts}" if counts else "")
            + f", {len(self.manifest['files'])} files, taken {self.manifest['created_at']}"
        )


def default_backup_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"rostra-{stamp}.tar.gz"


def backup_create(*, output: Path) -> BackupSummary:
    """Write a consistent snapshot of the database, media and key to `output`."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rostra-backup-") as scratch:
        scratch = Path(scratch)
        members: dict[str, Path] = {}
        vendor = connection.vendor
        if vendor == "sqlite":
            members[SQLITE_MEMBER] = _sqlite_snapshot(scratch / SQLITE_MEMBER)
            counts = _sqlite_counts(members[SQLITE_MEMBER])
        elif vendor == "postgresql":
            members[POSTGRES_MEMBER] = _postgres_dump(scratch / POSTGRES_MEMBER)
            counts = {}
        else:
            raise BackupError(f"Backups of a {vendor} database are not supported.")
        secret_key_file = Path(settings.DATA_DIR) / "secret_key"
        key_is_external = bool(_secret_key_from_environment())
        if not key_is_external and secret_key_file.is_file():
            members[SECRET_KEY_MEMBER] = secret_key_file
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                members[MEDIA_PREFIX + path.relative_to(media_root).as_posix()] = path

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "rostra_version": rostra.__version__,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "member": next(iter(members))},
            "secret_key": "environment" if key_is_external else "included",
            "migrations": _applied_migrations(),
            "counts": counts,
            "files": {name: _digest(path) for name, path in members.items()},
        }
        partial = output.with_name(f".{output.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                for name, path in members.items():
                    archive.add(path, arcname=name, recursive=False, filter=_private)
            os.replace(partial, output)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    backup_check(path=output)
    return BackupSummary(output, manifest)


def backup_check(*, path: Path) -> BackupSummary:
    """Read the whole backup back: every member present with its recorded checksum, and
    (SQLite) the snapshot passes `PRAGMA integrity_check`."""
    path = Path(path)
    with _open_backup(path) as archive, tempfile.TemporaryDirectory() as scratch:
        manifest = _read_manifest(archive)
        seen = set()
        for member in archive:
            if member.name == MANIFEST:
                continue
            expected = manifest["files"].get(member.name)
            if expected is None or not member.isfile():
                raise BackupError(f"{path}: unexpected member {member.name!r}.")
            digest = hashlib.sha256()
            size = 0
            handle = archive.extractfile(member)
            target = Path(scratch) / SQLITE_MEMBER if member.name == SQLITE_MEMBER else None
            with open(target, "wb") if target else contextlib.nullcontext() as copy:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if copy:
                        copy.write(chunk)
            if digest.hexdigest() != expected["sha256"] or size != expected["size"]:
                raise BackupError(f"{path}: {member.name} is damaged (checksum differs).")
            if target:
                _check_sqlite_integrity(target)
            seen.add(member.name)
        missing = sorted(set(manifest["files"]) - seen)
        if missing:
            raise BackupError(f"{path}: missing {', '.join(missing[:3])}.")
    return BackupSummary(path, manifest)


def backup_restore(*, path: Path) -> BackupSummary:
    """Restore a checked backup into this site, whose database must be empty."""
    summary = backup_check(path=path)
    manifest = summary.manifest
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup holds a {vendor} database; this site is configured for "
            f"{connection.vendor} (DATABASE_URL)."
        )
    if connection.introspection.table_names():
        raise BackupError(
            "The database is not empty: restore into a new data directory (ROSTRA_DATA_DIR) "
            "or a new, empty PostgreSQL database."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"{media_root} already holds files: restore into an empty site.")
    with _open_backup(path) as archive, tempfile.TemporaryDirectory() as scratch:
        for member in archive:
            if member.name == MANIFEST:
                continue
            source = archive.extractfile(member)
            if member.name == SQLITE_MEMBER:
                _restore_sqlite(source)
            elif member.name == POSTGRES_MEMBER:
                dump = Path(scratch) / POSTGRES_MEMBER
                with open(dump, "wb") as copy:
                    shutil.copyfileobj(source, copy, CHUNK)
                _postgres_restore(dump)
            elif member.name == SECRET_KEY_MEMBER:
                _write_private(Path(settings.DATA_DIR) / "secret_key", source)
            elif member.name.startswith(MEDIA_PREFIX):
                relative = Path(member.name.removeprefix(MEDIA_PREFIX))
                target = (media_root / relative).resolve()
                if not target.is_relative_to(media_root.resolve()):
                    raise BackupError(f"Refusing to write outside MEDIA_ROOT: {member.name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy, CHUNK)
    return summary


# SQLite ------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _sqlite_snapshot(target: Path) -> Path:
    """Copy the live database with the online backup API: consistent, WAL included."""
    timeout = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 20)
    source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True, timeout=timeout)
    snapshot = sqlite3.connect(target)
    try:
        source.backup(snapshot)
        # One self-contained file: no -wal beside the copy.
        snapshot.execute("PRAGMA journal_mode=DELETE")
    finally:
        snapshot.close()
        source.close()
    _check_sqlite_integrity(target)
    return target


def _check_sqlite_integrity(path: Path) -> None:
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = database.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database snapshot is not readable: {error}") from error
    finally:
        database.close()
    if result != "ok":
        raise BackupError(f"The database snapshot fails SQLite's integrity check: {result}")


def _sqlite_counts(path: Path) -> dict[str, int]:
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            label: database.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]  # noqa: S608 - table names come from the models
            # The apps name what is worth counting: articles, comments, donations.
            for counted in registered("rostra_backup_counts")
            for label, model in counted()
        }
    finally:
        database.close()


def _restore_sqlite(source) -> None:
    target = _sqlite_path()
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{target}{suffix}").unlink()
    _write_private(target, source)


# PostgreSQL --------------------------------------------------------------------------


def _postgres_conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    return make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=str(db["PORT"]) if db.get("PORT") else None,
    )


def _postgres_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"`{name}` is not on PATH: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client) to back up or restore PostgreSQL."
        )
    return tool


def _postgres_dump(target: Path) -> Path:
    _run(
        [
            _postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            f"--dbname={_postgres_conninfo()}",
        ]
    )
    return target


def _postgres_restore(dump: Path) -> None:
    connection.close()
    _run(
        [
            _postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_postgres_conninfo()}",
            str(dump),
        ]
    )


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-500:]}")


# Helpers -----------------------------------------------------------------------------


def _secret_key_from_environment() -> str:
    from rostra.config import env

    return env.get("SECRET_KEY")


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _digest(path: Path) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _private(tarfile.TarInfo(name))
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _open_backup(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:gz")
    except FileNotFoundError as error:
        raise BackupError(f"{path}: no such file.") from error
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a Rostra backup ({error}).") from error


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        handle = archive.extractfile(MANIFEST)
        manifest = json.loads(handle.read())
    except (KeyError, ValueError, tarfile.TarError, EOFError) as error:
        raise BackupError("Not a Rostra backup: its manifest is missing or unreadable.") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError("Not a Rostra backup of a format this version can read.")
    return manifest


def _write_private(target: Path, source) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as copy:
        shutil.copyfileobj(source, copy, CHUNK)
