"""Readers' reports are in private archives only, and come back on import."""

import io

import pytest
from django.core.management import call_command

from rostra.discussion import services as discussion
from rostra.discussion.models import Report, Thread
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.publishing.models import SectionPage
from rostra.publishing.testing import make_article
from rostra.transfer.models import ImportedObject
from rostra.transfer.services import import_file

pytestmark = pytest.mark.django_db


def reports_now():
    return sorted(
        Report.objects.values_list(
            "comment__body_source", "reporter_key", "reason", "note", "explanation",
            "reporter_email", "created_at",
        )
    )  # fmt: skip


def test_reports_round_trip_through_a_private_archive(home, section, tmp_path):
    """`--private` carries every report (reason, note, a notice's explanation and
    address, the reporter's key, when); a public archive none. Imported into an empty
    site they are as they were, once however often the archive is imported."""
    thread = discussion.thread_for_article(make_article(section, "Harbour", text="Road."))
    insult, libel = post(thread, body="You bums."), post(thread, body="He stole it.")
    for comment, reason in ((insult, "abuse"), (insult, "off-topic"), (libel, "spam")):
        discussion.comment_report(
            comment=comment, viewer=guest(), policy=TEST_POLICY, reason=reason, note="See."
        )
    discussion.comment_report(
        comment=libel,
        viewer=guest(),
        policy=TEST_POLICY,
        reason="illegal",
        explanation="Defames a named man.",
        email="notice@example.org",
    )
    discussion.comment_moderate(comments=[insult], viewer=staff(), status="removed")
    before = reports_now()
    public = io.StringIO()
    call_command("export", stdout=public)
    assert '"type": "report"' not in public.getvalue()
    archive = tmp_path / "site.jsonl"
    call_command("export", "--private", "-o", str(archive), stderr=io.StringIO())
    assert archive.read_text().count('"type": "report"') == 4

    Thread.objects.all().delete()
    ImportedObject.objects.all().delete()
    for page in SectionPage.objects.all():
        page.delete()
    assert not Report.objects.exists()
    summary = import_file(archive)
    assert summary.tallies["report"].created == 4
    assert reports_now() == before
    again = import_file(archive)
    assert again.tallies["report"].created == 0
    assert reports_now() == before
