"""Readers see a newsroom: front page, sections, articles, tags, search, errors."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rostra.publishing.testing import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_front_page_leads_with_the_newest_article_then_each_section(client, home, section):
    culture = make_section(home, "Culture")
    now = timezone.now()
    make_article(section, "Older world story", published_at=now - timedelta(days=2))
    make_article(culture, "Culture story", published_at=now - timedelta(days=1))
    make_article(section, "Newest world story", published_at=now)

    html = _html(client, "/")
    lead = html.index('class="front-lead"')
    assert html.index("Newest world story") > lead
    assert html.index("Newest world story") < html.index('id="section-')
    world_block = html.index(f'id="section-{section.pk}"')
    culture_block = html.index(f'id="section-{culture.pk}"')
    assert world_block < html.index("Older world story") < culture_block
    assert html.count("Newest world story") == 1, "the lead is not repeated in its section"
    assert culture_block < html.index("Culture story")


def test_editors_choice_of_lead_story_wins(client, home, section):
    chosen = make_article(section, "Chosen lead", published_at=timezone.now() - timedelta(days=5))
    make_article(section, "Newer story")
    home.lead_article = chosen
    home.save_revision().publish()
    html = _html(client, "/")
    assert html.index("Chosen lead") < html.index("Newer story")


def test_front_page_queries_do_not_grow_with_the_number_of_articles(
    client, home, section, django_assert_max_num_queries
):
    """Covers, renditions and sections load in bulk: 40 articles cost what 4 do."""
    culture = make_section(home, "Culture")
    for n in range(4):
        make_article(section if n % 2 else culture, f"Story {n}", cover=make_image(f"c{n}"))
    client.get("/")  # renditions are generated on first view
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    few_articles_queries = len(few)
    assert few_articles_queries <= 30
    for n in range(36):
        make_article(section if n % 2 else culture, f"More {n}", cover=make_image(f"m{n}"))
    client.get("/")
    with django_assert_max_num_queries(few_articles_queries):
        assert client.get("/").status_code == 200


def test_article_page_has_the_reference_anatomy_in_order(client, section):
    article = make_article(
        section,
        "Tidal gates explained",
        text="The gates rise when a surge is forecast.",
        byline="Ana Ribeiro",
        standfirst="What the barrier does.",
        tags=("flooding",),
    )
    html = _html(client, article.url)
    order = [
        'data-slot="article.above_headline"',
        '<h1 id="article-headline"',
        'By <span class="article__author">Ana Ribeiro</span>',
        'data-slot="article.before_body"',
        "The gates rise when a surge is forecast.",
        'data-slot="article.after_body"',
        'data-slot="article.discussion"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert 'href="/tags/flooding/"' in html
    assert f'datetime="{article.published_at.isoformat()}"'[:30] in html


def test_article_page_tells_search_engines_and_social_networks_what_it_is(client, section):
    article = make_article(
        section,
        "Seal count at a record",
        byline="Sam Okafor",
        standfirst="Volunteers counted 312 seals.",
        cover=make_image("seals", size=(1400, 800)),
    )
    html = _html(client, article.url)
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Seal count at a record">' in html
    assert '<meta property="og:description" content="Volunteers counted 312 seals.">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="canonical" href="http://testserver{article.url}">' in html

    raw = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Seal count at a record"
    assert data["author"] == [{"@type": "Person", "name": "Sam Okafor"}]
    assert data["image"][0].startswith("http://testserver/")
    assert data["datePublished"].startswith(article.published_at.date().isoformat())


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, section):
    article = make_article(section, "</script><script>alert(1)</script>")
    html = _html(client, article.url)
    assert "<script>alert(1)" not in html


def test_section_page_lists_only_its_live_articles_newest_first(client, home, section):
    other = make_section(home, "Sport")
    now = timezone.now()
    make_article(section, "First", published_at=now - timedelta(hours=2))
    make_article(section, "Second", published_at=now)
    make_article(section, "Draft piece", live=False)
    make_article(other, "Match report")
    html = _html(client, section.url)
    assert html.index("Second") < html.index("First")
    assert "Draft piece" not in html
    assert "Match report" not in html
    assert 'href="/world/feed/atom/"' in html


def test_scheduled_article_stays_hidden_until_it_goes_live(client, section):
    article = make_article(section, "Embargoed story", live=False)
    article.go_live_at = timezone.now() + timedelta(days=1)
    article.save_revision().publish()
    assert "Embargoed story" not in _html(client, "/")
    assert client.get(article.url).status_code == 404


def test_tag_page_lists_tagged_articles(client, section):
    make_article(section, "Harbour works", tags=("harbour",))
    make_article(section, "Library hours", tags=("library",))
    html = _html(client, "/tags/harbour/")
    assert "Harbour works" in html and "Library hours" not in html
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_search_finds_articles_by_their_body_text(client, section):
    make_article(section, "Flood barrier", text="The estuary barrier has two steel gates.")
    make_article(section, "Book review", text="A warm little book about tides.")
    html = _html(client, "/search/?q=estuary")
    assert "1 result for" in html
    assert "Flood barrier" in html and "Book review" not in html
    assert "No articles match" in _html(client, "/search/?q=zeppelin")
    assert "result" not in _html(client, "/search/").split("<main")[1].split("</main>")[0]


def test_unknown_address_gets_the_newsroom_404_page(client, home):
    html = _html(client, "/no/such/page/", status=404)
    assert "find that page" in html
    assert 'role="search"' in html


def test_server_error_page_needs_no_database_or_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_sections_appear_in_the_masthead_with_the_current_one_marked(client, home, section):
    article = make_article(section, "Anything")
    html = _html(client, article.url)
    assert '<a href="/world/" aria-current="true">World</a>' in html


def test_search_refuses_control_characters_and_keeps_the_query(client, section):
    """PostgreSQL cannot search for a NUL character: the reader is told, not shown a 500."""
    make_article(section, "Flood barrier", text="The estuary barrier has two steel gates.")
    response = client.get("/search/", {"q": "estuary\x00"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot contain control characters" in html
    assert 'value="estuary"' in html
    assert "Flood barrier" not in html
