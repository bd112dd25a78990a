"""What changes whenever a reader could see a thread differently: the comment section's
part of an article page's validator (rostra.core.page_cache)."""

from django.db.models import Count, Max, Q, Sum

from rostra.discussion.models import Comment, CommentAnchor, CommentStatus, Thread, Vote


def thread_change_marker(article_id: int) -> str:
    """Changes with every post, edit, delete, moderation decision, vote and anchor move in
    the article's thread, and when it is closed or opened.

    A stand-in, read from the rows themselves (three aggregate queries), for the
    per-thread version counter that writes will bump (#14 item 1): switch this function
    to `Thread.version` when it exists. Sums of ids per status catch a moderation
    decision; the newest vote time and the vote count catch a vote cast, changed or
    withdrawn."""
    thread = Thread.objects.filter(article_id=article_id).values("pk", "is_closed").first()
    if thread is None:
        return "no thread"
    comments = Comment.objects.filter(thread_id=thread["pk"]).aggregate(
        count=Count("pk"),
        newest=Max("pk"),
        edited=Max("edited_at"),
        deleted=Max("deleted_at"),
        up=Sum("upvotes"),
        down=Sum("downvotes"),
        approved=Sum("pk", filter=Q(status=CommentStatus.APPROVED)),
        pending=Sum("pk", filter=Q(status=CommentStatus.PENDING)),
    )
    votes = Vote.objects.filter(comment__thread_id=thread["pk"]).aggregate(
        count=Count("pk"), newest=Max("created_at")
    )
    anchors = CommentAnchor.objects.filter(thread_id=thread["pk"]).aggregate(
        count=Count("pk"), moved=Max("updated_at")
    )
    return repr((thread["is_closed"], comments, votes, anchors))
