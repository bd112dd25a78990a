"""Readers can have accounts (django-allauth) and comment under them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from rostra.discussion.models import Comment

pytestmark = pytest.mark.django_db


def test_reader_signs_up_and_comments_under_their_name(client, article):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.org",
            "username": "ana_r",
            "display_name": "Ana Ribeiro",
            "password1": "a long harbour passphrase",
            "password2": "a long harbour passphrase",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="ana@example.org")
    html = client.get(article.url).content.decode()
    assert "Commenting as <strong>Ana Ribeiro</strong>" in html
    assert 'name="name"' not in html.split('id="composer"')[1].split("</form>")[0]

    client.post(f"/comments/articles/{article.pk}/post/", {"body": "Signed in comment"})
    comment = Comment.objects.get()
    assert (comment.user, comment.author_name, comment.author_key) == (
        user,
        "Ana Ribeiro",
        f"u:{user.pk}",
    )


def test_reader_signs_in_with_a_code_sent_by_email(client):
    get_user_model().objects.create_user("bea", "bea@example.org", "unused password 123")
    client.post("/accounts/login/code/", {"email": "bea@example.org"})
    assert [m.to for m in mail.outbox] == [["bea@example.org"]], "a sign-in code is e-mailed"
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "bea"


def test_sign_in_can_be_required_for_comments(client, article, home):
    from rostra.discussion.models import DiscussionSettings

    DiscussionSettings.objects.update_or_create(
        site_id=home.get_site().pk, defaults={"require_sign_in": True}
    )
    html = client.get(article.url).content.decode()
    assert "to comment." in html and 'id="composer"' not in html
    response = client.post(
        f"/comments/articles/{article.pk}/post/", {"body": "Guest try", "name": "G"}
    )
    assert response.status_code == 403
    assert "Please sign in to comment." in response.content.decode()
    assert not Comment.objects.exists()
