"""One-click Approve / Reject links in moderators' alert e-mails: signed tokens naming
the moderator, the comment and the action, with a nonce that is spent when the link
acts (`AlertLinkUse`), so each link acts once, and only within
MODERATOR_ALERT_LINK_MAX_AGE."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from rostra.discussion.models import CommentStatus

ALERT_LINK_SALT = "rostra.discussion.alert-link"
# What each action of a link sets the comment to.
ACTIONS = {"approve": CommentStatus.APPROVED, "reject": CommentStatus.REMOVED}


class AlertLinkError(Exception):
    """A link that cannot act (forged, expired, malformed); `status` for its page."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class AlertLink:
    moderator_id: int
    comment_id: int
    action: str
    nonce: str

    @property
    def status(self) -> str:
        return ACTIONS[self.action]


def alert_link_token(*, moderator_id: int, comment_id: int, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    payload = {"m": moderator_id, "c": comment_id, "a": action, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=ALERT_LINK_SALT)


def alert_link_url(**kwargs) -> str:
    token = alert_link_token(**kwargs)
    return settings.BASE_URL + reverse("discussion:alert_link", args=[token])


def alert_link_read(token: str) -> AlertLink:
    """The link `token` stands for; AlertLinkError when it is forged or expired."""
    max_age = settings.MODERATOR_ALERT_LINK_MAX_AGE
    try:
        payload = signing.loads(token, salt=ALERT_LINK_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise AlertLinkError(
            _("This link has expired. Open the comment in the moderation queue instead."),
            status=410,
        ) from None
    except signing.BadSignature:
        raise AlertLinkError(_("This link is not valid.")) from None
    try:
        link = AlertLink(int(payload["m"]), int(payload["c"]), payload["a"], str(payload["n"]))
    except (KeyError, TypeError, ValueError):
        raise AlertLinkError(_("This link is not valid.")) from None
    if link.action not in ACTIONS:
        raise AlertLinkError(_("This link is not valid."))
    return link
