"""Builders for discussion tests."""

from itertools import count

from rostra.discussion import services
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.services import Policy

_guests = count(1)

# Tests post faster than any rate limit and without waiting for the form clock.
TEST_POLICY = Policy(rate_limit=(10_000, 60), min_submit_seconds=0)


def guest(name: str = "", *, ip_hash: str = "") -> Viewer:
    n = next(_guests)
    return Viewer(key=guest_key(f"guest-{n}-{name}"), ip_hash=ip_hash or f"ip-{n}")


def staff() -> Viewer:
    return Viewer(key="u:999999", user_id=999999, is_staff=True, display_name="Editor")


def post(thread, viewer=None, body="A comment.", *, name="Reader", policy=TEST_POLICY, **kwargs):
    return services.comment_post(
        thread=thread,
        viewer=viewer or guest(name),
        policy=policy,
        body=body,
        name=name,
        **kwargs,
    )
