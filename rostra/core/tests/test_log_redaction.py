"""Credentials in addresses never reach a log line."""

import logging

import pytest

from rostra.core.log_redaction import RedactSecretsFilter, redact_secrets


@pytest.mark.parametrize(
    ("address", "logged"),
    [
        ("/notifications/confirm/MQ:1tAbc:xyz/", "/notifications/confirm/[redacted]/"),
        ("/notifications/manage/abc/?next=/", "/notifications/manage/[redacted]/?next=/"),
        ("/accounts/confirm-email/MQ:1t:x/", "/accounts/confirm-email/[redacted]/"),
        ("/accounts/password/reset/key/1-abc-def/", "/accounts/password/reset/key/[redacted]/"),
        ("/x/MQ%3A1tAbc%3Axyz/", "/x/[redacted]/"),
        ("/feed/?token=abc&page=2", "/feed/?token=[redacted]&page=2"),
        ("/world/harbour-road-closes/?page=2", "/world/harbour-road-closes/?page=2"),
        ("/comments/articles/4/sort/newest/", "/comments/articles/4/sort/newest/"),
    ],
)
def test_tokens_are_redacted_and_ordinary_addresses_kept(address, logged):
    """Signed segments, token routes and secret parameters go; slugs, ids, pages stay."""
    assert redact_secrets(address) == logged


def test_the_logging_filter_redacts_message_arguments():
    """Django's "Not Found: %s" warning passes the path as an argument."""
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s",
        ("/notifications/unsubscribe/MQ:1t:sig/",), None,
    )  # fmt: skip
    assert RedactSecretsFilter().filter(record)
    assert record.getMessage() == "Not Found: /notifications/unsubscribe/[redacted]/"
