"""Whatever a reader types, the page shows it as inert text and safe markup."""

import pytest

from rostra.discussion.models import Comment
from rostra.discussion.testing import assert_inert, post
from rostra.discussion.text import render_markdown

HOSTILE_BODIES = [
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[img](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    "[x](vbscript:msgbox)",
    "**unclosed *emphasis [link](http://a.example",
    "<<script>script>alert(1)<</script>/script>",
    "![img](https://evil.example/x.png)",
    '<svg onload="alert(1)">',
    "`<script>` in code",
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_markdown_renders_inert(body):
    """Dangerous text may show as text, but never becomes an element, handler or link."""
    assert_inert(render_markdown(body))


def test_markdown_subset_renders():
    html = render_markdown(
        "Para with *em*, **strong** and `code`.\n\n> quoted\n\n- one\n- two\n\n"
        "```\nblock\n```\n\n[site](https://example.org) and https://bare.example"
    )
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert "<code>code</code>" in html and "<blockquote>" in html
    assert "<ul>" in html and "<pre><code>block" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">site</a>' in html
    assert '<a href="https://bare.example" rel="nofollow ugc noopener">' in html


def test_headings_and_images_stay_plain_text():
    html = render_markdown("# Big\n\n![alt](https://example.org/a.png)")
    assert "<h1>" not in html and "<img" not in html


@pytest.mark.django_db
def test_hostile_author_name_and_website_render_inert(client, article, thread):
    post(
        thread,
        name='"><script>alert(1)</script>',
        body="hi",
        website='https://example.org/"onmouseover="alert(1)',
    )
    html = client.get(article.url).content.decode()
    section = html.split('id="comments"')[1]
    assert "<script>alert(1)" not in section
    assert '"onmouseover="' not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section


def test_imported_html_keeps_emphasis_and_loses_everything_unsafe():
    from rostra.discussion.text import clean_html

    html = clean_html(
        '<p onclick="x()">A <b>bold</b> and <I class="c">italic</I> <a href="javascript:alert(1)">'
        "link</a><script>alert(1)</script><img src=x onerror=alert(1)></p>"
    )
    link = '<a rel="nofollow ugc noopener">link</a>'
    assert html == f"<p>A <strong>bold</strong> and <em>italic</em> {link}</p>"


STORED_HOSTILE_WEBSITES = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "http://[::1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("website", STORED_HOSTILE_WEBSITES)
def test_stored_non_http_websites_are_never_linked(client, article, thread, website):
    """A second line behind the cleaning: whatever a row holds (an import from before the
    cleaning), the page and the API only ever link http(s) addresses."""
    comment = post(thread, name="Mallory", body="hi")
    Comment.objects.filter(pk=comment.pk).update(author_website=website)
    html = client.get(article.url).content.decode().split('id="comments"')[1]
    assert ">Mallory</span>" in html  # the name, as text and not as a link
    assert "script:" not in html.lower() and "data:text" not in html
    data = client.get("/api/comments", {"thread": thread.key}).json()
    assert data["comments"][0]["author"]["website"] == ""


@pytest.mark.django_db
def test_http_websites_are_still_linked(client, article, thread):
    post(thread, name="Ann", body="hi", website="https://ann.example/blog")
    html = client.get(article.url).content.decode()
    assert '<a href="https://ann.example/blog" rel="nofollow ugc noopener">Ann</a>' in html
