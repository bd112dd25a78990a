"""`check --deploy` warns (rostra.W004) when SQLite serves more than one machine: its
file on a network file system, or workers on several machines writing heartbeats."""

import socket
from datetime import timedelta
from pathlib import Path

from django.core.checks import run_checks
from django.utils import timezone

from rostra.core import checks
from rostra.core.heartbeat import beat
from rostra.core.models import WorkerHeartbeat
from rostra.core.tests.test_health_and_checks import _rostra_ids

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
nas:/export/rostra /srv/rostra nfs4 rw,relatime,vers=4.2 0 0
/dev/sdb1 /srv/rostra/local ext4 rw,relatime 0 0
//files/share /mnt/my\\040share cifs rw 0 0
"""


def test_filesystem_type_is_that_of_the_nearest_mount_point():
    assert checks.filesystem_type(Path("/srv/rostra/rostra.sqlite3"), MOUNTS) == "nfs4"
    assert checks.filesystem_type(Path("/srv/rostra/local/rostra.sqlite3"), MOUNTS) == "ext4"
    assert checks.filesystem_type(Path("/srv/rostra-other/db"), MOUNTS) == "ext4", "not /srv/rostra"
    assert checks.filesystem_type(Path("/mnt/my share/db.sqlite3"), MOUNTS) == "cifs"
    assert checks.filesystem_type(Path("/var/db"), "") == ""


def _on_sqlite(settings, path: Path):
    settings.DATABASES = {**settings.DATABASES}
    settings.DATABASES["default"] = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
    }


def test_sqlite_file_on_a_network_file_system_is_flagged(settings, tmp_path, monkeypatch, db):
    """The database file on NFS (here /proc/mounts as a file of the same form) fires
    W004; the same file on a local disk does not."""
    mounts = tmp_path / "mounts"
    monkeypatch.setattr(checks, "MOUNTS", mounts)
    _on_sqlite(settings, tmp_path / "rostra.sqlite3")
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nnas:/rostra {tmp_path} nfs4 rw 0 0\n")
    assert "rostra.W004" in _rostra_ids()
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 {tmp_path} xfs rw 0 0\n")
    assert "rostra.W004" not in _rostra_ids()


def _ids_looking_into_the_database():
    checked = run_checks(include_deployment_checks=True, databases=["default"])
    return {message.id for message in checked}


def test_sqlite_with_workers_on_two_machines_is_flagged(settings, tmp_path, monkeypatch, db):
    """Heartbeats from two host names within the last day fire W004 on SQLite when the
    check may query the database; one host (however many workers), an old heartbeat
    from another, or PostgreSQL do not."""
    monkeypatch.setattr(checks, "MOUNTS", tmp_path / "no-mounts")
    _on_sqlite(settings, tmp_path / "rostra.sqlite3")
    beat("w1", host="web-1")
    beat("w2", host="web-1")
    beat("w3", host="web-2", now=timezone.now() - timedelta(days=2))
    assert "rostra.W004" not in _ids_looking_into_the_database()

    beat("w3", host="web-2")
    assert "rostra.W004" in _ids_looking_into_the_database()
    assert "rostra.W004" not in _rostra_ids(), "only when told to query the database"

    settings.DATABASES["default"] = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.postgresql",
    }
    assert "rostra.W004" not in _ids_looking_into_the_database()


def test_heartbeat_records_this_machine(db):
    beat("w1")
    assert WorkerHeartbeat.objects.get(worker_id="w1").host == socket.gethostname()
