"""Arabic, right to left (#19 item 4), in Debian's Chromium against a real `rostra serve`
with LANGUAGE_CODE=ar: the page says dir="rtl" (from the language, before any catalog),
the thread's replies are indented from the right, and axe-core finds nothing. Screenshots
at 375 and 1280 px, light and dark, go to test-artifacts/i18n/ for a person to look at."""

import os

import pytest
from playwright.sync_api import expect

from e2e.accessibility import AUDITED_PAGES, axe_source, axe_violations, describe
from e2e.conftest import REPO, start_serve
from rostra.core.testing import free_port, rostra_setup, stop, wait_until_healthy

SHOTS = REPO / "test-artifacts" / "i18n"
ARTICLE = next(page for page in AUDITED_PAGES if page.name == "article")


@pytest.fixture(scope="module")
def arabic_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("rostra-ar")
    port = free_port()
    child_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    child_env.pop("DATABASE_URL", None)
    child_env.update(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        ROSTRA_SITE_NAME="The Harrowby Herald",
        EMAIL_URL="memory:",
        LANGUAGE_CODE="ar",
    )
    rostra_setup(child_env, "--demo")
    process, log_path = start_serve(child_env, port, data_dir)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log_path)
        yield url
    finally:
        stop(process)


def _open_passage_panel(page):
    badge = page.locator(".passage__badge").first
    badge.click()
    expect(page.locator(".passage-panel__comment").first).to_be_visible()


def test_arabic_pages_are_right_to_left_with_replies_indented_from_the_right(
    arabic_server, browser
):
    """<html lang="ar" dir="rtl">; a reply list starts further from the right edge than
    its parent list and ends at the same left edge; the passage panel opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(arabic_server + ARTICLE.path)
        html = page.locator("html")
        expect(html).to_have_attribute("lang", "ar")
        expect(html).to_have_attribute("dir", "rtl")
        replies = page.locator(".comment-list--replies").first
        parent = page.locator("#comments .comment-list").first
        reply_box, parent_box = replies.bounding_box(), parent.bounding_box()
        right_inset = (parent_box["x"] + parent_box["width"]) - (
            reply_box["x"] + reply_box["width"]
        )
        left_inset = reply_box["x"] - parent_box["x"]
        assert right_inset > 10, (reply_box, parent_box)
        assert abs(left_inset) < 1, (reply_box, parent_box)
        _open_passage_panel(page)
    finally:
        context.close()


def test_arabic_article_and_support_page_screenshots(arabic_server, browser):
    """The article (passage panel open) and /support/ at 375 and 1280 px, light and dark,
    saved for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            try:
                page.goto(arabic_server + ARTICLE.path)
                _open_passage_panel(page)
                page.screenshot(path=SHOTS / f"ar-article-{width}-{scheme}.png", full_page=True)
                page.goto(arabic_server + "/support/")
                page.screenshot(path=SHOTS / f"ar-support-{width}-{scheme}.png", full_page=True)
            finally:
                context.close()


def test_arabic_article_has_no_axe_violations(arabic_server, browser):
    """The Arabic article with its comments and an open reply form: 0 axe-core violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(arabic_server + ARTICLE.path)
        ARTICLE.prepare(page)
        violations = axe_violations(page, axe_source())
    finally:
        context.close()
    assert not violations, describe(violations)
