"""Which payment providers there are: every module of `rostra.funding.providers` that
defines a `PaymentProvider` subclass with a `name`, found when first asked for. Adding a
provider is adding one module; its webhook answers at `/funding/webhooks/<name>/`."""

import importlib
import pkgutil
from functools import cache

from rostra.funding import providers
from rostra.funding.providers.base import PaymentProvider


@cache
def all_providers() -> dict[str, PaymentProvider]:
    for module in pkgutil.iter_modules(providers.__path__):
        importlib.import_module(f"{providers.__name__}.{module.name}")
    return {name: provider() for name, provider in sorted(PaymentProvider.registered.items())}


def provider_for(name: str) -> PaymentProvider | None:
    return all_providers().get(name)
