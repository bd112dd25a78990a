"""What the discussion API reads and answers, as published in its OpenAPI schema.

The field descriptions are documentation for developers (/api/docs), in English like the
code: they opt out of translation (`translatable: no`)."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from rostra.core.text import is_printable_line
from rostra.discussion import selectors
from rostra.discussion.models import ReportReason, SortOrder


def _valid_thread_key(value: str) -> str:
    """Parsed before any query: a malformed key is refused (422) with what a key is."""
    try:
        return selectors.parse_thread_key(value)[0]
    except selectors.ThreadKeyError as error:
        raise PydanticCustomError("thread_key", str(error)) from None


class ErrorOut(Schema):
    """Why a request was refused. Every refusal of this API has this shape."""

    error: str = Field(description="What to change, in a sentence for people.")  # translatable: no
    field: str = Field(
        description=(
            "The input concerned (`body`, `name`, `thread`…); empty if none."  # translatable: no
        )
    )


class ValidationIssue(Schema):
    type: str
    loc: list[str | int] = Field(
        description="Where: `body`, `query` or `path`, then the name."  # translatable: no
    )
    msg: str


class InvalidOut(ErrorOut):
    """A request that does not match this schema (422): the first problem in `error` and
    `field`, every problem in `detail`."""

    detail: list[ValidationIssue]


def refusals(*statuses: int) -> dict:
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
        description=(
            "Thread key: `article:<id>` for an article, "  # translatable: no
            "else an embed thread's key."
        ),
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
    status: str = Field(
        description="`anchored`, or `orphaned` when the passage is gone."  # translatable: no
    )


class PassageIn(Schema):
    block_id: str = ""
    start: int | None = None
    end: int | None = None
    exact: str = Field(
        "",
        description="The selected text, whitespace collapsed.",  # translatable: no
    )
    question_id: str = Field(
        "",
        description="Or: the editor's question being answered.",  # translatable: no
    )


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
    held_because: str = Field(
        default="",
        description=(
            "While `status` is `pending`: why the "  # translatable: no
            "comment awaits a moderator, as "
            "its author is told; otherwise empty."
        ),
    )
    is_deleted: bool
    upvotes: int
    downvotes: int
    score: int
    my_vote: int
    can_change: bool
    url: str
    passage: PassageOut | None = None
    is_pick: bool = Field(default=False, description="Featured by the editors.")  # translatable: no
    is_pinned: bool = Field(
        default=False,
        description="Pinned first in every order.",  # translatable: no
    )
    badges: list[str] = Field(
        default_factory=list,
        description=(
            "The commenter's badges, from the "  # translatable: no
            "site's own records: `Staff`, "
            "`Author` (of the article), `Supporter`."
        ),
    )
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
    body: str = Field(description="Markdown subset.")  # translatable: no
    name: str = ""
    email: str = ""
    website: str = ""
    parent: int | None = None
    passage: PassageIn | None = Field(
        None,
        description="For a comment on a passage.",  # translatable: no
    )


class CommentEditIn(Schema):
    body: str


class VoteIn(Schema):
    value: int = Field(ge=-1, le=1, description="1 up, -1 down, 0 withdraw.")  # translatable: no


class VoteOut(Schema):
    id: int
    upvotes: int
    downvotes: int
    score: int
    my_vote: int


class ReportIn(Schema):
    reason: ReportReason = Field(
        description="Why a moderator should look at the comment."  # translatable: no
    )
    note: str = Field(
        "",
        max_length=2000,
        description="Anything the moderator should know.",  # translatable: no
    )
    explanation: str = Field(
        "",
        max_length=5000,
        description="For `illegal` (required): why the content is illegal.",  # translatable: no
    )
    email: str = Field(
        "",
        max_length=254,
        description=(
            "For `illegal` (required): where the acknowledgement "  # translatable: no
            "and the decision go."
        ),
    )


class ReportOut(Schema):
    id: int
    comment: int
    reason: str
    message: str = Field(description="What to tell the reader.")  # translatable: no


class ThreadQuery(Schema):
    thread: ThreadKey
    sort: SortOrder | None = None
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)
    all: bool = False


class PickIn(Schema):
    picked: bool | None = None
    pinned: bool | None = None


class PickOut(Schema):
    id: int
    is_pick: bool
    is_pinned: bool


class CsrfOut(Schema):
    csrf_token: str
