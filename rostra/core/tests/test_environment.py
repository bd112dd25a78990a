"""Configuration comes from documented environment variables read in one place."""

import re
from pathlib import Path

import pytest

from rostra.config import env
from rostra.config.email_url import parse_email_url
from rostra.config.secret_key import load_or_create_secret_key

REPO = Path(__file__).resolve().parents[3]
ENV_READ = re.compile(r"os\.environ|os\.getenv|getenv\(|environ\.get")


def test_every_variable_is_documented_in_readme():
    """README's configuration table names every variable env.py declares."""
    readme = (REPO / "README.md").read_text()
    missing = [name for name in env.VARIABLES if f"`{name}`" not in readme]
    assert missing == [], f"README does not document: {missing}"


def test_only_env_module_reads_the_environment():
    """No module but rostra/config/env.py touches os.environ, so the list stays complete."""
    offenders = []
    for path in (REPO / "rostra").rglob("*.py"):
        if (path.name == "env.py" and path.parent.name == "config") or "tests" in path.parts:
            continue
        if path.parent.name == "core" and path.name.startswith("testing"):
            continue  # the test harness's own variables (xdist's run id), not the site's
        if ENV_READ.search(path.read_text()):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_undeclared_variable_is_an_error():
    with pytest.raises(KeyError):
        env.get("NOT_A_ROSTRA_SETTING")


def test_boolean_values_are_strict(monkeypatch):
    monkeypatch.setenv("DEBUG", "yes")
    assert env.get_bool("DEBUG") is True
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ValueError, match="DEBUG must be true or false"):
        env.get_bool("DEBUG")


def test_unset_variable_falls_back_to_its_default(monkeypatch):
    monkeypatch.delenv("ROSTRA_SITE_NAME", raising=False)
    assert env.get("ROSTRA_SITE_NAME") == "Rostra"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://mailer:s%40cret@mail.example.org",
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 25,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "s@cret",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtp+tls://u:p@mail.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True}),
        ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("smtp://mail.example.org:2525/?timeout=3", {"EMAIL_PORT": 2525, "EMAIL_TIMEOUT": 3}),
        ("file:///var/mail/rostra", {"EMAIL_FILE_PATH": "/var/mail/rostra"}),
    ],
)
def test_email_url_is_parsed(url, expected):
    parsed = parse_email_url(url)
    assert {key: parsed[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["pop3://mail.example.org", "smtp://", "file://"])
def test_bad_email_url_names_the_problem(url):
    with pytest.raises(ValueError, match="EMAIL_URL"):
        parse_email_url(url)


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    path = tmp_path / "data" / "secret_key"
    first = load_or_create_secret_key(path)
    assert len(first) == 67  # 50 random bytes in URL-safe base64
    assert load_or_create_secret_key(path) == first
    assert path.stat().st_mode & 0o777 == 0o600
