import secrets
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from rostra.core.models import RequestCount

FIRST_ADMIN_USERNAME = "admin"


@transaction.atomic
def admin_account_ensure() -> tuple[str, str] | None:
    """Create the first superuser when the installation has none.

    Returns (user name, generated password) when an account was created, so the
    caller can show the password once; it is stored only as a hash.
    """
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(username=FIRST_ADMIN_USERNAME, email="", password=password)
    return FIRST_ADMIN_USERNAME, password


@transaction.atomic
def request_counts_add(*, counts: Mapping[tuple[str, str], int]) -> None:
    """Add requests one process answered, {(method, status class): n}, to the totals of
    all processes. Each row grows by an atomic UPDATE (`count = count + n`), so processes
    adding at the same moment lose nothing; a label seen for the first time gets its row."""
    for (method, status_class), n in counts.items():
        labelled = RequestCount.objects.filter(method=method, status_class=status_class)
        if not labelled.update(count=F("count") + n):
            RequestCount.objects.bulk_create(
                [RequestCount(method=method, status_class=status_class)], ignore_conflicts=True
            )
            labelled.update(count=F("count") + n)
