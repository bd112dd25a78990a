"""A reader sees the goal bar and the ways to give, and copies a crypto address."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot

ARTICLE = "/city/library-extends-opening-hours-after-record-winter-visits/"


def test_reader_sees_the_goal_and_copies_an_address(rostra_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(rostra_server.url + ARTICLE)
        banner = page.locator(".funding-banner")
        expect(banner.locator(".funding-banner__text")).to_have_text(
            re.compile(r"^\$\d[\d,]* raised of \$5,000 this month · \d+ supporters?$")
        )
        headline_box = page.locator("#article-headline").bounding_box()
        assert banner.bounding_box()["y"] < headline_box["y"], "the banner sits above it"

        block = page.locator("#support-after").locator("xpath=..")
        expect(block.get_by_role("heading")).to_have_text("Support The Harrowby Herald")
        bar = block.get_by_role("progressbar", name=re.compile(r"^Funding goal"))
        expect(bar).to_have_attribute("aria-valuemax", "5000.00")
        expect(block.locator(".goal-bar__ticks")).to_contain_text("$2,500")
        btc = block.locator(".channel--btc")
        expect(btc).to_be_hidden()  # behind "Other ways to give"
        block.get_by_text("Other ways to give").click()
        address = btc.locator(".channel__address").inner_text()
        btc.get_by_role("button", name="Copy the BTC address").click()
        expect(btc.get_by_role("button", name="Copy the BTC address")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == address
        btc.locator("summary").click()
        expect(btc.locator("svg.qr")).to_be_visible()
        screenshot(page, "funding-article")

        page.goto(rostra_server.url + "/support/")
        expect(page.locator("svg.qr")).to_have_count(3)
        for qr in page.locator("svg.qr").all():
            expect(qr).to_be_visible()
        screenshot(page, "funding-support-page")

        # A card gift leads to a Stripe test-mode checkout (Stripe played locally).
        card = page.get_by_role("region", name="Give by card")
        card.get_by_label("Every month").check()
        card.get_by_label("Amount (USD)").fill("12")
        card.get_by_role("button", name="Continue to secure payment").click()
        # The form posts to its own #card anchor; the browser keeps it across the redirect.
        expect(page).to_have_url(re.compile(r"/c/pay/cs_test_\d+(#.*)?$"))
        form = rostra_server.stripe.requests[-1]["form"]
        assert form["mode"] == "subscription"
        assert form["line_items[0][price_data][unit_amount]"] == "1200"
    finally:
        context.close()
