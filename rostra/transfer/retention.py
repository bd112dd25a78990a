"""What imports leave behind (called by rostra.core.retention.prune).

Uploaded exports hold readers' e-mail addresses. A finished import deletes its upload
at once; these catch what a killed worker or a failed request left: uploads of finished
runs, runs that never finished (their worker is long gone) and files no run refers to.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from rostra.transfer.models import ImportRun, ImportRunStatus, import_storage

FINISHED = [ImportRunStatus.DONE, ImportRunStatus.FAILED]


def _abandoned(days: int) -> str:
    """The error an abandoned run shows on its page, in the site's language."""
    return ngettext(
        "Abandoned: the import did not finish within %(days)d day. Upload the file again.",
        "Abandoned: the import did not finish within %(days)d days. Upload the file again.",
        days,
    ) % {"days": days}


def prune(now, dry_run: bool) -> dict[str, int]:
    stale_before = now - settings.RETENTION["import_uploads"]
    stale = ImportRun.objects.exclude(status__in=FINISHED).filter(
        Q(started_at__lt=stale_before) | Q(started_at__isnull=True, created_at__lt=stale_before)
    )
    stale_ids = list(stale.values_list("pk", flat=True))
    if not dry_run:
        days = settings.RETENTION["import_uploads"].days
        ImportRun.objects.filter(pk__in=stale_ids).update(
            status=ImportRunStatus.FAILED,
            error=_abandoned(days),
            finished_at=timezone.now(),
        )
    leftovers = ImportRun.objects.filter(Q(status__in=FINISHED) | Q(pk__in=stale_ids)).exclude(
        file=""
    )
    uploads = 0
    for run in leftovers.iterator():
        uploads += 1
        if not dry_run:
            run.file.delete(save=True)
    return {
        "abandoned import runs": len(stale_ids),
        "import uploads": uploads + _prune_unreferenced_files(stale_before, dry_run),
    }


def _prune_unreferenced_files(older_than, dry_run: bool) -> int:
    storage = import_storage()
    referenced = set(ImportRun.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    for name in _walk(storage, ""):
        if name in referenced or storage.get_modified_time(name) >= older_than:
            continue
        removed += 1
        if not dry_run:
            storage.delete(name)
    return removed


def _walk(storage, directory: str):
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # nothing was ever uploaded
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)
