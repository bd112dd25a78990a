"""Rostra's Django settings, built from environment variables (see rostra.config.env).

Nothing here is meant to be edited per deployment: set the variables instead.
"""

import sys
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy

from rostra.config import env
from rostra.config.cache_url import parse_cache_url
from rostra.config.data_dir import prepare_data_dir
from rostra.config.email_url import parse_email_url
from rostra.config.secret_key import load_or_create_secret_key
from rostra.core import queues

# The checkout (or unpacked release) Rostra runs from: its `locale/` holds the catalogs.
REPOSITORY_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = prepare_data_dir(env.get_path("ROSTRA_DATA_DIR"))

DEBUG = env.get_bool("DEBUG")
SECRET_KEY = env.get("SECRET_KEY") or load_or_create_secret_key(DATA_DIR / "secret_key")
SECRET_KEY_GENERATED = not env.get("SECRET_KEY")  # see rostra.core.checks
SECRET_KEY_FALLBACKS = env.get_list("SECRET_KEY_FALLBACKS")

BASE_URL = env.get("ROSTRA_BASE_URL").rstrip("/")
_base = urlsplit(BASE_URL)
if _base.scheme not in ("http", "https") or not _base.hostname:
    raise ValueError(f"ROSTRA_BASE_URL must be an http(s) address, not {BASE_URL!r}")
USES_HTTPS = _base.scheme == "https"

ALLOWED_HOSTS = list(
    dict.fromkeys(
        [_base.hostname, "localhost", "127.0.0.1", "[::1]", *env.get_list("ALLOWED_HOSTS")]
    )
)
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

SITE_NAME = env.get("ROSTRA_SITE_NAME")
SOURCE_URL = env.get("ROSTRA_SOURCE_URL")

# "github:CLIENT_ID:SECRET,google:CLIENT_ID:SECRET" — none by default.
SOCIALACCOUNT_PROVIDERS = {}
for _entry in env.get_list("ROSTRA_SOCIAL_PROVIDERS"):
    _provider, _, _credentials = _entry.partition(":")
    _client_id, _, _secret = _credentials.partition(":")
    if not (_provider.isidentifier() and _client_id and _secret):
        raise ValueError("ROSTRA_SOCIAL_PROVIDERS entries look like provider:client_id:secret")
    SOCIALACCOUNT_PROVIDERS[_provider] = {"APP": {"client_id": _client_id, "secret": _secret}}
SOCIAL_PROVIDER_APPS = [f"allauth.socialaccount.providers.{p}" for p in SOCIALACCOUNT_PROVIDERS]

INSTALLED_APPS = [
    "rostra.core",
    "rostra.publishing",
    "rostra.discussion",
    "rostra.funding",
    "rostra.notifications",
    "rostra.spamfilter",
    "rostra.transfer",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    *SOCIAL_PROVIDER_APPS,
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Counts every request; answers /metrics for any Host (Prometheus scrapes by address).
    "rostra.core.metrics.metrics_middleware",
    # /healthz for any Host (load balancers probe by IP), before host validation.
    "rostra.core.health.health_check_middleware",
    # Public pages answered again from their finished copy while their version holds:
    # outside everything that shapes an answer (rostra.core.stored_pages).
    "rostra.core.stored_pages.StoredPageMiddleware",
    # brotli or gzip for HTML, JSON and feeds (rostra.core.compression).
    "rostra.core.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "rostra.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions and CSRF: sees the cookies and Vary they add (rostra.core.page_cache).
    "rostra.core.page_cache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rostra.core.staff_sign_in.StaffSecondFactorMiddleware",
    # A signed-in reader's page: the shared frame with their own regions (rostra.core.page_frames).
    "rostra.core.page_frames.PageFrameMiddleware",
]

ROOT_URLCONF = "rostra.config.urls"
ASGI_APPLICATION = "rostra.config.asgi.application"
WSGI_APPLICATION = "rostra.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rostra.core.context_processors.site",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'rostra.sqlite3'}",
        # Requests run on a fixed pool of threads (see asgi.py), so each thread keeps
        # its connection instead of opening one per request.
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One pool per process instead of a connection per request thread (8, see asgi.py)
    # kept for a minute: several processes then fit in PostgreSQL's 100 connections.
    # Connections above the minimum are closed after a minute unused; a request waits at
    # most 5 s for a free one (so an unreachable database fails fast, e.g. /healthz).
    _pool_size = env.get("ROSTRA_DB_POOL_SIZE")
    if not _pool_size.isdigit() or int(_pool_size) < 1:
        raise ValueError(f"ROSTRA_DB_POOL_SIZE must be a number of at least 1, not {_pool_size!r}")
    DB_POOL_SIZE = int(_pool_size)
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # the pool checks them
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "pool": {
            "min_size": min(2, DB_POOL_SIZE),
            "max_size": DB_POOL_SIZE,
            "max_idle": 60,
            "timeout": 5,
        },
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE transactions take the
    # write lock up front so concurrent writers queue instead of failing with "database
    # is locked" half-way through a transaction. They queue on a lock file beside the
    # database, woken the moment it is free (rostra/core/sqlite_backend); the busy
    # timeout is for writers that do not take it (the sqlite3 shell). Each connection
    # (one per request thread) keeps a page cache of its own: 256 KiB rather than 2 MB,
    # since a page read again comes from the system's file cache, which processes share
    # (measured: no slower thread JSON or article page rebuilt). The log is copied back
    # into the database by a thread of each process, not by a writer's commit
    # (sqlite_backend/checkpoints.py); a commit does it only past AUTOCHECKPOINT_PAGES.
    from rostra.core.sqlite_backend.checkpoints import AUTOCHECKPOINT_PAGES

    DATABASES["default"]["ENGINE"] = "rostra.core.sqlite_backend"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA cache_size=-256; PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # rest_framework (under Wagtail's API) imports django.contrib.postgres's fields when it
    # can, loading psycopg: about 9 MB per process that SQLite never uses. It takes an
    # ImportError as "no PostgreSQL" (rest_framework/compat.py); a None entry gives it one.
    sys.modules.setdefault("django.contrib.postgres.fields", None)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every process (serve, worker): rate limits and cached settings. The database
# by default, since even one machine runs `serve` and its worker as two processes.
CACHES = parse_cache_url(env.get("CACHE_URL"))

# Background work ------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(queues.ALL)}}
# A task whose worker has shown no sign of life (rostra.core.heartbeat) for this long is
# taken back and run again by another worker (README, "What survives what").
WORKER_LOST_AFTER = timedelta(minutes=2)
# How long `rostra serve` lets its worker finish the task at hand when stopped.
WORKER_STOP_GRACE = timedelta(minutes=2)

# How long what Rostra no longer needs is kept before the worker's hourly `prune`
# removes it (README, "Retention"). Live events outlast any reconnect of a live page.
RETENTION = {
    "live_events": timedelta(days=7),
    "task_results": timedelta(days=14),
    "digest_items": timedelta(days=30),
    "unconfirmed_subscriptions": timedelta(days=30),
    "import_uploads": timedelta(days=7),
    "worker_heartbeats": timedelta(days=1),
    "email_deliveries": timedelta(days=30),
}
PRUNE_EVERY = timedelta(hours=1)

# The spam filter (rostra.spamfilter; README, "The spam filter"): a class is learned from
# this many examples on; thresholds are chosen to hold at most this share of legitimate
# comments (and mark at most this share as spam) among those it was tested on. The
# worker checks every SPAMFILTER_CHECK_EVERY whether to train (after N new decisions,
# a setting in the admin, or nightly after this hour in TIME_ZONE), in a child process.
SPAMFILTER_MIN_EXAMPLES = 50
SPAMFILTER_MAX_FALSE_HOLD = 0.01
SPAMFILTER_MAX_FALSE_SPAM = 0.001
SPAMFILTER_NIGHTLY_HOUR = 3
SPAMFILTER_CHECK_EVERY = timedelta(minutes=15)
SPAMFILTER_TRAIN_IN_CHILD = True

# Auth -----------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Django's and allauth's, finding the signed-in user with a compiled query.
AUTHENTICATION_BACKENDS = [
    "rostra.core.auth_backends.ModelBackend",
    "rostra.core.auth_backends.AuthenticationBackend",
]
# Readers' and staff accounts (django-allauth): e-mail or user name and password, or a
# code sent by e-mail; then a second factor for accounts that set one up. Wagtail's
# login views lead here (rostra.core.staff_sign_in).
ACCOUNT_ADAPTER = "rostra.core.accounts.AccountAdapter"
MFA_ADAPTER = "rostra.core.accounts.MFAAdapter"  # second-factor secrets stored encrypted
ACCOUNT_LOGIN_METHODS = {"email", "username"}
# Failed sign-ins: 10 a minute per address (IPv6: per /64), 5 per 5 minutes per account
# name; a locked sign-in is refused before the password is checked.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# A signed-in reader sent to the sign-in page (e.g. by the admin) may switch accounts.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Sign-up asks for the name shown with comments (kept in first_name).
ACCOUNT_SIGNUP_FORM_CLASS = "rostra.core.signup.SignupDisplayNameForm"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if USES_HTTPS else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
SOCIALACCOUNT_ONLY = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# One 30-second step either side: phones' clocks drift (RFC 6238, section 5.2).
MFA_TOTP_TOLERANCE = 1
STAFF_REQUIRE_2FA = env.get_bool("ROSTRA_STAFF_REQUIRE_2FA")

# Internationalisation -------------------------------------------------------------

# The site's language (README, "Languages"); with ROSTRA_READER_LANGUAGE each reader may
# get theirs among LANGUAGES from Accept-Language (rostra.core.languages).
LANGUAGES = [
    ("en", gettext_lazy("English")),
    ("de", gettext_lazy("German")),
    ("es", gettext_lazy("Spanish")),
    ("ru", gettext_lazy("Russian")),
    ("ar", gettext_lazy("Arabic")),
]
LANGUAGE_CODE = env.get("LANGUAGE_CODE").lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ValueError(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}"
    )
READER_LANGUAGE = env.get_bool("ROSTRA_READER_LANGUAGE")
if READER_LANGUAGE:
    # After sessions, before CommonMiddleware (Django's documented place).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
        "rostra.core.languages.ReaderLanguageMiddleware",
    )
# The JSON API under /api/ runs MIDDLEWARE without these (rostra.config.handlers).
HTML_ONLY_MIDDLEWARE = {
    "rostra.core.health.health_check_middleware",  # /healthz and /livez are not under /api/
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rostra.core.page_frames.PageFrameMiddleware",
}
LOCALE_PATHS = [REPOSITORY_DIR / "locale"]
TIME_ZONE = env.get("TIME_ZONE")
ROSTRA_LOCALE = env.get("ROSTRA_LOCALE")
USE_I18N = True
USE_TZ = True
# English dates as a newsroom writes them ("27 November 2026, 09:08"); other languages
# use Django's formats for their locale.
FORMAT_MODULE_PATH = ["rostra.config.formats"]

# Static files and media -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded export files (admin imports) hold readers' e-mail addresses: kept outside
    # MEDIA_ROOT, never served, and deleted once imported.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DATA_DIR / "private" / "imports",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {"BACKEND": "rostra.core.static_storage.GzipManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
# Media are public once published, but are served by Rostra or by a proxy in its group.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail ---------------------------------------------------------------------------

globals().update(parse_email_url(env.get("EMAIL_URL")))
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL") or f"noreply@{_base.hostname}"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

# Security -------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames the site itself.
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with a query compiled once (rostra.core.sessions).
SESSION_ENGINE = "rostra.core.sessions"
CSRF_COOKIE_HTTPONLY = True
# The proxies whose X-Forwarded-For and X-Forwarded-Proto `rostra serve` believes
# (rostra.core.proxies). The scheme they forward reaches Django as the request's own,
# so no SECURE_PROXY_SSL_HEADER: that would believe the header from any client.
TRUSTED_PROXIES = env.get_list("ROSTRA_TRUSTED_PROXIES")
if USES_HTTPS and not DEBUG:
    # TLS is terminated by a reverse proxy listed in ROSTRA_TRUSTED_PROXIES; see README,
    # "Deployment".
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = [
    # HSTS for subdomains and the browser preload list commit every subdomain of the
    # outlet's domain to HTTPS for a year: the operator's decision, made at the proxy.
    "security.W005",
    "security.W021",
    # Wagtail's live preview frames the site from the admin, on the same origin.
    "security.W019",
]

# Pages a proxy may keep (rostra.core.page_cache; README, "Caching proxy or CDN"): how
# long, and the cookies that make a reader's pages their own (never public).
_public_seconds = env.get("ROSTRA_PUBLIC_PAGE_SECONDS")
if not _public_seconds.isdigit():
    raise ValueError(
        f"ROSTRA_PUBLIC_PAGE_SECONDS must be a number of seconds, not {_public_seconds!r}"
    )
PUBLIC_PAGE_SECONDS = int(_public_seconds)
PERSONAL_COOKIES = ["sessionid", "messages", "rostra_guest", "rostra_sort"]
# A form posted from a cached page without its token: shown again with one (core.form_tokens).
CSRF_FAILURE_VIEW = "rostra.core.form_tokens.csrf_failure"

# Logging --------------------------------------------------------------------------

# Django e-mails the traceback of every 500 to ADMINS ("Name <a@example.org>, b@…").
ADMINS = [(name, address) for name, address in getaddresses([env.get("ROSTRA_ADMINS")]) if address]
# ... with the client's IP address masked in the request data of those e-mails.
DEFAULT_EXCEPTION_REPORTER_FILTER = "rostra.core.error_reports.ClientAddressFilter"

# Optional error reports to Sentry, without client data (rostra.core.error_tracking).
SENTRY_DSN = env.get("SENTRY_DSN")
# /metrics for Prometheus, behind this token (rostra.core.metrics); empty: 404.
METRICS_TOKEN = env.get("ROSTRA_METRICS_TOKEN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Signed links in addresses are credentials: kept out of every log line.
    "filters": {"redact_secrets": {"()": "rostra.core.log_redaction.RedactSecretsFilter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env.get("LOG_LEVEL").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Discussion -----------------------------------------------------------------------

_rate_count, _, _rate_seconds = env.get("ROSTRA_COMMENT_RATE_LIMIT").partition("/")
COMMENT_RATE_LIMIT = (int(_rate_count), int(_rate_seconds or 60))
COMMENT_MIN_SUBMIT_SECONDS = float(env.get("ROSTRA_COMMENT_MIN_SECONDS"))
# Moderators' alerts: one-click links in the e-mails work this long; the optional
# webhook is given this many seconds to answer.
MODERATOR_ALERT_LINK_MAX_AGE = timedelta(days=3)
MODERATION_WEBHOOK_URL = env.get("ROSTRA_MODERATION_WEBHOOK_URL")
MODERATION_WEBHOOK_TIMEOUT = 5

# Notifications --------------------------------------------------------------------

# "Notify of" requests from one IP address (hashed) per window before answering 429;
# each address also gets at most one confirmation e-mail a day, whoever asks.
SUBSCRIPTION_RATE_LIMIT = (10, 3600)

# Funding --------------------------------------------------------------------------

STRIPE_SECRET_KEY = env.get("ROSTRA_STRIPE_SECRET_KEY")
STRIPE_API_BASE = env.get("ROSTRA_STRIPE_API_BASE")
STRIPE_WEBHOOK_SECRET = env.get("ROSTRA_STRIPE_WEBHOOK_SECRET")
BTCPAY_URL = env.get("ROSTRA_BTCPAY_URL").rstrip("/")
if BTCPAY_URL and urlsplit(BTCPAY_URL).scheme not in ("http", "https"):
    raise ValueError(f"ROSTRA_BTCPAY_URL must be an http(s) address, not {BTCPAY_URL!r}")
BTCPAY_API_KEY = env.get("ROSTRA_BTCPAY_API_KEY")
BTCPAY_WEBHOOK_SECRET = env.get("ROSTRA_BTCPAY_WEBHOOK_SECRET")
KOFI_VERIFICATION_TOKEN = env.get("ROSTRA_KOFI_VERIFICATION_TOKEN")
PATREON_WEBHOOK_SECRET = env.get("ROSTRA_PATREON_WEBHOOK_SECRET")
PAYPAL_IPN_VERIFY_URL = env.get("ROSTRA_PAYPAL_IPN_VERIFY_URL")
if urlsplit(PAYPAL_IPN_VERIFY_URL).scheme not in ("http", "https"):
    raise ValueError("ROSTRA_PAYPAL_IPN_VERIFY_URL must be an http(s) address")
# Only money received by the outlet's own account counts (funding.providers.paypal).
PAYPAL_RECEIVER_EMAILS = [a.lower() for a in env.get_list("ROSTRA_PAYPAL_RECEIVER_EMAIL")]
PAYPAL_MERCHANT_ID = env.get("ROSTRA_PAYPAL_MERCHANT_ID").upper()
# Card-testing attacks hammer donation forms: checkout sessions per IP address.
CARD_CHECKOUT_RATE_LIMIT = (5, 600)
# Manage links for donors (funding.services.self_service): asked for per connection.
MANAGE_LINK_RATE_LIMIT = (5, 3600)
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300

# Wagtail --------------------------------------------------------------------------

WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = BASE_URL
# One sign-in for everyone, with rate limits and a second factor (see LOGIN_URL).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False
# The admin calls no other server: no release check or news banner (releases.wagtail.org),
# no Gravatar pictures of staff (their hashed e-mail addresses would go to Gravatar).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Database search, stemmed in LANGUAGE_CODE on PostgreSQL (rostra.publishing.search_backend).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "rostra.publishing.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
TAGGIT_CASE_INSENSITIVE = True
