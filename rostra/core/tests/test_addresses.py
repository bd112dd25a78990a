"""Client addresses are kept only as keyed hashes, IPv6 by its /64 network."""

import pytest

from rostra.core.addresses import hash_ip, rate_limit_network


def test_ipv4_addresses_are_counted_one_by_one():
    """Two IPv4 neighbours are two clients."""
    assert rate_limit_network("203.0.113.7") == "203.0.113.7"
    assert hash_ip("203.0.113.7") != hash_ip("203.0.113.8")


def test_ipv6_addresses_are_counted_by_their_64_network():
    """A subscriber gets a whole /64: every address in it is one client."""
    assert rate_limit_network("2001:db8:1:2::7") == "2001:db8:1:2::/64"
    assert hash_ip("2001:db8:1:2::7") == hash_ip("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert hash_ip("2001:db8:1:2::7") != hash_ip("2001:db8:1:3::7")


def test_ipv4_mapped_ipv6_is_the_ipv4_address():
    assert hash_ip("::ffff:203.0.113.7") == hash_ip("203.0.113.7")


def test_hash_is_keyed_and_hides_the_address(settings):
    """Without the secret key the hash cannot be matched to an address."""
    first = hash_ip("203.0.113.7")
    assert "203.0.113" not in first and len(first) == 32
    settings.SECRET_KEY = "another key entirely, for another site"
    assert hash_ip("203.0.113.7") != first


@pytest.mark.parametrize("missing", ["", None])
def test_no_address_gives_no_hash(missing):
    assert hash_ip(missing) == ""


def test_something_that_is_not_an_address_is_hashed_as_it_is():
    """A proxy may pass on garbage; it is still never stored in clear."""
    assert rate_limit_network("unknown") == "unknown"
    assert hash_ip("unknown") not in ("", "unknown")


def test_the_hash_is_hmac_sha256_under_the_purposes_key(settings):
    """The hash stays what it was (hashes already stored keep matching): HMAC-SHA256
    under sha256("ip:" + SECRET_KEY), of the address or its /64 network."""
    import hashlib
    import hmac

    key = hashlib.sha256(f"ip:{settings.SECRET_KEY}".encode()).digest()
    network = "2001:db8:1:2::/64"
    assert hash_ip("2001:db8:1:2::7") == hmac.new(key, network.encode(), "sha256").hexdigest()[:32]
