"""How far an import has got, and the error for writing that stopped part-way."""

from dataclasses import dataclass

CHECKING, WRITING = "checking", "writing"


@dataclass
class Progress:
    """How far an import has got: the check reads every record of the file, then the
    records to write are written in batches."""

    phase: str = CHECKING
    records: int = 0  # records read so far (all of the file's, once checked)
    to_write: int = 0  # records the check kept for writing
    written: int = 0  # of those, written and committed


class WriteStopped(Exception):
    """Writing stopped part-way (the cause is chained). What was committed stays and is
    consistent; importing the same file again finishes the import."""

    def __init__(self, progress: Progress):
        self.written = progress.written
        self.to_write = progress.to_write
        super().__init__(f"{self.written:,} of {self.to_write:,} records were written")
