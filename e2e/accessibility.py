"""The pages readers meet, checked with axe-core (npm, in node_modules) in Chromium.

Shared by the accessibility journey (e2e/test_accessibility.py, part of the suite) and
`make audit` (audit/run.py, which adds Lighthouse): the same pages, the same rules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
CONVERSATION = "/environment/how-the-new-flood-barrier-on-the-marrow-estuary-will-work/"
COLOR_SCHEMES = ("light", "dark")


def _open_reply_form(page):
    # By its role, not its words: the same step opens the form in every language.
    page.locator("li.comment").first.locator("a[data-reply]").first.click()
    page.locator(".composer--reply textarea").first.wait_for()


def _open_report_form(page):
    page.locator("li.comment").first.locator("a.comment__report").first.click()
    page.locator("form.composer--report").first.wait_for()


@dataclass(frozen=True)
class AuditedPage:
    name: str
    path: str
    prepare: Callable | None = None


AUDITED_PAGES = (
    AuditedPage("home", "/"),
    AuditedPage("section", "/environment/"),
    AuditedPage("article", CONVERSATION, _open_reply_form),
    AuditedPage("report a comment", CONVERSATION, _open_report_form),
    AuditedPage("support", "/support/"),
    AuditedPage("manage my support", "/support/manage/"),
    AuditedPage("search", "/search/?q=flood"),
    AuditedPage("sign-in", "/accounts/login/"),
    AuditedPage("sign-up", "/accounts/signup/"),
)


def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise RuntimeError(f"{AXE_SCRIPT} is missing: run `npm ci` (or `make audit`) first")
    return AXE_SCRIPT.read_text()


def axe_violations(page, source: str) -> list[dict]:
    """Run axe-core's WCAG 2.x A/AA and best-practice rules on the page as it stands;
    return its violations (rule id, impact, the first offending elements)."""
    page.evaluate(source)
    return page.evaluate(
        """async () => {
          const result = await window.axe.run(document);
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
          }));
        }"""
    )


def violations_in_each_scheme(page, source: str) -> dict[str, str]:
    """axe-core's violations on the page as it stands, in light and in dark: {scheme:
    their description}, for the schemes that have any."""
    found = {}
    for scheme in COLOR_SCHEMES:
        page.emulate_media(color_scheme=scheme)
        if violations := axe_violations(page, source):
            found[scheme] = describe(violations)
    page.emulate_media(color_scheme=None)
    return found


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'])}" for v in violations
    )
