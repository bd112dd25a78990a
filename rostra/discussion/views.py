"""The comment section's HTTP side: thin views over services and selectors.

Without JavaScript every action is a form POST that redirects back to the article
(or re-renders it with the error and the reader's text when the action is refused).
With htmx the same URLs answer with the fragment to swap in.
"""

import copy
import re
import time
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rostra.core.client_gone import client_gone_event
from rostra.core.form_tokens import form_token_field, form_token_value
from rostra.core.fragments import Fragments
from rostra.core.stored_pages import STORED_SECONDS
from rostra.discussion import card_cache, cards, section_frames, selectors, services
from rostra.discussion.cards import CardScheme
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.inline import PassageRequest, article_text
from rostra.discussion.models import Comment, ReportReason
from rostra.discussion.policy import policy_for_request
from rostra.discussion.services import DiscussionError

SORT_COOKIE = "rostra_sort"
PASSAGE_FIELDS = ("anchor_block", "anchor_start", "anchor_end", "anchor_exact", "anchor_question")
COMPOSER_FIELDS = ("body", "name", "email", "website", "parent", *PASSAGE_FIELDS)
FORM_CLOCK_SALT = "rostra.discussion.form-clock"
FORM_CLOCK_MAX_AGE = 60 * 60 * 24
BLOCK_ID = re.compile(r"[A-Za-z0-9-]{0,64}")  # a StreamField block's id (a UUID), or none
# “View all comments” with htmx shows this many top-level comments (with their replies)
# per answer, the next ones as the reader scrolls to them.
VIEW_ALL_STEP = 100


def form_clock() -> str:
    """A signed note of when the form was rendered, for the minimum time-to-submit."""
    return signing.dumps(time.time(), salt=FORM_CLOCK_SALT)


def form_age_seconds(value: str) -> float:
    try:
        started = signing.loads(value, salt=FORM_CLOCK_SALT, max_age=FORM_CLOCK_MAX_AGE)
    except signing.BadSignature:
        return 0.0
    return time.time() - float(started)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _article(article_id: int):
    """The article, with its thread, if readers may see it (the one access rule)."""
    article = selectors.article_for_reader(article_id)
    if article is None:
        raise Http404("No such article.")
    return article


def discussion_context(request, article, *, state: dict | None = None) -> dict:
    """Everything the comment section template needs, for this request and reader."""
    policy, site_settings = policy_for_request(request)
    # A guest acting for the first time has no cookie yet: the acting view hands over
    # the identity it created, so the answer already shows their own comment as theirs.
    viewer = getattr(request, "discussion_viewer", None) or viewer_from_request(request)
    sort = _sort(request, site_settings)
    thread = selectors.thread_of(article)
    page = min(max(1, _int(request.GET.get("cpage"), 1)), selectors.MAX_PAGE)
    target = None
    if thread is not None and (target_id := _int(request.GET.get("comment"))):
        target = Comment.objects.filter(pk=target_id, thread=thread).first()
        if target is not None and sort == selectors.SortOrder.PICKS:
            sort = site_settings.default_sort  # a linked comment may be no pick
        if target is not None and services.comment_is_visible(target, viewer):
            page = max(
                page,
                selectors.root_page_number(
                    comment=target, viewer=viewer, sort=sort, page_size=site_settings.page_size
                ),
            )
    state = state or getattr(request, "discussion_state", None) or {}
    view = "inline" if request.GET.get("view") == "inline" else ""
    is_open = thread is None or services.thread_is_open(thread, policy)
    sign_in_required = _sign_in_required(policy, viewer)
    show_all = request.GET.get("call") == "1"
    context = {
        "view": view,
        "inline_comments": selectors.inline_comments(thread, viewer) if view else [],
        "article": article,
        "viewer": viewer,
        "policy": policy,
        "is_open": is_open,
        "sign_in_required": sign_in_required,
        "sort": sort,
        "sort_choices": selectors.SortOrder.choices,
        "reply_to": _int(state.get("reply_to") or request.GET.get("reply_to")),
        "editing": _int(state.get("edit") or request.GET.get("edit")),
        "highlight": target.pk if target else None,
        "errors": state.get("errors", {}),
        "error_target": state.get("target", ""),
        "values": state.get("values", {}),
        "form_clock": form_clock(),
        "bubble_enabled": site_settings.bubble_enabled,
        "bubble_invitation": site_settings.bubble_invitation_shown,
    }
    reader = _reader(request, thread, viewer, policy, context)
    # With htmx, “View all comments” pages in as the reader scrolls (`more_cards`).
    roots = slice(0, VIEW_ALL_STEP) if show_all and is_htmx(request) else slice(None)
    scheme = _scheme(request, article, replies_open=is_open and not sign_in_required)
    section = card_cache.reader_cards(
        thread,
        reader,
        sort=sort,
        page=page,
        page_size=site_settings.page_size,
        show_all=show_all,
        scheme=scheme,
        roots=roots,
    )
    context.update(
        card_scheme=scheme,
        thread_page=section,
        cards=section.html,
        more_from=section.more_from,
        passages=section.shared.passages,
        inline_count=section.shared.inline_count,
    )
    return context


def _scheme(request, article, *, replies_open: bool) -> CardScheme:
    _, site_settings = policy_for_request(request)
    return CardScheme(
        article.url,
        replies_open=replies_open,
        client_gone=client_gone_event(request),
        fold_length=site_settings.fold_length,
    )


def _sort(request, site_settings) -> str:
    return selectors.parse_sort(
        request.GET.get("sort") or request.COOKIES.get(SORT_COOKIE), site_settings.default_sort
    )


def _sign_in_required(policy, viewer) -> bool:
    return policy.require_sign_in and not (viewer and viewer.is_authenticated)


def _replies_open(thread, policy, viewer) -> bool:
    """Whether the cards offer Reply: the thread is open and this reader may write."""
    is_open = thread is None or services.thread_is_open(thread, policy)
    return is_open and not _sign_in_required(policy, viewer)


def _reader(request, thread, viewer, policy, context) -> card_cache.Reader:
    """This reader's state on the cards: their form token, the highlighted comment, and
    (without JavaScript) the comment they edit or the one they answer."""
    editing, reply_to = context["editing"], context["reply_to"]
    edit_text, reply_form = "", ""
    if thread is not None and editing:
        edit_text = context["values"].get("edit_body") or (
            Comment.objects.filter(pk=editing, thread=thread)
            .values_list("body_source", flat=True)
            .first()
            or ""
        )
    if thread is not None and reply_to:
        parent = Comment.objects.filter(pk=reply_to, thread=thread).first()
        if parent is not None:
            reply_form = render_to_string(
                "discussion/composer.html",
                {**context, "parent": parent, "form_id": "reply-form", "target": "reply"},
                request=request,
            )
    return card_cache.Reader(
        viewer=viewer,
        policy=policy,
        token=form_token_value(request),
        highlight=context["highlight"],
        editing=editing,
        edit_text=edit_text,
        edit_error=context["errors"].get("form", "") if context["error_target"] == "edit" else "",
        reply_to=reply_to,
        reply_form=reply_form,
    )


def render_section(request, article, *, state=None) -> str:
    """The comment section of an article from `selectors.article_for_reader`."""
    context = discussion_context(request, article, state=state)
    return render_to_string("discussion/section.html", context, request=request)


class PageSection(NamedTuple):
    page_id: int | None
    html: str
    count: int | None  # comments readers see; None when the section is unavailable
    shared: bool = True  # what every reader sees around it (the count), not one reader's


def page_section(request, page) -> PageSection:
    """The comment section under an article page Wagtail serves or previews: only
    while every reader may see the article (a private page shown to a signed-in
    reader, or an expired one not yet unpublished, gets a notice instead). Rendered
    once per request: the count beside the byline, above, comes with it. A signed-in
    reader's comes from the section they share with every other (`section_frames`)
    when it may."""
    found = getattr(request, "rostra_page_section", None)
    if found is not None and found.page_id == page.pk:
        return found
    article = selectors.article_for_reader(page.pk) if page.pk else None
    if article is None:
        html = render_to_string("discussion/unavailable.html", request=request)
        found = PageSection(page.pk, html, None)
    else:
        found, frame_key = _section_from_frame(request, article, selectors.thread_of(article))
        if found is None:
            found = _section_rendered(request, article, frame_key)
    request.rostra_page_section = found
    return found


def page_section_again(request, page_id: int) -> PageSection:
    """The section under a page served from the page's frame (`rostra.core.page_frames`):
    from the shared section with the thread alone under the access rule, no Wagtail page
    object built, while one is kept; otherwise as `page_section`."""
    thread = selectors.thread_of_readable_article(page_id)
    if thread is not None:
        article = SimpleNamespace(pk=page_id, url_path=getattr(thread, selectors.ARTICLE_URL_PATH))
        found, _ = _section_from_frame(request, article, thread)
        if found is not None:
            request.rostra_page_section = found
            return found
    return page_section(request, SimpleNamespace(pk=page_id))


def _section_rendered(request, article, frame_key: tuple | None) -> PageSection:
    """The section rendered for this reader; kept as the frame under `frame_key` (when
    given) unless this reader sees more than everyone."""
    context = discussion_context(request, article)
    section = context["thread_page"]
    marking = frame_key is not None and not section.for_reader_only
    context["reader_parts"] = marking
    html = render_to_string("discussion/section.html", context, request=request)
    if marking:
        _keep_frame(request, frame_key, html, context)
        html = section_frames.unmarked(html)
    return PageSection(article.pk, html, section.total_comments, not section.for_reader_only)


def _keep_frame(request, key: tuple, html: str, context: dict) -> None:
    parts = section_frames.frame_parts(html)
    viewer = context["viewer"]
    names = (viewer.display_name, request.user.get_username())
    private = [f">{name}<" for name in names if name] + [f'"{name}"' for name in names if name]
    private += [viewer.email, request.META.get("CSRF_COOKIE", "")]
    if not section_frames.holds_nothing_of(html, parts, private):
        return
    scheme = copy.copy(context["card_scheme"])
    scheme.client_gone = None
    shared = context["thread_page"].shared
    frame = section_frames.SectionFrame(
        thread_version=context["thread_page"].thread.version,
        policy=context["policy"],
        site_settings=policy_for_request(request)[1],
        until=section_frames.fresh_until(shared),
        parts=parts,
        shared=shared,
        scheme=scheme,
    )
    section_frames.section_frames.put(key, frame)


def _frame_key(request, article, thread, viewer, policy, site_settings) -> tuple | None:
    """What a signed-in reader's section shares with every other's, when it may come
    from a frame: a plain page of the thread for a reader who sees what everyone sees."""
    if thread is None or viewer is None or not viewer.is_authenticated or viewer.is_staff:
        return None
    if request.method != "GET" or getattr(request, "discussion_state", None):
        return None
    if not section_frames.FRAME_PARAMETERS.issuperset(request.GET) or viewer.moderates:
        return None
    page = min(max(1, _int(request.GET.get("cpage"), 1)), selectors.MAX_PAGE)
    is_open = services.thread_is_open(thread, policy)
    return (
        article.pk, article.url_path, get_language(), _sort(request, site_settings), page,
        is_open, _sign_in_required(policy, viewer), thread.supporters_only,
    )  # fmt: skip


@section_frames.register_part("cards")
def _cards_part(reader: section_frames.ReaderView) -> str:
    """The shared cards with the reader's votes, Edit and Delete and form token."""
    token = form_token_value(reader.request)
    laid = card_cache.Reader(viewer=reader.viewer, policy=reader.policy, token=token)
    return card_cache.laid_over(reader.frame.shared, reader.thread, laid, scheme=reader.scheme)[0]


section_frames.register_part("token")(lambda reader: form_token_value(reader.request))
section_frames.register_part("token_field")(lambda reader: form_token_field(reader.request))
section_frames.register_part("clock")(lambda reader: form_clock())
_COMPOSER_AS = Fragments(seconds=STORED_SECONDS)


@section_frames.register_part("composer_as")
def _composer_as_part(reader: section_frames.ReaderView) -> str:
    """“Commenting as …”, kept per name (rostra.core.fragments)."""
    name = reader.viewer.display_name
    return _COMPOSER_AS.html(
        (name,),
        lambda: render_to_string("discussion/composer_as.html", {"viewer": reader.viewer}),
    )


def _section_from_frame(request, article, thread) -> tuple[PageSection | None, tuple | None]:
    """This reader's section from the frame, if a current one is kept (and the key to
    keep one under, if none is)."""
    policy, site_settings = policy_for_request(request)
    viewer = viewer_from_request(request)
    key = _frame_key(request, article, thread, viewer, policy, site_settings)
    if key is None:
        return None, None
    frame = section_frames.section_frames.get(key)
    if frame is None or not frame.current(thread, policy, site_settings):
        return None, key
    if card_cache.has_held_comments(thread, viewer):
        return None, None
    scheme = copy.copy(frame.scheme)
    scheme.now = timezone.now()
    reader = section_frames.ReaderView(request, article, thread, viewer, policy, frame, scheme)
    html = section_frames.filled(frame, reader)
    if html is None:
        return None, key
    return PageSection(article.pk, html, frame.shared.total_comments), None


def _refusal(request, article, error: DiscussionError, *, state: dict, viewer=None):
    """Show the refusal where the reader acted, keeping everything they typed."""
    state = {**state, "errors": {error.field: error.message, "form": error.message}}
    if is_htmx(request):
        response = HttpResponse(render_section(request, article, state=state))
        response["HX-Retarget"] = "#comments"
        response["HX-Reswap"] = "outerHTML"
    else:
        request.discussion_state = state
        request.rostra_needs_token = True  # the form comes back to be sent again
        request.method = "GET"
        response = article.serve(request)
        response.status_code = error.status
    remember_guest(response, viewer)
    return response


def _back_to(request, article, comment_id: int | None, *, viewer=None):
    """After a change: the section with the comment in view (htmx), or a redirect."""
    if is_htmx(request):
        if comment_id is not None:
            request.GET = request.GET.copy()
            request.GET["comment"] = str(comment_id)
        # Read again: the thread (its version, which the shared cards are used with) is
        # the one the change has just moved, or new.
        response = HttpResponse(render_section(request, _article(article.pk)))
    else:
        anchor = f"?comment={comment_id}#comment-{comment_id}" if comment_id else "#comments"
        response = HttpResponseRedirect(article.url + anchor)
    remember_guest(response, viewer)
    return response


@require_POST
def post_comment(request, article_id: int):
    article = _article(article_id)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    request.discussion_viewer = viewer
    data = request.POST
    values = {key: data.get(key, "") for key in COMPOSER_FIELDS}
    parent_id = _int(data.get("parent"))
    state = {
        "values": values,
        "reply_to": parent_id,
        "target": "reply" if parent_id else "composer",
    }
    try:
        comment = services.comment_post(
            thread=selectors.thread_of(article) or services.thread_for_article(article),
            viewer=viewer,
            policy=policy,
            body=data.get("body", ""),
            name=data.get("name", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            parent_id=parent_id,
            honeypot=data.get("homepage", ""),
            form_age_seconds=form_age_seconds(data.get("started", "")),
            passage=PassageRequest(
                block_id=data.get("anchor_block", ""),
                start=_int(data.get("anchor_start")),
                end=_int(data.get("anchor_end")),
                exact=data.get("anchor_exact", ""),
                question_id=data.get("anchor_question", ""),
            ),
        )
    except DiscussionError as error:
        return _refusal(request, article, error, state=state, viewer=viewer)
    return _back_to(request, article, comment.pk, viewer=viewer)


def post_again_with_token(request):
    """A comment posted from a cached page without JavaScript came without a form token
    (rostra.core.form_tokens): the article again, with the reader's text and a token."""
    match = request.resolver_match
    if match is None or match.view_name != "discussion:post":
        return None
    article = _article(match.kwargs["article_id"])
    values = {key: request.POST.get(key, "") for key in COMPOSER_FIELDS}
    parent_id = _int(values["parent"])
    state = {
        "values": values,
        "reply_to": parent_id,
        "target": "reply" if parent_id else "composer",
    }
    notice = DiscussionError(
        gettext(
            "Please post again: this was your browser's first comment here, and it needed "
            "a key to send it. Nothing was lost."
        ),
        field="form",
        status=403,
    )
    return _refusal(request, article, notice, state=state)


@require_GET
def passage(request, article_id: int):
    """The comments on one passage (or answers to one question), shown at the passage."""
    article = _article(article_id)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request)
    thread = selectors.thread_of(article)
    block_id = request.GET.get("block", "")
    if not BLOCK_ID.fullmatch(block_id):
        raise Http404("No such passage in this article.")
    question_id = request.GET.get("question", "")[:40]
    question = ""
    if question_id:
        found = article_text(article).questions.get(question_id)
        if found is None:
            raise Http404("No such question in this article.")
        question = found[0]
    comments = selectors.inline_comments(
        thread,
        viewer,
        block_id=block_id,
        start=_int(request.GET.get("start")),
        end=_int(request.GET.get("end")),
        question_id=question_id,
    )
    context = {
        "article": article,
        "comments": comments,
        "question": question,
        "question_id": question_id,
        "viewer": viewer,
        "policy": policy,
        "is_open": thread is None or services.thread_is_open(thread, policy),
        "sign_in_required": _sign_in_required(policy, viewer),
        "form_clock": form_clock(),
    }
    return TemplateResponse(request, "discussion/passage_panel.html", context)


def _comment_and_article(request, comment_id: int):
    """A comment this reader may see, of a readable article's thread."""
    comment = selectors.comment_for_reader(comment_id, viewer_from_request(request))
    if comment is None or comment.thread.article is None:
        raise Http404("No such comment.")
    return comment, comment.thread.article


@require_POST
def vote(request, comment_id: int):
    comment, article = _comment_and_article(request, comment_id)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    request.discussion_viewer = viewer
    value = _int(request.POST.get("value"), 99)
    try:
        comment = services.comment_vote(comment=comment, viewer=viewer, policy=policy, value=value)
        error = ""
    except DiscussionError as refused:
        if not is_htmx(request):
            return _refusal(request, article, refused, state={"target": "section"}, viewer=viewer)
        error = refused.message
    if is_htmx(request):
        scheme = _scheme(request, article, replies_open=False)
        response = HttpResponse(
            cards.vote_form(
                scheme,
                comment.pk,
                comment.score,
                value if not error else 0,
                token_field=form_token_field(request),
                error=error,
            )
        )
        remember_guest(response, viewer)
        return response
    return _back_to(request, article, comment.pk, viewer=viewer)


@require_POST
def edit(request, comment_id: int):
    comment, article = _comment_and_article(request, comment_id)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request)
    body = request.POST.get("body", "")
    try:
        services.comment_edit(comment=comment, viewer=viewer, policy=policy, body=body)
    except DiscussionError as error:
        state = {"edit": comment.pk, "values": {"edit_body": body}, "target": "edit"}
        return _refusal(request, article, error, state=state, viewer=viewer)
    return _back_to(request, article, comment.pk)


@require_POST
def delete(request, comment_id: int):
    comment, article = _comment_and_article(request, comment_id)
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request)
    try:
        services.comment_delete(comment=comment, viewer=viewer, policy=policy)
    except DiscussionError as error:
        return _refusal(request, article, error, state={"target": "section"}, viewer=viewer)
    return _back_to(request, article, None)


REPORT_FIELDS = ("reason", "note", "explanation", "email")


@require_http_methods(["GET", "POST"])
def report(request, comment_id: int):
    """A reader's report of a comment: the form (a small page without JavaScript, in the
    card's place with htmx), then a thank-you in its place (htmx) or the comment again
    with the thanks as a message."""
    comment, article = _comment_and_article(request, comment_id)
    values = {key: request.POST.get(key, "") for key in REPORT_FIELDS}
    if request.method == "GET":
        return _report_form(request, comment, article, {})
    policy, _ = policy_for_request(request)
    viewer = viewer_from_request(request, create_guest=True)
    try:
        outcome = services.comment_report(comment=comment, viewer=viewer, policy=policy, **values)
    except DiscussionError as error:
        response = _report_form(request, comment, article, values, error=error)
    else:
        if is_htmx(request):
            response = TemplateResponse(
                request, "discussion/report_sent.html", {"message": outcome.message}
            )
        else:
            messages.success(request, outcome.message)
            response = HttpResponseRedirect(
                f"{article.url}?comment={comment.pk}#comment-{comment.pk}"
            )
    remember_guest(response, viewer)
    return response


def _report_form(request, comment, article, values, *, error: DiscussionError | None = None):
    """The report form, with the refusal and what the reader typed when refused. With
    htmx a refusal answers 200, as htmx swaps only successful answers."""
    request.rostra_needs_token = True  # an action page: its form holds a real token
    context = {
        "comment": comment,
        "article": article,
        "reasons": ReportReason.choices,
        "values": values,
        "error": error.message if error else "",
        "error_field": error.field if error else "",
        "back_url": f"{article.url}?comment={comment.pk}#comment-{comment.pk}",
    }
    htmx = is_htmx(request)
    template = "discussion/report_form.html" if htmx else "discussion/report.html"
    status = error.status if error and not htmx else 200
    return TemplateResponse(request, template, context, status=status)


@require_GET
def section(request, article_id: int):
    """The comment section alone: for htmx sort changes, paging and “View all”."""
    article = _article(article_id)
    response = HttpResponse(render_section(request, article))
    if request.GET.get("sort") in selectors.SortOrder.values:
        response.set_cookie(
            SORT_COOKIE, request.GET["sort"], max_age=60 * 60 * 24 * 365, samesite="Lax"
        )
    return response


@require_GET
def more_cards(request, article_id: int):
    """“View all comments” with htmx, as the reader scrolls: the next top-level comments
    of the whole thread (with their replies) from `from` on, and the link to the ones
    after. Read from the shared cards: a few milliseconds, whatever the thread's size."""
    article = _article(article_id)
    policy, site_settings = policy_for_request(request)
    viewer = viewer_from_request(request)
    sort = _sort(request, site_settings)
    thread = selectors.thread_of(article)
    start = min(max(0, _int(request.GET.get("from"), 0)), selectors.MAX_PAGE)
    replies_open = _replies_open(thread, policy, viewer)
    section = card_cache.reader_cards(
        thread,
        card_cache.Reader(viewer=viewer, policy=policy, token=form_token_value(request)),
        sort=sort,
        page=1,
        page_size=site_settings.page_size,
        show_all=True,
        scheme=_scheme(request, article, replies_open=replies_open),
        roots=slice(start, start + VIEW_ALL_STEP),
    )
    context = {"article": article, "sort": sort, "cards": section.html}
    context["more_from"] = section.more_from
    return TemplateResponse(request, "discussion/more_cards.html", context)


@require_GET
def choose_sort(request, article_id: int, sort: str):
    """No-JS sort tabs: remember the reader's choice, then go back to the comments."""
    article = _article(article_id)
    # The order is in the address too, so the page can be reloaded and shared as it is.
    chosen = f"?sort={sort}" if sort in selectors.SortOrder.values else ""
    response = HttpResponseRedirect(f"{article.url}{chosen}#comments")
    if sort in selectors.SortOrder.values:
        response.set_cookie(SORT_COOKIE, sort, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


@require_GET
def permalink(request, comment_id: int):
    comment, article = _comment_and_article(request, comment_id)
    return HttpResponseRedirect(f"{article.url}?comment={comment.pk}#comment-{comment.pk}")
