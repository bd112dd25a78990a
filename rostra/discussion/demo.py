"""A demo conversation under one demo article, with the anatomy of a lively thread:
six comments by four people, one of them on a passage of the article (inline
feedback), a long comment that quotes the article twice, and replies nested under it.
All text is original demo copy."""

import sys
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import get_language

from rostra.discussion import demo_de, services
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.inline import PassageRequest, article_text
from rostra.discussion.models import Comment
from rostra.discussion.policy import Policy
from rostra.publishing.models import ArticlePage

ARTICLE_SLUG = "how-the-new-flood-barrier-on-the-marrow-estuary-will-work"

PEOPLE = {
    "dana": ("Dana Whitlock", ""),
    "ferris": ("Ferris Oduya", "https://ferris.example.org"),
    "marguerite": ("Marguerite Holm", ""),
    "ravi": ("Ravi Castell", ""),
}

# (ref, author, replying to ref, hours ago, text, upvotes, downvotes)
CONVERSATION = [
    (
        "c1",
        "dana",
        None,
        30,
        "Good to finally see a start date. The lower town has been waiting for this since "
        "the last flood, and most of us still keep sandbags by the door.",
        6,
        0,
    ),
    (
        "c2",
        "ferris",
        None,
        28,
        "Forty-one million for two gates sounds like a lot. I would like to see how the "
        "council's share will be paid before I cheer.",
        2,
        3,
    ),
    (
        "c3",
        "marguerite",
        None,
        26,
        "A good explainer, but two sentences deserve more attention than they got.\n\n"
        "> The barrier will not protect against flooding from heavy rain inland, which is "
        "handled by a separate programme of drainage works.\n\n"
        "Two of the three floods I remember started with rain, not the sea. The drains on "
        "Mill Street backed up long before the tide turned. If the drainage programme has "
        "no date and no budget, the barrier solves half the problem.\n\n"
        "> Modelling by the environment agency suggests such surges will become more "
        "frequent.\n\n"
        "More frequent by how much? The model's figures should be published with the plans, "
        "so residents can judge for themselves whether a gate designed today will still be "
        "high enough in forty years. That is not a reason to delay, just a reason to show "
        "the working.",
        9,
        1,
    ),
    (
        "c4",
        "ravi",
        "c3",
        20,
        "The most sensible comment here. The rain and the sea are two different problems "
        "and they need two different answers.",
        4,
        0,
    ),
    (
        "c5",
        "marguerite",
        "c4",
        18,
        "Thank you. I have asked the council for the drainage timetable and will share it "
        "when it comes.",
        3,
        0,
    ),
    (
        "c6",
        "ravi",
        "c5",
        17,
        "Please do. You have put the pieces together better than the official leaflet.",
        2,
        0,
    ),
]

# Comments on a passage of the article: ref → the sentence they are about.
PASSAGES = {"c2": "The council's share will be paid over twenty years."}

DEMO_POLICY = Policy(rate_limit=(10_000, 60), min_submit_seconds=0, max_depth=5)


def _viewer(person: str) -> Viewer:
    return Viewer(key=guest_key(f"demo-{person}"))


def _passage(article, exact: str) -> PassageRequest:
    """Where `exact` stands in the article, as a reader's selection of it says."""
    for block_id, text in article_text(article).blocks:
        start = text.find(exact)
        if start >= 0:
            return PassageRequest(
                block_id=block_id, start=start, end=start + len(exact), exact=exact
            )
    return PassageRequest()  # the demo article was edited: a plain comment then


def _demo_text():
    """This module's text, or the German one while the demo loads in German."""
    return demo_de if get_language() == "de" else sys.modules[__name__]


def demo_conversation_load() -> int:
    """Post the conversation once, in the active language; return the number of
    comments created."""
    text = _demo_text()
    article = ArticlePage.objects.filter(slug=text.ARTICLE_SLUG).first()
    if article is None:
        return 0
    thread = services.thread_for_article(article)
    if Comment.objects.filter(thread=thread).exists():
        return 0
    now = timezone.now()
    posted = {}
    for ref, person, parent_ref, hours, body, up, down in text.CONVERSATION:
        name, website = text.PEOPLE[person]
        comment = services.comment_post(
            thread=thread,
            viewer=_viewer(person),
            policy=DEMO_POLICY,
            body=body,
            name=name,
            website=website,
            parent_id=posted[parent_ref].pk if parent_ref else None,
            now=now - timedelta(hours=hours),
            passage=_passage(article, text.PASSAGES[ref]) if ref in text.PASSAGES else None,
        )
        posted[ref] = comment
        for n in range(up + down):
            services.comment_vote(
                comment=comment,
                viewer=_viewer(f"reader-{n}"),
                policy=DEMO_POLICY,
                value=1 if n < up else -1,
            )
    return len(posted)
