"""Rostra's own deployment checks, shown by `rostra check --deploy`.

Django's deploy checks know nothing of Rostra's variables; these catch the mistakes
that pass them silently and hurt in production.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from rostra.core.proxies import parse_trusted_proxies, untrusted_forwarding_seen

UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


@register(Tags.security, deploy=True)
def mail_is_delivered(app_configs, **kwargs):
    if settings.USES_HTTPS and settings.EMAIL_BACKEND in UNDELIVERED_MAIL_BACKENDS:
        return [
            Warning(
                "EMAIL_URL does not deliver mail (console:, dummy: or memory:) on a public "
                "https site: confirmation, notification and sign-in e-mails are lost.",
                hint="Set EMAIL_URL to your SMTP server, e.g. smtp+tls://user:pass@host:587.",
                id="rostra.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def secret_key_is_shared(app_configs, **kwargs):
    if settings.SECRET_KEY_GENERATED and "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return [
            Warning(
                "SECRET_KEY is not set with PostgreSQL: each machine generates its own key "
                "in its data directory, so sessions and e-mailed links made by one machine "
                "fail on the others.",
                hint="Set the same SECRET_KEY on every machine (e.g. the content of "
                "$ROSTRA_DATA_DIR/secret_key of the first one).",
                id="rostra.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def debug_is_off_in_public(app_configs, **kwargs):
    if settings.DEBUG and settings.USES_HTTPS:
        return [
            Warning(
                "DEBUG is on with an https ROSTRA_BASE_URL: error pages show settings and "
                "source code to every reader, and HTTPS redirects and secure cookies are off.",
                hint="Unset DEBUG (or set DEBUG=false).",
                id="rostra.W003",
            )
        ]
    return []


@register(Tags.security)
def trusted_proxies_are_addresses(app_configs, **kwargs):
    try:
        parse_trusted_proxies(settings.TRUSTED_PROXIES)
    except ValueError as error:
        return [Error(str(error), id="rostra.E001")]
    return []


@register(Tags.security, deploy=True)
def trusted_proxies_are_listed(app_configs, **kwargs):
    seen = untrusted_forwarding_seen()
    if seen:
        return [
            Warning(
                "rostra serve ignored X-Forwarded-For/X-Forwarded-Proto from a "
                f"{seen.get('kind', 'peer')} address not in ROSTRA_TRUSTED_PROXIES (client "
                f"{seen.get('client', '?')}, last at {seen.get('seen_at', '?')}): readers "
                "behind that proxy all count as its one address.",
                hint="Add the address or network of your proxy or load balancer to "
                "ROSTRA_TRUSTED_PROXIES and restart rostra serve. If no proxy is in front "
                "of Rostra, readers' own proxies sent these headers: nothing to do.",
                id="rostra.W005",
            )
        ]
    if settings.USES_HTTPS and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "ROSTRA_TRUSTED_PROXIES is empty on an https site: rostra serve speaks plain "
                "HTTP, so it is reached through a proxy whose X-Forwarded-Proto and "
                "X-Forwarded-For it will not believe. Every request looks like plain http "
                "(redirected to https again) and every reader has the proxy's address.",
                hint="Set ROSTRA_TRUSTED_PROXIES to the proxy's address, e.g. 127.0.0.1 for "
                "nginx or Caddy on the same machine.",
                id="rostra.W005",
            )
        ]
    return []


# File systems shared between machines over a network, where SQLite's locks do not hold
# (https://www.sqlite.org/useovernet.html): two machines writing one file corrupt it.
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "fuse.ceph",
    "glusterfs",
    "fuse.glusterfs",
    "lustre",
    "gpfs",
}
MOUNTS = Path("/proc/mounts")


def filesystem_type(path: Path, mounts: str) -> str:
    """The type of the file system holding `path`, by the longest mount point in
    `mounts` (the text of /proc/mounts) that contains it; "" when none does."""
    best, best_type = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts writes spaces, tabs and backslashes in paths as octal escapes.
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
        inside = str(path) == point or str(path).startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def _worker_hosts_lately() -> set[str]:
    """Machines whose workers recorded a heartbeat within the last day."""
    from rostra.core.models import WorkerHeartbeat

    since = timezone.now() - settings.RETENTION["worker_heartbeats"]
    try:
        hosts = WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("host", flat=True)
        return {host for host in hosts if host}
    except DatabaseError:  # not migrated yet: no worker ran
        return set()


@register(Tags.database, deploy=True)
def sqlite_serves_one_machine(app_configs, databases=None, **kwargs):
    """SQLite's file on a network file system; and, when asked to look into the database
    (`check --deploy --database default`, Django's rule for checks that query it),
    workers' heartbeats from several machines."""
    database = settings.DATABASES["default"]
    if "sqlite" not in database["ENGINE"]:
        return []
    path = Path(database["NAME"]).resolve()
    try:
        mounts = MOUNTS.read_text()
    except OSError:  # not Linux: nothing to read
        mounts = ""
    network = filesystem_type(path, mounts)
    hosts = _worker_hosts_lately() if "default" in (databases or ()) else set()
    if network not in NETWORK_FILESYSTEMS and len(hosts) < 2:
        return []
    if network in NETWORK_FILESYSTEMS:
        seen = (
            f"its file is on a network file system ({network}), where SQLite's locks and "
            "write-ahead log do not work"
        )
    else:
        seen = (
            f"workers on {len(hosts)} machines ({', '.join(sorted(hosts))}) used it in the last day"
        )
    return [
        Warning(
            f"SQLite shared between machines: {seen}. Concurrent writes from several "
            "machines corrupt the database.",
            hint="Keep SQLite on one machine's local disk, or move to PostgreSQL "
            "(README, 'Scale-out with PostgreSQL') to run on several.",
            id="rostra.W004",
        )
    ]
