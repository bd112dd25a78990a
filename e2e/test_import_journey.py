"""An editor imports a WordPress export in the admin and finds its comments on the site."""

from pathlib import Path

from playwright.sync_api import expect

from e2e.conftest import screenshot

WXR = Path(__file__).resolve().parents[1] / "rostra/transfer/tests/fixtures/isso/wordpress.xml"


def test_editor_imports_a_wordpress_export(rostra_server, page):
    base = rostra_server.url
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(rostra_server.admin_username)
    page.get_by_label("Password").fill(rostra_server.admin_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/admin/")

    page.goto(base + "/admin/import/")
    page.get_by_label("File").set_input_files(WXR)
    page.get_by_role("button", name="Upload and import").click()
    # The worker started by `rostra serve` runs it; the page follows without reloading.
    expect(page.get_by_test_id("import-status")).to_have_text("Finished", timeout=30_000)
    summary = page.get_by_test_id("import-summary")
    expect(summary.get_by_role("row", name="Comments")).to_contain_text("8")
    screenshot(page, "admin-import-finished")

    page.goto(base + "/uncategorized/test/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, World…")
    expect(page.get_by_text("Drölfter!")).to_be_visible()
    expect(page.get_by_text("Yet another reply.")).to_be_visible()
