"""A signed-in reader's article page, laid over the page's shared frame
(rostra.core.page_frames) and the comment section's (rostra.discussion.section_frames),
works in a real browser: their votes stay pressed after a reload (with and without
JavaScript) and toggle, they post as themselves, and Sign out (a form with their token)
signs them out."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.test_discussion_journey import CONVERSATION


def _sign_up(page, url: str, username: str = "frame_reader", name: str = "Frame Reader") -> None:
    page.goto(url + "/accounts/signup/")
    page.locator("input[name=email]").fill(f"{username}@example.org")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=display_name]").fill(name)
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


def test_a_reader_who_voted_sees_their_votes_pressed_on_the_shared_section(rostra_server, browser):
    """Ann's page becomes the section every signed-in reader shares. Ben votes one comment
    up and another down: after a reload (his section from the shared one) both are
    pressed, with his name in the composer; voting up again withdraws that vote; without
    JavaScript his remaining vote is still pressed; Ann's page shows none of his votes."""
    article = rostra_server.url + CONVERSATION
    ann_context, ben_context = (
        browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)
    )
    ann, ben = ann_context.new_page(), ben_context.new_page()
    _sign_up(ann, rostra_server.url, "section_ann", "Section Ann")
    ann.goto(article)
    _sign_up(ben, rostra_server.url, "section_ben", "Section Ben")
    ben.goto(article)
    cards = ben.locator("li.comment:has(> article .vote)")
    first, second = (cards.nth(n).locator(":scope > article") for n in (0, 1))
    first.get_by_role("button", name="Vote up").click()
    expect(first.get_by_role("button", name="Vote up (withdraw)")).to_be_visible()
    second.get_by_role("button", name="Vote down").click()
    expect(second.get_by_role("button", name="Vote down (withdraw)")).to_be_visible()

    ben.reload()
    expect(ben.locator(".composer__as")).to_have_text("Commenting as Section Ben")
    up, down = first.locator(".vote__button--up"), second.locator(".vote__button--down")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "true")
    score = first.locator(".vote__score")
    pressed_score = int(score.inner_text())
    up.click()  # again: the vote is withdrawn
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(score).to_have_text(str(pressed_score - 1))
    ben.reload()
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(down).to_have_attribute("aria-pressed", "true")
    screenshot(ben, "signed-in-voter-1280")
    ben.set_viewport_size({"width": 375, "height": 800})
    ben.reload()
    screenshot(ben, "signed-in-voter-375")

    no_script = browser.new_context(java_script_enabled=False)
    no_script.add_cookies(ben_context.cookies())
    plain = no_script.new_page()
    plain.goto(article)
    plain_cards = plain.locator("li.comment:has(> article .vote)")
    expect(plain_cards.nth(1).locator(".vote__button--down").first).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(plain.locator(".vote__button[aria-pressed=true]")).to_have_count(1)

    ann.reload()
    expect(ann.locator(".composer__as")).to_have_text("Commenting as Section Ann")
    expect(ann.locator(".vote__button[aria-pressed=true]")).to_have_count(0)
    for context in (ann_context, ben_context, no_script):
        context.close()
