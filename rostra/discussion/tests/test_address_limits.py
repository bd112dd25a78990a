"""The per-address comment limit counts an IPv6 /64 as one address."""

import pytest

from rostra.discussion.models import Comment

pytestmark = pytest.mark.django_db


def _post_from(client, article, address, body):
    return client.post(
        f"/comments/articles/{article.pk}/post/",
        {"name": "Ana", "body": body},
        REMOTE_ADDR=address,
    )


def test_rotating_addresses_within_one_ipv6_64_does_not_escape_the_limit(
    client, django_user_model, article, settings
):
    """Each guest is new (no cookie), so only the address ties the posts together."""
    settings.COMMENT_RATE_LIMIT = (2, 60)
    for n, address in enumerate(["2001:db8:7:1::1", "2001:db8:7:1::2"]):
        client.cookies.clear()
        assert _post_from(client, article, address, f"Post {n}").status_code == 302
    client.cookies.clear()
    refused = _post_from(client, article, "2001:db8:7:1:abcd::99", "Third from the same /64")
    assert refused.status_code == 429
    client.cookies.clear()
    elsewhere = _post_from(client, article, "2001:db8:7:2::1", "From another network")
    assert elsewhere.status_code == 302
    assert Comment.objects.count() == 3
