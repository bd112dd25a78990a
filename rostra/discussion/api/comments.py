"""Comments: list a thread, post, edit and delete."""

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from ninja import Query, Router, Status

from rostra.core.compression import MIN_SIZE, accepted_encoding
from rostra.core.page_cache import serve_cacheable
from rostra.discussion import services
from rostra.discussion.api.access import comment_named, require_csrf, thread_named
from rostra.discussion.api.rendering import encode
from rostra.discussion.api.schemas import (
    CommentEditIn,
    CommentIn,
    CommentOut,
    ThreadOut,
    ThreadQuery,
    refusals,
)
from rostra.discussion.api.thread_json import (
    comment_json_of,
    compressed_copy,
    public_version_reader,
    thread_page_body,
)
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.inline import PassageRequest
from rostra.discussion.models import CommentAnchor
from rostra.discussion.policy import policy_for_request

router = Router()


@router.get(
    "/comments",
    response={200: ThreadOut, **refusals(404, 422)},
    tags=["comments"],
    summary="List a thread",
)
def list_comments(request, query: Query[ThreadQuery]):
    """Top-level comments of one page in the chosen order, each with all its replies.

    What a reader without personal cookies gets is public: one answer for all of them,
    with an ETag of the thread's version (a 304 while it holds), which
    rostra.core.stored_pages answers again before routing while that version holds."""
    return serve_cacheable(
        request,
        version=public_version_reader(query.thread),
        render=lambda: _thread_answer(request, query),
    )


def _thread_answer(request, query: ThreadQuery) -> HttpResponse:
    policy, site_settings = policy_for_request(request)
    thread = thread_named(query.thread)
    body, shared = thread_page_body(
        thread,
        viewer_from_request(request),
        policy,
        thread_key=query.thread,
        sort=str(query.sort or site_settings.default_sort),
        page=query.page,
        page_size=site_settings.page_size,
        show_all=query.all,
    )
    # Built from trusted dicts of the documented shape; validating thousands of nested
    # comments again through pydantic would double the time of a whole-thread request.
    encoding = shared and len(body) >= MIN_SIZE and accepted_encoding(request)
    if not encoding:
        return HttpResponse(body, content_type="application/json")  # compressed on the way out
    # The copy every reader shares, compressed once per version (it holds no secret).
    compressed = compressed_copy(shared, body, encoding)
    response = HttpResponse(compressed, content_type="application/json")
    response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@router.post(
    "/comments",
    response={201: CommentOut, **refusals(400, 403, 404, 422, 429)},
    tags=["comments"],
    summary="Post a comment or reply",
)
def create_comment(request, payload: CommentIn):
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
    # Only a top-level comment about a passage has an anchor: no query for the others.
    asked_passage = payload.passage is not None and payload.parent is None
    anchor = CommentAnchor.objects.filter(comment=comment).first() if asked_passage else None
    can_change = services.comment_can_change(comment, viewer, policy)
    # The comment just written, in CommentOut's shape, encoded as it is: validating it
    # again through pydantic cost as much CPU as the rest of the answer (the thread's
    # pages are answered the same way; the schema tests check both).
    data = comment_json_of(comment, can_change=can_change, anchor=anchor)
    response = HttpResponse(encode(data), status=201, content_type="application/json")
    remember_guest(response, viewer)
    return response


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
    return comment_json_of(comment, can_change=services.comment_can_change(comment, viewer, policy))


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
