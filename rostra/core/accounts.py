"""How django-allauth fits Rostra: its rate limits see hashed addresses only.

Readers and staff sign in through the same allauth views (see staff_sign_in), so its
limits on failed sign-ins and on second-factor codes protect both.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from rostra.core.addresses import client_ip, hash_ip
from rostra.core.secret_box import seal, unseal


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """allauth keys its per-address rate limits with this value: the keyed hash
        (an IPv6 client by its /64), so the cache never holds an address in clear."""
        ip_hash = hash_ip(client_ip(request))
        if not ip_hash:
            raise PermissionDenied(_("Unable to determine client IP address"))
        return ip_hash


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator-app keys and recovery-code seeds are stored encrypted
    (rostra.core.secret_box), not in clear as allauth does by default."""

    def encrypt(self, text: str) -> str:
        return seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return unseal(encrypted_text)
