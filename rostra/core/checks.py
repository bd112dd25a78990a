"""Rostra's own deployment checks, shown by `rostra check --deploy`.

Django's deploy checks know nothing of Rostra's variables; these catch the mistakes
that pass them silently and hurt in production.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


@register(Tags.security, deploy=True)
def mail_is_delivered(app_configs, **kwargs):
    if settings.USES_HTTPS and settings.EMAIL_BACKEND in UNDELIVERED_MAIL_BACKENDS:
        return [
            Warning(
                "EMAIL_URL does not deliver mail (console:, dummy: or memory:) on a public "
                "https site: confirmation, notification and sign-in e-mails are lost.",
                hint="Set EMAIL_URL to your SMTP server, e.g. smtp+tls://user:pass@host:587.",
                id="rostra.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def secret_key_is_shared(app_configs, **kwargs):
    if settings.SECRET_KEY_GENERATED and "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return [
            Warning(
                "SECRET_KEY is not set with PostgreSQL: each machine generates its own key "
                "in its data directory, so sessions and e-mailed links made by one machine "
                "fail on the others.",
                hint="Set the same SECRET_KEY on every machine (e.g. the content of "
                "$ROSTRA_DATA_DIR/secret_key of the first one).",
                id="rostra.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def debug_is_off_in_public(app_configs, **kwargs):
    if settings.DEBUG and settings.USES_HTTPS:
        return [
            Warning(
                "DEBUG is on with an https ROSTRA_BASE_URL: error pages show settings and "
                "source code to every reader, and HTTPS redirects and secure cookies are off.",
                hint="Unset DEBUG (or set DEBUG=false).",
                id="rostra.W003",
            )
        ]
    return []
