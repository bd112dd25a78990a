"""Export → import into an empty site → the same content."""

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from rostra.discussion import services as discussion
from rostra.discussion.models import Comment, Thread, Vote
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.funding.models import Donation, Donor, RecurringGift
from rostra.funding.services import DonationEvent, donation_record
from rostra.notifications.models import Subscription
from rostra.publishing.models import ArticlePage, SectionPage
from rostra.publishing.testing import make_article, make_section
from rostra.transfer.models import ImportedObject
from rostra.transfer.services import import_file

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def newsroom(home, section):
    """Two sections, three articles, a discussion with every kind of comment."""
    world = section  # "World"
    culture = make_section(home, "Culture")
    flood = make_article(
        world, "Flood barrier approved", published_at=T0, tags=("flood", "Harrowby"),
        standfirst="The council voted 7–2.", byline="Ana Ribeiro",
    )  # fmt: skip
    flood.body = [
        ("heading", {"text": "What was decided", "level": "h2"}),
        ("paragraph", '<p>A <b>bold</b> plan with <a href="https://example.org/x">a link</a>.</p>'),
        ("quote", {"text": "We will be dry.", "attribution": "The mayor"}),
        ("remote_image", {"url": "https://cdn.example/a.jpg", "alt": "Wall", "caption": "The wall",
                          "link": ""}),
    ]  # fmt: skip
    flood.save_revision().publish()
    make_article(culture, "Choir returns", published_at=T0 + timedelta(days=1))
    make_article(culture, "Draft review", published_at=T0, live=False)

    thread = discussion.thread_for_article(flood)
    ann, bob = guest("Ann"), guest("Bob")
    first = post(thread, ann, "First **point**, with a [link](https://example.org).", name="Ann",
                 email="ann@example.org", now=T0 + timedelta(hours=1))  # fmt: skip
    reply = post(thread, bob, "I disagree.", name="Bob", parent_id=first.pk,
                 now=T0 + timedelta(hours=2))  # fmt: skip
    deep = reply
    for n in range(6):  # deeper than the depth limit: attached at the last level
        deep = post(thread, ann if n % 2 else bob, f"Level {n}", name="Ann" if n % 2 else "Bob",
                    parent_id=deep.pk, now=T0 + timedelta(hours=3 + n))  # fmt: skip
    gone = post(thread, bob, "Regrettable.", name="Bob", now=T0 + timedelta(hours=10))
    discussion.comment_delete(comment=gone, viewer=staff(), policy=TEST_POLICY)
    spam = post(thread, guest("S"), "Buy now", name="Spammer", now=T0 + timedelta(hours=11))
    discussion.comment_moderate(comments=[spam], viewer=staff(), status="spam")
    discussion.comment_vote(comment=first, viewer=bob, policy=TEST_POLICY, value=1)
    discussion.comment_vote(comment=first, viewer=guest("C"), policy=TEST_POLICY, value=-1)
    discussion.comment_edit(comment=first, viewer=staff(), policy=TEST_POLICY,
                            body="First **point**, edited.")  # fmt: skip
    discussion.thread_set_closed(thread=thread, viewer=staff(), closed=True)

    Subscription.objects.create(email="ann@example.org", kind="thread", thread=thread,
                                confirmed_at=T0)  # fmt: skip
    Subscription.objects.create(email="bob@example.org", kind="replies", author_key=bob.key)
    donation_record(
        DonationEvent(channel="card", external_reference="cs_1", amount=Decimal("12.50"),
                      currency="EUR", status="confirmed", received_at=T0, donor_name="Cleo",
                      email="cleo@example.org", message="Keep going", is_anonymous=False),
        campaign_currency="EUR",
    )  # fmt: skip
    donation_record(
        DonationEvent(channel="card", external_reference="in_1", amount=Decimal("5"),
                      currency="EUR", status="confirmed", received_at=T0,
                      email="Cleo+news@example.org", recurring_reference="sub_1",
                      customer_reference="cus_1", article_id=flood.pk, position="article_end"),
        campaign_currency="EUR",
    )  # fmt: skip
    donation_record(
        DonationEvent(channel="kofi", external_reference="kofi_1", amount=Decimal("3"),
                      currency="EUR", status="confirmed", received_at=T0,
                      email="cleo@example.org"),
        campaign_currency="EUR",
    )  # fmt: skip
    return flood


def snapshot():
    def comment_id(c):
        return (c.thread.title, c.author_name, c.created_at.isoformat(), c.body_source)

    comments = {c.pk: c for c in Comment.objects.select_related("thread")}
    articles = sorted(
        (
            a.get_parent().title, a.slug, a.title, a.byline, a.standfirst,
            a.published_at.isoformat(), a.live,
            [(b.block_type, b.block.get_prep_value(b.value)) for b in a.body],
            sorted(t.name for t in a.tags.all()),
        )
        for a in ArticlePage.objects.all()
    )  # fmt: skip
    return {
        "sections": sorted(SectionPage.objects.values_list("title", flat=True)),
        "articles": articles,
        "threads": sorted(
            (t.title, t.article.slug if t.article else t.key, t.is_closed)
            for t in Thread.objects.select_related("article")
        ),
        "comments": sorted(
            (
                comment_id(c),
                comment_id(comments[c.parent_id]) if c.parent_id else None,
                comment_id(comments[c.reply_to_id]) if c.reply_to_id else None,
                c.depth,
                c.author_email,
                c.author_website,
                c.author_key,
                c.ip_hash,
                c.body_html,
                c.status,
                c.edited_at,
                c.deleted_at,
                c.upvotes,
                c.downvotes,
            )
            for c in comments.values()
        ),
        "votes": sorted(
            (comment_id(comments[v.comment_id]), v.voter_key, v.value) for v in Vote.objects.all()
        ),
        "subscriptions": sorted(
            Subscription.objects.values_list(
                "email", "kind", "thread__title", "author_key", "frequency", "confirmed_at"
            )
        ),
        "donations": sorted(
            Donation.objects.values_list(
                "channel",
                "external_reference",
                "amount",
                "currency",
                "donor_name",
                "email",
                "message",
                "is_anonymous",
                "status",
                "received_at",
                "rate_to_campaign",
                "email_verified",
                "position",
                "article__title",
                "donor__email",
                "donor__email_verified",
                "donor__show_name",
                "donor__gifts",
                "donor__lifetime_total",
                "recurring__reference",
                "recurring__customer_reference",
                "recurring__status",
                "recurring__article__title",
            )
        ),
        "donors": Donor.objects.count(),
    }


def empty_the_site(home):
    Subscription.objects.all().delete()
    Donation.objects.all().delete()
    Donor.objects.all().delete()
    RecurringGift.objects.all().delete()
    Thread.objects.all().delete()
    ImportedObject.objects.all().delete()
    for section in SectionPage.objects.all():
        section.delete()
    assert not ArticlePage.objects.exists() and not Comment.objects.exists()


def test_archive_round_trip(newsroom, home, tmp_path):
    before = snapshot()
    assert len(before["comments"]) == 10 and before["votes"] and before["donations"]
    archive = tmp_path / "site.jsonl"
    call_command("export", "--private", "-o", str(archive), stderr=io.StringIO())

    empty_the_site(home)
    summary = import_file(archive)
    assert summary.source == "rostra"
    assert snapshot() == before

    again = import_file(archive)  # and a second time changes nothing
    assert all(t.created == 0 and t.updated == 0 for t in again.tallies.values())
    assert snapshot() == before


def test_archive_without_private_fields(newsroom, tmp_path):
    out = io.StringIO()
    call_command("export", stdout=out)
    text = out.getvalue()
    assert '"format": "rostra-archive"' in text.splitlines()[0]
    assert "ann@example.org" not in text and "cleo@example.org" not in text
    assert "cus_1" not in text and '"donor":' not in text  # donor records are private
    assert '"type": "subscription"' not in text
    assert "Level 5" in text and "Keep going" in text


def test_wxr_export_is_valid_and_reimports(newsroom, home, tmp_path):
    wxr = tmp_path / "site.xml"
    call_command("export", "--format", "wxr", "-o", str(wxr), stderr=io.StringIO())
    root = ET.parse(wxr).getroot()
    wp = "{http://wordpress.org/export/1.2/}"
    items = root.findall("channel/item")
    assert len(items) == 3
    flood = next(i for i in items if i.findtext("title") == "Flood barrier approved")
    assert flood.findtext(f"{wp}post_type") == "post"
    assert flood.findtext(f"{wp}comment_status") == "closed"
    content = flood.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert '<a href="https://example.org/x">a link</a>' in content
    assert '<img src="https://cdn.example/a.jpg" alt="Wall">' in content
    assert len(flood.findall(f"{wp}comment")) == 10
    assert "ann@example.org" not in wxr.read_text()  # private fields need --private

    before = snapshot()
    empty_the_site(home)
    summary = import_file(wxr)
    assert summary.source == "wordpress"
    after = snapshot()
    assert [a[1:3] for a in after["articles"]] == [a[1:3] for a in before["articles"]]
    assert [(c[0][1], c[0][2], c[1] and c[1][1], c[9], c[12]) for c in after["comments"]] == [
        (c[0][1], c[0][2], c[1] and c[1][1], "removed" if c[11] else c[9], c[12])
        for c in before["comments"]
    ]
