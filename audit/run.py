"""`make audit`: axe-core and Lighthouse against a demo newsroom served on 127.0.0.1.

Starts `rostra setup --demo` and `rostra serve` in a fresh data directory, runs axe-core
(node_modules/axe-core, in Debian's Chromium through Playwright) on the pages readers
meet in light and dark, then Lighthouse (node_modules/.bin/lighthouse, mobile preset) on
the home page and an article, and prints a table of the figures. Exit status 1 when axe
finds a violation or a Lighthouse accessibility, best-practices or SEO score is below 100.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from e2e.accessibility import (
    AUDITED_PAGES,
    COLOR_SCHEMES,
    CONVERSATION,
    REPO,
    axe_source,
    axe_violations,
)
from rostra.core.testing import ROSTRA, free_port, rostra_setup, stop, wait_until_healthy

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = {"home": "/", "article": CONVERSATION}
CATEGORIES = ("accessibility", "best-practices", "seo", "performance")
TARGETED = ("accessibility", "best-practices", "seo")  # performance depends on the machine
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"


def serve_demo(data_dir: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.pop("DATABASE_URL", None)
    env.update(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        DEBUG="false",
    )
    rostra_setup(env, "--demo")
    log_path = data_dir / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - the `rostra` command of this checkout
            [*ROSTRA, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url, process, log_path)
    return url, process


def run_axe(url: str) -> dict[tuple[str, str], list[dict]]:
    from playwright.sync_api import sync_playwright

    source = axe_source()
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for scheme in COLOR_SCHEMES:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, color_scheme=scheme
            )
            page = context.new_page()
            for audited in AUDITED_PAGES:
                page.goto(url + audited.path)
                if audited.prepare:
                    audited.prepare(page)
                results[(audited.name, scheme)] = axe_violations(page, source)
            context.close()
        browser.close()
    return results


def run_lighthouse(url: str, out_dir: Path) -> dict[str, dict[str, int]]:
    scores = {}
    for name, path in LIGHTHOUSE_PAGES.items():
        report = out_dir / f"lighthouse-{name}.json"
        subprocess.run(  # noqa: S603 - Lighthouse from node_modules
            [
                str(LIGHTHOUSE),
                url + path,
                f"--chrome-path={CHROMIUM}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
            ],
            check=True,
            timeout=300,
        )
        data = json.loads(report.read_text())
        scores[name] = {
            key: round((data["categories"][key]["score"] or 0) * 100) for key in CATEGORIES
        }
        failing = [
            audit["id"]
            for audit in data["audits"].values()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") == "binary"
        ]
        scores[name]["failing"] = failing
    return scores


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("node_modules is missing: run `npm ci` (make audit does).", file=sys.stderr)
        return 2
    out_dir = REPO / "test-artifacts" / "audit"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rostra-audit-") as tmp:
        url, process = serve_demo(Path(tmp))
        try:
            axe = run_axe(url)
            lighthouse = run_lighthouse(url, out_dir)
        finally:
            stop(process)

    ok = True
    print("\naxe-core violations (0 wanted)")
    print(f"{'page':<10} {'light':>6} {'dark':>6}  rules")
    for audited in AUDITED_PAGES:
        light, dark = axe[(audited.name, "light")], axe[(audited.name, "dark")]
        rules = sorted({v["id"] for v in light + dark})
        ok &= not rules
        print(f"{audited.name:<10} {len(light):>6} {len(dark):>6}  {', '.join(rules)}")
    print("\nLighthouse, mobile preset (100 wanted except performance)")
    print(f"{'page':<10} " + " ".join(f"{key:>14}" for key in CATEGORIES) + "  failing audits")
    for name, score in lighthouse.items():
        ok &= all(score[key] == 100 for key in TARGETED)
        figures = " ".join(f"{score[key]:>14}" for key in CATEGORIES)
        print(f"{name:<10} {figures}  {', '.join(score['failing'])}")
    print(f"\nReports: {out_dir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
