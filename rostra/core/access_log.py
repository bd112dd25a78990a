"""uvicorn's access log, with the client's keyed hash where its address would be, and
signed links' tokens redacted (`log_redaction`).

README promises that IP addresses are kept only as keyed hashes; the log is kept too.
The hash is the one stored with comments (`hash_ip`: an IPv6 client by its /64), so an
operator can still follow one client through the log, or match it to its comments.
"""

import copy

from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter

from rostra.core.addresses import hash_ip
from rostra.core.log_redaction import redact_secrets


def _host(client_addr: str) -> str:
    """`host:port` as uvicorn writes it (IPv6 without brackets) → host."""
    host, separator, _port = client_addr.rpartition(":")
    return host if separator else client_addr


class HashedClientAccessFormatter(AccessFormatter):
    def formatMessage(self, record):
        client_addr, method, full_path, *rest = record.args
        record = copy.copy(record)
        client = f"client {hash_ip(_host(client_addr)) or '-'}"
        record.args = (client, method, redact_secrets(full_path), *rest)
        return super().formatMessage(record)


def uvicorn_log_config() -> dict:
    """uvicorn's own logging configuration with the hashing access formatter."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["access"]["()"] = (
        f"{HashedClientAccessFormatter.__module__}.{HashedClientAccessFormatter.__name__}"
    )
    return config
