"""deploy/: the systemd units, the environment file and the Caddyfile an operator copies.

The nginx site file runs for real in front of `rostra serve` in test_deploy_nginx.
"""

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rostra.config import env
from rostra.core.tests.test_deploy_nginx import render

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("rostra*.*"))
SERVICES = [unit for unit in UNITS if unit.suffix == ".service"]
INSTALLED_ROSTRA = "/opt/rostra/.venv/bin/rostra"
HARDENING = {
    "User": "rostra",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
}


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def _example_environment() -> dict[str, str]:
    """KEY=value lines of the example, commented-out ones included."""
    pairs = {}
    for line in (DEPLOY / "rostra.env.example").read_text().splitlines():
        name, equals, value = line.lstrip("#").partition("=")
        if equals and name.isupper() and " " not in name:
            pairs[name] = value
    return pairs


def test_the_kit_has_units_for_the_site_the_worker_and_nightly_backups():
    assert [unit.name for unit in UNITS] == [
        "rostra-backup.service",
        "rostra-backup.timer",
        "rostra-worker.service",
        "rostra.service",
    ]
    commands = {unit.name: _unit(unit)["Service"]["ExecStart"] for unit in SERVICES}
    assert commands == {
        "rostra-backup.service": f"{INSTALLED_ROSTRA} backup",
        "rostra-worker.service": f"{INSTALLED_ROSTRA} worker",
        "rostra.service": f"{INSTALLED_ROSTRA} serve --no-worker --host 127.0.0.1 --port 8000",
    }
    assert _unit(DEPLOY / "systemd" / "rostra-backup.timer")["Timer"]["Persistent"] == "true"


@pytest.mark.parametrize("unit", SERVICES, ids=lambda unit: unit.name)
def test_services_run_hardened_as_rostra_writing_only_the_data_directory(unit):
    service = _unit(unit)["Service"]
    assert {key: service.get(key) for key in HARDENING} == HARDENING
    data_dir = _example_environment()["ROSTRA_DATA_DIR"]
    assert service["ReadWritePaths"] == data_dir
    assert service["WorkingDirectory"] == data_dir
    assert service["EnvironmentFile"] == "/etc/rostra/rostra.env"


def test_units_pass_systemd_analyze_verify(tmp_path):
    """Rendered with this checkout's `rostra` (verify wants the command to exist)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; the parser checks above still ran")
    here = str(Path(sys.executable).parent / "rostra")
    for unit in UNITS:
        text = unit.read_text()
        if INSTALLED_ROSTRA in text:
            text = render(text, {INSTALLED_ROSTRA: here})
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_the_environment_example_sets_only_rostras_variables():
    example = _example_environment()
    assert set(example) <= set(env.VARIABLES), set(example) - set(env.VARIABLES)
    assert example["ROSTRA_TRUSTED_PROXIES"] == "127.0.0.1"
    assert example["ROSTRA_BASE_URL"].startswith("https://")


def test_the_caddyfile_is_valid_for_debians_caddy(tmp_path):
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.fail("Debian's caddy is missing: run `make test` or apt-get install caddy")
    result = subprocess.run(
        [caddy, "validate", "--adapter", "caddyfile", "--config", DEPLOY / "caddy" / "Caddyfile"],
        # Caddy keeps certificates and state under the user's directories.
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Valid configuration" in result.stdout + result.stderr
