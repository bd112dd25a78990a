"""Sign-up asks for a display name, and comments then show it."""

import pytest
from django.contrib.auth import get_user_model

from rostra.discussion.identity import viewer_from_request

pytestmark = pytest.mark.django_db


def _sign_up(client, **overrides):
    data = {
        "email": "ana@example.org",
        "username": "reader1",
        "display_name": "  Ana   Ribeiro ",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_sign_up_asks_for_the_name_shown_with_comments(client, home, rf):
    """The form has a Display name field; the name is kept (spaces tidied) as the
    reader's full name, which comments show instead of the user name."""
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="display_name"' in html and "Display name" in html
    assert _sign_up(client).status_code == 302
    user = get_user_model().objects.get(username="reader1")
    assert user.get_full_name() == "Ana Ribeiro"
    request = rf.get("/")
    request.user = user
    assert viewer_from_request(request).display_name == "Ana Ribeiro"


def test_sign_up_without_a_display_name_is_refused_with_a_reason(client, home):
    response = _sign_up(client, display_name="   ")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not get_user_model().objects.filter(username="reader1").exists()
