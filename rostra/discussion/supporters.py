"""Supporters-only discussions ("Supporters' Q&A"): who may post there is for the app
that knows the newsroom's supporters (funding) to say, through the `rostra_supporter`
app hook; the discussion does not import it."""

from django.utils.translation import gettext_lazy as _

from rostra.core import app_hooks
from rostra.discussion.identity import Viewer

SUPPORTER_HOOK = "rostra_supporter"
REFUSAL = _(
    "This discussion is a Supporters' Q&A: only readers who support our journalism may "
    "comment here. Your text is still here: sign in with the account your gifts are "
    "linked to, or become a supporter at /support/ and post it then."
)


def viewer_is_supporter(viewer: Viewer) -> bool:
    """Whether a signed-in reader supports the newsroom (a guest cannot be told apart)."""
    if viewer.user_id is None:
        return False
    return any(check(viewer.user_id) for check in app_hooks.registered(SUPPORTER_HOOK))
