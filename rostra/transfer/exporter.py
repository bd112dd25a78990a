"""Everything out again: a Rostra archive (JSON lines, re-importable with `rostra import`)
and a WordPress WXR file of articles and comments.

Both stream row by row (`.iterator()`), so an archive of any size is written in bounded
memory. Private fields (e-mail addresses, IP hashes, subscriptions, anonymous donors'
names) are only written when asked for.
"""

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urlsplit
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.rich_text import expand_db_html

from rostra.discussion.models import Comment, Thread, Vote
from rostra.funding.models import Donation
from rostra.funding.services import ARCHIVED_DONATION_FIELDS
from rostra.notifications.models import Subscription
from rostra.publishing.models import ArticlePage
from rostra.transfer.moderation_archive import moderation_entries
from rostra.transfer.records import (
    ArticleRecord,
    CommentRecord,
    SubscriptionRecord,
    ThreadRecord,
    VoteRecord,
)
from rostra.transfer.reports_section import report_lines
from rostra.transfer.sources.rostra import FORMAT, VERSION

CHUNK = 2000


def _site() -> str:
    parts = urlsplit(settings.BASE_URL)
    return f"{parts.netloc}{parts.path.rstrip('/')}"


def _key(kind: str, pk) -> str:
    return f"rostra:{_site()}:{kind}:{pk}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _articles():
    return (
        ArticlePage.objects.select_related("cover_image")
        .prefetch_related("tagged_items__tag")
        .order_by("path")
    )


def _section_titles() -> dict[str, str]:
    from rostra.publishing.models import SectionPage

    return {page.path: page.title for page in SectionPage.objects.only("path", "title")}


def _image_by_address(value) -> dict | None:
    """A Wagtail image block as an image by address: an archive is text, and the new
    site does not have this site's image library."""
    image = value.get("image")
    if image is None:
        return None
    url = image.file.url
    if not urlsplit(url).netloc:
        url = settings.BASE_URL.rstrip("/") + url
    return {"url": url, "alt": image.title, "caption": value.get("caption") or "", "link": ""}


def _portable_body(article: ArticlePage) -> list[dict]:
    blocks = []
    for block in article.body:
        if block.block_type == "image":
            value = _image_by_address(block.value)
            if value is not None:
                blocks.append({"type": "remote_image", "value": value, "id": block.id})
        else:
            value = block.block.get_prep_value(block.value)
            blocks.append({"type": block.block_type, "value": value, "id": block.id})
    return blocks


def archive_lines(*, private: bool = False) -> Iterator[str]:
    yield _line(
        {
            "format": FORMAT,
            "version": VERSION,
            "site": settings.BASE_URL,
            "exported_at": timezone.now().isoformat(),
            "private": private,
        }
    )
    sections = _section_titles()
    for article in _articles().iterator(chunk_size=CHUNK):
        record = ArticleRecord(
            key=_key("article", article.pk),
            title=article.title,
            slug=article.slug,
            section=sections.get(article.path[: -article.steplen], "Archive"),
            published_at=article.published_at,
            live=article.live,
            url=article.get_full_url() or "",
            byline=article.byline,
            standfirst=article.standfirst,
            body=_portable_body(article),
            tags=[item.tag.name for item in article.tagged_items.all()],
        )
        yield _record_line("article", record)
    for thread in Thread.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield _record_line(
            "thread",
            ThreadRecord(
                key=_key("thread", thread.pk),
                url=thread.url,
                title=thread.title,
                article_key=_key("article", thread.article_id) if thread.article_id else "",
                is_closed=thread.is_closed,
            ),
        )
    for comment in Comment.objects.order_by("path").iterator(chunk_size=CHUNK):
        answered = comment.reply_to_id or comment.parent_id
        yield _record_line(
            "comment",
            CommentRecord(
                key=_key("comment", comment.pk),
                thread_key=_key("thread", comment.thread_id),
                parent_key=_key("comment", answered) if answered else "",
                created_at=comment.created_at,
                author_name=comment.author_name,
                author_email=comment.author_email if private else "",
                author_website=comment.website_link,
                author_key=comment.author_key,
                ip_hash=comment.ip_hash if private else "",
                body_markdown=comment.body_source,
                body_html=comment.body_html,
                status=comment.status,
                deleted_at=comment.deleted_at,
                edited_at=comment.edited_at,
                upvotes=comment.upvotes,
                downvotes=comment.downvotes,
            ),
        )
    for vote in Vote.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield _record_line(
            "vote",
            VoteRecord(
                comment_key=_key("comment", vote.comment_id),
                voter_key=vote.voter_key,
                value=vote.value,
            ),
        )
    if private:
        yield from (_line(line) for line in report_lines(partial(_key, "comment")))
        for sub in Subscription.objects.order_by("pk").iterator(chunk_size=CHUNK):
            yield _record_line(
                "subscription",
                SubscriptionRecord(
                    key=_key("subscription", sub.pk),
                    email=sub.email,
                    kind=sub.kind,
                    thread_key=_key("thread", sub.thread_id) if sub.thread_id else "",
                    author_key=sub.author_key,
                    frequency=sub.frequency,
                    confirmed_at=sub.confirmed_at,
                    unsubscribed_at=sub.unsubscribed_at,
                ),
            )
    donations = Donation.objects.select_related("donor", "recurring").order_by("pk")
    for donation in donations.iterator(chunk_size=CHUNK):
        data = {name: getattr(donation, name) for name in ARCHIVED_DONATION_FIELDS}
        data["article_key"] = _key("article", donation.article_id) if donation.article_id else ""
        data["recurring"] = _recurring(donation.recurring, private)
        if private and donation.donor:
            data["donor"] = _donor(donation.donor)
        if not private:
            data["email"] = ""
            if donation.is_anonymous:
                data["donor_name"] = ""
        yield _line({"type": "donation", "key": _key("donation", donation.pk), "data": data})
    for entry in moderation_entries(_key, private=private):
        yield _line(entry)


def _donor(donor) -> dict:
    """A gift's donor record, in private archives only (it holds the address)."""
    return {
        "key": _key("donor", donor.pk),
        "email": donor.email,
        "email_verified": donor.email_verified,
        "name": donor.name,
        "show_name": donor.show_name,
        "erased": donor.erased_at is not None,
    }


def _recurring(gift, private: bool) -> dict | None:
    """The monthly gift a payment belongs to; Stripe's customer id in private ones."""
    if gift is None:
        return None
    return {
        "channel": gift.channel,
        "reference": gift.reference,
        "customer_reference": gift.customer_reference if private else "",
        "status": gift.status,
        "amount": gift.amount,
        "currency": gift.currency,
        "started_at": gift.started_at,
        "cancelled_at": gift.cancelled_at,
        "failed_invoice": gift.failed_invoice,
        "position": gift.position,
        "article_key": _key("article", gift.article_id) if gift.article_id else "",
    }


def _record_line(kind: str, record) -> str:
    return _line({"type": kind, **asdict(record)})


def _line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_default, sort_keys=True) + "\n"


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # Decimal, UUID


# WordPress WXR ------------------------------------------------------------------------

WXR_NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
WP_APPROVAL = {"approved": "1", "pending": "0", "spam": "spam", "removed": "trash"}


def _body_html(article: ArticlePage) -> str:
    parts = []
    for block in article.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(expand_db_html(value.source))
        elif kind == "heading":
            parts.append(f"<{value['level']}>{escape(value['text'])}</{value['level']}>")
        elif kind == "quote":
            cite = f"<cite>{escape(value['attribution'])}</cite>" if value["attribution"] else ""
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in value["text"].split("\n\n"))
            parts.append(f"<blockquote>{paragraphs}{cite}</blockquote>")
        elif kind in {"image", "remote_image"}:
            v = value if kind == "remote_image" else _image_by_address(value)
            if v:
                caption = f"<figcaption>{escape(v['caption'])}</figcaption>" if v["caption"] else ""
                img = f'<img src="{escape(v["url"])}" alt="{escape(v["alt"])}">'
                parts.append(f"<figure>{img}{caption}</figure>")
        elif kind == "embed":
            url = value["embed"].url if value.get("embed") else ""
            if url:
                parts.append(f'<p><a href="{escape(url)}">{escape(url)}</a></p>')
    return "\n\n".join(parts)


class _Xml:
    def __init__(self, out):
        self.gen = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def element(self, name: str, text: str = "", attrs: dict | None = None):
        self.gen.startElement(name, attrs or {})
        if text:
            self.gen.characters(text)
        self.gen.endElement(name)

    def start(self, name: str, attrs: dict | None = None):
        self.gen.startElement(name, attrs or {})

    def end(self, name: str):
        self.gen.endElement(name)

    def newline(self):
        self.gen.ignorableWhitespace("\n")


def write_wxr(out, *, private: bool = False) -> None:
    """Write a WXR 1.2 file of all articles and their comments to the binary `out`."""
    xml = _Xml(out)
    xml.gen.startDocument()
    xml.start("rss", {"version": "2.0", **{f"xmlns:{k}": v for k, v in WXR_NAMESPACES.items()}})
    xml.start("channel")
    xml.element("title", settings.SITE_NAME)
    xml.element("link", settings.BASE_URL)
    xml.element("description", "Exported from Rostra")
    xml.element("pubDate", timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000"))
    xml.element("wp:wxr_version", "1.2")
    xml.element("wp:base_site_url", settings.BASE_URL)
    xml.element("wp:base_blog_url", settings.BASE_URL)
    xml.newline()
    sections = _section_titles()
    for title in sorted(set(sections.values())):
        xml.start("wp:category")
        xml.element("wp:category_nicename", slugify(title))
        xml.element("wp:category_parent", "")
        xml.element("wp:cat_name", title)
        xml.end("wp:category")
        xml.newline()
    threads = dict(Thread.objects.exclude(article=None).values_list("article_id", "pk"))
    closed = set(Thread.objects.filter(is_closed=True).values_list("pk", flat=True))
    for article in _articles().iterator(chunk_size=CHUNK):
        _wxr_item(xml, article, sections, threads.get(article.pk), closed, private)
        xml.newline()
    xml.end("channel")
    xml.end("rss")
    xml.gen.endDocument()


def _wp_date(value: datetime, *, gmt: bool) -> str:
    value = value.astimezone(UTC if gmt else timezone.get_current_timezone())
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _wxr_item(xml, article, sections, thread_id, closed, private):
    section = sections.get(article.path[: -article.steplen], "")
    url = article.get_full_url() or ""
    xml.start("item")
    xml.element("title", article.title)
    xml.element("link", url)
    xml.element("pubDate", article.published_at.strftime("%a, %d %b %Y %H:%M:%S +0000"))
    xml.element("dc:creator", article.byline)
    xml.element("guid", url, {"isPermaLink": "false"})
    xml.element("description", "")
    xml.element("content:encoded", _body_html(article))
    xml.element("excerpt:encoded", article.standfirst)
    xml.element("wp:post_id", str(article.pk))
    xml.element("wp:post_date", _wp_date(article.published_at, gmt=False))
    xml.element("wp:post_date_gmt", _wp_date(article.published_at, gmt=True))
    xml.element("wp:comment_status", "closed" if thread_id in closed else "open")
    xml.element("wp:ping_status", "closed")
    xml.element("wp:post_name", article.slug)
    xml.element("wp:status", "publish" if article.live else "draft")
    xml.element("wp:post_parent", "0")
    xml.element("wp:menu_order", "0")
    xml.element("wp:post_type", "post")
    xml.element("wp:post_password", "")
    xml.element("wp:is_sticky", "0")
    if section:
        xml.element("category", section, {"domain": "category", "nicename": slugify(section)})
    for item in article.tagged_items.all():
        name = item.tag.name
        xml.element("category", name, {"domain": "post_tag", "nicename": item.tag.slug})
    if thread_id is not None:
        comments = Comment.objects.filter(thread_id=thread_id).order_by("path")
        for comment in comments.iterator(chunk_size=CHUNK):
            _wxr_comment(xml, comment, private)
    xml.end("item")


def _wxr_comment(xml, comment: Comment, private: bool):
    answered = comment.reply_to_id or comment.parent_id
    xml.start("wp:comment")
    xml.element("wp:comment_id", str(comment.pk))
    xml.element("wp:comment_author", comment.author_name)
    xml.element("wp:comment_author_email", comment.author_email if private else "")
    xml.element("wp:comment_author_url", comment.website_link)
    xml.element("wp:comment_author_IP", "")  # Rostra never had it in clear text
    xml.element("wp:comment_date", _wp_date(comment.created_at, gmt=False))
    xml.element("wp:comment_date_gmt", _wp_date(comment.created_at, gmt=True))
    xml.element("wp:comment_content", "" if comment.is_deleted else comment.body_html)
    approved = "trash" if comment.is_deleted else WP_APPROVAL.get(comment.status, "0")
    xml.element("wp:comment_approved", approved)
    xml.element("wp:comment_type", "comment")
    xml.element("wp:comment_parent", str(answered or 0))
    xml.element("wp:comment_user_id", "0")
    if comment.upvotes or comment.downvotes:
        # wpDiscuz's vote meta, which Rostra's WordPress importer reads back.
        xml.start("wp:commentmeta")
        xml.element("wp:meta_key", "wpdiscuz_votes_seperate")
        xml.element(
            "wp:meta_value",
            f'a:2:{{s:4:"like";i:{comment.upvotes};s:7:"dislike";i:{comment.downvotes};}}',
        )
        xml.end("wp:commentmeta")
    xml.end("wp:comment")
