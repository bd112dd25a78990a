"""Story first (#17): the article's first paragraph is on the first screen."""

import pytest

from e2e.accessibility import CONVERSATION
from e2e.conftest import screenshot

SCREENS = {
    # viewport, how many screens down the first paragraph may start
    "desktop": ({"width": 1280, "height": 900}, 1.0),
    "phone": ({"width": 375, "height": 812}, 1.5),
}


@pytest.mark.parametrize("device", SCREENS)
def test_first_paragraph_starts_within_the_first_screen(rostra_server, browser, device):
    """With the cover image and the slim banner, the body's first paragraph starts within
    one 1280x900 screen on a desktop and within 1.5 screens of 375x812 on a phone; the
    banner sits above the article (one line at desktop), the full ask after the body."""
    viewport, screens = SCREENS[device]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(rostra_server.url + CONVERSATION)
        assert page.locator(".article__cover img").is_visible()
        banner = page.locator(".funding-banner")
        assert banner.get_by_role("link", name="Support us").is_visible()
        first_paragraph = page.locator(".article__body p").first
        top = first_paragraph.evaluate("p => p.getBoundingClientRect().top + window.scrollY")
        screenshot(page, f"page-look/story-first-{device}")
        assert top < viewport["height"] * screens, f"first paragraph at {top:.0f}px"
        body_end = page.locator(".article__body").evaluate(
            "b => b.getBoundingClientRect().bottom + window.scrollY"
        )
        ask_top = page.locator(".support").first.evaluate(
            "a => a.getBoundingClientRect().top + window.scrollY"
        )
        assert ask_top > body_end
        if device == "desktop":
            height = banner.evaluate("b => b.getBoundingClientRect().height")
            assert height < 60, f"the banner is {height:.0f}px high"
    finally:
        context.close()
