"""The import's progress and summary as a moderator reads them: counts as plurals and
the summary's rows headed by the translatable name of each kind of record (#19)."""

from django.template.loader import render_to_string

from rostra.transfer.models import ImportRun, ImportRunStatus


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
