"""Roles: the "Moderators" group `rostra setup` keeps ready (and leaves others alone)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from rostra.discussion.permissions import MODERATOR_PERMISSIONS

MODERATORS = "Moderators"


def moderators_group_ensure() -> Group:
    """The Moderators group (Wagtail's, or a new one) with every permission moderation
    needs: comments, bans, the settings that hold and refuse comments, articles' hold
    modes and the decision log. Run at every `rostra setup`: adds what is missing,
    removes nothing an operator granted."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=MODERATORS)
        wanted = [name.split(".", 1) for name in MODERATOR_PERMISSIONS]
        found = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        permissions = [p for p in found if [p.content_type.app_label, p.codename] in wanted]
        if len(permissions) != len(wanted):
            missing = set(MODERATOR_PERMISSIONS) - {
                f"{p.content_type.app_label}.{p.codename}" for p in permissions
            }
            raise RuntimeError(f"permissions missing (migrate first): {sorted(missing)}")
        group.permissions.add(*permissions)
    return group
