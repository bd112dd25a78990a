"""JSON API of the discussion (django-ninja; OpenAPI docs at /api/docs).

Readers are identified exactly as on the page: the Django session for signed-in
readers, the signed guest cookie for guests. Every request that changes something
must carry the CSRF token (header `X-CSRFToken`, with the `csrftoken` cookie).
"""

import json
from datetime import datetime
from typing import Annotated

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import get_token
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.utils import check_csrf
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from rostra.core.text import is_printable_line
from rostra.discussion import selectors, services
from rostra.discussion.avatars import initials
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.inline import PassageRequest
from rostra.discussion.models import Comment, CommentAnchor, SortOrder, Thread
from rostra.discussion.policy import policy_for_request
from rostra.discussion.services import DiscussionError

api = NinjaAPI(
    title="Rostra discussion API",
    version="1",
    description="Threads, comments and votes of a Rostra newsroom.",
    urls_namespace="rostra_api",
    docs_url="/docs",
)


def _valid_thread_key(value: str) -> str:
    """Parsed before any query: a malformed key is refused (422) with what a key is."""
    try:
        return selectors.parse_thread_key(value)[0]
    except selectors.ThreadKeyError as error:
        raise PydanticCustomError("thread_key", str(error)) from None


class ErrorOut(Schema):
    """Why a request was refused. Every refusal of this API has this shape."""

    error: str = Field(description="What to change, in a sentence for people.")
    field: str = Field(
        description="The input concerned (`body`, `name`, `thread`…); empty if none."
    )


class ValidationIssue(Schema):
    type: str
    loc: list[str | int] = Field(description="Where: `body`, `query` or `path`, then the name.")
    msg: str


class InvalidOut(ErrorOut):
    """A request that does not match this schema (422): the first problem in `error` and
    `field`, every problem in `detail`."""

    detail: list[ValidationIssue]


def _refusals(*statuses: int) -> dict:
    return {status: InvalidOut if status == 422 else ErrorOut for status in statuses}


def _printable_key(key: str) -> str:
    if not is_printable_line(key):
        raise ValueError("a thread key is one line of printable text")
    return key


ThreadKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        description="Thread key: `article:<id>` for an article, else an embed thread's key.",
        json_schema_extra={"pattern": r"^[^\x00-\x1f\x7f-\x9f]*$"},
    ),
    AfterValidator(_printable_key),
    AfterValidator(_valid_thread_key),
]


class AuthorOut(Schema):
    name: str
    initials: str
    website: str


class PassageOut(Schema):
    """A W3C Web Annotation style target: the block, a TextQuoteSelector (exact, prefix,
    suffix) and a TextPositionSelector (start, end) in the block's plain text."""

    block_id: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    question_id: str
    question: str
    status: str = Field(description="`anchored`, or `orphaned` when the passage is gone.")


class PassageIn(Schema):
    block_id: str = ""
    start: int | None = None
    end: int | None = None
    exact: str = Field("", description="The selected text, whitespace collapsed.")
    question_id: str = Field("", description="Or: the editor's question being answered.")


class CommentOut(Schema):
    id: int
    parent_id: int | None
    reply_to_id: int | None
    depth: int
    author: AuthorOut | None
    html: str
    created_at: datetime
    edited_at: datetime | None
    status: str
    is_deleted: bool
    upvotes: int
    downvotes: int
    score: int
    my_vote: int
    can_change: bool
    url: str
    passage: PassageOut | None = None
    replies: list["CommentOut"] = Field(default_factory=list)


CommentOut.model_rebuild()


class ThreadOut(Schema):
    thread: str
    sort: str
    total_comments: int
    total_top_level: int
    page: int
    has_more: bool
    comments: list[CommentOut]


class CommentIn(Schema):
    thread: ThreadKey
    body: str = Field(description="Markdown subset.")
    name: str = ""
    email: str = ""
    website: str = ""
    parent: int | None = None
    passage: PassageIn | None = Field(None, description="For a comment on a passage.")


class CommentEditIn(Schema):
    body: str


class VoteIn(Schema):
    value: int = Field(ge=-1, le=1, description="1 up, -1 down, 0 withdraw.")


class VoteOut(Schema):
    id: int
    upvotes: int
    downvotes: int
    score: int
    my_vote: int


class ThreadQuery(Schema):
    thread: ThreadKey
    sort: SortOrder | None = None
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)
    all: bool = False


@api.exception_handler(DiscussionError)
def discussion_error(request, error: DiscussionError):
    return api.create_response(
        request, {"error": error.message, "field": error.field}, status=error.status
    )


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    return api.create_response(
        request, {"error": error.message, "field": ""}, status=error.status_code
    )


def unreadable_request(request, error: Exception):
    """A form body Django cannot parse (checking the CSRF token reads it) or a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE: refused in this API's shape, not Django's HTML page."""
    return api.create_response(
        request, {"error": f"The request cannot be read: {error}", "field": ""}, status=400
    )


for unreadable in (BadRequest, MultiPartParserError, SuspiciousOperation):
    api.add_exception_handler(unreadable, unreadable_request)


@api.exception_handler(ValidationError)
def invalid_request(request, error: ValidationError):
    """django-ninja's 422, with the first problem said as the other refusals say theirs."""
    first = error.errors[0]
    where, *names = first["loc"]
    if where == "body":
        names = names[1:]  # the view's argument name: the JSON body is the argument
    field = ".".join(str(name) for name in names)
    subject = field or f"request {where}"
    body = {"error": f"{first['msg']} ({subject}).", "field": field, "detail": error.errors}
    return api.create_response(request, body, status=422)


def _require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise HttpError(403, "CSRF token missing or incorrect.")


def _thread(key: str, *, create: bool = False) -> Thread | None:
    """The thread a reader may reach under `key` (a validated ThreadKey), through the
    one access rule. None for a readable article without comments yet, unless `create`.
    """
    key, article_id = selectors.parse_thread_key(key)
    if article_id is None:
        thread = selectors.thread_for_reader(key)
        if thread is None:
            raise HttpError(404, f"No discussion {key!r}.")
        return thread
    article = selectors.article_for_reader(article_id)
    if article is None:
        raise HttpError(404, f"No discussion {key!r}.")
    thread = selectors.thread_of(article)
    if thread is None and create:
        thread = services.thread_for_article(article)
    return thread


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


class CsrfOut(Schema):
    csrf_token: str


@api.get("/csrf", response=CsrfOut, tags=["session"], summary="Get a CSRF token")
def csrf_token(request):
    """Sets the `csrftoken` cookie; send the value back in `X-CSRFToken` on writes."""
    return {"csrf_token": get_token(request)}


@api.get(
    "/comments",
    response={200: ThreadOut, **_refusals(404, 422)},
    tags=["comments"],
    summary="List a thread",
)
def list_comments(request, query: Query[ThreadQuery]):
    """Top-level comments of one page in the chosen order, each with all its replies."""
    policy, site_settings = policy_for_request(request)
    thread = _thread(query.thread)
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


@api.post(
    "/comments",
    response={201: CommentOut, **_refusals(400, 403, 404, 422, 429)},
    tags=["comments"],
    summary="Post a comment or reply",
)
def create_comment(request, payload: CommentIn, response: HttpResponse):
    _require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    comment = services.comment_post(
        thread=_thread(payload.thread, create=True),
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


def _comment(request, comment_id: int) -> Comment:
    """A comment this reader may see, of a readable thread (the one access rule)."""
    comment = selectors.comment_for_reader(comment_id, viewer_from_request(request))
    if comment is None:
        raise HttpError(404, "No such comment.")
    return comment


@api.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **_refusals(400, 403, 404, 422)},
    tags=["comments"],
    summary="Edit a comment",
)
def edit_comment(request, comment_id: int, payload: CommentEditIn):
    _require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request)
    comment = services.comment_edit(
        comment=_comment(request, comment_id), viewer=viewer, policy=policy, body=payload.body
    )
    return _comment_out(comment, viewer=viewer, policy=policy)


@api.delete(
    "/comments/{comment_id}",
    response={204: None, **_refusals(403, 404, 422)},
    tags=["comments"],
    summary="Delete a comment",
)
def delete_comment(request, comment_id: int):
    _require_csrf(request)
    policy, _ = policy_for_request(request)
    services.comment_delete(
        comment=_comment(request, comment_id), viewer=viewer_from_request(request), policy=policy
    )
    return Status(204, None)


@api.post(
    "/comments/{comment_id}/vote",
    response={200: VoteOut, **_refusals(400, 403, 404, 422)},
    tags=["votes"],
    summary="Vote up, down, or withdraw",
)
def vote_comment(request, comment_id: int, payload: VoteIn, response: HttpResponse):
    _require_csrf(request)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    comment = services.comment_vote(
        comment=_comment(request, comment_id), viewer=viewer, policy=policy, value=payload.value
    )
    remember_guest(response, viewer)
    return {
        "id": comment.pk,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "my_vote": payload.value,
    }


@api.get(
    "/counts",
    response={200: dict[str, int], **_refusals(400, 422)},
    tags=["threads"],
    summary="Counts of many threads",
)
def counts(request, thread: list[ThreadKey] = Query(...)):  # noqa: B008 - ninja's style
    """Visible comment counts for up to 100 threads in one request."""
    if len(thread) > 100:
        raise HttpError(400, "Ask for at most 100 threads at once.")
    return selectors.comment_counts(thread)
