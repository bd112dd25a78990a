"""Imports once stored commenter websites unchecked (`javascript:`, `data:` …), and the
page linked them. Rows holding anything but an http(s) address lose it."""

from django.db import migrations

from rostra.discussion.text import http_link

CHUNK = 2000


def drop_unsafe_websites(apps, schema_editor):
    Comment = apps.get_model("discussion", "Comment")
    rows = Comment.objects.exclude(author_website="").values_list("pk", "author_website")
    unsafe = [pk for pk, website in rows.iterator(chunk_size=CHUNK) if not http_link(website)]
    for start in range(0, len(unsafe), CHUNK):
        Comment.objects.filter(pk__in=unsafe[start : start + CHUNK]).update(author_website="")


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0003_comment_anchors"),
    ]

    operations = [
        migrations.RunPython(drop_unsafe_websites, migrations.RunPython.noop, elidable=True),
    ]
