"""Comments: list a thread, post, edit and delete."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from ninja import Query, Router, Status

from rostra.discussion import selectors, services
from rostra.discussion.api.access import comment_named, require_csrf, thread_named
from rostra.discussion.api.schemas import (
    CommentEditIn,
    CommentIn,
    CommentOut,
    ThreadOut,
    ThreadQuery,
    refusals,
)
from rostra.discussion.avatars import initials
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.inline import PassageRequest
from rostra.discussion.models import Comment, CommentAnchor
from rostra.discussion.policy import policy_for_request

router = Router()


def _passage_out(anchor) -> dict | None:
    if anchor is None:
        return None
    fields = ("block_id", "start", "end", "exact", "prefix", "suffix", "question_id")
    return {
        **{name: getattr(anchor, name) for name in fields},
        "question": anchor.question,
        "status": anchor.status,
    }


def _comment_out(
    comment: Comment, *, vote=0, viewer=None, policy=None, replies=(), anchor=None
) -> dict:
    deleted = comment.is_deleted
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "reply_to_id": comment.reply_to_id,
        "depth": comment.depth,
        "author": None
        if deleted
        else {
            "name": comment.author_name,
            "initials": initials(comment.author_name),
            "website": comment.website_link,
        },
        "html": comment.body_html,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "status": comment.status,
        "is_deleted": deleted,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "my_vote": vote,
        "can_change": bool(policy and services.comment_can_change(comment, viewer, policy)),
        "url": f"/comments/{comment.pk}/",
        "passage": _passage_out(anchor),
        "replies": list(replies),
    }


def _node_out(node, viewer, policy) -> dict:
    return _comment_out(
        node.comment,
        vote=node.vote,
        viewer=viewer,
        policy=policy,
        replies=[_node_out(child, viewer, policy) for child in node.children],
        anchor=node.anchor,
    )


@router.get(
    "/comments",
    response={200: ThreadOut, **refusals(404, 422)},
    tags=["comments"],
    summary="List a thread",
)
def list_comments(request, query: Query[ThreadQuery]):
    """Top-level comments of one page in the chosen order, each with all its replies."""
    policy, site_settings = policy_for_request(request)
    thread = thread_named(query.thread)
    viewer = viewer_from_request(request)
    sort = query.sort or site_settings.default_sort
    page = selectors.thread_page(
        thread=thread,
        viewer=viewer,
        sort=sort,
        page=query.page,
        page_size=site_settings.page_size,
        show_all=query.all,
    )
    data = {
        "thread": query.thread,
        "sort": sort,
        "total_comments": page.total_comments,
        "total_top_level": page.total_roots,
        "page": page.page,
        "has_more": page.has_more,
        "comments": [_node_out(node, viewer, policy) for node in page.nodes],
    }
    # Built from trusted dicts of the documented shape; validating thousands of nested
    # comments again through pydantic would double the time of a whole-thread request.
    return HttpResponse(json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json")


@router.post(
    "/comments",
    response={201: CommentOut, **refusals(400, 403, 404, 422, 429)},
    tags=["comments"],
    summary="Post a comment or reply",
)
def create_comment(request, payload: CommentIn, response: HttpResponse):
    require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    comment = services.comment_post(
        thread=thread_named(payload.thread, create=True),
        viewer=viewer,
        policy=policy,
        body=payload.body,
        name=payload.name,
        email=payload.email,
        website=payload.website,
        parent_id=payload.parent,
        passage=PassageRequest(**payload.passage.dict()) if payload.passage else None,
    )
    remember_guest(response, viewer)
    anchor = CommentAnchor.objects.filter(comment=comment).first()
    return Status(201, _comment_out(comment, viewer=viewer, policy=policy, anchor=anchor))


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **refusals(400, 403, 404, 422)},
    tags=["comments"],
    summary="Edit a comment",
)
def edit_comment(request, comment_id: int, payload: CommentEditIn):
    require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request)
    comment = services.comment_edit(
        comment=comment_named(request, comment_id), viewer=viewer, policy=policy, body=payload.body
    )
    return _comment_out(comment, viewer=viewer, policy=policy)


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **refusals(403, 404, 422)},
    tags=["comments"],
    summary="Delete a comment",
)
def delete_comment(request, comment_id: int):
    require_csrf(request)
    policy, _ = policy_for_request(request)
    services.comment_delete(
        comment=comment_named(request, comment_id),
        viewer=viewer_from_request(request),
        policy=policy,
    )
    return Status(204, None)
