"""A reader gives monthly from the end-of-article ask, receives the receipt (Stripe's
webhooks played, signed, against the real server), asks for a manage link, opens it
from the mailbox and cancels the gift (at the local Stripe stand-in); the page fits a
phone and axe finds nothing on it; an editor sees the gift credited to the article in
the report."""

import hashlib
import hmac
import json
import re
import time
from urllib.request import Request, urlopen

from playwright.sync_api import expect

from e2e.accessibility import COLOR_SCHEMES, axe_source, axe_violations, describe
from e2e.conftest import STRIPE_WEBHOOK_SECRET, screenshot, sign_in_to_admin

ARTICLE = "/city/library-extends-opening-hours-after-record-winter-visits/"
EMAIL = "journey.donor@example.org"


def stripe_webhook(server, kind: str, obj: dict) -> None:
    """Deliver a Stripe event to the server, signed as Stripe signs it."""
    body = json.dumps(
        {
            "id": f"evt_{kind}",
            "object": "event",
            "created": int(time.time()),
            "type": kind,
            "data": {"object": obj},
            "livemode": False,
        }
    )
    stamp = int(time.time())
    signature = hmac.new(
        STRIPE_WEBHOOK_SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256
    ).hexdigest()
    request = Request(
        server.url + "/funding/webhooks/stripe/",
        data=body.encode(),
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": f"t={stamp},v1={signature}",
        },
    )
    with urlopen(request, timeout=15) as response:
        assert response.status == 200


def wait_for_mail(server, pattern: str, *, after: int = 0, timeout: float = 30) -> str:
    """The first match of `pattern` in a message to EMAIL the server's worker wrote to
    the mailbox, beyond the first `after` matches; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = [p.read_text(errors="replace") for p in sorted(server.mailbox.glob("*.log"))]
        found = [m for text in texts for m in re.findall(pattern, text) if EMAIL in text]
        if len(found) > after:
            return found[after]
        time.sleep(0.2)
    raise AssertionError(f"no e-mail matching {pattern!r} within {timeout}s")


def test_a_monthly_donor_cancels_through_the_manage_link(rostra_server, page):
    server, stripe = rostra_server, rostra_server.stripe
    page.goto(server.url + ARTICLE)
    # Two clicks from the end of the article: "Monthly", then "Give by card" ($25 chosen).
    after = page.locator("#support-after").locator("xpath=..")
    after.get_by_role("radio", name="Monthly").check()
    after.get_by_role("button", name="Give by card").click()
    expect(page).to_have_url(re.compile(r"/c/pay/cs_test_\d+(#.*)?$"))
    form = stripe.requests[-1]["form"]
    metadata = {"public_name": "no", "position": form["metadata[position]"],
                "article": form["metadata[article]"]}  # fmt: skip
    assert metadata["position"] == "article_end" and metadata["article"].isdigit()

    # Stripe reports the subscription and its first invoice.
    stripe_webhook(server, "checkout.session.completed", {
        "id": "cs_journey", "object": "checkout.session", "mode": "subscription",
        "subscription": "sub_journey", "customer": "cus_journey", "payment_status": "paid",
        "customer_details": {"email": EMAIL, "name": "Journey Donor"}, "metadata": metadata,
    })  # fmt: skip
    stripe_webhook(server, "invoice.paid", {
        "id": "in_journey", "object": "invoice", "amount_paid": 900, "currency": "usd",
        "payment_intent": "pi_journey", "customer_email": EMAIL, "customer_name": "Journey Donor",
        "customer": "cus_journey", "subscription": "sub_journey",
        "subscription_details": {"metadata": metadata},
    })  # fmt: skip

    # The receipt says where to manage the gift; the donor asks for a link there.
    manage_page = wait_for_mail(server, r"http://127\.0\.0\.1:\d+/support/manage/(?=\s)")
    page.goto(manage_page)
    page.get_by_label("The e-mail address you gave with").fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("#manage-done")).to_contain_text("a link to manage your support")
    link = wait_for_mail(server, r"http://127\.0\.0\.1:\d+/support/manage/open/[^/\s]+/")
    page.goto(link)
    page.get_by_role("button", name="Open my support page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("My support for"))
    monthly = page.get_by_role("region", name="Monthly gifts")
    expect(monthly).to_contain_text("9.00 USD every month")
    screenshot(page, "donor-manage-page")
    monthly.get_by_role("button", name="Cancel monthly gift").click()
    expect(page.locator(".messages")).to_contain_text("Your monthly gift is cancelled")
    expect(page.get_by_role("region", name="Monthly gifts")).to_contain_text(
        "No monthly gift is running"
    )
    cancel = stripe.requests[-1]
    assert (cancel["method"], cancel["path"]) == ("DELETE", "/v1/subscriptions/sub_journey")

    # On a phone the gifts are read without scrolling sideways, in light and dark.
    page.set_viewport_size({"width": 375, "height": 812})
    axe = axe_source()
    for scheme in COLOR_SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.reload()
        expect(page.get_by_role("region", name="Gifts", exact=True)).to_contain_text("Receipt")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        violations = axe_violations(page, axe)
        assert not violations, f"{scheme}:\n{describe(violations)}"
    screenshot(page, "donor-manage-page-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The link was good for one opening.
    page.goto(link)
    expect(page.locator("#manage-error")).to_contain_text("used already")

    # An editor sees the gift credited to the article.
    sign_in_to_admin(page, server)
    page.goto(server.url + "/admin/funding/report/")
    articles = page.locator("h2", has_text="Gifts by article").locator("xpath=following::table[1]")
    expect(articles).to_contain_text("Library extends opening hours")
