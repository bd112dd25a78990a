from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from rostra.core import page_frames, slots
from rostra.core.form_tokens import CSRF_REFUSED_HOOK
from rostra.core.page_cache import PAGE_VERSION_HOOK
from rostra.discussion import metrics
from rostra.discussion.admin_alerts import alert_preference_panel, waiting_panel
from rostra.discussion.admin_bans import BanViewSet, admin_urls, commenter_buttons
from rostra.discussion.admin_picks import pick_buttons, picks_urls
from rostra.discussion.admin_views import (
    ApproveBulkAction,
    CommentViewSet,
    RemoveBulkAction,
    SpamBulkAction,
    ThreadViewSet,
    queue_urls,
)
from rostra.discussion.demo import demo_conversation_load
from rostra.discussion.models import Comment
from rostra.discussion.selectors import article_thread_version_query
from rostra.discussion.services.roles import moderators_group_ensure
from rostra.discussion.tasks import schedule_moderator_digest
from rostra.discussion.views import page_section, page_section_again, post_again_with_token
from rostra.publishing.models import ArticlePage


@slots.register("article.discussion")
def comment_section(context):
    request, page = context.get("request"), context.get("page")
    if request is None or page is None:
        return None
    found = page_section(request, page)
    return page_frames.personal_region(
        request, "discussion.section", page.pk, found.html, shared=found.shared
    )


@page_frames.register("discussion.section")
def comment_section_again(request, page_id: str) -> str | None:
    """The section for the next signed-in reader of a page's frame; None for a reader
    who sees more than everyone in it (their page is rendered whole)."""
    found = page_section_again(request, int(page_id))
    return found.html if found.shared else None


@slots.register("article.meta")
def comment_count_link(context):
    """Beside the byline: how many comments, a link to them, and “Skip to comments”."""
    request, page = context.get("request"), context.get("page")
    if request is None or not isinstance(page, ArticlePage):
        return None
    count = page_section(request, page).count
    if count is None:
        return None
    return render_to_string("discussion/count_link.html", {"count": count})


@hooks.register(PAGE_VERSION_HOOK)
def comment_section_version(page):
    return article_thread_version_query(page.pk) if isinstance(page, ArticlePage) else None


hooks.register(CSRF_REFUSED_HOOK, post_again_with_token)


@slots.register("base.head")
def discussion_stylesheet(context):
    return format_html('<link rel="stylesheet" href="{}">', static("discussion/discussion.css"))


@slots.register("base.body_end")
def discussion_scripts(context):
    if not isinstance(context.get("page"), ArticlePage):
        return None
    # The Content-Security-Policy refuses inline styles: htmx must neither add its
    # indicator styles as a <style> nor copy style attributes while settling a swap.
    # Eval and swapped-in scripts are not needed either.
    return format_html(
        "<meta name=\"htmx-config\" content='{}'>"
        '<script src="{}" defer></script><script src="{}" defer></script>'
        '<script src="{}" defer></script><script src="{}" defer></script>',
        (
            '{"includeIndicatorStyles":false,"attributesToSettle":["class","width","height"],'
            '"allowEval":false,"allowScriptTags":false}'
        ),
        static("rostra/vendor/htmx-2.0.11.min.js"),
        static("discussion/discussion.js"),
        static("discussion/inline.js"),
        static("discussion/bubble.js"),
    )


register_snippet(CommentViewSet)
register_snippet(ThreadViewSet)
register_snippet(BanViewSet)
hooks.register("register_admin_urls", admin_urls)
hooks.register("register_admin_urls", queue_urls)
hooks.register("register_snippet_listing_buttons", commenter_buttons)
hooks.register("register_admin_urls", picks_urls)
hooks.register("register_snippet_listing_buttons", pick_buttons)
for action in (ApproveBulkAction, SpamBulkAction, RemoveBulkAction):
    hooks.register("register_bulk_action", action)


hooks.register("rostra_setup", moderators_group_ensure)
hooks.register("rostra_schedule", schedule_moderator_digest)
hooks.register("construct_homepage_panels", waiting_panel)
hooks.register("register_account_settings_panel", alert_preference_panel)


@hooks.register("rostra_load_demo")
def load_demo_conversation():
    return f"{demo_conversation_load()} demo comment(s)"


hooks.register("rostra_metrics", metrics.families)


@hooks.register("rostra_backup_counts")
def backup_counts():
    return [("comments", Comment)]
