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
