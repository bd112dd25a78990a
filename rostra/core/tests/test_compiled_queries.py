"""A queryset compiled once answers like the queryset itself, for any values."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rostra.core.compiled_queries import CompiledQuery
from rostra.discussion.models import Comment, Thread
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


def test_objects_match_the_querysets_own_for_other_values(django_assert_num_queries):
    """Each call runs one query with its own values and gives the instances the queryset
    would: fields converted (dates are aware datetimes), select_related objects attached."""
    thread = Thread.objects.create(key="embed-compiled-queries")
    first, second = post(thread, body="First"), post(thread, body="Second")
    by_author = CompiledQuery(
        lambda pk, key: Comment.objects.filter(pk=pk, author_key=key).select_related("thread"),
        [int, str],
    )
    for comment in (first, second):
        with django_assert_num_queries(1):
            [found] = by_author.objects(comment.pk, comment.author_key)
            assert found.thread.key == comment.thread.key  # attached, no second query
        assert (found.pk, found.body_source, found.created_at) == (
            comment.pk,
            comment.body_source,
            comment.created_at,
        )
        assert found.created_at.tzinfo is not None
    assert by_author.first(first.pk, "someone else") is None
    assert by_author.objects(second.pk + 1000, second.author_key) == []


def test_a_value_the_database_receives_changed_is_refused_at_once():
    """A value the backend adapts (here a date made from it) cannot be put back into the
    kept SQL: the query says so instead of answering with a stale parameter."""
    start = timezone.now()
    by_age = CompiledQuery(
        lambda days: Thread.objects.filter(created_at__gt=start - timedelta(seconds=days)), [int]
    )
    with pytest.raises(ValueError, match="not one of the values"):
        by_age.objects(3)


def test_a_query_whose_sql_depends_on_its_value_is_refused():
    by_key = CompiledQuery(
        lambda key: Thread.objects.filter(key=key) if key.endswith("a") else Thread.objects.all(),
        [str],
    )
    with pytest.raises(ValueError, match="depends on its values"):
        by_key.first("article:1")
