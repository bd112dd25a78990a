"""The permissions moderation needs, by name, and a viewer's share of them.

Services check these themselves (`Viewer.may`), whoever calls them: an admin view, a
command or, later, a signed e-mail link. `rostra setup` gives the "Moderators" group
`MODERATOR_PERMISSIONS` (rostra.discussion.services.roles).
"""

MODERATE = "discussion.change_comment"  # approve, hold, reject: the decision log follows
BAN = "discussion.add_ban"  # ban a commenter and remove everything they wrote
LIFT_BAN = "discussion.change_ban"
VIEW_DECISIONS = "discussion.view_moderationdecision"
EDIT_SETTINGS = "discussion.change_discussionsettings"  # hold modes, quiet hours, word lists
EDIT_THREAD = "discussion.change_thread"  # an article's hold mode, closing it
PICK = MODERATE  # feature a comment as an editor's pick, pin one to the top

# What the Moderators group is given: the queue (comments), bans, the settings that hold
# and refuse comments, each article's hold mode, and reading the decision log.
MODERATOR_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "discussion.view_comment",
    MODERATE,
    "discussion.view_ban",
    BAN,
    LIFT_BAN,
    VIEW_DECISIONS,
    EDIT_SETTINGS,
    "discussion.view_thread",
    EDIT_THREAD,
)

# The ones services ask about (a Viewer carries the ones its user holds).
SERVICE_PERMISSIONS = frozenset({MODERATE, BAN, LIFT_BAN, VIEW_DECISIONS, EDIT_THREAD})


def permissions_of(user) -> frozenset[str]:
    """The service permissions `user` holds (a superuser holds them all)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return SERVICE_PERMISSIONS
    return frozenset(SERVICE_PERMISSIONS & user.get_all_permissions())
