"""The import page of the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rostra.core.html_tree import elements_named, parse_html, text_of
from rostra.discussion.models import Comment
from rostra.transfer.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, home):
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    return client


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/xml")


def test_upload_runs_in_background_and_shows_the_summary(
    admin_client, fixture_file, django_capture_on_commit_callbacks
):
    page = admin_client.get(reverse("transfer_import"))
    assert page.status_code == 200 and b"Upload and import" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("transfer_import"), {"file": upload(fixture_file("isso/wordpress.xml"))}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("transfer_import_run", args=[run.pk])
    assert run.status == "done" and Comment.objects.count() == 8
    assert not run.file  # the upload, with readers' addresses, is gone once imported

    detail = admin_client.get(response.url)
    html = detail.content.decode()
    assert "Finished" in html and "hx-trigger" not in html
    assert '<th scope="row">Comments</th><td>8</td>' in html

    progress = admin_client.get(response.url, HTTP_HX_REQUEST="true")
    assert progress.content.decode().lstrip().startswith('<section id="import-progress"')


def test_a_bad_file_fails_with_its_reason_and_imports_nothing(
    admin_client, fixture_file, django_capture_on_commit_callbacks
):
    bad = fixture_file("wordpress-importer/phpunit-data/malformed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("transfer_import"), {"file": upload(bad), "source": "wordpress"})
    run = ImportRun.objects.get()
    assert run.status == "failed" and "not well-formed XML at line" in run.error
    assert Comment.objects.count() == 0
    page = admin_client.get(reverse("transfer_import_run", args=[run.pk])).content.decode()
    assert "Failed: nothing was imported" in page and "not well-formed XML" in page


def test_queued_import_page_polls(admin_client, fixture_file):
    admin_client.post(
        reverse("transfer_import"), {"file": upload(fixture_file("isso/generic.json"))}
    )
    run = ImportRun.objects.get()  # no commit in this test: the worker has not run it
    page = admin_client.get(reverse("transfer_import_run", args=[run.pk])).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 1s"' in page


def test_dry_run_and_permissions(
    admin_client, client, fixture_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("transfer_import"),
            {"file": upload(fixture_file("isso/generic.json")), "dry_run": "on"},
        )
    assert ImportRun.objects.get().summary["dry_run"] is True
    assert Comment.objects.count() == 0

    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    client.force_login(reader)
    assert client.get(reverse("transfer_import")).status_code == 302


HOSTILE_UPLOADS = [
    ("nested.json", "isso-json", "[" * 200_000 + "]" * 200_000, "should be an object, not a list"),
    ("deep.json", "commento", '{"comments": [' + '{"a":' * 200_000, "nests deeper than 64 levels"),
    ("shape.json", "commento", '{"commentHex": "c", "comments": [1]}', "should be an object"),
    ("enc.xml", "", '<?xml version="1.0" encoding="klingon"?><rss><channel><wp:x '
     'xmlns:wp="http://wordpress.org/export/1.2/"/></channel></rss>', "unknown encoding"),
    ("archive.jsonl", "rostra", '{"format": "rostra-archive", "version": 1}\n'
     '{"type": "thread", "key": 5}\n', "Line 2 of the archive is not usable"),
]  # fmt: skip


@pytest.mark.parametrize("name, source, content, message", HOSTILE_UPLOADS)
def test_a_hostile_upload_fails_and_is_deleted(
    admin_client, django_capture_on_commit_callbacks, name, source, content, message
):
    """Whatever goes wrong, the run ends marked failed with a one-line reason, nothing is
    imported, and the uploaded file is deleted (once it stayed "running" and kept it)."""
    upload_file = SimpleUploadedFile(name, content.encode(), content_type="application/json")
    with django_capture_on_commit_callbacks() as queued:
        admin_client.post(reverse("transfer_import"), {"file": upload_file, "source": source})
    stored = ImportRun.objects.get().file.name
    # The field's own storage: import_storage() gives a new one after a test changed
    # STORAGES, while the model field keeps the storage it was built with.
    storage = ImportRun._meta.get_field("file").storage
    assert storage.exists(stored)
    for run_the_worker in queued:
        run_the_worker()
    run = ImportRun.objects.get()
    assert run.status == "failed" and message in run.error and "\n" not in run.error
    assert run.finished_at is not None
    assert Comment.objects.count() == 0
    assert not run.file and not storage.exists(stored)
    page = admin_client.get(reverse("transfer_import_run", args=[run.pk])).content.decode()
    assert "Failed: nothing was imported" in page


def test_an_unexpected_error_fails_the_run_too(admin_client, django_capture_on_commit_callbacks):
    """Not only the file's own errors: here the upload vanished before the worker ran."""
    upload_file = SimpleUploadedFile("gone.json", b"[]", content_type="application/json")
    with django_capture_on_commit_callbacks() as queued:
        admin_client.post(reverse("transfer_import"), {"file": upload_file})
    ImportRun._meta.get_field("file").storage.delete(ImportRun.objects.get().file.name)
    for run_the_worker in queued:
        run_the_worker()
    run = ImportRun.objects.get()
    assert run.status == "failed" and not run.file
    assert run.error.startswith("The import stopped on an unexpected error (FileNotFoundError")


def test_a_running_import_shows_what_is_written_and_keeps_polling(admin_client):
    """While writing, the page counts the records committed so far; a run that stopped
    part-way says so instead of claiming nothing was imported."""
    run = ImportRun.objects.create(
        original_name="big.xml", status="running", records_to_write=200, records_written=50
    )
    page = admin_client.get(
        reverse("transfer_import_run", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "25% written · 50 of 200 records" in page and 'hx-trigger="every 1s"' in page

    ImportRun.objects.filter(pk=run.pk).update(
        status="failed", error="The import stopped … 50 of 200 records were written"
    )
    page = admin_client.get(reverse("transfer_import_run", args=[run.pk])).content.decode()
    assert "Failed part-way" in page and "nothing was imported" not in page


def test_the_import_pages_have_their_title_as_the_one_h1(admin_client, fixture_file):
    """A template variable named `heading` replaces the <h1> of Wagtail's header: the
    import pages name theirs otherwise, so each has exactly one <h1>, its title."""
    admin_client.post(
        reverse("transfer_import"), {"file": upload(fixture_file("isso/generic.json"))}
    )
    run = ImportRun.objects.get()
    pages = {
        reverse("transfer_import"): "Import articles and comments",
        reverse("transfer_import_run", args=[run.pk]): "Import",
    }
    for url, title in pages.items():
        html = admin_client.get(url).content.decode()
        headings = list(elements_named(parse_html(html), "h1"))
        assert len(headings) == 1, (url, len(headings))
        assert " ".join(text_of(headings[0]).split()).startswith(title), url
