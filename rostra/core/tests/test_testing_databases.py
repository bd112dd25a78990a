"""The suite's demo sites (rostra.core.testing_databases.demo_sqlite_site): copies of one
`rostra setup --demo` made per test run, each the site setup would have made at its own
address."""

import sqlite3
from contextlib import closing

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import check_password
from django.test import override_settings

from rostra.config.env import child_environment
from rostra.core.testing_databases import SQLITE_NAME, demo_sqlite_site

pytestmark = pytest.mark.sqlite_site


def _site(tmp_path, name: str, base_url: str) -> tuple[str, sqlite3.Connection]:
    env = child_environment(
        ROSTRA_DATA_DIR=str(tmp_path / name),
        ROSTRA_BASE_URL=base_url,
        ROSTRA_SITE_NAME="The Harrowby Herald",
        EMAIL_URL="dummy:",
    )
    password = demo_sqlite_site(env)
    return password, closing(sqlite3.connect(tmp_path / name / SQLITE_NAME))


def test_each_demo_copy_is_the_demo_site_at_its_own_address(tmp_path):
    """Two copies, one per address: each default Wagtail site names its own host and port
    (443 for https without one) and the site's name; each holds the demo's articles, their
    cover images and a secret key; the password returned signs the first admin in."""
    addresses = {"here": ("http://127.0.0.1:8001", "127.0.0.1", 8001)}
    addresses["there"] = ("https://news.example", "news.example", 443)
    for name, (base_url, hostname, port) in addresses.items():
        password, connection = _site(tmp_path, name, base_url)
        with connection as db:
            site = db.execute(
                "SELECT hostname, port, site_name FROM wagtailcore_site WHERE is_default_site"
            ).fetchall()
            assert site == [(hostname, port, "The Harrowby Herald")]
            (articles,) = db.execute("SELECT count(*) FROM publishing_articlepage").fetchone()
            assert articles >= 10
            (hashed,) = db.execute(
                "SELECT password FROM auth_user WHERE username = 'admin' AND is_superuser"
            ).fetchone()
        with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
            assert check_password(password, hashed)
        data_dir = tmp_path / name
        assert (data_dir / "secret_key").is_file()
        assert len(list((data_dir / "media" / "original_images").iterdir())) == articles
