"""Who a request comes from is worked out once per request (`viewer_from_request`)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from rostra.discussion.identity import GUEST_COOKIE, viewer_from_request

pytestmark = pytest.mark.django_db


def a_request():
    request = RequestFactory().post("/api/comments/1/vote")
    request.user = AnonymousUser()
    return request


def test_a_request_makes_its_viewer_once():
    """Asking again in the same request (the policy, the access rule, the view) gives
    the same Viewer, made once; a guest without a cookie is None until one is asked
    to be created, and then the same new guest (one key, one cookie to send)."""
    request = a_request()
    assert viewer_from_request(request) is None
    created = viewer_from_request(request, create_guest=True)
    assert created.guest_token
    assert viewer_from_request(request) is created
    assert viewer_from_request(request, create_guest=True) is created


def test_a_returning_guest_is_made_once_per_request():
    """A guest with a cookie: one Viewer for the whole request."""
    request = a_request()
    request.COOKIES[GUEST_COOKIE] = "not signed"  # unreadable: treated as no cookie
    first = viewer_from_request(request, create_guest=True)
    assert viewer_from_request(request, create_guest=True) is first


def test_signing_in_during_a_request_makes_a_new_viewer(django_user_model):
    """The kept Viewer belongs to the account it was made for: after signing in within
    the same request the reader is their account, not the guest they were."""
    request = a_request()
    guest = viewer_from_request(request, create_guest=True)
    request.user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    signed_in = viewer_from_request(request)
    assert signed_in.key == f"u:{request.user.pk}" != guest.key
    assert viewer_from_request(request) is signed_in
