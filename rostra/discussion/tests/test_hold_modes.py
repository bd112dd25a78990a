"""Hold modes: the site publishes at once, holds first-time commenters or holds
everything; an article may hold everything or be closed; quiet hours hold everything
between two times of the site's clock. Held authors are told why."""

from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from rostra.discussion import services
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    HoldReason,
    Moderation,
    ModerationDecision,
    ModerationTrigger,
    ThreadHold,
)
from rostra.discussion.services import DiscussionError
from rostra.discussion.services.screening import in_quiet_hours
from rostra.discussion.testing import TEST_POLICY, guest, post, site_settings_save, staff

pytestmark = pytest.mark.django_db

LISBON = ZoneInfo("Europe/Lisbon")
HOLD_ALL = replace(TEST_POLICY, moderation=Moderation.HOLD_ALL)
NIGHT = replace(TEST_POLICY, quiet_hours=(time(22, 0), time(7, 0)))


def test_publish_at_once_holds_nothing(thread):
    comment = post(thread, body="Straight out.")
    assert (comment.status, comment.held_because) == (CommentStatus.APPROVED, "")
    assert not ModerationDecision.objects.exists()


def test_first_time_commenters_are_held_until_one_of_theirs_is_approved(thread):
    policy = replace(TEST_POLICY, moderation=Moderation.FIRST_TIME)
    reader = guest()
    first = post(thread, reader, body="Hello.", policy=policy)
    assert (first.status, first.held_because) == (CommentStatus.PENDING, HoldReason.FIRST_TIME)
    services.comment_moderate(comments=[first], viewer=staff(), status="approved")
    assert post(thread, reader, body="Again.", policy=policy).status == CommentStatus.APPROVED


def test_hold_everything_holds_every_reader_and_logs_why_but_not_staff(thread):
    """Each held comment gets a decision by Rostra (no moderator) set off by the hold
    mode; a moderator's own comment is published."""
    reader = guest()
    for body in ("One.", "Two."):
        held = post(thread, reader, body=body, policy=HOLD_ALL)
        assert (held.status, held.held_because) == (CommentStatus.PENDING, HoldReason.SITE)
    entry = ModerationDecision.objects.filter(comment=held).get()
    assert (entry.from_status, entry.to_status) == ("", CommentStatus.PENDING)
    assert entry.trigger == ModerationTrigger.HOLD_MODE and entry.moderator_name == ""
    assert entry.note == "site: hold everything"
    desk = replace(staff(), user_id=None)  # no account row needed to be staff here
    assert post(thread, desk, body="From the desk.", policy=HOLD_ALL).status == "approved"


def test_an_article_can_hold_everything_whatever_the_site_says(thread):
    thread.hold_mode = ThreadHold.HOLD_ALL
    thread.save()
    comment = post(thread, body="On a court story.")
    assert (comment.status, comment.held_because) == (CommentStatus.PENDING, HoldReason.ARTICLE)


def test_a_closed_article_legal_hold_takes_no_comment(thread):
    services.thread_set_closed(thread=thread, viewer=staff(), closed=True)
    with pytest.raises(DiscussionError) as refused:
        post(thread, body="About the trial.")
    assert refused.value.status == 403 and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("local", "held"),
    [
        ((21, 59), False),
        ((22, 0), True),
        ((23, 30), True),
        ((0, 10), True),
        ((6, 59), True),
        ((7, 0), False),
        ((12, 0), False),
    ],
)
def test_quiet_hours_run_across_midnight_on_the_sites_clock(local, held):
    now = datetime(2026, 1, 15, *local, tzinfo=LISBON)
    assert in_quiet_hours(now, time(22, 0), time(7, 0), LISBON) is held
    assert in_quiet_hours(now, time(9, 0), time(17, 0), LISBON) is (9 <= local[0] < 17)


def test_quiet_hours_follow_the_wall_clock_across_a_daylight_saving_change():
    """06:30 UTC is 06:30 in Lisbon the day before summer time starts (quiet) and 07:30
    the day after (not quiet): a fixed offset would get one of them wrong."""
    night = (time(22, 0), time(7, 0))
    before = datetime(2026, 3, 28, 6, 30, tzinfo=UTC)
    after = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    assert in_quiet_hours(before, *night, LISBON) is True
    assert in_quiet_hours(after, *night, LISBON) is False
    # In autumn the clock goes back: 21:30 UTC is 22:30 before (quiet), 21:30 after.
    assert in_quiet_hours(datetime(2026, 10, 24, 21, 30, tzinfo=UTC), *night, LISBON)
    assert not in_quiet_hours(datetime(2026, 10, 25, 21, 30, tzinfo=UTC), *night, LISBON)


def test_quiet_hours_hold_comments_and_say_so(thread, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    night = datetime(2026, 1, 15, 23, 30, tzinfo=LISBON)
    day = datetime(2026, 1, 15, 12, 0, tzinfo=LISBON)
    held = post(thread, body="Late thought.", policy=NIGHT, now=night)
    assert (held.status, held.held_because) == (CommentStatus.PENDING, HoldReason.QUIET_HOURS)
    assert ModerationDecision.objects.get(comment=held).note == "quiet hours 22:00–07:00"
    assert post(thread, body="Noon thought.", policy=NIGHT, now=day).status == "approved"


def test_quiet_hours_need_a_start_and_an_end(home):
    from wagtail.models import Site

    site_settings = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.quiet_hours_start = time(22, 0)
    with pytest.raises(ValidationError):
        site_settings.full_clean()
    site_settings.quiet_hours_end = time(22, 0)
    with pytest.raises(ValidationError):
        site_settings.full_clean()
    site_settings.quiet_hours_end = time(7, 0)
    site_settings.full_clean()


@pytest.fixture
def hold_everything(home):
    return site_settings_save(moderation=Moderation.HOLD_ALL)


def test_the_held_author_is_told_why_on_the_page_and_in_the_api(client, article, hold_everything):
    """The pending notice carries the reason, for the page and for API clients."""
    response = client.post(
        f"/comments/articles/{article.pk}/post/", {"name": "Ana", "body": "Held, surely."}
    )
    html = client.get(response["Location"]).content.decode()
    reason = str(HoldReason.SITE.label)
    assert "Awaiting moderation" in html and reason in html
    assert reason not in Client().get(article.url).content.decode()

    api = Client(enforce_csrf_checks=True)
    api.get("/api/csrf")
    created = api.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "Via the API.", "name": "Bo"},
        content_type="application/json",
        headers={"X-CSRFToken": api.cookies["csrftoken"].value},
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    assert created.json()["held_because"] == HoldReason.SITE.label
