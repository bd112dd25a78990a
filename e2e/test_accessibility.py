"""axe-core finds nothing to fix on the pages readers meet, in light and dark."""

import pytest

from e2e.accessibility import AUDITED_PAGES, COLOR_SCHEMES, axe_source, axe_violations, describe


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
