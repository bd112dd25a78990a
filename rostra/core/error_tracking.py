"""Optional error reports to Sentry (or a compatible server) when SENTRY_DSN is set.

sentry-sdk is an optional extra (`rostra[sentry]`); without it, or without a DSN, nothing
is sent and nothing is imported. Reports carry no client IP address, cookie or
credential: `send_default_pii` is off, and `strip_client_data` removes what the SDK
would still send (the request's environment, cookies, address and credential headers,
the user's address), as rostra.core.error_reports does for the mails to ADMINS.
Frames' local variables are left out too: code that handles a client (the access log,
address hashing) holds its address in clear.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

import rostra
from rostra.core.error_reports import CLIENT_ADDRESS_KEYS

# Header names as Sentry lists them ("X-Forwarded-For"), lower-cased for comparison.
PRIVATE_HEADERS = {
    key.removeprefix("HTTP_").replace("_", "-").lower()
    for key in CLIENT_ADDRESS_KEYS
    if key.startswith("HTTP_")
} | {"cookie", "authorization", "proxy-authorization", "x-csrftoken"}

# Loggers whose records carry the client's address in their arguments (uvicorn's access
# log, hashed only when formatted): never turned into breadcrumbs or events.
LOGGERS_WITH_ADDRESSES = ("uvicorn.access",)


def strip_client_data(event: dict, hint=None) -> dict:
    """Sentry's `before_send`: the event without anything that identifies the client."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("env", None)
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in PRIVATE_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        user.pop("ip_address", None)
    return event


def sentry_sdk_installed() -> bool:
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        return False
    return True


def start_error_tracking() -> bool:
    """Initialise sentry-sdk when SENTRY_DSN is set and the SDK is installed (the deploy
    check below warns when it is not). Returns whether reports will be sent."""
    if not settings.SENTRY_DSN or not sentry_sdk_installed():
        return False
    import sentry_sdk
    from sentry_sdk.integrations.logging import ignore_logger

    for name in LOGGERS_WITH_ADDRESSES:
        ignore_logger(name)
    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        release=f"rostra@{rostra.__version__}",
        send_default_pii=False,
        include_local_variables=False,
        before_send=strip_client_data,
    )
    return True


@register(Tags.compatibility, deploy=True)
def sentry_sdk_is_installed(app_configs, **kwargs):
    if settings.SENTRY_DSN and not sentry_sdk_installed():
        return [
            Warning(
                "SENTRY_DSN is set but sentry-sdk is not installed: no error reaches Sentry.",
                hint="Install Rostra with its `sentry` extra (`make install EXTRAS=sentry`, "
                "or `pip install 'rostra[sentry]'`), or unset SENTRY_DSN.",
                id="rostra.W011",
            )
        ]
    return []
