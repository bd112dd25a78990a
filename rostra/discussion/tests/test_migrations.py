"""Data migrations of the discussion app, run forwards on a database that holds the
rows they are meant to repair."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("discussion", "0003_comment_anchors")
AFTER = ("discussion", "0004_drop_unsafe_commenter_websites")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_unsafe_commenter_websites_are_dropped_and_http_ones_kept():
    old = migrate(BEFORE)
    Thread = old.get_model("discussion", "Thread")
    Comment = old.get_model("discussion", "Comment")
    thread = Thread.objects.create(key="embed:1", title="T")
    websites = [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "http://[::1",
        "https://ann.example/blog",
        "http://bo.example",
        "",
    ]
    for n, website in enumerate(websites):
        Comment.objects.create(
            thread=thread, author_key=f"g:{n}", author_name=f"R{n}", author_website=website,
            body_source="x", body_html="<p>x</p>", created_at="2024-01-01T00:00:00Z",
        )  # fmt: skip
    try:
        new = migrate(AFTER)
    finally:
        migrate_to_latest()
    kept = set(
        new.get_model("discussion", "Comment").objects.values_list("author_website", flat=True)
    )
    assert kept == {"https://ann.example/blog", "http://bo.example", ""}


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
