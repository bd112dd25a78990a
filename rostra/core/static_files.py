"""Collect static files only when their sources changed.

`collectstatic` with WhiteNoise's compressed manifest storage hashes and compresses every
file (several seconds); `serve` and `upgrade` run it on every start. The sources are the
staticfiles finders' files: their paths, sizes and modification times, with the storage
backend that writes them, make a fingerprint kept beside STATIC_ROOT after each
collection. The same fingerprint and collected files still there: nothing to do.
"""

import hashlib
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command


def fingerprint_path() -> Path:
    root = Path(settings.STATIC_ROOT)
    return root.with_name(f"{root.name}.fingerprint")


def sources_fingerprint() -> str:
    """A digest of every file the finders offer (path, size, mtime) and the backend."""
    entries = []
    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns):
            stat = os.stat(storage.path(path))
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for entry in sorted(entries):
        digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def _collected_files_present() -> bool:
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest:
        return staticfiles_storage.exists(manifest)
    return Path(settings.STATIC_ROOT).is_dir()


def collect_static_if_changed(*, verbosity: int = 0) -> bool:
    """Run `collectstatic` unless the sources match the last collection's fingerprint
    and its output is still there. Returns whether it collected."""
    fingerprint = sources_fingerprint()
    stored = fingerprint_path()
    if (
        stored.is_file()
        and stored.read_text().strip() == fingerprint
        and _collected_files_present()
    ):
        return False
    stored.unlink(missing_ok=True)  # a collection cut short must not look finished
    call_command("collectstatic", interactive=False, verbosity=verbosity)
    stored.write_text(fingerprint + "\n")
    return True
