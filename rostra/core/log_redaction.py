"""Secrets in addresses kept out of the logs.

Signed links (confirm, unsubscribe, manage, a commenter's private replies feed, allauth's
e-mail confirmation and password reset) are credentials: whoever reads them in a log
could act as the reader. The access log and Django's request warnings write addresses,
so both pass them through `redact_secrets` first.
"""

import logging
import re

REDACTED = "[redacted]"

# A path segment that is a credential: after a route that takes one, or any segment
# holding Django's signing separator (every `signing.dumps` token has a colon).
_TOKEN_ROUTE = re.compile(
    r"(/(?:confirm|unsubscribe|manage|replies|confirm-email|key|act)/)[^/?#\s\"]+", re.IGNORECASE
)
_SIGNED_SEGMENT = re.compile(r"(?<=/)[^/?#\s\"]*(?::|%3A)[^/?#\s\"]*", re.IGNORECASE)
_SECRET_PARAMETER = re.compile(
    r"([?&](?:token|key|code|signature|sig|secret|password)=)[^&#\s\"]*", re.IGNORECASE
)


def redact_secrets(text: str) -> str:
    """`text` with every credential in an address replaced by "[redacted]"."""
    text = _TOKEN_ROUTE.sub(rf"\g<1>{REDACTED}", text)
    text = _SIGNED_SEGMENT.sub(REDACTED, text)
    return _SECRET_PARAMETER.sub(rf"\g<1>{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """Redacts addresses in a record's message arguments (Django's "Not Found: %s")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_secrets(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.msg, str) and not record.args:
            record.msg = redact_secrets(record.msg)
        return True
