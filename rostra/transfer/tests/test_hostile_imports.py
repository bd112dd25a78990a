"""Hostile import files: each fails with one clear line, writes nothing, and stays within
bounded memory; loops of replies are broken and reported. The files are made here."""

import io
import json
import re
import tracemalloc
from xml.sax.saxutils import escape

import pytest
from django.core.management import CommandError, call_command

from rostra import cli
from rostra.discussion.models import Comment, Thread
from rostra.discussion.selectors import thread_page
from rostra.publishing.models import ArticlePage
from rostra.transfer import sources
from rostra.transfer.models import ImportedObject
from rostra.transfer.records import ImportFileError
from rostra.transfer.services import import_file
from rostra.transfer.sources.base import MAX_NESTING, MAX_RECORD_BYTES, ReadProgress

pytestmark = pytest.mark.django_db

WP_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:base_site_url>https://old.example</wp:base_site_url>"""
WP_TAIL = "</channel></rss>"


def wp_comment(comment_id: int, parent_id: int = 0, content: str = "Hello") -> str:
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
    <wp:comment_parent>{parent_id}</wp:comment_parent><wp:comment_author>R{comment_id}</wp:comment_author>
    <wp:comment_date_gmt>2024-01-01 10:00:{comment_id % 60:02d}</wp:comment_date_gmt>
    <wp:comment_content>{content}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
    </wp:comment>"""


def wxr(comments: str, junk: str = "") -> str:
    item = f"""<item><title>Post</title><link>https://old.example/post/</link>
    <wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
    {comments}</item>"""
    return WP_HEAD + junk + item + WP_TAIL


def nothing_written():
    return (
        ArticlePage.objects.count() == 0
        and Thread.objects.count() == 0
        and Comment.objects.count() == 0
        and ImportedObject.objects.count() == 0
    )


def refuse(path, match: str, source: str = ""):
    """The import fails with an ImportFileError of one line matching `match`."""
    with pytest.raises(ImportFileError, match=match) as failure:
        import_file(path, source=source)
    assert "\n" not in str(failure.value)
    assert nothing_written()
    return str(failure.value)


# Deep nesting ------------------------------------------------------------------------

DEPTH = 200_000


@pytest.mark.parametrize(
    "source, text",
    [
        ("isso-json", '[{"id": "/p/", "title": ' + "[" * DEPTH + "]" * DEPTH + "}]"),
        ("isso-json", '[{"id": "/p/", "comments": [{"text": ' + "[" * DEPTH + "]" * DEPTH + "}]}]"),
        ("commento", '{"comments": [{"markdown": ' + "[" * DEPTH + "]" * DEPTH + "}]}"),
        ("commento", '{"commenters": [{"x": ' + '{"a":' * DEPTH + "1" + "}" * DEPTH + "}]}"),
        ("remark42", '{"version": 1, "users": [], "posts": []}\n' + "[" * DEPTH + "]" * DEPTH),
        ("rostra", '{"format": "rostra-archive", "version": 1}\n' + '{"a":' * DEPTH + "1"),
    ],
    ids=[
        "isso-json",
        "isso-json-comments",
        "commento",
        "commento-commenters",
        "remark42",
        "rostra",
    ],
)
def test_deeply_nested_json_is_refused_in_bounded_memory(home, tmp_path, source, text):
    """200,000 nested brackets once took 21 GB: now the parser stops at the limit."""
    path = tmp_path / "nested.json"
    path.write_text(text)
    tracemalloc.start()
    try:
        refuse(path, r"nests deeper than|Line 2 is not valid JSON", source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024**2, f"{peak:,} bytes"


def test_deeply_nested_xml_is_refused(home, tmp_path):
    path = tmp_path / "nested.xml"
    path.write_text(WP_HEAD + "<a>" * (MAX_NESTING + 5) + "</a>" * (MAX_NESTING + 5) + WP_TAIL)
    refuse(path, f"nests deeper than {MAX_NESTING} elements", "wordpress")


def test_deeply_nested_html_is_refused_by_name(home, tmp_path):
    """Markup nested thousands deep (in a comment, or an article's body) is refused with
    one line instead of failing somewhere inside the HTML converters."""
    deep = escape("<em>" * 5000 + "x" + "</em>" * 5000)
    path = tmp_path / "comment.xml"
    path.write_text(wxr(wp_comment(1, content=deep)))
    refuse(path, "Comment wordpress:old.example:comment:1:1 nests its HTML deeper")
    article = wxr("").replace(
        "<wp:post_id>", f"<content:encoded>{deep}</content:encoded><wp:post_id>"
    )
    path.write_text(
        article.replace("<rss ", '<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" ')
    )
    refuse(path, "markup nested too deeply")


# Wrong shapes ------------------------------------------------------------------------


def lines(*objects) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


REMARK42 = {"version": 1, "posts": []}
ARCHIVE = {"format": "rostra-archive", "version": 1}
WHEN = "2024-01-01T00:00:00Z"
ARTICLE = {"type": "article", "key": "a", "title": "T", "slug": "t", "section": "S",
           "published_at": None}  # fmt: skip
COMMENTO_COMMENT = {"commentHex": "c", "creationDate": WHEN, "score": {"a": 1}}
REMARK42_COMMENT = {"id": "a", "locator": {"url": "/p"}, "time": WHEN, "score": "lots"}
ARCHIVE_COMMENT = {"type": "comment", "key": "c", "thread_key": "t", "author_name": "A"}

WRONG_SHAPES = [
    ("commento", {"commentHex": "c", "comments": {"a": 1}}, "“comments” should be a list"),
    ("commento", {"commentHex": "c", "comments": [1, 2]},
     "Entry 1 of “comments” should be an object, not a number"),
    ("commento", {"commentHex": "c", "commenters": ["x"]},
     "Entry 1 of “commenters” should be an object, not text"),
    ("commento", [{"commentHex": "c"}], "top level should be an object, not a list"),
    ("commento", {"comments": [COMMENTO_COMMENT]}, "Entry 1 of “comments” is not usable"),
    ("isso-json", {"comments": [], "text": 1}, "top level should be a list, not an object"),
    ("isso-json", ["comments", "text"],
     "Entry 1 of the file's list should be an object, not text"),
    ("isso-json", [{"id": "/p/", "comments": "text"}],
     "“item.comments” should be a list, not text"),
    ("isso-json", [{"id": "/p/", "comments": [7]}],
     "Entry 1 of “item.comments” should be an object"),
    ("remark42", lines({"version": 1, "posts": [1]}), "Line 1 is not usable"),
    ("remark42", lines(REMARK42, [1, 2]), "Line 2 is not a JSON object"),
    ("remark42", lines(REMARK42, {"id": "a", "locator": "x"}),
     "Line 2 is not usable: “locator” should be an object"),
    ("remark42", lines(REMARK42, REMARK42_COMMENT), "Line 2 is not usable"),
    ("rostra", lines(ARCHIVE, {"type": "thread", "key": 5}),
     "Line 2 of the archive is not usable: its key is a whole number, not text"),
    ("rostra", lines(ARCHIVE, "text"), "Line 2 is not a JSON object"),
    ("rostra", lines(ARCHIVE, {**ARCHIVE_COMMENT, "created_at": 7}),
     "Line 2 of the archive is not usable"),
    ("rostra", lines(ARCHIVE, {**ARCHIVE_COMMENT, "created_at": None}),
     "its created_at is null, not a date"),
    ("rostra", lines(ARCHIVE, {**ARTICLE, "body": "text"}),
     "its body is text, not a list of an object"),
    ("rostra", lines(ARCHIVE, {**ARTICLE, "body": [{"x": 1}]}), "a block without a type"),
    ("rostra", lines(ARCHIVE, {"type": "poll"}), "unknown record type 'poll'"),
]  # fmt: skip


@pytest.mark.parametrize("source, text, match", WRONG_SHAPES)
def test_wrong_shaped_json_fails_with_what_and_where(home, tmp_path, source, text, match):
    """Once an AttributeError deep in a parser (and an admin run left "running")."""
    path = tmp_path / "export.json"
    path.write_text(text if isinstance(text, str) else json.dumps(text))
    refuse(path, re.escape(match), source)


def test_wrong_shaped_json_names_how_far_the_file_was_read(home, tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"commentHex": "c", "comments": [{"commentHex": "a"}, "x"]}')
    message = refuse(path, "Entry 2 of “comments”", "commento")
    assert f"within the first {path.stat().st_size} bytes" in message


# XML encodings ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["klingon", "x-unknown-8"])
def test_unknown_xml_encoding_is_refused(home, tmp_path, encoding):
    path = tmp_path / "export.xml"
    path.write_text(wxr(wp_comment(1)).replace('encoding="UTF-8"', f'encoding="{encoding}"'))
    refuse(path, f"declares an encoding that cannot be read: unknown encoding: {encoding}")


def test_bytes_that_do_not_match_the_declared_encoding_are_refused(home, tmp_path):
    path = tmp_path / "export.xml"
    text = wxr(wp_comment(1, content="Dröl")).replace('encoding="UTF-8"', 'encoding="utf-16"')
    path.write_bytes(text.encode())
    refuse(path, "not well-formed XML|does not match the encoding", "wordpress")


# Memory for what lies outside records -----------------------------------------------


def test_elements_outside_records_are_freed_while_streaming(tmp_path):
    """2 MB of elements outside any record once held 142 MB until the end of the file;
    now they are let go as they end, so memory stays flat however much there is."""
    path = tmp_path / "junk.xml"
    junk = "<wp:term><wp:term_id>1</wp:term_id><wp:term_name>x</wp:term_name></wp:term>"
    path.write_text(wxr(wp_comment(1), junk=junk * 120_000))  # about 9 MB of junk
    assert path.stat().st_size > 8 * 1024**2
    module = sources.get("wordpress")
    tracemalloc.start()
    try:
        records = list(module.parse(path, ReadProgress()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [type(r).__name__ for r in records] == ["ArticleRecord", "ThreadRecord", "CommentRecord"]
    assert peak < 8 * 1024**2, f"{peak:,} bytes"


# Huge records -------------------------------------------------------------------------

HUGE = MAX_RECORD_BYTES + 1024**2


@pytest.mark.parametrize("source", ["wordpress", "commento", "remark42", "junk-between"])
def test_a_record_beyond_the_size_limit_is_refused(home, tmp_path, source):
    path = tmp_path / "huge"
    body = "x" * HUGE
    if source == "wordpress":
        path.write_text(wxr(wp_comment(1, content=body)))
    elif source == "junk-between":
        source = "wordpress"
        path.write_text(wxr(wp_comment(1), junk=f"<title>{body}</title>"))
    elif source == "commento":
        path.write_text(json.dumps({"comments": [{"commentHex": "a", "markdown": body}]}))
    else:
        path.write_text('{"version": 1, "posts": []}\n' + json.dumps({"id": "a", "text": body}))
    message = refuse(path, f"runs on for more than {MAX_RECORD_BYTES // 1024**2} MB", source)
    assert "from about byte" in message


def test_a_comment_longer_than_the_form_allows_is_cut_and_reported(home, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr(wp_comment(1, content="word " * 5_000)))  # 25,000 characters
    summary = import_file(path)
    comment = Comment.objects.get()
    assert len(comment.body_source) <= 10_000 and comment.body_source.startswith("word word")
    assert comment.body_html.startswith("<p>word word")
    assert "1 × comment longer than the 10,000-character limit: shortened to it" in summary.warnings


# Loops of replies ---------------------------------------------------------------------


def shown_ids(thread) -> set[int]:
    page = thread_page(thread=thread, viewer=None, sort="oldest", show_all=True)
    found, nodes = set(), list(page.nodes)
    while nodes:
        node = nodes.pop()
        found.add(node.comment.pk)
        nodes.extend(node.children)
    return found


@pytest.mark.parametrize(
    "comments, looped",
    [
        ([(5001, 5002), (5002, 5001)], ["5001"]),
        ([(5003, 5003)], ["5003"]),
        ([(5001, 5002), (5002, 5003), (5003, 5001), (5004, 5002)], ["5002"]),
    ],
    ids=["two-comment-loop", "its-own-parent", "three-comment-loop-with-a-reply"],
)
def test_reply_loops_are_broken_and_reported(home, tmp_path, comments, looped):
    """A comment that is its own parent, or a chain of parents that comes back to where
    it started, once vanished from the thread: every comment stays readable, the loop is
    cut where the file closes it, and the summary names the comment left top-level."""
    path = tmp_path / "export.xml"
    path.write_text(wxr("".join(wp_comment(c, p) for c, p in comments)))
    summary = import_file(path)
    assert Comment.objects.count() == len(comments)
    thread = Thread.objects.get()
    assert shown_ids(thread) == set(Comment.objects.values_list("pk", flat=True))
    for comment in Comment.objects.all():
        assert comment.depth == comment.path.count("/")
        if comment.parent_id:
            assert comment.path.startswith(comment.parent.path + "/")
    [warning] = [w for w in summary.warnings if "loops back" in w]
    keys = [f"wordpress:old.example:comment:1:{n}" for n in looped]
    assert warning.startswith(f"{len(looped)} × comment whose chain of parents loops back")
    assert all(key in warning for key in keys)


# The command line ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the command closes the database connection
def test_command_prints_one_line_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "nested.json"
    path.write_text('[{"a": ' + "[" * DEPTH + "]" * DEPTH + "}]")
    with pytest.raises(CommandError, match=r"nests deeper than 64 levels.*Nothing was imported"):
        call_command("import", "isso-json", str(path), stdout=io.StringIO())

    with pytest.raises(SystemExit) as exit_status:
        cli.main(["import", "commento", str(path), "--no-progress"])
    assert exit_status.value.code != 0
    err = capsys.readouterr().err
    assert err.startswith("CommandError: The file's top level should be an object, not a list")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert nothing_written()
