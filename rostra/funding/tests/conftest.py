from datetime import date
from decimal import Decimal

import pytest

from rostra.funding.models import Campaign


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        title="Running costs", goal=Decimal("5000"), currency="USD", starts_on=date(2025, 1, 1)
    )
