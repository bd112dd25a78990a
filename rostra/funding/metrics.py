"""Funding's families on /metrics (the `rostra_metrics` hook, see rostra.core.metrics)."""

from rostra.core.metrics import family
from rostra.funding.selectors import gift_totals


def families():
    gifts = gift_totals()
    yield from family(
        "rostra_gifts",
        "gauge",
        "Gifts in the ledger, by currency and status.",
        (({"currency": c, "status": s}, n) for c, s, n, _amount in gifts),
    )
    yield from family(
        "rostra_gift_amount",
        "gauge",
        "Sum of the gifts in the ledger, in units of their currency, by currency and status.",
        (({"currency": c, "status": s}, amount) for c, s, _n, amount in gifts),
    )
