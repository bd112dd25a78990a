"""Moderation state in Rostra archives (#15 item 10, #16): picks, pins, articles' hold
modes and Supporters' Q&A in every archive; with --private also the site's hold mode,
quiet hours and word lists, bans, the decision log and the spam filter's model
versions (metadata only); all of it restored by `rostra import`, and a second import
changes nothing."""

import io
import json
from datetime import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from rostra.discussion import services as discussion
from rostra.discussion.models import (
    Ban,
    BanKind,
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationReason,
    Thread,
    ThreadHold,
)
from rostra.discussion.services.bans import ban_create
from rostra.discussion.testing import post, site_settings_save, staff
from rostra.spamfilter.models import FilterModel
from rostra.transfer.services import import_file
from rostra.transfer.tests.test_export import empty_the_site, newsroom  # noqa: F401

pytestmark = pytest.mark.django_db


def moderation_snapshot() -> dict:
    from rostra.discussion.selectors import site_policy

    policy = site_policy()
    return {
        "settings": (policy.moderation, policy.quiet_hours, policy.banned_terms),
        "bans": sorted(
            Ban.objects.values_list("kind", "value", "reason", "shadow", "expires_at", "lifted_at")
        ),
        "decisions": sorted(
            ModerationDecision.objects.values_list(
                "comment__body_source",
                "from_status",
                "to_status",
                "trigger",
                "reason",
                "note",
                "moderator_name",
                "decided_at",
            )
        ),
        "picks": sorted(
            Comment.objects.filter(picked_at__isnull=False).values_list("body_source", "picked_at")
        ),
        "threads": sorted(
            Thread.objects.values_list(
                "title", "hold_mode", "supporters_only", "pinned_comment__body_source"
            )
        ),
    }


@pytest.fixture
def moderated(newsroom):  # noqa: F811
    site_settings_save(
        moderation="first",
        quiet_hours_start=time(22),
        quiet_hours_end=time(7),
        banned_terms="casino\ncheap pills",
        suspect_terms="idiot",
    )
    thread = Thread.objects.get()
    discussion.thread_set_closed(thread=thread, viewer=staff(), closed=False)
    rejected = post(thread, body="Buy followers now.")
    thread.hold_mode = ThreadHold.HOLD_ALL
    thread.supporters_only = True
    thread.save()
    top = Comment.objects.filter(thread=thread, depth=0).order_by("pk").first()
    discussion.comment_pick(comment=top, viewer=staff())
    discussion.comment_pin(comment=top, viewer=staff())
    discussion.comment_moderate(
        comments=[rejected],
        viewer=staff(),
        status=CommentStatus.SPAM,
        reason=ModerationReason.SPAM,
        note="Third time.",
    )
    ban_create(viewer=staff(), kind=BanKind.EMAIL, value="spam@example.org", reason="Spam")
    FilterModel.objects.create(
        version=3, state="ready", trained_at=timezone.now(), trigger="nightly",
        features_version=1, counts={"ham": 60, "spam": 55},
    )  # fmt: skip
    return thread


def test_moderation_state_round_trips_through_a_private_archive(moderated, home, tmp_path):
    before = moderation_snapshot()
    assert before["bans"] and before["decisions"] and before["picks"]
    archive = tmp_path / "site.jsonl"
    call_command("export", "--private", "-o", str(archive), stderr=io.StringIO())
    lines = [json.loads(line) for line in archive.read_text().splitlines()[1:]]
    sections = {line["section"] for line in lines if line["type"] == "moderation"}
    assert sections == {"thread", "pick", "settings", "ban", "decision", "spamfilter_model"}
    (model,) = [line["data"] for line in lines if line.get("section") == "spamfilter_model"]
    assert model["version"] == 3 and model["counts"] == {"ham": 60, "spam": 55}
    assert "weights" not in json.dumps(model)

    empty_the_site(home)
    Ban.objects.all().delete()
    site_settings_save(moderation="post", quiet_hours_start=None, quiet_hours_end=None,
                       banned_terms="", suspect_terms="")  # fmt: skip
    summary = import_file(archive)
    assert summary.tallies["moderation"].created >= 5
    assert moderation_snapshot() == before

    again = import_file(archive)
    assert again.tallies["moderation"].created == 0
    assert moderation_snapshot() == before


def test_a_public_archive_keeps_bans_decisions_and_word_lists_out(moderated):
    out = io.StringIO()
    call_command("export", stdout=out)
    text = out.getvalue()
    assert "spam@example.org" not in text and "cheap pills" not in text
    assert "Third time." not in text
    lines = [json.loads(line) for line in text.splitlines()[1:]]
    sections = {line["section"] for line in lines if line["type"] == "moderation"}
    assert sections == {"thread", "pick"}
