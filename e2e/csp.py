"""Chromium's reports of Content-Security-Policy violations, from every page of every
journey. conftest.py fails a journey that has any on a public page; the Wagtail admin
has a looser policy of its own, and its reports are only shown as warnings.

Chromium reports a violation twice: a "Refused to …" console error, and a
`securitypolicyviolation` event, which an init script turns into a console error too.
"""

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ADMIN_PREFIX = "/admin/"
REPORT_EVENTS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const element = event.target instanceof Element
    ? `<${event.target.localName}${event.target.id ? "#" + event.target.id : ""}` +
      `${event.target.className ? "." + String(event.target.className).split(" ").join(".") : ""}> `
    : "";
  console.error(
    `Content-Security-Policy violation: ${event.effectiveDirective} refused ` +
    `${event.blockedURI || "inline code"} ${element}(${event.sample || ""}) ` +
    `at ${event.sourceFile || "?"}:${event.lineNumber} on ${event.documentURI}`
  );
});
"""
REPORT = re.compile(r"Content[ -]Security[ -]Policy|^Refused to", re.IGNORECASE)
DOCUMENT = re.compile(r" on (\S+)$")


@dataclass(frozen=True)
class Violation:
    page_url: str
    text: str

    @property
    def in_admin(self) -> bool:
        return urlsplit(self.page_url).path.startswith(ADMIN_PREFIX)

    def __str__(self) -> str:
        return f"{self.page_url}: {self.text}"


@dataclass
class ViolationLog:
    violations: list[Violation] = field(default_factory=list)
    pages: list = field(default_factory=list)

    def watch_browser(self, browser) -> None:
        """Watch every context a journey opens, however it opens it."""
        new_context, new_page = browser.new_context, browser.new_page

        def watched_new_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            self.watch(context)
            return context

        def watched_new_page(*args, **kwargs):
            page = new_page(*args, **kwargs)  # in a context of its own, opened already
            self.watch(page.context)
            self._page_opened(page)
            return page

        browser.new_context, browser.new_page = watched_new_context, watched_new_page

    def watch(self, context) -> None:
        context.add_init_script(REPORT_EVENTS)
        context.on("console", self._console)
        context.on("page", self._page_opened)

    def _page_opened(self, page) -> None:
        self.pages.append(page)

    def _console(self, message) -> None:
        if not REPORT.search(message.text):
            return
        document = DOCUMENT.search(message.text)
        if document:
            url = document.group(1)
        else:
            url = message.location.get("url") or (message.page.url if message.page else "")
        self.violations.append(Violation(url, message.text))

    def settle(self) -> None:
        """One round trip to each open page delivers the console messages still on their
        way from the browser (Playwright hands events over while it waits)."""
        for page in self.pages:
            with contextlib.suppress(Exception):
                page.evaluate("0")
        self.pages = [page for page in self.pages if not page.is_closed()]

    def public(self) -> list[Violation]:
        return [v for v in self.violations if not v.in_admin]

    def admin(self) -> list[Violation]:
        return [v for v in self.violations if v.in_admin]

    def clear(self) -> None:
        self.violations.clear()
