"""Readers can get the source of the code the site runs (AGPL-3.0 section 13)."""

import io
import tarfile

import pytest
from django.test import override_settings

from rostra.core import source


@pytest.fixture(autouse=True)
def fresh_archive():
    source.source_archive.cache_clear()
    yield
    source.source_archive.cache_clear()


@pytest.mark.django_db
def test_footer_links_to_the_source_of_the_running_code(client, home):
    """Every page's footer names the licence and links to /source.tar.gz."""
    page = client.get("/")
    assert b'href="/source.tar.gz">source code</a>' in page.content
    assert b"GNU AGPL" in page.content


@pytest.mark.django_db
def test_source_archive_holds_the_package_and_licence_but_no_data(client, settings, tmp_path):
    """The archive has the code, templates, LICENSE and lock file; never the data directory."""
    settings.DATA_DIR = source.PACKAGE / "core"  # even a data directory inside the code
    response = client.get("/source.tar.gz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert source.archive_name() in response["Content-Disposition"]
    with tarfile.open(fileobj=io.BytesIO(response.content)) as archive:
        names = archive.getnames()
    prefix = source.archive_name().removesuffix(".tar.gz")
    assert f"{prefix}/rostra/cli.py" in names
    assert f"{prefix}/rostra/publishing/templates/rostra/base.html" in names
    assert f"{prefix}/LICENSE" in names
    assert f"{prefix}/uv.lock" in names
    assert not [name for name in names if "/rostra/core/" in name]
    assert not [name for name in names if name.endswith(".pyc")]


@pytest.mark.django_db
@override_settings(SOURCE_URL="https://git.example.org/herald/rostra")
def test_operator_can_point_the_source_link_at_their_repository(client, home):
    page = client.get("/")
    assert b'href="https://git.example.org/herald/rostra">source code</a>' in page.content
