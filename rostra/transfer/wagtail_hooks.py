from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from rostra.transfer import admin_views, retention


@hooks.register("register_admin_urls")
def transfer_urls():
    return [
        path("import/", admin_views.import_index, name="transfer_import"),
        path("import/<int:run_id>/", admin_views.import_run, name="transfer_import_run"),
    ]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("transfer.add_importrun")


@hooks.register("register_settings_menu_item")
def transfer_menu_item():
    return _ImportMenuItem(_("Import"), reverse("transfer_import"), icon_name="upload", order=900)


hooks.register("rostra_prune", retention.prune)
