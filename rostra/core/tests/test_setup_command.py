"""`rostra setup` prepares a new installation exactly once."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from rostra.publishing.models import HomePage

pytestmark = pytest.mark.django_db


def _setup(capsys, *args):
    call_command("setup", *args, verbosity=0)
    return capsys.readouterr().out


def test_first_run_creates_an_admin_and_prints_its_password_once(capsys):
    out = _setup(capsys)
    password = re.search(r"^\s+password:\s+(\S+)$", out, re.MULTILINE).group(1)
    assert authenticate(username="admin", password=password) is not None
    assert "password" not in _setup(capsys)
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_site_root_becomes_a_rostra_home_page(capsys, settings):
    _setup(capsys)
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail").exists()


def test_demo_is_loaded_only_into_an_empty_site(capsys):
    from rostra.publishing.models import ArticlePage

    _setup(capsys, "--demo")
    count = ArticlePage.objects.count()
    ArticlePage.objects.first().delete()
    _setup(capsys, "--demo")
    assert ArticlePage.objects.count() == count - 1
