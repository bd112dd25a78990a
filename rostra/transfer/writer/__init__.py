"""The one writer every importer feeds.

An import reads the file twice over, in two passes:

1. The check (`checking`): every record is read, checked and prepared (fingerprint,
   comment bodies and commenter details as the comment form stores them) into a spool,
   and nothing is written. A file that fails anywhere fails here, and nothing has been
   saved.
2. The writing (`run`, `batches`): the prepared records are written in short batches,
   each its own transaction holding the database for about 80 ms (see `pacing`), so
   that readers posting and voting meanwhile wait a moment at most. Within a batch,
   articles first (`articles`), then threads (`threads`), then comments (`comments`),
   then what only a Rostra archive carries (`archive`), so every reference points at
   something already saved.

Each source record is remembered (`memory`, `ImportedObject`) with a fingerprint, in
the same transaction as what it became, which makes a second run of the same file
update what changed and create nothing twice; an import stopped part-way (a killed
process) is finished by running it again. A dry run is a real run in one transaction
rolled back at the end. What was done is counted in the `summary`, how far it got in
`progress`.
"""

from rostra.transfer.writer.batches import KIND_OF
from rostra.transfer.writer.checking import Prepared, fingerprint
from rostra.transfer.writer.memory import (
    LOOKUP_CHUNK,
    REMEMBERED_COMMENTS,
    REMEMBERED_OTHERS,
    Recent,
    normalise_url,
)
from rostra.transfer.writer.progress import CHECKING, WRITING, Progress, WriteStopped
from rostra.transfer.writer.run import Writer
from rostra.transfer.writer.summary import KINDS, Summary, Tally

__all__ = [
    "CHECKING",
    "KINDS",
    "KIND_OF",
    "LOOKUP_CHUNK",
    "REMEMBERED_COMMENTS",
    "REMEMBERED_OTHERS",
    "WRITING",
    "Prepared",
    "Progress",
    "Recent",
    "Summary",
    "Tally",
    "WriteStopped",
    "Writer",
    "fingerprint",
    "normalise_url",
]
