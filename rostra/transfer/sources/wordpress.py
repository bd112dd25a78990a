"""WordPress eXtended RSS (WXR 1.0 to 1.2), as Tools → Export writes it.

Posts and pages become articles (first category = section; other categories and tags =
tags); every other post type is skipped, but its comments are kept on an embed thread
at its address. Comment ids are scoped by post: real exports number them site-wide,
hand-made ones do not.
"""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from rostra.transfer.html_body import comment_html, html_to_blocks
from rostra.transfer.records import (
    ArticleRecord,
    CommentRecord,
    Note,
    Record,
    Skipped,
    ThreadRecord,
)
from rostra.transfer.safe_xml import iter_elements, local_name, text
from rostra.transfer.sources.base import ReadProgress, open_counted, parse_rfc822

NAME = "wordpress"
LABEL = gettext_lazy("WordPress (WXR export)")  # the import form's choice

CONTENT_TYPES = {"post", "page"}
PAGES_SECTION = "Pages"
APPROVAL = {
    "1": "approved",
    "approve": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "removed",
    "post-trashed": "removed",
}


def detect(head: bytes) -> bool:
    is_rss = b"<rss" in head or b"<channel" in head
    return is_rss and (b"wordpress.org/export/" in head or b"<wp:" in head)


def _field_name(tag: str) -> str:
    """Namespace-independent names: wp:status → 'wp:status', content:encoded → …"""
    uri, name = local_name(tag)
    if uri.split("://", 1)[-1].startswith("wordpress.org/export/"):
        return f"excerpt:{name}" if uri.rstrip("/").endswith("excerpt") else f"wp:{name}"
    if uri == "http://purl.org/rss/1.0/modules/content/":
        return f"content:{name}"
    if uri == "http://purl.org/dc/elements/1.1/":
        return f"dc:{name}"
    return name


def _fields(element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        name = _field_name(child.tag)
        if name not in values:
            values[name] = child.text or ""
    return values


def _wp_datetime(value: str | None) -> datetime | None:
    """WordPress's 'Y-m-d H:i:s'. Its local times carry no zone and the export does not
    say the site's, so they are read as UTC (only used where the GMT value is missing)."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def _votes(meta: dict[str, str]) -> tuple[int, int]:
    """wpDiscuz keeps likes and dislikes in comment meta."""
    separate = meta.get("wpdiscuz_votes_seperate") or meta.get("wpdiscuz_votes_separate")
    if separate:
        like = re.search(r'"like";i:(\d+)', separate)
        dislike = re.search(r'"dislike";i:-?(\d+)', separate)
        if like or dislike:
            return int(like.group(1)) if like else 0, int(dislike.group(1)) if dislike else 0
    total = (meta.get("wpdiscuz_votes") or "").strip()
    if re.fullmatch(r"-?\d+", total):
        value = int(total)
        return max(value, 0), max(-value, 0)
    return 0, 0


class _Parser:
    def __init__(self):
        self.site = ""
        self.authors: dict[str, str] = {}

    def records(self, file, progress: ReadProgress) -> Iterator[Record]:
        wanted = {"item", "author", "base_site_url", "base_blog_url", "link"}
        for name, element in iter_elements(file, wanted, progress):
            field = _field_name(element.tag)
            if field == "wp:author":
                values = _fields(element)
                login = text_value(values.get("wp:author_login"))
                display = text_value(values.get("wp:author_display_name"))
                first = text_value(values.get("wp:author_first_name"))
                last = text_value(values.get("wp:author_last_name"))
                full = " ".join(part for part in (first, last) if part)
                self.authors[login] = display if display and display != login else full or login
            elif field in {"wp:base_site_url", "wp:base_blog_url", "link"}:
                self.site = self.site or _site_of(text(element))
            elif name == "item":
                yield from self.item(element)

    def item(self, element) -> Iterator[Record]:
        values = _fields(element)
        post_type = text_value(values.get("wp:post_type")) or "post"
        post_id = text_value(values.get("wp:post_id"))
        link = text_value(values.get("link")) or text_value(values.get("guid"))
        title = text_value(values.get("title"))
        ref = post_id or link or title
        article_key = f"wordpress:{self.site}:post:{ref}"
        status = text_value(values.get("wp:status")) or "publish"
        comment_elements = [c for c in element if _field_name(c.tag) == "wp:comment"]

        if post_type not in CONTENT_TYPES or status == "auto-draft":
            reason = f"a WordPress {post_type} ({status}) is not an article"
            yield Skipped("article", article_key, reason)
            if not comment_elements:
                return
            thread_key = f"wordpress:{self.site}:thread:{ref}"
            yield ThreadRecord(key=thread_key, url=link, title=title)
        else:
            article = self.article(
                element, values, article_key, post_type, status, link, title, ref
            )
            if text_value(values.get("wp:post_password")) and article.live:
                # Its text was for password holders only: never publish it openly.
                article.live = False
                yield Note("password-protected post imported unpublished, for an editor to review")
            yield article
            thread_key = f"wordpress:{self.site}:thread:{ref}"
            yield ThreadRecord(
                key=thread_key,
                url=link,
                title=title,
                article_key=article_key,
                is_closed=text_value(values.get("wp:comment_status")) == "closed",
            )
        for comment in comment_elements:
            yield self.comment(comment, ref, thread_key)

    def article(self, element, values, key, post_type, status, link, title, ref):
        categories, tags = [], []
        for child in element:
            if _field_name(child.tag) != "category":
                continue
            label = " ".join((child.text or "").split())
            if not label:
                continue
            if child.get("domain") == "category":
                categories.append(label)
            elif child.get("domain") == "post_tag":
                tags.append(label)
        if post_type == "page":
            section = PAGES_SECTION
        else:
            section = categories[0] if categories else "Uncategorized"
        tags = list(dict.fromkeys([*categories[1:], *tags]))
        published = (
            _wp_datetime(values.get("wp:post_date_gmt"))
            or parse_rfc822(values.get("pubDate") or "")
            or _wp_datetime(values.get("wp:post_date"))
        )
        creator = text_value(values.get("dc:creator"))
        slug = text_value(values.get("wp:post_name")) or slugify(title) or f"post-{ref}"
        excerpt = " ".join(text_value(values.get("excerpt:encoded")).split())
        return ArticleRecord(
            key=key,
            title=title or "(untitled)",
            slug=slugify(slug)[:255] or f"post-{ref}",
            section=section,
            published_at=published,
            live=status == "publish",
            url=link,
            byline=self.authors.get(creator, creator),
            standfirst=excerpt[:400],
            body=html_to_blocks(values.get("content:encoded") or ""),
            tags=tags,
            comments_closed=text_value(values.get("wp:comment_status")) == "closed",
        )

    def comment(self, element, ref, thread_key) -> Record:
        values = _fields(element)
        meta = {}
        for child in element:
            if _field_name(child.tag) == "wp:commentmeta":
                meta_values = _fields(child)
                meta[text_value(meta_values.get("wp:meta_key"))] = meta_values.get(
                    "wp:meta_value", ""
                )
        comment_id = text_value(values.get("wp:comment_id"))
        parent_id = text_value(values.get("wp:comment_parent"))
        created = _wp_datetime(values.get("wp:comment_date_gmt")) or _wp_datetime(
            values.get("wp:comment_date")
        )
        user_id = text_value(values.get("wp:comment_user_id"))
        upvotes, downvotes = _votes(meta)
        approved = text_value(values.get("wp:comment_approved")) or "1"
        author = html.unescape(text_value(values.get("wp:comment_author")))
        return CommentRecord(
            key=f"wordpress:{self.site}:comment:{ref}:{comment_id}",
            thread_key=thread_key,
            parent_key=(
                f"wordpress:{self.site}:comment:{ref}:{parent_id}"
                if parent_id and parent_id != "0"
                else ""
            ),
            created_at=created or datetime(1970, 1, 1, tzinfo=UTC),
            author_name=" ".join(author.split()) or "Anonymous",
            author_email=text_value(values.get("wp:comment_author_email")),
            author_website=text_value(values.get("wp:comment_author_url")),
            author_id=f"user:{user_id}" if user_id and user_id != "0" else "",
            ip=text_value(values.get("wp:comment_author_IP")),
            body_html=comment_html(values.get("wp:comment_content") or ""),
            status=APPROVAL.get(approved, "pending"),
            upvotes=upvotes,
            downvotes=downvotes,
        )


def text_value(value: str | None) -> str:
    return (value or "").strip()


def _site_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}" if parts.netloc else ""


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    with open_counted(path, progress) as file:
        yield from _Parser().records(file, progress)
