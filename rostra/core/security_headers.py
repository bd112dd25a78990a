"""Content-Security-Policy and Permissions-Policy, the second lines of defence.

Public pages run only the site's own script and style files: no inline code, so text
that slipped past sanitising still cannot run (JSON-LD is a data block, which browsers
neither run nor check against script-src). Remote images and https frames stay
allowed, for imported articles and editors' embeds. form-action also allows where a
form's redirect continues: Stripe's checkout, and the sign-in pages of the configured
social providers. The Wagtail admin writes inline scripts and styles, so /admin/ has a
looser policy of its own, which still allows no connection to another server.

A response that set its own policy keeps it (Wagtail's documents send
`default-src 'none'`).
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

ADMIN_PREFIX = "/admin/"
STRIPE_API = "https://api.stripe.com"
STRIPE_CHECKOUT = "https://checkout.stripe.com"

COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "https:"],
    "media-src": ["'self'", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],  # as X-Frame-Options: SAMEORIGIN (Wagtail's preview)
}
PUBLIC = {
    **COMMON,
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "frame-src": ["https:"],
}
ADMIN = {
    **COMMON,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": [*COMMON["img-src"], "blob:"],
    "frame-src": ["'self'", "https:"],
    "form-action": ["'self'"],
}
# Nothing on the site asks for these; an injected frame or script cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "browsing-topics",
    )
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _social_sign_in_origins(provider_ids) -> list[str]:
    """Where each configured provider's sign-in form is redirected; "https:" for a
    provider whose authorisation address is only known per request."""
    from allauth.socialaccount.providers import registry

    origins = []
    for provider_id in provider_ids:
        provider = registry.get_class(provider_id)
        adapter = getattr(provider, "oauth2_adapter_class", None)
        url = getattr(adapter, "authorize_url", None)
        origins.append(_origin(url) if isinstance(url, str) else "https:")
    return origins


@lru_cache(maxsize=8)
def _policies(stripe_on: bool, stripe_api: str, providers: tuple, https: bool) -> tuple:
    form_action = ["'self'"]
    if stripe_on:
        api = stripe_api.rstrip("/")
        form_action.append(STRIPE_CHECKOUT if api == STRIPE_API else _origin(api))
    form_action.extend(_social_sign_in_origins(providers))
    public = {**PUBLIC, "form-action": list(dict.fromkeys(form_action))}
    extra = ["upgrade-insecure-requests"] if https else []

    def header(directives):
        return "; ".join([*(f"{k} {' '.join(v)}" for k, v in directives.items()), *extra])

    return header(public), header(ADMIN)


def content_security_policy(path: str) -> str:
    public, admin = _policies(
        bool(settings.STRIPE_SECRET_KEY),
        settings.STRIPE_API_BASE,
        tuple(settings.SOCIALACCOUNT_PROVIDERS),
        settings.USES_HTTPS,
    )
    return admin if path.startswith(ADMIN_PREFIX) else public


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.path)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
