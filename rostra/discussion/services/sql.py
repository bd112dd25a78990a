"""Names for the few statements kept as SQL because the ORM measured too slow for them
(bench/discussion_sql.py) or cannot say them (votes' ON CONFLICT and RETURNING): taken
from the models, so that SQL follows a renamed table or column, and quoted for the
database in use."""

from functools import cache

from django.db import connection

from rostra.discussion.models import Comment


def table_of(model) -> str:
    return _quoted(connection.vendor, model, None)


def columns_of(model, *fields: str) -> list[str]:
    """The quoted columns of the fields named (`"thread"` gives `"thread_id"`)."""
    return [_quoted(connection.vendor, model, name) for name in fields]


@cache
def _quoted(vendor: str, model, field: str | None) -> str:
    """A table's (`field` None) or column's quoted name, worked out once per database
    kind: every vote and post names a dozen of them."""
    meta = model._meta
    name = meta.db_table if field is None else meta.get_field(field).column
    return connection.ops.quote_name(name)


def comment_table() -> str:
    return table_of(Comment)


def comment_columns(*fields: str) -> list[str]:
    return columns_of(Comment, *fields)
