"""The source of the code this process runs, as a tar.gz archive (AGPL-3.0 section 13).

The AGPL asks that users interacting with a modified Rostra over a network can get its
source. Packing the running installation itself keeps that true for any fork without the
operator having to publish anything: the archive holds the `rostra` package as it is on
disk (templates and static files included) and, when present beside it, the project files
needed to rebuild it (pyproject.toml, uv.lock, README, LICENSE, Makefile).
"""

import functools
import io
import tarfile
from pathlib import Path

from django.conf import settings

import rostra

PACKAGE = Path(rostra.__file__).resolve().parent
PROJECT_FILES = ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "uv.lock", "Makefile")
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}


def archive_name() -> str:
    return f"rostra-{rostra.__version__}-source.tar.gz"


@functools.cache
def source_archive() -> bytes:
    """Build the archive once per process; the code does not change while it runs."""
    prefix = archive_name().removesuffix(".tar.gz")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in _source_files():
            info = archive.gettarinfo(path, arcname=f"{prefix}/{_relative(path)}")
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o644
            with path.open("rb") as content:
                archive.addfile(info, content)
    return buffer.getvalue()


def _source_files() -> list[Path]:
    # The data directory (database, secret key, uploads) never ships, wherever it lives.
    data_dir = Path(settings.DATA_DIR).resolve()
    files = [
        path
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and not SKIPPED_PARTS.intersection(path.parts)
        and path.suffix not in {".pyc", ".pyo"}
        and not path.resolve().is_relative_to(data_dir)
    ]
    files += [PACKAGE.parent / name for name in PROJECT_FILES if (PACKAGE.parent / name).is_file()]
    return sorted(files)


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()
