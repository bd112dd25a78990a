"""Re-imports, dry runs, and files that must change nothing."""

import io
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command

from rostra.discussion.models import Comment, Thread
from rostra.publishing.models import ArticlePage
from rostra.transfer.models import ImportedObject
from rostra.transfer.records import ImportFileError
from rostra.transfer.services import import_file

pytestmark = pytest.mark.django_db

THEME = "wordpress-importer/phpunit-data/theme-unit-test-data.xml"


def counts():
    return (
        ArticlePage.objects.count(),
        Thread.objects.count(),
        Comment.objects.count(),
        ImportedObject.objects.count(),
    )


def test_second_import_creates_nothing_and_updates_what_changed(home, fixture_file, tmp_path):
    path = fixture_file("isso/wordpress.xml")
    import_file(path)
    before = counts()
    again = import_file(path)
    assert counts() == before
    assert all(t.created == 0 and t.updated == 0 for t in again.tallies.values())

    edited = tmp_path / "edited.xml"
    edited.write_text(path.read_text().replace("Drölfter!", "Drölfter, corrected."))
    summary = import_file(edited)
    assert counts() == before
    assert summary.tallies["comment"].updated == 1
    assert Comment.objects.filter(body_source="Drölfter, corrected.").count() == 1


def test_dry_run_reports_and_saves_nothing(home, fixture_file):
    before = counts()
    summary = import_file(fixture_file(THEME), dry_run=True)
    assert summary.tallies["comment"].created == 33
    assert summary.lines()[0].startswith("Would import from wordpress")
    assert summary.lines()[-1] == "Dry run: nothing was saved."
    assert counts() == before


def test_truncated_file_imports_nothing(home, fixture_file, tmp_path):
    data = fixture_file(THEME).read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(ImportFileError, match=r"line \d+, column \d+"):
        import_file(cut)
    # The first three quarters were parsed and written, then rolled back.
    assert counts() == (0, 0, 0, 0)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol9;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&secret;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>x</title>
<wp:post_type>post</wp:post_type></item></channel></rss>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused(home, tmp_path, payload):
    path = tmp_path / "attack.xml"
    path.write_bytes(payload)
    with pytest.raises(ImportFileError, match="declares XML entities"):
        import_file(path, source="wordpress")
    assert counts() == (0, 0, 0, 0)


def test_external_dtd_is_never_fetched(home, tmp_path):
    path = tmp_path / "dtd.xml"
    path.write_bytes(EXTERNAL_DTD)
    # expat does not load external DTDs; the file imports as if the DOCTYPE were absent.
    summary = import_file(path, source="wordpress")
    assert summary.tallies["article"].created == 1


def test_bad_json_lines_name_the_line(home, tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text('{"version":1,"users":[],"posts":[]}\n{"id": "a", \n')
    with pytest.raises(ImportFileError, match="Line 2 is not valid JSON"):
        import_file(path)


def test_unknown_file_asks_for_the_source(home, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(ImportFileError, match="Cannot tell what system exported this file"):
        import_file(path)


def test_command_prints_the_summary(home, fixture_file):
    out = io.StringIO()
    call_command("import", "wordpress", str(fixture_file("isso/wordpress.xml")), stdout=out)
    text = out.getvalue()
    assert "Imported from wordpress: 14 records read." in text
    assert "comments       created       8" in text


def test_command_dry_run_and_errors(home, fixture_file, tmp_path):
    out = io.StringIO()
    call_command("import", str(fixture_file("isso/generic.json")), "--dry-run", stdout=out)
    assert "Dry run: nothing was saved." in out.getvalue()
    assert Comment.objects.count() == 0
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel><item>")
    with pytest.raises(CommandError, match=r"not well-formed XML at line 1.*Nothing was imported"):
        call_command("import", str(bad))


def test_memory_of_written_records_is_bounded_and_falls_back_to_the_database(
    home, fixture_file, monkeypatch
):
    """With room for only two remembered comments and threads, every parent is still
    found: the writer looks up what it forgot."""
    from rostra.transfer.writer import memory

    monkeypatch.setattr(memory, "REMEMBERED_COMMENTS", 2)
    monkeypatch.setattr(memory, "REMEMBERED_OTHERS", 2)
    summary = import_file(fixture_file(THEME), batch_size=5)
    assert summary.tallies["comment"].created == 33
    replies = Comment.objects.exclude(parent=None)
    assert replies.count() > 5
    for reply in replies:
        assert reply.path.startswith(reply.parent.path + "/")


def test_progress_is_reported_with_records_and_bytes(home, fixture_file):
    """The check reports records and bytes read; then each batch what is written."""
    seen = []
    path = fixture_file(THEME)
    import_file(
        path,
        batch_size=100,
        on_progress=lambda progress, read: seen.append((replace(progress), read.bytes_read)),
    )
    checked = [(p, n) for p, n in seen if p.phase == "checking"]
    written = [p for p, _ in seen if p.phase == "writing"]
    progress, bytes_read = checked[-1]
    assert progress.records == 299 and bytes_read == path.stat().st_size
    assert progress.to_write == written[-1].written == written[-1].to_write
    assert 100 < progress.to_write < 200
    assert [p.written for p in written] == [100, progress.to_write]


class Interrupted(Exception):
    """Stands for the import's process dying right after a batch was committed."""


def test_an_import_stopped_part_way_is_finished_by_importing_it_again(home, tmp_path):
    """A reply that comes before its parent in the file is saved at the top level until
    the parent arrives. Stopped in between, the import leaves it there; importing the
    file again moves it under its parent, as one uninterrupted import does."""
    path = tmp_path / "early-reply.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:base_site_url>https://old.example</wp:base_site_url>"
        "<item><title>Post</title><link>https://old.example/post/</link>"
        "<wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status>"
        + "".join(
            f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
            f"<wp:comment_parent>{parent}</wp:comment_parent>"
            f"<wp:comment_author>R{n}</wp:comment_author>"
            "<wp:comment_date_gmt>2024-01-01 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>Comment {n}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved></wp:comment>"
            for n, parent in ((1, 2), (2, 0))  # 1 answers 2, which comes after it
        )
        + "</item></channel></rss>"
    )

    def stop_after(batches):
        def report(progress, read):
            if progress.phase == "writing" and progress.written == batches:
                raise Interrupted

        return report

    def parent_of_reply():
        reply = Comment.objects.get(body_source="Comment 1")
        return reply.parent.body_source if reply.parent else None

    # One batch each for the article, its thread and the reply: then the process "dies".
    with pytest.raises(Interrupted):
        import_file(path, batch_size=1, on_progress=stop_after(3))
    assert Comment.objects.count() == 1 and parent_of_reply() is None

    summary = import_file(path, batch_size=1)
    assert summary.tallies["comment"].created == 1  # the parent; the reply was there
    assert parent_of_reply() == "Comment 2"
    assert Comment.objects.count() == 2 and ImportedObject.objects.count() == 4
    assert summary.warnings == []
