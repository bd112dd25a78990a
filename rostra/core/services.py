import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

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
