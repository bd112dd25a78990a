"""The import's progress, summary and errors as a moderator reads them: counts as plurals
and the summary's rows headed by the translatable name of each kind of record (#19)."""

from django.template.loader import render_to_string

from rostra.transfer.models import ImportRun, ImportRunStatus
from rostra.transfer.records import ImportFileError
from rostra.transfer.retention import _abandoned
from rostra.transfer.services import import_error_message
from rostra.transfer.writer import Progress, WriteStopped


def _finished(records: int) -> str:
    run = ImportRun(
        original_name="export.xml",
        status=ImportRunStatus.DONE,
        summary={
            "records": records,
            "kinds": {"comment": {"created": records, "updated": 0, "skipped": 0,
                                  "rejected": 0, "reasons": {}}},
        },
    )  # fmt: skip
    return render_to_string("transfer/import_progress.html", {"run": run, "finished": True})


def test_a_finished_import_counts_its_records_with_plurals():
    """One record reads "1 record read.", more "2 records read."; the row is "Comments"."""
    assert "1 record read." in _finished(1)
    page = _finished(2)
    assert "2 records read." in page and '<th scope="row">Comments</th>' in page


def test_errors_of_a_stopped_or_abandoned_import_count_with_plurals():
    """ "1 of 1 record was written", "within 1 day": not "1 records", "1 days"."""
    try:
        raise WriteStopped(Progress(to_write=1, written=1)) from ImportFileError("Bad.")
    except WriteStopped as stopped:
        message = import_error_message(stopped, again="upload the same file again")
    assert (
        message
        == "Bad. 1 of 1 record was written; upload the same file again to finish the import."
    )
    assert "within 1 day." in _abandoned(1) and "within 30 days." in _abandoned(30)
