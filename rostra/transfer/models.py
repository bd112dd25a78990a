"""What imports remember: which source record became which Rostra object, and the
imports started from the admin."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


def import_storage():
    """Not the public media storage: uploaded exports contain private data."""
    return storages["imports"]


class ImportedObject(models.Model):
    """The Rostra object a source record became, so that a second import of the same
    file updates it instead of creating it again. `fingerprint` is a hash of the record
    as last imported: equal means nothing to do."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=500)
    object_id = models.BigIntegerField()
    fingerprint = models.CharField(max_length=40)
    url = models.CharField(max_length=500, blank=True, db_index=True)
    imported_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_object_per_source_key")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.object_id}"


class ImportRunStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Waiting to start")
    CHECKING = "checking", gettext_lazy("Checking the file")
    RUNNING = "running", gettext_lazy("Importing")
    DONE = "done", gettext_lazy("Finished")
    FAILED = "failed", gettext_lazy("Failed")


# The summary table's row headings, by kind of record (writer.summary.KINDS).
KIND_HEADINGS = {
    "article": pgettext_lazy("imported records", "Articles"),
    "thread": pgettext_lazy("imported records", "Threads"),
    "comment": pgettext_lazy("imported records", "Comments"),
    "vote": pgettext_lazy("imported records", "Votes"),
    "subscription": pgettext_lazy("imported records", "Subscriptions"),
    "donation": pgettext_lazy("imported records", "Donations"),
    "moderation": pgettext_lazy("imported records", "Moderations"),
    "report": pgettext_lazy("imported records", "Reports"),
}


class ImportRun(models.Model):
    """An import uploaded in the admin and run by the background worker."""

    file = models.FileField(upload_to="%Y/%m/", storage=import_storage, blank=True)
    original_name = models.CharField(max_length=255)
    source = models.CharField(max_length=20, blank=True, help_text=gettext_lazy("Empty: detect."))
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportRunStatus.choices, default=ImportRunStatus.QUEUED
    )
    records_read = models.PositiveIntegerField(default=0)
    records_to_write = models.PositiveIntegerField(default=0)  # what the check kept
    records_written = models.PositiveIntegerField(default=0)  # committed so far
    bytes_read = models.PositiveBigIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def status_text(self) -> str:
        if self.status == ImportRunStatus.FAILED:
            if self.records_written:
                return _("Failed part-way")
            return _("Failed: nothing was imported")
        return self.get_status_display()

    @property
    def summary_kinds(self) -> list[tuple[str, dict]]:
        """The summary's (row heading, tally) by kind of record, for the run's page."""
        kinds = self.summary.get("kinds", {})
        return [(KIND_HEADINGS.get(kind, kind), tally) for kind, tally in kinds.items()]

    @property
    def percent(self) -> int:
        """Of the file read while checking; of the records written while importing."""
        if self.status == ImportRunStatus.DONE:
            return 100
        if self.status == ImportRunStatus.RUNNING:
            done, total = self.records_written, self.records_to_write
        else:
            done, total = self.bytes_read, self.bytes_total
        return int(100 * done / total) if total else 0

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None
