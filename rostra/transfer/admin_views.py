"""The import page in the Wagtail admin: upload an export, watch it run, read the summary."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rostra.transfer import sources
from rostra.transfer.models import ImportRun, ImportRunStatus
from rostra.transfer.records import ImportFileError
from rostra.transfer.services import import_run_start

MAX_UPLOAD_BYTES = 2 * 1024**3


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A WordPress, Disqus, Isso, Remark42, Commento or Rostra export."),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[("", gettext_lazy("Detect from the file")), *sources.choices()],
        required=False,
    )
    dry_run = forms.BooleanField(
        required=False,
        label=gettext_lazy("Dry run"),
        help_text=gettext_lazy("Report what would change; save nothing."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Files above 2 GB are imported with `rostra import`."))
        return upload


def _check(request):
    if not request.user.has_perm("transfer.add_importrun"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def import_index(request):
    _check(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_start(
                uploaded_file=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
        except ImportFileError as error:
            form.add_error("source", str(error))  # translatable: no
        else:
            messages.success(
                request, _("“%(name)s” is queued for import.") % {"name": run.original_name}
            )
            return redirect("transfer_import_run", run_id=run.pk)
    runs = ImportRun.objects.select_related("created_by")[:20]
    return TemplateResponse(request, "transfer/import_index.html", {"form": form, "runs": runs})


def import_run(request, run_id: int):
    _check(request)
    run = get_object_or_404(ImportRun, pk=run_id)
    finished = run.status in {ImportRunStatus.DONE, ImportRunStatus.FAILED}
    template = (
        "transfer/import_progress.html"
        if request.headers.get("HX-Request")
        else "transfer/import_run.html"
    )
    return TemplateResponse(request, template, {"run": run, "finished": finished})
