"""An editor sees the newsroom's funding on the dashboard and books a cash gift by hand."""

import re

from playwright.sync_api import expect

from e2e.conftest import REPO, sign_in_to_admin

SHOTS = REPO / "test-artifacts" / "editors"


def shoot(page, name: str) -> None:
    """Full-page screenshots at desktop and phone widths, for a human to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_editor_sees_funding_on_the_dashboard_and_books_a_cash_gift(rostra_server, page):
    """The dashboard's Funding panel gives the goal sentence, the latest gifts by the
    outlet's channel names and a link to the report; the manual form starts at now,
    offers the outlet's channels plus cash, and saves a gift with no reference."""
    sign_in_to_admin(page, rostra_server)
    panel = page.get_by_role("region", name="Funding")
    expect(panel).to_contain_text(re.compile(r"raised of \$5,000 this month · \d+ supporters"))
    gifts = panel.get_by_role("list", name="Latest gifts")
    expect(gifts.get_by_role("listitem").first).to_be_visible()
    expect(gifts).not_to_contain_text("Any other link")
    expect(panel.get_by_role("link", name="Funding report")).to_be_visible()
    shoot(page, "dashboard")

    page.goto(rostra_server.url + "/admin/snippets/funding/donation/add/")
    channel = page.locator("#id_channel")
    options = channel.locator("option").all_inner_texts()
    assert "Cash or cheque" in options and "PayPal" in options and "BTC" in options, options
    now = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d")
    expect(page.locator("#id_received_at")).to_have_value(now)
    expect(page.locator("#id_currency")).to_have_value("USD")
    shoot(page, "manual-donation-form")
    page.locator("#id_is_anonymous").scroll_into_view_if_needed()
    shoot(page, "manual-donation-form-wall")

    channel.select_option(label="Cash or cheque")
    page.locator("#id_amount").fill("40")
    page.locator("#id_donor_name").fill("Harbour Bakery")
    page.get_by_role("button", name=re.compile("^Save")).first.click()
    expect(page.locator(".messages")).to_contain_text(re.compile("created", re.IGNORECASE))
    page.goto(rostra_server.url + "/admin/")
    # Among the latest, not necessarily first: the form books the gift at the minute, and
    # another journey on this server may have confirmed a gift later in that minute.
    latest = page.get_by_role("region", name="Funding").get_by_role("listitem")
    expect(latest.filter(has_text="Cash or cheque").filter(has_text="$40")).to_have_count(1)
