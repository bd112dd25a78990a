"""`rostra filter train|evaluate` and the admin page."""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from rostra.config.env import child_environment
from rostra.core.testing import run_rostra
from rostra.core.testing_databases import migrated_sqlite_site
from rostra.spamfilter.models import FilterModel

pytestmark = pytest.mark.django_db


def _csv(tmp_path, text: str, name="labelled.csv", encoding="utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _evaluate(path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("filter", "evaluate", path, stdout=out)
    return out.getvalue()


def test_evaluate_prints_the_figures_one_per_line(trained, tmp_path):
    """A labelled CSV (spam/ham and 1/0 labels, quoted commas) is scored with the current
    version; the lines include `spam recall: 0.NN` and `legitimate held: 0.NN`."""
    path = _csv(
        tmp_path,
        "text,label\n"
        '"Buy cheap v1agra pills, double your money https://cheap-pills.example/x",spam\n'
        "Best price casino bonus 100% guaranteed,1\n"
        '"The council should explain the new budget, says the article.",ham\n'
        "Mein Nachbar hat endlich den Busfahrplan veröffentlicht,0\n",
    )
    lines = _evaluate(path).splitlines()
    assert "rows: 4" in lines and "spam rows: 2" in lines
    assert "spam recall: 1.00" in lines
    assert "legitimate held: 0.00" in lines
    assert f"model version: {trained.version}" in lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("body,kind\nhello,spam\n", "header `text,label`"),
        ("text,label\nhello,maybe\n", "line 2: label 'maybe'"),
        ("text,label\n", "no rows"),
        ("", "header"),
    ],
)
def test_evaluate_refuses_a_bad_file_with_exit_code_2(trained, tmp_path, content, message):
    """A file without the header, with an unknown label or without rows is refused with
    a message saying what is wrong, and exit code 2."""
    with pytest.raises(CommandError, match=message) as refused:
        _evaluate(_csv(tmp_path, content))
    assert refused.value.returncode == 2


def test_evaluate_refuses_a_missing_or_binary_file_and_a_filter_still_learning(tmp_path):
    with pytest.raises(CommandError, match="cannot be read") as missing:
        _evaluate(str(tmp_path / "nowhere.csv"))
    assert missing.value.returncode == 2
    with pytest.raises(CommandError, match="not UTF-8"):
        _evaluate(_csv(tmp_path, "text,label\ncafé,ham\n", encoding="latin-1"))
    with pytest.raises(CommandError, match="no version ready"):
        _evaluate(_csv(tmp_path, "text,label\nhello,ham\n"))


@pytest.mark.sqlite_site
def test_rostra_filter_train_in_its_own_process(tmp_path):
    """`rostra filter train` (what the worker runs in a child process) on a site with no
    decisions yet: a learning version, said so, exit 0."""
    data_dir = Path(tempfile.mkdtemp(dir=tmp_path))
    migrated_sqlite_site(data_dir)
    env = child_environment(ROSTRA_DATA_DIR=str(data_dir), EMAIL_URL="dummy:")
    done = run_rostra(env, "filter", "train", timeout=120)
    assert "Version 1 trained on 0 ham, 0 spam, 0 abuse" in done.stdout
    assert "Learning" in done.stdout


@pytest.mark.sqlite_site
def test_the_serving_process_never_imports_scikit_learn(tmp_path):
    """Scoring is pure Python: after loading every URL and app hook and scoring a comment,
    numpy, scipy and scikit-learn are not in the process (their 120 MB stay out)."""
    code = (
        "import sys, django; django.setup(); import rostra.config.urls; "
        "from rostra.spamfilter.scoring import Scorer; "
        "from rostra.spamfilter.features import Signals, hashed; hashed('Buy now', Signals()); "
        "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))"
    )
    env = child_environment(ROSTRA_DATA_DIR=str(tmp_path), EMAIL_URL="dummy:")
    env["DJANGO_SETTINGS_MODULE"] = "rostra.config.settings"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stderr


def _moderator(django_user_model, *, allowed=True):
    user = django_user_model.objects.create_user("mod", password="x", is_staff=True)
    permission = Permission.objects.get
    user.user_permissions.add(
        permission(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    if allowed:
        user.user_permissions.add(
            permission(codename="change_comment", content_type__app_label="discussion")
        )
    return user


def test_the_admin_page_shows_quality_trade_off_and_last_week(trained, client, django_user_model):
    """Moderators see the current version's held-out figures, the confusion matrix, the
    trade-off in words and how many of last week's comments it would hold."""
    from rostra.discussion.testing import post

    post(trained_thread(), body="Buy cheap v1agra pills https://cheap-pills.example/a")
    client.force_login(_moderator(django_user_model))
    html = client.get("/admin/spam-filter/").content.decode()
    assert "Version 1: Scoring" in html
    assert "Confusion matrix" in html
    assert "At this setting:" in html
    assert "this version would have held <strong>1</strong>" in html


def trained_thread():
    from rostra.discussion.models import Thread

    return Thread.objects.first()


def test_train_now_from_the_admin(
    trained, client, django_user_model, django_capture_on_commit_callbacks
):
    """The button queues a training after the commit; the worker (here at once) trains
    a new version, listed with why it was trained in words, not its code."""
    client.force_login(_moderator(django_user_model))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/spam-filter/train/", follow=True)
    assert response.status_code == 200
    assert FilterModel.objects.first().version == 2
    assert FilterModel.objects.first().trigger == "admin"
    html = client.get("/admin/spam-filter/").content.decode()
    assert "<td>the admin&#x27;s Train now button</td>" in html


def test_only_moderators_see_the_page_or_train(trained, client, django_user_model):
    """Staff without the moderation permission are refused (Wagtail sends them back to
    the dashboard) and cannot start a training."""
    client.force_login(_moderator(django_user_model, allowed=False))
    page = client.get("/admin/spam-filter/")
    assert page.status_code in (302, 403) and b"Confusion" not in page.content
    assert client.post("/admin/spam-filter/train/").status_code in (302, 403)
    assert FilterModel.objects.count() == 1


def test_the_trade_off_counts_held_comments_in_proper_plurals():
    """With no legitimate comment among those held, the line says so in a singular and
    a plural of its own."""
    from rostra.spamfilter.selectors import _one_in

    assert _one_in(1, 0) == "the 1 held comment was not legitimate"
    assert _one_in(3, 0) == "none of the 3 held comments were legitimate"
