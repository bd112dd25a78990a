"""What a comment's text and a guest's details may be, for every way they arrive
(the form, the API, imports): cleaned as they may be stored, or a DiscussionError
saying which field to change."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

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
        raise DiscussionError(_("Please write something before posting."))
    if has_lone_surrogate(body):
        raise DiscussionError(
            _(
                "Your comment contains a broken character (often half of an emoji) that "
                "cannot be saved. Please delete it or type it again."
            )
        )
    if len(body) > policy.max_length:
        raise DiscussionError(
            _(
                "Your comment is %(length)s characters long; the limit is %(limit)s. "
                "Please shorten it."
            )
            % {"length": f"{len(body):,}", "limit": f"{policy.max_length:,}"}
        )
    return body


def clean_guest_details(name: str, email: str, website: str) -> tuple[str, str, str]:
    """A guest's name, e-mail and website as they may be stored, or a DiscussionError
    saying which one to change. Every way a guest's details arrive comes through here."""
    name = " ".join((name or "").split())
    if not name:
        raise DiscussionError(_("Please give a name to comment under."), field="name")
    if not is_printable_line(name):
        raise DiscussionError(
            _(
                "Names cannot contain control characters or broken characters (such as "
                "half of an emoji). Please type your name again."
            ),
            field="name",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise DiscussionError(
            _("Names can be at most %(limit)s characters.") % {"limit": MAX_NAME_LENGTH},
            field="name",
        )
    return name, _clean_email(email), _clean_website(website)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    if len(email) > MAX_EMAIL_LENGTH:
        raise DiscussionError(
            _("E-mail addresses can be at most %(limit)s characters.")
            % {"limit": MAX_EMAIL_LENGTH},
            field="email",
        )
    if not (is_printable_line(email) and _is_email_address(email)):
        raise DiscussionError(_("That e-mail address does not look right."), field="email")
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
            _("The website must be an http:// or https:// address."), field="website"
        )
    return website
