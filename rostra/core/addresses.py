"""Client addresses, which Rostra keeps only as keyed hashes.

Rate limits, the comment table and the access log see `hash_ip()`, never an address
in clear. IPv6 addresses are reduced to their /64 network first: a subscriber is
normally given a whole /64, so counting single IPv6 addresses would let one machine
step round every per-address limit by changing its address.
"""

import functools
import hashlib
import hmac
import ipaddress

from django.conf import settings

IPV6_NETWORK_PREFIX = 64
# Addresses whose hash a process keeps (in memory only: a request carries its address
# anyway); a reader's requests each hash theirs several times (limits, log, comment).
HASHES_KEPT = 1024


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of `value` under a key derived from SECRET_KEY and `purpose`."""
    return _keyed_hash(value, purpose, settings.SECRET_KEY)


def _keyed_hash(value: str, purpose: str, secret: str) -> str:
    return hmac.digest(_key(purpose, secret), value.encode(), "sha256").hex()


@functools.lru_cache(maxsize=32)
def _key(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{secret}".encode()).digest()


def rate_limit_network(ip: str) -> str:
    """The unit a limit counts: an IPv4 address itself, an IPv6 address's /64 network.

    IPv4-mapped IPv6 addresses count as their IPv4 address; anything that is not an
    address is returned unchanged (it is hashed all the same).
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_NETWORK_PREFIX), strict=False))
    return str(address)


def hash_ip(ip: str | None) -> str:
    """The keyed hash Rostra keeps instead of an address ("" for no address)."""
    return _hash_ip(ip, settings.SECRET_KEY) if ip else ""


@functools.lru_cache(maxsize=HASHES_KEPT)
def _hash_ip(ip: str, secret: str) -> str:
    return _keyed_hash(rate_limit_network(ip), "ip", secret)[:32]


def client_ip(request) -> str:
    """The peer address; uvicorn has already applied X-Forwarded-For from trusted proxies."""
    return request.META.get("REMOTE_ADDR", "")
