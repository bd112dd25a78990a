"""Two readers on one article: what one posts reaches the other live."""

import http.client
import json
from urllib.parse import urlsplit

from playwright.sync_api import expect

from e2e.conftest import screenshot

ARTICLE = "/culture/review-a-small-book-about-tides-that-reads-like-a-novel/"


def test_new_comment_appears_as_a_bubble_for_another_reader(rostra_server, browser):
    writer_context = browser.new_context()
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        reader = reader_context.new_page()
        reader.goto(rostra_server.url + ARTICLE)
        expect(reader.locator("[data-live]")).to_have_count(1)
        expect(reader.locator(".live__bubble")).to_be_hidden()  # nothing new yet

        writer = writer_context.new_page()
        writer.goto(rostra_server.url + ARTICLE)
        writer.get_by_label("Your comment").fill("Just finished the tides book, lovely.")
        writer.locator("#composer-name").fill("Live Writer")
        writer.get_by_role("button", name="Post comment").click()
        expect(writer.locator("#comments-title")).to_contain_text("Comment")

        bubble = reader.locator(".live__bubble")
        expect(bubble).to_have_text("1 new comment", timeout=2000)
        screenshot(reader, "live-bubble")
        bubble.click()
        expect(
            reader.locator(".comment__body", has_text="Just finished the tides book")
        ).to_be_visible()
    finally:
        writer_context.close()
        reader_context.close()


def _read_events(url: str, last_event_id: str, count: int) -> list[tuple[str, str]]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path, headers={"Last-Event-ID": last_event_id})
    response = conn.getresponse()
    assert response.getheader("Content-Type").startswith("text/event-stream")
    events, current = [], {}
    while len(events) < count:
        line = response.readline().decode().rstrip("\n")
        if line.startswith("id: "):
            current["id"] = line[4:]
        elif line.startswith("data: "):
            current["data"] = line[6:]
        elif line == "" and "id" in current:
            events.append((current["id"], current["data"]))
            current = {}
    conn.close()
    return events


def test_stream_resumes_after_the_last_event_without_loss_or_repeats(rostra_server, page):
    page.goto(rostra_server.url + ARTICLE)
    article = page.locator("[data-live]").get_attribute("data-article")
    since = page.locator("[data-live]").get_attribute("data-since")
    token = page.request.get(rostra_server.url + "/api/csrf").json()["csrf_token"]
    posted = []
    for n in range(3):
        response = page.request.post(
            rostra_server.url + "/api/comments",
            data={"thread": f"article:{article}", "body": f"Resume check {n}", "name": "R"},
            headers={"X-CSRFToken": token},
        )
        posted.append(response.json()["id"])
    url = f"{rostra_server.url}/live/articles/{article}/"
    # Everything after what the page had seen: the three comments, once each, in order.
    events = _read_events(url, since, count=3)
    assert [json.loads(data)["comment"] for _, data in events] == posted
    # A reconnect after the second event continues with the third, and nothing else.
    resumed = _read_events(url, events[1][0], count=1)
    assert resumed == [events[2]]


def test_scores_change_live_for_other_readers(rostra_server, browser):
    conversation = "/environment/how-the-new-flood-barrier-on-the-marrow-estuary-will-work/"
    dana = "li.comment:has(> article .comment__author:has-text('Dana Whitlock'))"
    voter_context, reader_context = browser.new_context(), browser.new_context()
    try:
        reader = reader_context.new_page()
        reader.goto(rostra_server.url + conversation)
        score = reader.locator(dana).locator(":scope > article .vote__score")
        before = int(score.inner_text())
        voter = voter_context.new_page()
        voter.goto(rostra_server.url + conversation)
        voter.locator(dana).locator(":scope > article").get_by_role(
            "button", name="Vote down"
        ).click()
        expect(voter.locator(dana).locator(":scope > article .vote__score")).to_have_text(
            str(before - 1)
        )
        expect(score).to_have_text(str(before - 1), timeout=2000)
    finally:
        voter_context.close()
        reader_context.close()
