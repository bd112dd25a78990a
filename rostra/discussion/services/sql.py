"""Names for the few statements kept as SQL because the ORM measured too slow for them
(bench/discussion_sql.py) or cannot say them (votes' ON CONFLICT and RETURNING): taken
from the models, so that SQL follows a renamed table or column, and quoted for the
database in use."""

from django.db import connection

from rostra.discussion.models import Comment


def table_of(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def columns_of(model, *fields: str) -> list[str]:
    """The quoted columns of the fields named (`"thread"` gives `"thread_id"`)."""
    meta = model._meta
    return [connection.ops.quote_name(meta.get_field(name).column) for name in fields]


def comment_table() -> str:
    return table_of(Comment)


def comment_columns(*fields: str) -> list[str]:
    return columns_of(Comment, *fields)
