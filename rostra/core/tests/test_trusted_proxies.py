"""ROSTRA_TRUSTED_PROXIES: forwarded headers believed from the listed proxies only.

The gate is `rostra serve`'s own ASGI front (uvicorn's ProxyHeadersMiddleware inside);
here it is called directly with the scope uvicorn would give it. test_serve_process
and test_deploy_nginx check the same through real `rostra serve` processes.
"""

import asyncio
import json
import logging
import socket

import pytest
from django.core.checks import run_checks

from rostra.core.addresses import hash_ip
from rostra.core.proxies import (
    TrustedProxiesGate,
    forget_untrusted_forwarding,
    parse_trusted_proxies,
    untrusted_forwarding_seen,
)
from rostra.core.tests.test_health_and_checks import _rostra_ids
from rostra.core.tests.test_runtime import _rostra


def _seen_by_rostra(trusted: str, peer: str, headers: dict[str, str]) -> tuple[str, str]:
    """(client address, scheme) Rostra's application sees for one request from `peer`."""
    seen = {}

    async def application(scope, receive, send):
        seen.update(client=scope["client"][0], scheme=scope["scheme"])

    trusted_list = [value for value in trusted.split(",") if value]
    gate = TrustedProxiesGate(application, parse_trusted_proxies(trusted_list))
    scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 50000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(gate(scope, None, None))
    return seen["client"], seen["scheme"]


FORWARDED = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_addresses_and_networks_are_accepted():
    assert [str(n) for n in parse_trusted_proxies(["10.0.0.5", "10.1.0.0/16", "fd00::/8"])] == [
        "10.0.0.5/32",
        "10.1.0.0/16",
        "fd00::/8",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("proxy.example.org", "'proxy.example.org' is not an IP address or network"),
        ("*", "'*' is not an IP address or network"),
        ("10.0.0.5/24", "the network is 10.0.0.0/24"),
    ],
)
def test_anything_else_is_refused_with_a_message(value, message):
    with pytest.raises(ValueError, match=message):
        parse_trusted_proxies(["127.0.0.1", value])


def test_a_listed_proxy_gives_the_readers_address_and_scheme(data_dir):
    """The reader is the last address the trusted proxies did not add themselves."""
    assert _seen_by_rostra("10.0.0.0/24", "10.0.0.9", FORWARDED) == ("198.51.100.7", "https")
    chain = {"X-Forwarded-For": "192.0.2.1, 198.51.100.7, 10.0.0.3"}
    assert _seen_by_rostra("10.0.0.0/24", "10.0.0.9", chain) == ("198.51.100.7", "http")
    assert untrusted_forwarding_seen() is None


def test_a_proxy_seen_through_a_dual_stack_socket_is_still_trusted(data_dir):
    """Listening on `::`, an IPv4 proxy's connection arrives as ::ffff:10.0.0.9; it is the
    same proxy, and the address the application sees without one is the IPv4 form."""
    assert _seen_by_rostra("10.0.0.0/24", "::ffff:10.0.0.9", FORWARDED) == (
        "198.51.100.7",
        "https",
    )
    assert untrusted_forwarding_seen() is None
    assert _seen_by_rostra("", "::ffff:192.0.2.4", {}) == ("192.0.2.4", "http")


def test_without_trusted_proxies_forwarded_headers_are_ignored_even_from_loopback(data_dir):
    assert _seen_by_rostra("", "127.0.0.1", FORWARDED) == ("127.0.0.1", "http")


def test_forwarded_headers_from_an_unlisted_peer_are_ignored_logged_and_recorded(data_dir, caplog):
    """The log and the record name the peer by its keyed hash, never in clear."""
    with caplog.at_level(logging.WARNING, logger="rostra.core.proxies"):
        assert _seen_by_rostra("10.0.0.0/24", "10.9.8.7", FORWARDED) == ("10.9.8.7", "http")
    assert hash_ip("10.9.8.7") in caplog.text
    assert "ROSTRA_TRUSTED_PROXIES" in caplog.text
    assert "10.9.8.7" not in caplog.text
    record = untrusted_forwarding_seen()
    assert record["client"] == hash_ip("10.9.8.7")
    assert record["kind"] == "private network"
    assert "10.9.8.7" not in json.dumps(record)
    forget_untrusted_forwarding()
    assert untrusted_forwarding_seen() is None


def test_requests_without_forwarded_headers_are_not_noticed(data_dir, caplog):
    with caplog.at_level(logging.WARNING, logger="rostra.core.proxies"):
        assert _seen_by_rostra("", "203.0.113.4", {}) == ("203.0.113.4", "http")
    assert caplog.text == ""
    assert untrusted_forwarding_seen() is None


def test_deploy_check_flags_forwarded_headers_from_an_unlisted_peer(data_dir, settings):
    settings.TRUSTED_PROXIES = []
    assert "rostra.W005" not in _rostra_ids()
    _seen_by_rostra("", "127.0.0.1", FORWARDED)
    assert "rostra.W005" in _rostra_ids()


def test_deploy_check_flags_an_https_site_without_trusted_proxies(data_dir, settings):
    """`rostra serve` speaks plain HTTP: an https site's proxy must be trusted."""
    settings.USES_HTTPS = True
    settings.TRUSTED_PROXIES = []
    assert "rostra.W005" in _rostra_ids()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert "rostra.W005" not in _rostra_ids()


def test_a_bad_value_is_a_check_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    errors = [m for m in run_checks() if m.id == "rostra.E001"]
    assert len(errors) == 1
    assert "'10.0.0.0/33' is not an IP address or network" in errors[0].msg


@pytest.mark.database_independent  # refused before any database is opened
def test_serve_refuses_a_bad_value_with_a_message_not_a_traceback(tmp_path):
    """Refused before anything else (a taken port keeps a serve that went further from
    serving for ever)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = _rostra(
            "serve",
            "--no-worker",
            "--port",
            str(taken.getsockname()[1]),
            extra_env={
                "ROSTRA_DATA_DIR": str(tmp_path),
                "ROSTRA_TRUSTED_PROXIES": "lb.internal",
            },
        )
    assert result.returncode != 0
    assert "'lb.internal' is not an IP address or network" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "rostra.sqlite3").exists(), "refused before migrating"
