"""An editor writes and publishes an article in the Wagtail admin."""

import re
from urllib.request import urlopen
from xml.etree import ElementTree

from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_to_admin

HEADLINE = "Night buses return to the coast road"


def test_editor_publishes_an_article_that_reaches_the_front_page_and_feed(rostra_server, page):
    base = rostra_server.url
    sign_in_to_admin(page, rostra_server)

    # From the public section page, the editors' quick-actions bar adds an article.
    page.goto(base + "/city/")
    page.get_by_role("button", name="View Wagtail quick actions").click()
    page.get_by_role("menuitem", name="Add a child page").click()
    expect(page.locator("#id_title")).to_be_visible()

    page.locator("#id_title").fill(HEADLINE)
    page.locator("#id_standfirst").fill("Two late routes restart on Friday after a year's pause.")
    page.locator("#id_byline").fill("Edna Journey")
    # Leaving the title fills the slug (Promote tab); publishing before that is refused.
    expect(page.locator("#id_slug")).to_have_value("night-buses-return-to-the-coast-road")
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.press_sequentially("The night buses stop at every village on the way.")
    # Draftail writes its content to the form's hidden input a moment after typing.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("every village"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    # Wagtail returns to the section's page listing, the new article at the top, live.
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/$"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=HEADLINE))
    expect(row.get_by_role("link", name="Current page status: live")).to_be_visible()
    screenshot(page, "admin-published")

    page.goto(base + "/")
    lead = page.locator(".front-lead .card__title a")
    expect(lead).to_have_text(HEADLINE)
    lead.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.locator(".article__body")).to_contain_text("stop at every village")
    expect(page.locator(".article__author")).to_have_text("Edna Journey")
    screenshot(page, "article-by-editor")

    # The search index is updated by the task worker that `rostra serve` started.
    search = page.get_by_role("search").first
    search.get_by_role("searchbox").fill("night buses village")
    search.get_by_role("button", name="Search").click()
    results = page.locator(".search-count")
    for _attempt in range(30):  # the worker polls its queue every second
        if results.count() and "1 result" in results.inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(results).to_have_text(re.compile(r"^1 result for"))
    expect(page.locator(".card__title")).to_have_text(HEADLINE)

    with urlopen(base + "/feeds/atom/", timeout=10) as response:
        feed = ElementTree.fromstring(response.read())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert HEADLINE in titles
