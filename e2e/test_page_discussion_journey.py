"""The discussion as a reader meets it (#17 items 3-5) in Chromium: the comment bubble,
feedback beside the control that caused it, and the comment actions."""

import re
from pathlib import Path

from playwright.sync_api import expect

from e2e.conftest import REPO

CONVERSATION = "/environment/how-the-new-flood-barrier-on-the-marrow-estuary-will-work/"
TIDES = "/culture/review-a-small-book-about-tides-that-reads-like-a-novel/"
ARTIFACTS = REPO / "test-artifacts" / "page-discussion"


def _shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path


def _count(page) -> int:
    return int(re.match(r"\d+", page.locator("#comments-title").inner_text()).group())


def test_bubble_counts_updates_live_invites_closes_and_jumps_to_the_composer(
    rostra_server, browser
):
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    writer_context = browser.new_context()
    try:
        reader = reader_context.new_page()
        reader.goto(rostra_server.url + TIDES)
        expect(reader.locator("[data-live]")).to_have_count(1)
        count = _count(reader)
        bubble = reader.locator("[data-bubble]")
        button = bubble.locator(".bubble__button")
        expect(button).to_be_visible()
        expect(bubble.locator("[data-bubble-count]")).to_have_text(str(count))
        invitation = bubble.locator("[data-bubble-invite]")
        expect(invitation).to_be_hidden()  # not before the reader has read a while

        writer = writer_context.new_page()
        writer.goto(rostra_server.url + TIDES)
        writer.get_by_label("Your comment").fill("The chapter on neap tides is the best.")
        writer.locator("#composer-name").fill("Bubble Writer")
        writer.get_by_role("button", name="Post comment").click()
        expect(writer.locator("#comments-title")).to_have_text(
            re.compile(rf"^{count + 1} Comments?")
        )

        expect(bubble.locator("[data-bubble-count]")).to_have_text(str(count + 1))
        expect(bubble.locator("[data-bubble-new]")).to_have_text("1 new")
        expect(bubble.locator("[data-bubble-status]")).to_contain_text("1 new comment")

        reader.mouse.wheel(0, 1200)  # reading on: the invitation comes
        expect(invitation).to_be_visible()
        expect(invitation).to_contain_text("Would love your thoughts, please comment.")
        _shot(reader, "bubble-invitation-1280")
        invitation.get_by_role("button", name="Close this invitation").click()
        expect(invitation).to_be_hidden()
        expect(button).to_be_focused()

        reader.reload()
        reader.mouse.wheel(0, 1200)
        expect(button).to_be_visible()
        reader.wait_for_function("() => window.scrollY > 0")
        expect(reader.locator("[data-bubble-invite]")).to_be_hidden()  # remembered

        reader.locator(".bubble__button").click()
        expect(reader.locator("#composer-body")).to_be_focused()
    finally:
        writer_context.close()
        reader_context.close()


def test_bubble_sits_in_the_corner_on_a_phone(rostra_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(rostra_server.url + CONVERSATION)
        box = page.locator(".bubble__button").bounding_box()
        assert box["x"] + box["width"] > 375 - 40, "bottom right corner"
        assert box["y"] + box["height"] > 812 - 40
        page.mouse.wheel(0, 2000)
        expect(page.locator("[data-bubble-invite]")).to_be_visible()
        _shot(page, "bubble-invitation-375")
    finally:
        context.close()


def test_notify_answers_beside_the_form_and_keeps_the_address(rostra_server, page):
    page.goto(rostra_server.url + CONVERSATION)
    form = page.locator("form.notify")
    form.get_by_label("Your e-mail").fill("reader@example")
    form.get_by_role("button", name="Subscribe").click()
    message = page.locator("#notify-message")
    expect(message).to_contain_text("valid e-mail")
    expect(page.get_by_label("Your e-mail")).to_have_value("reader@example")

    page.get_by_label("Your e-mail").fill("journey-notify@example.org")
    page.locator("#notify-submit").click()
    expect(message).to_contain_text("confirmation link to journey-notify@example.org")
    expect(message).to_be_in_viewport()
    expect(page.get_by_label("Your e-mail")).to_have_value("journey-notify@example.org")
    expect(page.locator("#notify-submit")).to_be_focused()


def _comment_by(page, author):
    return page.locator(f"li.comment:has(> article .comment__author:has-text('{author}'))").first


def test_share_copies_the_permalink_and_says_so(rostra_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=rostra_server.url)
    try:
        page = context.new_page()
        page.goto(rostra_server.url + CONVERSATION)
        dana = _comment_by(page, "Dana Whitlock")
        expect(dana.locator(":scope > article").get_by_role("link", name="Share")).to_be_visible()
        share = dana.locator(":scope > article [data-share]")
        href = share.get_attribute("href")
        share.click()
        expect(share).to_have_text("Link copied")
        expect(page.locator("[data-announce]")).to_have_text("Link copied")
        assert page.evaluate("navigator.clipboard.readText()") == rostra_server.url + href
        expect(page).to_have_url(rostra_server.url + CONVERSATION)  # not followed
    finally:
        context.close()


def test_focus_stays_on_the_vote_button_and_sort_is_in_the_address(rostra_server, page):
    page.goto(rostra_server.url + CONVERSATION)
    ravi = _comment_by(page, "Ravi Castell")
    up = ravi.locator(":scope > article .vote__button--up")
    up.focus()
    page.keyboard.press("Enter")
    expect(ravi.locator(":scope > article .vote__button--up")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(ravi.locator(":scope > article .vote__button--up")).to_be_focused()

    sort_nav = page.get_by_role("navigation", name="Sort comments")
    sort_nav.get_by_role("link", name="Oldest").click()
    expect(page).to_have_url(re.compile(r"\?sort=oldest$"))
    page.reload()
    expect(sort_nav.get_by_role("link", name="Oldest")).to_have_attribute("aria-current", "true")
    sort_nav.get_by_role("link", name="Newest").click()
    expect(page).to_have_url(re.compile(r"\?sort=newest$"))


def test_passage_badge_keeps_the_line_height(rostra_server, page):
    """The demo's passage comment puts a badge in a paragraph: the badge fits in one
    line box and the paragraph stays a whole number of lines tall (a badge taller than
    the line would stretch its line)."""
    page.goto(rostra_server.url + CONVERSATION)
    badge = page.locator(".article__body .passage__badge").first
    expect(badge).to_be_visible()
    paragraph = badge.locator("xpath=ancestor::*[self::p or self::li][1]")
    line, height = paragraph.evaluate(
        "p => [parseFloat(getComputedStyle(p).lineHeight), p.getBoundingClientRect().height]"
    )
    assert badge.evaluate("b => b.getBoundingClientRect().height") <= line
    lines = height / line
    assert abs(lines - round(lines)) < 0.05, (height, line)


def test_compact_header_and_screenshots_at_phone_and_desktop_light_and_dark(rostra_server, browser):
    """Notify of is one row at 1280 px and two at 375 px, “Subscribe” beside the
    address; the article with comments is photographed in both widths and schemes."""
    for width, height in ((1280, 900), (375, 812)):
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            try:
                page = context.new_page()
                page.goto(rostra_server.url + CONVERSATION)
                kind = page.locator("#notify-kind").bounding_box()
                email = page.locator("#notify-email").bounding_box()
                button = page.locator("#notify-submit").bounding_box()
                assert abs(button["y"] - email["y"]) < 8, "Subscribe sits beside the address"
                if width == 1280:
                    assert abs(kind["y"] - button["y"]) < 8, "one row on a wide screen"
                else:
                    assert button["y"] > kind["y"] + kind["height"] - 1, "two rows on a phone"
                page.evaluate(
                    "window.scrollTo({top: document.getElementById('comments').offsetTop - 8,"
                    " behavior: 'instant'})"
                )
                _shot(page, f"comments-{width}-{scheme}")
                page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
                _shot(page, f"article-top-{width}-{scheme}")
            finally:
                context.close()
