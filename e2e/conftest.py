"""Browser journeys: a real `rostra serve` process, a real database and Debian's Chromium.

The server is started the way an operator starts it (`rostra setup --demo`, then
`rostra serve`), in a fresh data directory. When the suite runs on PostgreSQL
(DATABASE_URL=postgres://…), the server gets a new database of its own on that server.
"""

import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.csp import ViolationLog
from rostra.core.testing import (
    ROSTRA,
    free_port,
    postgres_database,
    rostra_setup,
    stop,
    wait_until_healthy,
)

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


STRIPE_WEBHOOK_SECRET = "whsec_e2e"


@dataclass
class RunningServer:
    url: str
    admin_username: str
    admin_password: str
    log_path: Path
    stripe: object = None
    env: dict | None = None
    mailbox: Path | None = None  # EMAIL_URL=file://: one file per connection's messages

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


# Content-Security-Policy violations Chromium reports while a journey runs.
CSP_VIOLATIONS = ViolationLog()


ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(items):
    """Journeys share one server per test process.

    A journey drives the same views that the rest of the suite tests on both databases
    through Django's test client, so it runs once, on SQLite; the journeys whose
    behaviour depends on the database (marked `both_databases`: backup and restore,
    streams across processes) run on PostgreSQL as well."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.browser)
            if ON_POSTGRESQL and not item.get_closest_marker("both_databases"):
                item.add_marker(pytest.mark.skip(reason="a journey independent of the database"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A journey fails if Chromium reported a CSP violation on any public page."""
    CSP_VIOLATIONS.clear()
    result = yield
    CSP_VIOLATIONS.settle()
    for violation in CSP_VIOLATIONS.admin():
        warnings.warn(f"Wagtail admin: {violation}", stacklevel=1)
    public = CSP_VIOLATIONS.public()
    if public:
        pytest.fail(
            "Content-Security-Policy violations on public pages:\n"
            + "\n".join(f"  {violation}" for violation in public),
            pytrace=False,
        )
    return result


@pytest.fixture
def csp_violations():
    return CSP_VIOLATIONS


@pytest.fixture(scope="session")
def fake_stripe():
    from rostra.funding.testing import FakeStripe

    with FakeStripe() as fake:
        yield fake


def start_serve(child_env: dict, port: int, data_dir: Path) -> tuple[subprocess.Popen, Path]:
    """`rostra serve` on 127.0.0.1:`port`, logging to `data_dir`/serve.log."""
    log_path = data_dir / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*ROSTRA, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, log_path


@pytest.fixture(scope="session")
def rostra_server(tmp_path_factory, fake_stripe):
    data_dir = tmp_path_factory.mktemp("rostra-data")
    port = free_port()
    child_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    child_env.update(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        ROSTRA_SITE_NAME="The Harrowby Herald",
        EMAIL_URL=f"file://{data_dir / 'mailbox'}",
        DEBUG="false",
        # Journeys act faster than people and share one address: the anti-abuse
        # limits have their own tests; here they would only slow the journeys down.
        ROSTRA_COMMENT_MIN_SECONDS="0",
        ROSTRA_COMMENT_RATE_LIMIT="1000/60",
        # Stripe's API is played by a local server: no call leaves the machine.
        ROSTRA_STRIPE_SECRET_KEY="sk_test_e2e",
        ROSTRA_STRIPE_API_BASE=fake_stripe.url,
        ROSTRA_STRIPE_WEBHOOK_SECRET=STRIPE_WEBHOOK_SECRET,
    )
    drop_database = None
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        child_env["DATABASE_URL"], drop_database = postgres_database(database_url, migrated=True)
    else:
        child_env.pop("DATABASE_URL", None)

    password = rostra_setup(child_env, "--demo")

    process, log_path = start_serve(child_env, port, data_dir)
    server = RunningServer(
        f"http://127.0.0.1:{port}",
        "admin",
        password,
        log_path,
        fake_stripe,
        child_env,
        data_dir / "mailbox",
    )
    try:
        wait_until_healthy(server.url, process, log_path)
        yield server
    finally:
        stop(process)
        if drop_database:
            drop_database()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test` or apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        CSP_VIOLATIONS.watch_browser(browser)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in_to_admin(page, server: RunningServer, username="", password="", *, arrive=True):
    """Sign in the way an editor does (as the first admin unless told otherwise):
    /admin/login/ leads to the site's sign-in page, which leads back to the admin."""
    from playwright.sync_api import expect

    page.goto(server.url + "/admin/login/")
    page.get_by_label("Login").fill(username or server.admin_username)
    page.get_by_label("Password").fill(password or server.admin_password)
    page.get_by_role("button", name=re.compile(r"^sign in$", re.IGNORECASE)).click()
    if arrive:
        expect(page).to_have_url(server.url + "/admin/")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot for a human to look at (git-ignored folder)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
