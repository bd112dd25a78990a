"""Every fixture export of a supported format, imported and checked against the file."""

import html
import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from rostra.discussion.models import Comment, Thread
from rostra.discussion.selectors import site_policy
from rostra.publishing.models import ArticlePage, SectionPage
from rostra.transfer.models import ImportedObject
from rostra.transfer.records import ImportFileError
from rostra.transfer.services import import_file

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
WPS = "{https://wordpress.org/export/1.2/}"


def comment_by_key(key: str) -> Comment:
    return Comment.objects.get(pk=ImportedObject.objects.get(kind="comment", key=key).object_id)


def wxr_comments(path, ns):
    """(post id, comment id, parent id, approved, author, date_gmt) straight from the file."""
    rows = []
    for item in ET.parse(path).getroot().iter("item"):
        post_id = item.findtext(f"{ns}post_id")
        for comment in item.findall(f"{ns}comment"):
            rows.append(
                (
                    post_id,
                    comment.findtext(f"{ns}comment_id"),
                    comment.findtext(f"{ns}comment_parent"),
                    comment.findtext(f"{ns}comment_approved"),
                    comment.findtext(f"{ns}comment_author"),
                    comment.findtext(f"{ns}comment_date_gmt"),
                )
            )
    return rows


def test_wordpress_theme_unit_test_data_every_comment_in_its_place(home, fixture_file):
    path = fixture_file("wordpress-importer/phpunit-data/theme-unit-test-data.xml")
    summary = import_file(path)

    expected = wxr_comments(path, WPS)
    assert len(expected) == 33
    assert summary.tallies["comment"].created == 33
    assert Comment.objects.count() == 33
    site = "wordpress:wpthemetestdata.wordpress.com"
    statuses = {"1": "approved", "0": "pending", "spam": "spam", "trash": "removed"}
    max_depth = site_policy().max_depth
    for post_id, comment_id, parent_id, approved, author, date_gmt in expected:
        comment = comment_by_key(f"{site}:comment:{post_id}:{comment_id}")
        # Cleaned like the form's names: pingbacks' long page titles are cut to 80.
        assert comment.author_name == html.unescape(author.strip())[:80].rstrip()
        assert comment.status == statuses[approved]
        assert comment.created_at == datetime.fromisoformat(date_gmt).replace(tzinfo=UTC)
        if parent_id != "0":
            parent = comment_by_key(f"{site}:comment:{post_id}:{parent_id}")
            if parent.depth + 1 < max_depth:
                assert (comment.parent_id, comment.reply_to_id) == (parent.pk, None)
            else:  # the depth limit places it beside its parent, answering it by name
                assert (comment.parent_id, comment.reply_to_id) == (parent.parent_id, parent.pk)
            assert comment.path.startswith(parent.path.rsplit("/", 1)[0])
        else:
            assert comment.parent_id is None and comment.depth == 0

    # Posts and pages became articles; menus and attachments did not.
    assert ArticlePage.objects.count() == summary.tallies["article"].created == 79
    reasons = summary.tallies["article"].reasons
    assert reasons["skipped: a WordPress nav_menu_item (publish) is not an article"] == 70
    long_names = sum(len(html.unescape(row[4].strip())) > 80 for row in expected)
    assert long_names and sorted(summary.warnings) == [
        f"{long_names} × commenter name shortened to the form's 80 characters",
        "1 × password-protected post imported unpublished, for an editor to review",
    ]
    assert SectionPage.objects.filter(title="Pages").exists()


def test_wordpress_article_fields(home, fixture_file):
    import_file(fixture_file("wordpress-importer/phpunit-data/theme-unit-test-data.xml"))
    article = ArticlePage.objects.get(slug="markup-html-tags-and-formatting")
    assert article.title == "Markup: HTML Tags and Formatting"
    assert article.get_parent().title == "Classic"  # its first category
    # The others become tags; tags are case-insensitive, and the first spelling met in
    # the file's batches is kept ("markup" is also a tag of an earlier post).
    assert "markup" in {t.name.lower() for t in article.tags.all()}
    assert article.live
    kinds = [block.block_type for block in article.body]
    assert "heading" in kinds and "paragraph" in kinds and "quote" in kinds
    rendered = str(article.body)
    assert "<b>" in rendered and "<i>" in rendered
    assert article.url_path.endswith("/classic/markup-html-tags-and-formatting/")

    with_image = ArticlePage.objects.get(slug="markup-image-alignment")
    images = [b.value for b in with_image.body if b.block_type == "remote_image"]
    assert images and images[0]["url"].startswith("https://")

    # Published behind a password in WordPress: kept, but not published openly.
    protected = ArticlePage.objects.get(slug="template-password-protected")
    assert not protected.live

    tagged = ArticlePage.objects.get(slug="edge-case-many-tags")
    assert {"comments", "template", "edge case"} <= {t.name.lower() for t in tagged.tags.all()}


def test_isso_wordpress_replies_and_posts_without_ids(home, fixture_file):
    summary = import_file(fixture_file("isso/wordpress.xml"))
    assert summary.tallies["comment"].created == 8
    first = "wordpress::comment:18"
    second = comment_by_key(f"{first}:6")
    third = comment_by_key(f"{first}:7")
    assert third.parent_id == second.pk
    assert comment_by_key(f"{first}:8").parent_id == third.pk
    assert comment_by_key(f"{first}:9").parent_id == third.pk
    assert third.body_source == "Drölfter!"
    # The address is kept only as a keyed hash.
    assert len(second.ip_hash) == 32 and "86.56" not in second.ip_hash
    assert second.ip_hash == third.ip_hash
    multiline = comment_by_key(f"{first}:10")
    assert multiline.body_html == (
        "<p>When you have a comment with multiple lines:<br>WordPress exports it like this.</p>"
    )
    # The same comment id on another post is another comment.
    assert comment_by_key("wordpress::comment:http://example.tld/?p=4:11").thread_id != (
        comment_by_key(f"{first}:11").thread_id
    )


def test_remark42_wordpress_statuses_and_entities(home, fixture_file):
    summary = import_file(fixture_file("remark42/migrator-inline/wordpress.xml"))
    assert summary.tallies["comment"].created == 4
    authors = dict(Comment.objects.values_list("author_name", "status"))
    assert authors["SuperUser2"] == "pending"
    assert "Wednesday Reading « Cynwise's Battlefield Manual" in authors


@pytest.mark.parametrize(
    "name",
    [
        "wordpress-importer/phpunit-data/small-export.xml",
        "wordpress-importer/phpunit-data/valid-wxr-1.0.xml",
        "wordpress-importer/phpunit-data/valid-wxr-1.1.xml",
        "wordpress-importer/phpunit-data/slashes.xml",
        "wordpress-importer/phpunit-data/test-serialized-comment-meta.xml",
        "wordpress-importer/phpunit-data/wxr-with-sub-data.xml",
        "wordpress-importer/e2e-fixtures/wxr-comprehensive.xml",
        "wordpress-importer/phpunit-data/wxr-utf-8-challenges.xml",
        "wordpress-importer/phpunit-data/namespace-edge-cases.xml",
        "wordpress-importer/phpunit-data/post-content-blank-lines.xml",
        "wordpress-importer/e2e-fixtures/wxr-simple.xml",
        "wordpress-importer/phpunit-data/large-authors.xml",
    ],
)
def test_every_wellformed_wxr_fixture_imports_all_its_comments(home, fixture_file, name):
    path = fixture_file(name)
    in_file = sum(1 for _ in ET.parse(path).getroot().iter() if _.tag.endswith("}comment"))
    summary = import_file(path, source="wordpress")
    assert summary.tallies["comment"].created == in_file == Comment.objects.count()
    assert summary.tallies["comment"].rejected == 0


def test_slashes_survive(home, fixture_file):
    import_file(fixture_file("wordpress-importer/phpunit-data/slashes.xml"))
    body = Comment.objects.get().body_source
    assert "\\" in body


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("wordpress-importer/phpunit-data/malformed.xml", "line"),
        ("wordpress-importer/phpunit-data/malformed-simple.xml", "line"),
        ("wordpress-importer/phpunit-data/crazy-cdata.xml", "line"),
        ("remark42/migrator-inline/wordpress-markdown.xml", "line 7, column 3: unbound prefix"),
        # Remark42's test file has an unquoted attribute (line 147), besides a stray
        # character before <?xml, which is tolerated.
        ("remark42/migrator/disqus.xml", "line 147, column 24"),
        ("remark42/migrator/disqus-deleted-post.xml", "line 147, column 24"),
    ],
)
def test_files_that_are_not_xml_are_refused_with_the_position(home, fixture_file, name, where):
    with pytest.raises(ImportFileError, match=where):
        import_file(fixture_file(name))
    assert Comment.objects.count() == 0
    assert ArticlePage.objects.count() == 0


def test_disqus_threads_posts_and_replies(home, fixture_file):
    summary = import_file(fixture_file("isso/disqus.xml"))
    assert summary.tallies["comment"].created == 5
    # One post names a thread the export does not contain: reported, not guessed.
    assert summary.tallies["comment"].reasons == {"rejected: its thread is not in the file": 1}
    reply = comment_by_key("disqus:disqusdev:post:5")
    assert reply.parent_id == comment_by_key("disqus:disqusdev:post:4").pk
    assert reply.body_html == "<p>Hello, World.</p>"
    assert reply.created_at == datetime(2013, 10, 11, 6, 51, 33, tzinfo=UTC)
    thread = Thread.objects.get(pk=reply.thread_id)
    assert thread.url == "http://example.org/" and thread.title == "Hello, World!"


DISQUS_STATUSES = b"""<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><forum>paper</forum><link>https://paper.example/a/</link>
    <title>A</title><isClosed>true</isClosed></thread>
  <post dsq:id="12"><message><![CDATA[<p>reply first</p>]]></message>
    <createdAt>2020-01-02T10:00:00Z</createdAt><isDeleted>false</isDeleted>
    <isSpam>false</isSpam><author><name>Bo</name></author>
    <thread dsq:id="1"/><parent dsq:id="10"/></post>
  <post dsq:id="10"><message><![CDATA[<p>gone</p>]]></message>
    <createdAt>2020-01-01T10:00:00+02:00</createdAt><isDeleted>true</isDeleted>
    <isSpam>false</isSpam><author><name>Al</name></author><thread dsq:id="1"/></post>
  <post dsq:id="11"><message>buy now</message><createdAt>2020-01-01T11:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>true</isSpam><author><name>Spam</name></author>
    <thread dsq:id="1"/></post>
  <post dsq:id="13"><message>x</message><createdAt>2011-x09-30</createdAt>
    <author><name>Bad</name></author><thread dsq:id="1"/></post>
</disqus>"""


def test_disqus_deleted_spam_and_reply_before_parent(home, tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(DISQUS_STATUSES)
    summary = import_file(path)
    assert summary.tallies["comment"].created == 3
    assert summary.tallies["comment"].reasons == {"rejected: unreadable date": 1}
    deleted = comment_by_key("disqus:paper:post:10")
    assert deleted.is_deleted and deleted.body_source == "gone"  # text kept, not shown
    assert deleted.created_at == datetime(2020, 1, 1, 8, 0, tzinfo=UTC)
    assert comment_by_key("disqus:paper:post:11").status == "spam"
    reply = comment_by_key("disqus:paper:post:12")
    assert reply.parent_id == deleted.pk and reply.path.startswith(deleted.path + "/")
    thread = Thread.objects.get(pk=reply.thread_id)
    assert thread.is_closed and thread.article_id is None  # an embed thread


def test_disqus_thread_joins_the_article_at_its_address(home, section, tmp_path):
    from rostra.publishing.testing import make_article

    make_article(section, "Before")
    article = make_article(section, "A")
    make_article(section, "After")
    path = tmp_path / "export.xml"
    path.write_bytes(
        DISQUS_STATUSES.replace(b"https://paper.example/a/", article.full_url.encode())
    )
    import_file(path)
    thread = Thread.objects.get(article=article)
    assert thread.comments.count() == 3


def test_isso_generic_json(home, fixture_file):
    summary = import_file(fixture_file("isso/generic.json"))
    assert summary.tallies["thread"].created == 2
    assert summary.tallies["comment"].created == 2
    poker = Comment.objects.get(author_name="texas holdem")
    assert poker.created_at == datetime(2005, 2, 24, 4, 3, 37, tzinfo=UTC)
    assert poker.author_website == "http://www.tigerspice.com"
    assert Thread.objects.get(pk=poker.thread_id).title == "Test+post"


def isso_database(path):
    """A database with Isso's own schema (isso/db/{threads,comments}.py)."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
        CREATE TABLE comments (
            tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
            created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
            text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
            likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
            notification INTEGER DEFAULT 0);
        INSERT INTO threads VALUES (1, '/2024/flood/', 'Flood');
        INSERT INTO comments VALUES (1, 1, NULL, 1700000000.5, NULL, 1, '10.0.0.0',
            'Hello *world*', 'Ann', 'ann@example.org', NULL, 3, 1, x'', 0);
        INSERT INTO comments VALUES (1, 2, 1, 1700000100, 1700000200, 2, '10.0.0.0',
            'waiting', 'Bob', NULL, NULL, 0, 0, x'', 0);
        INSERT INTO comments VALUES (1, 3, 1, 1700000300, NULL, 4, '10.0.0.0',
            '', NULL, NULL, NULL, 0, 0, x'', 0);
        """
    )
    db.commit()
    db.close()


def test_isso_database(home, tmp_path):
    path = tmp_path / "comments.db"
    isso_database(path)
    summary = import_file(path)
    assert summary.source == "isso"
    assert summary.tallies["comment"].created == 3
    ann = comment_by_key("isso:comment:1")
    assert ann.body_html == "<p>Hello <em>world</em></p>"
    assert (ann.upvotes, ann.downvotes, ann.score) == (3, 1, 2)
    assert ann.created_at == datetime.fromtimestamp(1700000000.5, tz=UTC)
    bob = comment_by_key("isso:comment:2")
    assert bob.status == "pending" and bob.parent_id == ann.pk and bob.edited_at
    assert comment_by_key("isso:comment:3").is_deleted


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_remark42_backups(home, fixture_file, version):
    summary = import_file(fixture_file(f"remark42/migrator-inline/native-backup-{version}.jsonl"))
    assert summary.source == "remark42"
    assert summary.tallies["comment"].created == 2
    assert summary.warnings == [
        "1 reply to comment remark42:radio-t:comment:1234, which is not in the file: kept "
        "as top-level comments"
    ]
    first = comment_by_key("remark42:radio-t:comment:efbc17f177ee1a1c0ee6e1e025749966ec071adc")
    assert first.body_source == "some text, [link](http://radio-t.com)"
    assert first.created_at == datetime(2017, 12, 20, 21, 18, 22, tzinfo=UTC)
    assert Thread.objects.get(pk=first.thread_id).is_closed  # read-only in Remark42


def test_commento_exports(home, fixture_file):
    summary = import_file(fixture_file("remark42/migrator/commento.json"))
    assert summary.tallies["comment"].created == 3
    reply = Comment.objects.get(body_source="Great reply!")
    assert reply.author_name == "Saturnin Uf"
    assert reply.parent.author_name == "User5276"
    assert reply.created_at == datetime(2021, 5, 11, 15, 43, 1, 852651, tzinfo=UTC)
    anonymous = Comment.objects.get(body_source="Example comment created by user.")
    assert anonymous.author_name == "Anonymous" and anonymous.upvotes == 1

    summary = import_file(fixture_file("remark42/rest-api/commento.json"))
    assert summary.tallies["comment"].created == 7
    assert Comment.objects.filter(author_name="blank").exclude(parent=None).count() == 2


def test_disqus_thread_joins_an_article_imported_from_wordpress(home, fixture_file, tmp_path):
    """An outlet moving WordPress posts and Disqus comments: Disqus knew the old address."""
    import_file(fixture_file("isso/wordpress.xml"))
    old_address = "https://www.example.tld/2014/test"  # scheme, www and slash differ
    path = tmp_path / "export.xml"
    path.write_bytes(DISQUS_STATUSES.replace(b"https://paper.example/a/", old_address.encode()))
    import_file(path)
    article = ArticlePage.objects.get(slug="test")
    assert Thread.objects.get(article=article).comments.filter(author_name="Bo").exists()
