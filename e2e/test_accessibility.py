"""axe-core finds nothing to fix on the pages readers meet and on the screens Rostra adds
to the admin, in light and dark."""

import pytest

from e2e.accessibility import AUDITED_PAGES, COLOR_SCHEMES, axe_source, axe_violations, describe
from e2e.conftest import sign_in_to_admin


@pytest.fixture(scope="session")
def axe():
    return axe_source()


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
def test_reader_pages_have_no_axe_violations(rostra_server, browser, axe, scheme):
    """Home, a section, an article with its comments and an open reply form, /support/,
    search results, sign-in and sign-up: 0 axe-core violations of any impact."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(15_000)
    page = context.new_page()
    found = {}
    try:
        for audited in AUDITED_PAGES:
            page.goto(rostra_server.url + audited.path)
            if audited.prepare:
                audited.prepare(page)
            violations = axe_violations(page, axe)
            if violations:
                found[audited.name] = describe(violations)
    finally:
        context.close()
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())


# Wagtail's own chrome, not ours: at desktop widths its sidebar keeps a search form
# (role="search", unnamed) beside a listing's search form, which axe counts as two
# landmarks of the same name.
WAGTAIL_SIDEBAR_SEARCH = ".w-h-\\[42px\\]"
UNUSED_ARTICLE = "/culture/photographers-capture-a-year-of-the-harbour-at-dawn/"


def _ours(violations: list[dict]) -> list[dict]:
    return [
        v
        for v in violations
        if not (v["id"] == "landmark-unique" and v["targets"] == [WAGTAIL_SIDEBAR_SEARCH])
    ]


@pytest.fixture(scope="module")
def reported_comment(rostra_server, browser) -> str:
    """A guest's comment that another reader reported and whose author an editor banned
    for a day: a row in the moderation queue with its reports, a decision log, a ban in
    the list and a commenter to ban or feature. Its id."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    try:
        writer = context.new_page()
        writer.goto(rostra_server.url + UNUSED_ARTICLE)
        writer.get_by_label("Your comment").fill("A comment for the moderators' screens.")
        writer.locator("#composer-name").fill("Audited Guest")
        writer.get_by_role("button", name="Post comment").click()
        mine = writer.locator("li.comment.comment--highlight").first
        mine.wait_for()
        comment_id = mine.get_attribute("id").removeprefix("comment-")
    finally:
        context.close()
    context = browser.new_context()
    try:
        reader = context.new_page()
        reader.goto(rostra_server.url + UNUSED_ARTICLE)
        status = reader.evaluate(
            """async (id) => {
                const token = (await (await fetch("/api/csrf")).json()).csrf_token;
                const answer = await fetch(`/api/comments/${id}/reports`, {
                    method: "POST",
                    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                    body: JSON.stringify({reason: "abuse", note: "Rude to a neighbour."}),
                });
                return answer.status;
            }""",
            comment_id,
        )
    finally:
        context.close()
    assert status == 201
    # …and an editor bans its author for a day, so Bans lists a ban.
    context = browser.new_context()
    context.set_default_timeout(15_000)
    try:
        editor = context.new_page()
        sign_in_to_admin(editor, rostra_server)
        editor.goto(f"{rostra_server.url}/admin/discussion/comments/{comment_id}/ban/")
        editor.get_by_label("Their account or browser (guest identity)").check()
        editor.get_by_label("Duration").select_option(label="24 hours")
        editor.get_by_label("Reason").fill("Audited ban.")
        editor.locator("form[method=post]").get_by_role("button", name="Ban", exact=True).click()
        editor.wait_for_url("**/admin/snippets/discussion/ban/")
    finally:
        context.close()
    return comment_id


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
def test_moderation_and_donor_admin_screens_have_no_axe_violations(
    rostra_server, browser, axe, scheme, reported_comment
):
    """The screens Rostra adds to the admin, at 1280 and 375 px: the moderation queue
    with a reported comment, the comment with its decision log, Bans, Ban this
    commenter, Feature, the word lists (discussion settings), the spam filter's page
    and the donor list: 0 axe-core violations of any impact (beyond Wagtail's sidebar);
    so each has its heading as the page's <h1> and its links stand out in dark mode."""
    screens = {
        "queue": "/admin/snippets/discussion/comment/",
        "decision log": f"/admin/snippets/discussion/comment/inspect/{reported_comment}/",
        "bans": "/admin/snippets/discussion/ban/",
        "ban this commenter": f"/admin/discussion/comments/{reported_comment}/ban/",
        "feature": f"/admin/discussion/comments/{reported_comment}/feature/",
        "word lists": "/admin/settings/discussion/discussionsettings/",
        "spam filter": "/admin/spam-filter/",
        "donors": "/admin/snippets/funding/donor/",
    }
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(15_000)
    page = context.new_page()
    found = {}
    try:
        sign_in_to_admin(page, rostra_server)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in screens.items():
                page.goto(rostra_server.url + path)
                if name == "queue":
                    page.locator(f'[data-queue-comment="{reported_comment}"]').wait_for()
                violations = _ours(axe_violations(page, axe))
                if violations:
                    found[f"{name} at {width} px"] = describe(violations)
    finally:
        context.close()
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())
