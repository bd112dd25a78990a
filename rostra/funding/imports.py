"""Imports of payment-provider exports into the donation ledger.

A parser turns rows into DonationEvents (or a reason the row is rejected, or None
when the row is not a gift); the writer records them through `donation_record` in one
transaction, so a file with a bad row imports nothing unless the operator asks to
skip bad rows.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from django.db import transaction

from rostra.funding import services
from rostra.funding.models import ChannelKind, DonationStatus
from rostra.funding.providers.paypal import PAYPAL_TIME_ZONES
from rostra.funding.services import DonationEvent, DonationRejected

PAYPAL_REQUIRED = {"Date", "Time", "TimeZone", "Type", "Status", "Currency", "Gross",
                   "Transaction ID"}  # fmt: skip
PAYPAL_GIFT_TYPES = {"Donation Payment", "Website Payment", "Subscription Payment",
                     "General Payment", "Payment Received", "Mobile Payment"}  # fmt: skip
PAYPAL_REFUND_TYPES = {"Payment Refund", "Payment Reversal"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass
class ImportReport:
    imported: int = 0
    refunds: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"imported: {self.imported}",
            f"refunds applied: {self.refunds}",
            f"duplicates (already recorded): {self.duplicates}",
            f"skipped (not gifts): {self.skipped}",
            f"rejected: {len(self.rejected)}",
        ]
        out += [f"  row {row}: {reason}" for row, reason in self.rejected]
        return out


def _csv_rows(text: str, required: set[str], what: str) -> Iterator[tuple[int, dict]]:
    """(line number, row with trimmed keys and values); refuses a file without `required`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = required - {name.strip() for name in reader.fieldnames or []}
    if missing:
        # Only the import command reports it: operator-facing English.
        raise ImportFileError(
            f"this is not {what}: missing columns {', '.join(sorted(missing))}"  # translatable: no
        )
    for number, raw in enumerate(reader, start=2):
        yield number, {key.strip(): (value or "").strip() for key, value in raw.items() if key}


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("\xa0", "").strip())


def _paypal_moment(date_text: str, time_text: str, zone: str) -> datetime:
    if zone not in PAYPAL_TIME_ZONES:
        raise ValueError(f"unknown time zone {zone!r}")
    for pattern in ("%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            local = datetime.strptime(f"{date_text} {time_text}", pattern)
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"date {date_text!r} {time_text!r} is not in a known format")
    return local.replace(tzinfo=timezone(timedelta(hours=PAYPAL_TIME_ZONES[zone])))


def parse_paypal(text: str) -> Iterator[tuple[int, DonationEvent | str | None]]:
    """PayPal's “Activity download” CSV: yields (row number, event, reason or None)."""
    for number, row in _csv_rows(text, PAYPAL_REQUIRED, "a PayPal activity CSV"):
        kind = row["Type"]
        if row["Status"] not in ("Completed", "Refunded", "Reversed"):
            yield number, None
            continue
        try:
            gross = _decimal(row["Gross"])
            moment = _paypal_moment(row["Date"], row["Time"], row["TimeZone"])
        except (InvalidOperation, ValueError) as error:
            yield number, f"{error}"
            continue
        if kind in PAYPAL_REFUND_TYPES:
            reference = row.get("Reference Txn ID", "")
            if not reference:
                yield number, "a refund without “Reference Txn ID”"
                continue
            status, amount = DonationStatus.REFUNDED, abs(gross)
        elif kind in PAYPAL_GIFT_TYPES and gross > 0:
            reference, status, amount = row["Transaction ID"], DonationStatus.CONFIRMED, gross
        else:
            yield number, None
            continue
        yield (
            number,
            DonationEvent(
                channel=ChannelKind.PAYPAL,
                external_reference=reference,
                amount=amount,
                currency=row["Currency"],
                status=status,
                received_at=moment,
                donor_name=row.get("Name", ""),
                email=row.get("From Email Address", ""),
                message=row.get("Note", ""),
                recurring_reference=_paypal_subscription(row)
                if kind == "Subscription Payment"
                else "",
            ),
        )


def _paypal_subscription(row: dict) -> str:
    """The subscription a payment belongs to, as PayPal's export names it."""
    return row.get("Subscription Number") or row.get("Reference Txn ID") or ""


PATREON_REQUIRED = {"Name", "Email", "Pledge Amount", "Last Charge Date", "Last Charge Status",
                    "User ID"}  # fmt: skip


def _patreon_moment(text: str) -> datetime:
    for pattern in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z",
                    "%Y-%m-%d"):  # fmt: skip
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise ValueError(f"date {text!r} is not in a known format")


def parse_patreon(text: str) -> Iterator[tuple[int, DonationEvent | str | None]]:
    """Patreon's members CSV: the last paid charge of each member is one gift."""
    for number, row in _csv_rows(text, PATREON_REQUIRED, "a Patreon members CSV"):
        if row["Last Charge Status"] != "Paid" or not row["Last Charge Date"]:
            yield number, None
            continue
        try:
            moment = _patreon_moment(row["Last Charge Date"])
            amount = _decimal(row["Pledge Amount"].lstrip("$€£"))
        except (InvalidOperation, ValueError) as error:
            yield number, f"{error}"
            continue
        if not row["User ID"]:
            yield number, "no “User ID”"
            continue
        yield (
            number,
            DonationEvent(
                channel=ChannelKind.PATREON,
                external_reference=f"user-{row['User ID']}:{moment.date().isoformat()}",
                amount=amount,
                currency=row.get("Currency") or "USD",
                status=DonationStatus.CONFIRMED,
                received_at=moment,
                donor_name=row["Name"],
                email=row["Email"],
                recurring_reference=f"user-{row['User ID']}",  # a pledge is a monthly gift
            ),
        )


PARSERS = {"paypal": parse_paypal, "patreon": parse_patreon}


def import_donations(
    source: str, text: str, *, campaign_currency: str, dry_run=False, skip_bad_rows=False
) -> ImportReport:
    parser = PARSERS[source]
    report = ImportReport()
    with transaction.atomic():
        for number, item in parser(text):
            if item is None:
                report.skipped += 1
                continue
            if isinstance(item, str):
                report.rejected.append((number, item))
                continue
            try:
                with transaction.atomic():
                    _, changed = services.donation_record(item, campaign_currency=campaign_currency)
            except DonationRejected as error:
                report.rejected.append((number, str(error)))
                continue
            if changed and item.status == DonationStatus.REFUNDED:
                report.refunds += 1
            elif changed:
                report.imported += 1
            else:
                report.duplicates += 1
        if dry_run or (report.rejected and not skip_bad_rows):
            transaction.set_rollback(True)
    return report
