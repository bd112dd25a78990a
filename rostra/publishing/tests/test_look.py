"""A finished look (#17): the site's icon, descriptions for search engines, self-hosted
fonts, compact search results."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from rostra.publishing.testing import make_article, make_image

pytestmark = pytest.mark.django_db


def test_every_page_links_an_icon_that_is_served(client, home, settings):
    """The SVG icon and the PNG touch icon are linked from the base template and drawn
    from the site's name; /favicon.ico answers too, so no page view logs a 404."""
    settings.SITE_NAME = "The Harrowby Herald"
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in html
    svg = client.get("/favicon.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b">H</text>" in svg.content
    for path in ("/apple-touch-icon.png", "/favicon.ico"):
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")


def test_home_section_and_support_pages_have_a_meta_description(client, home, section):
    """Home (its tagline, else a sentence naming the site), sections (their description)
    and /support/ tell search engines what they are."""
    home.tagline = "News from the estuary"
    home.save_revision().publish()
    section.description = "Floods, rivers and the coast."
    section.save_revision().publish()
    for url, text in (
        ("/", "News from the estuary"),
        (section.url, "Floods, rivers and the coast."),
        ("/support/", "Support Rostra"),
    ):
        html = client.get(url).content.decode()
        assert re.search(rf'<meta name="description" content="{re.escape(text)}', html), url


def test_fonts_are_self_hosted_with_their_licence_and_swap(client):
    """The serif and sans faces come from this site, shown with font-display: swap."""
    css = Path(finders.find("rostra/css/rostra.css")).read_text()
    faces = re.findall(r"@font-face \{[^}]+\}", css)
    assert faces and all("font-display: swap" in face for face in faces)
    for url in re.findall(r'url\("\.\./fonts/([^"]+)"\)', css):
        assert finders.find(f"rostra/fonts/{url}"), url
    assert finders.find("rostra/fonts/OFL-source-serif-4.txt")
    assert finders.find("rostra/fonts/OFL-source-sans-3.txt")


def test_search_results_show_a_small_thumbnail(client, section):
    """A result's picture is a small 240x180 thumbnail beside the text, not 16:9."""
    make_article(section, "Tidal gates tested", text="tidal gates", cover=make_image())
    html = client.get("/search/?q=tidal").content.decode()
    assert 'class="card card--compact"' in html
    assert "fill-240x180" in html and "fill-640x360" not in html
