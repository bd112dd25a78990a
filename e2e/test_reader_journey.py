"""A reader opens the front page, follows the lead story and reads the article."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot

ANATOMY_IN_ORDER = """() => Array.from(document.querySelectorAll(
    '[data-slot], #article-headline, .article__byline, .article__body'
)).map(el => el.dataset.slot || el.id || el.className)"""


def test_reader_follows_a_story_from_the_front_page_to_the_article(rostra_server, page):
    """Goal bar, headline, byline, support block, body, support block and discussion
    appear in the reference page's order."""
    page.goto(rostra_server.url + "/")
    expect(page).to_have_title("The Harrowby Herald — Independent local news from the coast")
    expect(page.get_by_role("navigation", name="Sections").get_by_role("link")).to_have_count(3)
    screenshot(page, "home")

    environment = page.get_by_role("region", name="Environment")
    story_link = environment.locator(".card__title a").first
    headline = story_link.inner_text()
    story_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    expect(page.locator(".article__byline")).to_contain_text("By ")
    expect(page.locator(".article__body p").first).to_be_visible()
    assert page.evaluate(ANATOMY_IN_ORDER) == [
        "article.above_headline",
        "article-headline",
        "article__byline",
        "article.before_body",
        "article__body prose",
        "article.after_body",
        "article.discussion",
        "discussion.header",
    ]
    # The reference page's anatomy, filled by the funding and discussion apps.
    expect(
        page.locator('[data-slot="article.above_headline"]').get_by_role("link", name="Support us")
    ).to_be_visible()
    expect(page.locator('[data-slot="article.after_body"] .support__heading')).to_have_text(
        "Support The Harrowby Herald"
    )
    discussion = page.locator('[data-slot="article.discussion"]')
    expect(discussion.get_by_role("heading", level=2)).to_have_text(re.compile(r"^\d+ Comments?$"))
    cover = page.locator(".article__cover img")
    expect(cover).to_be_visible()
    assert page.evaluate("el => el.naturalWidth", cover.element_handle()) > 0
    screenshot(page, "article")


def test_reader_on_a_phone_sees_a_single_column_in_the_dark_scheme(rostra_server, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, color_scheme="dark", is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(rostra_server.url + "/culture/")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 360, "nothing overflows a 360 px screen"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 20, 22)"
        page.locator(".card__title a").first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, "article-phone-dark")
    finally:
        context.close()


def test_keyboard_user_can_skip_to_the_content(rostra_server, page):
    page.goto(rostra_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "focused links show a visible outline"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
