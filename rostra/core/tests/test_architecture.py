"""docs/ARCHITECTURE.md and the import-linter layers stay true to the code (they fail
when an app is added, renamed or moved without the map following)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
NOT_APPS = {"config"}  # assembles the apps; beside the layers, not in them


def _app_packages() -> set[str]:
    return {
        path.parent.name
        for path in (ROOT / "rostra").glob("*/__init__.py")
        if path.parent.name not in NOT_APPS
    }


def _layered_apps() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "layers")["layers"]
    return {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}


def test_every_app_is_named_in_the_architecture_map():
    """Each package under rostra/ has its row in ARCHITECTURE.md (as `rostra/<app>`)."""
    missing = {app for app in _app_packages() if f"`rostra/{app}`" not in ARCHITECTURE}
    assert missing == set()


def test_every_app_is_in_an_import_layer_and_every_layer_is_an_app():
    """The layers contract in pyproject.toml names exactly the apps under rostra/."""
    assert _layered_apps() == _app_packages()


def test_every_rostra_path_the_map_mentions_exists():
    """Each `rostra/...` path in ARCHITECTURE.md is a file or folder of the checkout."""
    paths = set(re.findall(r"`(rostra/[\w./]*\w/?)`", ARCHITECTURE))
    assert len(paths) > 20  # the pattern still finds the map's paths
    assert {p for p in paths if not (ROOT / p).exists()} == set()
