"""The runtime an operator gets: database settings, production checks, health."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from rostra.config import env


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific pragmas")
@pytest.mark.django_db
def test_every_sqlite_connection_uses_wal_and_a_busy_timeout(tmp_path):
    """Each new connection to the SQLite file is in WAL mode and waits 20 s for locks."""
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "check.sqlite3")}
    config["OPTIONS"] = dict(config["OPTIONS"])
    wrapper = DatabaseWrapper(config)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
    finally:
        wrapper.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific pragmas")
@pytest.mark.django_db
def test_each_sqlite_connection_keeps_a_page_cache_of_256_kib(tmp_path):
    """Every request thread holds a connection with a page cache of its own: 256 KiB
    (a negative cache_size is KiB), not SQLite's 2 MB."""
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "check.sqlite3")}
    wrapper = DatabaseWrapper(config)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -256
    finally:
        wrapper.close()


def _rostra(*args, extra_env=None, **kwargs):
    """Run the real `rostra` command in a clean environment."""
    child_env = {k: v for k, v in os.environ.items() if k not in env.VARIABLES}
    child_env.pop("DJANGO_SETTINGS_MODULE", None)
    child_env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "rostra", *args],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def test_production_settings_pass_djangos_deployment_checklist(tmp_path):
    """With DEBUG off behind an https proxy Rostra trusts, `rostra check --deploy`
    reports no warning."""
    result = _rostra(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        extra_env={
            "ROSTRA_DATA_DIR": str(tmp_path),
            "ROSTRA_BASE_URL": "https://news.example.org",
            "EMAIL_URL": "smtp://mail.example.org:25",
            "ROSTRA_TRUSTED_PROXIES": "127.0.0.1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    result = _rostra(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        extra_env={"ROSTRA_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False ['127.0.0.1', 'localhost', '[::1]']"


def test_invalid_base_url_stops_start_up_with_a_clear_message(tmp_path):
    result = _rostra(
        "check", extra_env={"ROSTRA_DATA_DIR": str(tmp_path), "ROSTRA_BASE_URL": "news.example"}
    )
    assert result.returncode != 0
    assert "ROSTRA_BASE_URL must be an http(s) address" in result.stderr


def test_health_check_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
