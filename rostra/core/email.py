"""HTML + plain-text e-mail built from a pair of templates.

A message named "notifications/new_comment" is rendered from
`<name>_subject.txt`, `<name>.txt` and, when present, `<name>.html`. Only the HTML part
is autoescaped: in plain text and subjects `O'Brien & Co` must read as typed, not as
`O&#x27;Brien &amp; Co`.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string


def _render_plain_text(template_name: str, context: dict) -> str:
    """Render a .txt template without HTML autoescaping."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def build_email(
    *,
    template: str,
    context: dict,
    to: list[str],
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, "base_url": settings.BASE_URL, **context}
    # A subject is one header line: every run of whitespace, newlines included, is a space.
    subject = " ".join(_render_plain_text(f"{template}_subject.txt", context).split())
    text = _render_plain_text(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html, "text/html")
    return message


def send_email(**kwargs) -> int:
    """Build and send at once; returns the number of messages sent (0 or 1)."""
    return build_email(**kwargs).send()
