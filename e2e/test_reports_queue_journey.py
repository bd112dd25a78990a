"""Readers report a comment from three browsers and it is held; a moderator clears the
queue with the keyboard alone. Screenshots of the queue at 1280 and 375 px are saved
under test-artifacts/screenshots/ for a person to look at."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_to_admin

ARTICLE = "/city/primary-school-pupils-redesign-the-playground-at-westfield-park/"
QUEUE = "/admin/snippets/discussion/comment/"


def _context(browser, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context


def _post(page, server, text: str, name: str) -> str:
    """Post a comment as a guest from the article; its id."""
    page.goto(server.url + ARTICLE)
    page.get_by_label("Your comment").fill(text)
    page.locator("#composer-name").fill(name)
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator(f"li.comment:has(> article .comment__body:has-text('{text}'))")
    expect(mine).to_have_class(re.compile("comment--highlight"))
    return mine.get_attribute("id").removeprefix("comment-")


def test_three_readers_report_a_comment_and_it_disappears(rostra_server, browser):
    contexts = [_context(browser, width) for width in (1280, 390, 1280, 390, 1280)]
    try:
        author = contexts[0].new_page()
        comment_id = _post(author, rostra_server, "You are all bums, every one of you.", "Troll")
        for number, context in enumerate(contexts[1:4], start=1):
            reader = context.new_page()
            reader.goto(rostra_server.url + ARTICLE + f"?comment={comment_id}")
            card = reader.locator(f"#comment-{comment_id}")
            card.get_by_role("link", name="Report").click()
            form = card.get_by_role("form", name=re.compile("Report the comment"))
            form.get_by_label("Abuse or harassment").check()
            form.get_by_label("Note").fill(f"Insults, says reader {number}.")
            form.get_by_role("button", name="Send report").click()
            expect(card.get_by_role("status")).to_have_text("Thanks, a moderator will look at it.")
        # A fourth reader no longer sees it (its link is not found); its author sees it
        # waiting for a moderator.
        fresh = contexts[4].new_page()
        answer = fresh.goto(f"{rostra_server.url}/comments/{comment_id}/")
        assert answer.status == 404
        fresh.goto(rostra_server.url + ARTICLE + f"?comment={comment_id}")
        expect(fresh.locator("#comments")).to_be_visible()
        expect(fresh.locator(f"#comment-{comment_id}")).to_have_count(0)
        author.goto(rostra_server.url + ARTICLE + f"?comment={comment_id}")
        expect(author.locator(f"#comment-{comment_id}")).to_contain_text("Awaiting moderation")
    finally:
        for context in contexts:
            context.close()


def _report_through_the_api(page, server, comment_ids) -> None:
    page.goto(server.url + ARTICLE)
    statuses = page.evaluate(
        """async (ids) => {
            const token = (await (await fetch("/api/csrf")).json()).csrf_token;
            const out = [];
            for (const id of ids) {
                const answer = await fetch(`/api/comments/${id}/reports`, {
                    method: "POST",
                    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                    body: JSON.stringify({reason: "spam", note: "Looks like an advert."}),
                });
                out.push(answer.status);
            }
            return out;
        }""",
        comment_ids,
    )
    assert statuses == [201] * len(comment_ids)


def test_a_moderator_clears_a_queue_of_five_with_the_keyboard(rostra_server, browser, page):
    writer_context, reporter_context = _context(browser), _context(browser)
    try:
        writer = writer_context.new_page()
        ids = [
            _post(writer, rostra_server, f"Queue comment number {n}, cheap offers inside.", "Ad")
            for n in range(5)
        ]
        _report_through_the_api(reporter_context.new_page(), rostra_server, ids)
    finally:
        writer_context.close()
        reporter_context.close()

    sign_in_to_admin(page, rostra_server)
    page.goto(rostra_server.url + QUEUE)
    rows = page.locator("table[data-moderation-queue] tbody tr")
    for comment_id in ids:
        expect(page.locator(f'[data-queue-comment="{comment_id}"]')).to_be_visible()
    expect(page.get_by_text("Spam or advertising").first).to_be_visible()
    screenshot(page, "moderation-queue-1280")
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot(page, "moderation-queue-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.keyboard.press("?")
    expect(page.locator("#queue-help")).to_have_attribute("open", "")
    page.keyboard.press("?")
    total = rows.count()
    assert total >= 5
    page.keyboard.press("j")
    keys = ["a", "r", "s"]
    for index in range(total):
        row = rows.nth(index)
        expect(row).to_have_class(re.compile("queue-current"))
        page.keyboard.press(keys[index % 3])
        expect(row.locator("[data-queue-done]")).to_be_visible()
    page.reload()
    expect(rows).to_have_count(0)
    expect(page.get_by_text("There are no comments")).to_be_visible()
