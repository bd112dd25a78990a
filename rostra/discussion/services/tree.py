"""Where comments sit in a thread's tree (`path`, `depth`, `root_id`), and moving an
imported reply with its own replies under a parent that arrived after it."""

from dataclasses import dataclass

from django.db import connection

from rostra.discussion.models import PATH_STEP, Comment
from rostra.discussion.services.sql import comment_columns, comment_table
from rostra.discussion.versions import thread_version_bump_for_comments


@dataclass(frozen=True)
class TreePlace:
    id: int
    parent_id: int | None
    path: str
    depth: int
    root_id: int


def tree_places(comment_ids) -> dict[int, TreePlace]:
    ids = list(comment_ids)
    places = {}
    for start in range(0, len(ids), 500):
        for row in Comment.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "parent_id", "path", "depth", "root_id"
        ):
            places[row[0]] = TreePlace(*row)
    return places


def place_under(pk: int, parent: TreePlace | None, max_depth: int):
    """The place of comment `pk` answering `parent` (None: top level), and whom it
    answers when the depth limit moves it up a level: (TreePlace, reply_to id or None)."""
    reply_to = None
    if parent is not None and parent.depth + 1 > max_depth - 1 and parent.parent_id:
        reply_to = parent.id
        grandparent_path = parent.path.rsplit("/", 1)[0]
        parent = TreePlace(
            parent.parent_id, None, grandparent_path, parent.depth - 1, parent.root_id
        )
    own_step = str(pk).zfill(PATH_STEP)
    if parent is None:
        return TreePlace(pk, None, own_step, 0, pk), None
    return TreePlace(
        pk, parent.id, f"{parent.path}/{own_step}", parent.depth + 1, parent.root_id
    ), reply_to


def comment_reparent(comment_id: int, parent_id: int, *, max_depth: int) -> bool:
    """Move an imported comment (and its replies) under a parent that arrived later in
    the file than the reply itself. False, and nothing moved, when the parent is the
    comment itself or one of its replies: a file whose replies loop (A answers B, B
    answers A) would otherwise cut the loop off the thread."""
    places = tree_places([comment_id, parent_id])
    own, parent = places[comment_id], places[parent_id]
    if parent.root_id == own.root_id and (parent.path + "/").startswith(own.path + "/"):
        return False
    new, reply_to = place_under(comment_id, parent, max_depth)
    _move_subtree(own, new, reply_to)
    thread_version_bump_for_comments([comment_id])
    return True


def _move_subtree(own: TreePlace, new: TreePlace, reply_to: int | None) -> None:
    """Move the comment at `own`, with its replies, to `new`: two statements whatever
    the number of replies (their paths keep their own steps after the new prefix).
    Kept as SQL because the ORM's update (Concat, Substr, F) cost 1.7 to 3 ms more CPU
    per move, 60% or more of a whole `comment_reparent` (bench/discussion_sql.py)."""
    table = comment_table()
    path, depth, root, parent, reply, pk = comment_columns(
        "path", "depth", "root_id", "parent", "reply_to", "id"
    )
    move = (
        f"UPDATE {table} SET {path} = %s || substr({path}, %s), "  # noqa: S608 - model's names
        f"{depth} = {depth} + %s, {root} = %s "
        f"WHERE {root} = %s AND ({path} = %s OR {path} LIKE %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            move,
            [new.path, len(own.path) + 1, new.depth - own.depth, new.root_id, own.root_id,
             own.path, own.path + "/%"],
        )  # fmt: skip
        cursor.execute(
            f"UPDATE {table} SET {parent} = %s, {reply} = %s WHERE {pk} = %s",  # noqa: S608
            [new.parent_id, reply_to, own.id],
        )
