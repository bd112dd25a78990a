"""Readers hold a conversation under an article in a real browser."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot

CONVERSATION = "/environment/how-the-new-flood-barrier-on-the-marrow-estuary-will-work/"
LONG_THREAD = "/culture/market-hall-food-stalls-win-over-the-lunchtime-crowd/"


def _comment_by(page, author):
    return page.locator(f"li.comment:has(> article .comment__author:has-text('{author}'))").first


def test_guest_posts_replies_votes_sorts_and_edits(rostra_server, page):
    page.goto(rostra_server.url + CONVERSATION)
    title = page.locator("#comments-title")
    expect(title).to_have_text("6 Comments")
    long_comment = _comment_by(page, "Marguerite Holm")
    expect(long_comment.locator(".comment__body blockquote").first).to_contain_text(
        "will not protect against flooding"
    )
    expect(long_comment.locator(".comment-list--replies li.comment")).to_have_count(3)

    # Post as a guest.
    page.get_by_label("Your comment").fill("Will the *gates* be tested every winter?")
    page.locator("#composer-name").fill("Journey Reader")
    page.get_by_role("button", name="Post comment").click()
    expect(title).to_have_text("7 Comments")
    mine = _comment_by(page, "Journey Reader")
    expect(mine).to_have_class(re.compile("comment--highlight"))
    expect(mine.locator(".comment__body em")).to_have_text("gates")

    # Reply inline under Dana's comment.
    dana = _comment_by(page, "Dana Whitlock")
    dana.get_by_role("link", name="Reply").click()
    reply_box = page.get_by_label("Your reply to Dana Whitlock")
    expect(reply_box).to_be_focused()
    reply_box.fill("We keep sandbags too.")
    page.locator(".composer--reply input[name=name]").fill("Journey Reader")
    page.get_by_role("button", name="Post reply").click()
    expect(title).to_have_text("8 Comments")
    dana = _comment_by(page, "Dana Whitlock")
    expect(dana.locator(".comment-list--replies")).to_contain_text("We keep sandbags too.")

    # Vote Ferris's comment up, then see the score and pressed state.
    ferris = _comment_by(page, "Ferris Oduya")
    score = ferris.locator(":scope > article .vote__score")
    before = int(score.inner_text())
    ferris.locator(":scope > article").get_by_role("button", name="Vote up").click()
    expect(score).to_have_text(str(before + 1))
    up_button = ferris.locator(":scope > article .vote__button--up")
    expect(up_button).to_have_attribute("aria-pressed", "true")

    # Change the sort; the choice is remembered on the next visit.
    sort_nav = page.get_by_role("navigation", name="Sort comments")
    sort_nav.get_by_role("link", name="Oldest").click()
    expect(sort_nav.get_by_role("link", name="Oldest")).to_have_attribute("aria-current", "true")
    expect(page.locator("#comment-list > li").first).to_contain_text("Dana Whitlock")
    page.reload()
    expect(sort_nav.get_by_role("link", name="Oldest")).to_have_attribute("aria-current", "true")

    # Edit my own comment within the window.
    mine = page.locator("li.comment:has(> article .comment__body:has-text('every winter'))")
    mine.get_by_role("link", name="Edit").click()
    editor = page.get_by_label("Edit your comment")
    editor.fill("Will the gates be tested every autumn?")
    page.get_by_role("button", name="Save").click()
    mine = page.locator("li.comment:has(> article .comment__body:has-text('every autumn'))")
    expect(mine.locator(":scope > article .comment__edited")).to_be_visible()
    expect(mine).to_have_class(re.compile("comment--highlight"))
    screenshot(page, "discussion")

    # A refused comment keeps the reader's text.
    page.get_by_label("Your comment").fill("We keep sandbags too.")
    page.locator("#composer-name").fill("Journey Reader")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("alert")).to_have_text("You have already posted this comment.")
    expect(page.get_by_label("Your comment")).to_have_value("We keep sandbags too.")
    screenshot(page, "discussion-refused")


def test_long_thread_loads_more_and_permalinks_reach_page_two(rostra_server, page):
    page.goto(rostra_server.url + LONG_THREAD)
    token = page.request.get(rostra_server.url + "/api/csrf").json()["csrf_token"]
    article_id = page.locator("#comments").get_attribute("data-article")
    ids = []
    for n in range(35):
        response = page.request.post(
            rostra_server.url + "/api/comments",
            data={"thread": f"article:{article_id}", "body": f"Stall review {n}", "name": "Eater"},
            headers={"X-CSRFToken": token},
        )
        assert response.status == 201, response.text()
        ids.append(response.json()["id"])

    page.goto(rostra_server.url + LONG_THREAD)
    expect(page.locator("#comment-list > li")).to_have_count(30)
    page.get_by_role("link", name="Load more comments").click()
    expect(page.locator("#comment-list > li")).to_have_count(35)
    expect(page.get_by_role("link", name="Load more comments")).to_have_count(0)

    # The oldest comment sits on page 2 in the default (newest first) order.
    page.goto(f"{rostra_server.url}/comments/{ids[0]}/")
    target = page.locator(f"#comment-{ids[0]}")
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(re.compile("comment--highlight"))
    expect(target).to_contain_text("Stall review 0")
    screenshot(page, "discussion-permalink")


def test_a_reader_with_no_cookie_gets_a_cacheable_page_and_can_still_post_and_vote(
    rostra_server, page
):
    """A first visit sets no cookie and may be kept by a proxy; the page fetches a form
    token only when the reader starts to write, then the post and a vote go through."""
    response = page.goto(rostra_server.url + LONG_THREAD)
    assert "public" in response.headers["cache-control"]
    assert "set-cookie" not in response.headers
    page.wait_for_load_state("networkidle")
    assert page.context.cookies() == []

    title = page.locator("#comments-title")
    before = int(title.inner_text().split()[0].replace(",", ""))
    page.get_by_label("Your comment").fill("First words from a fresh browser.")
    page.locator("#composer-name").fill("Fresh Reader")
    page.get_by_role("button", name="Post comment").click()
    expect(title).to_have_text(re.compile(rf"^{before + 1:,} Comments?$"))
    mine = _comment_by(page, "Fresh Reader")
    expect(mine.locator(".comment__body")).to_have_text("First words from a fresh browser.")
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert {"csrftoken", "rostra_guest"} <= names

    page.context.clear_cookies()
    page.goto(rostra_server.url + LONG_THREAD)
    first = page.locator("li.comment").first.locator(":scope > article")
    score = first.locator(".vote__score")
    votes = int(score.inner_text())
    first.get_by_role("button", name="Vote up").click()
    expect(score).to_have_text(str(votes + 1))
    screenshot(page, "fresh-reader-posted-and-voted")
