"""An editor imports a Disqus export in the admin; its comments join the demo article
that lives at the same address. The import screens pass axe-core on the way."""

from playwright.sync_api import expect

from e2e.accessibility import axe_source, violations_in_each_scheme
from e2e.conftest import screenshot, sign_in_to_admin

ARTICLE = "/environment/beach-clean-finds-fewer-plastic-bottles-more-fishing-line/"


def disqus_export(article_url: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="77"><forum>herald</forum><link>{article_url}</link>
    <title>Beach clean</title></thread>
  <post dsq:id="701"><message><![CDATA[<p>Fishing line is the <b>real</b> problem.</p>]]>
    </message><createdAt>2021-04-02T09:00:00Z</createdAt><isDeleted>false</isDeleted>
    <isSpam>false</isSpam><author><name>Morwenna Disqus</name></author>
    <thread dsq:id="77"/></post>
  <post dsq:id="702"><message><![CDATA[<p>Agreed, and nets too.</p>]]></message>
    <createdAt>2021-04-02T10:00:00Z</createdAt><isDeleted>false</isDeleted>
    <isSpam>false</isSpam><author><name>Tobias Disqus</name></author>
    <thread dsq:id="77"/><parent dsq:id="701"/></post>
</disqus>""".encode()


def test_editor_imports_a_disqus_export(rostra_server, page, tmp_path):
    base = rostra_server.url
    export = tmp_path / "disqus-export.xml"
    export.write_bytes(disqus_export(base + ARTICLE))

    sign_in_to_admin(page, rostra_server)

    page.goto(base + "/admin/import/")
    page.get_by_label("File").set_input_files(export)
    page.get_by_role("button", name="Upload and import").click()
    # The worker started by `rostra serve` runs it; the page follows without reloading.
    expect(page.get_by_test_id("import-status")).to_have_text("Finished", timeout=30_000)
    summary = page.get_by_test_id("import-summary")
    expect(summary.get_by_role("row", name="Comments")).to_contain_text("2")
    screenshot(page, "admin-import-finished")
    # The import's page and the import page, in light and dark: 0 axe-core violations,
    # so each has its title as the page's <h1> (a template variable named `heading`
    # used to replace Wagtail's header). Audited here, where an editor is signed in
    # and an import exists, rather than signing in and importing again elsewhere.
    axe = axe_source()
    found = {"an import": violations_in_each_scheme(page, axe)}
    page.goto(base + "/admin/import/")
    found["imports"] = violations_in_each_scheme(page, axe)
    assert not any(found.values()), found

    page.goto(base + ARTICLE)
    first = page.locator("li.comment", has_text="Fishing line is the real problem.")
    expect(first).to_be_visible()
    expect(first.get_by_text("Morwenna Disqus")).to_be_visible()
    expect(first.locator("strong", has_text="real")).to_be_visible()
    reply = first.locator("li.comment", has_text="Agreed, and nets too.")
    expect(reply).to_be_visible()
    screenshot(page, "imported-comments-on-article")
