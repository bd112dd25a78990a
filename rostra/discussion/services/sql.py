"""Names for the few statements kept as SQL because the ORM measured too slow for them
(bench/discussion_sql.py): taken from the Comment model, so that SQL follows a renamed
table or column, and quoted for the database in use."""

from django.db import connection

from rostra.discussion.models import Comment


def comment_table() -> str:
    return connection.ops.quote_name(Comment._meta.db_table)


def comment_columns(*fields: str) -> list[str]:
    """The quoted columns of the Comment fields named (`"thread"` gives `"thread_id"`)."""
    meta = Comment._meta
    return [connection.ops.quote_name(meta.get_field(name).column) for name in fields]
