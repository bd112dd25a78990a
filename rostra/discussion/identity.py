"""Who is commenting: a signed-in user, or a guest recognised by a signed cookie.

A guest's browser gets a random token in a signed cookie; comments and votes store
only a hash of it (`author_key`/`voter_key`), so the database alone cannot be used to
impersonate a guest. IP addresses are kept only as a keyed hash, for rate limits
(rostra.core.addresses, which every app imports them from).
"""

import secrets
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings

from rostra.core.addresses import client_ip, hash_ip, keyed_hash
from rostra.discussion.permissions import MODERATE, permissions_of

GUEST_COOKIE = "rostra_guest"
GUEST_COOKIE_SALT = "rostra.discussion.guest"
GUEST_COOKIE_MAX_AGE = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class Viewer:
    """The reader making a request, as services see them."""

    key: str
    user_id: int | None = None
    is_staff: bool = False
    display_name: str = ""
    email: str = ""
    ip_hash: str = ""
    guest_token: str = ""  # set when a new guest cookie must be sent back
    # Moderation permissions (rostra.discussion.permissions) the services check; set
    # where moderation happens (the admin). A reader on the public site carries their
    # `user` instead, whose permissions are looked up the first time one is asked about.
    permissions: frozenset[str] = frozenset()
    user: object = field(default=None, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @cached_property
    def granted(self) -> frozenset[str]:
        """The permissions this viewer holds: given, or (for a signed-in reader) held now,
        read through the user's own permission cache, which Wagtail's checks of the same
        request share."""
        if self.user is None:
            return self.permissions
        return self.permissions | permissions_of(self.user)

    def may(self, permission: str) -> bool:
        return permission in self.granted

    @property
    def moderates(self) -> bool:
        """Sees and acts on what moderators do (held comments, changing any comment):
        by the moderation permission, held directly, through a group such as
        Moderators, or as a superuser; the staff flag alone gives none of it."""
        return self.may(MODERATE)


def staff_viewer(user) -> "Viewer":
    """A staff member or moderator as the services see them (signed in to the admin, or
    acting from an alert e-mail), with the moderation rights they hold now."""
    permissions = permissions_of(user)
    return Viewer(
        key=f"u:{user.pk}",
        user_id=user.pk,
        is_staff=user.is_staff or MODERATE in permissions,
        display_name=user.get_username(),
        permissions=permissions,
    )


def guest_key(token: str) -> str:
    return "g:" + keyed_hash(token, purpose="guest")[:40]


# Where a request keeps its Viewer, made once: the policy, the access rule and the view
# of one request all ask, and each answer costs a keyed hash of the address (and of
# the guest's token).
_VIEWER_OF_REQUEST = "_rostra_viewer"
_NOT_MADE = object()


def viewer_from_request(request, *, create_guest: bool = False) -> Viewer | None:
    """The Viewer behind `request`; None for a guest without a cookie unless asked.

    Made once per request and kept on it, for the account it was made for: a guest
    created here is the same guest (one key, one cookie) for the rest of the request,
    and signing in or out during the request makes a new one."""
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    user_id = user.pk if user is not None else None
    made_for, viewer = request.__dict__.get(_VIEWER_OF_REQUEST, (_NOT_MADE, None))
    if made_for != user_id or (viewer is None and create_guest):
        viewer = _viewer(request, user, create_guest=create_guest)
        request.__dict__[_VIEWER_OF_REQUEST] = (user_id, viewer)
    return viewer


def _viewer(request, user, *, create_guest: bool) -> Viewer | None:
    ip_hash = hash_ip(client_ip(request))
    if user is not None:
        return Viewer(
            key=f"u:{user.pk}",
            user_id=user.pk,
            is_staff=user.is_staff,
            display_name=user.get_full_name() or user.get_username(),
            email=user.email,
            ip_hash=ip_hash,
            user=user,
        )
    token = request.get_signed_cookie(GUEST_COOKIE, default="", salt=GUEST_COOKIE_SALT)
    if token:
        return Viewer(key=guest_key(token), ip_hash=ip_hash)
    if not create_guest:
        return None
    token = secrets.token_urlsafe(24)
    return Viewer(key=guest_key(token), ip_hash=ip_hash, guest_token=token)


def remember_guest(response, viewer: Viewer | None) -> None:
    """Send the new guest cookie, when `viewer` was created by this request."""
    if viewer is not None and viewer.guest_token:
        response.set_signed_cookie(
            GUEST_COOKIE,
            viewer.guest_token,
            salt=GUEST_COOKIE_SALT,
            max_age=GUEST_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
