"""A moderator opts in to alert e-mails; a guest's comment with too many links is held;
the alert arrives (the journeys' server writes mail to files) and its Approve link,
opened in a browser that is not signed in, asks to confirm and then publishes the
comment. The moderator makes it an editor's pick pinned to the top: readers see it
first, and alone under the "Editor's picks" tab."""

import re
import time

from playwright.sync_api import expect

from e2e.conftest import sign_in_to_admin

ARTICLE = "/city/primary-school-pupils-redesign-the-playground-at-westfield-park/"
MODERATOR_EMAIL = "moderator-journey@example.org"
APPROVE = re.compile(r"^Approve: (http://127\.0\.0\.1:\d+/comments/alerts/[^/\s]+/)$", re.M)


def wait_for_alert(server, *, timeout: float = 30) -> str:
    """The Approve link of the first alert to MODERATOR_EMAIL in the server's mailbox."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(server.mailbox.glob("*.log")):
            text = path.read_text(errors="replace")
            if MODERATOR_EMAIL in text and (found := APPROVE.search(text)):
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no alert e-mail to {MODERATOR_EMAIL} within {timeout}s")


def test_an_alert_emails_approve_link_publishes_and_a_pinned_pick_shows_first(
    rostra_server, browser, page
):
    # The moderator (the first admin) chooses an e-mail for each held comment.
    sign_in_to_admin(page, rostra_server)
    page.goto(rostra_server.url + "/admin/account/")
    page.locator("#id_name_email-first_name").fill("Mo")
    page.locator("#id_name_email-last_name").fill("Derator")
    page.locator("#id_name_email-email").fill(MODERATOR_EMAIL)
    page.get_by_role("tab", name="Notifications").click()
    page.get_by_label("An e-mail for each held or reported comment").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your account settings have been changed successfully")).to_be_visible()

    # A guest's comment with more links than the limit (3) is held.
    reader_context = browser.new_context(viewport={"width": 390, "height": 844})
    reader_context.set_default_timeout(15_000)
    reader = reader_context.new_page()
    try:
        reader.goto(rostra_server.url + ARTICLE)
        links = " ".join(f"https://example.org/{n}" for n in range(4))
        reader.get_by_label("Your comment").fill(f"Sources for the plan: {links}")
        reader.locator("#composer-name").fill("Link Lover")
        reader.get_by_role("button", name="Post comment").click()
        mine = reader.locator("li.comment:has(> article .comment__author:has-text('Link Lover'))")
        expect(mine).to_have_class(re.compile("comment--pending"))
        comment_id = mine.get_attribute("id").removeprefix("comment-")

        # The alert's Approve link, in a browser nobody signed in to: confirm, then done.
        approve = wait_for_alert(rostra_server)
        mail_context = browser.new_context()
        mail_context.set_default_timeout(15_000)
        from_mail = mail_context.new_page()
        try:
            from_mail.goto(approve)
            expect(from_mail.get_by_text("Sources for the plan")).to_be_visible()
            from_mail.get_by_role("button", name="Approve and publish it").click()
            expect(from_mail.get_by_role("status")).to_contain_text("now approved")
            from_mail.goto(approve)
            expect(from_mail.get_by_role("alert")).to_contain_text("already been used")
        finally:
            mail_context.close()

        # The moderator features it and pins it to the top.
        page.goto(f"{rostra_server.url}/admin/discussion/comments/{comment_id}/feature/")
        page.get_by_role("button", name="Make it an editor's pick").click()
        page.goto(f"{rostra_server.url}/admin/discussion/comments/{comment_id}/feature/")
        page.get_by_role("button", name="Pin it to the top").click()
        expect(page.get_by_text("is pinned to the top of its discussion")).to_be_visible()

        # Readers see it first, marked, and alone under "Editor's picks".
        stranger = browser.new_page()
        try:
            stranger.goto(rostra_server.url + ARTICLE + "#comments")
            first = stranger.locator("#comment-list > li.comment").first
            expect(first).to_have_id(f"comment-{comment_id}")
            expect(first.locator(".comment__mark--pinned")).to_be_visible()
            expect(first.locator(".comment__mark--pick")).to_have_text("Editor's pick")
            stranger.get_by_role("link", name="Editor's picks").click()
            expect(stranger.locator("#comment-list > li.comment")).to_have_count(1)
            expect(stranger.locator("#comment-list")).to_contain_text("Sources for the plan")
        finally:
            stranger.close()
    finally:
        reader_context.close()
