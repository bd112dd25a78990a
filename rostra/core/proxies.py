"""Which peers may say who the reader is: ROSTRA_TRUSTED_PROXIES.

`rostra serve` believes X-Forwarded-For and X-Forwarded-Proto only from the proxies
listed there; uvicorn's ProxyHeadersMiddleware applies them. From any other peer they
are ignored, and noticed: a proxy missing from the list makes every reader behind it
one address (one comment limit for all) and an https site redirect to itself for ever.
The notice is logged and kept in a small file of the data directory, where
`rostra check --deploy` finds it (rostra.W005). Neither holds the address in clear.
"""

import asyncio
import ipaddress
import json
import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from rostra.core.addresses import hash_ip

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = frozenset({b"x-forwarded-for", b"x-forwarded-proto"})
# A proxy left off the list sends forwarded headers with every request: say so in the
# log once an hour, and refresh the record for the deploy check once a minute.
LOG_EVERY_SECONDS = 3600
RECORD_EVERY_SECONDS = 60
RECORD_NAME = "untrusted-forwarding.json"


def parse_trusted_proxies(values: list[str]) -> list[Network]:
    """The networks of ROSTRA_TRUSTED_PROXIES (a single address is its own /32 or
    /128); ValueError with a message for the operator on anything else."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value))
        except ValueError:
            raise ValueError(_refusal(value)) from None
    return networks


def _refusal(value: str) -> str:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return (
            f"ROSTRA_TRUSTED_PROXIES: {value!r} is not an IP address or network "
            "(e.g. 127.0.0.1, 10.0.0.0/24, fd00::/8)."
        )
    return (
        f"ROSTRA_TRUSTED_PROXIES: {value!r} has bits set after the prefix length; "
        f"the network is {network}."
    )


class TrustedProxiesGate:
    """ASGI middleware in front of Rostra's application: forwarded headers applied from
    trusted proxies (by uvicorn's own middleware), noticed from anyone else.

    `rostra serve` composes uvicorn's middleware here instead of through uvicorn's
    Config(forwarded_allow_ips=...), which would put it outside every application
    middleware: the peer it replaces is what this gate needs to see.
    """

    def __init__(self, app, trusted: list[Network]):
        self.trusted = trusted
        self.app = (
            ProxyHeadersMiddleware(app, trusted_hosts=[str(network) for network in trusted])
            if trusted
            else app
        )
        self._logged_at: float | None = None
        self._recorded_at: float | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope = _without_ipv4_mapping(scope)
            if self._forwarded_by_stranger(scope):
                await self._notice(scope["client"][0])
        await self.app(scope, receive, send)

    def _forwarded_by_stranger(self, scope) -> bool:
        if not any(name in FORWARDED_HEADERS for name, _value in scope.get("headers", ())):
            return False
        peer = (scope.get("client") or ("",))[0]
        return bool(peer) and not is_trusted(peer, self.trusted)

    async def _notice(self, peer: str) -> None:
        now = time.monotonic()
        if self._logged_at is None or now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(
                "Ignored X-Forwarded-For/X-Forwarded-Proto from client %s (%s), which is "
                "not in ROSTRA_TRUSTED_PROXIES. If it is your proxy or load balancer, add "
                "its address: until then every reader behind it counts as that one address.",
                hash_ip(peer),
                address_kind(peer),
            )
        if self._recorded_at is None or now - self._recorded_at >= RECORD_EVERY_SECONDS:
            self._recorded_at = now
            await asyncio.to_thread(record_untrusted_forwarding, peer)


def _without_ipv4_mapping(scope: dict) -> dict:
    """On a dual-stack socket (listening on `::`) an IPv4 peer arrives as ::ffff:a.b.c.d:
    give it back its IPv4 form, so that it matches the IPv4 networks an operator lists as
    proxies (uvicorn's matching does not map them) and is one address everywhere."""
    client = scope.get("client")
    if not client:
        return scope
    try:
        mapped = ipaddress.ip_address(client[0])
    except ValueError:
        return scope
    if isinstance(mapped, ipaddress.IPv6Address) and mapped.ipv4_mapped is not None:
        return {**scope, "client": (str(mapped.ipv4_mapped), *client[1:])}
    return scope


def is_trusted(peer: str, trusted: list[Network]) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in trusted)


def address_kind(peer: str) -> str:
    """What sort of address `peer` is, for the operator, without saying which one."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return "not an IP address"
    if address.is_loopback:
        return "loopback"
    return "private network" if address.is_private else "public address"


def _record_path() -> Path:
    return Path(settings.DATA_DIR) / RECORD_NAME


def record_untrusted_forwarding(peer: str) -> None:
    """Keep the latest notice for the deploy check; never fail the request over it."""
    record = {
        "seen_at": timezone.now().isoformat(timespec="seconds"),
        "client": hash_ip(peer),
        "kind": address_kind(peer),
    }
    path = _record_path()
    try:
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as scratch:
            json.dump(record, scratch)
        os.replace(scratch.name, path)
    except OSError:
        logger.warning("Could not write %s", path, exc_info=True)


def untrusted_forwarding_seen() -> dict | None:
    """The latest notice since `rostra serve` started, or None."""
    try:
        return json.loads(_record_path().read_text())
    except (OSError, ValueError):
        return None


def forget_untrusted_forwarding() -> None:
    """Start afresh: `rostra serve` calls this as it starts, with its new settings."""
    _record_path().unlink(missing_ok=True)
