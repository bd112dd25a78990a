"""HTML + plain-text e-mail built from a pair of templates, sent outside transactions.

A message named "notifications/new_comment" is rendered from
`<name>_subject.txt`, `<name>.txt` and, when present, `<name>.html`. Only the HTML part
is autoescaped: in plain text and subjects `O'Brien & Co` must read as typed, not as
`O&#x27;Brien &amp; Co`.

Background tasks send through `send_email_once`: a task taken back from a dead worker
runs again from the start, and the ledger (EmailDelivery) makes it skip the recipients
already served. No e-mail leaves inside a database transaction: an SMTP round trip
would hold SQLite's write lock (and PostgreSQL's row locks) for its whole length.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.db.models import Q
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from rostra.core.models import EmailDelivery


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
    refuse_inside_transaction()
    return build_email(**kwargs).send()


def refuse_inside_transaction() -> None:
    """Raise when a transaction is open (a test case's own wrapping aside)."""
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        raise RuntimeError("E-mail is never sent inside a database transaction.")


def send_email_once(*, key: str, owner: str, to: str, **message) -> int:
    """Send `message` to the one address `to` unless it already went for `key`.

    Returns 1 when sent now, 0 when it went before or another sender holds it. A claim
    left by an earlier run of the same `owner` (a task run whose worker died mid-send)
    is taken over; so is anyone's claim older than WORKER_LOST_AFTER. The one duplicate
    left possible is a worker killed between the server's acceptance and the stamp.
    """
    refuse_inside_transaction()
    if not _claim(key=key, recipient=to, owner=owner):
        return 0
    delivery = EmailDelivery.objects.filter(key=key, recipient=to, owner=owner, sent_at=None)
    try:
        sent = build_email(to=[to], **message).send()
    except Exception:
        delivery.delete()  # not sent: the next run may try again
        raise
    delivery.update(sent_at=timezone.now())
    return sent


def was_sent(*, key: str, to: str) -> bool:
    return EmailDelivery.objects.filter(key=key, recipient=to, sent_at__isnull=False).exists()


def _claim(*, key: str, recipient: str, owner: str) -> bool:
    now = timezone.now()
    delivery, created = EmailDelivery.objects.get_or_create(
        key=key, recipient=recipient, defaults={"owner": owner, "claimed_at": now}
    )
    if created:
        return True
    if delivery.sent_at is not None:
        return False
    abandoned = Q(owner=owner) | Q(claimed_at__lt=now - settings.WORKER_LOST_AFTER)
    taken = (
        EmailDelivery.objects.filter(pk=delivery.pk, sent_at=None)
        .filter(abandoned)
        .update(owner=owner, claimed_at=now)
    )
    return taken == 1
