"""What a comment's text and a guest's details may be, for every way they arrive
(the form, the API, imports): cleaned as they may be stored, or a DiscussionError
saying which field to change."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from rostra.core.text import has_lone_surrogate, is_printable_line
from rostra.discussion.models import Comment
from rostra.discussion.policy import Policy
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.text import normalise

MAX_NAME_LENGTH = 80
NAME_COLUMN_LENGTH = Comment._meta.get_field("author_name").max_length  # imports may use it
MAX_EMAIL_LENGTH = 254
MAX_WEBSITE_LENGTH = 300
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+-]*:")


def clean_body(body: str, policy: Policy) -> str:
    body = normalise(body or "")
    if not body:
        raise DiscussionError("Please write something before posting.")
    if has_lone_surrogate(body):
        raise DiscussionError(
            "Your comment contains a broken character (often half of an emoji) that cannot "
            "be saved. Please delete it or type it again."
        )
    if len(body) > policy.max_length:
        raise DiscussionError(
            f"Your comment is {len(body):,} characters long; the limit is "
            f"{policy.max_length:,}. Please shorten it."
        )
    return body


def clean_guest_details(name: str, email: str, website: str) -> tuple[str, str, str]:
    """A guest's name, e-mail and website as they may be stored, or a DiscussionError
    saying which one to change. Every way a guest's details arrive comes through here."""
    name = " ".join((name or "").split())
    if not name:
        raise DiscussionError("Please give a name to comment under.", field="name")
    if not is_printable_line(name):
        raise DiscussionError(
            "Names cannot contain control characters or broken characters (such as half "
            "of an emoji). Please type your name again.",
            field="name",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise DiscussionError(f"Names can be at most {MAX_NAME_LENGTH} characters.", field="name")
    return name, _clean_email(email), _clean_website(website)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    if len(email) > MAX_EMAIL_LENGTH:
        raise DiscussionError(
            f"E-mail addresses can be at most {MAX_EMAIL_LENGTH} characters.", field="email"
        )
    if not (is_printable_line(email) and _is_email_address(email)):
        raise DiscussionError("That e-mail address does not look right.", field="email")
    return email


def _is_email_address(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True


def _clean_website(website: str) -> str:
    website = (website or "").strip()
    if not website:
        return ""
    if not _HAS_SCHEME.match(website):
        website = "https://" + website
    try:
        parts = urlsplit(website)
        valid = (
            is_printable_line(website)
            and parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and len(website) <= MAX_WEBSITE_LENGTH
        )
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 address
        valid = False
    if not valid:
        raise DiscussionError(
            "The website must be an http:// or https:// address.", field="website"
        )
    return website
