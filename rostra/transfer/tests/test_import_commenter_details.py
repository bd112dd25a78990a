"""Imported commenters pass the same cleaning as the comment form: a website that is not
an http(s) address, an unusable e-mail address or an over-long name never reaches the
database as it was, whatever the source format, and the summary says what was dropped."""

import json
import sqlite3
from xml.sax.saxutils import escape

import pytest

from rostra.discussion.models import Comment
from rostra.discussion.testing import assert_inert
from rostra.transfer.services import import_file

pytestmark = pytest.mark.django_db

# What outside testing stored through imports, and variants browsers also run.
HOSTILE_WEBSITES = [
    "javascript:alert(document.domain)",
    "JAVASCRIPT:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "  javascript:alert(1)",
    "\n\tjavascript:alert(1)",
    "http://[::1",
]
HOSTILE_NAME = '"><script>alert(1)</script>'
GOOD_WEBSITE = "https://reader.example/blog"


def check_import(path, n_hostile: int):
    summary = import_file(path)
    comments = list(Comment.objects.all())
    assert len(comments) == n_hostile + 1, summary.lines()
    # Every hostile website is dropped (stored empty) and counted; the good one is kept.
    websites = sorted(comment.author_website for comment in comments)
    assert websites == [""] * n_hostile + [GOOD_WEBSITE]
    dropped = [w for w in summary.warnings if "website" in w]
    assert dropped == [f"{n_hostile} × commenter website dropped: not an http(s) address"]
    return summary


def wxr(websites: list[str]) -> str:
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{n}</wp:comment_id>
        <wp:comment_author>{escape(HOSTILE_NAME)} {n}</wp:comment_author>
        <wp:comment_author_email>r{n}@example.org</wp:comment_author_email>
        <wp:comment_author_url>{escape(website)}</wp:comment_author_url>
        <wp:comment_date_gmt>2024-01-0{n % 9 + 1} 10:00:00</wp:comment_date_gmt>
        <wp:comment_content>Comment {n}</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved></wp:comment>"""
        for n, website in enumerate(websites, start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:base_site_url>https://old.example</wp:base_site_url>
<item><title>Post</title><link>https://old.example/post/</link>
<wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
{comments}</item></channel></rss>"""


def websites_with_a_good_one():
    return [*HOSTILE_WEBSITES, GOOD_WEBSITE]


N = len(HOSTILE_WEBSITES)


def test_wordpress_hostile_websites_are_dropped(home, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr(websites_with_a_good_one()))
    check_import(path, N)
    names = set(Comment.objects.values_list("author_name", flat=True))
    assert f"{HOSTILE_NAME} 1" in names  # kept as text; the template escapes it


def test_isso_json_hostile_websites_are_dropped(home, tmp_path):
    comments = [
        {"id": n, "author": f"Reader {n}", "website": website, "text": f"Comment {n}",
         "created": "2024-01-01 10:00:00"}
        for n, website in enumerate(websites_with_a_good_one())
    ]  # fmt: skip
    path = tmp_path / "isso.json"
    path.write_text(json.dumps([{"id": "/post/", "title": "Post", "comments": comments}]))
    check_import(path, N)


def test_isso_database_hostile_websites_are_dropped(home, tmp_path):
    path = tmp_path / "comments.db"
    db = sqlite3.connect(path)
    db.executescript(
        """CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256), title VARCHAR(256));
        CREATE TABLE comments (tid INTEGER, id INTEGER PRIMARY KEY, parent INTEGER,
            created FLOAT, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR,
            author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER, dislikes INTEGER);
        INSERT INTO threads VALUES (1, '/post/', 'Post');"""
    )
    db.executemany(
        "INSERT INTO comments VALUES (1, ?, NULL, 1700000000, NULL, 1, '', ?, ?, '', ?, 0, 0)",
        [
            (n, f"Comment {n}", f"Reader {n}", website)
            for n, website in enumerate(websites_with_a_good_one(), start=1)
        ],
    )
    db.commit()
    db.close()
    check_import(path, N)


def test_commento_hostile_websites_are_dropped(home, tmp_path):
    websites = websites_with_a_good_one()
    export = {
        "version": 1,
        "comments": [
            {"commentHex": f"c{n}", "domain": "old.example", "url": "/post/",
             "commenterHex": f"p{n}", "markdown": f"Comment {n}", "parentHex": "root",
             "score": 0, "state": "approved", "creationDate": "2024-01-01T10:00:00Z"}
            for n in range(len(websites))
        ],
        "commenters": [
            {"commenterHex": f"p{n}", "name": f"Reader {n}", "email": f"r{n}@example.org",
             "link": website}
            for n, website in enumerate(websites)
        ],
    }  # fmt: skip
    path = tmp_path / "commento.json"
    path.write_text(json.dumps(export))
    check_import(path, N)


def test_rostra_archive_hostile_websites_are_dropped(home, tmp_path):
    lines = [
        {"format": "rostra-archive", "version": 1},
        {"type": "thread", "key": "rostra:thread:1", "url": "https://old.example/post/"},
    ]
    for n, website in enumerate(websites_with_a_good_one()):
        lines.append(
            {"type": "comment", "key": f"rostra:comment:{n}", "thread_key": "rostra:thread:1",
             "created_at": "2024-01-01T10:00:00+00:00", "author_name": f"Reader {n}",
             "author_website": website, "body_markdown": f"Comment {n}"}
        )  # fmt: skip
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    check_import(path, N)


def test_names_and_e_mail_addresses_are_cleaned_like_the_form(home, tmp_path):
    """Names lose control characters and runs of spaces and are cut to the form's 80
    characters; an address the form would refuse is dropped. Each is counted."""
    comments = [
        {"id": 1, "author": "Ann \x00\x07 \t Lee", "email": "not-an-address@",
         "text": "one", "created": "2024-01-01 10:00:00"},
        {"id": 2, "author": "B" * 150, "email": "bo@example.org", "text": "two",
         "created": "2024-01-01 10:00:00"},
        {"id": 3, "author": "\x01\x02", "text": "three", "created": "2024-01-01 10:00:00"},
    ]  # fmt: skip
    path = tmp_path / "isso.json"
    path.write_text(json.dumps([{"id": "/post/", "comments": comments}]))
    summary = import_file(path)
    rows = dict(Comment.objects.values_list("body_source", "author_name"))
    assert rows == {"one": "Ann Lee", "two": "B" * 80, "three": "Anonymous"}
    emails = dict(Comment.objects.values_list("body_source", "author_email"))
    assert emails == {"one": "", "two": "bo@example.org", "three": ""}
    assert "1 × commenter name shortened to the form's 80 characters" in summary.warnings
    assert any(w.startswith("1 × commenter e-mail address dropped") for w in summary.warnings)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>text",
        '<a href="javascript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "text with a NUL \x00 and a bell \x07",
    ],
)
def test_imported_bodies_are_sanitised_like_the_form(home, tmp_path, body):
    """HTML (WordPress) and Markdown (Isso) bodies end up in the form's safe subset, and
    the editable source loses the control characters the form drops."""
    in_xml = body.replace("\x00", "").replace("\x07", "")  # XML cannot hold them at all
    wordpress = tmp_path / "export.xml"
    wordpress.write_text(wxr([GOOD_WEBSITE]).replace("Comment 1", escape(in_xml)))
    isso = tmp_path / "isso.json"
    isso.write_text(
        json.dumps([{"id": "/p/", "comments": [{"id": 1, "text": body, "created": "2024-01-01"}]}])
    )
    import_file(wordpress)
    import_file(isso)
    for comment in Comment.objects.all():
        for stored in (comment.body_html, comment.body_source):
            assert "\x00" not in stored and "\x07" not in stored
        assert_inert(comment.body_html)
