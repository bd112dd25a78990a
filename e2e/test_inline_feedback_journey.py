"""Inline feedback in a real browser: a reader comments on a passage they select, and
answers an editor's question at its passage."""

import re

from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_to_admin

SEALS = "/environment/volunteers-count-a-record-number-of-seals-on-the-northern-sandbanks/"
PASSAGE = "counting seals hauled out on the sandbanks"


def select_with_mouse(page, block, text, attempts=3):
    """Drag the mouse across `text` inside `block`, as a reader would, until the
    selection is that text: the page may still move under the mouse between measuring
    and dragging (a web font swapping in, the comment bubble appearing), which would
    select part of it."""
    page.evaluate("document.fonts.ready.then(() => true)")
    for _ in range(attempts):
        block.scroll_into_view_if_needed()
        box = block.evaluate(_TEXT_BOX, text)
        assert box, f"{text!r} not found"
        page.mouse.move(box["x1"], box["y1"])
        page.mouse.down()
        page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=5)
        page.mouse.move(box["x2"], box["y2"], steps=5)
        page.mouse.up()
        if page.evaluate("() => window.getSelection().toString().trim()") == text:
            return
        page.evaluate("() => window.getSelection().removeAllRanges()")
    raise AssertionError(f"could not select {text!r} with the mouse")


_TEXT_BOX = """(el, text) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const at = node.data.indexOf(text);
        if (at < 0) continue;
        const first = document.createRange();
        first.setStart(node, at); first.setEnd(node, at + 1);
        const last = document.createRange();
        last.setStart(node, at + text.length - 1); last.setEnd(node, at + text.length);
        const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
        return {x1: a.left + 1, y1: a.top + a.height / 2,
                x2: b.right - 1, y2: b.top + b.height / 2};
    }
    return null;
}"""


def test_reader_comments_on_a_selected_passage(rostra_server, page):
    page.goto(rostra_server.url + SEALS)
    first_paragraph = page.locator(".article__body .block--paragraph").first
    select_with_mouse(page, first_paragraph, PASSAGE)

    action = page.get_by_role("button", name="Comment on this passage", exact=True)
    expect(action).to_be_visible()
    screenshot(page, "inline-selection")
    action.click()
    composer = page.locator("#composer")
    expect(composer.locator("[data-passage-quote]")).to_have_text(PASSAGE)
    composer.get_by_label("Your comment").fill("Sixty volunteers at low tide: well done.")
    composer.get_by_label("Name").fill("Ines Passage")
    composer.get_by_role("button", name="Post comment").click()

    posted = page.locator("li.comment", has_text="Sixty volunteers at low tide")
    expect(posted.locator(".comment__passage-text")).to_have_text(PASSAGE)

    page.reload()
    mark = page.locator(".article__body mark.passage")
    expect(mark).to_have_text(PASSAGE)
    badge = page.get_by_role("button", name="1 comment on this passage")
    expect(badge).to_be_visible()
    badge.click()
    panel = page.get_by_role("region", name="1 comment on this passage")
    expect(panel).to_contain_text("Sixty volunteers at low tide: well done.")
    screenshot(page, "inline-passage-panel")

    page.get_by_role("link", name="Inline feedback").click()
    expect(page.locator(".inline-list")).to_contain_text("Sixty volunteers at low tide")


def test_reader_answers_an_editors_question(rostra_server, page):
    page.set_viewport_size({"width": 360, "height": 800})  # a phone: the panel goes under
    page.goto(rostra_server.url + SEALS)
    question = page.locator("[data-question-id='q-seal-count']")
    expect(question).to_have_class("passage passage--question")
    page.get_by_role("button", name="Do you agree with this assessment? (0 answers)").click()
    panel = page.get_by_role("region", name="Do you agree with this assessment? (0 answers)")
    expect(panel.get_by_label("Your answer")).to_be_visible()
    box, paragraph = panel.bounding_box(), question.locator("xpath=ancestor::div[1]").bounding_box()
    assert box["y"] >= paragraph["y"] + paragraph["height"] - 1  # under the paragraph
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # and within the screen
    screenshot(page, "inline-question-panel-mobile")
    panel.get_by_label("Your answer").fill("Partly: there are more seals every year.")
    panel.get_by_label("Name").fill("Tomas Answer")
    panel.get_by_role("button", name="Post answer").click()

    answer = page.locator("li.comment", has_text="Partly: there are more seals every year.")
    expect(answer).to_be_visible()
    expect(answer.locator(".comment__passage-label")).to_have_text(
        "Answering “Do you agree with this assessment?”"
    )
    expect(
        page.get_by_role("button", name="Do you agree with this assessment? (1 answer)")
    ).to_be_visible()
    screenshot(page, "inline-question-answered")


def test_without_javascript_passages_hide_and_quotes_stay(rostra_server, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(rostra_server.url + SEALS)
        expect(page.locator(".passage__badge")).to_have_count(0)
        expect(page.locator("mark.passage")).to_have_count(0)
        expect(
            page.get_by_role("button", name="Comment on this passage", exact=True)
        ).to_be_hidden()
    finally:
        context.close()


HOMES = "/city/forty-new-homes-planned-for-the-old-bus-depot-site/"
HOMES_PASSAGE = "twelve family houses"


def edit_first_paragraph(page, server, keys):
    """Open the article in the Wagtail editor, change its first paragraph, publish."""
    page.goto(server.url + HOMES)
    page.get_by_role("button", name="View Wagtail quick actions").click()
    page.get_by_role("menuitem", name="Edit this page").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    keys(page, editor)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    # Wagtail autosaves while the editor types. When an autosave lands just as Publish is
    # clicked, Wagtail asks whether to overwrite "the new version saved in another
    # window" (our own autosave); an editor answers Publish, and so does the journey.
    overwrite = page.get_by_role("dialog", name="You saved a new version in another window")
    edited = re.compile(r"/admin/pages/\d+/$")
    for _ in range(50):
        if edited.search(page.url):
            break
        if overwrite.is_visible():
            overwrite.get_by_role("button", name="Publish").click()
            break
        page.wait_for_timeout(100)
    expect(page).to_have_url(edited)


def until_visible(page, locator, *, text=None, attempts=20):
    """Re-anchoring runs on the worker after publishing: reload until it shows (with
    `text`, until it shows that text: a page served before the worker moved the anchor
    may still mark the passage where it was)."""
    for _ in range(attempts):
        page.reload()
        try:
            expect(locator).to_be_visible(timeout=1000)
            if text is not None:
                expect(locator).to_have_text(text, timeout=1000)
            return
        except AssertionError:
            continue
    expect(locator).to_be_visible()
    if text is not None:
        expect(locator).to_have_text(text)


def test_editor_edits_follow_the_highlight_and_questions_are_asked_in_the_editor(
    rostra_server, page
):
    # A reader comments on a passage.
    page.goto(rostra_server.url + HOMES)
    paragraph = page.locator(".article__body .block--paragraph").first
    select_with_mouse(page, paragraph, HOMES_PASSAGE)
    page.get_by_role("button", name="Comment on this passage", exact=True).click()
    composer = page.locator("#composer")
    composer.get_by_label("Your comment").fill("Family houses are what we need.")
    composer.get_by_label("Name").fill("Olu Anchor")
    composer.get_by_role("button", name="Post comment").click()
    expect(page.locator("li.comment", has_text="Family houses are what we need.")).to_be_visible()

    # The editor adds a sentence before the passage and publishes: the highlight follows.
    sign_in_to_admin(page, rostra_server)

    def insert_before(page, editor):
        page.keyboard.press("Control+Home")
        page.keyboard.type("Update: the council meets on Monday. ")
        expect(page.locator("input[name='body-0-value']")).to_have_value(
            re.compile("council meets on Monday")
        )

    edit_first_paragraph(page, rostra_server, insert_before)
    page.goto(rostra_server.url + HOMES)
    mark = page.locator(".article__body mark.passage")
    until_visible(page, mark, text=HOMES_PASSAGE)
    expect(page.locator(".article__body .block--paragraph").first).to_contain_text(
        "Update: the council meets on Monday."
    )
    screenshot(page, "inline-anchor-followed-edit")

    # The editor marks a passage with a question for readers (Draftail entity).
    def ask_question(page, editor):
        page.keyboard.press("Control+Home")
        for _ in range(len("Update: ")):
            page.keyboard.press("ArrowRight")
        for _ in range(len("the council meets on Monday")):
            page.keyboard.press("Shift+ArrowRight")
        page.once("dialog", lambda dialog: dialog.accept("Will you go to the meeting?"))
        page.get_by_role("button", name="Ask readers a question about this passage").click()
        expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("QUESTION"))

    edit_first_paragraph(page, rostra_server, ask_question)
    page.goto(rostra_server.url + HOMES)
    expect(
        page.get_by_role("button", name="Will you go to the meeting? (0 answers)")
    ).to_be_visible()
    expect(page.locator("[data-question]")).to_have_text("the council meets on Monday")

    # The editor rewrites the paragraph without the passage: the comment is kept, orphaned.
    def rewrite(page, editor):
        page.keyboard.press("Control+a")
        page.keyboard.type("The cooperative withdrew its plans on Friday.")
        expect(page.locator("input[name='body-0-value']")).to_have_value(
            re.compile("withdrew its plans")
        )

    edit_first_paragraph(page, rostra_server, rewrite)
    page.goto(rostra_server.url + HOMES)
    note = page.locator("li.comment", has_text="Family houses are what we need.").locator(
        ".comment__passage-note"
    )
    until_visible(page, note)
    expect(note).to_have_text("The article has changed since: this passage is no longer in it.")
    expect(page.locator(".article__body mark.passage")).to_have_count(0)
    page.get_by_role("link", name="Inline feedback").click()
    expect(page.locator(".inline-list")).to_contain_text(HOMES_PASSAGE)
    screenshot(page, "inline-orphaned")


def test_keyboard_reaches_the_passage_button(rostra_server, page):
    page.goto(rostra_server.url + SEALS)
    last = page.locator(".article__body .block--paragraph").last
    last.scroll_into_view_if_needed()
    # A selection made with the keyboard (caret browsing, a screen reader's cursor):
    # the script sees only the resulting selection.
    last.evaluate(
        """el => {
            const node = el.querySelector("p").firstChild;
            const at = node.data.indexOf("keep dogs on leads");
            getSelection().setBaseAndExtent(node, at, node, at + "keep dogs on leads".length);
        }"""
    )
    action = page.get_by_role("button", name="Comment on this passage", exact=True)
    expect(action).to_be_visible()
    page.keyboard.press("Tab")
    expect(action).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#composer [data-passage-quote]")).to_have_text("keep dogs on leads")
    expect(page.locator("#composer textarea")).to_be_focused()
