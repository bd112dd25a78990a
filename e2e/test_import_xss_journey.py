"""An editor imports a WordPress and a Commento export whose commenters carry hostile
websites and names; a reader opens the article and clicks every name. Nothing runs: the
websites were dropped on import, and the names show as text."""

import json
from xml.sax.saxutils import escape

from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_to_admin

ARTICLE = "/environment/orchard-project-plants-200-fruit-trees-on-the-towns-edge/"
FLAG = "window.__rostraXss = true; alert(document.domain)"
HOSTILE_WEBSITES = [
    f"javascript:{FLAG}",
    f"JAVASCRIPT:{FLAG}",
    f"java\tscript:{FLAG}",
    f"  javascript:{FLAG}",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]
HOSTILE_NAME = '<img src=x onerror="window.__rostraXss = true">'
GOOD_WEBSITE = "https://reader.invalid/blog"


def wxr(article_url: str) -> bytes:
    people = [*HOSTILE_WEBSITES, GOOD_WEBSITE]
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{n}</wp:comment_id>
        <wp:comment_author>{escape(HOSTILE_NAME)} wp{n}</wp:comment_author>
        <wp:comment_author_url>{escape(website)}</wp:comment_author_url>
        <wp:comment_date_gmt>2021-05-0{n} 10:00:00</wp:comment_date_gmt>
        <wp:comment_content>WordPress comment {n}</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved></wp:comment>"""
        for n, website in enumerate(people, start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<item><title>Orchard</title><link>{article_url}</link><wp:post_id>9</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>{comments}</item>
</channel></rss>""".encode()


def commento(base: str) -> bytes:
    domain = base.split("://", 1)[1]
    return json.dumps(
        {
            "version": 1,
            "comments": [
                {"commentHex": f"c{n}", "domain": domain, "url": ARTICLE,
                 "commenterHex": f"p{n}", "markdown": f"Commento comment {n}",
                 "parentHex": "root", "score": 0, "state": "approved",
                 "creationDate": f"2021-06-0{n + 1}T10:00:00Z"}
                for n in range(len(HOSTILE_WEBSITES))
            ],
            "commenters": [
                {"commenterHex": f"p{n}", "name": f"{HOSTILE_NAME} cm{n}", "link": website}
                for n, website in enumerate(HOSTILE_WEBSITES)
            ],
        }
    ).encode()  # fmt: skip


def import_in_admin(page, base, path):
    page.goto(base + "/admin/import/")
    page.get_by_label("File").set_input_files(path)
    page.get_by_role("button", name="Upload and import").click()
    # The worker of `rostra serve` may first index the demo content: allow it the time.
    expect(page.get_by_test_id("import-status")).to_have_text("Finished", timeout=120_000)


def test_hostile_imported_websites_and_names_never_run(rostra_server, page, tmp_path):
    base = rostra_server.url
    sign_in_to_admin(page, rostra_server)
    for name, content in [("wxr.xml", wxr(base + ARTICLE)), ("commento.json", commento(base))]:
        export = tmp_path / name
        export.write_bytes(content)
        import_in_admin(page, base, export)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base + ARTICLE)
    authors = page.locator("li.comment .comment__author", has_text=HOSTILE_NAME)
    expect(authors).to_have_count(2 * len(HOSTILE_WEBSITES) + 1)
    expect(page.locator("li.comment img[src='x']")).to_have_count(0)
    screenshot(page, "imported-hostile-commenters")

    good = page.get_by_role("link", name=f"{HOSTILE_NAME} wp{len(HOSTILE_WEBSITES) + 1}")
    expect(good).to_have_attribute("href", GOOD_WEBSITE)
    for n in range(authors.count()):
        author = authors.nth(n)
        link = author.get_by_role("link")
        href = link.get_attribute("href") if link.count() else None
        if href and href.startswith(("http://", "https://")):
            continue  # an address on the web: following it could run nothing here
        (link if href else author).click()
        expect(page).to_have_url(base + ARTICLE)
    assert page.evaluate("window.__rostraXss") is None
    assert dialogs == []
