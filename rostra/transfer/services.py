"""Imports and exports: the entry points the command, the admin and tasks all call."""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rostra.transfer import sources
from rostra.transfer.models import ImportRun, ImportRunStatus
from rostra.transfer.records import ImportFileError, Record, conform
from rostra.transfer.sources.base import ReadProgress
from rostra.transfer.writer import CHECKING, Progress, Summary, Writer, WriteStopped

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress, ReadProgress], None]
RUN_PROGRESS_SECONDS = 0.5  # at most two progress updates a second on the admin's page


def import_file(
    path: Path | str,
    *,
    source: str = "",
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
    batch_size: int | None = None,
) -> Summary:
    """Import one export file: check all of it, then write it in short batches.

    Raises ImportFileError with a message for the operator when the file cannot be
    read, and then nothing has been saved. Raises WriteStopped (the cause chained) when
    writing stopped part-way: what was written stays, and importing the same file again
    finishes the import. `batch_size` fixes the records per batch (see Writer)."""
    path = Path(path)
    module = sources.get(source) if source else sources.detect(path)
    read = ReadProgress()
    writer = Writer(
        module.NAME,
        dry_run=dry_run,
        on_progress=(lambda progress: on_progress(progress, read)) if on_progress else None,
        batch_size=batch_size,
    )
    return writer.run(_conforming(module.parse(path, read), read))


def _conforming(records: Iterable[Record], progress: ReadProgress) -> Iterator[Record]:
    """The parser's records, each of the types the writer expects. A parser meeting a
    file of the wrong shape fails with some Python error: it becomes the import's own
    error, with how far the file had been read."""
    iterator = iter(records)
    while True:
        try:
            record = next(iterator)
            yield conform(record)
        except StopIteration:
            return
        except ImportFileError:
            raise
        except RecursionError:  # markup nested deeper than the HTML converters walk
            raise ImportFileError(
                _("The file could not be read (%(where)s): markup nested too deeply.")
                % {"where": progress.where()}
            ) from None
        except (ValueError, TypeError, AttributeError, KeyError, LookupError) as error:
            raise ImportFileError(
                _("The file could not be read (%(where)s): %(error)s.")
                % {"where": progress.where(), "error": one_line(error)}
            ) from error


def one_line(error: BaseException) -> str:
    """An exception's message on one line, for the admin page and the terminal."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def import_run_start(*, uploaded_file, source: str, dry_run: bool, user) -> ImportRun:
    """Keep an uploaded export and queue its import for the worker."""
    from rostra.core.tasks import enqueue_on_commit
    from rostra.transfer.tasks import run_import_task

    if source:
        sources.get(source)
    run = ImportRun.objects.create(
        file=uploaded_file,
        original_name=uploaded_file.name[:255],
        source=source,
        dry_run=dry_run,
        created_by=user,
        bytes_total=uploaded_file.size or 0,
    )
    enqueue_on_commit(run_import_task, run_id=run.pk)
    return run


def import_run_execute(run_id: int) -> ImportRun:
    run = ImportRun.objects.get(pk=run_id)
    if run.status != ImportRunStatus.QUEUED:
        return run
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRunStatus.CHECKING, started_at=timezone.now()
    )
    last_report = {"at": 0.0, "phase": CHECKING}

    def report(progress: Progress, read: ReadProgress) -> None:
        """Each update is its own short transaction, between the import's batches."""
        now = time.monotonic()
        changed_phase = progress.phase != last_report["phase"]
        if now - last_report["at"] < RUN_PROGRESS_SECONDS and not changed_phase:
            return
        last_report.update(at=now, phase=progress.phase)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRunStatus.CHECKING
            if progress.phase == CHECKING
            else ImportRunStatus.RUNNING,
            records_read=progress.records,
            records_to_write=progress.to_write,
            records_written=progress.written,
            bytes_read=read.bytes_read,
            bytes_total=read.total,
        )

    temporary = None
    try:
        with run.file.open("rb") as stored:
            if _is_local(stored):
                path = Path(stored.name)
            else:
                path = temporary = _copy_to_temp(stored)
        summary = import_file(path, source=run.source, dry_run=run.dry_run, on_progress=report)
    except Exception as error:  # whatever happens, the run ends and says why
        if not isinstance(error, ImportFileError):
            logger.exception("Import run %s failed", run.pk)
        written = {}
        if isinstance(error, WriteStopped):
            written = {"records_written": error.written, "records_to_write": error.to_write}
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRunStatus.FAILED,
            error=import_error_message(error, again=_("upload the same file again")),
            finished_at=timezone.now(),
            **written,
        )
    else:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRunStatus.DONE,
            summary=summary.as_dict(),
            records_read=summary.records,
            records_written=F("records_to_write"),
            finished_at=timezone.now(),
        )
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        # The upload has served its purpose; its readers' addresses should not linger.
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")
    run.refresh_from_db()
    return run


def import_error_message(error: Exception, *, again: str) -> str:
    """One line for the operator: the file's problem, or the unexpected error; when
    writing stopped part-way, how much was written and that `again` finishes it."""
    if isinstance(error, WriteStopped):
        line = _error_line(error.__cause__ or error)
        if error.written:
            # Translators: %(problem)s is the error; %(again)s says what to do, e.g.
            # "upload the same file again".
            return ngettext(
                "%(problem)s %(written)s of %(total)s record was written; "
                "%(again)s to finish the import.",
                "%(problem)s %(written)s of %(total)s records were written; "
                "%(again)s to finish the import.",
                error.to_write,
            ) % {
                "problem": line,
                "written": f"{error.written:,}",
                "total": f"{error.to_write:,}",
                "again": again,
            }
        return line
    return _error_line(error)


def wrote_nothing(error: Exception) -> bool:
    return not (isinstance(error, WriteStopped) and error.written)


def _error_line(error: BaseException) -> str:
    if isinstance(error, ImportFileError):
        return one_line(error)
    return _("The import stopped on an unexpected error (%(kind)s: %(error)s).") % {
        "kind": type(error).__name__,
        "error": one_line(error),
    }


def _is_local(stored) -> bool:
    try:
        return Path(stored.name).is_file()
    except (TypeError, ValueError):
        return False


def _copy_to_temp(stored) -> Path:
    """Storage backends without a local path (S3, memory): the parsers want a file."""
    import shutil
    import tempfile

    handle = tempfile.NamedTemporaryFile(prefix="rostra-import-", delete=False)  # noqa: SIM115
    with handle:
        shutil.copyfileobj(stored, handle, length=1 << 20)
    return Path(handle.name)
