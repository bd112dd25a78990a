"""Static files are collected when their sources changed, and only then."""

import os
from pathlib import Path

import pytest

from rostra.core.static_files import collect_static_if_changed, fingerprint_path


@pytest.fixture
def static_sources(tmp_path, settings):
    """A static source directory of one stylesheet, collected by WhiteNoise's compressed
    manifest storage (as in production) into STATIC_ROOT."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "site.css").write_text("body { color: black; }\n")
    settings.STATICFILES_DIRS = [sources]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return sources


def edit_later(path: Path, text: str) -> None:
    """Write `path` as an edit made a few seconds after the last collection (collectstatic
    itself copies a file only when it is newer, to the second)."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_unchanged_sources_are_not_collected_again(static_sources, settings):
    """The first run collects and stores a fingerprint beside STATIC_ROOT; a second run
    with the same sources collects nothing."""
    assert collect_static_if_changed() is True
    assert (settings.STATIC_ROOT / "staticfiles.json").is_file()
    assert fingerprint_path() == settings.STATIC_ROOT.with_name("static.fingerprint")
    collected_at = (settings.STATIC_ROOT / "staticfiles.json").stat().st_mtime_ns
    assert collect_static_if_changed() is False
    assert (settings.STATIC_ROOT / "staticfiles.json").stat().st_mtime_ns == collected_at


def test_a_changed_or_new_source_file_is_collected(static_sources, settings):
    """Editing a file (size and time change) or adding one triggers a collection that
    brings it into STATIC_ROOT."""
    collect_static_if_changed()
    edit_later(static_sources / "site.css", "body { color: navy; background: white; }\n")
    assert collect_static_if_changed() is True
    assert "navy" in (settings.STATIC_ROOT / "site.css").read_text()
    (static_sources / "extra.js").write_text("console.log('hi');\n")
    assert collect_static_if_changed() is True
    assert (settings.STATIC_ROOT / "extra.js").is_file()
    assert collect_static_if_changed() is False


def test_same_size_edit_is_seen_by_its_modification_time(static_sources, settings):
    collect_static_if_changed()
    edit_later(static_sources / "site.css", "body { color: white; }\n")  # same length
    assert collect_static_if_changed() is True
    assert "white" in (settings.STATIC_ROOT / "site.css").read_text()


def test_missing_fingerprint_or_collected_files_trigger_a_collection(static_sources, settings):
    """No fingerprint (first start, or a collection cut short), or a STATIC_ROOT emptied
    by hand: collect again."""
    collect_static_if_changed()
    fingerprint_path().unlink()
    assert collect_static_if_changed() is True
    (settings.STATIC_ROOT / "staticfiles.json").unlink()
    assert collect_static_if_changed() is True
    assert (settings.STATIC_ROOT / "staticfiles.json").is_file()
