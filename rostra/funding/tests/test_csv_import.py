"""PayPal activity exports import cleanly, once, or not at all."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from rostra.funding.models import Donation, DonationStatus

pytestmark = pytest.mark.django_db

HEADER = (
    '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
    '"From Email Address","To Email Address","Transaction ID","Reference Txn ID","Note"\n'
)


def row(date, time, zone, name, kind, currency, gross, txn, reference="", note=""):
    cells = [date, time, zone, name, kind, "Completed", currency, gross, "0.00", gross,
             "reader@example.org", "news@example.org", txn, reference, note]  # fmt: skip
    return ",".join(f'"{cell}"' for cell in cells) + "\n"


GOOD = HEADER + "".join(
    [
        row("3/14/2025", "10:02:03", "PDT", "Ana Ribeiro", "Donation Payment", "USD",
            "1,020.00", "7AB1", note="For the barrier story"),
        row("3/15/2025", "09:00:00", "PDT", "Bea Lund", "Website Payment", "EUR", "15.00", "7AB2"),
        row("3/16/2025", "12:00:00", "PDT", "Printer Ltd", "Express Checkout Payment", "USD",
            "-200.00", "7AB3"),
        row("3/17/2025", "12:00:00", "PDT", "Ana Ribeiro", "Payment Refund", "USD",
            "-1,020.00", "7AB4", reference="7AB1"),
    ]
)  # fmt: skip


def run(tmp_path, text, *args):
    path = tmp_path / "paypal.csv"
    path.write_text(text, encoding="utf-8-sig")
    call_command("import_donations", "paypal", str(path), *args)


def test_gifts_refunds_and_other_rows_are_reported(tmp_path, campaign, capsys):
    run(tmp_path, GOOD)
    out = capsys.readouterr().out
    assert "imported: 2" in out and "refunds applied: 1" in out
    assert "skipped (not gifts): 1" in out
    ana = Donation.objects.get(external_reference="7AB1")
    assert (ana.amount, ana.status, ana.message) == (
        Decimal("1020.00"),
        DonationStatus.REFUNDED,
        "For the barrier story",
    )
    assert Donation.objects.get(external_reference="7AB2").currency == "EUR"


def test_importing_the_same_file_again_creates_nothing(tmp_path, campaign, capsys):
    run(tmp_path, GOOD)
    capsys.readouterr()
    run(tmp_path, GOOD)
    out = capsys.readouterr().out
    assert "imported: 0" in out and "duplicates (already recorded): 3" in out
    assert Donation.objects.count() == 2


def test_a_bad_row_imports_nothing_and_is_named(tmp_path, campaign, capsys):
    bad = GOOD + row("3/18/2025", "25:00:00", "PDT", "X", "Donation Payment", "USD", "5", "7AB9")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(tmp_path, bad)
    assert "row 6:" in capsys.readouterr().out
    assert not Donation.objects.exists()


@pytest.mark.parametrize("gross", ["1" + "0" * 30, "1E30", "0.001"])
def test_amounts_the_ledger_cannot_hold_are_rejected_rows(tmp_path, campaign, capsys, gross):
    """A row of 10**30, 1e30 or a tenth of a cent is a rejected row with its reason (the
    same rule as webhooks), not a crash, and nothing is imported."""
    bad = GOOD + row("3/18/2025", "10:00:00", "PDT", "X", "Donation Payment", "USD", gross, "7AB9")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(tmp_path, bad)
    assert "row 6: amount" in capsys.readouterr().out
    assert not Donation.objects.exists()


def test_skip_bad_rows_imports_the_good_ones(tmp_path, campaign):
    bad = GOOD + row("3/18/2025", "10:00:00", "XYZ", "X", "Donation Payment", "USD", "5", "7AB9")
    run(tmp_path, bad, "--skip-bad-rows")
    assert Donation.objects.count() == 2


def test_dry_run_changes_nothing(tmp_path, campaign, capsys):
    run(tmp_path, GOOD, "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Donation.objects.exists()


def test_a_file_that_is_not_a_paypal_export_is_refused(tmp_path, campaign):
    with pytest.raises(CommandError, match="missing columns"):
        run(tmp_path, "name,amount\nAna,5\n")
    assert not Donation.objects.exists()


PATREON = (
    "Name,Email,Patron Status,Lifetime Amount,Pledge Amount,Charge Frequency,Tier,"
    "Patronage Since Date,Last Charge Date,Last Charge Status,User ID,Currency\n"
    "Pat Reader,pat@example.org,Active patron,60.00,5.00,monthly,Friend,"
    "2024-04-01 10:00:00,2025-03-01 10:00:00,Paid,1001,USD\n"
    "Lee Former,lee@example.org,Declined patron,10.00,5.00,monthly,Friend,"
    "2024-04-01 10:00:00,2025-03-01 10:00:00,Declined,1002,USD\n"
    "Kim Euro,kim@example.org,Active patron,30.00,3.00,monthly,Friend,"
    "2024-04-01 10:00:00,2025-03-02,Paid,1003,EUR\n"
)


def test_patreon_members_export_imports_paid_charges(tmp_path, campaign, capsys):
    path = tmp_path / "patreon.csv"
    path.write_text(PATREON)
    call_command("import_donations", "patreon", str(path))
    out = capsys.readouterr().out
    assert "imported: 2" in out and "skipped (not gifts): 1" in out
    pat = Donation.objects.get(donor_name="Pat Reader")
    assert (pat.amount, pat.currency, pat.channel) == (Decimal("5.00"), "USD", "patreon")
    call_command("import_donations", "patreon", str(path))
    assert Donation.objects.count() == 2


@pytest.mark.parametrize("pledge", ["1" + "0" * 30, "1e30", "0.001"])
def test_patreon_pledges_the_ledger_cannot_hold_are_rejected_rows(
    tmp_path, campaign, capsys, pledge
):
    """The Patreon export goes through the same amount rule: a rejected row, not a crash."""
    path = tmp_path / "patreon.csv"
    path.write_text(PATREON.replace("Active patron,60.00,5.00,", f"Active patron,60.00,{pledge},"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_donations", "patreon", str(path))
    assert "row 2: amount" in capsys.readouterr().out
    assert not Donation.objects.exists()
