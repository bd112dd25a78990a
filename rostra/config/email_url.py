"""Turn EMAIL_URL into Django's e-mail settings."""

from urllib.parse import parse_qs, unquote, urlsplit

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_SMTP_SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}


def parse_email_url(url: str) -> dict:
    """Return EMAIL_* settings for `url`; raise ValueError naming what is wrong."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _SMTP_SCHEMES:
        if not parts.hostname:
            raise ValueError(f"EMAIL_URL {scheme}:// needs a host name")
        use_tls, use_ssl = _SMTP_SCHEMES[scheme]
        query = parse_qs(parts.query)
        timeout = query.get("timeout", ["10"])[0]
        return {
            "EMAIL_BACKEND": _BACKENDS["smtp"],
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": use_tls,
            "EMAIL_USE_SSL": use_ssl,
            "EMAIL_TIMEOUT": int(timeout),
        }
    if scheme == "file":
        if not parts.path:
            raise ValueError("EMAIL_URL file:// needs a directory, e.g. file:///var/mail")
        return {"EMAIL_BACKEND": _BACKENDS["file"], "EMAIL_FILE_PATH": unquote(parts.path)}
    if scheme in ("console", "memory", "dummy"):
        return {"EMAIL_BACKEND": _BACKENDS[scheme]}
    raise ValueError(
        f"EMAIL_URL scheme {scheme!r} is not supported; use console:, smtp://, "
        "smtp+tls://, smtps://, file://, memory: or dummy:"
    )
