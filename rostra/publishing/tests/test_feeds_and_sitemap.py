"""Feed readers and crawlers get every live article, and nothing else."""

from xml.etree import ElementTree

import pytest

from rostra.publishing.testing import make_article, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ElementTree.fromstring(response.content)


def test_site_atom_feed_lists_live_articles_with_authors_and_dates(client, section):
    make_article(section, "Published piece", byline="Ana Ribeiro", standfirst="Short.")
    make_article(section, "Unpublished draft", live=False)
    response, feed = _xml(client, "/feeds/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Published piece"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ana Ribeiro"
    assert entry.findtext(f"{ATOM}summary") == "Short."
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/world/published-piece/"
    assert entry.findtext(f"{ATOM}published")


def test_site_rss_feed(client, section):
    make_article(section, "Published piece")
    response, rss = _xml(client, "/feeds/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert [i.findtext("title") for i in rss.iter("item")] == ["Published piece"]
    assert rss.find("channel/item/category").text == "World"


def test_section_feeds_hold_only_that_section(client, home, section):
    sport = make_section(home, "Sport")
    make_article(section, "World story")
    make_article(sport, "Sport story")
    _, atom = _xml(client, "/sport/feed/atom/")
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["Sport story"]
    assert atom.findtext(f"{ATOM}title").startswith("Sport")
    _, rss = _xml(client, "/sport/feed/rss/")
    assert [i.findtext("title") for i in rss.iter("item")] == ["Sport story"]


def test_sitemap_lists_live_pages_with_last_modification(client, section):
    make_article(section, "Mapped article")
    make_article(section, "Hidden draft", live=False)
    _, urlset = _xml(client, "/sitemap.xml")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    entries = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in urlset}
    article_urls = [loc for loc in entries if "mapped-article" in loc]
    assert len(article_urls) == 1 and entries[article_urls[0]]
    assert not any("hidden-draft" in loc for loc in entries)
