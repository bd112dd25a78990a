"""The `rostra` command answers --help and --version at once, with Rostra's own words."""

import subprocess
import sys
import tomllib
from pathlib import Path

import rostra
from rostra.cli import main, own_commands

REPO = Path(__file__).resolve().parents[3]


def run_cli(*args: str) -> str:
    """Run the command in a fresh interpreter, failing if it loaded Django's commands."""
    script = (
        "import sys\n"
        "from rostra.cli import main\n"
        f"main({list(args)!r})\n"
        "assert 'django.core.management' not in sys.modules, 'Django was started'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def test_version_is_rostras_own_and_matches_the_package_metadata():
    """`rostra --version` prints Rostra's version, the one pyproject.toml declares."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert rostra.__version__ == declared
    assert run_cli("--version") == f"rostra {declared}\n"


def test_help_lists_every_rostra_command_without_starting_django():
    """`rostra --help` names each of Rostra's commands with its one-line description."""
    text = run_cli("--help")
    modules = {
        path.stem
        for path in (REPO / "rostra").glob("*/management/commands/*.py")
        if not path.name.startswith("_")
    }
    assert set(own_commands()) == modules
    for name in ("serve", "worker", "setup", "import", "export", "testmail"):
        assert f"\n  {name} " in text
    assert "Apply pending migrations" in text
    assert "Bring another system's export into Rostra" in text
    assert "rostra help --all" in text


def test_help_all_lists_djangos_commands_too(capsys):
    """`rostra help --all` is Django's full list, for the framework commands."""
    main(["help", "--all"])
    out = capsys.readouterr().out
    assert "migrate" in out
    assert "createsuperuser" in out
