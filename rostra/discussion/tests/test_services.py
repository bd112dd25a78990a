"""Posting, threading, votes, editing and moderation follow the rules readers expect."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from rostra.discussion import selectors, services
from rostra.discussion.models import Comment, CommentStatus, Moderation, SortOrder, Vote
from rostra.discussion.services import DiscussionError
from rostra.discussion.testing import TEST_POLICY, guest, post, staff

pytestmark = pytest.mark.django_db


def _tree(page):
    def walk(nodes, depth=0):
        for node in nodes:
            yield depth, node.comment.body_source
            yield from walk(node.children, depth + 1)

    return list(walk(page.nodes))


def test_replies_nest_under_their_parent_in_reading_order(thread):
    first = post(thread, body="first")
    post(thread, body="second")
    reply = post(thread, body="reply to first", parent_id=first.pk)
    post(thread, body="reply to reply", parent_id=reply.pk)
    post(thread, body="later reply to first", parent_id=first.pk)
    page = selectors.thread_page(thread=thread, viewer=None, sort=SortOrder.OLDEST)
    assert _tree(page) == [
        (0, "first"),
        (1, "reply to first"),
        (2, "reply to reply"),
        (1, "later reply to first"),
        (0, "second"),
    ]


def test_each_sort_orders_top_level_comments(thread):
    now = timezone.now()
    old = post(thread, body="old", now=now - timedelta(hours=2))
    new = post(thread, body="new", now=now)
    liked = post(thread, body="liked", now=now - timedelta(hours=1))
    for _voter in range(3):
        services.comment_vote(comment=liked, viewer=guest(), policy=TEST_POLICY, value=1)
    services.comment_vote(comment=new, viewer=guest(), policy=TEST_POLICY, value=-1)
    del old

    def order(sort):
        page = selectors.thread_page(thread=thread, viewer=None, sort=sort)
        return [n.comment.body_source for n in page.nodes]

    assert order(SortOrder.NEWEST) == ["new", "liked", "old"]
    assert order(SortOrder.OLDEST) == ["old", "liked", "new"]
    assert order(SortOrder.MOST_VOTED) == ["liked", "old", "new"]


def test_replies_beyond_the_depth_limit_attach_at_the_last_level(thread):
    policy = replace(TEST_POLICY, max_depth=3)
    parent = post(thread, body="level 0", policy=policy)
    for level in (1, 2):
        parent = post(thread, body=f"level {level}", parent_id=parent.pk, policy=policy)
    deep = post(thread, body="too deep", parent_id=parent.pk, policy=policy)
    assert deep.depth == 2
    assert deep.parent_id == parent.parent_id
    assert deep.reply_to_id == parent.pk


def test_a_vote_counts_once_and_can_be_changed_or_withdrawn(thread):
    comment = post(thread)
    voter = guest()

    def vote(value):
        return services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=value)

    assert (vote(1).upvotes, comment.downvotes, comment.score) == (1, 0, 1)
    assert vote(1).score == 1, "voting up twice counts once"
    assert (vote(-1).upvotes, comment.downvotes, comment.score) == (0, 1, -1)
    assert (vote(0).upvotes, comment.downvotes, comment.score) == (0, 0, 0)
    assert not Vote.objects.exists()


def test_nobody_votes_on_their_own_comment(thread):
    author = guest()
    comment = post(thread, author)
    with pytest.raises(DiscussionError, match="your own comment"):
        services.comment_vote(comment=comment, viewer=author, policy=TEST_POLICY, value=1)


def test_author_edits_and_deletes_within_the_window_only(thread):
    author = guest()
    comment = post(thread, author, body="Original")
    services.comment_edit(comment=comment, viewer=author, policy=TEST_POLICY, body="*Fixed*")
    comment.refresh_from_db()
    assert comment.body_html == "<p><em>Fixed</em></p>" and comment.edited_at

    later = comment.created_at + TEST_POLICY.edit_window + timedelta(seconds=1)
    with pytest.raises(DiscussionError, match="can no longer be changed"):
        services.comment_edit(
            comment=comment, viewer=author, policy=TEST_POLICY, body="x", now=later
        )
    with pytest.raises(DiscussionError, match="can no longer be changed"):
        services.comment_delete(comment=comment, viewer=author, policy=TEST_POLICY, now=later)


def test_nobody_changes_another_readers_comment_but_staff_can(thread):
    comment = post(thread, guest(), body="Mine")
    with pytest.raises(DiscussionError, match="only change your own"):
        services.comment_edit(comment=comment, viewer=guest(), policy=TEST_POLICY, body="Hacked")
    with pytest.raises(DiscussionError, match="only change your own"):
        services.comment_delete(comment=comment, viewer=None, policy=TEST_POLICY)
    services.comment_edit(comment=comment, viewer=staff(), policy=TEST_POLICY, body="Trimmed")
    comment.refresh_from_db()
    assert comment.body_source == "Trimmed"


def test_a_deleted_comment_with_replies_leaves_a_tombstone(thread):
    author = guest()
    parent = post(thread, author, body="Parent")
    lonely = post(thread, author, body="Lonely")
    post(thread, body="Child", parent_id=parent.pk)
    for comment in (parent, lonely):
        services.comment_delete(comment=comment, viewer=author, policy=TEST_POLICY)
    page = selectors.thread_page(thread=thread, viewer=None, sort=SortOrder.OLDEST)
    assert [(n.is_tombstone, n.comment.body_source) for n in page.nodes] == [(True, "")]
    assert page.nodes[0].children[0].comment.body_source == "Child"
    assert page.total_comments == 1


def test_pending_comments_are_seen_only_by_their_author_and_staff(thread):
    policy = replace(TEST_POLICY, moderation=Moderation.FIRST_TIME)
    newcomer = guest()
    pending = post(thread, newcomer, body="First words", policy=policy)
    assert pending.status == CommentStatus.PENDING

    def bodies(viewer):
        page = selectors.thread_page(thread=thread, viewer=viewer, sort=SortOrder.NEWEST)
        return [n.comment.body_source for n in page.nodes]

    assert bodies(None) == []
    assert bodies(guest()) == []
    assert bodies(newcomer) == ["First words"]
    assert bodies(staff()) == ["First words"]

    services.comment_moderate(comments=[pending], viewer=staff(), status=CommentStatus.APPROVED)
    assert bodies(None) == ["First words"]
    assert post(thread, newcomer, body="Again", policy=policy).status == CommentStatus.APPROVED


def test_spam_and_removed_comments_disappear_for_readers(thread):
    spam = post(thread, body="Buy now")
    with pytest.raises(DiscussionError, match="permission to moderate"):
        services.comment_moderate(comments=[spam], viewer=guest(), status=CommentStatus.SPAM)
    services.comment_moderate(comments=[spam.pk], viewer=staff(), status=CommentStatus.SPAM)
    page = selectors.thread_page(thread=thread, viewer=guest(), sort=SortOrder.NEWEST)
    assert page.nodes == [] and page.total_comments == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": "   "}, "write something"),
        ({"body": "x" * 10_001}, "the limit is 10,000"),
        ({"name": ""}, "give a name"),
        ({"email": "not-an-address"}, "e-mail address does not look right"),
        ({"website": "javascript:alert(1)"}, "http:// or https://"),
        ({"honeypot": "http://spam.example"}, "meant to stay empty"),
        ({"form_age_seconds": 0.5}, "quicker than anyone can type"),
    ],
)
def test_bad_input_is_refused_with_a_reason(thread, kwargs, message):
    policy = replace(TEST_POLICY, min_submit_seconds=3)
    arguments = {"body": "Fine text", "name": "Reader", **kwargs}
    with pytest.raises(DiscussionError, match=message):
        services.comment_post(thread=thread, viewer=guest(), policy=policy, **arguments)
    assert not Comment.objects.exists()


def test_rate_limit_per_reader_and_per_address(thread):
    policy = replace(TEST_POLICY, rate_limit=(2, 60))
    reader = guest(ip_hash="shared")
    post(thread, reader, body="one", policy=policy)
    post(thread, reader, body="two", policy=policy)
    with pytest.raises(DiscussionError, match="faster than 2 comments in 60 seconds"):
        post(thread, reader, body="three", policy=policy)
    with pytest.raises(DiscussionError, match="faster than"):
        post(thread, guest(ip_hash="shared"), body="other reader, same address", policy=policy)


def test_the_same_comment_twice_is_refused(thread):
    reader = guest()
    post(thread, reader, body="Same words")
    with pytest.raises(DiscussionError, match="already posted"):
        post(thread, reader, body="Same words")


def test_closed_threads_take_no_comments(thread, article):
    thread.is_closed = True
    thread.save()
    with pytest.raises(DiscussionError, match="closed"):
        post(thread)
    thread.is_closed = False
    thread.save()
    policy = replace(TEST_POLICY, close_after=timedelta(days=1))
    article.published_at = timezone.now() - timedelta(days=2)
    article.save()
    thread.refresh_from_db()
    with pytest.raises(DiscussionError, match="closed"):
        post(thread, policy=policy)


def test_sign_in_can_be_required(thread):
    with pytest.raises(DiscussionError, match="sign in"):
        post(thread, policy=replace(TEST_POLICY, require_sign_in=True))


def test_page_of_a_comment_in_each_sort(thread):
    now = timezone.now()
    comments = [post(thread, body=f"c{n}", now=now + timedelta(seconds=n)) for n in range(5)]
    reply = post(thread, body="reply", parent_id=comments[0].pk)

    def page_of(comment, sort):
        return selectors.root_page_number(comment=comment, viewer=None, sort=sort, page_size=2)

    assert page_of(comments[0], SortOrder.OLDEST) == 1
    assert page_of(reply, SortOrder.NEWEST) == 3, "a reply is on its root's page"
    assert page_of(comments[4], SortOrder.NEWEST) == 1
    assert page_of(comments[2], SortOrder.MOST_VOTED) == 2


def test_counts_for_many_threads_in_one_query(thread, django_assert_num_queries):
    post(thread)
    post(thread)
    with django_assert_num_queries(1):
        counts = selectors.comment_counts([thread.key, "nothing-here"])
    assert counts == {thread.key: 2, "nothing-here": 0}


def test_an_imported_discussion_joins_its_articles_thread_or_an_embed_thread(article):
    """An article's discussion joins its thread; others are embed threads by address.
    Closing carries over, and a later open import never reopens a closed thread."""
    thread_id, created = services.thread_import(
        services.ImportedThread(title="Harbour", article_id=article.pk, is_closed=True)
    )
    assert created and selectors.thread_of(article).pk == thread_id
    again, created = services.thread_import(
        services.ImportedThread(title="Harbour", article_id=article.pk)
    )
    assert (again, created) == (thread_id, False)
    assert selectors.thread_of(article).is_closed

    embed_id, created = services.thread_import(
        services.ImportedThread(title="Elsewhere", key="old.example/p", url="https://old.example/p")
    )
    embed = selectors.thread_for_reader("old.example/p")
    assert created and embed.pk == embed_id and embed.url == "https://old.example/p"


def test_imported_votes_keep_a_voters_existing_vote(thread):
    """Votes already recorded for a voter on a comment are kept, not doubled."""
    comment = post(thread)
    services.comment_vote(comment=comment, viewer=guest("v"), policy=TEST_POLICY, value=1)
    voter = Vote.objects.get().voter_key
    created = services.votes_import([(comment.pk, voter, -1), (comment.pk, "g:other", -1)])
    assert created == 1
    assert sorted(Vote.objects.values_list("voter_key", "value")) == sorted(
        [(voter, 1), ("g:other", -1)]
    )
