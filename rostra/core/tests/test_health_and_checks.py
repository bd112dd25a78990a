"""Signals for the operator: /healthz for probes, Rostra's deploy checks, error e-mails."""

import sys
from datetime import date, timedelta

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory
from django.utils import timezone
from django.views.debug import ExceptionReporter
from django_tasks_db.models import DBTaskResult

from rostra.core import release_support
from rostra.core.heartbeat import beat
from rostra.core.tests.test_runtime import _rostra


def _rostra_ids():
    return {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("rostra.")}


def test_health_check_answers_a_probe_addressed_by_ip(client, db):
    """Load balancers probe by IP address, which is not an allowed host: still 200."""
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.get("/", HTTP_HOST="10.1.2.3").status_code == 400, "only /healthz"


def test_liveness_probe_answers_without_the_database(client):
    """/livez answers `ok` (200) for any Host without touching the database (this test
    has no database access: a query would fail it); it is `make bench`'s hello world."""
    response = client.get("/livez", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"
    assert client.post("/livez").status_code == 405


def test_verbose_health_reports_worker_and_queue(client, db):
    """?verbose answers JSON: database ok, age of the last worker heartbeat, tasks
    waiting and the age of the oldest one."""
    beat("w1", now=timezone.now() - timedelta(seconds=42))
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="rostra.core.tasks.send_email_task",
        backend_name="default",
        run_after=timezone.now(),
    )
    DBTaskResult.objects.filter().update(enqueued_at=timezone.now() - timedelta(seconds=90))
    response = client.get("/healthz?verbose", HTTP_HOST="192.0.2.7")
    assert response.status_code == 200
    health = response.json()
    assert health["database"] == "ok"
    assert 42 <= health["worker_last_heartbeat_age_seconds"] < 60
    assert health["tasks_queued"] == 1
    assert 90 <= health["oldest_queued_task_age_seconds"] < 120


def test_verbose_health_without_a_worker_says_so(client, db):
    health = client.get("/healthz?verbose").json()
    assert health["worker_last_heartbeat_age_seconds"] is None
    assert health["tasks_queued"] == 0


@pytest.mark.database_independent  # its database is an unreachable PostgreSQL in every pass
def test_health_check_answers_503_when_the_database_is_unreachable(tmp_path):
    """A process whose database is down answers 503, so the balancer takes it out."""
    script = (
        "from django.test import Client\n"
        "for path in ('/healthz', '/healthz?verbose'):\n"
        "    r = Client().get(path, HTTP_HOST='10.0.0.1')\n"
        "    print(r.status_code, r.content)\n"
    )
    result = _rostra(
        "shell",
        "-c",
        script,
        extra_env={
            "ROSTRA_DATA_DIR": str(tmp_path),
            # Nothing listens on port 9 (discard) of loopback: connection refused.
            "DATABASE_URL": "postgres://rostra:rostra@127.0.0.1:9/none",
        },
    )
    lines = result.stdout.splitlines()
    assert lines[-2] == "503 b'database unreachable'", result.stdout + result.stderr
    assert lines[-1] == '503 b\'{"database": "unreachable"}\''


def test_console_mail_on_an_https_site_is_flagged(settings):
    settings.USES_HTTPS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "rostra.W001" in _rostra_ids()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "rostra.W001" not in _rostra_ids()
    settings.USES_HTTPS = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    assert "rostra.W001" not in _rostra_ids(), "a local http trial needs no mail"


def test_postgresql_without_a_shared_secret_key_is_flagged(settings):
    settings.SECRET_KEY_GENERATED = True
    settings.DATABASES = {**settings.DATABASES}
    settings.DATABASES["default"] = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.postgresql",
    }
    assert "rostra.W002" in _rostra_ids()
    settings.SECRET_KEY_GENERATED = False
    assert "rostra.W002" not in _rostra_ids()


def test_sqlite_with_a_generated_secret_key_is_fine(settings):
    settings.SECRET_KEY_GENERATED = True
    settings.DATABASES = {**settings.DATABASES}
    settings.DATABASES["default"] = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
    }
    assert "rostra.W002" not in _rostra_ids()


def test_debug_on_a_public_https_site_is_flagged(settings):
    settings.USES_HTTPS = True
    settings.DEBUG = True
    assert "rostra.W003" in _rostra_ids()
    settings.DEBUG = False
    assert "rostra.W003" not in _rostra_ids()


def test_admins_are_read_from_the_environment(tmp_path):
    result = _rostra(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ADMINS)",
        extra_env={
            "ROSTRA_DATA_DIR": str(tmp_path),
            "ROSTRA_ADMINS": "Ada Lovelace <ada@example.org>, ops@example.org",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "[('Ada Lovelace', 'ada@example.org'), ('', 'ops@example.org')]"
    )


def test_error_reports_do_not_show_client_addresses(settings):
    """The traceback e-mailed to ADMINS masks the client's IP address, direct or
    forwarded."""
    request = RequestFactory().get(
        "/article/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        text = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "RuntimeError" in text and "REMOTE_ADDR" in text
    assert "203.0.113.9" not in text
    assert "198.51.100.4" not in text


def test_installed_django_and_wagtail_lines_have_a_known_end_of_support():
    """The support table knows the lines Rostra is pinned to: moving the pin means
    adding the new line's end date."""
    for project, line in release_support.installed_lines().items():
        assert line in release_support.SECURITY_SUPPORT_ENDS[project], (project, line)


def test_release_line_past_its_security_support_is_flagged():
    """Wagtail 8.0's security support ends 2027-02-02: silent that day, warned the
    day after, naming the line and its end date."""
    check = release_support.release_lines_are_supported
    wagtail_80 = {"Django": (5, 2), "Wagtail": (8, 0)}
    assert release_support.lines_past_support(today=date(2027, 2, 2), installed=wagtail_80) == []
    assert release_support.lines_past_support(today=date(2027, 2, 3), installed=wagtail_80) == [
        "Wagtail 8.0 (security support ended 2027-02-02)"
    ]
    far_future = date(2099, 1, 1)
    assert [m.id for m in check(None, today=far_future)] == ["rostra.W010"]
    assert check(None, today=date(2026, 1, 1)) == []
    assert check(None, today=far_future)[0].msg.startswith(
        "Rostra runs on a release line that no longer gets security fixes: Django 5.2"
    )
