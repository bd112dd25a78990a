import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.models import Site

from rostra.core import page_frames
from rostra.core.form_tokens import request_token
from rostra.core.fragments import Fragments
from rostra.core.stored_pages import STORED_SECONDS
from rostra.publishing.models import SectionPage

register = template.Library()

_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Kept per signed-in reader's name (rostra.core.fragments) with a stand-in for the form
# token, which is this answer's own.
_ACCOUNT_LINKS = Fragments(seconds=STORED_SECONDS)
_TOKEN_STAND_IN = "\x10form-token\x10"  # noqa: S105 (a marker, not a secret)


def account_links_html(request, argument="") -> str:
    """Rendered from what it shows alone: the site's context processors (run for a
    template rendered with its request) would cost more than the links."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return render_to_string("rostra/account_links.html", {"user": user, "request": request})
    html = _ACCOUNT_LINKS.html(
        (user.get_username(),),
        lambda: render_to_string(
            "rostra/account_links.html", {"user": user, "csrf_token": _TOKEN_STAND_IN}
        ),
    )
    return mark_safe(html.replace(_TOKEN_STAND_IN, conditional_escape(request_token(request))))  # noqa: S308 (escaped token into safe HTML)


@register.simple_tag(takes_context=True)
def account_links(context):
    """The masthead's Sign in, or the reader's name and Sign out: the reader's own."""
    request = context.get("request")
    return page_frames.personal_region(request, "account", "", account_links_html(request))


@register.simple_tag(takes_context=True)
def nav_sections(context):
    """Live sections of the current site, in editor's order, for the masthead."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(SectionPage.objects.child_of(site.root_page).live().public().order_by("path"))


@register.filter
def json_ld(data):
    """Serialise `data` for a <script type="application/ld+json"> element safely."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES))  # noqa: S308


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    request = context.get("request")
    return request.build_absolute_uri(url) if request and url else url


@register.simple_tag(takes_context=True)
def news_article_schema(context, page, image_url=""):
    """schema.org NewsArticle data for search engines and link previews."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.search_description or page.standfirst,
        "datePublished": page.published_at,
        "dateModified": page.last_published_at or page.published_at,
        "mainEntityOfPage": request.build_absolute_uri(page.get_url(request=request)),
        "publisher": {"@type": "Organization", "name": context.get("site_name", "")},
    }
    if page.byline:
        data["author"] = [{"@type": "Person", "name": page.byline}]
    if image_url:
        data["image"] = [request.build_absolute_uri(image_url)]
    return data


@register.filter
def is_within(page, section):
    """True when `page` is `section` or one of its descendants."""
    return bool(page and getattr(page, "path", "").startswith(section.path))
