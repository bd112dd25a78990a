"""Chromium enforces the site's Content-Security-Policy, and the journeys' harness
notices every violation (e2e/conftest.py fails a journey with one on a public page)."""

from playwright.sync_api import expect

ARTICLE = "/environment/how-the-new-flood-barrier-on-the-marrow-estuary-will-work/"


def test_injected_inline_script_is_refused_and_reported(rostra_server, page, csp_violations):
    page.goto(rostra_server.url + ARTICLE)
    expect(page.locator("#comments")).to_be_visible()
    assert csp_violations.public() == [], "the article page itself breaks no rule"

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injectedRan = true";
            document.body.append(script);
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        }"""
    )
    assert page.evaluate("window.injectedRan") is None, "the inline script did not run"
    page.wait_for_function("document.querySelector('p[style]') !== null")
    csp_violations.settle()
    reported = " ".join(str(v) for v in csp_violations.public())
    assert "script-src" in reported and "style-src" in reported, reported
    csp_violations.clear()  # expected here: this journey provoked them


def test_json_ld_of_an_article_is_data_not_a_refused_script(rostra_server, page, csp_violations):
    page.goto(rostra_server.url + ARTICLE)
    data = page.locator('script[type="application/ld+json"]')
    assert '"NewsArticle"' in data.text_content()
    csp_violations.settle()
    assert csp_violations.public() == []
