"""The one place that reads the process environment.

Every variable Rostra understands is declared in `VARIABLES` with its default and a
line of help; reading an undeclared name is a programming error. A test checks that
README documents each declared variable and that no other module reads `os.environ`.
"""

import os
from dataclasses import dataclass
from pathlib import Path

SETTINGS_MODULE = "rostra.config.settings"


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        Variable(
            "ROSTRA_DATA_DIR",
            "./var",
            "Directory for the SQLite database, uploaded media, collected static files "
            "and the generated secret key.",
        ),
        Variable(
            "DATABASE_URL",
            "",
            "Database connection URL. Empty: SQLite file `rostra.sqlite3` in the data "
            "directory. `postgres://user:password@host:5432/name` for PostgreSQL.",
        ),
        Variable(
            "ROSTRA_DB_POOL_SIZE",
            "8",
            "PostgreSQL only: most connections each process keeps in its pool (it keeps at "
            "least 2 open, or this many if fewer).",
        ),
        Variable(
            "CACHE_URL",
            "db:",
            "Cache shared by every process (rate limits, discussion settings): `db:` (a "
            "table in the database), `redis://host:6379/0` (`rediss://` for TLS) or "
            "`locmem:` (one process only).",
        ),
        Variable(
            "SECRET_KEY",
            "",
            "Django's signing key. Empty: generated once and kept in "
            "`$ROSTRA_DATA_DIR/secret_key`.",
        ),
        Variable(
            "SECRET_KEY_FALLBACKS",
            "",
            "Comma-separated earlier signing keys, still accepted while you rotate "
            "`SECRET_KEY`: links already sent keep working and two-factor secrets stay "
            "readable. Remove them once the new key has been in use for a while.",
        ),
        Variable(
            "ALLOWED_HOSTS",
            "",
            "Comma-separated host names the site answers to, in addition to the host of "
            "ROSTRA_BASE_URL, `localhost` and `127.0.0.1`.",
        ),
        Variable("DEBUG", "false", "Django debug mode. Never on in production."),
        Variable(
            "ROSTRA_BASE_URL",
            "http://127.0.0.1:8000",
            "Public address of the site, used in e-mails, feeds and the admin. With "
            "`https://`, cookies are secure and HSTS and the HTTPS redirect are on.",
        ),
        Variable(
            "ROSTRA_TRUSTED_PROXIES",
            "",
            "Addresses or networks of the reverse proxies and load balancers in front of "
            "`rostra serve`, comma-separated (`127.0.0.1`, `10.0.0.0/24`, `fd00::/8`). "
            "Only their X-Forwarded-For and X-Forwarded-Proto are believed. Empty: "
            "forwarded headers are ignored and the connecting address is the reader's.",
        ),
        Variable(
            "EMAIL_URL",
            "console:",
            "Outgoing mail: `console:`, `smtp://user:pass@host:25`, "
            "`smtp+tls://…:587` (STARTTLS), `smtps://…:465` (implicit TLS), "
            "`file:///path`, `memory:` or `dummy:`.",
        ),
        Variable(
            "DEFAULT_FROM_EMAIL",
            "",
            "Sender address of outgoing mail. Empty: `noreply@` and the host of ROSTRA_BASE_URL.",
        ),
        Variable("ROSTRA_SITE_NAME", "Rostra", "Name of the newsroom, shown in pages and mail."),
        Variable(
            "ROSTRA_SOURCE_URL",
            "",
            "Where the footer's source-code link points (AGPL section 13). Empty: the "
            "site offers the source of the code it runs at /source.tar.gz.",
        ),
        Variable("TIME_ZONE", "UTC", "Time zone for dates shown to readers and editors."),
        Variable(
            "LANGUAGE_CODE",
            "en",
            "Language of the site's pages, e-mails and feeds: `en`, `de`, `es`, `ru` or `ar` "
            "(right to left).",
        ),
        Variable(
            "ROSTRA_READER_LANGUAGE",
            "false",
            "true: each reader gets the pages in their browser's language (Accept-Language) "
            "when it is one of the supported languages, else LANGUAGE_CODE's.",
        ),
        Variable(
            "ROSTRA_LOCALE",
            "en_US",
            "Locale for money amounts (e.g. `de_DE` shows “2.500 $”).",
        ),
        Variable(
            "ROSTRA_ADMINS",
            "",
            "Who gets an e-mail with the traceback of every server error (500), "
            "comma-separated: `Ada <ada@example.org>, ops@example.org`. Empty: nobody.",
        ),
        Variable(
            "ROSTRA_METRICS_TOKEN",
            "",
            "Token Prometheus sends (`Authorization: Bearer …`) to read `/metrics`. "
            "Empty: `/metrics` answers 404.",
        ),
        Variable(
            "SENTRY_DSN",
            "",
            "Sentry (or compatible) project address for error reports; needs the "
            "`sentry` extra. Empty: no reports are sent.",
        ),
        Variable(
            "LOG_LEVEL", "INFO", "Level of the log written to standard error (DEBUG … ERROR)."
        ),
        Variable(
            "ROSTRA_SOCIAL_PROVIDERS",
            "",
            "Sign-in through other services for readers, comma-separated "
            "`provider:client_id:secret` (django-allauth provider names, e.g. `github`, "
            "`google`). Empty: e-mail sign-in only.",
        ),
        Variable(
            "ROSTRA_STAFF_REQUIRE_2FA",
            "false",
            "true: staff accounts must set up two-factor sign-in (an authenticator app) "
            "before they can use the admin or their staff powers on the site.",
        ),
        Variable(
            "ROSTRA_STRIPE_SECRET_KEY",
            "",
            "Stripe secret key for card gifts through Stripe Checkout (`sk_test_…` for "
            "test mode, `sk_live_…`). Empty: the card channel says card gifts are off.",
        ),
        Variable(
            "ROSTRA_STRIPE_API_BASE",
            "https://api.stripe.com",
            "Address of the Stripe API; point it at a Stripe mock server for testing.",
        ),
        Variable(
            "ROSTRA_STRIPE_WEBHOOK_SECRET",
            "",
            "Signing secret of the Stripe webhook endpoint (`whsec_…`) for "
            "`/funding/webhooks/stripe/`. Empty: Stripe events are refused.",
        ),
        Variable(
            "ROSTRA_BTCPAY_URL",
            "",
            "Address of the outlet's BTCPay Server, e.g. `https://pay.example.org`.",
        ),
        Variable(
            "ROSTRA_BTCPAY_API_KEY",
            "",
            "BTCPay Greenfield API key allowed to view invoices (to read a settled "
            "invoice's amount).",
        ),
        Variable(
            "ROSTRA_BTCPAY_WEBHOOK_SECRET",
            "",
            "Secret of the BTCPay webhook pointing at `/funding/webhooks/btcpay/`. "
            "Empty: BTCPay events are refused.",
        ),
        Variable(
            "ROSTRA_KOFI_VERIFICATION_TOKEN",
            "",
            "Verification token of the Ko-fi webhook pointing at `/funding/webhooks/kofi/`. "
            "Empty: Ko-fi events are refused.",
        ),
        Variable(
            "ROSTRA_PATREON_WEBHOOK_SECRET",
            "",
            "Secret of the Patreon webhook pointing at `/funding/webhooks/patreon/`. "
            "Empty: Patreon events are refused.",
        ),
        Variable(
            "ROSTRA_PAYPAL_IPN_VERIFY_URL",
            "https://ipnpb.paypal.com/cgi-bin/webscr",
            "Where PayPal IPN messages are sent back for verification "
            "(`https://ipnpb.sandbox.paypal.com/cgi-bin/webscr` for the sandbox).",
        ),
        Variable(
            "ROSTRA_PAYPAL_RECEIVER_EMAIL",
            "",
            "E-mail address of the outlet's PayPal account (comma-separated: the primary "
            "and any secondary address a donate button uses). Only IPN messages of money "
            "received by it are booked. Empty (and no merchant id): IPNs are refused.",
        ),
        Variable(
            "ROSTRA_PAYPAL_MERCHANT_ID",
            "",
            "Merchant account id of the outlet's PayPal account; when set, IPN messages "
            "must name it as `receiver_id` as well.",
        ),
        Variable(
            "ROSTRA_COMMENT_RATE_LIMIT",
            "5/60",
            "Comments one reader (and one IP address) may post per number of seconds.",
        ),
        Variable(
            "ROSTRA_COMMENT_MIN_SECONDS",
            "3",
            "Seconds a comment form must be open before it is accepted (slows down bots).",
        ),
        Variable(
            "ROSTRA_MODERATION_WEBHOOK_URL",
            "",
            "Optional: a URL that is sent a JSON POST (Slack- and Matrix-compatible "
            "`text`, plus structured fields) when a comment is held or reported.",
        ),
        Variable(
            "ROSTRA_PUBLIC_PAGE_SECONDS",
            "60",
            "How long a caching proxy or CDN may keep a page served to a reader without "
            "cookies (Cache-Control s-maxage; browsers revalidate every time).",
        ),
    ]
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get(name: str) -> str:
    """Return the value of a declared variable, or its default when unset or empty."""
    variable = VARIABLES[name]
    value = os.environ.get(name, "").strip()
    return value or variable.default


def get_bool(name: str) -> bool:
    value = get(name).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def get_list(name: str) -> list[str]:
    return [item.strip() for item in get(name).split(",") if item.strip()]


def get_path(name: str) -> Path:
    return Path(get(name)).expanduser().resolve()


def use_default_settings_module() -> None:
    """Point Django at Rostra's settings unless the caller chose others."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)


def child_environment(**variables: str) -> dict[str, str]:
    """This process's environment without Rostra's variables and settings module, plus
    `variables`: for starting a `rostra` process configured by the caller alone."""
    clean = {
        k: v for k, v in os.environ.items() if k not in VARIABLES and k != "DJANGO_SETTINGS_MODULE"
    }
    return {**clean, **variables}
