from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from rostra.discussion.filtering import FILTER_HOOK
from rostra.discussion.selectors.queue import QUEUE_NOTES_HOOK
from rostra.spamfilter import admin_views, selectors, services
from rostra.spamfilter.tasks import schedule_filter_check

hooks.register(FILTER_HOOK, services.comment_filter)
hooks.register("rostra_schedule", schedule_filter_check)
hooks.register(QUEUE_NOTES_HOOK, selectors.queue_notes)


@hooks.register("register_admin_urls")
def spamfilter_urls():
    return [
        path("spam-filter/", admin_views.filter_report, name="spamfilter_report"),
        path("spam-filter/train/", admin_views.filter_train_now, name="spamfilter_train"),
    ]


class _ModeratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(services.MODERATE_PERMISSION)


@hooks.register("register_reports_menu_item")
def spamfilter_menu_item():
    return _ModeratorsMenuItem(
        _("Spam filter"), reverse("spamfilter_report"), icon_name="warning", order=300
    )
