"""Donors' e-mail addresses as they are matched (see `services.donors`)."""


def email_key(email: str) -> str:
    """The address as matched: case-folded, `+tag` dropped (`A+x@Example.org` →
    `a@example.org`); "" for anything that is not an address."""
    local, _, domain = (email or "").strip().casefold().rpartition("@")
    local = local.split("+", 1)[0]
    if not local or not domain or "@" in local:
        return ""
    return f"{local}@{domain}"
