"""A moderator bans a guest from the admin; the guest's next comment is refused in
their browser, politely, with their text still in the form."""

import re

from playwright.sync_api import expect

from e2e.conftest import sign_in_to_admin

ARTICLE = "/city/primary-school-pupils-redesign-the-playground-at-westfield-park/"


def test_a_banned_guests_next_comment_is_refused_with_the_text_kept(rostra_server, browser, page):
    # A guest comments, in a browser of their own.
    guest_context = browser.new_context(viewport={"width": 390, "height": 844})
    guest_context.set_default_timeout(15_000)
    guest = guest_context.new_page()
    try:
        guest.goto(rostra_server.url + ARTICLE)
        guest.get_by_label("Your comment").fill("Orchards are a waste of council money.")
        guest.locator("#composer-name").fill("Grumpy Guest")
        guest.get_by_role("button", name="Post comment").click()
        mine = guest.locator("li.comment:has(> article .comment__author:has-text('Grumpy Guest'))")
        expect(mine).to_have_class(re.compile("comment--highlight"))
        comment_id = mine.get_attribute("id").removeprefix("comment-")

        # The moderator bans them from the comment's page in the admin.
        sign_in_to_admin(page, rostra_server)
        page.goto(f"{rostra_server.url}/admin/snippets/discussion/comment/edit/{comment_id}/")
        page.get_by_role("link", name="Ban this commenter").click()
        page.get_by_label("Their account or browser (guest identity)").check()
        page.get_by_label("Duration").select_option("7d")
        page.get_by_label("Reason").fill("Repeated insults")
        page.get_by_role("button", name="Ban", exact=True).click()
        expect(page.get_by_text("Grumpy Guest: 1 ban added.")).to_be_visible()

        # Their next comment is refused, and what they typed is still there.
        guest.get_by_label("Your comment").fill("You cannot silence me, my long reply.")
        guest.locator("#composer-name").fill("Grumpy Guest")
        guest.get_by_role("button", name="Post comment").click()
        expect(guest.get_by_role("alert")).to_contain_text("cannot comment here until")
        expect(guest.get_by_label("Your comment")).to_have_value(
            "You cannot silence me, my long reply."
        )
        expect(guest.locator("#comment-list")).not_to_contain_text("You cannot silence me")
    finally:
        guest_context.close()
