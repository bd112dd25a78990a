"""What an import remembers: of this run, the Rostra ids of source records already
written, so that later records refer to them without a query; of earlier runs, every
source record with its fingerprint (`ImportedObject`), which makes importing a file
again update what changed and create nothing twice."""

from collections import OrderedDict
from urllib.parse import urlsplit

from django.utils import timezone

from rostra.discussion import services as discussion
from rostra.transfer.models import ImportedObject

# What the writer keeps in memory of records already written, so that references are
# resolved without a query; older entries are looked up again in the database. This
# keeps memory bounded whatever the size of the file.
REMEMBERED_COMMENTS = 100_000
REMEMBERED_OTHERS = 20_000
LOOKUP_CHUNK = 500


class Recent(OrderedDict):
    """A dict that forgets its oldest entries beyond `limit`."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.limit:
            self.popitem(last=False)


def normalise_url(url: str) -> str:
    """Addresses compared without scheme, 'www.', default index or trailing slash."""
    parts = urlsplit((url or "").strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    for index in ("/index.html", "/index.php"):
        path = path.removesuffix(index)
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"[:500]


class Memory:
    def __init__(self):
        # Source key → Rostra id of what this run has met, so later records can refer to it.
        self.article_ids: dict[str, int] = Recent(REMEMBERED_OTHERS)
        self.thread_ids: dict[str, int] = Recent(REMEMBERED_OTHERS)
        self.comment_places: dict[str, discussion.TreePlace] = Recent(REMEMBERED_COMMENTS)

    def known(self, kind: str, keys: list[str]) -> dict[str, tuple[int, str]]:
        """Source key → (Rostra id, fingerprint) of those imported before."""
        found = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            for key, object_id, fp in ImportedObject.objects.filter(
                kind=kind, key__in=keys[start : start + LOOKUP_CHUNK]
            ).values_list("key", "object_id", "fingerprint"):
                found[key] = (object_id, fp)
        return found

    def remember(self, kind: str, entries: list[tuple[str, int, str, str]]) -> None:
        """Records written: (source key, Rostra id, fingerprint, normalised address)."""
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(kind=kind, key=key, object_id=oid, fingerprint=fp, url=url)
                for key, oid, fp, url in entries
            ],
            batch_size=LOOKUP_CHUNK,
        )

    def refresh(self, kind: str, key: str, fp: str) -> None:
        ImportedObject.objects.filter(kind=kind, key=key).update(
            fingerprint=fp, imported_at=timezone.now()
        )

    def load_ids(self, kind: str, cache: dict, keys: list[str]) -> None:
        """Into `cache`, the ids of those `keys` it lacks that were imported before."""
        missing = [k for k in dict.fromkeys(keys) if k and k not in cache]
        if missing:
            for key, (object_id, _) in self.known(kind, missing).items():
                cache[key] = object_id

    def load_places(self, keys: list[str]) -> None:
        """The tree places of the imported comments with these `keys` not in memory."""
        keys = [k for k in dict.fromkeys(keys) if k not in self.comment_places]
        if not keys:
            return
        ids = {key: object_id for key, (object_id, _) in self.known("comment", keys).items()}
        places = discussion.tree_places(ids.values())
        for key, object_id in ids.items():
            if object_id in places:
                self.comment_places[key] = places[object_id]
