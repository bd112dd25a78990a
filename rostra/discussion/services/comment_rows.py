"""Writing a new comment's row, its place in the tree included: one INSERT … RETURNING
its id.

Kept as SQL because the ORM's `Comment.objects.create` (building the INSERT, preparing
each of two dozen fields, the save signals) cost 0.5 ms of CPU of a 3.3 ms post, and it
runs while the post holds the database's write lock (SQLite: every other writer waits).
Comment has no save signal receivers (Wagtail's `pre_save` locale hook is for
translatable models only), so nothing is skipped by not sending them.
"""

from collections.abc import Callable
from functools import cache

from django.db import connection, models

from rostra.discussion.models import PATH_STEP, Comment
from rostra.discussion.services.sql import comment_columns, comment_table

# Fields whose Python value the database driver takes as it is (str, int, None).
_TAKEN_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.ForeignKey,
)


def comment_insert(comment: Comment, parent: Comment | None) -> None:
    """Insert `comment` (an unsaved Comment answering `parent`, None at the top level)
    with its place in the tree, and give it its id, as `save()` would: one statement.

    The path ends with the comment's own id, so the statement takes the id itself (the
    table's next one: PostgreSQL's sequence; on SQLite past the highest ever given, as
    AUTOINCREMENT does, under the write lock the transaction holds) rather than
    inserting first and writing the path in a second statement."""
    sql, fields = _insert_statement(connection.vendor)
    prefix, root = (f"{parent.path}/", parent.root_id) if parent else ("", None)
    values = [prefix, root, *(value_of(comment) for value_of in fields)]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        comment.pk = cursor.fetchone()[0]
    own_step = str(comment.pk).zfill(PATH_STEP)
    comment.path, comment.root_id = prefix + own_step, root or comment.pk
    comment._state.adding = False
    comment._state.db = connection.alias


# The table's next id, and an id as a step of a path (zero-padded like str.zfill).
_NEXT_ID = {
    "sqlite": "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0), "
    "coalesce((SELECT max({pk}) FROM {quoted_table}), 0)) + 1 AS id",
    "postgresql": "SELECT nextval(pg_get_serial_sequence('{table}', '{pk_column}')) AS id",
}
_PATH_STEP_OF_ID = {
    "sqlite": f"printf('%%0{PATH_STEP}d', new.id)",  # %% : a literal % beside parameters
    "postgresql": f"repeat('0', greatest(0, {PATH_STEP} - length(new.id::text))) || new.id::text",
}


@cache
def _insert_statement(vendor: str) -> tuple[str, tuple[Callable[[Comment], object], ...]]:
    """The INSERT of a comment with its tree place, and how each other value is read
    off the model object and prepared for the database: worked out once per process."""
    tree = ("id", "path", "root_id")
    fields = [field for field in Comment._meta.concrete_fields if field.name not in tree]
    pk, path, root = comment_columns(*tree)
    columns = ", ".join([pk, path, root, *(connection.ops.quote_name(f.column) for f in fields)])
    next_id = _NEXT_ID[vendor].format(
        table=Comment._meta.db_table,
        quoted_table=comment_table(),
        pk=pk,
        pk_column=Comment._meta.pk.column,
    )
    values = ", ".join(
        ["new.id", f"%s || {_PATH_STEP_OF_ID[vendor]}", "coalesce(%s, new.id)"]
        + ["%s"] * len(fields)
    )
    sql = (
        f"INSERT INTO {comment_table()} ({columns}) "  # noqa: S608 - the model's names
        f"SELECT {values} FROM ({next_id}) AS new RETURNING {pk}"
    )
    return sql, tuple(_reader(field) for field in fields)


def _reader(field) -> Callable[[Comment], object]:
    name = field.attname
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda comment: adapt(getattr(comment, name))
    if isinstance(field, _TAKEN_AS_IS):
        return lambda comment: getattr(comment, name)
    # Any other kind of field (none today) is prepared as the ORM would.
    return lambda comment: field.get_db_prep_save(getattr(comment, name), connection)
