"""A signed-in reader's article page, laid over the page's shared frame
(rostra.core.page_frames), works in a real browser: their vote stays pressed after a
reload, they post as themselves, and Sign out (a form with their token) signs them out."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.test_discussion_journey import CONVERSATION


def _sign_up(page, url: str) -> None:
    page.goto(url + "/accounts/signup/")
    page.locator("input[name=email]").fill("frame.reader@example.org")
    page.locator("input[name=username]").fill("frame_reader")
    page.locator("input[name=display_name]").fill("Frame Reader")
    page.locator("input[name=password1]").fill("a long estuary passphrase")
    page.locator("input[name=password2]").fill("a long estuary passphrase")
    page.locator("form[action='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_url(lambda address: "/accounts/signup/" not in address)


def test_a_signed_in_reader_votes_posts_and_signs_out_on_pages_from_the_frame(rostra_server, page):
    """The second and later pages come from the frame: private, the reader's own name
    in the masthead, their pressed vote after a reload, their post under their name,
    and a Sign out that works."""
    _sign_up(page, rostra_server.url)
    article = rostra_server.url + CONVERSATION
    page.goto(article)  # the whole page, kept as the frame
    response = page.goto(article)
    assert response.headers["cache-control"] == "private, no-cache"
    account = page.locator(".masthead__account")
    expect(account.get_by_role("link", name="frame_reader")).to_be_visible()

    first = page.locator("li.comment").first.locator(":scope > article")
    score = first.locator(".vote__score")
    votes = int(score.inner_text())
    first.get_by_role("button", name="Vote up").click()
    expect(score).to_have_text(str(votes + 1))
    page.reload()
    expect(first.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")

    page.get_by_label("Your comment").fill("Written on a page from the frame.")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator("li.comment:has(> article .comment__body:has-text('from the frame'))")
    expect(mine.locator(".comment__author").first).to_have_text(re.compile("Frame Reader"))
    page.reload()  # the page from the frame, with the reader's vote and post in it
    screenshot(page, "signed-in-reader-from-the-frame")

    account.get_by_role("button", name="Sign out").click()
    expect(page.locator(".masthead__account").get_by_role("link", name="Sign in")).to_be_visible()
